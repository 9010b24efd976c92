/// A run of text, already measured, placed in a box.
public struct TextRun: Hashable, Sendable, Codable {
  public var text: String
  public var style: TextStyle
  /// The box the text occupies on the page: its width is the wrapping and alignment width, or,
  /// for text that reads upward, its height is.
  public var frame: Rect
  /// Whether the text is turned a quarter counter-clockwise, reading from the bottom of `frame`
  /// to its top (labels under narrow columns); its lines' tops face the frame's left edge.
  public var readsUpward: Bool
  /// UTF-8 byte ranges of `text` set as superscripts (footnote markers): smaller and raised,
  /// measured and drawn as `TextMeasuring.measure(_:style:maxWidth:superscripts:)` says.
  public var superscripts: [Range<Int>]

  public init(text: String, style: TextStyle, frame: Rect, readsUpward: Bool = false, superscripts: [Range<Int>] = []) {
    self.text = text
    self.style = style
    self.frame = frame
    self.readsUpward = readsUpward
    self.superscripts = superscripts
  }

  /// The parts of `text` set as superscripts, in order.
  public var superscriptTexts: [String] {
    let bytes = Array(text.utf8)
    return superscripts.compactMap { range in
      guard range.lowerBound >= 0, range.upperBound <= bytes.count else { return nil }
      return String(decoding: bytes[range], as: UTF8.self)
    }
  }

  /// The width lines are laid out in: the frame's width, or its height for upward text.
  public var lineWidth: Double { readsUpward ? frame.height : frame.width }
}

/// How a shape is painted.
public struct Paint: Hashable, Sendable, Codable {
  public var fill: Color?
  public var stroke: Color?
  public var lineWidth: Double
  /// Dash lengths in points; empty for a solid line.
  public var dash: [Double]

  public init(fill: Color? = nil, stroke: Color? = nil, lineWidth: Double = 0.5, dash: [Double] = []) {
    self.fill = fill
    self.stroke = stroke
    self.lineWidth = lineWidth
    self.dash = dash
  }

  /// A solid fill with no outline.
  public static func filled(_ color: Color) -> Paint { Paint(fill: color) }
}

/// Where a link leads.
public enum LinkTarget: Hashable, Sendable, Codable {
  /// A named destination inside the same document.
  case destination(String)
  /// An external address.
  case uri(String)
}

/// One thing to draw. Closed on purpose: every backend handles every case in one exhaustive switch.
public indirect enum FrameItem: Hashable, Sendable, Codable {
  case text(TextRun)
  case rect(Rect, Paint)
  case line(from: Point, to: Point, Paint)
  /// A polyline or polygon through the points; closed when `closed` is true.
  case path([Point], closed: Bool, Paint)
  /// A nested frame placed with its top-left at `origin`; its items are relative to that origin.
  case group(origin: Point, Frame)
  /// A clickable area.
  case link(Rect, LinkTarget)
  /// A named destination that links and the outline can point at.
  case anchor(name: String, at: Point)
}

/// A rectangle of items laid out relative to its top-left corner.
public struct Frame: Hashable, Sendable, Codable {
  public var size: Size
  public var items: [FrameItem]

  public init(size: Size, items: [FrameItem] = []) {
    self.size = size
    self.items = items
  }

  /// Appends an item.
  public mutating func append(_ item: FrameItem) {
    items.append(item)
  }

  /// Places `frame` inside this one with its top-left at `origin`.
  public mutating func place(_ frame: Frame, at origin: Point) {
    items.append(.group(origin: origin, frame))
  }
}

extension Frame {
  /// Every text run in this frame and the frames nested in it.
  public func flattenedTextRuns() -> [TextRun] {
    items.flatMap { item -> [TextRun] in
      switch item {
      case .text(let run): [run]
      case .group(_, let frame): frame.flattenedTextRuns()
      case .rect, .line, .path, .link, .anchor: []
      }
    }
  }
}
