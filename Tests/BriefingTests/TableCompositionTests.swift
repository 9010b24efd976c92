import BriefingAnalytics
import BriefingLayout
import BriefingTestSupport
import Foundation
import Testing

@testable import Briefing

/// Tables as layouts ask for them: grouped with subtotals, compared with an earlier period,
/// with the data's qualifiers, ellipsized, too wide. Expected figures are worked out by hand here.
@Suite struct TableCompositionTests {
  let measurer = FixedAdvanceMeasurer()

  func observation(_ region: String, _ programme: String, _ period: String, _ value: Double?, qualifier: String = "", metric: String = "m") -> Observation {
    Observation(region: region, programme: programme, period: period, metric: metric, value: value, unit: "persons", qualifier: qualifier)
  }

  /// Three regions in two districts, two programmes, two years.
  var observations: [Observation] {
    [
      observation("A", "P", "2025", 110), observation("A", "P", "2024", 100),
      observation("A", "Q", "2025", 40), observation("A", "Q", "2024", 50),
      observation("B", "P", "2025", 30), observation("B", "P", "2024", 20),
      observation("C", "P", "2025", 500), observation("C", "P", "2024", 400),
      observation("D", "P", "2025", 7),
    ]
  }

  var districts: ReferenceTable {
    ReferenceTable(
      header: ["name_en", "name_ru", "federal_district"],
      rows: [
        ["name_en": "A", "name_ru": "А", "federal_district": "North"], ["name_en": "B", "name_ru": "Б", "federal_district": "North"],
        ["name_en": "C", "name_ru": "В", "federal_district": "South"],
      ])
  }

  func composer(_ observations: [Observation], language: ReportLocale = .en) -> DocumentComposer {
    let spec = LayoutSpec(language: language, title: "T", data: [LayoutSpec.DataSpec(path: "d.csv")], blocks: [])
    return DocumentComposer(
      spec: spec, layoutFile: "l.yaml", source: MemoryTable(observations), names: [:],
      references: ["region": districts], creationDate: nil)
  }

  var portrait: PageGeometry { PageGeometry(paper: Size(width: 595, height: 842)) }

  /// The table of a layout whose only block is `- table:` with `yaml` under it.
  func table(_ yaml: String) throws -> LayoutSpec.TableSpec {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("l.yaml")
    let body = yaml.split(separator: "\n").map { "      " + $0 }.joined(separator: "\n")
    try "title: T\nlanguage: en\ndata: [d.csv]\nblocks:\n  - table:\n\(body)\n".write(to: file, atomically: true, encoding: .utf8)
    guard case .table(let table) = try BriefingBuilder.loadLayout(at: file.path).blocks.first else {
      throw BriefingError.invalidLayout(file: file.path, line: nil, column: nil, message: "no table")
    }
    return table
  }

  func cells(_ block: TableBlock) -> [[String]] { block.rows.map(\.cells) }

  @Test func groupsByAReferenceColumnWithSubtotalsAndAChangeAgainstTheEarlierPeriod() throws {
    let spec = try table("""
      query: { metric: m, by: region, where: { period: 2025 } }
      groupBy: federal_district
      compare: 2024
      total: true
      """)
    let block = try composer(observations).makeTable(spec, index: 0, geometry: portrait, measuring: measurer)
    #expect(block.columns.map(\.header) == ["Region", "2024, persons", "2025, persons", "Change, %"])
    #expect(block.columns.map(\.kind) == [.text, .number, .number, .change])
    // South (500) before North (150 + 30); D has no district and comes last whatever its size.
    #expect(block.rows.map(\.kind) == [.groupHeader, .body, .subtotal, .groupHeader, .body, .body, .subtotal, .groupHeader, .body, .subtotal, .total])
    let minus = "\u{2212}"
    #expect(cells(block) == [
      ["South"], ["C", "400", "500", "+25.0"], ["Subtotal", "400", "500", "+25.0"],
      ["North"], ["A", "150", "150", "0.0"], ["B", "20", "30", "+50.0"], ["Subtotal", "170", "180", "+5.9"],
      ["Not specified"], ["D", "—", "7", "—"], ["Subtotal", "—", "7", "—"],
      ["Total", "570", "687", "+20.5"],
    ].map { $0.map { $0.replacingOccurrences(of: "-", with: minus) } })
    #expect(block.rows[1].indent == 1 && block.rows[0].indent == 0)
    // The triangle follows the printed change: none for 0.0 and for a missing one.
    #expect(block.rows[4].values[3] == nil)
    #expect(block.rows[5].values[3] == 50)
    #expect(block.rows[8].values[3] == nil)
  }

  @Test func rowsOnlyTheEarlierPeriodHasStayInTheComparison() throws {
    // E had 700 in 2024 and nothing in 2025: without it the 2024 total would read 70, not 770.
    let data = [
      observation("A", "P", "2025", 60), observation("A", "P", "2024", 50),
      observation("B", "P", "2025", 640), observation("B", "P", "2024", 20),
      observation("E", "P", "2024", 700),
    ]
    let spec = try table("{ query: { metric: m, by: region, where: { period: 2025 }, top: 1 }, compare: 2024, total: true }")
    let block = try composer(data).makeTable(spec, index: 0, geometry: portrait, measuring: measurer)
    let minus = "\u{2212}"
    #expect(cells(block) == [
      ["B", "20", "640", "+3,100.0"], ["Other (2 regions)", "750", "60", "\(minus)92.0"], ["Total", "770", "700", "\(minus)9.1"],
    ])
  }

  @Test func sortByKeyFollowsTheNamesTableForGroupsAndTheShownLabelsForRows() throws {
    var composer = composer(observations, language: .ru)
    // The names table lists South before North; rows go by their Russian labels (В before Г).
    composer = DocumentComposer(
      spec: composer.spec, layoutFile: "l.yaml", source: composer.source, names: ["region": ["A": "Г", "B": "Б", "C": "В"]],
      references: [
        "region": districts,
        "federal_district": ReferenceTable(header: ["name_en"], rows: [["name_en": "South"], ["name_en": "North"]]),
      ], creationDate: nil)
    let spec = try table("{ query: { metric: m, by: region, where: { period: 2025 }, sort: key }, groupBy: federal_district, subtotals: false }")
    let block = try composer.makeTable(spec, index: 0, geometry: portrait, measuring: measurer)
    #expect(block.rows.map { $0.cells[0] } == ["South", "В", "North", "Б", "Г", "Не указано", "D"])
  }

  @Test func groupsByAnotherDataDimensionInRussian() throws {
    let spec = try table("""
      query: { metric: m, by: region, where: { period: 2025 } }
      groupBy: programme
      share: true
      """)
    let block = try composer(observations, language: .ru).makeTable(spec, index: 0, geometry: portrait, measuring: measurer)
    #expect(block.columns.map(\.header) == ["Регион", "M, чел.", "Доля, %"])
    // P: C 500, A 110, B 30, D 7 = 647; Q: A 40. Shares of 687.
    #expect(cells(block) == [
      ["P"], ["C", "500", "72,8"], ["A", "110", "16,0"], ["B", "30", "4,4"], ["D", "7", "1,0"], ["Итого по группе", "647", "94,2"],
      ["Q"], ["A", "40", "5,8"], ["Итого по группе", "40", "5,8"],
    ])
  }

  @Test func comparedColumnsCarryTheirPeriodsAndPercentagesChangeInPoints() throws {
    let data = [
      Observation(region: "A", programme: "P", period: "2025", metric: "share", value: 50, unit: "percent"),
      Observation(region: "A", programme: "P", period: "2024", metric: "share", value: 40, unit: "percent"),
    ]
    let spec = try table("{ query: { metric: share, by: region, where: { period: 2025 } }, compare: 2024, change: absolute, valueLabel: Share }")
    let block = try composer(data, language: .ru).makeTable(spec, index: 0, geometry: portrait, measuring: measurer)
    #expect(block.columns.map(\.header) == ["Регион", "2024, %", "Share, 2025, %", "Изменение, п.\u{00A0}п."])
    // Whole figures carry no «,0».
    #expect(cells(block) == [["A", "40", "50", "+10"]])
    let fractional = [data[0], Observation(region: "A", programme: "P", period: "2024", metric: "share", value: 40.5, unit: "percent")]
    let mixed = try composer(fractional, language: .ru).makeTable(spec, index: 0, geometry: portrait, measuring: measurer)
    #expect(cells(mixed) == [["A", "40,5", "50,0", "+9,5"]])
  }

  @Test func aTableOfMeansSaysSoAndComputesItsOtherAndTotalRows() throws {
    // Means by region in 2025: A (110 + 40) / 2 = 75, B 30, C 500, D 8. The folded B and D have
    // a mean of 19; all five figures have a mean of (150 + 30 + 500 + 8) / 5 = 137.6.
    let data = observations.map { $0.region == "D" ? observation("D", "P", "2025", 8) : $0 }
    let spec = try table("{ query: { metric: m, by: region, where: { period: 2025 }, aggregate: mean, top: 2 }, total: true }")
    let block = try composer(data).makeTable(spec, index: 0, geometry: portrait, measuring: measurer)
    #expect(block.columns.map(\.header) == ["Region", "M (mean), persons"])
    #expect(cells(block) == [["C", "500"], ["A", "75"], ["Other (2 regions)", "19"], ["Total", "138"]])
  }

  @Test func figuresBelowOneKeepTwoSignificantDigits() throws {
    let data = [
      Observation(region: "A", programme: "P", period: "2025", metric: "m", value: 0.0042, unit: "percent"),
      Observation(region: "B", programme: "P", period: "2025", metric: "m", value: 0.0007, unit: "percent"),
    ]
    let block = try composer(data).makeTable(try table("{ query: { metric: m, by: region } }"), index: 0, geometry: portrait, measuring: measurer)
    #expect(cells(block) == [["A", "0.0042"], ["B", "0.0007"]])
  }

  @Test func keepsTheSourcesWordingOfAFigure() throws {
    let data = [
      observation("A", "P", "2025", 1600, qualifier: "over"), observation("B", "P", "2025", 65, qualifier: "around"),
      observation("C", "P", "2025", 10),
    ]
    let block = try composer(data).makeTable(
      try table("{ query: { metric: m, by: region }, total: true }"), index: 0, geometry: portrait, measuring: measurer)
    let nbsp = "\u{00A0}"
    #expect(cells(block) == [["A", "over\(nbsp)1,600"], ["B", "around\(nbsp)65"], ["C", "10"], ["Total", "at least\(nbsp)1,675"]])
  }

  @Test func chartsSayWhatTablesSayAboutAFiguresWording() throws {
    let data = [observation("A", "P", "2025", 1600, qualifier: "over"), observation("B", "P", "2025", 65)]
    let spec = LayoutSpec.ChartSpec(id: "c", query: LayoutSpec.QuerySpec(metric: "m", by: "region"))
    let chart = try composer(data).makeChart(spec, index: 0)
    #expect(chart.series[0].prefixes == ["over", ""])
    let labels = chart.layout(size: Size(width: 400, height: 200), measuring: measurer).flattenedTextRuns().map(\.text)
    #expect(labels.contains("over\u{00A0}1,600") && labels.contains("65"), "\(labels)")
  }

  @Test func refusesSettingsThatContradictEachOther() throws {
    let composer = composer(observations)
    func message(_ yaml: String) throws -> String {
      do {
        _ = try composer.makeTable(try table(yaml), index: 2, geometry: portrait, measuring: measurer)
        return ""
      } catch {
        return "\(error)"
      }
    }
    #expect(try message("{ query: { metric: m, by: region, top: 2 }, groupBy: programme }").contains("table 3: “top” and “groupBy” cannot be combined"))
    #expect(try message("{ query: { metric: m, by: region }, compare: 2024 }").contains("needs the query to select one period"))
    #expect(try message("{ query: { metric: m, by: region, where: { period: 2025 } }, compare: [2023, 2024] }").contains("takes one period"))
    let missing = try message("{ query: { metric: m, by: region, where: { period: 2025 } }, compare: 1999 }")
    #expect(missing.contains("table 3: no row of the data has period “1999”"), "\(missing)")
    #expect(try message("{ query: { metric: m, by: region, where: { period: 2025 } }, compare: 2025 }").contains("is the period the query selects"))
    #expect(try message("{ query: { metric: m, by: region, aggregate: mean }, share: true }").contains("“share: true” needs a sum or count; the query's aggregate is mean"))
    #expect(try message("{ query: { metric: m, by: region }, groupBy: colour }").contains("groupBy “colour” is not a data dimension, nor a column of its names table (name_en, name_ru, federal_district)"))
  }

  @Test func aSumNeverAddsBothBoundsOfARange() throws {
    let data = [observation("A", "P", "2024", 47, qualifier: "from"), observation("A", "P", "2024", 48, qualifier: "to")]
    #expect(throws: DataError.rangeBoundsCombined(group: "A")) {
      try MemoryTable(data).aggregate(Query(groupBy: ["region"], aggregate: .sum))
    }
    // The bounds themselves are fine to show apart.
    let bounds = try MemoryTable(data).aggregate(Query(groupBy: ["region"], aggregate: .max)).groups
    #expect(bounds.first?.value == 48)
  }

  @Test func ellipsizesLongNamesWhenAsked() throws {
    let long = String(repeating: "Very long region name ", count: 12)
    let data = [observation(long, "P", "2025", 1), observation("B", "P", "2025", 2)]
    let spec = try table("{ query: { metric: m, by: region }, overflow: ellipsize }")
    let block = try composer(data).makeTable(spec, index: 0, geometry: portrait, measuring: measurer)
    #expect(block.columns[0].overflow == .ellipsize)
    let wrapped = try composer(data).makeTable(try table("{ query: { metric: m, by: region } }"), index: 0, geometry: portrait, measuring: measurer)
    // One line per row when ellipsized; the long name takes several lines when wrapped.
    let width = portrait.content.width
    #expect(wrapped.height(width: width, measuring: measurer) > block.height(width: width, measuring: measurer))
    let frame = block.layout(width: width, measuring: measurer)
    let run = try #require(frame.flattenedTextRuns().first { $0.text == long })
    #expect(run.style.overflow == .ellipsize && run.frame.maxX <= width)
  }

  @Test func aTableTooWideForThePageSaysWhichColumnsToDrop() throws {
    let long = String(repeating: "W", count: 400)
    let data = [observation(long, "P", "2025", 1)]
    // A single word cannot wrap: the label column alone is wider than the page.
    let spec = try table("{ query: { metric: m, by: region }, valueLabel: \(String(repeating: "X", count: 900)) }")
    #expect(throws: BriefingError.self) { try composer(data).makeTable(spec, index: 0, geometry: portrait, measuring: measurer) }
    do {
      _ = try composer(data).makeTable(spec, index: 0, geometry: portrait, measuring: measurer)
    } catch {
      // The label column wraps, so only the figure column is named; the block is named too.
      #expect("\(error)".contains("l.yaml: block 1: table “untitled” needs at least"), "\(error)")
      #expect("\(error)".contains("drop one of its widest columns (XXXX"), "\(error)")
      #expect("\(error)".hasSuffix(" or put it on landscape pages"), "\(error)")
    }
  }

  @Test func aTooWideTableGoesOnLandscapePagesWhenTheLayoutAllows() throws {
    let data = [observation("A", "P", "2025", 1)]
    // One unbreakable header word, wider than a portrait page's room but not a landscape one's.
    let word = String(repeating: "X", count: 110)
    let composer = composer(data)
    let fits = try composer.makeTable(
      try table("{ query: { metric: m, by: region }, valueLabel: \(word), landscape: auto }"), index: 0, geometry: portrait, measuring: measurer)
    #expect(fits.orientation == .landscape)
    #expect(fits.pageHeight == portrait.oriented(.landscape).content.height)
    #expect(throws: BriefingError.self) {
      try composer.makeTable(try table("{ query: { metric: m, by: region }, valueLabel: \(word) }"), index: 0, geometry: portrait, measuring: measurer)
    }
    // A table that fits stays on the document's pages under `auto`, and turns under `true`.
    let narrow = try composer.makeTable(try table("{ query: { metric: m, by: region }, landscape: auto }"), index: 0, geometry: portrait, measuring: measurer)
    #expect(narrow.orientation == nil)
    let turned = try composer.makeTable(try table("{ query: { metric: m, by: region }, landscape: true }"), index: 0, geometry: portrait, measuring: measurer)
    #expect(turned.orientation == .landscape)
    // Too wide even for landscape: the error still names the columns.
    let huge = String(repeating: "X", count: 400)
    do {
      _ = try composer.makeTable(try table("{ query: { metric: m, by: region }, valueLabel: \(huge), landscape: auto }"), index: 0, geometry: portrait, measuring: measurer)
      Issue.record("a table too wide for landscape too must be refused")
    } catch {
      #expect("\(error)".hasSuffix("it does not fit a landscape page either"), "\(error)")
    }
  }
}
