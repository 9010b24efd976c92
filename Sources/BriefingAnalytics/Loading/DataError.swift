/// Where in an input file something was found: 1-based line and column (in characters).
public struct SourceLocation: Hashable, Sendable, CustomStringConvertible {
  public var file: String
  public var line: Int
  public var column: Int

  public init(file: String, line: Int, column: Int) {
    self.file = file
    self.line = line
    self.column = column
  }

  public var description: String { "\(file):\(line):\(column)" }
}

/// A problem with input data, with where it is, what was expected and what was found.
public enum DataError: Error, Hashable, Sendable, CustomStringConvertible {
  case unreadable(file: String, reason: String)
  case unwritable(file: String, reason: String)
  case emptyFile(file: String)
  case missingColumn(file: String, column: String, header: [String])
  case duplicateColumn(SourceLocation, column: String)
  case duplicateKey(SourceLocation, key: String)
  case unterminatedQuote(SourceLocation)
  case unexpectedQuote(SourceLocation)
  case quoteClosedOnLaterLine(SourceLocation, textAfterQuote: SourceLocation)
  case wrongFieldCount(SourceLocation, expected: Int, found: Int)
  case invalidUTF8(SourceLocation)
  case invalidNumber(SourceLocation, column: String, found: String)
  case nonFiniteNumber(SourceLocation, column: String, found: String)
  case invalidValue(SourceLocation, column: String, found: String, expected: String)
  case mixedUnits(group: String, units: [String])
  /// A sum or mean would add the two bounds of a stated range (`from` and `to` rows).
  case rangeBoundsCombined(group: String)
  case overflow(group: String)
  case invalidJSON(SourceLocation, expected: String, found: String)
  case invalidOption(String)
  /// A problem with a database or its contents (a missing table or column, a locked or corrupt
  /// file, an error in a query); `detail` names the table and column where one applies.
  case database(file: String, detail: String)
  /// Input that is not text (a NUL byte, or no UTF-8 at the start): `found` says what.
  case binaryInput(SourceLocation, found: String)
  /// A control character (named, as “the control character U+0000 (NUL)”) in a text field.
  case controlCharacter(SourceLocation, column: String, character: String)
  /// The data goes beyond what the engine supports (more than 32 qualifiers in a column).
  case beyondLimit(String)
  /// A record (a line, or a quoted field running over lines) longer than `limit` bytes.
  case recordTooLong(SourceLocation, limit: Int)

  public var description: String {
    switch self {
    case .unreadable(let file, let reason):
      "\(file): cannot read the file: \(reason)"
    case .unwritable(let file, let reason):
      "\(file): cannot write the file: \(reason)"
    case .emptyFile(let file):
      "\(file):1:1: expected a header row, found an empty file"
    case .missingColumn(let file, let column, let header):
      "\(file):1:1: expected a column named “\(column)”, found the columns "
        + header.prefix(30).map { "“\(excerpt($0))”" }.joined(separator: ", ") + (header.count > 30 ? " and \(header.count - 30) more" : "")
    case .duplicateColumn(let at, let column):
      "\(at): the column “\(column)” appears twice in the header"
    case .duplicateKey(let at, let key):
      "\(at): the key “\(key)” appears twice in one record (expected each column once)"
    case .unterminatedQuote(let at):
      "\(at): a quoted field starts here and is never closed (expected a closing \")"
    case .unexpectedQuote(let at):
      "\(at): expected a delimiter or the end of the line after a closing quote, found more text"
    case .quoteClosedOnLaterLine(let opening, let after):
      "\(opening): a quoted field starts here and runs over a line break to \(after.line):\(after.column), where text follows its closing quote (expected a closing \" on this line, or a delimiter after the quote)"
    case .wrongFieldCount(let at, let expected, let found):
      "\(at): expected \(expected) fields as in the header, found \(found)"
    case .invalidUTF8(let at):
      "\(at): expected UTF-8 text, found a byte sequence that is not valid UTF-8"
    case .invalidNumber(let at, let column, let found):
      "\(at): expected a number in column “\(excerpt(column))”, found “\(excerpt(found))”"
    case .nonFiniteNumber(let at, let column, let found):
      "\(at): expected a finite number in column “\(excerpt(column))”, found “\(excerpt(found))”"
    case .invalidValue(let at, let column, let found, let expected):
      "\(at): expected \(expected) in column “\(excerpt(column))”, found “\(excerpt(found))”"
    case .invalidJSON(let at, let expected, let found):
      "\(at): expected \(expected), found \(excerpt(found))"
    case .binaryInput(let at, let found):
      "\(at): expected CSV or JSON text, found \(found)"
    case .controlCharacter(let at, let column, let character):
      "\(at): expected text without control characters in column “\(excerpt(column))”, found \(character)"
    case .beyondLimit(let message):
      message
    case .recordTooLong(let at, let limit):
      "\(at): a record starts here and runs on for more than \(limit >> 20) MiB without ending (expected lines of text; is this a CSV or JSON file?)"
    case .invalidOption(let message):
      message
    case .database(let file, let detail):
      "\(file): \(detail)"
    case .mixedUnits(let group, let units):
      "cannot combine values in different units in group \(group): \(units.map { $0.isEmpty ? "(no unit)" : $0 }.joined(separator: " and "))"
    case .rangeBoundsCombined(let group):
      "group \(group) would add the lower and upper bound of a range (qualifiers “from” and “to”); filter one bound out or use min/max"
    case .overflow(let group):
      "adding the values of group \(group) goes beyond the largest number a double can hold (about 1.8e308)"
    }
  }
}

/// At most 80 characters of `text` on one line, for quoting input in a message: a 60 MB field
/// must not become a 60 MB message. Control characters show as “�”.
func excerpt(_ text: String, limit: Int = 80) -> String {
  var shown = String.UnicodeScalarView()
  var count = 0
  for scalar in text.unicodeScalars {
    if count == limit { return String(shown) + "…" }
    let value = scalar.value
    shown.append(value < 0x20 || (0x7F...0x9F).contains(value) ? "\u{FFFD}" : scalar)
    count += 1
  }
  return String(shown)
}
