import BriefingAnalytics
import Foundation
import Testing

/// The five seed-region briefings, read back from their PDFs (`pdftotext`) as a reader would: every
/// documented figure of the region shown with its source and quote in a footnote on the same page,
/// every panel figure in a sentence equal to the one worked out here from the CSV.
@Suite struct SeedBriefingTests {
  static let regions = [
    "tatarstan": "Republic of Tatarstan", "ulyanovsk": "Ulyanovsk Oblast", "moscow": "Moscow", "vladimir": "Vladimir Oblast",
    "chelyabinsk": "Chelyabinsk Oblast",
  ]
  let seeds = projectRoot.appendingPathComponent("seeds")

  /// Builds the five layouts and returns each one's pages as text, whitespace collapsed.
  func builtPages() throws -> [String: [String]] {
    let out = try temporaryFolder()
    let files = Self.regions.keys.sorted().map { projectRoot.appendingPathComponent("layouts/\($0).yaml").path }
    let result = try run(briefingExecutable(), ["build"] + files + ["--out", out.path])
    #expect(result.status == 0, "\(result.error)")
    var pages: [String: [String]] = [:]
    for id in Self.regions.keys {
      let text = try tool("pdftotext", ["-enc", "UTF-8", out.appendingPathComponent("\(id).pdf").path, "-"]).output
      pages[id] = text.split(separator: "\u{0C}", omittingEmptySubsequences: false).map { Self.collapsed(String($0)) }
    }
    try? FileManager.default.removeItem(at: out)
    return pages
  }

  static func collapsed(_ text: String) -> String {
    text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
  }

  /// The digits a figure shows: money in the unit that keeps it short (README), the rest as it is.
  static func digits(of value: Double, unit: String) -> String {
    var shown = value
    if unit == "RUB" { shown = value >= 1e10 ? value / 1e9 : value >= 1e7 ? value / 1e6 : value }
    return String(Int(shown.rounded()))
  }

  @Test func everyDocumentedFigureIsShownWithItsSourceAndQuoteOnItsPage() throws {
    let documented = try ReferenceTable.load(csv: seeds.appendingPathComponent("documented.csv").path).rows
    let sources = try ReferenceTable.load(csv: seeds.appendingPathComponent("sources.csv").path).rows
    let pages = try builtPages()
    for (id, region) in Self.regions.sorted(by: { $0.key < $1.key }) {
      let briefing = try #require(pages[id])
      let rows = documented.filter { $0["region"] == region }
      #expect(!rows.isEmpty)
      for row in rows {
        let quote = Self.collapsed(row["quote"] ?? "")
        let value = try #require(Double(row["value"] ?? ""))
        // The quote, in a footnote: «Цитата: «…»».
        let page = briefing.firstIndex { $0.contains("Цитата: «\(quote)»") }
        #expect(page != nil, "\(id): no footnote quotes “\(quote)”")
        guard let page else { continue }
        let text = briefing[page]
        // The figure on the same page, and its source named there (or «Там же» right after it).
        let digitsOnly = text.filter(\.isNumber)
        #expect(digitsOnly.contains(Self.digits(of: value, unit: row["unit"] ?? "")), "\(id): \(value) not on the page of its quote")
        let source = try #require(sources.first { $0["source"] == row["source"] })
        let named = [source["title"], source["publisher"]].compactMap { $0 }.filter { !$0.isEmpty }.map { String(Self.collapsed($0).prefix(30)) }
        #expect(named.contains { text.contains($0) } || text.contains("Там же. Цитата: «\(quote)»"), "\(id): the source of “\(quote)”")
      }
      // The closing list names the region's source.
      let last = try #require(briefing.last { !$0.isEmpty })
      #expect(last.contains("Источники"), "\(id)")
      for sourceID in Set(rows.compactMap { $0["source"] }) {
        let source = try #require(sources.first { $0["source"] == sourceID })
        let named = [source["title"], source["publisher"]].compactMap { $0 }.first { !$0.isEmpty }.map { String(Self.collapsed($0).prefix(30)) } ?? sourceID
        #expect(last.contains(named), "\(id): \(sourceID) not listed")
      }
    }
  }

  @Test func sentencesQuoteThePanelAsItIs() throws {
    let regionTable = try ReferenceTable.load(csv: seeds.appendingPathComponent("regions.csv").path).rows
    let panel = try String(contentsOf: seeds.appendingPathComponent("panel.csv"), encoding: .utf8)
    var students: [String: Double] = [:]
    for line in panel.split(separator: "\n").dropFirst() {
      let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
      guard fields[3] == "students_trained", fields[2] == "2025", fields[6] == "synthetic", let value = Double(fields[4]) else { continue }
      students[fields[0], default: 0] += value
    }
    let pages = try builtPages()
    let ru = NumberFormat(locale: .ru)
    for (id, region) in Self.regions {
      let mine = try #require(students[region])
      let district = regionTable.first { $0["name_en"] == region }?["federal_district"]
      let neighbours = Set(regionTable.filter { $0["federal_district"] == district }.compactMap { $0["name_en"] })
      let inDistrict = students.filter { neighbours.contains($0.key) }
      let sentence =
        "обученных в регионе в 2025 году по программам «Профессионалитет» и «Передовые инженерные школы», — \(ru.decimal(mine)): "
        + "\(students.values.filter { $0 > mine }.count + 1)-е место среди \(students.count) "
        + "субъектов Российской Федерации и \(inDistrict.values.filter { $0 > mine }.count + 1)-е среди \(inDistrict.count) субъектов округа"
      let text = Self.collapsed((pages[id] ?? []).joined(separator: " ")).replacingOccurrences(of: "\u{00A0}", with: " ")
      #expect(text.contains(Self.collapsed(sentence).replacingOccurrences(of: "\u{00A0}", with: " ")), "\(id): \(sentence)")
    }
  }

  @Test func aSourceMissingFromTheSourcesTableIsAnErrorAtTheDataRow() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    var lines = try String(contentsOf: seeds.appendingPathComponent("documented.csv"), encoding: .utf8).split(separator: "\n").map(String.init)
    let row = try #require(lines.firstIndex { $0.hasPrefix("Chelyabinsk Oblast,Corporate Training,2024,employees_hired,") })
    lines[row] = lines[row].replacingOccurrences(of: "004_af3ddc70366262e7.txt", with: "005_missing.txt")
    try (lines.joined(separator: "\n") + "\n").write(to: folder.appendingPathComponent("documented.csv"), atomically: true, encoding: .utf8)
    let layout = try String(contentsOf: projectRoot.appendingPathComponent("layouts/chelyabinsk.yaml"), encoding: .utf8)
      .replacingOccurrences(of: "../seeds/documented.csv", with: folder.appendingPathComponent("documented.csv").path)
      .replacingOccurrences(of: "../seeds/", with: seeds.path + "/")
    try layout.write(to: folder.appendingPathComponent("l.yaml"), atomically: true, encoding: .utf8)
    let result = try run(briefingExecutable(), ["build", "l.yaml", "--out", "out"], in: folder)
    #expect(result.status == 65)
    #expect(result.error.contains("documented.csv:\(row + 1):"), "\(result.error)")
    #expect(result.error.contains("the source “005_missing.txt” of this documented figure has no row in the sources table"), "\(result.error)")
    #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("out").path))
  }
}
