/// The measured extent of a run of text laid out in a box.
public struct TextMetrics: Hashable, Sendable, Codable {
  /// The width of the widest line, in points.
  public var width: Double
  /// The height of all lines together, in points.
  public var height: Double
  /// The distance from the top of the box to the first line's baseline.
  public var baseline: Double
  /// The UTF-8 byte offset at which each line starts; the first is always 0.
  public var lineStarts: [Int]
  /// The height of each line, in points (same count as `lineStarts`).
  public var lineHeights: [Double]

  public init(width: Double, height: Double, baseline: Double, lineStarts: [Int], lineHeights: [Double]) {
    self.width = width
    self.height = height
    self.baseline = baseline
    self.lineStarts = lineStarts
    self.lineHeights = lineHeights
  }

  /// The number of lines.
  public var lineCount: Int { lineStarts.count }
}

/// Measures text the way the backend will draw it, so that layout can place it without drawing.
///
/// Layout depends only on this protocol: the Cairo backend conforms with Pango, tests with a
/// fixed-advance measurer.
public protocol TextMeasuring {
  /// Returns the extent of `text` set in `style`, broken into lines no wider than `maxWidth`
  /// (or on one line when `maxWidth` is nil).
  func measure(_ text: String, style: TextStyle, maxWidth: Double?) -> TextMetrics

  /// Returns the extent of `text` with the UTF-8 byte ranges `superscripts` set as superscripts
  /// (footnote markers): `superscriptScale` times the size, raised by `superscriptRise` times it.
  func measure(_ text: String, style: TextStyle, maxWidth: Double?, superscripts: [Range<Int>]) -> TextMetrics
}

/// How a superscript (a footnote marker) is set: its size as a fraction of the text's size.
public let superscriptScale = 0.7
/// How far a superscript's baseline is raised, as a fraction of the text's size.
public let superscriptRise = 0.33

extension TextMeasuring {
  /// A measurer that knows no superscripts measures them at the text's size, which is never
  /// narrower: a box made from it holds the text.
  public func measure(_ text: String, style: TextStyle, maxWidth: Double?, superscripts: [Range<Int>]) -> TextMetrics {
    measure(text, style: style, maxWidth: maxWidth)
  }
}
