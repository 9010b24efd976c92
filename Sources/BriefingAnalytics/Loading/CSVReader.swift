internal import Foundation

/// Reads RFC 4180 CSV from bytes: quoted fields with `""` escapes, embedded delimiters and line
/// breaks, LF or CRLF line ends, an optional UTF-8 byte-order mark, `,` `;` or tab delimiters.
///
/// Records are handed to a closure one at a time as byte ranges, so no `String` is made for a
/// field the caller does not need.
public struct CSVReader: Sendable {
  /// The name errors are reported against (usually the path).
  public var file: String
  public var delimiter: UInt8?

  /// Creates a reader; a nil `delimiter` picks `,`, `;` or tab from the header line.
  public init(file: String, delimiter: UInt8? = nil) {
    self.file = file
    self.delimiter = delimiter
  }

  /// One parsed record: its fields' text and where each field starts.
  public struct Record {
    public var fields: [String]
    /// The 1-based line on which the record starts.
    public var line: Int
    /// The 1-based column (in characters) at which each field starts.
    public var columns: [Int]
  }

  /// Reads the whole file at `path`.
  public static func contents(of path: String) throws(DataError) -> [UInt8] {
    guard let handle = FileHandle(forReadingAtPath: path) else {
      let reason = FileManager.default.fileExists(atPath: path) ? "permission denied" : "no such file"
      throw .unreadable(file: path, reason: reason)
    }
    defer { try? handle.close() }
    do {
      return Array(try handle.readToEnd() ?? Data())
    } catch {
      throw .unreadable(file: path, reason: "\(error)")
    }
  }

  /// Parses `bytes` and calls `body` with each record in order, the header first.
  public func forEachRecord(in bytes: [UInt8], _ body: (Record) throws(DataError) -> Void) throws(DataError) {
    var start = 0
    if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { start = 3 }
    let separator = delimiter ?? Self.detectDelimiter(bytes[start...])
    let quote = UInt8(ascii: "\"")
    let lf = UInt8(ascii: "\n")
    let cr = UInt8(ascii: "\r")

    var i = start
    var line = 1
    var lineStart = start
    let n = bytes.count

    func column(at index: Int) -> Int {
      // Characters, not bytes: count the UTF-8 lead bytes between the line start and `index`.
      var count = 1
      var j = lineStart
      while j < index {
        if bytes[j] & 0xC0 != 0x80 { count += 1 }
        j += 1
      }
      return count
    }

    func text(_ range: Range<Int>, _ at: Int) throws(DataError) -> String {
      guard let value = String(validating: bytes[range], as: UTF8.self) else {
        throw .invalidUTF8(SourceLocation(file: file, line: line, column: column(at: at)))
      }
      return value
    }

    while i < n {
      let recordLine = line
      var fields: [String] = []
      var columns: [Int] = []
      var endOfRecord = false
      while !endOfRecord {
        columns.append(column(at: i))
        if i < n, bytes[i] == quote {
          let openLine = line
          let openColumn = columns[columns.count - 1]
          i += 1
          var value: [UInt8] = []
          var closed = false
          while i < n {
            let b = bytes[i]
            if b == quote {
              if i + 1 < n, bytes[i + 1] == quote {
                value.append(quote)
                i += 2
                continue
              }
              i += 1
              closed = true
              break
            }
            if b == lf {
              line += 1
              lineStart = i + 1
            }
            value.append(b)
            i += 1
          }
          guard closed else {
            throw .unterminatedQuote(SourceLocation(file: file, line: openLine, column: openColumn))
          }
          guard let string = String(validating: value, as: UTF8.self) else {
            throw .invalidUTF8(SourceLocation(file: file, line: openLine, column: openColumn))
          }
          fields.append(string)
          if i < n, bytes[i] == cr, i + 1 < n, bytes[i + 1] == lf { i += 1 }
          if i >= n {
            endOfRecord = true
          } else if bytes[i] == separator {
            i += 1
          } else if bytes[i] == lf {
            i += 1
            line += 1
            lineStart = i
            endOfRecord = true
          } else {
            throw .unexpectedQuote(SourceLocation(file: file, line: line, column: column(at: i)))
          }
        } else {
          let fieldStart = i
          while i < n, bytes[i] != separator, bytes[i] != lf { i += 1 }
          var fieldEnd = i
          if fieldEnd > fieldStart, bytes[fieldEnd - 1] == cr, i >= n || bytes[i] == lf { fieldEnd -= 1 }
          fields.append(try text(fieldStart..<fieldEnd, fieldStart))
          if i < n, bytes[i] == separator {
            i += 1
            if i >= n { fields.append(""); columns.append(column(at: i)); endOfRecord = true }
          } else {
            if i < n {
              i += 1
              line += 1
              lineStart = i
            }
            endOfRecord = true
          }
        }
      }
      // A blank line is no record.
      if fields.count == 1, fields[0].isEmpty { continue }
      try body(Record(fields: fields, line: recordLine, columns: columns))
    }
  }

  /// Picks the delimiter that occurs most often, outside quotes, in the first line.
  static func detectDelimiter(_ bytes: ArraySlice<UInt8>) -> UInt8 {
    var counts: [UInt8: Int] = [UInt8(ascii: ","): 0, UInt8(ascii: ";"): 0, UInt8(ascii: "\t"): 0]
    var inQuotes = false
    for b in bytes {
      if b == UInt8(ascii: "\"") { inQuotes.toggle() }
      if !inQuotes, b == UInt8(ascii: "\n") { break }
      if !inQuotes, counts[b] != nil { counts[b, default: 0] += 1 }
    }
    let best = counts.max { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }
    return best.map { $0.value > 0 ? $0.key : UInt8(ascii: ",") } ?? UInt8(ascii: ",")
  }
}
