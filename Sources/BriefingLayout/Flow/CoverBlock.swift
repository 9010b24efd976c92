/// A cover page: the title a third of the way down, subtitles and particulars under it, and at the
/// foot a rule with the author and the date. It takes the whole page, so what follows starts on
/// the next one (the paginator leaves the running header and footer off the first page).
public struct CoverBlock: Block {
  public var title: String
  public var subtitles: [String]
  /// Region, programme, period.
  public var particulars: String?
  public var author: String?
  /// The date as it should read ("15 января 2026 г.").
  public var date: String?
  /// A line in the accent colour above the foot rule, such as a synthetic-data warning.
  public var notice: String?
  /// The height of the page's content area, which the cover fills.
  public var pageHeight: Double
  public var anchor: String
  public var theme: Theme

  public init(
    title: String, subtitles: [String] = [], particulars: String? = nil, author: String? = nil, date: String? = nil,
    notice: String? = nil, pageHeight: Double, anchor: String = "title", theme: Theme = .bulletin
  ) {
    self.title = title
    self.subtitles = subtitles
    self.particulars = particulars
    self.author = author
    self.date = date
    self.notice = notice
    self.pageHeight = pageHeight
    self.anchor = anchor
    self.theme = theme
  }

  public func height(width: Double, measuring: any TextMeasuring) -> Double { pageHeight }

  public var outlineEntry: BlockOutline? { BlockOutline(title: title, level: 1, anchor: anchor) }

  private var titleStyle: TextStyle { theme.style(.title).with { $0.size *= 1.2 } }

  private var footLines: [(String, TextStyle)] {
    let style = theme.style(.subtitle).with { $0.size = theme.bodySize }
    return [author, date].compactMap { $0 }.map { ($0, style) }
  }

  public func layout(width: Double, measuring: any TextMeasuring) -> Frame {
    var frame = Frame(size: Size(width: width, height: pageHeight))
    frame.append(.anchor(name: anchor, at: .zero))
    frame.append(.rect(Rect(x: 0, y: 0, width: 48, height: 4), .filled(theme.accent)))

    // The foot, from the bottom up, so the title block can use what is left.
    var bottom = pageHeight
    var footItems: [FrameItem] = []
    for (text, style) in footLines.reversed() {
      let h = measuring.measure(text, style: style, maxWidth: width).height
      bottom -= h
      footItems.append(.text(TextRun(text: text, style: style, frame: Rect(x: 0, y: bottom, width: width, height: h))))
      bottom -= 2
    }
    bottom -= 8
    footItems.append(.rect(Rect(x: 0, y: bottom, width: width, height: theme.lightRule), .filled(theme.ruleColor)))
    if let notice {
      let style = theme.style(.note).with { $0.color = theme.accent }
      let h = measuring.measure(notice, style: style, maxWidth: width).height
      bottom -= 8 + h
      footItems.append(.text(TextRun(text: notice, style: style, frame: Rect(x: 0, y: bottom, width: width, height: h))))
    }

    var parts: [(String, TextStyle, Double)] = [(title, titleStyle, 0)]
    for subtitle in subtitles { parts.append((subtitle, theme.style(.subtitle), 10)) }
    if let particulars { parts.append((particulars, theme.style(.body).with { $0.family = theme.sansFamily; $0.color = theme.mutedInk }, 18)) }
    let heights = parts.map { measuring.measure($0.0, style: $0.1, maxWidth: width).height }
    let blockHeight = zip(parts, heights).map { $0.0.2 + $0.1 }.reduce(0, +)
    // A third of the way down, or higher when a long title needs the room.
    var y = max(24, min(pageHeight * 0.3, bottom - 24 - blockHeight))
    for (part, h) in zip(parts, heights) {
      y += part.2
      frame.append(.text(TextRun(text: part.0, style: part.1, frame: Rect(x: 0, y: y, width: width, height: h))))
      y += h
    }
    frame.items += footItems
    return frame
  }
}
