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
public struct Paragraph: Block {
  public var text: String
  public var style: TextStyle

  public init(_ text: String, style: TextStyle) {
    self.text = text
    self.style = style
  }

  public func height(width: Double, measuring: any TextMeasuring) -> Double {
    measuring.measure(text, style: style, maxWidth: width).height
  }

  public func minimumHeadHeight(width: Double, measuring: any TextMeasuring) -> Double {
    let m = measuring.measure(text, style: style, maxWidth: width)
    // Fewer than four lines never split (two must stay on each side): the head is the whole.
    return m.lineCount < 4 ? m.height : m.lineHeights.prefix(2).reduce(0, +)
  }

  public func split(width: Double, height: Double, measuring: any TextMeasuring) -> BlockSplit? {
    let m = measuring.measure(text, style: style, maxWidth: width)
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
    let utf8 = Array(text.utf8)
    let cut = m.lineStarts[fitting]
    let head = String(decoding: utf8[..<cut], as: UTF8.self).trimmingTrailingWhitespace()
    let tail = String(decoding: utf8[cut...], as: UTF8.self)
    return BlockSplit(head: Paragraph(head, style: style), tail: Paragraph(tail, style: style))
  }

  public func layout(width: Double, measuring: any TextMeasuring) -> Frame {
    let h = height(width: width, measuring: measuring)
    return Frame(size: Size(width: width, height: h), items: [
      .text(TextRun(text: text, style: style, frame: Rect(x: 0, y: 0, width: width, height: h)))
    ])
  }
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
