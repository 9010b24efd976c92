/// The error thrown when text in a layout is not a colour Briefing understands.
///
/// Its description says what was expected and what was found, and suggests the nearest CSS colour
/// name when the text looks like a misspelt one:
/// `expected a colour as #RRGGBB, #RGB or a CSS colour name (steelblue), found “rde” (did you mean “red”?)`.
public struct ColorParseError: Error, CustomStringConvertible, Hashable, Sendable {
  /// The text as it was given.
  public var found: String
  /// The CSS colour name closest to `found`, when it is close enough to be a likely misspelling.
  public var suggestion: String?

  /// Creates an error for `found`, with an optional suggested colour name.
  public init(found: String, suggestion: String? = nil) {
    self.found = found
    self.suggestion = suggestion
  }

  public var description: String {
    var message = "expected a colour as #RRGGBB, #RGB or a CSS colour name (steelblue), found “\(found)”"
    if let suggestion { message += " (did you mean “\(suggestion)”?)" }
    return message
  }
}
