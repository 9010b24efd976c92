import Foundation
import Testing

/// Layout queries as a user writes them against the seed data: two dimensions, filters beyond
/// equality, and every typo reported at its line and column with the nearest name the data has.
@Suite struct LayoutQueryTests {
  /// Builds a layout whose only block is a table with `table` under it (YAML flow style lines).
  func build(_ table: String) throws -> (result: ToolResult, folder: URL) {
    let folder = try temporaryFolder()
    let seeds = projectRoot.appendingPathComponent("seeds").path
    let yaml = """
      title: T
      language: ru
      data: [\(seeds)/panel.csv, \(seeds)/documented.csv]
      names: { region: \(seeds)/regions.csv, federal_district: \(seeds)/federal-districts.csv }
      blocks:
        - table:
      \(table.split(separator: "\n").map { "      " + $0 }.joined(separator: "\n"))

      """
    try yaml.write(to: folder.appendingPathComponent("l.yaml"), atomically: true, encoding: .utf8)
    return (try run(briefingExecutable(), ["build", "l.yaml", "--out", "out"], in: folder), folder)
  }

  func error(_ table: String) throws -> String {
    let (result, folder) = try build(table)
    defer { try? FileManager.default.removeItem(at: folder) }
    #expect(result.status == 65, "\(result.error)")
    #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("out/l.pdf").path))
    return result.error
  }

  @Test func typosAreFoundAtTheirKeyWithTheNearestName() throws {
    #expect(try error("query: { metric: students_trained, by: regoin }").contains(
      "l.yaml:7:46: table 1: the data has no column “regoin” (did you mean “region”?)"))
    #expect(try error("query: { metric: students_trainde, by: region }").contains(
      "l.yaml:7:24: table 1: no row of the data has metric “students_trainde” (did you mean “students_trained”?)"))
    #expect(try error("query: { metric: students_trained, by: region, where: { region: Kabardino-Balkaria } }").contains(
      "l.yaml:7:71: table 1: no row of the data has region “Kabardino-Balkaria” (did you mean “Kabardino-Balkarian Republic”?)"))
    #expect(try error("query: { metric: students_trained, by: region, where: { period: 2025 } }\ncompare: 1999").contains(
      "l.yaml:8:16: table 1: no row of the data has period “1999”"))
    #expect(try error("query: { metric: students_trained, by: region }\ngroupBy: federal_distric").contains(
      "l.yaml:8:16: table 1: groupBy “federal_distric” is not a data dimension, nor a column of its names table (name_en, name_ru, type, federal_district, iso_3166_2, population, population_date, population_source); did you mean “federal_district”?"))
    #expect(try error("query: { metric: students_trained, by: region, where: { period: '>=2030' } }").contains(
      "l.yaml:7:14: table 1 selects no data: no row has a value with metric = students_trained and period = 2030.."))
    #expect(try error("query: { metric: students_trained, by: region, top: 0 }").contains("l.yaml:7:59: block 1: table.query.top: expected a number from 1 to 100000, found 0"))
    #expect(try error("query: { metric: students_trained, by: region, where: { period: [] } }").contains(
      "l.yaml:7:71: table 1: where: period: expected at least one value, found an empty list"))
    #expect(try error("query: { metric: students_trained, by: [region, region] }").contains(
      "expected one dimension or two different ones ([region, period]), found region, region"))
  }

  /// A national figure (documented.csv's “Russian Federation” rows) is never added to regional ones.
  @Test func nationalAndRegionalFiguresAreNeverAdded() throws {
    // 160 enterprises of the Advanced Engineering Schools nationally: not a programme row of a
    // table across regions, whose figures are Moscow's (Mosprom's «более 1 000», TechnoInternship's 65).
    let (result, folder) = try build("query: { metric: enterprises_participating, by: programme, where: { status: actual } }")
    defer { try? FileManager.default.removeItem(at: folder) }
    #expect(result.status == 0, "\(result.error)")
    let text = try tool("pdftotext", ["-layout", folder.appendingPathComponent("out/l.pdf").path, "-"]).output
    #expect(text.contains("Mosprom") && text.contains("TechnoInternship"), "\(text)")
    #expect(!text.contains("Advanced Engineering Schools"), "\(text)")
    // Asked for by name, it is there.
    let (national, nationalFolder) = try build("query: { metric: enterprises_participating, by: programme, where: { status: actual, region: Russian Federation } }")
    defer { try? FileManager.default.removeItem(at: nationalFolder) }
    #expect(national.status == 0, "\(national.error)")
    #expect(try tool("pdftotext", ["-layout", nationalFolder.appendingPathComponent("out/l.pdf").path, "-"]).output.contains("160"))
    // Both levels in one sum: an error naming both, at the filter.
    #expect(try error("query: { metric: schools, by: programme, where: { region: [Russian Federation, Chelyabinsk Oblast] } }").contains(
      "l.yaml:7:65: table 1: “Russian Federation” is a national figure and “Chelyabinsk Oblast” a regional one"))
  }

  @Test func twoDimensionsMakeAPivotTableWithTotals() throws {
    let (result, folder) = try build("""
      query: { metric: students_trained, by: [region, period], where: { programme: Professionalism, period: 2022..2025, status: synthetic }, sort: key }
      total: true
      """)
    defer { try? FileManager.default.removeItem(at: folder) }
    #expect(result.status == 0, "\(result.error)")
    let text = try tool("pdftotext", ["-layout", folder.appendingPathComponent("out/l.pdf").path, "-"]).output
    // Periods are columns in time order; the total row and column add up the panel.
    let header = try #require(text.split(separator: "\n").first { $0.contains("Регион") })
    let periods = ["2022", "2023", "2024", "2025", "Итого"].map { header.range(of: $0)?.lowerBound }
    #expect(periods.allSatisfy { $0 != nil })
    #expect(periods.compactMap { $0 } == periods.compactMap { $0 }.sorted())
    // Independently from the CSV: Professionalism students per year, summed over regions.
    var totals: [String: Double] = [:]
    let rows = try String(contentsOf: projectRoot.appendingPathComponent("seeds/panel.csv"), encoding: .utf8).split(separator: "\n").dropFirst()
    for row in rows {
      let fields = row.split(separator: ",", omittingEmptySubsequences: false)
      guard fields[1] == "Professionalism", fields[3] == "students_trained", fields[6] == "synthetic", let value = Double(fields[4]),
        ["2022", "2023", "2024", "2025"].contains(String(fields[2]))
      else { continue }
      totals[String(fields[2]), default: 0] += value
    }
    func russian(_ value: Double) -> String {
      let digits = String(Int(value))
      var out = ""
      for (i, c) in digits.reversed().enumerated() {
        if i > 0, i % 3 == 0 { out.append("\u{202F}") }
        out.append(c)
      }
      return String(out.reversed())
    }
    let totalLine = try #require(text.split(separator: "\n").last { $0.trimmingCharacters(in: .whitespaces).hasPrefix("Итого") })
    let expected = ["2022", "2023", "2024", "2025"].map { russian(totals[$0] ?? 0) } + [russian(totals.values.reduce(0, +))]
    // pdftotext turns the narrow no-break spaces between digit groups into spaces: compare digits.
    let digits = totalLine.filter { !$0.isWhitespace }
    #expect(digits == "Итого" + expected.joined().filter { !$0.isWhitespace }, "\(totalLine) vs \(expected)")
  }

  @Test func filtersTakeListsExclusionsAndRanges() throws {
    let (result, folder) = try build("""
      query: { metric: students_trained, by: programme, where: { period: 2022..2025, programme: '!=Professionalism', status: synthetic } }
      total: true
      """)
    defer { try? FileManager.default.removeItem(at: folder) }
    #expect(result.status == 0, "\(result.error)")
    let text = try tool("pdftotext", ["-layout", folder.appendingPathComponent("out/l.pdf").path, "-"]).output
    #expect(!text.contains("Профессионалитет") && !text.contains("Professionalism"), "\(text)")
    #expect(text.contains("Итого"))
  }
}

/// Numbers and dates in a layout are checked where they are written: never a crash, never a
/// page drawn off the sheet (issue 12, first part).
@Suite struct LayoutNumberTests {
  func error(_ settings: String, chart: String = "") throws -> String {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let seeds = projectRoot.appendingPathComponent("seeds").path
    let yaml = "title: T\nlanguage: ru\ndata: [\(seeds)/panel.csv]\n\(settings)\nblocks:\n  - chart:\n      id: c\n      query: { metric: funding, by: programme }\n\(chart)\n"
    try yaml.write(to: folder.appendingPathComponent("l.yaml"), atomically: true, encoding: .utf8)
    let result = try run(briefingExecutable(), ["build", "l.yaml", "--out", "out"], in: folder)
    #expect(result.status == 65, "\(settings) \(chart): \(result.error)")
    #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("out/l.pdf").path))
    return result.error
  }

  @Test func outOfRangeNumbersAreErrorsAtTheirKey() throws {
    #expect(try error("theme: { bodySize: .nan }").contains("l.yaml:4:20: theme.bodySize: expected a number from 4 to 36 pt, found NaN"))
    #expect(try error("theme: { bodySize: 1e9 }").contains("found 1000000000"))
    #expect(try error("page: { margins: -50 }").contains("l.yaml:4:18: page.margins: expected a number from 0 to 60 mm, found -50"))
    #expect(try error("page: { margins: .inf }").contains("found infinity"))
    #expect(try error("", chart: "      height: .nan").contains("l.yaml:9:15: block 1: chart.height: expected a number from 40 to 2000 pt, found NaN"))
    #expect(try error("", chart: "      height: -100").contains("found -100"))
    #expect(try error("date: \"2026-02-30\"").contains("l.yaml:4:7: date: expected a date that exists"))
    #expect(try error("date: \"not a date\"").contains("found “not a date”"))
  }

  @Test func sourceDateEpochStaysWithinPrintableYears() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let result = try run(
      briefingExecutable(), ["build", projectRoot.appendingPathComponent("layouts/regional-overview.yaml").path, "--out", folder.path],
      environment: ["SOURCE_DATE_EPOCH": "9223372036854775807"])
    #expect(result.status == 65)
    #expect(result.error.contains("SOURCE_DATE_EPOCH: expected whole seconds since 1970 up to the end of 9999"), "\(result.error)")
  }
}
