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

/// Flows blocks into pages: splits what can split, keeps headings with what follows, turns pages to
/// the orientation a block asks for, then adds the header and footer with "Page X of Y" once the
/// page count is known.
public struct Paginator: Sendable {
  public var geometry: PageGeometry
  public var furniture: PageFurniture
  public var theme: Theme

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
    default: "block"
    }
  }

  private func flow(_ blocks: [any Block], metadata: DocumentMetadata, measuring: any TextMeasuring) throws(LayoutError) -> LaidOutDocument {
    var bodies: [[FrameItem]] = [[]]
    var orientations = [geometry.orientation]
    var outline: [OutlineEntry] = []
    var y = 0.0
    var queue = blocks[...]
    var pageIsEmpty = true

    func newPage(_ orientation: PageOrientation) {
      bodies.append([])
      orientations.append(orientation)
      y = 0
      pageIsEmpty = true
    }

    while let block = queue.first {
      let current = orientations[orientations.count - 1]
      if block.startsNewPage {
        if !pageIsEmpty { newPage(current) }
        queue.removeFirst()
        continue
      }
      let orientation = self.orientation(of: queue.startIndex, in: queue)
      if orientation != current {
        if pageIsEmpty { orientations[orientations.count - 1] = orientation } else { newPage(orientation) }
      }
      let content = geometry.oriented(orientation).content
      let width = content.width
      let gap = pageIsEmpty ? 0 : theme.blockSpacing
      let available = content.height - y - gap
      let needed = block.height(width: width, measuring: measuring)
      var fits = needed <= available
      let nextIndex = queue.index(after: queue.startIndex)
      // A next block turned the other way goes on another page whatever happens: nothing to keep.
      if fits, block.keepsWithNext, nextIndex < queue.endIndex, self.orientation(of: nextIndex, in: queue) == orientation {
        // The next block must really start on this page, whole or as the head of a split: a
        // minimum head height alone can promise a split the block then refuses.
        let next = queue[nextIndex]
        let rest = available - needed - theme.blockSpacing
        let nextStarts =
          next.height(width: width, measuring: measuring) <= rest
          || (rest > 0 && !next.keepsWithNext && next.split(width: width, height: rest, measuring: measuring) != nil)
        fits = nextStarts || pageIsEmpty
      }
      if fits {
        place(block, at: y + gap, width: width, into: &bodies[bodies.count - 1], outline: &outline, page: bodies.count - 1, measuring: measuring)
        y += gap + needed
        pageIsEmpty = false
        queue.removeFirst()
        continue
      }
      if !block.keepsWithNext, available > 0, let pieces = block.split(width: width, height: available, measuring: measuring) {
        let h = pieces.head.height(width: width, measuring: measuring)
        place(pieces.head, at: y + gap, width: width, into: &bodies[bodies.count - 1], outline: &outline, page: bodies.count - 1, measuring: measuring)
        y += gap + h
        queue[queue.startIndex] = pieces.tail
        newPage(orientation)
        continue
      }
      if pageIsEmpty {
        throw .blockTooTall(index: queue.startIndex, kind: Self.kind(of: block), needed: needed, available: content.height)
      }
      newPage(orientation)
    }

    let count = bodies.count
    let pages = zip(bodies, orientations).enumerated().map { index, page in
      let (items, orientation) = page
      let sheet = geometry.oriented(orientation)
      var frame = Frame(size: sheet.paper)
      frame.place(Frame(size: sheet.content.size, items: items), at: sheet.content.origin)
      if index > 0 || furniture.onFirstPage {
        frame.items += furnitureItems(page: index + 1, of: count, on: sheet, measuring: measuring)
      }
      return Page(frame: frame)
    }
    return LaidOutDocument(pages: pages, outline: outline, metadata: metadata)
  }

  /// The orientation the block at `index` of `blocks` goes on: its own, else the document's. A block
  /// kept with the next one (a heading) takes the next one's, so that it moves with a landscape
  /// table to its first page instead of ending a portrait page alone.
  private func orientation(of index: Int, in blocks: ArraySlice<any Block>) -> PageOrientation {
    var index = index
    while blocks[index].orientation == nil, blocks[index].keepsWithNext,
      index + 1 < blocks.endIndex, !blocks[index + 1].startsNewPage
    {
      index += 1
    }
    return blocks[index].orientation ?? geometry.orientation
  }

  private func place(
    _ block: any Block, at y: Double, width: Double, into items: inout [FrameItem],
    outline: inout [OutlineEntry], page: Int, measuring: any TextMeasuring
  ) {
    items.append(.group(origin: Point(x: 0, y: y), block.layout(width: width, measuring: measuring)))
    if let entry = block.outlineEntry {
      outline.append(OutlineEntry(title: entry.title, destination: entry.anchor, level: entry.level, pageIndex: page))
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
