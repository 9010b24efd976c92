/// The language and conventions a report is printed in.
public enum ReportLocale: String, Hashable, Sendable, CaseIterable, Codable {
  case en
  case ru
}

/// Formats numbers for tables, charts and key figures, in English or Russian conventions.
///
/// English: `1,600`, `12.5%`, `169 bn`. Russian: `1 600` (narrow no-break space), `12,5 %`,
/// `169 млрд`. Negative numbers take a true minus sign (U+2212); missing values print as `—`.
public struct NumberFormat: Hashable, Sendable {
  public var locale: ReportLocale

  public init(locale: ReportLocale) {
    self.locale = locale
  }

  /// The digit-group separator.
  public var groupingSeparator: String { locale == .ru ? "\u{202F}" : "," }
  /// The decimal mark.
  public var decimalSeparator: String { locale == .ru ? "," : "." }
  /// The mark for a missing value.
  public static let missing = "—"
  /// The minus sign.
  public static let minus = "\u{2212}"

  /// Formats `value` with `fractionDigits` decimals and grouped thousands; nil prints `—`.
  public func decimal(_ value: Double?, fractionDigits: Int = 0) -> String {
    guard let value, value.isFinite else { return Self.missing }
    // Rounded half away from zero in decimal, on the shortest text that reads back as `value`:
    // what was read (2.675, 123456789012345.67) rounds as a reader rounds it, not as its binary
    // neighbour does (2.67499…), and no digit beyond the 17th is invented.
    let (integer, fraction, isZero) = Self.rounded(abs(value), fractionDigits: max(0, fractionDigits))
    let text = group(integer) + (fractionDigits > 0 ? decimalSeparator + fraction : "")
    return value < 0 && !isZero ? Self.minus + text : text
  }

  /// Formats a percentage: `12.5%` / `12,5 %`.
  public func percent(_ value: Double?, fractionDigits: Int = 1) -> String {
    guard let value, value.isFinite else { return Self.missing }
    return decimal(value, fractionDigits: fractionDigits) + (locale == .ru ? "\u{00A0}%" : "%")
  }

  /// Formats a change with its sign: `+12.5%`, `−3`.
  public func signed(_ value: Double?, fractionDigits: Int = 0, percent: Bool = false) -> String {
    guard let value, value.isFinite else { return Self.missing }
    let body = percent ? self.percent(abs(value), fractionDigits: fractionDigits) : decimal(abs(value), fractionDigits: fractionDigits)
    let rounded = (abs(value) * pow10(fractionDigits)).rounded()
    if rounded == 0 { return body }
    return (value < 0 ? Self.minus : "+") + body
  }

  /// Formats a large number compactly: `16K` / `16 тыс.`, `1.5M` / `1,5 млн`, `169 bn` / `169 млрд`.
  public func compact(_ value: Double?) -> String {
    guard let value, value.isFinite else { return Self.missing }
    let magnitude = abs(value)
    let steps: [(Double, String, String)] = [
      (1e12, " tn", "\u{00A0}трлн"), (1e9, " bn", "\u{00A0}млрд"), (1e6, "M", "\u{00A0}млн"), (1e3, "K", "\u{00A0}тыс."),
    ]
    for (size, en, ru) in steps where magnitude >= size {
      let scaled = value / size
      let digits = abs(scaled) < 10 && (abs(scaled) * 10).rounded() != (abs(scaled).rounded() * 10) ? 1 : 0
      return decimal(scaled, fractionDigits: digits) + (locale == .ru ? ru : en)
    }
    let digits = magnitude != magnitude.rounded() && magnitude < 10 ? 1 : 0
    return decimal(value, fractionDigits: digits)
  }

  /// The value for machines (CSV, JSON): `.` decimal, no grouping, the shortest text that reads
  /// back as the same double, integers without `.0`; nil is the empty string.
  public static func machine(_ value: Double?) -> String {
    guard let value else { return "" }
    if value == value.rounded(), abs(value) < 9.007_199_254_740_992e15 { return String(Int64(value)) }
    return "\(value)"
  }

  /// A compact number with its currency: `169 bn RUB` / `169 млрд ₽`. Units that are not money
  /// are left to the caller's label (`16K` / `16 тыс.`).
  public func compact(_ value: Double?, unit: String) -> String {
    let text = compact(value)
    guard value?.isFinite == true else { return text }
    let symbols: [String: (en: String, ru: String)] = ["RUB": ("RUB", "₽"), "USD": ("USD", "$")]
    guard let symbol = symbols[unit] else { return text }
    return text + (locale == .ru ? "\u{00A0}" + symbol.ru : " " + symbol.en)
  }

  /// Puts a qualifier before a formatted number: `over 1,600` / `более 1 600`.
  public func qualified(_ text: String, qualifier: String) -> String {
    let words: [String: (String, String)] = [
      "over": ("over", "более"), "around": ("around", "около"), "at least": ("at least", "не менее"),
      "up to": ("up to", "до"), "under": ("under", "менее"), "almost": ("almost", "почти"),
      "more than": ("more than", "более"), "less than": ("less than", "менее"), "from": ("from", "от"), "to": ("to", "до"),
      "around from": ("around", "около"), "around to": ("up to around", "до примерно"),
    ]
    guard let (en, ru) = words[qualifier] else { return qualifier.isEmpty ? text : "\(qualifier) \(text)" }
    return (locale == .ru ? ru : en) + "\u{00A0}" + text
  }

  private func pow10(_ n: Int) -> Double {
    var result = 1.0
    for _ in 0..<max(0, n) { result *= 10 }
    return result
  }

  /// 2^53: every integer below it is a double, and prints exactly.
  private static let exactIntegers = 9_007_199_254_740_992.0

  private func digits(of whole: Double) -> String {
    guard whole.isFinite, whole >= 0 else { return "0" }
    if whole < Self.exactIntegers { return String(UInt64(whole)) }
    return Self.rounded(whole, fractionDigits: 0).integer
  }

  /// The shortest decimal digits that read back as `magnitude` (≥ 0), and where the decimal point
  /// goes: 123.45 is ([1,2,3,4,5], 3), 1e-06 is ([1], -5).
  static func shortestDigits(of magnitude: Double) -> (digits: [UInt8], point: Int) {
    let text = "\(magnitude)"  // “123.45”, “1.2345678901234567e+19”, “1e-06”
    let parts = text.split(separator: "e")
    let exponent = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
    let mantissa = parts.first.map(String.init) ?? "0"
    let dot = mantissa.firstIndex(of: ".")
    let integerCount = dot.map { mantissa.distance(from: mantissa.startIndex, to: $0) } ?? mantissa.count
    var digits = mantissa.utf8.filter { $0 != UInt8(ascii: ".") }.map { $0 - UInt8(ascii: "0") }
    var point = integerCount + exponent
    while digits.count > 1, digits.first == 0 {
      digits.removeFirst()
      point -= 1
    }
    while digits.count > 1, digits.last == 0 { digits.removeLast() }
    return (digits, point)
  }

  /// `magnitude` rounded half away from zero to `fractionDigits` decimals, in decimal digits:
  /// the integer digits, the fraction digits, and whether the result is zero.
  static func rounded(_ magnitude: Double, fractionDigits: Int) -> (integer: String, fraction: String, isZero: Bool) {
    var (digits, point) = shortestDigits(of: magnitude)
    let keep = point + fractionDigits
    if keep < 0 {
      digits = []
    } else if keep < digits.count {
      let roundUp = digits[keep] >= 5
      digits.removeSubrange(keep...)
      if roundUp {
        var i = digits.count - 1
        while i >= 0, digits[i] == 9 {
          digits[i] = 0
          i -= 1
        }
        if i >= 0 {
          digits[i] += 1
        } else {
          digits.insert(1, at: 0)
          point += 1
        }
      }
    }
    // Lay the digits out around the point: zeros before (0.00042) and after (1200).
    var all = digits
    var start = point
    if start <= 0 {
      all = Array(repeating: 0, count: 1 - start) + all
      start = 1
    }
    let needed = start + fractionDigits
    if all.count < needed { all += Array(repeating: 0, count: needed - all.count) }
    let text = { (slice: ArraySlice<UInt8>) in String(decoding: slice.map { $0 + UInt8(ascii: "0") }, as: UTF8.self) }
    var integer = text(all[0..<start])
    while integer.count > 1, integer.hasPrefix("0") { integer.removeFirst() }
    return (integer, text(all[start..<needed]), !all.contains { $0 != 0 })
  }

  private func group(_ digits: String) -> String {
    let chars = Array(digits)
    guard chars.count > 3 else { return digits }
    var out = ""
    for (index, c) in chars.enumerated() {
      if index > 0, (chars.count - index) % 3 == 0 { out += groupingSeparator }
      out.append(c)
    }
    return out
  }
}
