internal import Foundation

/// Reads a number from a field's bytes: `1600`, `-3.5`, `1.2e9`; with a decimal comma also
/// `1 600,5` (spaces, no-break or narrow no-break spaces between digit groups).
///
/// The common case, a sign, at most 15 digits and a decimal mark, is computed exactly from an
/// integer mantissa and one division by a power of ten (correctly rounded, as both are exact
/// doubles). Everything else is checked and handed to `strtod`.
struct NumberScanner: Sendable {
  enum Outcome {
    case missing
    case number(Double)
    case invalid
    case nonFinite
  }

  /// `.` or `,`.
  var decimalMark: UInt8 = 0x2E

  /// 10^k, exact for k ≤ 22. A switch of constants, not a static array: a static's lazy
  /// initialisation would be checked again for every decimal read.
  @inline(__always) private static func powerOfTen(_ k: Int) -> Double {
    switch k {
    case 0: 1
    case 1: 1e1
    case 2: 1e2
    case 3: 1e3
    case 4: 1e4
    case 5: 1e5
    case 6: 1e6
    case 7: 1e7
    case 8: 1e8
    case 9: 1e9
    case 10: 1e10
    case 11: 1e11
    case 12: 1e12
    case 13: 1e13
    case 14: 1e14
    case 15: 1e15
    default: pow(10.0, Double(k))
    }
  }

  @inline(__always) func scan(_ field: ByteSpan) -> Outcome {
    let n = field.count
    if n == 0 { return .missing }
    if n <= 8, let value = Self.shortNumber(field.base, count: n, mark: decimalMark) { return .number(value) }
    return scanDigits(field)
  }

  /// Up to 8 bytes of digits with at most one decimal mark and no sign (`275`, `47816.79`): the
  /// usual field, read as one word with no loop over its bytes; nil for anything else.
  ///
  /// Gives exactly what `scanDigits` gives: the same integer mantissa divided by the same power
  /// of ten.
  @inline(__always) static func shortNumber(_ p: UnsafePointer<UInt8>, count n: Int, mark: UInt8) -> Double? {
    let inField = lowBytesMask(n)
    let w = loadWord(p) & inField
    // 0x80 at the decimal mark, if any; more than one mark is not a short number.
    let marks = zeroByteMask(w ^ (UInt64(mark) &* 0x0101_0101_0101_0101)) & inField
    if marks & (marks &- 1) != 0 { return nil }
    let markAt = marks == 0 ? n : marks.trailingZeroBitCount &>> 3
    // The bytes besides the mark, closed up: digits before the mark, then those after it.
    let before = w & lowBytesMask(markAt)
    // Shifted right in two steps: a mark in the eighth byte would make one shift 64 bits, which
    // wraps to no shift at all (and with no mark there is nothing after it).
    let markShift = UInt64(truncatingIfNeeded: markAt &* 8)
    let after = marks == 0 ? 0 : ((w &>> markShift) &>> 8) &<< markShift
    let digits = n &- (marks == 0 ? 0 : 1)
    if digits == 0 { return nil }
    let text = before | after
    // Every one of the `digits` bytes must be 0x30...0x39: high nibble 3, and still 3 after
    // adding 6 (which carries out of the low nibble for A...F).
    let used = lowBytesMask(digits)
    let nibbles: UInt64 = 0xF0F0_F0F0_F0F0_F0F0 & used
    if text & nibbles != 0x3030_3030_3030_3030 & used { return nil }
    if (text &+ 0x0606_0606_0606_0606) & nibbles != 0x3030_3030_3030_3030 & used { return nil }
    // Left-pad with '0' to eight digits (the first digit is the lowest byte), then combine pairs,
    // fours and eights with three multiplications (the usual eight-digit SWAR conversion).
    let pad = UInt64(truncatingIfNeeded: (8 &- digits) &* 8)
    var v = ((text &<< pad) | (0x3030_3030_3030_3030 & lowBytesMask(8 &- digits))) &- 0x3030_3030_3030_3030
    v = (v &* 10) &+ (v &>> 8)
    v = (((v & 0x0000_00FF_0000_00FF) &* 0x000F_4240_0000_0064) &+ (((v &>> 16) & 0x0000_00FF_0000_00FF) &* 0x0000_2710_0000_0001)) &>> 32
    let fractionDigits = marks == 0 ? 0 : n &- markAt &- 1
    let mantissa = Double(v & 0xFFFF_FFFF)
    return fractionDigits == 0 ? mantissa : mantissa / powerOfTen(fractionDigits)
  }

  /// The general case: a sign, up to 15 digits and a mark, else `scanSlowly`.
  @inline(never) private func scanDigits(_ field: ByteSpan) -> Outcome {
    let p = field.base
    let n = field.count
    var i = 0
    var negative = false
    if p[0] == 0x2D {
      negative = true
      i = 1
    } else if p[0] == 0x2B {
      i = 1
    }
    var mantissa: UInt64 = 0
    var digits = 0
    var fractionDigits = 0
    var sawMark = false
    while i < n {
      let b = p[i]
      let d = b &- 0x30
      if d < 10 {
        mantissa = mantissa &* 10 &+ UInt64(d)
        digits += 1
        if sawMark { fractionDigits += 1 }
      } else if b == decimalMark, !sawMark {
        sawMark = true
      } else {
        return scanSlowly(field)
      }
      i += 1
    }
    guard digits > 0, digits <= 15 else { return scanSlowly(field) }
    let magnitude = fractionDigits == 0 ? Double(mantissa) : Double(mantissa) / Self.powerOfTen(fractionDigits)
    return .number(negative ? -magnitude : magnitude)
  }

  /// Trims spaces, removes digit-group spaces for a decimal comma, validates the shape, then `strtod`.
  private func scanSlowly(_ field: ByteSpan) -> Outcome {
    var bytes = Array(UnsafeBufferPointer(start: field.base, count: field.count))
    while let f = bytes.first, f == 0x20 || f == 0x09 { bytes.removeFirst() }
    while let l = bytes.last, l == 0x20 || l == 0x09 { bytes.removeLast() }
    if bytes.isEmpty { return .missing }
    let lowered = String(decoding: bytes, as: UTF8.self).lowercased()
    if ["nan", "+nan", "-nan", "inf", "+inf", "-inf", "infinity", "+infinity", "-infinity"].contains(lowered) {
      return .nonFinite
    }
    if decimalMark == 0x2C {
      // A point in a decimal-comma file is ambiguous (`1.600` is 1600 in some offices): refuse it.
      if bytes.contains(0x2E) { return .invalid }
      bytes = Self.removingGroupSpaces(bytes)
      for k in bytes.indices where bytes[k] == 0x2C { bytes[k] = 0x2E }
    }
    guard Self.isPlainNumber(bytes) else { return .invalid }
    bytes.append(0)
    let value = bytes.withUnsafeBufferPointer { buffer in
      buffer.baseAddress.map { $0.withMemoryRebound(to: CChar.self, capacity: buffer.count) { strtod($0, nil) } } ?? .nan
    }
    return value.isFinite ? .number(value) : .nonFinite
  }

  /// Drops spaces, U+00A0 and U+202F that sit between digits (`1 600,5` → `1600,5`).
  private static func removingGroupSpaces(_ bytes: [UInt8]) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count)
    var k = 0
    func isDigit(_ b: UInt8?) -> Bool { b.map { $0 &- 0x30 < 10 } ?? false }
    while k < bytes.count {
      let width: Int =
        if bytes[k] == 0x20 || bytes[k] == 0x27 { 1 }
        else if bytes[k] == 0xC2, k + 1 < bytes.count, bytes[k + 1] == 0xA0 { 2 }
        else if bytes[k] == 0xE2, k + 2 < bytes.count, bytes[k + 1] == 0x80, bytes[k + 2] == 0xAF || bytes[k + 2] == 0x89 { 3 }
        else { 0 }
      if width > 0, isDigit(out.last), isDigit(k + width < bytes.count ? bytes[k + width] : nil) {
        k += width
        continue
      }
      out.append(bytes[k])
      k += 1
    }
    return out
  }

  /// Digits with an optional sign, decimal point and exponent: no hex, no words, no inner spaces.
  static func isPlainNumber(_ bytes: some Sequence<UInt8>) -> Bool {
    var sawDigit = false
    var sawPoint = false
    var sawExponent = false
    var digitAfterExponent = true
    var previous: UInt8 = 0
    for (offset, b) in bytes.enumerated() {
      switch b {
      case 0x30...0x39:
        sawDigit = true
        digitAfterExponent = true
      case 0x2B, 0x2D:
        guard offset == 0 || previous == 0x65 || previous == 0x45 else { return false }
      case 0x2E:
        guard !sawPoint, !sawExponent else { return false }
        sawPoint = true
      case 0x65, 0x45:
        guard sawDigit, !sawExponent else { return false }
        sawExponent = true
        digitAfterExponent = false
      default: return false
      }
      previous = b
    }
    return sawDigit && digitAfterExponent
  }
}
