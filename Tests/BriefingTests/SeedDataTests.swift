import BriefingAnalytics
import Foundation
import Testing

/// The seed data means what it says: regions have their real sizes, the illustrative panel follows
/// them, every metric counts one kind of thing, and every metric and source is described.
@Suite struct SeedDataTests {
  static let seeds = projectRoot.appendingPathComponent("seeds")
  static let admittedIn2022: Set<String> = ["Donetsk People's Republic", "Lugansk People's Republic", "Zaporozhye Oblast", "Kherson Oblast"]

  let regions: ReferenceTable
  let panel: Dataset
  let documented: Dataset

  init() throws {
    regions = try ReferenceTable.load(csv: Self.seeds.appendingPathComponent("regions.csv").path)
    panel = try Dataset.load(csv: Self.seeds.appendingPathComponent("panel.csv").path)
    documented = try Dataset.load(csv: Self.seeds.appendingPathComponent("documented.csv").path)
  }

  /// Each region's population as a whole number of persons, nil where the table leaves it empty.
  var populations: [String: Int] {
    regions.rows.reduce(into: [:]) { result, row in
      if let name = row["name_en"], let text = row["population"], let value = Int(text) { result[name] = value }
    }
  }

  /// Students trained in 2025 per region, over every programme, largest first.
  var studentsTrained2025: [(region: String, value: Double)] {
    var totals: [String: Double] = [:]
    for o in panel.observations where o.metric == "students_trained" && o.period == "2025" {
      totals[o.region, default: 0] += o.value ?? 0
    }
    return totals.map { ($0.key, $0.value) }.sorted { $0.value > $1.value }
  }

  @Test func populationsArePositiveWholeNumbersWithADateAndASource() throws {
    #expect(regions.header.contains("population") && regions.header.contains("population_date") && regions.header.contains("population_source"))
    for row in regions.rows {
      let name = row["name_en"] ?? "?"
      let text = row["population"] ?? ""
      if Self.admittedIn2022.contains(name) {
        #expect(text.isEmpty, "\(name): the 2021 census did not cover it, so its population stays empty")
        continue
      }
      let value = try #require(Int(text), "\(name): population “\(text)” is not a whole number")
      #expect(value > 0, "\(name)")
      #expect(text == String(value), "\(name): “\(text)” is written without separators or signs")
      #expect(row["population_date"] == "2021-10-01", "\(name)")
      #expect(row["population_source"]?.hasPrefix("http") == true, "\(name) names the page its figure was copied from")
    }
    #expect(populations.count == 85)
    // The 85 census figures add up to the census total of the Russian Federation.
    #expect(populations.values.reduce(0, +) == 147_182_123)
  }

  @Test func theSevenLargestRegionsAreAmongTheTopTenByStudentsTrained() throws {
    let largest = populations.sorted { $0.value > $1.value }.prefix(7).map(\.key)
    #expect(Set(largest) == ["Moscow", "Moscow Oblast", "Krasnodar Krai", "Saint Petersburg", "Sverdlovsk Oblast", "Rostov Oblast", "Republic of Bashkortostan"])
    let topTen = Set(studentsTrained2025.prefix(10).map(\.region))
    for region in largest {
      #expect(topTen.contains(region), "\(region) is among the ten regions training the most students in 2025: \(studentsTrained2025.prefix(10).map(\.region))")
    }
  }

  @Test func noAutonomousOkrugIsAmongTheTopTwenty() throws {
    let types = regions.mapping(from: "name_en", to: "type")
    let topTwenty = studentsTrained2025.prefix(20).map(\.region)
    #expect(topTwenty.count == 20)
    for region in topTwenty {
      #expect(types[region] != "autonomous_okrug", "\(region) is among the top 20 by students trained")
    }
  }

  @Test func onlyProfessionalismAndAdvancedEngineeringSchoolsTrainStudents() throws {
    let trainers: Set<String> = ["Professionalism", "Advanced Engineering Schools"]
    for o in panel.observations + documented.observations where o.metric == "students_trained" {
      #expect(trainers.contains(o.programme), "line \(o.line): \(o.programme) reports students_trained")
    }
    let panelTrainers = Set(panel.observations.filter { $0.metric == "students_trained" }.map(\.programme))
    #expect(panelTrainers == trainers)
    // Early career guidance counts schoolchildren; campuses count places.
    let guidance = Set(panel.observations.filter { $0.programme == "Early Career Guidance" }.map(\.metric))
    #expect(guidance.contains("schoolchildren_participating"))
    let campus = Set(panel.observations.filter { $0.programme == "Campus Programme" }.map(\.metric))
    #expect(campus.contains("campus_student_places"))
  }

  @Test func everyMetricHasExactlyOneRowInTheMetricsTable() throws {
    let table = try ReferenceTable.load(csv: Self.seeds.appendingPathComponent("metrics.csv").path)
    #expect(table.header == ["metric", "name_en", "name_ru", "unit", "unit_en", "unit_ru", "decimals", "description"])
    let names = table.column("metric")
    #expect(Set(names).count == names.count, "a metric is listed twice")
    let units = table.mapping(from: "metric", to: "unit")
    let used = panel.observations + documented.observations
    for metric in Set(used.map(\.metric)) {
      #expect(names.filter { $0 == metric }.count == 1, "metrics.csv has no row (or several) for \(metric)")
      let dataUnits = Set(used.filter { $0.metric == metric }.map(\.unit))
      #expect(dataUnits == [units[metric] ?? "?"], "\(metric): the data uses \(dataUnits), metrics.csv says \(units[metric] ?? "nothing")")
    }
    for row in table.rows {
      let metric = row["metric"] ?? "?"
      #expect(!(row["name_ru"] ?? "").isEmpty && !(row["unit_ru"] ?? "").isEmpty, "\(metric) has a Russian name and unit")
      #expect(Int(row["decimals"] ?? "") != nil, "\(metric): decimals is a whole number")
      // The gallery's stress data (layouts/data/gallery-stress.csv) uses two metrics of its own.
      #expect(Set(used.map(\.metric)).union(["balance", "vacancy_share"]).contains(metric), "\(metric) is described but used by no seed file")
    }
  }

  @Test func everySourceHasARowInTheSourcesTable() throws {
    let table = try ReferenceTable.load(csv: Self.seeds.appendingPathComponent("sources.csv").path)
    let sources = table.column("source")
    #expect(Set(sources).count == sources.count)
    for source in Set(documented.observations.map(\.source)) {
      #expect(sources.contains(source), "sources.csv has no row for \(source)")
    }
    for row in table.rows {
      let published = row["published"] ?? ""
      #expect(published.isEmpty || published.wholeMatch(of: /\d{4}-\d{2}-\d{2}/) != nil, "\(row["source"] ?? "?"): published “\(published)” is an ISO 8601 date or empty")
    }
  }
}
