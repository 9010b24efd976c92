/// How a value field reads as a number.
public enum NumberReading: Hashable, Sendable {
  /// Empty, or only spaces.
  case missing
  case number(Double)
  /// Not a number (a word, two decimal marks, a point in a decimal-comma file).
  case invalid
  /// `nan`, `inf` or a number beyond the largest double.
  case nonFinite
}

/// Reads numbers from text exactly as the query engine reads value fields, for other sources
/// (an SQLite import, text values in a database, the in-memory table) that must agree with it to
/// the last bit.
public enum NumberText {
  /// Reads `text`: `1600`, `-3.5`, `1.2e9`; with `decimalComma` also `1 600,5`.
  public static func read(_ text: String, decimalComma: Bool = false) -> NumberReading {
    var reader = Reader(decimalComma: decimalComma)
    return reader.read(text)
  }

  /// Reads many texts through one padded buffer (the engine's spans are padded, see
  /// `wordPadding`), so a column of thousands of values allocates once.
  public struct Reader {
    private let scanner: NumberScanner
    private var buffer: [UInt8]

    public init(decimalComma: Bool = false) {
      scanner = NumberScanner(decimalMark: decimalComma ? 0x2C : 0x2E)
      buffer = [UInt8](repeating: 0, count: 64 + wordPadding)
    }

    public mutating func read(_ text: String) -> NumberReading {
      let count = text.utf8.count
      if count + wordPadding > buffer.count { buffer = [UInt8](repeating: 0, count: count + wordPadding) }
      let scanner = self.scanner
      let outcome = buffer.withUnsafeMutableBufferPointer { space -> NumberScanner.Outcome in
        guard let base = space.baseAddress else { return .missing }
        _ = space.initialize(from: text.utf8)
        (base + count).update(repeating: 0, count: wordPadding)
        return scanner.scan(ByteSpan(base: base, count: count))
      }
      switch outcome {
      case .missing: return .missing
      case .number(let value): return .number(value)
      case .invalid: return .invalid
      case .nonFinite: return .nonFinite
      }
    }
  }
}
