import BriefingLayout
import BriefingTestSupport
import Testing

@Suite struct FlowTests {
  let measurer = FixedAdvanceMeasurer()
  let geometry = PageGeometry(paper: PaperSize.a4.portrait)

  func regionTable(rows: Int) -> TableBlock {
    TableBlock(
      caption: "Students trained by region",
      columns: [TableColumn("Region"), TableColumn("Students trained", unit: "persons", kind: .number)],
      rows: (1...rows).map { TableRow(["Region number \($0)", "\($0 * 1000)"]) } + [TableRow(["Total", "999"], kind: .total)])
  }

  func paginate(_ blocks: [any Block]) throws -> LaidOutDocument {
    try Paginator(geometry: geometry, furniture: PageFurniture(headerLeft: "Short title", footerLeft: "Source: test"))
      .paginate(blocks, metadata: DocumentMetadata(title: "T"), measuring: measurer)
  }

  @Test func longTableSplitsAndRepeatsItsHeader() throws {
    let document = try paginate([Heading("Regions", anchor: "s1"), regionTable(rows: 89)])
    #expect(document.pages.count >= 2)
    for (index, page) in document.pages.enumerated() {
      let texts = page.textRuns().map(\.run.text)
      #expect(texts.contains("Students trained, persons"), "header on page \(index + 1)")
      if index > 0 { #expect(texts.contains("Students trained by region (continued)")) }
      #expect(texts.contains("Page \(index + 1) of \(document.pages.count)"))
    }
    let allRows = document.pages.flatMap { $0.textRuns().map(\.run.text) }.filter { $0.hasPrefix("Region number ") }
    #expect(allRows.count == 89, "every row exactly once")
    // The total row is never alone at the top of a page.
    let last = document.pages[document.pages.count - 1].textRuns().map(\.run.text)
    #expect(last.contains("Total") && last.contains("Region number 89"))
  }

  @Test func nothingOverlapsOrLeavesTheMargins() throws {
    let paragraph = Paragraph(String(repeating: "Running text for the briefing wraps across lines. ", count: 40), style: Theme.bulletin.style(.body))
    let chart = Chart(
      title: "Chart", subtitle: "Students, persons", categories: (1...10).map { "Region \($0)" },
      values: (1...10).map { Double($0 * 1500) }, note: "Source")
    let document = try paginate([
      TitleBlock(title: "A title", subtitles: ["Subtitle"]), Heading("One", anchor: "a"), paragraph,
      regionTable(rows: 30), ChartBlock(chart), Heading("Two", anchor: "b"), regionTable(rows: 60),
    ])
    let page = Rect(origin: .zero, size: geometry.paper)
    for (index, p) in document.pages.enumerated() {
      #expect(GeometryCheck.textOutside(page.inset(by: EdgeInsets(all: 20)), on: p).isEmpty, "page \(index + 1)")
      #expect(GeometryCheck.overlappingText(on: p).isEmpty, "page \(index + 1): \(GeometryCheck.overlappingText(on: p).prefix(3))")
      #expect(GeometryCheck.overflowingText(on: p, measuring: measurer).isEmpty, "page \(index + 1)")
      // Body text stays inside the content area (furniture sits in the margins).
      let body = p.textRuns().filter { !["Short title", "Source: test"].contains($0.run.text) && !$0.run.text.hasPrefix("Page ") }
      #expect(body.allSatisfy { geometry.content.contains($0.bounds) }, "page \(index + 1)")
    }
    #expect(document.outline.map(\.title) == ["A title", "One", "Two"])
    // Every outline entry points at an anchor on the page it names.
    #expect(document.misplacedOutlineEntries().isEmpty, "\(document.misplacedOutlineEntries().map { "\($0.title) on page \($0.pageIndex + 1)" })")
  }

  @Test func headingNeverEndsAPageAlone() throws {
    // Fill most of the first page, then a heading followed by a table.
    let filler = Paragraph(String(repeating: "word ", count: 1500), style: Theme.bulletin.style(.body))
    let document = try paginate([filler, Heading("Lonely?", anchor: "h"), regionTable(rows: 5)])
    for page in document.pages {
      let texts = page.textRuns().map(\.run.text)
      if texts.contains("Lonely?") { #expect(texts.contains("Region number 1")) }
    }
  }

  @Test func headingMovesWhenTheNextBlockCannotReallyStartBelowIt() throws {
    // The block promises a small head but refuses every split, as a short paragraph does.
    struct Stubborn: Block {
      var tall: Double
      func height(width: Double, measuring: any TextMeasuring) -> Double { tall }
      func minimumHeadHeight(width: Double, measuring: any TextMeasuring) -> Double { 10 }
      func layout(width: Double, measuring: any TextMeasuring) -> Frame {
        Frame(size: Size(width: width, height: tall), items: [
          .text(TextRun(text: "stubborn", style: Theme.bulletin.style(.body), frame: Rect(x: 0, y: 0, width: width, height: 12)))
        ])
      }
    }
    struct Spacer: Block {
      var tall: Double
      func height(width: Double, measuring: any TextMeasuring) -> Double { tall }
      func layout(width: Double, measuring: any TextMeasuring) -> Frame { Frame(size: Size(width: width, height: tall)) }
    }
    let document = try paginate([Spacer(tall: geometry.content.height - 80), Heading("Alone?", anchor: "h"), Stubborn(tall: 70)])
    for page in document.pages {
      let texts = page.textRuns().map(\.run.text)
      if texts.contains("Alone?") { #expect(texts.contains("stubborn"), "the heading is with its block") }
    }
    // A paragraph too short to split asks for all of its lines.
    let short = Paragraph("one two three", style: Theme.bulletin.style(.body))
    #expect(short.minimumHeadHeight(width: 400, measuring: measurer) == short.height(width: 400, measuring: measurer))
  }

  @Test func paragraphSplitsBetweenLinesKeepingTwoEachSide() throws {
    let text = String(repeating: "alpha beta gamma delta ", count: 400)
    let document = try paginate([Paragraph(text, style: Theme.bulletin.style(.body))])
    #expect(document.pages.count >= 2)
    let pieces = document.pages.flatMap { $0.textRuns().map(\.run.text) }.filter { $0.hasPrefix("alpha") || $0.hasPrefix("beta") || $0.hasPrefix("gamma") || $0.hasPrefix("delta") }
    #expect(pieces.joined(separator: " ").split(separator: " ").count == text.split(separator: " ").count, "no word lost or doubled")
  }

  @Test func pageBreakStartsANewPageButNeverAnEmptyOne() throws {
    let document = try paginate([PageBreak(), Heading("One", anchor: "a"), PageBreak(), PageBreak(), Heading("Two", anchor: "b")])
    #expect(document.pages.count == 2)
    #expect(document.outline.map(\.pageIndex) == [0, 1])
  }

  @Test func blockTallerThanAPageIsAnError() {
    let chart = Chart(categories: ["a"], values: [1])
    #expect(throws: LayoutError.self) { try paginate([ChartBlock(chart, height: 2000)]) }
  }

  @Test func tableWiderThanThePageNamesColumns() {
    let table = TableBlock(
      columns: (1...12).map { TableColumn("Figure \($0)", kind: .number) } + [TableColumn("Name")],
      rows: [TableRow((1...12).map { _ in "123 456 789 012" } + ["x"])])
    #expect(throws: LayoutError.self) { try table.columnWidths(width: 400, measuring: measurer) }
  }

  @Test func rowWithWrongCellCountIsAnError() {
    let table = TableBlock(caption: "T", columns: [TableColumn("A"), TableColumn("B")], rows: [TableRow(["1"])])
    #expect(throws: LayoutError.rowHasWrongCellCount(table: "T", row: 1, expected: 2, found: 1)) { try table.validate() }
  }

  @Test func barsStartAtZeroAndScaleWithValues() {
    let chart = Chart(categories: ["a", "b"], values: [50, 100], orientation: .horizontal)
    let frame = chart.layout(size: Size(width: 400, height: 200), measuring: measurer)
    let bars = frame.items.compactMap { item -> Rect? in
      if case .rect(let r, let paint) = item, paint.fill == Theme.bulletin.barFill { return r }
      return nil
    }
    #expect(bars.count == 2)
    #expect(abs(bars[0].width * 2 - bars[1].width) < 0.001)
    #expect(bars[0].minX == bars[1].minX)
  }
}
