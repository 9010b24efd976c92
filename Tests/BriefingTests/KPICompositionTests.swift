import BriefingAnalytics
import BriefingLayout
import BriefingSQLite
import BriefingTestSupport
import Foundation
import Testing

@testable import Briefing

/// Key figures (`kpis:`) as a layout asks for them over the seed panel: each figure and its change
/// worked out here from the CSV rows, from every kind of source, and every mistake reported at its
/// line and column.
@Suite struct KPICompositionTests {
  let panel = projectRoot.appendingPathComponent("seeds/panel.csv").path
  let ru = NumberFormat(locale: .ru)
  let minus = "\u{2212}"

  /// A Russian layout over the panel whose only block is `- kpis:` with `figures` under it (each
  /// figure's lines as written, the first starting with "- "). Lines: the block is on line 5 at
  /// column 5, and the first figure starts on line 6.
  func layoutText(_ figures: String) -> String {
    let body = figures.split(separator: "\n", omittingEmptySubsequences: false).map { "      " + $0 }.joined(separator: "\n")
    return "title: T\nlanguage: ru\ndata: [\(panel)]\nblocks:\n  - kpis:\n\(body)\n"
  }

  /// Writes the layout into a fresh folder and returns its path; `settings` go on line 3.
  func writeLayout(_ figures: String, settings: String? = nil) throws -> String {
    let folder = try temporaryFolder()
    let file = folder.appendingPathComponent("l.yaml")
    var text = layoutText(figures)
    if let settings { text = text.replacingOccurrences(of: "language: ru\n", with: "language: ru\n\(settings)\n") }
    try text.write(to: file, atomically: true, encoding: .utf8)
    return file.path
  }

  /// The error building the layout gives, as the command line prints it.
  func error(_ figures: String, settings: String? = nil) throws -> String {
    let path = try writeLayout(figures, settings: settings)
    let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
    defer { try? FileManager.default.removeItem(at: folder) }
    do {
      _ = try BriefingBuilder(options: BuildOptions(outputDirectory: folder.appendingPathComponent("out").path)).build(layoutAt: path)
    } catch {
      #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("out/l.pdf").path))
      return error.description.replacingOccurrences(of: path, with: "l.yaml")
    }
    Issue.record("the layout built")
    return ""
  }

  /// The tiles of the layout's first block, composed from `source`.
  func tiles(_ figures: String, source: any DataSource) throws -> [KPIBlock.KPITile] {
    let path = try writeLayout(figures)
    defer { try? FileManager.default.removeItem(at: URL(fileURLWithPath: path).deletingLastPathComponent()) }
    let (spec, root) = try BriefingBuilder.parseLayout(at: path)
    guard case .kpis(let figures) = spec.blocks.first else {
      Issue.record("not a kpis block")
      return []
    }
    let composer = DocumentComposer(spec: spec, layoutFile: path, layoutRoot: root, source: source, names: [:], creationDate: nil)
    return try composer.makeKPIs(figures, index: 0, geometry: PageGeometry(paper: PaperSize.a4.portrait), measuring: FixedAdvanceMeasurer())
      .tiles
  }

  /// The panel's rows, read here without the query engine.
  func sum(metric: String, period: String, programme: String? = nil) throws -> Double {
    let rows = try Dataset.load(csv: panel).observations
    return rows.filter { $0.metric == metric && $0.period == period && $0.status == "synthetic" && (programme == nil || $0.programme == programme) }
      .compactMap(\.value).reduce(0, +)
  }

  let twoFigures = """
    - label: "Обучено студентов"
      query: { metric: students_trained, where: { programme: Professionalism, period: 2025, status: synthetic } }
      compare: 2024
    - label: "Финансирование"
      query: { metric: funding, where: { period: 2025, status: synthetic } }
      compare: 2019
      change: absolute
      footnote: "1"
    """

  /// Every kind of source a layout reads: its files held in memory, streamed, or an SQLite database.
  func sources() throws -> [(String, any DataSource)] {
    let database = try temporaryFolder().appendingPathComponent("panel.sqlite").path
    _ = try SQLiteImporter(table: "metrics").run(files: [panel], into: database)
    return [
      ("in memory", try MemoryTable(files: [panel])),
      ("CSV stream", FileSource(files: [panel])),
      ("SQLite", SQLiteSource(path: database, table: "metrics", query: nil)),
    ]
  }

  @Test func figuresAndChangesAreThePanelsSumsAsTheTilesShowThem() throws {
    // Students: persons, whole numbers; the change in percent against 2024.
    let students = try sum(metric: "students_trained", period: "2025", programme: "Professionalism")
    let studentsBefore = try sum(metric: "students_trained", period: "2024", programme: "Professionalism")
    let studentsChange = 100 * (students - studentsBefore) / studentsBefore
    // Funding: billions of roubles with one decimal (none when both figures are whole billions);
    // the change in the same unit against 2019.
    let funding = try sum(metric: "funding", period: "2025")
    let fundingBefore = try sum(metric: "funding", period: "2019")
    #expect(funding >= 1e10, "the panel's funding is in the billions")
    let digits = [funding, fundingBefore].allSatisfy { ($0 / 1e9).rounded() == $0 / 1e9 } ? 0 : 1
    let expected = [
      KPIBlock.KPITile(
        label: "Обучено студентов", figure: ru.decimal(students), unit: "чел.",
        change: ru.signed(studentsChange, fractionDigits: 1, percent: true), direction: studentsChange > 0 ? .increase : .decrease,
        comparison: "к\u{00A0}2024"),
      KPIBlock.KPITile(
        label: "Финансирование", figure: ru.decimal(funding / 1e9, fractionDigits: digits), unit: "млрд руб.", footnote: "1",
        change: ru.signed((funding - fundingBefore) / 1e9, fractionDigits: digits) + "\u{00A0}млрд руб.",
        direction: funding > fundingBefore ? .increase : .decrease, comparison: "к\u{00A0}2019"),
    ]
    // Russian conventions: narrow no-break spaces between thousands, a decimal comma, a sign.
    #expect(expected[0].figure.contains("\u{202F}") && expected[1].figure.contains(","))
    #expect(expected[0].change?.hasSuffix("\u{00A0}%") == true)
    #expect(expected.allSatisfy { $0.change?.hasPrefix("+") == true || $0.change?.hasPrefix(minus) == true })
    for (name, source) in try sources() {
      #expect(try tiles(twoFigures, source: source) == expected, "\(name)")
    }
  }

  @Test func aFigureWithoutComparableDataShowsADashWithoutATriangle() throws {
    let source = try MemoryTable(files: [panel])
    let shown = try tiles(
      """
      - query: { metric: colleges, where: { period: 2022 } }
        compare: 2021
      - query: { metric: funding, where: { period: 2025 }, aggregate: mean }
      - query: { metric: funding, where: { period: 2025 }, aggregate: count }
        compare: 2024
        change: absolute
      """, source: source)
    // No colleges in 2021: nothing to compare with. The label defaults to the metric's name.
    #expect(shown[0].label == "Колледжи" && shown[0].change == "—" && shown[0].direction == .neutral && shown[0].comparison == "к\u{00A0}2021")
    // No compare: no change line. A mean says so beside its unit.
    #expect(shown[1].change == nil && shown[1].comparison == nil && shown[1].unit.hasSuffix(", среднее"))
    // A count is a number of values, whatever they measure.
    let rows = try Dataset.load(csv: panel).observations
    let counted = rows.filter { $0.metric == "funding" && $0.period == "2025" && $0.value != nil }.count
    let before = rows.filter { $0.metric == "funding" && $0.period == "2024" && $0.value != nil }.count
    #expect(shown[2].figure == ru.decimal(Double(counted)) && shown[2].unit == "число значений")
    #expect(shown[2].change == ru.signed(Double(counted - before)) && (counted == before) == (shown[2].direction == .neutral))
  }

  @Test func theBriefingPrintsTheFigures() throws {
    let path = try writeLayout(twoFigures)
    let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
    defer { try? FileManager.default.removeItem(at: folder) }
    let result = try BriefingBuilder(options: BuildOptions(outputDirectory: folder.appendingPathComponent("out").path)).build(layoutAt: path)
    let spaced = { (text: String) in text.replacingOccurrences(of: "\u{202F}", with: " ").replacingOccurrences(of: "\u{00A0}", with: " ") }
    let text = spaced(try tool("pdftotext", ["-layout", result.pdf, "-"]).output)
    let shown = try tiles(twoFigures, source: try MemoryTable(files: [panel]))
    for tile in shown {
      for part in [tile.label, tile.figure, tile.unit, tile.change ?? "", tile.comparison ?? ""] {
        #expect(text.contains(spaced(part)), "“\(part)” is printed")
      }
    }
  }

  @Test func twoToFourFiguresOrAnErrorAtTheKpisKey() throws {
    let one = """
      - query: { metric: funding, where: { period: 2025 } }
      """
    #expect(try error(one).contains("l.yaml:5:5: block 1: kpis: expected 2 to 4 figures, found 1"))
    let five = Array(repeating: one, count: 5).joined(separator: "\n")
    #expect(try error(five).contains("l.yaml:5:5: block 1: kpis: expected 2 to 4 figures, found 5"))
    #expect(try error("[]").contains("l.yaml:5:5: block 1: kpis: expected 2 to 4 figures, found 0"))
  }

  @Test func aFigureWiderThanItsTileEvenAtTheBodySizeIsAnErrorAtTheFigure() throws {
    let four = Array(repeating: "- query: { metric: students_trained, where: { period: 2025 } }", count: 4).joined(separator: "\n")
    // Line 3 holds the theme: the block is on line 6, its first figure on line 7.
    #expect(try error(four, settings: "theme: { bodySize: 30 }").contains(
      "l.yaml:7:9: block 1: kpis: figure 1 (“780 834”) needs "))
    #expect(try error(four, settings: "theme: { bodySize: 30 }").contains(
      "pt, even at the body size; show fewer figures in this row, or lower the theme's bodySize"))
  }

  @Test func aWholeFigureCarriesNoDecimalZero() throws {
    // 169 billion roubles exactly (documented.csv): «169 млрд руб.», not «169,0».
    let documented = projectRoot.appendingPathComponent("seeds/documented.csv").path
    let shown = try tiles(
      """
      - query: { metric: private_investment, where: { region: Republic of Tatarstan, period: 2023, status: actual } }
      - query: { metric: funding, where: { period: 2025 } }
      """, source: try MemoryTable(files: [panel, documented]))
    #expect(shown[0].figure == "169" && shown[0].unit == "млрд руб.")
  }

  @Test func textOnTheTilesKeepsItsContrast() throws {
    let two = """
      - query: { metric: students_trained, where: { period: 2025 } }
        compare: 2024
      - query: { metric: funding, where: { period: 2025 } }
      """
    // The default theme passes; a grey accent that keeps 4.5:1 on white (4.54) does not on the
    // tiles' fill. Line 3 holds the theme, so the block is on line 6.
    let path = try writeLayout(two)
    let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
    defer { try? FileManager.default.removeItem(at: folder) }
    _ = try BriefingBuilder(options: BuildOptions(outputDirectory: folder.appendingPathComponent("out").path)).build(layoutAt: path)
    let message = try error(two, settings: "theme: { accent: \"#767676\" }")
    #expect(message.contains("l.yaml:6:5: block 1: kpis: a figure in the theme's accent (#767676) on a tile (#F3F5F7) has a contrast of "), "\(message)")
    #expect(message.contains("below 4.5:1; choose another accent under theme"))
  }

  @Test func mistakesInAFigureAreFoundAtTheirKey() throws {
    let first = """
      - query: { metric: funding, where: { period: 2025 } }
      """
    // A figure selecting no row, and one whose rows are all in the compared period.
    for compare in ["", "\n  compare: 2024"] {
      #expect(try error(first + "\n- query: { metric: colleges, where: { programme: Campus Programme, period: 2025 } }" + compare).contains(
        "l.yaml:7:16: block 1, figure 2 selects no data: no row has a value with metric = colleges and period = 2025 and programme = Campus Programme"))
    }
    #expect(try error(first + "\n- query: { metric: graduates, where: { period: 2021 } }\n  compare: 2022").contains(
      "l.yaml:7:16: block 1, figure 2 selects no data: no row has a value with metric = graduates and period = 2021"))
    // Names the data does not have, with the nearest it has.
    #expect(try error(first + "\n- query: { metric: students_trainde }").contains(
      "l.yaml:7:26: block 1, figure 2: no row of the data has metric “students_trainde” (did you mean “students_trained”?)"))
    #expect(try error(first + "\n- query: { metric: funding, where: { programme: Profesionalism, period: 2025 } }").contains(
      "l.yaml:7:55: block 1, figure 2: no row of the data has programme “Profesionalism” (did you mean “Professionalism”?)"))
    #expect(try error(first + "\n  compare: 1999\n" + first).contains("l.yaml:7:18: block 1, figure 1: no row of the data has period “1999”"))
    // A comparison needs one period selected, and another one to compare with.
    #expect(try error("- query: { metric: funding, where: { period: 2024..2025 } }\n  compare: 2023\n" + first).contains(
      "l.yaml:7:18: block 1, figure 1: “compare: 2023” needs the query to select one period (where: { period: … })"))
    #expect(try error("- query: { metric: funding, where: { period: '>=2024' } }\n  compare: 2023\n" + first).contains(
      "l.yaml:7:18: block 1, figure 1: “compare: 2023” needs the query to select one period"))
    #expect(try error(first + "\n  compare: 2025\n" + first).contains(
      "l.yaml:7:18: block 1, figure 1: “compare: 2025” is the period the query selects; compare with another one"))
    #expect(try error(first + "\n  compare: [2023, 2024]\n" + first).contains(
      "l.yaml:7:18: block 1, figure 1: “compare” takes one period, found a list"))
    // A figure is one number: its query has no `by`; a misspelt key is named with its fix.
    #expect(try error(first + "\n- query: { metric: funding, by: region }").contains(
      "l.yaml:7:35: unknown key “by” in a key figure's query, which asks for one number (expected one of: metric, where, aggregate)"))
    #expect(try error(first + "\n- query: { metric: funding }\n  compare: 2024\n  chnage: absolute").contains(
      "l.yaml:9:9: unknown key “chnage” in a figure of a kpis block; did you mean “change”?"))
    #expect(try error(first + "\n- query: { metric: funding }\n  change: relative").contains(
      "l.yaml:8:17: block 1: kpis[1].change: expected one of percent, absolute, found “relative”"))
  }
}
