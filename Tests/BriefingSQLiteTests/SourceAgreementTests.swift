import BriefingAnalytics
import Foundation
import Testing
@testable import BriefingSQLite

/// The same question put to every kind of source (files read in a stream, an in-memory table,
/// an SQLite database imported from the same files) must get the same answer, row for row:
/// groups, order, figures, qualifiers, units, and every derived figure.
private let districts: [String: String] = {
  let table = try? ReferenceTable.load(csv: packageRoot.appendingPathComponent("seeds/regions.csv").path)
  return table?.mapping(from: "name_en", to: "federal_district") ?? [:]
}()

private func where_(_ filters: Filter...) -> [Filter] { filters }
private let students = Filter("metric", equals: "students_trained")
private let synthetic = Filter("status", equals: "synthetic")
private let actual = Filter("status", equals: "actual")

private let questions: [(String, Query)] = [
  ("sum by region", Query(filters: where_(students, synthetic), groupBy: ["region"])),
  ("top 10 with Other", Query(filters: where_(students, synthetic, Filter("period", equals: "2025")), groupBy: ["region"], derivations: [.top(10)])),
  ("top 3 within programme", Query(filters: where_(students, synthetic), groupBy: ["programme", "region"], derivations: [.top(3, within: ["programme"])])),
  ("share and rank", Query(filters: where_(Filter("metric", equals: "funding"), synthetic), groupBy: ["programme"], derivations: [.sort(.value()), .share(), .rank()])),
  ("share within period", Query(filters: where_(students, synthetic), groupBy: ["period", "programme"], derivations: [.sort(.key), .share(within: ["period"]), .rank(within: ["period"])])),
  ("change along period", Query(filters: where_(students, synthetic), groupBy: ["programme", "period"], derivations: [.sort(.key), .change(along: "period")])),
  ("comparison with 2024", Query(
    filters: where_(students, synthetic, Filter("period", equals: "2025")), groupBy: ["region"],
    comparison: Comparison(dimension: "period", value: "2024"), derivations: [.sort(.value()), .top(5), .total(), .share(), .change()])),
  ("districts with subtotals", Query(
    filters: where_(students, synthetic, Filter("period", equals: "2025")), groupBy: ["region"],
    derivations: [.group(.attribute("federal_district", values: districts)), .sort(.value()), .subtotals(), .total(), .share()])),
  ("programmes grouping regions", Query(
    filters: where_(Filter("metric", equals: "graduates"), synthetic), groupBy: ["programme", "region"],
    derivations: [.group(.dimension("programme")), .sort(.key), .subtotals(label: "All"), .total()])),
  ("listed order", Query(
    filters: where_(Filter("metric", equals: "funding"), synthetic, Filter("period", equals: "2023")), groupBy: ["programme"],
    derivations: [.sort(.listed(["Professionalism", "Industrial Clusters"]))])),
  ("ascending by value", Query(filters: where_(Filter("metric", equals: "schools"), synthetic), groupBy: ["region"], derivations: [.sort(.value(descending: false))])),
  ("mean with Other and total", Query(
    filters: where_(students, synthetic), groupBy: ["region"], aggregate: .mean, derivations: [.top(4), .total()])),
  ("min with total", Query(filters: where_(Filter("metric", equals: "graduates")), groupBy: ["programme"], aggregate: .min, derivations: [.total()])),
  ("max by two dimensions", Query(filters: where_(Filter("metric", equals: "jobs_created")), groupBy: ["region", "period"], aggregate: .max, derivations: [.sort(.key)])),
  ("count", Query(groupBy: ["metric"], aggregate: .count, derivations: [.sort(.key), .total(), .share()])),
  ("count distinct", Query(groupBy: ["programme"], value: "region", aggregate: .countDistinct, derivations: [.sort(.value())])),
  ("qualifiers summed", Query(filters: where_(Filter("metric", equals: "enterprises_participating"), actual), groupBy: ["programme"], derivations: [.total()])),
  ("qualifiers at the extremes", Query(filters: where_(Filter("metric", equals: "enterprises_participating"), actual), groupBy: ["programme"], aggregate: .max)),
  ("qualifiers of a minimum", Query(filters: where_(Filter("metric", equals: "enterprises_participating"), actual), groupBy: ["region"], aggregate: .min)),
  ("documented figures by region", Query(filters: where_(actual), groupBy: ["region", "metric"], aggregate: .max, derivations: [.sort(.key)])),
  ("missing values", Query(filters: where_(Filter("metric", equals: "funding"), Filter("programme", equals: "Early Career Guidance")), groupBy: ["region", "period"], derivations: [.sort(.key), .change(along: "period")])),
  ("range of periods", Query(filters: where_(students, Filter("period", from: "2020", to: "2023")), groupBy: ["period"], derivations: [.sort(.key)])),
  ("open range", Query(filters: where_(students, Filter("period", from: "2024", to: nil)), groupBy: ["programme"])),
  ("not equal", Query(filters: where_(students, Filter("programme", notIn: ["Professionalism"])), groupBy: ["programme"], derivations: [.sort(.value()), .share()])),
  ("list of values", Query(filters: where_(Filter("metric", in: ["schools", "colleges"]), synthetic), groupBy: ["metric", "period"], derivations: [.sort(.key)])),
  ("no groups", Query(filters: where_(students, synthetic))),
  ("nothing matches", Query(filters: where_(Filter("metric", equals: "nothing")), groupBy: ["region"], derivations: [.top(3), .total()])),
  ("mixed units", Query(groupBy: ["region"])),
  ("both bounds of a range", Query(filters: where_(Filter("metric", equals: "funding"), Filter("status", equals: "plan")), groupBy: ["region"])),
  ("share of a mean is refused", Query(filters: where_(students), groupBy: ["region"], aggregate: .mean, derivations: [.share()])),
  // Key figures (`kpis:`): one group of every selected row, against another period.
  ("one figure against 2024", Query(
    filters: where_(students, synthetic, Filter("programme", equals: "Professionalism"), Filter("period", equals: "2025")),
    comparison: Comparison(dimension: "period", value: "2024"), derivations: [.change()])),
  ("one mean figure against 2019", Query(
    filters: where_(Filter("metric", equals: "funding"), synthetic, Filter("period", equals: "2025")), aggregate: .mean,
    comparison: Comparison(dimension: "period", value: "2019"), derivations: [.change()])),
  ("one qualified figure", Query(filters: where_(Filter("metric", equals: "students_participating"), actual))),
  ("one figure with no compared data", Query(
    filters: where_(Filter("metric", equals: "colleges"), Filter("period", equals: "2022")),
    comparison: Comparison(dimension: "period", value: "2021"), derivations: [.change()])),
  ("one figure with only compared data", Query(
    filters: where_(Filter("metric", equals: "graduates"), Filter("period", equals: "2021")),
    comparison: Comparison(dimension: "period", value: "2022"), derivations: [.change()])),
  ("one figure selecting nothing", Query(
    filters: where_(Filter("metric", equals: "colleges"), Filter("programme", equals: "Campus Programme"), Filter("period", equals: "2025")),
    comparison: Comparison(dimension: "period", value: "2024"), derivations: [.change()])),
]

@Suite struct SourceAgreementTests {
  static let memory = Result { () throws(DataError) in try MemoryTable(files: seedFiles) }

  static func sources() throws -> [(String, any DataSource)] {
    [
      ("CSV stream", FileSource(files: seedFiles)),
      ("in memory", try memory.get()),
      ("SQLite", SQLiteSource(path: try sharedSeeds.get(), table: "metrics", query: nil)),
    ]
  }

  /// The rows, or the error.
  private func answer(_ query: Query, from source: any DataSource) -> Result<[ResultRow], DataError> {
    Result { () throws(DataError) in try source.run(query).rows }
  }

  @Test(arguments: questions.indices)
  func everySourceGivesTheSameAnswer(_ index: Int) throws {
    let (name, query) = questions[index]
    let sources = try Self.sources()
    let reference = answer(query, from: sources[0].1)
    for (kind, source) in sources.dropFirst() {
      let found = answer(query, from: source)
      #expect(found == reference, "\(name): \(kind) differs from \(sources[0].0)")
    }
  }

  @Test func theQuestionsReachEveryRule() throws {
    // The list is only worth as much as what it exercises: errors, qualifiers, missing values,
    // folded rows and subtotals must all occur in the reference answers.
    let stream = try Self.sources()[0].1
    let answers = questions.map { answer($0.1, from: stream) }
    let rows = answers.compactMap { try? $0.get() }.flatMap { $0 }
    let errors = answers.compactMap { if case .failure(let error) = $0 { error } else { nil } }
    #expect(errors.contains { if case .mixedUnits = $0 { true } else { false } })
    #expect(errors.contains { if case .rangeBoundsCombined = $0 { true } else { false } })
    #expect(errors.contains { if case .invalidOption = $0 { true } else { false } })
    #expect(rows.contains { !$0.figure.qualifier.isEmpty })
    #expect(rows.contains { $0.value == nil && $0.kind == .group })
    #expect(rows.contains { if case .other = $0.kind { true } else { false } })
    #expect(rows.contains { $0.kind == .subtotal } && rows.contains { $0.kind == .total })
    #expect(rows.contains { $0.previous != nil } && rows.contains { $0.change?.relative != nil } && rows.contains { $0.rank != nil })
    #expect(questions.count >= 30)
  }
}

@Suite struct ControlCharacterTests {
  @Test func everySourceRefusesAControlCharacterInALabelItReads() throws {
    let csv = try temporaryFile("region,metric,value\nA,m,1\nB\u{1B}[31m,m,2\n")
    let database = try makeDatabase([
      "CREATE TABLE metrics(region TEXT, metric TEXT, value REAL)",
      "INSERT INTO metrics VALUES ('A', 'm', 1), ('B' || char(0) || 'x', 'm', 2)",
    ])
    let query = Query(groupBy: ["region"])
    let stream = dataError { () throws(DataError) in _ = try FileSource(files: [csv]).run(query) }
    let memory = dataError { () throws(DataError) in _ = try MemoryTable(files: [csv]).run(query) }
    let sqlite = dataError { () throws(DataError) in _ = try SQLiteSource(path: database, table: "metrics", query: nil).run(query) }
    // The files say where: line 3, column 2 (the escape after “B”).
    #expect(stream?.description == "\(csv):3:2: expected text without control characters in column “region”, found the control character U+001B (escape)")
    #expect(memory?.description == stream?.description)
    #expect(sqlite?.description.contains("column “region”: expected text without control characters, found the control character U+0000 (NUL)") == true, "\(String(describing: sqlite))")
    // A column the query does not read is not checked.
    #expect(try FileSource(files: [csv]).run(Query(groupBy: ["metric"])).rows.count == 1)
  }
}
