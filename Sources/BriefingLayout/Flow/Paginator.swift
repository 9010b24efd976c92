/// The running furniture of every page: a header line, a footer line with the page number.
public struct PageFurniture: Sendable {
  /// Text at the top left of each page (usually the short document title).
  public var headerLeft: String?
  /// Text at the top right of each page.
  public var headerRight: String?
  /// Text at the bottom left of each page (usually the source line).
  public var footerLeft: String?
  /// Makes the page label from the 1-based page number and the page count ("Page 2 of 5").
  public var pageLabel: @Sendable (_ page: Int, _ of: Int) -> String
  /// Whether the first page carries the header (a cover page does not).
  public var onFirstPage: Bool

  public init(
    headerLeft: String? = nil, headerRight: String? = nil, footerLeft: String? = nil,
    pageLabel: @escaping @Sendable (Int, Int) -> String = { "Page \($0) of \($1)" }, onFirstPage: Bool = true
  ) {
    self.headerLeft = headerLeft
    self.headerRight = headerRight
    self.footerLeft = footerLeft
    self.pageLabel = pageLabel
    self.onFirstPage = onFirstPage
  }
}

/// The sheet and its margins.
public struct PageGeometry: Hashable, Sendable {
  public var paper: Size
  public var margins: EdgeInsets

  public init(paper: Size, margins: EdgeInsets = EdgeInsets(top: 62, left: 56, bottom: 62, right: 56)) {
    self.paper = paper
    self.margins = margins
  }

  /// The area blocks flow into.
  public var content: Rect { Rect(origin: .zero, size: paper).inset(by: margins) }

  /// Landscape when the sheet is wider than tall, portrait otherwise.
  public var orientation: PageOrientation { paper.width > paper.height ? .landscape : .portrait }

  /// The same sheet turned to `orientation`, with the same margins (the top margin stays at the top).
  public func oriented(_ orientation: PageOrientation) -> PageGeometry {
    guard orientation != self.orientation else { return self }
    return PageGeometry(paper: Size(width: paper.height, height: paper.width), margins: margins)
  }
}

/// Flows blocks into pages: splits what can split, keeps headings with what follows, lets figures
/// wait for the next page while text fills the room they leave, sets footnotes at the foot of the
/// page their markers land on, turns pages to the orientation a block asks for, then adds the
/// header and footer with "Page X of Y" once the page count is known.
///
/// The rules, in the order they are tried for each block:
/// - A heading (or a chain of heading, subheading, …) starts a page only together with the block
///   after it, whole or as the head of a split (two lines of a paragraph, three rows of a table).
/// - A figure (`Block.isFloat`: a chart, a row of key figures) that does not fit the room left
///   waits for the top of the next page; running text after it (`movesAheadOfFigures`) moves up
///   and fills the room. Anything else after it (a heading, a table, another figure) ends the page.
/// - A block that does not fit splits if it can (a table with its rules of rows, a paragraph
///   between lines), else moves to the next page whole.
/// - A page less than half full is not left that way while there is a way to fill it: a split
///   may break a group of rows kept together (`forcedSplit`), and blocks other than figures may
///   move ahead of a waiting figure. A page break, a turn of orientation or the end of the
///   document may still end a page early, and so may a figure taller than the room left with
///   another figure after it.
public struct Paginator: Sendable {
  public var geometry: PageGeometry
  public var furniture: PageFurniture
  public var theme: Theme
  /// The part of the content height below which a page counts as half empty.
  public var minimumFill: Double = 0.5

  public init(geometry: PageGeometry, furniture: PageFurniture, theme: Theme = .bulletin) {
    self.geometry = geometry
    self.furniture = furniture
    self.theme = theme
  }

  /// Lays `blocks` out into pages; throws when a block that cannot split is taller than a page.
  ///
  /// Blocks that list page numbers (`PageReferencing`) are filled in by a second pass.
  public func paginate(_ blocks: [any Block], metadata: DocumentMetadata, measuring: any TextMeasuring) throws(LayoutError) -> LaidOutDocument {
    guard blocks.contains(where: { $0 is any PageReferencing }) else { return try flow(blocks, metadata: metadata, measuring: measuring) }
    let headings = blocks.compactMap(\.outlineEntry).map { OutlineEntry(title: $0.title, destination: $0.anchor, level: $0.level, pageIndex: 0) }
    let provisional = blocks.map { ($0 as? any PageReferencing)?.resolving(headings, final: false) ?? $0 }
    let first = try flow(provisional, metadata: metadata, measuring: measuring)
    let resolved = blocks.map { ($0 as? any PageReferencing)?.resolving(first.outline, final: true) ?? $0 }
    let second = try flow(resolved, metadata: metadata, measuring: measuring)
    // Same entries, same heights: a heading that moved would mean a wrong number in the list.
    assert(second.outline == first.outline, "the contents changed height between passes")
    return second
  }

  /// What a block is, in a message's words.
  static func kind(of block: any Block) -> String {
    switch block {
    case is ChartBlock: "chart"
    case is TableBlock: "table"
    case is Paragraph: "paragraph"
    case is Heading: "heading"
    case is KPIBlock: "row of key figures"
    default: "block"
    }
  }

  // MARK: - Footnotes

  /// The space between the body and the footnotes' rule.
  static let footnoteSeparation = 10.0
  /// The length of the short rule above the footnotes.
  static let footnoteRuleLength = 72.0
  /// The space between the rule and the first footnote, and between two footnotes.
  static let footnoteGap = 3.0

  /// The height the footnotes `notes` take at the foot of a page `width` wide, with the rule and
  /// the space above it; 0 for none.
  func footnoteHeight(_ notes: [Footnote], width: Double, measuring: any TextMeasuring) -> Double {
    guard !notes.isEmpty else { return 0 }
    let indent = footnoteIndent(notes, measuring: measuring)
    let style = theme.style(.footnote)
    let texts = notes.map { measuring.measure($0.text, style: style, maxWidth: max(width - indent, 1)).height }
    return Self.footnoteSeparation + theme.lightRule + Self.footnoteGap + texts.reduce(0, +) + Double(notes.count - 1) * Self.footnoteGap
  }

  /// The room left of the footnotes' text for their markers.
  private func footnoteIndent(_ notes: [Footnote], measuring: any TextMeasuring) -> Double {
    let style = theme.style(.footnote)
    let widest = notes.map { note in
      measuring.measure(note.marker, style: style, maxWidth: nil, superscripts: [0..<note.marker.utf8.count]).width
    }.max() ?? 0
    return widest + 0.4 * style.size
  }

  /// The footnotes `notes` laid out `width` wide: the rule at the top, then each note with its
  /// marker raised in the room left of its text.
  func footnoteFrame(_ notes: [Footnote], width: Double, measuring: any TextMeasuring) -> Frame {
    let height = footnoteHeight(notes, width: width, measuring: measuring)
    var frame = Frame(size: Size(width: width, height: height))
    let rule = Self.footnoteSeparation
    frame.append(.rect(Rect(x: 0, y: rule, width: min(Self.footnoteRuleLength, width), height: theme.lightRule), .filled(theme.ruleColor)))
    let style = theme.style(.footnote)
    let indent = footnoteIndent(notes, measuring: measuring)
    var y = rule + theme.lightRule + Self.footnoteGap
    for (index, note) in notes.enumerated() {
      if index > 0 { y += Self.footnoteGap }
      let text = measuring.measure(note.text, style: style, maxWidth: max(width - indent, 1))
      let markerRange = 0..<note.marker.utf8.count
      let marker = measuring.measure(note.marker, style: style, maxWidth: nil, superscripts: [markerRange])
      frame.append(.text(TextRun(
        text: note.marker, style: style, frame: Rect(x: 0, y: y, width: marker.width, height: marker.height), superscripts: [markerRange])))
      frame.append(.text(TextRun(text: note.text, style: style, frame: Rect(x: indent, y: y, width: max(width - indent, 1), height: text.height))))
      y += text.height
    }
    return frame
  }

  // MARK: - Flow

  /// A block waiting to be placed, with its position in the document (for messages).
  private struct Entry {
    var index: Int
    var block: any Block
  }

  /// A page being filled.
  private struct PageInProgress {
    var items: [FrameItem] = []
    var orientation: PageOrientation
    /// The height the blocks take so far.
    var y = 0.0
    var isEmpty = true
    /// The footnotes of the markers on the page, in order.
    var notes: [Footnote] = []
    var ending = PageEnding.end
  }

  private func flow(_ blocks: [any Block], metadata: DocumentMetadata, measuring: any TextMeasuring) throws(LayoutError) -> LaidOutDocument {
    var pages = [PageInProgress(orientation: geometry.orientation)]
    var outline: [OutlineEntry] = []
    var queue = blocks.enumerated().map { Entry(index: $0.offset, block: $0.element) }
    // Figures waiting for the top of the next page, in order.
    var waiting: [Entry] = []

    func newPage(_ orientation: PageOrientation, ending: PageEnding) {
      pages[pages.count - 1].ending = ending
      pages.append(PageInProgress(orientation: orientation))
      // Figures that waited go first on the new page.
      queue.insert(contentsOf: waiting, at: 0)
      waiting.removeAll()
    }

    while !queue.isEmpty || !waiting.isEmpty {
      guard let entry = queue.first else {
        newPage(pages[pages.count - 1].orientation, ending: .flow)
        continue
      }
      let block = entry.block
      let page = pages[pages.count - 1]
      let current = page.orientation
      if block.startsNewPage {
        // A waiting figure goes before the break, on a page of its own.
        if !waiting.isEmpty {
          newPage(current, ending: .flow)
          continue
        }
        if !page.isEmpty { newPage(current, ending: .pageBreak) }
        queue.removeFirst()
        continue
      }
      let orientation = self.orientation(of: 0, in: queue)
      if orientation != current {
        if !waiting.isEmpty {
          newPage(current, ending: .flow)
          continue
        }
        if page.isEmpty { pages[pages.count - 1].orientation = orientation } else { newPage(orientation, ending: .orientation) }
      }
      let content = geometry.oriented(orientation).content
      let width = content.width
      let capacity = content.height
      let gap = pages[pages.count - 1].isEmpty ? 0 : theme.blockSpacing
      let y = pages[pages.count - 1].y
      let notes = pages[pages.count - 1].notes
      let pageIsEmpty = pages[pages.count - 1].isEmpty
      /// Whether the page would be less than half full with its blocks ending at `bottom`.
      func isHalfEmpty(below bottom: Double) -> Bool {
        bottom + footnoteHeight(notes, width: width, measuring: measuring) < minimumFill * capacity
      }
      let halfEmpty = isHalfEmpty(below: y)

      // What runs ahead of a waiting figure: text, or anything but another figure on a page
      // that would otherwise be left half empty.
      if !waiting.isEmpty, !(block.movesAheadOfFigures || (halfEmpty && !block.isFloat)) {
        newPage(orientation, ending: .flow)
        continue
      }

      /// Whether `candidate` fits whole with its top at `top`, its footnotes at the foot.
      func fitsWhole(_ candidate: any Block, top: Double) -> Bool {
        let h = candidate.height(width: width, measuring: measuring)
        return top + h + footnoteHeight((notes + candidate.footnotes).uniqued(), width: width, measuring: measuring) <= capacity + 1e-9
      }
      /// A split of `candidate` whose head fits with its top at `top`, its footnotes at the foot.
      func fittingSplit(_ candidate: any Block, top: Double, forced: Bool) -> BlockSplit? {
        var room = capacity - top - footnoteHeight(notes, width: width, measuring: measuring)
        for _ in 0..<8 {
          guard room > 0 else { return nil }
          let pieces =
            forced
            ? candidate.forcedSplit(width: width, height: room, measuring: measuring)
            : candidate.split(width: width, height: room, measuring: measuring)
          guard let pieces else { return nil }
          let h = pieces.head.height(width: width, measuring: measuring)
          let foot = footnoteHeight((notes + pieces.head.footnotes).uniqued(), width: width, measuring: measuring)
          if top + h + foot <= capacity + 1e-9 { return pieces }
          // The head's footnotes take room: ask again for less.
          room = min(room - 1, capacity - top - foot)
        }
        return nil
      }
      /// Whether `candidate` can start with its top at `top`: whole, or as the head of a split.
      func starts(_ candidate: any Block, top: Double) -> Bool {
        if fitsWhole(candidate, top: top) { return true }
        guard !candidate.keepsWithNext else { return false }
        // Forced only where placing it will be: when the page above it is still half empty.
        return fittingSplit(candidate, top: top, forced: false) != nil
          || (isHalfEmpty(below: top - theme.blockSpacing) && fittingSplit(candidate, top: top, forced: true) != nil)
      }

      let needed = block.height(width: width, measuring: measuring)
      if block.keepsWithNext {
        // The chain of headings, then the block they introduce, must start on this page.
        var top = y + gap + needed
        var next = 1
        while next < queue.count, queue[next].block.keepsWithNext, !queue[next].block.startsNewPage,
          self.orientation(of: next, in: queue) == orientation
        {
          top += theme.blockSpacing + queue[next].block.height(width: width, measuring: measuring)
          next += 1
        }
        var chainFits = top + footnoteHeight(notes, width: width, measuring: measuring) <= capacity + 1e-9
        var deferred: Int?
        // A next block turned the other way goes on another page whatever happens: nothing to keep.
        if chainFits, next < queue.count, !queue[next].block.startsNewPage, self.orientation(of: next, in: queue) == orientation {
          var introduced = queue[next].block
          // A figure that does not fit may wait for the next page while the text after it
          // starts here under its heading.
          if introduced.isFloat, !fitsWhole(introduced, top: top + theme.blockSpacing), next + 1 < queue.count,
            queue[next + 1].block.movesAheadOfFigures, self.orientation(of: next + 1, in: queue) == orientation
          {
            deferred = next
            introduced = queue[next + 1].block
          }
          chainFits = starts(introduced, top: top + theme.blockSpacing)
        }
        if !chainFits, !pageIsEmpty {
          newPage(orientation, ending: .flow)
          continue
        }
        if chainFits, let deferred { waiting.append(queue.remove(at: deferred)) }
        place(block, at: y + gap, width: width, into: &pages[pages.count - 1], outline: &outline, page: pages.count - 1, measuring: measuring)
        pages[pages.count - 1].y = y + gap + needed
        queue.removeFirst()
        continue
      }

      if fitsWhole(block, top: y + gap) {
        place(block, at: y + gap, width: width, into: &pages[pages.count - 1], outline: &outline, page: pages.count - 1, measuring: measuring)
        pages[pages.count - 1].y = y + gap + needed
        queue.removeFirst()
        continue
      }
      let pieces = fittingSplit(block, top: y + gap, forced: false) ?? (halfEmpty ? fittingSplit(block, top: y + gap, forced: true) : nil)
      if let pieces {
        let h = pieces.head.height(width: width, measuring: measuring)
        place(pieces.head, at: y + gap, width: width, into: &pages[pages.count - 1], outline: &outline, page: pages.count - 1, measuring: measuring)
        pages[pages.count - 1].y = y + gap + h
        queue[0].block = pieces.tail
        newPage(orientation, ending: .flow)
        continue
      }
      if block.isFloat, !pageIsEmpty {
        waiting.append(queue.removeFirst())
        continue
      }
      if pageIsEmpty {
        // Its footnotes count: they must go on its page.
        let total = needed + footnoteHeight(block.footnotes, width: width, measuring: measuring)
        throw .blockTooTall(index: entry.index, kind: Self.kind(of: block), needed: total, available: capacity)
      }
      newPage(orientation, ending: .flow)
    }

    let count = pages.count
    var summaries: [PageSummary] = []
    let laidOut = pages.enumerated().map { index, page in
      let sheet = geometry.oriented(page.orientation)
      var frame = Frame(size: sheet.paper)
      var body = Frame(size: sheet.content.size, items: page.items)
      let footHeight = footnoteHeight(page.notes, width: sheet.content.width, measuring: measuring)
      if !page.notes.isEmpty {
        body.place(footnoteFrame(page.notes, width: sheet.content.width, measuring: measuring), at: Point(x: 0, y: sheet.content.height - footHeight))
      }
      frame.place(body, at: sheet.content.origin)
      if index > 0 || furniture.onFirstPage {
        frame.items += furnitureItems(page: index + 1, of: count, on: sheet, measuring: measuring)
      }
      summaries.append(PageSummary(
        contentHeight: sheet.content.height, bodyHeight: page.y, footnoteHeight: footHeight, footnoteMarkers: page.notes.map(\.marker),
        ending: page.ending))
      return Page(frame: frame)
    }
    return LaidOutDocument(pages: laidOut, outline: outline, metadata: metadata, pageSummaries: summaries)
  }

  /// The orientation the block at `index` of `blocks` goes on: its own, else the document's. A block
  /// kept with the next one (a heading) takes the next one's, so that it moves with a landscape
  /// table to its first page instead of ending a portrait page alone.
  private func orientation(of index: Int, in blocks: [Entry]) -> PageOrientation {
    var index = index
    while blocks[index].block.orientation == nil, blocks[index].block.keepsWithNext,
      index + 1 < blocks.endIndex, !blocks[index + 1].block.startsNewPage
    {
      index += 1
    }
    return blocks[index].block.orientation ?? geometry.orientation
  }

  private func place(
    _ block: any Block, at y: Double, width: Double, into page: inout PageInProgress,
    outline: inout [OutlineEntry], page index: Int, measuring: any TextMeasuring
  ) {
    page.items.append(.group(origin: Point(x: 0, y: y), block.layout(width: width, measuring: measuring)))
    page.isEmpty = false
    page.notes = (page.notes + block.footnotes).uniqued()
    if let entry = block.outlineEntry {
      outline.append(OutlineEntry(title: entry.title, destination: entry.anchor, level: entry.level, pageIndex: index))
    }
  }

  /// The header rule and texts above the content area of `sheet` and the footer below it.
  func furnitureItems(page: Int, of count: Int, on sheet: PageGeometry, measuring: any TextMeasuring) -> [FrameItem] {
    let content = sheet.content
    var items: [FrameItem] = []
    let headerStyle = theme.style(.pageHeader)
    let footerStyle = theme.style(.pageFooter)
    let lineHeight = measuring.measure("Ag", style: headerStyle, maxWidth: nil).height
    let half = content.width / 2 - 6

    let headerRule = content.minY - 14
    if furniture.headerLeft != nil || furniture.headerRight != nil {
      if let left = furniture.headerLeft {
        items.append(.text(TextRun(text: left, style: headerStyle, frame: Rect(x: content.minX, y: headerRule - 4 - lineHeight, width: half, height: lineHeight))))
      }
      if let right = furniture.headerRight {
        items.append(.text(TextRun(
          text: right, style: headerStyle.with { $0.alignment = .trailing },
          frame: Rect(x: content.maxX - half, y: headerRule - 4 - lineHeight, width: half, height: lineHeight))))
      }
      items.append(.rect(Rect(x: content.minX, y: headerRule, width: content.width, height: theme.lightRule), .filled(theme.gridColor)))
    }

    let footerRule = content.maxY + 14
    items.append(.rect(Rect(x: content.minX, y: footerRule, width: content.width, height: theme.lightRule), .filled(theme.gridColor)))
    let label = furniture.pageLabel(page, count)
    let labelWidth = min(measuring.measure(label, style: footerStyle, maxWidth: nil).width, half)
    if let left = furniture.footerLeft {
      items.append(.text(TextRun(
        text: left, style: footerStyle,
        frame: Rect(x: content.minX, y: footerRule + 4, width: content.width - labelWidth - 12, height: lineHeight))))
    }
    items.append(.text(TextRun(
      text: label, style: footerStyle.with { $0.alignment = .trailing },
      frame: Rect(x: content.maxX - labelWidth, y: footerRule + 4, width: labelWidth, height: lineHeight))))
    return items
  }
}
