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
    let scale = pow10(fractionDigits)
    if abs(value) >= Self.exactIntegers || !(abs(value) * scale).isFinite {
      // No fraction digit is stored beyond 2^53: the decimals print as zeros, as they were read.
      let text = group(digits(of: abs(value).rounded()))
        + (fractionDigits > 0 ? decimalSeparator + String(repeating: "0", count: fractionDigits) : "")
      return value < 0 ? Self.minus + text : text
    }
    // Round half away from zero on the scaled magnitude, then split into integer and fraction digits.
    let scaled = (abs(value) * scale).rounded(.toNearestOrAwayFromZero)
    let negative = value < 0 && scaled > 0
    var integerPart = (scaled / scale).rounded(.towardZero)
    var fraction = (scaled - integerPart * scale).rounded()
    if fraction >= scale {
      integerPart += 1
      fraction -= scale
    }
    var text = group(digits(of: integerPart))
    if fractionDigits > 0 {
      let f = digits(of: fraction)
      text += decimalSeparator + String(repeating: "0", count: max(0, fractionDigits - f.count)) + f
    }
    return negative ? Self.minus + text : text
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
    // Beyond 2^53 the double's exact integer has digits no input had (12345678901234567890 is
    // stored as …567168): print the shortest digits that read back as the same double, then zeros.
    let text = "\(whole)"  // “1.2345678901234567e+19”, “1e+308”
    let parts = text.split(separator: "e")
    let exponent = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
    let mantissa = parts[0].split(separator: ".")
    let integer = mantissa.first.map(String.init) ?? "0"
    var fraction = mantissa.count > 1 ? String(mantissa[1]) : ""
    while fraction.hasSuffix("0") { fraction.removeLast() }
    let significant = integer + fraction
    let zeros = exponent - fraction.count
    return zeros >= 0 ? significant + String(repeating: "0", count: zeros) : String(significant.dropLast(-zeros))
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
