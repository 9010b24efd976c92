/// A list of the document's headings with their page numbers, each line a link to its heading.
///
/// The paginator fills it in (see `PageReferencing`): a first pass finds the page of every
/// heading, a second lays the document out again with the numbers. The numbers sit in a column
/// as wide as the page count's widest number could be, so filling them in never changes a line's
/// height and the second pass lands every heading where the first did.
public struct ContentsBlock: Block, PageReferencing {
  public var title: String
  /// The deepest heading level listed.
  public var maxLevel: Int
  /// Headings not to list (the document title, say).
  public var excludedAnchors: Set<String>
  public var anchor: String
  public var theme: Theme
  /// The listed headings; filled in by the paginator.
  public var entries: [OutlineEntry]
  /// Whether `entries` carry final page numbers (false in the first pass).
  public var isResolved: Bool
  /// Whether this piece continues a list begun on an earlier page (its title is not repeated).
  public var isContinuation: Bool

  public init(title: String, maxLevel: Int = 2, excludedAnchors: Set<String> = [], anchor: String = "contents", theme: Theme = .bulletin) {
    self.title = title
    self.maxLevel = maxLevel
    self.excludedAnchors = excludedAnchors
    self.anchor = anchor
    self.theme = theme
    entries = []
    isResolved = false
    isContinuation = false
  }

  public func resolving(_ outline: [OutlineEntry], final: Bool) -> any Block {
    var copy = self
    copy.entries = outline.filter { $0.level <= maxLevel && $0.destination != anchor && !excludedAnchors.contains($0.destination) }
    copy.isResolved = final
    return copy
  }

  public var outlineEntry: BlockOutline? { isContinuation ? nil : BlockOutline(title: title, level: 1, anchor: anchor) }

  // MARK: - Geometry

  private static let indentPerLevel = 14.0
  private static let entryGap = 3.0
  /// The least room between a title's last line and its page number, for the dot leader.
  private static let leaderRoom = 18.0

  private var titleStyle: TextStyle { theme.style(.heading1) }

  private func entryStyle(level: Int) -> TextStyle {
    theme.style(.body).with {
      $0.family = theme.sansFamily
      $0.lineSpacing = 1.25
      if level > 1 {
        $0.size = theme.bodySize * 0.92
        $0.color = theme.mutedInk
      }
    }
  }

  private func numberStyle(level: Int) -> TextStyle {
    entryStyle(level: level).with {
      $0.alignment = .trailing
      $0.tabularFigures = true
    }
  }

  /// The width kept for page numbers: three tabular digits, enough for 999 pages.
  private func numberWidth(measuring: any TextMeasuring) -> Double {
    measuring.measure("888", style: numberStyle(level: 1), maxWidth: nil).width
  }

  private func titleHeight(width: Double, measuring: any TextMeasuring) -> Double {
    isContinuation ? 0 : measuring.measure(title, style: titleStyle, maxWidth: width).height + 8
  }

  private func titleWidth(_ entry: OutlineEntry, width: Double, measuring: any TextMeasuring) -> Double {
    width - indent(entry) - numberWidth(measuring: measuring) - Self.leaderRoom
  }

  private func indent(_ entry: OutlineEntry) -> Double { Double(max(entry.level, 1) - 1) * Self.indentPerLevel }

  private func entryHeight(_ entry: OutlineEntry, width: Double, measuring: any TextMeasuring) -> Double {
    measuring.measure(entry.title, style: entryStyle(level: entry.level), maxWidth: titleWidth(entry, width: width, measuring: measuring)).height
      + Self.entryGap
  }

  public func height(width: Double, measuring: any TextMeasuring) -> Double {
    titleHeight(width: width, measuring: measuring) + entries.map { entryHeight($0, width: width, measuring: measuring) }.reduce(0, +)
  }

  public func minimumHeadHeight(width: Double, measuring: any TextMeasuring) -> Double {
    titleHeight(width: width, measuring: measuring) + entries.prefix(2).map { entryHeight($0, width: width, measuring: measuring) }.reduce(0, +)
  }

  /// Splits between entries, keeping at least two on each side.
  public func split(width: Double, height: Double, measuring: any TextMeasuring) -> BlockSplit? {
    var used = titleHeight(width: width, measuring: measuring)
    var fitting = 0
    for entry in entries {
      let h = entryHeight(entry, width: width, measuring: measuring)
      guard used + h <= height else { break }
      used += h
      fitting += 1
    }
    fitting = min(fitting, entries.count - 2)
    guard fitting >= 2 else { return nil }
    var head = self
    head.entries = Array(entries[..<fitting])
    var tail = self
    tail.entries = Array(entries[fitting...])
    tail.isContinuation = true
    return BlockSplit(head: head, tail: tail)
  }

  public func layout(width: Double, measuring: any TextMeasuring) -> Frame {
    var frame = Frame(size: Size(width: width, height: height(width: width, measuring: measuring)))
    var y = 0.0
    if !isContinuation {
      frame.append(.anchor(name: anchor, at: .zero))
      let h = measuring.measure(title, style: titleStyle, maxWidth: width).height
      frame.append(.text(TextRun(text: title, style: titleStyle, frame: Rect(x: 0, y: 0, width: width, height: h))))
      y = h + 8
    }
    let numbers = numberWidth(measuring: measuring)
    for entry in entries {
      let style = entryStyle(level: entry.level)
      let x = indent(entry)
      let textWidth = titleWidth(entry, width: width, measuring: measuring)
      let m = measuring.measure(entry.title, style: style, maxWidth: textWidth)
      frame.append(.text(TextRun(text: entry.title, style: style, frame: Rect(x: x, y: y, width: textWidth, height: m.height))))
      // The number and the leader sit on the title's last line.
      let lastLineTop = y + m.lineHeights.dropLast().reduce(0, +)
      let utf8 = Array(entry.title.utf8)
      let lastLine = String(decoding: utf8[(m.lineStarts.last ?? 0)...], as: UTF8.self).trimmingTrailingWhitespace()
      let lastLineWidth = measuring.measure(lastLine, style: style, maxWidth: nil).width
      let number = isResolved ? String(entry.pageIndex + 1) : ""
      if !number.isEmpty {
        let numberStyle = numberStyle(level: entry.level)
        let numberText = measuring.measure(number, style: numberStyle, maxWidth: nil)
        frame.append(.text(TextRun(
          text: number, style: numberStyle, frame: Rect(x: width - numbers, y: lastLineTop, width: numbers, height: numberText.height))))
        let baseline = lastLineTop + m.baseline
        let leaderStart = x + lastLineWidth + 6
        let leaderEnd = width - numberText.width - 6
        if leaderEnd - leaderStart >= 6 {
          frame.append(.line(
            from: Point(x: leaderStart, y: baseline - 1), to: Point(x: leaderEnd, y: baseline - 1),
            Paint(stroke: theme.mutedInk, lineWidth: 0.7, dash: [0.7, 2.8])))
        }
      }
      let h = m.height + Self.entryGap
      frame.append(.link(Rect(x: x, y: y, width: width - x, height: m.height), .destination(entry.destination)))
      y += h
    }
    return frame
  }
}
