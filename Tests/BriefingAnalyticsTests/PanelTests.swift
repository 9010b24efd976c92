import BriefingAnalytics
import Foundation
import Testing

@Suite struct PanelTests {
  let regions = (1...89).map { "Region \($0)" }

  @Test func isDeterministicAndSeedDependent() {
    let a = PanelGenerator(regions: regions, seed: 7).observations()
    let b = PanelGenerator(regions: regions, seed: 7).observations()
    let c = PanelGenerator(regions: regions, seed: 8).observations()
    #expect(a == b)
    #expect(a != c)
  }

  @Test func hasRealisticShape() throws {
    let panel = PanelGenerator(regions: regions).observations()
    #expect(Set(panel.map(\.region)).count == 89)
    #expect(panel.allSatisfy { $0.status == "synthetic" && $0.source == "generated" })
    let years = Set(panel.map(\.period))
    #expect(years == Set((2019...2026).map(String.init)))
    let missing = panel.filter { $0.value == nil }.count
    #expect(missing > 0 && missing < panel.count / 50)
    // Some regions stay out of some programmes.
    let cells = Set(panel.map { "\($0.region)|\($0.programme)" })
    #expect(cells.count < 89 * PanelGenerator.federalProgrammes.count)
    // Students trained per region and programme in a year: hundreds to tens of thousands.
    let students = panel.filter { $0.metric == "students_trained" && $0.period == "2025" }.compactMap(\.value)
    let sorted = students.sorted()
    #expect(sorted[sorted.count / 2] > 300 && sorted[sorted.count / 2] < 20_000)
    // A metric keeps one unit.
    for metric in Set(panel.map(\.metric)) {
      #expect(Set(panel.filter { $0.metric == metric }.map(\.unit)).count == 1)
    }
  }

  @Test func rawRecordsAddUpToThePanel() throws {
    let generator = PanelGenerator(regions: Array(regions.prefix(5)), seed: 3)
    let base = generator.observations()
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("panel-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = dir.appendingPathComponent("raw.csv").path
    var writer = try CSVWriter(path: path)
    try generator.write(to: &writer, rows: base.count * 3 + 7)
    try writer.commit()
    let raw = try Dataset.load(csv: path)
    #expect(raw.observations.count == base.count * 3 + 7)
    let dims = ["region", "programme", "period", "metric"]
    let expected = try Dataset(observations: base).aggregate(by: dims)
    let actual = try raw.aggregate(by: dims)
    #expect(expected.count == actual.count)
    for (e, a) in zip(expected, actual) {
      #expect(e.keys == a.keys)
      #expect(e.value == a.value)
    }
  }

  @Test func tooFewRowsIsAnError() throws {
    let generator = PanelGenerator(regions: ["A"], seed: 1)
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("few-\(UUID().uuidString).csv").path
    var writer = try CSVWriter(path: path)
    #expect(throws: DataError.self) { try generator.write(to: &writer, rows: 3) }
    #expect(!FileManager.default.fileExists(atPath: path), "nothing is left behind")
  }
}
