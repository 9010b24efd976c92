internal import Foundation

/// Parses numbers in data files: `1600`, `-3.5`, `1.2e9`; empty is missing.
enum NumberParser {
  /// Returns nil for an empty field; throws for text that is not a finite number.
  static func parse(_ text: String, at location: SourceLocation, column: String) throws(DataError) -> Double? {
    let trimmed = text.trimmingSpaces()
    if trimmed.isEmpty { return nil }
    let lowered = trimmed.lowercased()
    if ["nan", "inf", "+inf", "-inf", "infinity", "+infinity", "-infinity"].contains(lowered) {
      throw .nonFiniteNumber(location, column: column, found: text)
    }
    guard isPlainNumber(trimmed), let value = Double(trimmed) else {
      throw .invalidNumber(location, column: column, found: text)
    }
    guard value.isFinite else { throw .nonFiniteNumber(location, column: column, found: text) }
    return value
  }

  /// Digits with an optional sign, decimal point and exponent: no hex, no "nan", no spaces.
  private static func isPlainNumber(_ text: String) -> Bool {
    var sawDigit = false
    var sawPoint = false
    var sawExponent = false
    var previous: UInt8 = 0
    for (offset, b) in text.utf8.enumerated() {
      switch b {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): sawDigit = true
      case UInt8(ascii: "+"), UInt8(ascii: "-"):
        guard offset == 0 || previous == UInt8(ascii: "e") || previous == UInt8(ascii: "E") else { return false }
      case UInt8(ascii: "."):
        guard !sawPoint, !sawExponent else { return false }
        sawPoint = true
      case UInt8(ascii: "e"), UInt8(ascii: "E"):
        guard sawDigit, !sawExponent else { return false }
        sawExponent = true
      default: return false
      }
      previous = b
    }
    return sawDigit
  }
}
