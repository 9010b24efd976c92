/// A choice of colours that some readers will find hard to see, as `ColorCheck` reports it.
///
/// The description is a sentence for a build's warnings, such as
/// `series “2024” and “2025” are hard to tell apart with deuteranopia (ΔE2000 3.1, below 6)`.
public enum ColorProblem: Hashable, Sendable, CustomStringConvertible {
  /// Two series whose colours differ by less than `minimum` (CIEDE2000) for a reader with
  /// `deficiency`, or with normal vision when it is nil. `difference` is the smallest of the four
  /// visions, and `deficiency` the one it was found with.
  case seriesTooSimilar(
    first: String, second: String, deficiency: ColorVisionDeficiency?, difference: Double, minimum: Double)
  /// Text whose WCAG contrast ratio with its background, `ratio`, is below `minimum`; `what` says
  /// which text it is.
  case textContrastTooLow(what: String, ratio: Double, minimum: Double)

  public var description: String {
    switch self {
    case .seriesTooSimilar(let first, let second, let deficiency, let difference, let minimum):
      let vision = deficiency?.rawValue ?? "normal vision"
      return "series “\(first)” and “\(second)” are hard to tell apart with \(vision) "
        + "(ΔE2000 \(Self.format(difference, decimals: 1)), below \(Self.format(minimum)))"
    case .textContrastTooLow(let what, let ratio, let minimum):
      return "\(what) has a contrast of \(Self.format(ratio, decimals: 2)):1 with its background, "
        + "below \(Self.format(minimum)):1"
    }
  }

  /// `value` rounded down to `decimals` places, so that a value below a limit never prints as the
  /// limit (5.97 is “5.9”, not “6.0”).
  private static func format(_ value: Double, decimals: Int) -> String {
    guard value.isFinite else { return "\(value)" }
    var scale = 1
    for _ in 0..<decimals { scale *= 10 }
    let scaled = Int((value * Double(scale) + 1e-9).rounded(.down))
    let fraction = String(scaled % scale)
    let padded = String(repeating: "0", count: max(0, decimals - fraction.count)) + fraction
    return decimals == 0 ? String(scaled) : "\(scaled / scale).\(padded)"
  }

  /// A limit as written in the documentation: `6`, `4.5`.
  private static func format(_ limit: Double) -> String {
    limit == limit.rounded() && abs(limit) < 1e15 ? String(Int(limit)) : "\(limit)"
  }
}
