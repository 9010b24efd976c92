/// The names that become files: a layout's `id` (`<id>.pdf`) and a chart's (`<id>-<chart>.svg`).
///
/// A name is letters (any script: `Справка_Татарстан` is one), digits, `-` and `_`, starting with a
/// letter, digit or `_` (a leading `-` reads as an option to other tools), at most 100 characters
/// and 115 bytes of UTF-8 (so `<layout>-<chart>.svg` with its temporary suffix stays within the
/// 255 bytes a file name may have). It can never hold a separator, a dot-segment, a space, a quote,
/// a control or an invisible character, and the file it names always lies directly inside the
/// output folder. A layout without an `id` takes its file's name, made into such a name by
/// `slug(_:)`.
public enum OutputName {
  /// The longest name allowed, in characters (Unicode scalars) and in UTF-8 bytes.
  public static let maximumLength = 100
  public static let maximumBytes = 115

  /// Why `name` cannot name a file, or nil when it can.
  public static func problem(_ name: String) -> String? {
    if name.isEmpty { return "expected a name of letters, digits, “-” and “_”, found an empty one" }
    let characters = name.unicodeScalars.count
    if characters > maximumLength { return "expected a name of at most \(maximumLength) characters, found \(characters)" }
    if name.utf8.count > maximumBytes {
      return "expected a name of at most \(maximumBytes) bytes of UTF-8 (about 57 Cyrillic letters), found \(name.utf8.count)"
    }
    if let bad = name.unicodeScalars.first(where: { !isAllowed($0) }) {
      return "expected a name of letters, digits, “-” and “_” (it becomes a file name), found \(describe(bad)) in “\(shown(name))”"
    }
    if let first = name.unicodeScalars.first, first == "-" || first.properties.generalCategory == .nonspacingMark || first.properties.generalCategory == .spacingMark {
      return "expected a name that starts with a letter, digit or “_”, found \(first == "-" ? "“-”" : "a combining mark")"
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
    var name = String(String.UnicodeScalarView(result.prefix(maximumLength)))
    while name.utf8.count > maximumBytes { name.unicodeScalars.removeLast() }
    while name.hasSuffix("-") { name.removeLast() }
    while name.hasPrefix("-") { name.removeFirst() }
    return problem(name) == nil ? name : "briefing"
  }

  private static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
    if scalar == "-" || scalar == "_" { return true }
    // Hangul fillers and other invisible letters would make a name no one can see.
    if scalar.properties.isDefaultIgnorableCodePoint || [0x115F, 0x1160, 0x3164, 0xFFA0].contains(scalar.value) { return false }
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
