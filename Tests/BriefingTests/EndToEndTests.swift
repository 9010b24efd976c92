import Briefing
import BriefingAnalytics
import Foundation
import Testing

@Suite(.serialized) struct EndToEndTests {
  let layout = projectRoot.appendingPathComponent("layouts/regional-overview.yaml").path

  @Test func defaultBriefingRendersRealContent() throws {
    let out = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: out) }
    let result = try BriefingBuilder(options: BuildOptions(outputDirectory: out.path)).build(layoutAt: layout)
    #expect(result.pageCount >= 2)
    #expect(result.charts.count == 4)
    let text = try tool("pdftotext", ["-layout", result.pdf, "-"]).output
    #expect(text.contains("Подготовка кадров для промышленности"))
    #expect(text.contains("Training personnel for industry"))
    #expect(text.contains("Иллюстративные синтетические данные"), "synthetic data is said on every page")
    #expect(text.components(separatedBy: "Иллюстративные синтетические данные").count - 1 == result.pageCount)
    #expect(text.contains("Стр. 1 из \(result.pageCount)"))
    #expect(text.components(separatedBy: "Сформировано 15.01.2026 · Стр. ").count - 1 == result.pageCount, "the build date in every footer")

    // The table's figures are the panel's, computed independently here from the raw rows.
    let panel = try Dataset.load(csv: projectRoot.appendingPathComponent("seeds/panel.csv").path)
    var byRegion: [String: Double] = [:]
    for o in panel.observations where o.programme == "Professionalism" && o.period == "2025" && o.metric == "students_trained" {
      byRegion[o.region, default: 0] += o.value ?? 0
    }
    let total = byRegion.values.reduce(0, +)
    let (topRegion, topValue) = try #require(byRegion.max { $0.value < $1.value })
    let names = try ReferenceTable.load(csv: projectRoot.appendingPathComponent("seeds/regions.csv").path).mapping(from: "name_en", to: "name_ru")
    let ru = NumberFormat(locale: .ru)
    let topName = try #require(names[topRegion])
    let topLine = try #require(text.split(separator: "\n").first { $0.contains(topName) })
    let spaced = { (s: String) in s.replacingOccurrences(of: "\u{202F}", with: " ") }
    #expect(topLine.contains(spaced(ru.decimal(topValue))), "\(topLine)")
    #expect(topLine.contains(ru.decimal(100 * topValue / total, fractionDigits: 1)))
    let totalLine = try #require(text.split(separator: "\n").first { $0.contains("Итого") })
    #expect(totalLine.contains(spaced(ru.decimal(total))) && totalLine.contains("100,0"), "\(totalLine)")

    // The appendix lists every federal subject by its Russian name, and the split table repeats its header.
    let plain = try tool("pdftotext", [result.pdf, "-"]).output
    for name in names.values { #expect(plain.contains(name), "\(name) is in the PDF") }
    // Its pages after the first are captioned «Продолжение табл. П1» over the repeated header.
    #expect(plain.components(separatedBy: "Таблица П1.").count - 1 == 1)
    #expect(plain.components(separatedBy: "Продолжение табл.\u{00A0}П1").count - 1 >= 1 || plain.components(separatedBy: "Продолжение табл. П1").count - 1 >= 1)

    // The appendix groups regions by federal district with subtotals against 2024, worked out here.
    let districtOf = try ReferenceTable.load(csv: projectRoot.appendingPathComponent("seeds/regions.csv").path)
      .mapping(from: "name_en", to: "federal_district")
    var district: [String: (now: Double, then: Double)] = [:]
    for o in panel.observations where o.metric == "students_trained" && (o.period == "2025" || o.period == "2024") {
      let key = try #require(districtOf[o.region])
      if o.period == "2025" { district[key, default: (0, 0)].now += o.value ?? 0 } else { district[key, default: (0, 0)].then += o.value ?? 0 }
    }
    let lines = text.split(separator: "\n").map(String.init)
    let subtotals = lines.filter { $0.contains("Итого по группе") }
    #expect(subtotals.count == 8, "one subtotal per federal district")
    for (_, figures) in district {
      let change = ru.signed(100 * (figures.now - figures.then) / figures.then, fractionDigits: 1)
      #expect(
        subtotals.contains { $0.contains(spaced(ru.decimal(figures.then))) && $0.contains(spaced(ru.decimal(figures.now))) && $0.contains(change) },
        "a subtotal line reads \(ru.decimal(figures.then)) → \(ru.decimal(figures.now)), \(change)")
    }
    #expect(lines.contains { $0.contains("Центральный федеральный округ") })
    // The documented figures keep the sources' wording.
    #expect(lines.contains { $0.contains("Моспром") && $0.contains("более 1 000") }, "\(lines.filter { $0.contains("Моспром") })")

    #expect(try tool("qpdf", ["--check", result.pdf]).status == 0)
    for chart in result.charts where chart.hasSuffix(".svg") {
      #expect(try tool("xmllint", ["--noout", chart]).status == 0)
    }
    let outline = try tool("qpdf", ["--json", "--json-key=outlines", result.pdf]).output
    #expect(outline.contains("Обучение по программе «Профессионалитет»"))
  }

  @Test func sameInputsGiveByteIdenticalFiles() throws {
    let a = try temporaryFolder()
    let b = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: a); try? FileManager.default.removeItem(at: b) }
    let first = try BriefingBuilder(options: BuildOptions(outputDirectory: a.path, sourceDateEpoch: 1_700_000_000)).build(layoutAt: layout)
    let second = try BriefingBuilder(options: BuildOptions(outputDirectory: b.path, sourceDateEpoch: 1_700_000_000)).build(layoutAt: layout)
    for (x, y) in zip([first.pdf] + first.charts, [second.pdf] + second.charts) {
      #expect(FileManager.default.contents(atPath: x) == FileManager.default.contents(atPath: y), "\(x)")
    }
    let info = try tool("pdfinfo", [first.pdf]).output
    #expect(info.contains("Tue Nov 14 22:13:20 2023 UTC"), "SOURCE_DATE_EPOCH sets the creation date")
  }

  @Test func dataStreamedPerBlockGivesTheSameBriefingAsDataLoadedOnce() throws {
    // Files over the streaming threshold are read by the streaming engine for every block, so
    // that a 2 GB export builds in bounded memory; the briefing must not change.
    let a = try temporaryFolder()
    let b = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: a); try? FileManager.default.removeItem(at: b) }
    let loaded = try BriefingBuilder(options: BuildOptions(outputDirectory: a.path, sourceDateEpoch: 1_700_000_000)).build(layoutAt: layout)
    let streamed = try BriefingBuilder(options: BuildOptions(outputDirectory: b.path, sourceDateEpoch: 1_700_000_000, streamingThreshold: 0))
      .build(layoutAt: layout)
    #expect(loaded.charts.count == streamed.charts.count)
    for (x, y) in zip([loaded.pdf] + loaded.charts, [streamed.pdf] + streamed.charts) {
      #expect(FileManager.default.contents(atPath: x) == FileManager.default.contents(atPath: y), "\(x)")
    }
  }

  @Test func streamedAndLoadedDataFailOnTheSameControlCharacters() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let seeds = projectRoot.appendingPathComponent("seeds")
    var lines = try String(contentsOf: seeds.appendingPathComponent("panel.csv"), encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
    // A NUL in `quote`, a column no block reads (without a sources table no footnote quotes it):
    // both paths build. In a region's name: both fail.
    lines[5] = lines[5] + "\u{0}"
    let quiet = lines.joined(separator: "\n")
    lines[9] = "X\u{0}" + lines[9]
    let loud = lines.joined(separator: "\n")
    let text = try String(contentsOfFile: layout, encoding: .utf8)
    for (name, data, fails) in [("quiet", quiet, false), ("loud", loud, true)] {
      try data.write(to: folder.appendingPathComponent("\(name).csv"), atomically: true, encoding: .utf8)
      let file = folder.appendingPathComponent("\(name).yaml")
      try text.replacingOccurrences(of: "sources: ../seeds/sources.csv\n", with: "")
        .replacingOccurrences(of: "../seeds/panel.csv", with: folder.appendingPathComponent("\(name).csv").path)
        .replacingOccurrences(of: "../seeds/", with: seeds.path + "/").write(to: file, atomically: true, encoding: .utf8)
      var messages: [String] = []
      for threshold in [BuildOptions.defaultStreamingThreshold, 0] {
        let options = BuildOptions(outputDirectory: folder.appendingPathComponent("out-\(name)-\(threshold)").path, streamingThreshold: threshold)
        do {
          _ = try BriefingBuilder(options: options).build(layoutAt: file.path)
          messages.append("built")
        } catch {
          messages.append("\(error)")
        }
      }
      #expect(messages[0] == messages[1], "\(name): loaded and streamed differ: \(messages)")
      #expect(messages[0].contains("expected text without control characters in column “region”") == fails, "\(name): \(messages[0])")
    }
  }

  @Test func cliBuildsAndReportsVersionAndHelp() throws {
    let out = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: out) }
    let built = try run(briefingExecutable(), ["build", layout, "--out", out.path])
    #expect(built.status == 0, "\(built.error)")
    #expect(built.output.contains("regional-overview.pdf"))
    #expect(try run(briefingExecutable(), ["--version"]).output.contains(briefingVersion))
    for sub in [["build"], ["seed"], ["seed", "panel"]] {
      let help = try run(briefingExecutable(), sub + ["--help"])
      #expect(help.status == 0 && help.output.contains("USAGE"), "\(sub)")
    }
  }

  @Test func badDataFailsClearlyAndLeavesNoPartialReport() throws {
    let dir = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: dir) }
    let out = dir.appendingPathComponent("out")
    try "region,programme,period,metric,value,unit\nMoscow,Professionalism,2025,students_trained,1600,persons\nKazan,Professionalism,2025,students_trained,lots,persons\n"
      .write(to: dir.appendingPathComponent("bad.csv"), atomically: true, encoding: .utf8)
    try """
      title: Bad
      language: en
      data: [bad.csv]
      blocks:
        - table: { query: { metric: students_trained, by: region } }
      """.write(to: dir.appendingPathComponent("bad.yaml"), atomically: true, encoding: .utf8)
    let result = try run(briefingExecutable(), ["build", dir.appendingPathComponent("bad.yaml").path, "--out", out.path])
    #expect(result.status == 65)
    #expect(result.error.contains("bad.csv:3:45: expected a number in column “value”, found “lots”"), "\(result.error)")
    let written = (try? FileManager.default.contentsOfDirectory(atPath: out.path)) ?? []
    #expect(written.isEmpty, "no half-written report: \(written)")
  }

  @Test func layoutErrorsNameTheProblem() throws {
    let dir = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: dir) }
    let yaml = dir.appendingPathComponent("l.yaml")
    try "title: [unclosed\n".write(to: yaml, atomically: true, encoding: .utf8)
    let broken = try run(briefingExecutable(), ["build", yaml.path, "--out", dir.path])
    #expect(broken.status == 65)
    #expect(broken.error.contains("l.yaml:") && broken.error.contains("invalid YAML"), "\(broken.error)")
    try "# nothing yet\n".write(to: yaml, atomically: true, encoding: .utf8)
    let empty = try run(briefingExecutable(), ["build", yaml.path, "--out", dir.path])
    #expect(empty.status == 65 && empty.error.contains("l.yaml: expected a layout (title, data, blocks …), found an empty file"), "\(empty.error)")
    try "- title: T\n".write(to: yaml, atomically: true, encoding: .utf8)
    let list = try run(briefingExecutable(), ["build", yaml.path, "--out", dir.path])
    #expect(list.error.contains("l.yaml:1:1: expected a layout of settings (title: …, data: …, blocks: …), found a list"), "\(list.error)")
    try "title: T\nlanguage: en\nblocks: []\n".write(to: yaml, atomically: true, encoding: .utf8)
    let missing = try run(briefingExecutable(), ["build", yaml.path, "--out", dir.path])
    #expect(missing.error.contains("expected the key “data”"), "\(missing.error)")
    let absent = try run(briefingExecutable(), ["build", dir.appendingPathComponent("none.yaml").path])
    #expect(absent.status == 65 && absent.error.contains("no such file"))
    // A misspelt setting is an error at its line and column, not a setting silently dropped.
    try "title: T\nlanguage: en\ndata: [d.csv]\npage: { size: a4, margin: 20 }\nblocks: []\n".write(to: yaml, atomically: true, encoding: .utf8)
    let page = try run(briefingExecutable(), ["build", yaml.path, "--out", dir.path])
    #expect(page.status == 65 && page.error.contains("l.yaml:4:19: unknown key “margin” in page; did you mean “margins”?"), "\(page.error)")
    try "title: T\nlanguage: en\ndata: [d.csv]\nblocks:\n  - table:\n      query: { metric: m, by: region, top: 3, sort: value, wher: {} }\n"
      .write(to: yaml, atomically: true, encoding: .utf8)
    let query = try run(briefingExecutable(), ["build", yaml.path, "--out", dir.path])
    #expect(query.error.contains("l.yaml:6:60: unknown key “wher” in a query; did you mean “where”?"), "\(query.error)")
    try "title: T\nlanguage: en\nTitle: again\ndata: [d.csv]\nblocks: []\n".write(to: yaml, atomically: true, encoding: .utf8)
    let top = try run(briefingExecutable(), ["build", yaml.path, "--out", dir.path])
    #expect(top.error.contains("l.yaml:3:1: unknown key “Title” in the layout; did you mean “title”?"), "\(top.error)")
    // Blocks count from 1 in every message, and closed lists say what they take.
    try "title: T\nlanguage: en\ndata: [d.csv]\nblocks:\n  - heading: H\n  - table: { query: { metric: m, by: region }, overflow: clip }\n"
      .write(to: yaml, atomically: true, encoding: .utf8)
    let word = try run(briefingExecutable(), ["build", yaml.path, "--out", dir.path])
    #expect(word.error.contains("l.yaml:6:58: block 2: table.overflow: expected one of wrap, ellipsize, found “clip”"), "\(word.error)")
    // A names table for a dimension the data lacks is a typo, not a silent English report.
    try "region,programme,period,metric,value,unit\nA,P,2025,m,1,u\n".write(to: dir.appendingPathComponent("d.csv"), atomically: true, encoding: .utf8)
    try "title: T\nlanguage: ru\ndata: [d.csv]\nnames: { regoin: d.csv }\nblocks: []\n".write(to: yaml, atomically: true, encoding: .utf8)
    let names = try run(briefingExecutable(), ["build", yaml.path, "--out", dir.path])
    #expect(names.error.contains("names: “regoin” is neither a dimension of the data (region, programme, period, metric)"), "\(names.error)")
  }

  @Test func layoutsReadRussianExportsThroughAColumnMapping() throws {
    let dir = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: dir) }
    try "Регион;Программа;Год;Показатель;Значение;Ед.\nMoscow;P;2025;m;1 600,5;persons\nTatarstan;P;2025;m;\"2 000\";persons\n"
      .write(to: dir.appendingPathComponent("export.csv"), atomically: true, encoding: .utf8)
    let yaml = dir.appendingPathComponent("l.yaml")
    try """
      title: T
      language: en
      data:
        - path: export.csv
          decimalComma: true
          columns: { Регион: region, Программа: programme, Год: period, Показатель: metric, Значение: value, Ед.: unit }
      blocks:
        - table: { query: { metric: m, by: region } }

      """.write(to: yaml, atomically: true, encoding: .utf8)
    let result = try run(briefingExecutable(), ["build", yaml.path, "--out", dir.path])
    #expect(result.status == 0, "\(result.error)")
    let text = try tool("pdftotext", ["-layout", dir.appendingPathComponent("l.pdf").path, "-"]).output
    #expect(text.contains("Tatarstan") && text.contains("2,000") && text.contains("1,601"), "\(text)")
    try "title: T\nlanguage: en\ndata: [{ path: export.csv, delimiter: '|' }]\nblocks: []\n".write(to: yaml, atomically: true, encoding: .utf8)
    let wrong = try run(briefingExecutable(), ["build", yaml.path, "--out", dir.path])
    #expect(wrong.status == 65 && wrong.error.contains("expected delimiter “,”, “;” or “tab” for export.csv, found “|”"), "\(wrong.error)")
  }

  @Test func coverPageAndContentsWithPageNumbers() throws {
    let dir = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: dir) }
    try "region,programme,period,metric,value,unit\nMoscow,P,2025,m,1600,persons\nKazan,P,2025,m,900,persons\n"
      .write(to: dir.appendingPathComponent("d.csv"), atomically: true, encoding: .utf8)
    let yaml = dir.appendingPathComponent("c.yaml")
    try """
      title: Training personnel for industry
      language: en
      cover: true
      author: Regional ministry
      date: "2026-01-15"
      source: "Source: test data"
      data: [d.csv]
      blocks:
        - contents: true
        - heading: First section
        - table: { query: { metric: m, by: region } }
        - pageBreak: true
        - heading: Second section
        - subheading: A subsection
        - paragraph: Text.

      """.write(to: yaml, atomically: true, encoding: .utf8)
    let result = try run(briefingExecutable(), ["build", yaml.path, "--out", dir.path])
    #expect(result.status == 0, "\(result.error)")
    let pdf = dir.appendingPathComponent("c.pdf").path
    let cover = try tool("pdftotext", ["-layout", "-f", "1", "-l", "1", pdf, "-"]).output
    #expect(cover.contains("Training personnel for industry") && cover.contains("15 January 2026") && cover.contains("Regional ministry"))
    #expect(!cover.contains("Page 1") && !cover.contains("Source: test data"), "no running header or footer on the cover")
    let contents = try tool("pdftotext", ["-layout", "-f", "2", "-l", "2", pdf, "-"]).output
    #expect(contents.contains("Page 2 of 3"))
    let lines = contents.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
    #expect(lines.contains { $0.hasPrefix("First section") && $0.hasSuffix(" 2") }, "\(contents)")
    #expect(lines.contains { $0.hasPrefix("Second section") && $0.hasSuffix(" 3") }, "\(contents)")
    #expect(lines.contains { $0.hasPrefix("A subsection") && $0.hasSuffix(" 3") }, "\(contents)")
    #expect(try tool("qpdf", ["--check", pdf]).status == 0)
    let objects = try tool("qpdf", ["--json", "--json-key=qpdf", pdf]).output
    #expect(objects.components(separatedBy: "\"/Subtype\": \"/Link\"").count - 1 == 3, "each contents line is a link")
    #expect(objects.contains("\"/Dest\": \"u:section-2\""))
  }

  @Test func charactersNoFontCanDrawFailTheBuild() throws {
    let dir = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: dir) }
    let yaml = try writeScenario(in: dir, data: "\u{E000} Region,P,2025,m,1,u\nB \u{E001},P,2025,m,2,u", tableMetric: "m")
    let out = dir.appendingPathComponent("out")
    let result = try run(briefingExecutable(), ["build", yaml.path, "--out", out.path])
    #expect(result.status == 70)
    #expect(result.error.contains("no installed font can draw U+E000, U+E001"), "\(result.error)")
    #expect(
      result.error.contains("in page 1, block 1 (table), row 1: “B <U+E001>”; page 1, block 1 (table), row 2: “<U+E000> Region”"),
      "\(result.error)")
    #expect(!FileManager.default.fileExists(atPath: out.path))
    // As a warning, the build goes on and says the same.
    let allowed = try run(briefingExecutable(), ["build", yaml.path, "--out", out.path, "--allow-missing-glyphs"])
    #expect(allowed.status == 0, "\(allowed.error)")
    #expect(allowed.error.contains("warning: l: no installed font can draw U+E000, U+E001"), "\(allowed.error)")
    #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("l.pdf").path))
  }

  @Test func anUnknownMetricIsNamedAtItsKey() throws {
    let dir = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: dir) }
    let yaml = try writeScenario(in: dir, data: "A,P,2025,m,1,u", tableMetric: "nothing")
    let result = try run(briefingExecutable(), ["build", yaml.path, "--out", dir.path])
    #expect(result.status == 65)
    #expect(result.error.contains("l.yaml:5:31: table 1: no row of the data has metric “nothing”"), "\(result.error)")
  }

  @Test func committedPanelIsWhatTheGeneratorMakes() throws {
    let dir = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = dir.appendingPathComponent("panel.csv").path
    let result = try run(briefingExecutable(), ["seed", "panel", "--out", path, "--regions", projectRoot.appendingPathComponent("seeds/regions.csv").path])
    #expect(result.status == 0, "\(result.error)")
    #expect(FileManager.default.contents(atPath: path) == FileManager.default.contents(atPath: projectRoot.appendingPathComponent("seeds/panel.csv").path))
    let loaded = try Dataset.load(csv: path)
    #expect(Set(loaded.observations.map(\.region)).count == 89)
  }
}
