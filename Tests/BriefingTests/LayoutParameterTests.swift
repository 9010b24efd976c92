import BriefingAnalytics
import BriefingLayout
import Foundation
import Testing

@testable import Briefing

/// Parameters (`params:`, `forEach:`, `--set`) and numbers in text (`figures:`), over the seed panel
/// and regions table: every figure worked out here from the CSV rows, every mistake at its line and
/// column with the nearest valid value.
@Suite struct LayoutParameterTests {
  let panel = projectRoot.appendingPathComponent("seeds/panel.csv").path
  let regions = projectRoot.appendingPathComponent("seeds/regions.csv").path
  let ru = NumberFormat(locale: .ru)
  let metrics = projectRoot.appendingPathComponent("seeds/metrics.csv").path

  /// A Russian layout over the panel with a `region` parameter and figures; `extra` lines go after
  /// `params` (line 8 on).
  func layout(_ extra: String = "", paragraph: String = "В 2025 году обучено {students} студентов — {rank}-е место среди {count} регионов, {share} всех; финансирование {funding}.") -> String {
    """
    id: "region-{region.slug}"
    language: ru
    title: "Справка: {region.name_ru}"
    data: [\(panel)]
    names: { region: \(regions) }
    params:
      region: Republic of Tatarstan
    \(extra)
    figures:
      students: { query: { metric: students_trained, where: { region: "{region}", period: 2025 } } }
      rank: { query: { metric: students_trained, where: { period: 2025 } }, by: region, rank: "{region}" }
      count: { query: { metric: students_trained, where: { period: 2025 } }, by: region, count: true }
      share: { query: { metric: students_trained, where: { period: 2025 } }, by: region, share: "{region}" }
      funding: { query: { metric: funding, where: { region: "{region}", period: 2025 } } }
    blocks:
      - heading: "{region.name_ru}"
      - paragraph: "\(paragraph)"
    metrics: \(metrics)

    """
  }

  func write(_ text: String) throws -> String {
    let file = try temporaryFolder().appendingPathComponent("l.yaml")
    try text.write(to: file, atomically: true, encoding: .utf8)
    return file.path
  }

  /// The texts of every page of a composed instance.
  func texts(_ instance: LayoutInstance) throws -> [String] {
    let composition = try BriefingBuilder().compose(instance)
    return composition.document.laidOut.pages.flatMap { $0.frame.flattenedTextRuns().map(\.text) }
  }

  /// 2025's students trained and funding by region, summed here from the CSV.
  func panelTotals(metric: String) throws -> [String: Double] {
    let text = try String(contentsOfFile: panel, encoding: .utf8)
    var totals: [String: Double] = [:]
    for line in text.split(separator: "\n").dropFirst() {
      let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
      guard fields[3] == metric, fields[2] == "2025", let value = Double(fields[4]) else { continue }
      totals[fields[0], default: 0] += value
    }
    return totals
  }

  @Test func figuresInTextEqualTheDataWorkedOutIndependently() throws {
    let path = try write(layout())
    let instance = try #require(try BriefingBuilder.instances(ofLayoutAt: path).first)
    #expect(instance.id == "region-republic-of-tatarstan")
    let students = try panelTotals(metric: "students_trained")
    let mine = try #require(students["Republic of Tatarstan"])
    let rank = students.values.filter { $0 > mine }.count + 1
    let share = 100 * mine / students.values.reduce(0, +)
    let funding = try #require(try panelTotals(metric: "funding")["Republic of Tatarstan"])
    // Money in the unit that keeps it short (README: «1 517,9 млн руб.», «13,6 млрд руб.»).
    let money = funding >= 1e10 ? (1e9, "млрд") : (1e6, "млн")
    let expected =
      "В 2025 году обучено \(ru.decimal(mine)) студентов — \(rank)-е место среди \(students.count) регионов, "
      + "\(ru.percent(share, fractionDigits: 1)) всех; финансирование \(ru.decimal(funding / money.0, fractionDigits: 1))\u{00A0}\(money.1) руб."
    let shown = try texts(instance).joined(separator: " ")
    #expect(shown.contains("Республика Татарстан"))
    #expect(shown.replacingOccurrences(of: "\n", with: " ").contains(expected), "\(shown)")
  }

  @Test func forEachBuildsOneBriefingPerRegionOfADistrictEachNamingItsOwn() throws {
    let path = try write(layout("forEach: { region: { federal_district: Volga } }\nfolder: regions"))
    let instances = try BriefingBuilder.instances(ofLayoutAt: path)
    let table = try ReferenceTable.load(csv: regions)
    let volga = table.rows.filter { $0["federal_district"] == "Volga" }
    #expect(instances.map { $0.parameters["region"] ?? "" } == volga.compactMap { $0["name_en"] })
    #expect(Set(instances.map(\.id)).count == instances.count)
    for (instance, row) in zip(instances, volga) {
      #expect(instance.spec.title == "Справка: \(row["name_ru"] ?? "")")
      #expect(instance.outputFileNames == ["regions/\(instance.id).pdf"])
    }
    // --set picks one of them.
    let one = try BriefingBuilder.instances(ofLayoutAt: path, settings: ["region": "Самарская область"])
    #expect(one.map(\.id) == ["region-samara-oblast"])
  }

  @Test func everyRegionWithAll() throws {
    let path = try write(layout("forEach: { region: all }"))
    let instances = try BriefingBuilder.instances(ofLayoutAt: path)
    #expect(instances.count == 89)
    #expect(Set(instances.map(\.id)).count == 89)
  }

  /// A filter on a names-table column (`federal_district`), and an attribute of an attribute.
  @Test func theRegionsOfItsDistrict() throws {
    let districts = projectRoot.appendingPathComponent("seeds/federal-districts.csv").path
    let district = "  district: { query: { metric: students_trained, where: { period: 2025, federal_district: \"{region.federal_district}\" } }, by: region, rank: \"{region}\" }\n"
    let text = layout(paragraph: "{district}-е место в округе: {region.federal_district.name_ru}.")
      .replacingOccurrences(of: "names: { region: \(regions) }", with: "names: { region: \(regions), federal_district: \(districts) }")
      .replacingOccurrences(of: "figures:\n", with: "figures:\n" + district)
    let instance = try #require(try BriefingBuilder.instances(ofLayoutAt: try write(text)).first)
    let students = try panelTotals(metric: "students_trained")
    let volga = Set(try ReferenceTable.load(csv: regions).rows.filter { $0["federal_district"] == "Volga" }.compactMap { $0["name_en"] })
    let mine = try #require(students["Republic of Tatarstan"])
    let rank = students.filter { volga.contains($0.key) && $0.value > mine }.count + 1
    let shown = try texts(instance).joined(separator: " ")
    #expect(shown.contains("\(rank)-е место в округе: Приволжский федеральный округ."), "\(shown)")
    // A district no row has: the nearest one.
    let wrong = try problem(text.replacingOccurrences(of: "federal_district: \"{region.federal_district}\"", with: "federal_district: Volgа"))
    #expect(wrong.contains("no row of the names table of “region” has federal_district “Volgа” (did you mean “Volga”?)"), "\(wrong)")
  }

  /// `otherwise:` for a region outside a programme; without it, the same figure is an error.
  @Test func aRegionWithoutTheFigureSaysSoWhenTheLayoutAllowsIt() throws {
    let text = try String(contentsOfFile: panel, encoding: .utf8)
    var campus: Set<String> = []
    for line in text.split(separator: "\n") where line.contains(",Campus Programme,2025,campus_student_places,") {
      campus.insert(String(line.split(separator: ",")[0]))
    }
    let regionNames = try ReferenceTable.load(csv: regions).column("name_en")
    let outside = try #require(regionNames.first { !campus.contains($0) })
    let figure = "  campus: { query: { metric: campus_student_places, where: { programme: Campus Programme, period: 2025 } }, by: region, rank: \"{region}\", otherwise: \"не участвует\" }\n"
    let kpi = "  - kpis:\n      - { label: Кампусы, query: { metric: campus_student_places, where: { region: \"{region}\", programme: Campus Programme, period: 2025 } }, compare: 2024, otherwise: \"—\" }\n      - { label: Всего, query: { metric: students_trained, where: { region: \"{region}\", period: 2025 } } }\n"
    let layoutText = layout(paragraph: "Кампусы: {campus}.")
      .replacingOccurrences(of: "figures:\n", with: "figures:\n" + figure)
      .replacingOccurrences(of: "blocks:\n", with: "blocks:\n" + kpi)
    let instance = try #require(try BriefingBuilder.instances(ofLayoutAt: try write(layoutText), settings: ["region": outside]).first)
    let shown = try texts(instance)
    #expect(shown.joined(separator: " ").contains("Кампусы: не участвует."))
    #expect(shown.contains("—"))
    // Without `otherwise`, the empty selection is an error at the figure.
    let strict = try problem(layoutText.replacingOccurrences(of: ", otherwise: \"не участвует\"", with: ""), settings: ["region": outside])
    #expect(strict.contains("figure “campus”: rank: no region “\(outside)”"), "\(strict)")
  }

  /// Metric names and units come from the metrics table; a metric it lacks is an error at its key.
  @Test func metricNamesComeFromTheMetricsTable() throws {
    let table = "  - table: { query: { metric: campus_student_places, by: region, where: { period: 2025 }, top: 3 } }\n"
    let text = layout().replacingOccurrences(of: "blocks:\n", with: "blocks:\n" + table)
    let shown = try texts(try #require(try BriefingBuilder.instances(ofLayoutAt: try write(text)).first))
    #expect(shown.contains("Места для студентов в кампусах, ед."), "\(shown)")
    // A metrics table without the row: an error at the metric, though the data has it.
    let trimmed = try temporaryFolder().appendingPathComponent("metrics.csv")
    try String(contentsOfFile: metrics, encoding: .utf8).split(separator: "\n").filter { !$0.hasPrefix("campus_student_places,") }
      .joined(separator: "\n").write(to: trimmed, atomically: true, encoding: .utf8)
    let missing = try problem(text.replacingOccurrences(of: "metrics: \(metrics)", with: "metrics: \(trimmed.path)"))
    #expect(missing.hasPrefix("l.yaml:16:31: table 1: the metric “campus_student_places” has no name in the metrics table"), "\(missing)")
    // A metric the data lacks too is a typo, with the data's nearest.
    let typo = try problem(text.replacingOccurrences(of: "metric: campus_student_places", with: "metric: campus_places"))
    #expect(typo.contains("no row of the data has metric “campus_places” (did you mean “campus_student_places”?)"), "\(typo)")
  }

  @Test func bracesAndSentenceEnds() throws {
    let path = try write(layout(paragraph: "Скобки {{так}}, {не параметр} и {2025}; итог — {funding}."))
    let instance = try #require(try BriefingBuilder.instances(ofLayoutAt: path).first)
    let shown = try texts(instance).joined(separator: " ")
    #expect(shown.contains("Скобки {так}, {не параметр} и {2025}; итог — "))
    // The unit's full stop ends the sentence: no second one.
    #expect(shown.contains(" руб.") && !shown.contains("руб.."))
  }

  /// The error `instances` or the build gives, as the command line prints it.
  func problem(_ text: String, settings: [String: String] = [:]) throws -> String {
    let path = try write(text)
    do {
      for instance in try BriefingBuilder.instances(ofLayoutAt: path, settings: settings) { _ = try BriefingBuilder().compose(instance) }
    } catch {
      return "\(error)".replacingOccurrences(of: path, with: "l.yaml")
    }
    Issue.record("no error")
    return ""
  }

  @Test func mistakesAreReportedWhereTheyAreWithTheNearestValue() throws {
    #expect(try problem(layout(), settings: ["region": "Tatarsan"]).contains("--set region=Tatarsan: no region “Tatarsan”") )
    #expect(try problem(layout(), settings: ["region": "Tatarsan"]).contains("did you mean “Republic of Tatarstan”?"))
    #expect(try problem(layout(), settings: ["region": "Татарстан"]).contains("did you mean “Republic of Tatarstan”?"))
    // An undeclared figure, at its line and column (line 17, the paragraph's text starts at column 17).
    let undeclared = try problem(layout(paragraph: "Обучено {studnets}."))
    #expect(undeclared.hasPrefix("l.yaml:17:25: “{studnets}” is neither a parameter nor a figure"), "\(undeclared)")
    #expect(undeclared.contains("did you mean “{students}”?"))
    // A column the names table lacks.
    let attribute = try problem(layout(paragraph: "{region.nam_ru}"))
    #expect(attribute.hasPrefix("l.yaml:17:17: “{region.nam_ru}”"), "\(attribute)")
    #expect(attribute.contains("did you mean “{region.name_ru}”?"))
    // A default that is no region, at its line.
    let wrongDefault = try problem(layout().replacingOccurrences(of: "region: Republic of Tatarstan", with: "region: Republic of Tatarsan"))
    #expect(wrongDefault.hasPrefix("l.yaml:7:11: params: region: no region “Republic of Tatarsan”"), "\(wrongDefault)")
    // A forEach filter on a value no row has.
    let filter = try problem(layout("forEach: { region: { federal_district: Volgа } }"))
    #expect(filter.hasPrefix("l.yaml:8:"), "\(filter)")
    #expect(filter.contains("did you mean “Volga”?"))
    // A figure selecting nothing: at its query.
    let empty = try problem(layout().replacingOccurrences(of: "metric: funding, where: { region: \"{region}\", period: 2025 }", with: "metric: funding, where: { region: \"{region}\", period: 2035 }"))
    #expect(empty.contains("figure “funding”"), "\(empty)")
    #expect(empty.hasPrefix("l.yaml:14:"), "\(empty)")
    // A rank of a group the query does not have.
    let rank = try problem(layout().replacingOccurrences(of: "rank: \"{region}\"", with: "rank: Atlantis"))
    #expect(rank.hasPrefix("l.yaml:11:"), "\(rank)")
    #expect(rank.contains("rank: no region “Atlantis”"), "\(rank)")
  }

  @Test func forEachWithoutAParameterInTheIdIsRefusedBeforeAnythingIsWritten() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("l.yaml")
    try layout("forEach: { region: [Republic of Tatarstan, Samara Oblast] }").replacingOccurrences(of: "id: \"region-{region.slug}\"", with: "id: region")
      .write(to: file, atomically: true, encoding: .utf8)
    let out = folder.appendingPathComponent("out")
    let result = try run(briefingExecutable(), ["build", file.path, "--out", out.path])
    #expect(result.status == 65)
    #expect(result.error.contains("(region = Samara Oblast) would write “region.pdf”"), "\(result.error)")
    #expect(!FileManager.default.fileExists(atPath: out.path))
    // An unknown --set is a usage error.
    let unknown = try run(briefingExecutable(), ["build", file.path, "--out", out.path, "--set", "regoin=X"])
    #expect(unknown.status == 64)
    #expect(unknown.error.contains("--set regoin=…: no layout given declares a parameter “regoin”"))
  }
}
