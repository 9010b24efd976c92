/// The weight of a font face.
public enum FontWeight: String, Hashable, Sendable, Codable {
  case regular
  case bold
}

/// Where lines of text sit within their box.
public enum TextAlignment: String, Hashable, Sendable, Codable {
  case leading
  case center
  case trailing
}

/// What happens to text wider than its box.
public enum TextOverflow: String, Hashable, Sendable, Codable, CaseIterable {
  /// Break into as many lines as needed, at word boundaries.
  case wrap
  /// Keep one line and end it with "…".
  case ellipsize
}

/// Everything a backend needs to shape and draw a run of text.
public struct TextStyle: Hashable, Sendable, Codable {
  /// A font family installed on the system, such as "PT Sans".
  public var family: String
  /// The font size in points.
  public var size: Double
  public var weight: FontWeight
  public var italic: Bool
  public var color: Color
  public var alignment: TextAlignment
  public var overflow: TextOverflow
  /// The distance between baselines as a multiple of the font size; nil keeps the font's own.
  public var lineSpacing: Double?
  /// Ask the font for tabular (equal-width) digits, for numbers in columns.
  public var tabularFigures: Bool
  /// With `wrap`: at most this many lines, the last ending with "…" when the text needs more;
  /// nil for no limit.
  public var maxLines: Int?

  public init(
    family: String, size: Double, weight: FontWeight = .regular, italic: Bool = false,
    color: Color = .black, alignment: TextAlignment = .leading, overflow: TextOverflow = .wrap,
    lineSpacing: Double? = nil, tabularFigures: Bool = false, maxLines: Int? = nil
  ) {
    self.family = family
    self.size = size
    self.weight = weight
    self.italic = italic
    self.color = color
    self.alignment = alignment
    self.overflow = overflow
    self.lineSpacing = lineSpacing
    self.tabularFigures = tabularFigures
    self.maxLines = maxLines
  }

  /// Returns a copy with the given changes applied.
  public func with(_ change: (inout TextStyle) -> Void) -> TextStyle {
    var copy = self
    change(&copy)
    return copy
  }
}
