import BriefingLayout
import BriefingTestSupport
import Testing

/// Landscape pages inside a portrait document, as `pdflscape` makes them.
@Suite struct OrientationTests {
  let measurer = FixedAdvanceMeasurer()
  let geometry = PageGeometry(paper: PaperSize.a4.portrait)
  let furniture = PageFurniture(headerLeft: "Short title", footerLeft: "Source: test")
  var landscape: PageGeometry { geometry.oriented(.landscape) }

  /// A table of ten figure columns: too wide for a portrait A4 page, fine on a landscape one.
  func wideTable(rows: Int, orientation: PageOrientation? = .landscape) -> TableBlock {
    TableBlock(
      caption: "Wide table",
      columns: [TableColumn("Region")] + (1...10).map { TableColumn("Figure \($0)", kind: .number) },
      rows: (1...rows).map { r in TableRow(["Region \(r)"] + (1...10).map { _ in "1 234 567" }) },
      pageHeight: landscape.content.height, orientation: orientation)
  }

  func paragraph(_ words: Int) -> Paragraph {
    Paragraph(String(repeating: "word ", count: words), style: Theme.bulletin.style(.body))
  }

  func paginate(_ blocks: [any Block]) throws -> LaidOutDocument {
    try Paginator(geometry: geometry, furniture: furniture).paginate(blocks, metadata: DocumentMetadata(title: "T"), measuring: measurer)
  }

  func orientations(_ document: LaidOutDocument) -> [PageOrientation] {
    document.pages.map { $0.size.width > $0.size.height ? .landscape : .portrait }
  }

  func texts(_ page: Page) -> [String] { page.textRuns().map(\.run.text) }

  /// Every item of the page's body (the frames the blocks laid out, without the furniture).
  func bodyItems(_ page: Page) throws -> [PlacedItem] {
    let body = try #require(page.frame.items.first)
    return Page(frame: Frame(size: page.size, items: [body])).placedItems()
  }

  @Test func geometryTurnsTheSheetAndKeepsTheMargins() {
    let margins = EdgeInsets(top: 70, left: 50, bottom: 40, right: 30)
    let portrait = PageGeometry(paper: PaperSize.a4.portrait, margins: margins)
    let turned = portrait.oriented(.landscape)
    #expect(portrait.orientation == .portrait && turned.orientation == .landscape)
    #expect(turned.paper == Size(width: PaperSize.a4.portrait.height, height: PaperSize.a4.portrait.width))
    #expect(turned.margins == margins, "the top margin stays at the top")
    #expect(portrait.oriented(.portrait) == portrait)
    #expect(turned.oriented(.landscape) == turned)
    #expect(turned.oriented(.portrait) == portrait)
  }

  @Test func splitPiecesKeepTheOrientation() throws {
    let table = wideTable(rows: 40)
    #expect(TableBlock(columns: [TableColumn("A")], rows: []).orientation == nil)
    #expect(Paragraph("text", style: Theme.bulletin.style(.body)).orientation == nil)
    let split = try #require(table.split(width: landscape.content.width, height: 200, measuring: measurer))
    #expect(split.head.orientation == .landscape && split.tail.orientation == .landscape)
  }

  @Test func wideTableGoesOnLandscapePagesBetweenPortraitOnes() throws {
    let table = wideTable(rows: 45)
    #expect(throws: LayoutError.self) { try table.columnWidths(width: geometry.content.width, measuring: measurer) }
    #expect(throws: Never.self) { try table.columnWidths(width: landscape.content.width, measuring: measurer) }

    let document = try paginate([paragraph(300), table, paragraph(300)])
    #expect(orientations(document) == [.portrait, .landscape, .landscape, .portrait])
    #expect(document.pages.map(\.size) == [geometry.paper, landscape.paper, landscape.paper, geometry.paper])

    for (index, page) in document.pages.enumerated() {
      let sheet = geometry.oriented(orientations(document)[index])
      let outside = try bodyItems(page).filter { !sheet.content.contains($0.bounds) }
      #expect(outside.isEmpty, "page \(index + 1): \(outside.prefix(3).map(\.bounds))")
      #expect(GeometryCheck.textOutside(Rect(origin: .zero, size: sheet.paper).inset(by: EdgeInsets(all: 20)), on: page).isEmpty, "page \(index + 1)")
      #expect(GeometryCheck.overlappingText(on: page).isEmpty, "page \(index + 1)")
      #expect(GeometryCheck.overflowingText(on: page, measuring: measurer).isEmpty, "page \(index + 1)")
      // The furniture follows the page's own margins: header above its content, footer below.
      let runs = page.textRuns()
      let header = try #require(runs.first { $0.run.text == "Short title" })
      let label = try #require(runs.first { $0.run.text == "Page \(index + 1) of 4" })
      #expect(header.bounds.maxY < sheet.content.minY && header.bounds.minX == sheet.content.minX)
      #expect(label.bounds.minY > sheet.content.maxY && label.bounds.maxY < sheet.paper.height)
      #expect(abs(label.bounds.maxX - sheet.content.maxX) < 0.01, "page \(index + 1): the label ends at this page's right margin")
    }

    // Both landscape pages hold table rows and the header, the second under a "(continued)" caption.
    #expect(texts(document.pages[1]).contains("Wide table") && texts(document.pages[1]).contains("Figure 10"))
    #expect(texts(document.pages[2]).contains("Wide table (continued)") && texts(document.pages[2]).contains("Figure 10"))
    let rows = document.pages.flatMap(texts).filter { $0.hasPrefix("Region ") }
    #expect(rows.count == 45, "every row exactly once")
    #expect(!texts(document.pages[0]).contains { $0.hasPrefix("Region ") } && !texts(document.pages[3]).contains { $0.hasPrefix("Region ") })
    // The table takes the landscape width: its rules span the landscape content area.
    let rules = try bodyItems(document.pages[1]).filter { if case .rect = $0.item { true } else { false } }
    #expect(rules.contains { abs($0.bounds.width - landscape.content.width) < 0.01 })
  }

  @Test func headingMovesToTheLandscapePageOfItsTable() throws {
    // The heading would fit at the foot of the portrait page; it must go with its table.
    let document = try paginate([
      paragraph(300), Heading("Wide figures", anchor: "wide"), Heading("By region", level: 2, anchor: "wide-regions"),
      wideTable(rows: 10), Heading("After", anchor: "after"), paragraph(50),
    ])
    #expect(orientations(document) == [.portrait, .landscape, .portrait])
    #expect(!texts(document.pages[0]).contains("Wide figures") && !texts(document.pages[0]).contains("By region"))
    let first = try bodyItems(document.pages[1]).compactMap { placed -> (String, Double)? in
      if case .text(let run) = placed.item { return (run.text, placed.bounds.minY) }
      return nil
    }.sorted { $0.1 < $1.1 }.map(\.0)
    #expect(Array(first.prefix(3)) == ["Wide figures", "By region", "Wide table"], "the headings open the landscape page")
    #expect(texts(document.pages[2]).contains("After"), "a heading before portrait text returns to portrait")
    #expect(document.outline.map(\.pageIndex) == [1, 1, 2])
  }

  @Test func landscapeBlockOnAnEmptyPageTurnsItInsteadOfLeavingItBlank() throws {
    let alone = try paginate([wideTable(rows: 5)])
    #expect(orientations(alone) == [.landscape])
    #expect(alone.pages[0].size == landscape.paper)

    let afterBreak = try paginate([paragraph(50), PageBreak(), wideTable(rows: 5), PageBreak(), paragraph(50)])
    #expect(orientations(afterBreak) == [.portrait, .landscape, .portrait])

    // Two landscape blocks in a row share landscape pages; no portrait page comes between them.
    let twoTables = try paginate([wideTable(rows: 5), wideTable(rows: 5)])
    #expect(orientations(twoTables) == [.landscape])

    // A portrait table in a landscape document goes on a portrait page.
    let turned = try Paginator(geometry: landscape, furniture: furniture).paginate(
      [paragraph(50), wideTable(rows: 5, orientation: nil), Heading("Narrow", anchor: "n"), regionTable(orientation: .portrait)],
      metadata: DocumentMetadata(title: "T"), measuring: measurer)
    #expect(orientations(turned) == [.landscape, .portrait])
    #expect(texts(turned.pages[1]).contains("Narrow"))
  }

  func regionTable(orientation: PageOrientation?) -> TableBlock {
    TableBlock(
      caption: "Narrow table", columns: [TableColumn("Region"), TableColumn("Value", kind: .number)],
      rows: (1...5).map { TableRow(["Region \($0)", "\($0)"]) }, orientation: orientation)
  }

  @Test func outlinePointsAtThePagesTheHeadingsLandOn() throws {
    let document = try paginate([
      TitleBlock(title: "A title", subtitles: ["Subtitle"]), ContentsBlock(title: "Contents", excludedAnchors: ["title"]),
      Heading("Before", anchor: "before"), paragraph(100),
      Heading("Wide", anchor: "wide"), wideTable(rows: 40),
      Heading("After", anchor: "after"), paragraph(100),
    ])
    #expect(orientations(document) == [.portrait, .landscape, .landscape, .portrait])
    #expect(document.outline.map(\.destination) == ["title", "contents", "before", "wide", "after"])
    #expect(document.outline.map(\.pageIndex) == [0, 0, 0, 1, 3])
    #expect(document.misplacedOutlineEntries().isEmpty, "\(document.misplacedOutlineEntries().map { "\($0.title) on page \($0.pageIndex + 1)" })")
    // The contents list, filled in by the second pass, names the same pages.
    let contents = texts(document.pages[0])
    #expect(contents.filter { Int($0) != nil } == ["1", "2", "4"], "\(contents)")
  }

  @Test func blockTooTallForALandscapePageReportsTheLandscapeHeight() {
    struct TallLandscape: Block {
      func height(width: Double, measuring: any TextMeasuring) -> Double { 600 }
      func layout(width: Double, measuring: any TextMeasuring) -> Frame { Frame(size: Size(width: width, height: 600)) }
      var orientation: PageOrientation? { .landscape }
    }
    #expect(throws: LayoutError.blockTooTall(index: 1, kind: "block", needed: 600, available: landscape.content.height)) {
      try paginate([paragraph(20), TallLandscape()])
    }
    // The same height fits a portrait page.
    struct TallPortrait: Block {
      func height(width: Double, measuring: any TextMeasuring) -> Double { 600 }
      func layout(width: Double, measuring: any TextMeasuring) -> Frame { Frame(size: Size(width: width, height: 600)) }
    }
    #expect(throws: Never.self) { try paginate([TallPortrait()]) }
  }
}
