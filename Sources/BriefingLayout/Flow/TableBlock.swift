/// A booktabs-style table: a caption, a heavy top rule, a bold header with units, rows, an optional
/// total row, a heavy bottom rule. It splits between rows and repeats its header under a caption
/// such as «Продолжение табл. 2» ("Table 2 (continued)").
///
/// A short table (at most `shortTableRows` body rows) never splits: it moves to the next page
/// whole. A split leaves at least `minimumRowsAtBreak` body rows on each side.
///
/// Figures line up on their decimal separator. Rows may form groups (a group header, indented rows, a
/// subtotal) that a page break keeps together when they fit on a page. A `.change` column marks each
/// figure with an up or down triangle; a `.bar` column draws a small bar on one scale for the whole
/// table. The pieces of a split table share their column widths, separator positions and bar scale.
public struct TableBlock: Block {
  public var caption: String?
  public var columns: [TableColumn]
  public var rows: [TableRow]
  public var zebra: Bool
  public var theme: Theme
  /// Appended to the caption on the pages after the first when there is no `continuationCaption`,
  /// and to the name of a group broken by a page ("(continued)", «(продолжение)»).
  public var continuedLabel: String
  /// The caption of the pieces after the first («Продолжение табл. 2», "Table 2 (continued)");
  /// nil repeats the caption with `continuedLabel` after it.
  public var continuationCaption: String?
  /// Whether this piece continues a table begun on an earlier page.
  public var isContinuation: Bool
  /// The height of a page's content area. With it, a group that fits on a page by itself never
  /// splits: when it does not fit below earlier content the table moves on. Without it, a group is
  /// kept whole whenever an earlier break exists, and split only when nothing else would fit here.
  public var pageHeight: Double?
  /// The orientation of the pages the table goes on (`.landscape` for a table too wide for a portrait
  /// page); nil takes the document's. Set `pageHeight` to the content height of pages turned this way.
  public var orientation: PageOrientation?
  /// The rows of the whole table, set on the pieces of a split, so that every piece measures its
  /// columns, separators and bar scale on the same rows.
  var wholeTableRows: [TableRow]?
  /// The grid the whole table was measured to when it was split: the pieces reuse it instead of
  /// measuring every cell of the whole table again for each page.
  var splitGrid: TableGrid?

  public init(
    caption: String? = nil, columns: [TableColumn], rows: [TableRow], zebra: Bool = false,
    continuedLabel: String = "(continued)", continuationCaption: String? = nil, theme: Theme = .bulletin,
    pageHeight: Double? = nil, orientation: PageOrientation? = nil
  ) {
    self.caption = caption
    self.continuationCaption = continuationCaption
    self.columns = columns
    self.rows = rows
    self.zebra = zebra
    self.continuedLabel = continuedLabel
    self.theme = theme
    self.isContinuation = false
    self.pageHeight = pageHeight
    self.orientation = orientation
  }

  /// Checks that every row has one cell per column (a group header may have just its label).
  public func validate() throws(LayoutError) {
    for (index, row) in rows.enumerated() where row.cells.count != columns.count {
      if row.kind == .groupHeader, row.cells.count == 1 { continue }
      throw .rowHasWrongCellCount(table: caption ?? "untitled", row: index + 1, expected: columns.count, found: row.cells.count)
    }
  }

  // MARK: - Block

  public func height(width: Double, measuring: any TextMeasuring) -> Double {
    let grid = grid(width: width, measuring: measuring)
    return headHeight(width: width, grid: grid, measuring: measuring)
      + rows.map { rowHeight($0, grid: grid, measuring: measuring) }.reduce(0, +) + theme.heavyRule
  }

  public func minimumHeadHeight(width: Double, measuring: any TextMeasuring) -> Double {
    let grid = grid(width: width, measuring: measuring)
    let heights = rows.map { rowHeight($0, grid: grid, measuring: measuring) }
    let breaks = TableBreaks(rows: rows)
    let kept = keptGroups(breaks, heights: heights, limit: pageHeight ?? .infinity, width: width, grid: grid, measuring: measuring)
    let first =
      splits(width: width, measuring: measuring)
      ? (1..<max(rows.count, 1)).first { breaks.allowsBreak(before: $0, keeping: kept) && leavesEnoughRows(before: $0) } ?? rows.count
      : rows.count
    return headHeight(width: width, grid: grid, measuring: measuring) + heights.prefix(first).reduce(0, +) + theme.heavyRule
  }

  public func split(width: Double, height: Double, measuring: any TextMeasuring) -> BlockSplit? {
    split(width: width, height: height, measuring: measuring, forced: false)
  }

  /// A split that may break a group that would fit a page by itself, for a page that would
  /// otherwise be left less than half full; the other rules hold.
  public func forcedSplit(width: Double, height: Double, measuring: any TextMeasuring) -> BlockSplit? {
    split(width: width, height: height, measuring: measuring, forced: true)
  }

  public var footnotes: [Footnote] { rows.flatMap(\.allFootnotes).uniqued() }

  func split(width: Double, height: Double, measuring: any TextMeasuring, forced: Bool) -> BlockSplit? {
    guard let count = rowsInHead(width: width, height: height, measuring: measuring, forced: forced) else { return nil }
    var head = self
    head.rows = Array(rows[..<count])
    head.wholeTableRows = wholeTableRows ?? rows
    head.splitGrid = grid(width: width, measuring: measuring)
    var tail = head
    // A group broken by the page is named again at the top of the next one, so that its rows there
    // are not read as belonging to the group before.
    let broken = TableBreaks(rows: rows).groups.filter { $0.lowerBound < count && count <= $0.upperBound }
    let reopened = broken.map { group in
      let label = rows[group.lowerBound].cells.first ?? ""
      // A group reopened once and broken again keeps one "(continued)".
      let named = label.hasSuffix(" " + continuedLabel) ? label : "\(label) \(continuedLabel)"
      return TableRow.groupHeader(named, indent: rows[group.lowerBound].indent)
    }
    tail.rows = reopened + Array(rows[count...])
    tail.isContinuation = true
    return BlockSplit(head: head, tail: tail)
  }

  public func layout(width: Double, measuring: any TextMeasuring) -> Frame {
    let grid = grid(width: width, measuring: measuring)
    var frame = Frame(size: Size(width: width, height: height(width: width, measuring: measuring)))
    var y = 0.0
    if let captionText {
      let style = theme.style(.chartTitle)
      let h = measuring.measure(captionText, style: style, maxWidth: width).height
      frame.append(.text(TextRun(text: captionText, style: style, frame: Rect(x: 0, y: y, width: width, height: h))))
      y += h + 6
    }
    // Rules are filled rectangles, so their thickness is exact on every surface.
    let rule = Paint.filled(theme.ruleColor)
    frame.append(.rect(Rect(x: 0, y: y, width: width, height: theme.heavyRule), rule))
    y += theme.heavyRule
    y = appendHeader(at: y, grid: grid, into: &frame, measuring: measuring)
    frame.append(.rect(Rect(x: 0, y: y, width: width, height: theme.lightRule), rule))
    y += theme.lightRule
    var bodyIndex = 0
    for row in rows {
      let h = rowHeight(row, grid: grid, measuring: measuring)
      switch row.kind {
      case .total:
        frame.append(.rect(Rect(x: 0, y: y, width: width, height: theme.lightRule), rule))
      case .subtotal:
        frame.append(.rect(Rect(x: 0, y: y, width: width, height: theme.subtotalRule), rule))
      case .groupHeader:
        // Each group starts its stripes afresh.
        bodyIndex = 0
      case .body:
        if zebra, bodyIndex % 2 == 1 {
          frame.append(.rect(Rect(x: 0, y: y, width: width, height: h), .filled(theme.zebraFill)))
        }
        bodyIndex += 1
      }
      appendRow(row, at: y, height: h, width: width, grid: grid, into: &frame, measuring: measuring)
      y += h
    }
    frame.append(.rect(Rect(x: 0, y: y, width: width, height: theme.heavyRule), rule))
    return frame
  }

  var captionText: String? {
    if isContinuation, let continuationCaption { return continuationCaption }
    guard let caption else { return nil }
    return isContinuation ? "\(caption) \(continuedLabel)" : caption
  }

  /// The number a caption gives its table: "2" for «Таблица 2. …» or "Table 2: …", "П1" for
  /// «Таблица П1. …», "3.2" for «Таблица 3.2 — …»; nil when the caption does not start with such a
  /// word and number.
  public static func number(inCaption caption: String) -> String? {
    let words = ["Таблица", "Табл.", "Table", "Tab."]
    for word in words where caption.hasPrefix(word + " ") {
      // The word after it, less the punctuation that ends it: «1.», «3.2», «П1:».
      var number = caption.dropFirst(word.count + 1).prefix { !$0.isWhitespace }
      while let last = number.last, ".:;,—–-".contains(last) { number.removeLast() }
      guard !number.isEmpty, number.contains(where: \.isNumber) else { return nil }
      return String(number)
    }
    return nil
  }
}
