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
/// (an SQLite import, text values in a database) that must agree with it to the last bit.
public enum NumberText {
  /// Reads `text`: `1600`, `-3.5`, `1.2e9`; with `decimalComma` also `1 600,5`.
  public static func read(_ text: String, decimalComma: Bool = false) -> NumberReading {
    let scanner = NumberScanner(decimalMark: decimalComma ? 0x2C : 0x2E)
    var bytes = Array(text.utf8)
    let count = bytes.count
    // The engine's spans are padded (see `wordPadding`).
    bytes += Array(repeating: 0, count: wordPadding)
    let outcome = bytes.withUnsafeBufferPointer { buffer -> NumberScanner.Outcome in
      guard let base = buffer.baseAddress else { return .missing }
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
