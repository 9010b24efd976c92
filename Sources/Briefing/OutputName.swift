/// The names that become files: a layout's `id` (`<id>.pdf`) and a chart's (`<id>-<chart>.svg`).
///
/// A name is 1–100 letters (any script: `Справка_Татарстан` is one), digits, `-` and `_`, so it can
/// never hold a separator, a dot-segment, a space, a quote or a control character, and the file it
/// names always lies directly inside the output folder. A layout without an `id` takes its file's
/// name, made into such a name by `slug(_:)`.
public enum OutputName {
  /// The longest name allowed, in characters.
  public static let maximumLength = 100

  /// Why `name` cannot name a file, or nil when it can.
  public static func problem(_ name: String) -> String? {
    if name.isEmpty { return "expected a name of letters, digits, “-” and “_”, found an empty one" }
    if name.count > maximumLength { return "expected a name of at most \(maximumLength) characters, found \(name.count)" }
    if let bad = name.unicodeScalars.first(where: { !isAllowed($0) }) {
      return "expected a name of letters, digits, “-” and “_” (it becomes a file name), found \(describe(bad)) in “\(shown(name))”"
    }
    if let first = name.unicodeScalars.first, first.properties.generalCategory == .nonspacingMark || first.properties.generalCategory == .spacingMark || first.properties.generalCategory == .enclosingMark {
      return "expected a name that starts with a letter, digit, “-” or “_”, found a combining mark"
    }
    return nil
  }

  /// `text` made into a valid name: each run of other characters becomes one `-`, leading and
  /// trailing `-` are dropped, the result is cut to `maximumLength`; `briefing` if nothing is left.
  public static func slug(_ text: String) -> String {
    var result = String.UnicodeScalarView()
    var pendingDash = false
    for scalar in text.unicodeScalars {
      if isAllowed(scalar) {
        if pendingDash, !result.isEmpty { result.append("-") }
        pendingDash = false
        result.append(scalar)
      } else {
        pendingDash = true
      }
    }
    var name = String(String(result).prefix(maximumLength))
    while name.hasSuffix("-") { name.removeLast() }
    return problem(name) == nil ? name : "briefing"
  }

  private static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
    if scalar == "-" || scalar == "_" { return true }
    switch scalar.properties.generalCategory {
    case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter, .decimalNumber,
      .nonspacingMark, .spacingMark:
      return true
    default:
      return false
    }
  }

  private static func describe(_ scalar: Unicode.Scalar) -> String {
    switch scalar {
    case "/": return "a “/”"
    case ".": return "a “.”"
    case " ": return "a space"
    default:
      let code = "U+" + String(String(scalar.value, radix: 16, uppercase: true).leftPadded(to: 4))
      return scalar.properties.generalCategory == .control || scalar.properties.generalCategory == .format
        ? "the control character \(code)" : "“\(scalar)” (\(code))"
    }
  }

  /// The name as an error may quote it: controls shown as `?`, at most 60 characters.
  private static func shown(_ name: String) -> String {
    let visible = String(String.UnicodeScalarView(name.unicodeScalars.map { $0.properties.generalCategory == .control ? "?" : $0 }))
    return visible.count > 60 ? visible.prefix(60) + "…" : visible
  }
}

extension String {
  fileprivate func leftPadded(to width: Int) -> String {
    count >= width ? self : String(repeating: "0", count: width - count) + self
  }
}
