/// A section heading: it never ends a page alone and adds an outline entry.
public struct Heading: Block {
  public var text: String
  public var level: Int
  public var anchor: String
  public var theme: Theme

  public init(_ text: String, level: Int = 1, anchor: String, theme: Theme = .bulletin) {
    self.text = text
    self.level = level
    self.anchor = anchor
    self.theme = theme
  }

  private var style: TextStyle { theme.style(level <= 1 ? .heading1 : .heading2) }

  public func height(width: Double, measuring: any TextMeasuring) -> Double {
    measuring.measure(text, style: style, maxWidth: width).height
  }

  public func layout(width: Double, measuring: any TextMeasuring) -> Frame {
    let h = height(width: width, measuring: measuring)
    return Frame(size: Size(width: width, height: h), items: [
      .anchor(name: anchor, at: .zero),
      .text(TextRun(text: text, style: style, frame: Rect(x: 0, y: 0, width: width, height: h))),
    ])
  }

  public var keepsWithNext: Bool { true }
  public var outlineEntry: BlockOutline? { BlockOutline(title: text, level: level, anchor: anchor) }
}

/// Running text that wraps, and splits between lines (never leaving a single line behind or ahead).
///
/// Its text may carry footnote markers, set as superscripts (`init(_ parts:style:)`); the
/// footnotes go to the foot of the page each marker lands on.
public struct Paragraph: Block {
  public var text: String
  public var style: TextStyle
  /// UTF-8 byte ranges of `text` set as superscripts (the footnote markers).
  public var superscripts: [Range<Int>]
  /// The footnotes of the markers, in order.
  public var footnotes: [Footnote]
  /// Where each footnote's marker is: a UTF-8 byte offset into `text`.
  var noteOffsets: [Int]

  public init(_ text: String, style: TextStyle) {
    self.init(MarkedText(text: text), style: style)
  }

  /// Running text from words and footnote markers:
  /// `Paragraph([.text("Обучено 1 600 человек"), .footnote(note), .text(".")], style: body)`.
  public init(_ parts: [InlineText], style: TextStyle) {
    self.init(MarkedText(parts), style: style)
  }

  init(_ marked: MarkedText, style: TextStyle) {
    self.text = marked.text
    self.style = style
    self.superscripts = marked.superscripts
    self.footnotes = marked.notes
    self.noteOffsets = marked.noteOffsets
  }

  private var marked: MarkedText { MarkedText(text: text, superscripts: superscripts, notes: footnotes, noteOffsets: noteOffsets) }

  private func metrics(width: Double, measuring: any TextMeasuring) -> TextMetrics {
    measuring.measure(text, style: style, maxWidth: width, superscripts: superscripts)
  }

  public func height(width: Double, measuring: any TextMeasuring) -> Double {
    metrics(width: width, measuring: measuring).height
  }

  public func minimumHeadHeight(width: Double, measuring: any TextMeasuring) -> Double {
    let m = metrics(width: width, measuring: measuring)
    // Fewer than four lines never split (two must stay on each side): the head is the whole.
    return m.lineCount < 4 ? m.height : m.lineHeights.prefix(2).reduce(0, +)
  }

  public func split(width: Double, height: Double, measuring: any TextMeasuring) -> BlockSplit? {
    let m = metrics(width: width, measuring: measuring)
    var used = 0.0
    var fitting = 0
    for lineHeight in m.lineHeights {
      guard used + lineHeight <= height else { break }
      used += lineHeight
      fitting += 1
    }
    // Orphan and widow control: at least two lines on each side of the break.
    fitting = min(fitting, m.lineCount - 2)
    guard fitting >= 2 else { return nil }
    let (head, tail) = marked.split(at: m.lineStarts[fitting])
    return BlockSplit(head: Paragraph(head, style: style), tail: Paragraph(tail, style: style))
  }

  public func layout(width: Double, measuring: any TextMeasuring) -> Frame {
    let h = height(width: width, measuring: measuring)
    return Frame(size: Size(width: width, height: h), items: [
      .text(TextRun(text: text, style: style, frame: Rect(x: 0, y: 0, width: width, height: h), superscripts: superscripts))
    ])
  }

  public var movesAheadOfFigures: Bool { true }
}

/// The document's title block: an accent rule, the title, subtitles and a line of particulars.
public struct TitleBlock: Block {
  public var title: String
  public var subtitles: [String]
  public var particulars: String?
  public var theme: Theme
  public var anchor: String

  public init(title: String, subtitles: [String] = [], particulars: String? = nil, anchor: String = "title", theme: Theme = .bulletin) {
    self.title = title
    self.subtitles = subtitles
    self.particulars = particulars
    self.anchor = anchor
    self.theme = theme
  }

  private func lines(width: Double, measuring: any TextMeasuring) -> [(String, TextStyle, Double)] {
    var result: [(String, TextStyle, Double)] = []
    let titleStyle = theme.style(.title)
    result.append((title, titleStyle, measuring.measure(title, style: titleStyle, maxWidth: width).height))
    for subtitle in subtitles {
      let style = theme.style(.subtitle)
      result.append((subtitle, style, measuring.measure(subtitle, style: style, maxWidth: width).height))
    }
    if let particulars {
      let style = theme.style(.note)
      result.append((particulars, style, measuring.measure(particulars, style: style, maxWidth: width).height))
    }
    return result
  }

  private static let ruleHeight = 3.0
  private static let ruleGap = 10.0
  private static let lineGap = 4.0

  public func height(width: Double, measuring: any TextMeasuring) -> Double {
    let parts = lines(width: width, measuring: measuring)
    return Self.ruleHeight + Self.ruleGap + parts.map(\.2).reduce(0, +) + Double(parts.count - 1) * Self.lineGap
  }

  public func layout(width: Double, measuring: any TextMeasuring) -> Frame {
    var frame = Frame(size: Size(width: width, height: height(width: width, measuring: measuring)))
    frame.append(.anchor(name: anchor, at: .zero))
    frame.append(.rect(Rect(x: 0, y: 0, width: 36, height: Self.ruleHeight), .filled(theme.accent)))
    var y = Self.ruleHeight + Self.ruleGap
    for (index, (text, style, h)) in lines(width: width, measuring: measuring).enumerated() {
      if index > 0 { y += Self.lineGap }
      frame.append(.text(TextRun(text: text, style: style, frame: Rect(x: 0, y: y, width: width, height: h))))
      y += h
    }
    return frame
  }

  public var outlineEntry: BlockOutline? { BlockOutline(title: title, level: 1, anchor: anchor) }
}

extension String {
  func trimmingTrailingWhitespace() -> String {
    var scalars = Substring(self)
    while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
    return String(scalars)
  }
}
