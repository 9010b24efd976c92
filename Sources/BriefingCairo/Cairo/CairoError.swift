/// A failure in cairo or Pango, with the operation that failed.
public enum CairoError: Error, Hashable, Sendable, CustomStringConvertible {
  /// A cairo call left an error status.
  case failed(operation: String, status: String)
  /// A font family the theme asks for is not installed; fontconfig would have substituted another.
  case fontUnavailable(family: String, substitute: String)
  /// Text contains characters no installed font can draw: which, in which font, and where
  /// (`page 3: “text”`, the first few places).
  case missingGlyphs(family: String, codePoints: [String], places: [String])

  public var description: String {
    switch self {
    case .failed(let operation, let status):
      "cairo: \(operation) failed: \(status)"
    case .fontUnavailable(let family, let substitute):
      "font family “\(family)” is not installed (fontconfig would substitute “\(substitute)”); "
        + "install it (scripts/install-system-deps.sh) or choose another family in the theme"
    case .missingGlyphs(let family, let codePoints, let places):
      "no installed font can draw \(codePoints.joined(separator: ", ")) (font “\(family)”), in \(places.joined(separator: "; ")); "
        + "remove the characters from the data or install a font that has them (--allow-missing-glyphs only warns)"
    }
  }
}
