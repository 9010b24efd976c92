import BriefingLayout
import BriefingTestSupport
import Testing

/// Blocks of a realistic briefing, and what a laid-out page says about them.
enum PageFixtures {
  static let theme = Theme.bulletin
  static let geometry = PageGeometry(paper: PaperSize.a4.portrait)
  static let furniture = PageFurniture(headerLeft: "Short title", footerLeft: "Source: test")

  static func paginate(_ blocks: [any Block], measuring: any TextMeasuring = FixedAdvanceMeasurer()) throws -> LaidOutDocument {
    try Paginator(geometry: geometry, furniture: furniture).paginate(blocks, metadata: DocumentMetadata(title: "T"), measuring: measuring)
  }

  /// An empty block of a given height (whatever came before on the page).
  struct Spacer: Block {
    var tall: Double
    func height(width: Double, measuring: any TextMeasuring) -> Double { tall }
    func layout(width: Double, measuring: any TextMeasuring) -> Frame {
      Frame(size: Size(width: width, height: tall), items: [.rect(Rect(x: 0, y: 0, width: width, height: tall), .filled(.white))])
    }
  }

  static func paragraph(_ words: Int, _ seed: String = "word") -> Paragraph {
    Paragraph((0..<words).map { "\(seed)\($0 % 7)" }.joined(separator: " "), style: theme.style(.body))
  }

  static func note(_ text: String) -> Paragraph { Paragraph(text, style: theme.style(.note)) }

  /// A table of `rows` regions (body rows "Region N"), with a total row.
  static func table(_ caption: String, rows: Int, number: String? = nil, notes: [Int: Footnote] = [:]) -> TableBlock {
    TableBlock(
      caption: caption,
      columns: [TableColumn("Region"), TableColumn("Students", unit: "persons", kind: .number)],
      rows: (1...rows).map { index in
        TableRow(["Region \(index)", "\(index * 1000)"], footnotes: notes[index].map { [1: [$0]] } ?? [:])
      } + [TableRow(["Total", "999"], kind: .total)],
      continuationCaption: number.map { "Table \($0) (continued)" }, pageHeight: geometry.content.height)
  }

  /// The 89 regions in eight districts, each with a subtotal, and a total: the appendix table.
  static func groupedTable(notes: [Int: Footnote] = [:]) -> TableBlock {
    let sizes = [18, 11, 8, 7, 14, 6, 10, 15]
    var rows: [TableRow] = []
    var region = 0
    for (district, size) in sizes.enumerated() {
      rows.append(.groupHeader("District \(district + 1)"))
      for _ in 0..<size {
        region += 1
        rows.append(TableRow(["Region \(region)", "\(region * 37)", "1.\(region % 10)"], indent: 1, footnotes: notes[region].map { [0: [$0]] } ?? [:]))
      }
      rows.append(.subtotal(["Subtotal", "\(size * 100)", "9.9"], indent: 1))
    }
    rows.append(TableRow(["Total", "89000", "100.0"], kind: .total))
    return TableBlock(
      caption: "Table A1. Students by district", columns: [TableColumn("Region"), TableColumn("2025", kind: .number), TableColumn("Share", unit: "%", kind: .number)],
      rows: rows, zebra: true, continuationCaption: "Table A1 (continued)", pageHeight: geometry.content.height)
  }

  static func chart(_ title: String, bars: Int, vertical: Bool = false, height: Double? = nil, floats: Bool = true) -> ChartBlock {
    let chart = Chart(
      title: title, subtitle: "Students, persons", categories: (1...bars).map { "Region \($0)" },
      values: (1...bars).map { Double($0 * 1500) }, orientation: vertical ? .vertical : .horizontal, note: "Source")
    return ChartBlock(chart, height: height, pageHeight: geometry.content.height, floats: floats)
  }

  static func kpis(notes: [Footnote] = []) -> KPIBlock {
    KPIBlock(tiles: [
      .init(label: "Students trained", figure: "623 479", unit: "persons", change: "+26.9%", direction: .increase, comparison: "vs 2024", notes: notes),
      .init(label: "Funding", figure: "215.4", unit: "RUB bn", change: "+3.1%", direction: .increase, comparison: "vs 2024"),
      .init(label: "Jobs created", figure: "75 836", unit: "jobs"),
    ])
  }

  /// A briefing as the default layout makes one, the text before the first table `lead` words long.
  static func briefing(lead: Int, notes: Bool = false) -> [any Block] {
    var numbering = FootnoteNumbering()
    let source = notes ? [numbering.next("Source: Ministry of Education, «Professionalism» press release, 15 January 2026. «More than 1,600 enterprises took part in the programme in 2025, from 75 regions of the country.»")] : []
    let paragraphNote = notes ? numbering.next("Source: Government of the Russian Federation, report on the programme, 2025.") : nil
    let rowNote = notes ? numbering.next("Source: regional ministry, 2025. «The figure includes the graduates of the colleges of the cluster.»") : nil
    var blocks: [any Block] = [
      TitleBlock(title: "Personnel training for industry", subtitles: ["Russia's regions, 2025"]),
      kpis(notes: source),
      Heading("Professionalism", anchor: "s1"),
      paragraph(lead),
      table("Table 1. Students trained", rows: 11, number: "1", notes: rowNote.map { [4: $0] } ?? [:]),
      chart("Figure 1. Top ten regions", bars: 11),
      Heading("Funding", anchor: "s2"),
    ]
    if let paragraphNote {
      blocks.append(Paragraph([.text("Funding of each programme in 2025, in billions of roubles"), .footnote(paragraphNote), .text(", by all regions taking part.")], style: theme.style(.body)))
    } else {
      blocks.append(paragraph(30))
    }
    blocks += [
      table("Table 2. Funding", rows: 6, number: "2"),
      note("Shares may not add up to 100% because of rounding."),
      chart("Figure 2. By year", bars: 4, vertical: true, height: 230),
      paragraph(90, "after"),
      Heading("Published sources", anchor: "s3"),
      Heading("Enterprises", level: 2, anchor: "s3a"),
      paragraph(60, "src"),
      table("Table 3. Enterprises", rows: 3, number: "3"),
      chart("Figure 3. Thirty regions", bars: 30),
      paragraph(120, "more"),
      chart("Figure 4. Twenty regions", bars: 20),
      Heading("Regions", anchor: "s4"),
      paragraph(50, "reg"),
      table("Table 4. Forty regions", rows: 40, number: "4"),
      PageBreak(),
      Heading("Appendix. All regions", anchor: "s5"),
      paragraph(40, "app"),
      groupedTable(notes: rowNote.map { [30: $0, 31: $0] } ?? [:]),
      chart("Figure 5. All regions", bars: 89),
    ]
    return blocks
  }

  /// The text runs inside the content area, furniture left out, with page coordinates.
  static func bodyRuns(_ page: Page) -> [(run: TextRun, bounds: Rect)] {
    let content = geometry.oriented(page.size.width > page.size.height ? .landscape : .portrait).content
    return page.textRuns().filter { content.insetBy(dx: -0.5, dy: -0.5).contains($0.bounds) }
  }

  /// The top of the footnote area of `page` in page coordinates, nil without footnotes.
  static func footnoteTop(_ summary: PageSummary) -> Double? {
    summary.footnoteHeight > 0 ? geometry.content.maxY - summary.footnoteHeight : nil
  }

  static func isHeading(_ run: TextRun) -> Bool {
    run.style == theme.style(.heading1) || run.style == theme.style(.heading2)
  }
}

@Suite struct PageRulesTests {
  typealias F = PageFixtures
  let measurer = FixedAdvanceMeasurer()
  var content: Rect { F.geometry.content }

  /// The pages that show text starting with `prefix`.
  func pages(showing prefix: String, in document: LaidOutDocument) -> [Int] {
    document.pages.indices.filter { index in document.pages[index].textRuns().contains { $0.run.text.hasPrefix(prefix) } }
  }

  /// The body rows of a region table on each page ("Region N" runs), by page.
  func regionRows(_ document: LaidOutDocument) -> [Int] {
    document.pages.map { page in page.textRuns().filter { $0.run.text.hasPrefix("Region ") && !$0.run.text.contains("Students") }.count }
  }

  // MARK: - Tables

  @Test(arguments: [1, 4, 8])
  func aShortTableNeverSplitsButMovesWhole(rows: Int) throws {
    // Whatever room the first page leaves, the rows of a short table stay together.
    for filler in stride(from: content.height - 200, through: content.height - 20, by: 9) {
      let document = try F.paginate([F.Spacer(tall: filler), F.table("Short", rows: rows)])
      let counts = regionRows(document).filter { $0 > 0 }
      #expect(counts == [rows], "filler \(filler): rows by page \(counts)")
    }
  }

  @Test(arguments: [9, 12, 20, 40, 89])
  func aSplitLeavesThreeBodyRowsOnEachSide(rows: Int) throws {
    for filler in stride(from: content.height / 2, through: content.height - 20, by: 11) {
      let document = try F.paginate([F.Spacer(tall: filler), F.table("Table 7. Long", rows: rows, number: "7")])
      let counts = regionRows(document).filter { $0 > 0 }
      #expect(counts.reduce(0, +) == rows, "every row once")
      #expect(counts.allSatisfy { $0 >= TableBlock.minimumRowsAtBreak }, "filler \(filler): rows by page \(counts)")
      // The pieces after the first are captioned as a continuation, with the header repeated.
      for page in pages(showing: "Region ", in: document).dropFirst() {
        let texts = document.pages[page].textRuns().map(\.run.text)
        #expect(texts.contains("Table 7 (continued)") && texts.contains("Students, persons"), "page \(page + 1)")
        #expect(!texts.contains("Table 7. Long"))
      }
    }
  }

  @Test func aGroupedTableNeverBreaksAGroupThatFitsAPageUnlessThePageWouldBeHalfEmpty() throws {
    for filler in stride(from: 0.0, through: content.height - 40, by: 23) {
      let document = try F.paginate([F.Spacer(tall: filler), F.groupedTable()])
      let reopened = document.pages.flatMap { $0.textRuns().map(\.run.text) }.filter { $0.hasSuffix("(continued)") && $0.hasPrefix("District") }
      for (index, summary) in document.pageSummaries.enumerated() where summary.ending == .flow {
        #expect(summary.fill >= 0.5, "filler \(filler): page \(index + 1) is \(Int(summary.fill * 100)) % full")
      }
      // A district is broken only where keeping it would have left a page half empty: on the
      // first page, when it starts low.
      if filler < content.height / 2 - 120 { #expect(reopened.isEmpty, "filler \(filler): \(reopened)") }
      // Both sides of a broken district keep three regions.
      let rows = regionRows(document).filter { $0 > 0 }
      #expect(rows.allSatisfy { $0 >= 3 }, "filler \(filler): \(rows)")
    }
  }

  @Test func theNumberOfATableComesFromItsCaption() {
    #expect(TableBlock.number(inCaption: "Таблица 1. Обучено студентов") == "1")
    #expect(TableBlock.number(inCaption: "Таблица П1. Обучено студентов по всем программам") == "П1")
    #expect(TableBlock.number(inCaption: "Table 12: Funding") == "12")
    #expect(TableBlock.number(inCaption: "Табл. 3.2. Доли") == "3.2")
    #expect(TableBlock.number(inCaption: "Таблица 3.2 — Доли") == "3.2")
    #expect(TableBlock.number(inCaption: "Таблица 4") == "4")
    #expect(TableBlock.number(inCaption: "Funding by programme") == nil)
    #expect(TableBlock.number(inCaption: "Таблица регионов") == nil)
  }

  // MARK: - Headings

  @Test func aChainOfHeadingsMovesWithTheFirstLinesOrRowsOfWhatFollows() throws {
    let followers: [(String, any Block, (Page) -> Bool)] = [
      ("paragraph", F.paragraph(200), { page in page.textRuns().contains { $0.run.text.hasPrefix("word0") } }),
      ("table", F.table("Long table", rows: 30), { page in page.textRuns().filter { $0.run.text.hasPrefix("Region ") }.count >= 3 }),
      ("chart", F.chart("A chart", bars: 6), { page in page.textRuns().contains { $0.run.text == "A chart" } }),
    ]
    for (name, follower, showsIt) in followers {
      for filler in stride(from: content.height - 260, through: content.height - 10, by: 5) {
        let document = try F.paginate([
          F.Spacer(tall: filler), Heading("Section", anchor: "h1"), Heading("Subsection", level: 2, anchor: "h2"), follower,
        ])
        let headingPages = pages(showing: "Section", in: document)
        #expect(headingPages == pages(showing: "Subsection", in: document), "\(name), filler \(filler): heading and subheading together")
        for index in headingPages { #expect(showsIt(document.pages[index]), "\(name), filler \(filler): page \(index + 1)") }
      }
    }
  }

  @Test func aHeadingIsNeverTheLastThingOnAPage() throws {
    func check(_ document: LaidOutDocument, _ label: String) {
      for (index, page) in document.pages.enumerated() {
        let lowest = F.bodyRuns(page).max { $0.bounds.maxY < $1.bounds.maxY }
        if let lowest { #expect(!F.isHeading(lowest.run), "\(label): page \(index + 1) ends with “\(lowest.run.text)”") }
      }
    }
    for lead in stride(from: 0, through: 600, by: 37) {
      check(try F.paginate(F.briefing(lead: lead)), "lead \(lead)")
    }
    // Around half a page, where a split may break a district to fill the page.
    for filler in stride(from: 0.0, through: content.height - 30, by: 13) {
      check(try F.paginate([F.Spacer(tall: filler), Heading("Appendix", anchor: "a"), F.groupedTable()]), "filler \(filler)")
      check(try F.paginate([F.Spacer(tall: filler), Heading("Figures", anchor: "f"), F.chart("Figure 9. Many", bars: 24), F.paragraph(80)]), "filler \(filler)")
    }
  }

  // MARK: - Figures

  @Test func aFigureThatDoesNotFitWaitsAndTheTextAfterItFillsThePage() throws {
    let spacer = F.Spacer(tall: content.height * 0.6)
    let floating = try F.paginate([spacer, F.chart("Figure 1. Thirty regions", bars: 30), F.paragraph(400), Heading("Next", anchor: "n")])
    // The paragraph starts on the first page, under the spacer; the figure heads the second.
    #expect(pages(showing: "word0", in: floating).first == 0)
    #expect(pages(showing: "Figure 1.", in: floating) == [1])
    let second = floating.pages[1].textRuns()
    let figureTop = second.first { $0.run.text.hasPrefix("Figure 1.") }?.bounds.minY ?? 0
    let textTop = second.filter { $0.run.text.hasPrefix("word") }.map(\.bounds.minY).min() ?? 0
    #expect(figureTop < textTop, "the figure goes above the rest of the text")
    #expect(floating.pageSummaries[0].fill > 0.9)

    // With float: false the document's order holds.
    let strict = try F.paginate([spacer, F.chart("Figure 1. Thirty regions", bars: 30, floats: false), F.paragraph(400)])
    #expect(pages(showing: "word0", in: strict).first == 1)
  }

  @Test func aHeadingDoesNotOvertakeAWaitingFigureOnAPageMoreThanHalfFull() throws {
    let document = try F.paginate([
      F.Spacer(tall: content.height * 0.7), F.chart("Figure 1. Thirty regions", bars: 30), F.paragraph(12), Heading("Next section", anchor: "n"),
      F.paragraph(40),
    ])
    let figure = pages(showing: "Figure 1.", in: document)
    let heading = pages(showing: "Next section", in: document)
    #expect(figure == [1] && heading == [1])
    let runs = document.pages[1].textRuns()
    let figureTop = runs.first { $0.run.text.hasPrefix("Figure 1.") }?.bounds.minY ?? .infinity
    let headingTop = runs.first { $0.run.text == "Next section" }?.bounds.minY ?? 0
    #expect(figureTop < headingTop, "the figure stays in its section")
    // The short paragraph moved up past the figure.
    #expect(pages(showing: "word0", in: document).first == 0)
  }

  @Test func onAPageThatWouldBeHalfEmptyTheNextSectionMayPassAWaitingFigure() throws {
    let document = try F.paginate([
      F.Spacer(tall: content.height * 0.3), F.chart("Figure 1. Tall", bars: 30, height: content.height * 0.8),
      Heading("Next section", anchor: "n"), F.paragraph(300),
    ])
    #expect(pages(showing: "Next section", in: document) == [0], "the section fills the first page")
    #expect(pages(showing: "Figure 1.", in: document) == [1])
    #expect(document.pageSummaries[0].fill >= 0.5)
    // Two figures never change order, even if the page stays short.
    let strict = try F.paginate([
      F.Spacer(tall: content.height * 0.3), F.chart("Figure 1. Tall", bars: 30, height: content.height * 0.8),
      F.chart("Figure 2. Small", bars: 4, height: 100),
    ])
    #expect(pages(showing: "Figure 2.", in: strict) == [1] || pages(showing: "Figure 2.", in: strict) == [2])
  }

  @Test func figuresKeepTheirOrder() throws {
    for lead in stride(from: 0, through: 600, by: 41) {
      let document = try F.paginate(F.briefing(lead: lead))
      let titles = document.pages.flatMap { page in
        page.textRuns().sorted { $0.bounds.minY < $1.bounds.minY }.map(\.run.text).filter { $0.hasPrefix("Figure ") }
      }
      let firsts = titles.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
      #expect(firsts == firsts.sorted { $0.split(separator: ".")[0].count < $1.split(separator: ".")[0].count || $0 < $1 }, "lead \(lead): \(firsts)")
    }
  }

  // MARK: - Half-empty pages

  @Test func noBodyPageIsLessThanHalfFullUnlessABreakOrTheEndEndsIt() throws {
    for notes in [false, true] {
      for lead in stride(from: 0, through: 900, by: 29) {
        let document = try F.paginate(F.briefing(lead: lead, notes: notes))
        #expect(document.pageSummaries.count == document.pages.count)
        for (index, (page, summary)) in zip(document.pages, document.pageSummaries).enumerated() {
          // The geometry agrees with the summary: the lowest body item is where the body ends.
          let bottom = page.placedItems().filter { content.contains($0.bounds) }.map(\.bounds.maxY)
            .filter { y in F.footnoteTop(summary).map { y <= $0 + 0.01 } ?? true }.max() ?? content.minY
          // (A block may end a point inside its frame, as a chart's plot does.)
          #expect(bottom <= content.minY + summary.bodyHeight + 0.01 && bottom >= content.minY + summary.bodyHeight - 2, "lead \(lead): page \(index + 1)")
          if summary.ending == .flow {
            #expect(summary.fill >= 0.5, "lead \(lead), notes \(notes): page \(index + 1) is \(Int(summary.fill * 100)) % full")
          }
        }
        #expect(document.pageSummaries.last?.ending == .end)
      }
    }
  }

  // MARK: - Footnotes

  @Test func footnotesAreOnThePagesOfTheirMarkersAboveTheFooterAndBelowTheBody() throws {
    for lead in stride(from: 0, through: 900, by: 29) {
      let document = try F.paginate(F.briefing(lead: lead, notes: true))
      var seen = Set<String>()
      for (index, (page, summary)) in zip(document.pages, document.pageSummaries).enumerated() {
        let runs = F.bodyRuns(page)
        let footTop = F.footnoteTop(summary) ?? content.maxY
        let body = runs.filter { $0.bounds.maxY <= footTop + 0.01 }
        let foot = runs.filter { $0.bounds.minY >= footTop - 0.01 }
        #expect(body.count + foot.count == runs.count, "lead \(lead): page \(index + 1): a run straddles the footnote rule")
        // Markers in the body: superscripts of text, table cells, and the markers of key figures.
        let kpiMarkers = body.filter { $0.run.style.size < F.theme.style(.kpiValue).size * 0.6 && $0.run.style.color == F.theme.style(.kpiValue).color }
        let markers = Set(body.flatMap(\.run.superscriptTexts).flatMap { $0.split(separator: ",").map(String.init) } + kpiMarkers.map(\.run.text))
        #expect(Set(summary.footnoteMarkers) == markers, "lead \(lead): page \(index + 1): notes \(summary.footnoteMarkers), markers \(markers.sorted())")
        seen.formUnion(markers)
        // Each note at the foot: its marker raised, its text beside it, in the footnote style.
        for marker in summary.footnoteMarkers {
          #expect(foot.contains { $0.run.text == marker && $0.run.superscripts == [0..<marker.utf8.count] }, "lead \(lead): page \(index + 1): marker \(marker)")
        }
        #expect(foot.filter { $0.run.superscripts.isEmpty }.count == summary.footnoteMarkers.count)
        #expect(foot.allSatisfy { $0.run.style == F.theme.style(.footnote) })
        // The foot stays in the content area, above the footer rule; nothing overlaps.
        #expect(foot.allSatisfy { content.contains($0.bounds) })
        #expect(GeometryCheck.overlappingText(on: page).isEmpty, "lead \(lead): page \(index + 1): \(GeometryCheck.overlappingText(on: page).prefix(2))")
        #expect(GeometryCheck.overflowingText(on: page, measuring: measurer).isEmpty, "lead \(lead): page \(index + 1)")
        if summary.footnoteHeight > 0 { #expect(summary.bodyHeight + summary.footnoteHeight <= content.height + 0.01) }
      }
      #expect(seen == ["1", "2", "3"], "lead \(lead): every footnote printed")
    }
  }

  @Test func aSplitTableCarriesOnlyTheFootnotesOfItsRows() throws {
    let early = Footnote(marker: "1", text: "Source: an early row.")
    let late = Footnote(marker: "2", text: "Source: a late row, with a long quote that wraps over several lines of the foot of the page: «" + String(repeating: "quoted words ", count: 30) + "»")
    let document = try F.paginate([F.table("Table 1. Regions", rows: 89, number: "1", notes: [2: early, 80: late])])
    let withEarly = document.pageSummaries.indices.filter { document.pageSummaries[$0].footnoteMarkers.contains("1") }
    let withLate = document.pageSummaries.indices.filter { document.pageSummaries[$0].footnoteMarkers.contains("2") }
    #expect(withEarly == pages(showing: "Region 2", in: document).filter { document.pages[$0].textRuns().contains { $0.run.text == "Region 2" } })
    #expect(withEarly == [0] && withLate.count == 1 && withLate != withEarly)
    let lastRow = document.pages[withLate[0]].textRuns().first { $0.run.text == "Region 80" }
    #expect(lastRow != nil)
  }

  @Test func aBlockWhoseFootnotesCannotShareAPageWithItIsAnErrorThatCountsThem() {
    let huge = Footnote(marker: "1", text: String(repeating: "a very long quoted source ", count: 900))
    #expect {
      try F.paginate([F.kpis(notes: [huge])])
    } throws: { error in
      guard case LayoutError.blockTooTall(_, _, let needed, let available) = error else { return false }
      return needed > available
    }
  }

  @Test func aParagraphSplitKeepsEachMarkerWithItsPiece() throws {
    var numbering = FootnoteNumbering()
    let first = numbering.next("First source.")
    let second = numbering.next("Second source.")
    let words = (0..<1500).map { "w\($0)" }
    let paragraph = Paragraph(
      [.text(words[..<20].joined(separator: " ")), .footnote(first), .text(" " + words[20...].joined(separator: " ")), .footnote(second), .text(".")],
      style: F.theme.style(.body))
    #expect(paragraph.text.contains("w191 ") && paragraph.superscripts.count == 2)
    let document = try F.paginate([paragraph])
    #expect(document.pages.count >= 2)
    #expect(document.pageSummaries.first?.footnoteMarkers == ["1"])
    #expect(document.pageSummaries.last?.footnoteMarkers == ["2"])
    let texts = document.pages.flatMap { $0.textRuns() }.filter { $0.run.text.hasPrefix("w") }
    #expect(texts.flatMap(\.run.superscriptTexts) == ["1", "2"])
    // Two markers side by side read «1,2».
    let both = Paragraph([.text("Figure"), .footnote(first), .footnote(second)], style: F.theme.style(.body))
    #expect(both.text == "Figure1,2" && both.superscripts == [6..<9])
  }
}
