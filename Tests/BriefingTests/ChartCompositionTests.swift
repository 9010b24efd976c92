import BriefingLayout
import Foundation
import Testing

@testable import Briefing

/// Charts as layouts ask for them, over the committed panel: every bar is checked against sums
/// worked out here from seeds/panel.csv, independently of the query engine.
@Suite struct ChartCompositionTests {
  /// The panel's rows (it has no quoted fields).
  static let panel: [[String: String]] = {
    let text = (try? String(contentsOf: projectRoot.appendingPathComponent("seeds/panel.csv"), encoding: .utf8)) ?? ""
    let lines = text.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    guard let header = lines.first else { return [] }
    return lines.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
  }()

  /// The sum of `metric` over the panel's rows that match every condition.
  func sum(_ metric: String, _ conditions: [String: String]) -> Double? {
    let values = Self.panel.filter { row in
      row["metric"] == metric && conditions.allSatisfy { row[$0.key] == $0.value }
    }.compactMap { Double($0["value"] ?? "") }
    return values.isEmpty ? nil : values.reduce(0, +)
  }

  /// The chart of a one-block layout over the panel, with `chart` under `- chart:`.
  func chart(_ yaml: String, names: Bool = false) throws -> Chart {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("l.yaml")
    let body = yaml.split(separator: "\n").map { "      " + $0 }.joined(separator: "\n")
    let seeds = projectRoot.appendingPathComponent("seeds").path
    try """
      title: T
      language: en
      data: [\(seeds)/panel.csv]
      blocks:
        - chart:
      \(body)
      """.write(to: file, atomically: true, encoding: .utf8)
    let composition = try BriefingBuilder(options: BuildOptions(outputDirectory: folder.path)).compose(layoutAt: file.path)
    guard case .chart(let spec) = composition.composer.spec.blocks[0] else { throw CocoaError(.featureUnsupported) }
    return try composition.composer.makeChart(spec, index: 0)
  }

  @Test func groupedBarsAreTheSumsOfTheirCells() throws {
    let chart = try chart("""
      id: g
      query: { metric: students_trained, by: programme, where: { period: [2024, 2025] } }
      series: period
      """)
    #expect(chart.kind == .grouped)
    #expect(chart.series.map(\.name) == ["2024", "2025"])
    for (index, programme) in chart.categories.enumerated() {
      for series in chart.series {
        #expect(series.values[index] == sum("students_trained", ["programme": programme, "period": series.name]), "\(programme) \(series.name)")
      }
    }
    // Categories by their total, largest first.
    let totals = chart.categories.indices.map { i in chart.series.compactMap { $0.values[i] }.reduce(0, +) }
    #expect(totals == totals.sorted(by: >))
  }

  @Test func stackedTopNFoldsTheRestIntoOneBarPerSeries() throws {
    let chart = try chart("""
      id: s
      kind: stacked
      query: { metric: jobs_created, by: region, where: { period: 2025 }, top: 5 }
      series: programme
      """)
    #expect(chart.categories.count == 6)
    #expect(chart.categories.last?.hasPrefix("Other") == true)
    let regions = Set(Self.panel.filter { $0["metric"] == "jobs_created" && $0["period"] == "2025" }.compactMap { $0["region"] })
    let kept = Set(chart.categories.dropLast())
    for series in chart.series {
      let rest = regions.subtracting(kept).compactMap { sum("jobs_created", ["region": $0, "programme": series.name, "period": "2025"]) }
      let expected = rest.isEmpty ? nil : rest.reduce(0, +)
      let shown = series.values.last ?? nil
      #expect(abs((shown ?? 0) - (expected ?? 0)) < 1e-6 && (shown == nil) == (expected == nil), "\(series.name)")
    }
  }

  @Test func aSeriesDimensionWithManyValuesKeepsTheLargestAndFoldsTheRest() throws {
    let chart = try chart("""
      id: m
      query: { metric: students_trained, by: programme, where: { period: 2025 } }
      series: region
      """)
    #expect(chart.series.count == DocumentComposer.maximumSeries)
    let other = try #require(chart.series.last)
    let reporting = Set(Self.panel.filter { $0["metric"] == "students_trained" && $0["period"] == "2025" }.compactMap { $0["region"] })
    #expect(other.name.hasPrefix("Other (\(reporting.count - 7)"), "\(other.name)")
    #expect(chart.seriesColors.last == Theme.bulletin.otherFill)
    // Each programme's bars still add up to its total across all regions.
    for (index, programme) in chart.categories.enumerated() {
      let shown = chart.series.compactMap { $0.values[index] }.reduce(0, +)
      let total = sum("students_trained", ["programme": programme, "period": "2025"]) ?? 0
      #expect(abs(shown - total) < 1e-6, "\(programme)")
    }
    // The kept regions are the seven with the largest totals.
    let regions = Set(Self.panel.compactMap { $0["region"] })
    let byTotal = regions.map { ($0, sum("students_trained", ["region": $0, "period": "2025"]) ?? 0) }.sorted { $0.1 > $1.1 }
    #expect(Set(chart.series.dropLast().map(\.name)) == Set(byTotal.prefix(7).map(\.0)))
  }

  @Test func changeBarsArePercentChangesSortedLargestFirst() throws {
    let chart = try chart("""
      id: c
      query: { metric: funding, by: region, where: { period: 2025 }, top: 12 }
      compare: 2024
      other: false
      """)
    #expect(chart.kind == .diverging)
    #expect(chart.categories.count == 12)
    let values = chart.series[0].values.compactMap { $0 }
    #expect(values == values.sorted(by: >))
    for (index, region) in chart.categories.enumerated() {
      guard let now = sum("funding", ["region": region, "period": "2025"]), let then = sum("funding", ["region": region, "period": "2024"]) else { continue }
      let expected = (now - then) / abs(then) * 100
      #expect(abs((chart.series[0].values[index] ?? .nan) - expected) < 1e-9, "\(region)")
    }
    #expect(chart.numbers.valueLabel(12.5).hasPrefix("+"))
  }

  @Test func sortOrdersAreAsAsked() throws {
    let ascending = try chart("""
      id: a
      query: { metric: students_trained, by: programme, where: { period: 2025 }, sort: valueAscending }
      """)
    let values = ascending.series[0].values.compactMap { $0 }
    #expect(values == values.sorted())
    let listed = try chart("""
      id: l
      query: { metric: students_trained, by: programme, where: { period: 2025 }, sort: [Advanced Engineering Schools, Professionalism] }
      """)
    #expect(Array(listed.categories.prefix(2)) == ["Advanced Engineering Schools", "Professionalism"])
  }

  @Test func lowContrastFailsTheBuildUnlessAllowed() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let seeds = projectRoot.appendingPathComponent("seeds").path
    try """
      title: T
      language: en
      theme: { palette: ["#2F6D9E", "#2F6D9F"] }
      data: [\(seeds)/panel.csv]
      blocks:
        - chart: { id: c, query: { metric: students_trained, by: programme, where: { period: [2024, 2025] } }, series: period }
      """.write(to: folder.appendingPathComponent("l.yaml"), atomically: true, encoding: .utf8)
    let refused = try run(briefingExecutable(), ["build", "l.yaml", "--out", "out"], in: folder)
    #expect(refused.status == 65)
    #expect(refused.error.contains("l.yaml:6:") && refused.error.contains("hard to tell apart"), "\(refused.error)")
    #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("out").path))
    let allowed = try run(briefingExecutable(), ["build", "l.yaml", "--out", "out", "--allow-low-contrast"], in: folder)
    #expect(allowed.status == 0, "\(allowed.error)")
    #expect(allowed.error.contains("warning:") && allowed.error.contains("hard to tell apart"))
  }
}
