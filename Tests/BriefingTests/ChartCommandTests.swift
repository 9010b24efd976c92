import BriefingLayout
import Foundation
import Testing

@testable import Briefing

/// `briefing chart` as a user runs it: one chart from data and flags (or a spec file), without a
/// layout, written atomically or to standard output, with `build`'s checks and exit codes.
@Suite struct ChartCommandTests {
  let seeds = projectRoot.appendingPathComponent("seeds")
  var panel: String { seeds.appendingPathComponent("panel.csv").path }
  var regions: String { seeds.appendingPathComponent("regions.csv").path }

  static let pngSignature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

  func chart(_ arguments: [String], in folder: URL) throws -> ToolResult {
    try run(briefingExecutable(), ["chart"] + arguments, in: folder)
  }

  func bytes(_ url: URL) throws -> [UInt8] { [UInt8](try Data(contentsOf: url)) }

  func files(in folder: URL) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
  }

  @Test(arguments: [
    ("bar", ["--by", "region", "--where", "period=2025", "--top", "10"]),
    ("grouped", ["--by", "programme", "--series", "period", "--where", "period=2023..2025"]),
    ("stacked", ["--by", "programme", "--series", "period", "--where", "period=2023..2025"]),
    ("percent", ["--by", "region", "--series", "programme", "--where", "period=2025", "--top", "8"]),
    ("diverging", ["--by", "region", "--where", "period=2025", "--compare", "2024", "--top", "12"]),
  ])
  func eachKindFromFlags(kind: String, arguments: [String]) throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    for format in ["svg", "png"] {
      let result = try chart(
        [panel, "--metric", "students_trained", "--kind", kind, "--title", "Kind \(kind)", "--out", "\(kind).\(format)"] + arguments,
        in: folder)
      #expect(result.status == 0, "\(kind) \(format): \(result.error)")
      #expect(result.output.isEmpty && result.error.isEmpty, "\(result.output)\(result.error)")
      let written = try bytes(folder.appendingPathComponent("\(kind).\(format)"))
      if format == "png" {
        #expect(Array(written.prefix(8)) == Self.pngSignature)
      } else {
        let text = String(decoding: written, as: UTF8.self)
        #expect(text.hasPrefix("<?xml") && text.contains("<svg"), "\(text.prefix(100))")
      }
    }
    #expect(files(in: folder) == ["\(kind).png", "\(kind).svg"])
  }

  @Test func aSpecFileGivesTheSettingsAndFlagsOverrideThem() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let specFolder = folder.appendingPathComponent("specs")
    try FileManager.default.createDirectory(at: specFolder, withIntermediateDirectories: true)
    // Paths in the spec are relative to the spec's folder.
    let data = folder.appendingPathComponent("data")
    try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
    try FileManager.default.copyItem(atPath: panel, toPath: data.appendingPathComponent("panel.csv").path)
    try """
      title: "Обучено студентов, 2025"
      language: ru
      data: [../data/panel.csv]
      names: { region: \(regions) }
      source: "Источник: синтетическая панель"
      query:
        metric: students_trained
        by: region
        where: { period: 2025 }
        top: 10
      highlight: Samara Oblast
      """.write(to: specFolder.appendingPathComponent("chart.yaml"), atomically: true, encoding: .utf8)
    let fromSpec = try chart(["--spec", "specs/chart.yaml", "--out", "spec.svg"], in: folder)
    #expect(fromSpec.status == 0, "\(fromSpec.error)")
    let text = try String(contentsOf: folder.appendingPathComponent("spec.svg"), encoding: .utf8)
    // The settings come from the spec: its title and language, the names table next to its data.
    #expect(text.contains("Обучено студентов, 2025") && text.contains("Самарская область") && text.contains("lang=\"ru\""), "\(text.prefix(600))")
    // A flag replaces the spec's setting: another period, another title.
    let overridden = try chart(
      ["--spec", "specs/chart.yaml", "--where", "period=2024", "--title", "Другой заголовок", "--id", "spec", "--out", "other.svg"], in: folder)
    #expect(overridden.status == 0, "\(overridden.error)")
    #expect(try bytes(folder.appendingPathComponent("other.svg")) != bytes(folder.appendingPathComponent("spec.svg")))

    // The spec's mistakes are at their line and column, with the nearest name.
    try """
      data: [\(panel)]
      query:
        metric: students_traind
        by: region
      """.write(to: specFolder.appendingPathComponent("typo.yaml"), atomically: true, encoding: .utf8)
    let typo = try chart(["--spec", "specs/typo.yaml", "--out", "typo.svg"], in: folder)
    #expect(typo.status == 65)
    #expect(typo.error.contains("specs/typo.yaml:3:11: no row of the data has metric “students_traind” (did you mean “students_trained”?)"), "\(typo.error)")
    try "data: [\(panel)]\nquery: { metric: funding, by: programme }\ntital: x\n".write(
      to: specFolder.appendingPathComponent("key.yaml"), atomically: true, encoding: .utf8)
    let key = try chart(["--spec", "specs/key.yaml", "--out", "key.svg"], in: folder)
    #expect(key.status == 65)
    #expect(key.error.contains("specs/key.yaml:3:1: unknown key “tital” in a chart's settings; did you mean “title”?"), "\(key.error)")
    // …and a flag given over the spec is named as the flag.
    try "data: [\(panel)]\nquery: { metric: funding, by: programme }\n".write(
      to: specFolder.appendingPathComponent("flag.yaml"), atomically: true, encoding: .utf8)
    let flag = try chart(["--spec", "specs/flag.yaml", "--metric", "fundin", "--out", "flag.svg"], in: folder)
    #expect(flag.status == 65)
    #expect(flag.error.contains("error: --metric: no row of the data has metric “fundin” (did you mean “funding”?)"), "\(flag.error)")
    #expect(files(in: folder) == ["data", "other.svg", "spec.svg", "specs"])
  }

  @Test func writesToStandardOutputInTheFormatAsked() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let common = [panel, "--metric", "funding", "--by", "programme", "--where", "period=2025", "--id", "funding"]
    let toFile = try chart(common + ["--out", "funding.svg"], in: folder)
    #expect(toFile.status == 0, "\(toFile.error)")
    let toOutput = try chart(common + ["--out", "-", "--format", "svg"], in: folder)
    #expect(toOutput.status == 0, "\(toOutput.error)")
    #expect(Array(toOutput.output.utf8) == (try bytes(folder.appendingPathComponent("funding.svg"))))
    // Standard output needs the format said.
    let unsaid = try chart(common + ["--out", "-"], in: folder)
    #expect(unsaid.status == 64)
    #expect(unsaid.error.contains("--format"), "\(unsaid.error)")
    #expect(files(in: folder) == ["funding.svg"])
  }

  @Test func readsStandardInput() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let flags = "--metric students_trained --by region --where period=2025 --top 10 --id top"
    let piped = try run(
      URL(fileURLWithPath: "/bin/sh"), ["-c", "\"$0\" chart - \(flags) --out piped.png < \"$1\"", briefingExecutable().path, panel], in: folder)
    #expect(piped.status == 0, "\(piped.error)")
    let named = try chart([panel] + flags.split(separator: " ").map(String.init) + ["--out", "top.png"], in: folder)
    #expect(named.status == 0, "\(named.error)")
    #expect(try bytes(folder.appendingPathComponent("piped.png")) == bytes(folder.appendingPathComponent("top.png")))
    // An error about a flag names it with standard input as with a file (standard input is read once).
    let typo = try run(
      URL(fileURLWithPath: "/bin/sh"), ["-c", "\"$0\" chart - --metric students_traned --by region --out typo.png < \"$1\"", briefingExecutable().path, panel],
      in: folder)
    #expect(typo.status == 65)
    #expect(typo.error == "error: --metric: no row of the data has metric “students_traned” (did you mean “students_trained”?)\n")
    #expect(files(in: folder) == ["piped.png", "top.png"])
  }

  @Test func anUnknownFlagIsAUsageError() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let result = try chart([panel, "--metric", "funding", "--by", "region", "--colour", "red", "--out", "c.svg"], in: folder)
    #expect(result.status == 64)
    #expect(result.error.contains("--colour"), "\(result.error)")
    let badKind = try chart([panel, "--metric", "funding", "--by", "region", "--kind", "pie", "--out", "c.svg"], in: folder)
    #expect(badKind.status == 64)
    #expect(files(in: folder).isEmpty)
  }

  @Test func aMetricTheDataLacksNamesTheFlagAndTheNearestMetric() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let result = try chart([panel, "--metric", "students_traned", "--by", "region", "--out", "c.svg"], in: folder)
    #expect(result.status == 65)
    #expect(result.error == "error: --metric: no row of the data has metric “students_traned” (did you mean “students_trained”?)\n")
    let period = try chart([panel, "--metric", "funding", "--by", "region", "--where", "period=2035", "--out", "c.svg"], in: folder)
    #expect(period.status == 65)
    #expect(period.error.contains("--where period: no row of the data has period “2035”"), "\(period.error)")
    let column = try chart([panel, "--metric", "funding", "--by", "regoin", "--out", "c.svg"], in: folder)
    #expect(column.status == 65)
    #expect(column.error.contains("--by: the data has no column “regoin” (did you mean “region”?)"), "\(column.error)")
    let kind = try chart([panel, "--metric", "funding", "--by", "region", "--kind", "stacked", "--out", "c.svg"], in: folder)
    #expect(kind.status == 65)
    #expect(kind.error.contains("--kind: stacked needs series"), "\(kind.error)")
    #expect(files(in: folder).isEmpty)
  }

  @Test func anUnwritableOutputFailsAndLeavesNothingBehind() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    // The output's folder cannot be made: a file is in the way.
    try "keep".write(to: folder.appendingPathComponent("file"), atomically: true, encoding: .utf8)
    let blocked = try chart([panel, "--metric", "funding", "--by", "programme", "--out", "file/sub/c.svg"], in: folder)
    #expect(blocked.status == 73, "\(blocked.error)")
    #expect(files(in: folder) == ["file"])
    #expect(try String(contentsOf: folder.appendingPathComponent("file"), encoding: .utf8) == "keep")
    // A full disk on standard output.
    guard let (status, message) = try runOnFullDevice(["chart", panel, "--metric", "funding", "--by", "programme", "--out", "-", "--format", "png"]) else { return }
    #expect(status == 73)
    #expect(message == "error: standard output: cannot write the file: No space left on device\n")
  }

  @Test func aFolderOrFIFOAtTheOutputIsRefused() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let dir = folder.appendingPathComponent("dir")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    #expect(mkfifo(folder.appendingPathComponent("fifo.svg").path, 0o644) == 0)
    for target in ["dir/", "dir", "fifo.svg", "missing/"] {
      let result = try chart([panel, "--metric", "funding", "--by", "programme", "--out", target], in: folder)
      #expect(result.status == 73, "\(target): \(result.error)")
      #expect(result.error.contains("cannot write: will not"), "\(target): \(result.error)")
    }
    #expect(files(in: folder) == ["dir", "fifo.svg"])
    #expect(files(in: dir).isEmpty)
  }

  /// The same chart from a layout's export and from `briefing chart`: the same bytes, SVG, PNG and
  /// PDF (whose date comes from SOURCE_DATE_EPOCH in both).
  @Test func theSameBytesAsALayoutsExport() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let layout = folder.appendingPathComponent("one.yaml")
    try """
      id: one
      title: "Одна диаграмма"
      language: ru
      data: [\(panel)]
      names: { region: \(regions) }
      source: "Источник: синтетическая панель"
      blocks:
        - chart:
            id: top
            title: "Обучено студентов, 2025"
            query: { metric: students_trained, by: region, where: { period: 2025 }, top: 10, sort: value }
            highlight: "Samara Oblast"
            reference: { value: 30000, label: "цель 2028" }
            orientation: horizontal
            export: [svg, png, pdf]
      """.write(to: layout, atomically: true, encoding: .utf8)
    let epoch = ["SOURCE_DATE_EPOCH": "1767225600"]
    let build = try run(briefingExecutable(), ["build", layout.path, "--out", "out", "--png-scale", "1.5"], in: folder, environment: epoch)
    #expect(build.status == 0, "\(build.error)")
    let flags = [
      panel, "--metric", "students_trained", "--by", "region", "--where", "period=2025", "--top", "10", "--sort", "value",
      "--highlight", "Samara Oblast", "--reference", "30000:цель 2028", "--orientation", "horizontal",
      "--title", "Обучено студентов, 2025", "--language", "ru", "--names", "region=\(regions)",
      "--source", "Источник: синтетическая панель", "--png-scale", "1.5",
    ]
    let svg = try chart(flags + ["--id", "top", "--out", "top.svg"], in: folder)
    #expect(svg.status == 0, "\(svg.error)")
    // The id from the output's name.
    let png = try chart(flags + ["--out", "top.png"], in: folder)
    #expect(png.status == 0, "\(png.error)")
    let pdf = try run(briefingExecutable(), ["chart"] + flags + ["--out", "top.pdf"], in: folder, environment: epoch)
    #expect(pdf.status == 0, "\(pdf.error)")
    let out = folder.appendingPathComponent("out")
    #expect(try bytes(out.appendingPathComponent("one-top.svg")) == bytes(folder.appendingPathComponent("top.svg")))
    #expect(try bytes(out.appendingPathComponent("one-top.png")) == bytes(folder.appendingPathComponent("top.png")))
    #expect(try bytes(out.appendingPathComponent("one-top.pdf")) == bytes(folder.appendingPathComponent("top.pdf")))
  }
}

/// Without a spec file, `briefing chart` makes its layout directly and builds the YAML tree only to
/// place an error: both must describe the same layout.
@Suite struct ChartRequestLayoutTests {
  @Test func theLayoutMadeDirectlyIsTheOneTheTreeDecodesTo() throws {
    var request = ChartRequest(format: .png)
    request.data = [LayoutSpec.DataSpec(path: "/data/panel.csv"), LayoutSpec.DataSpec(path: "-")]
    request.data[0].delimiter = ";"
    request.data[0].decimalComma = true
    request.data[0].columns = ["Регион": "region", "Значение": "value"]
    request.names = [("region", "/seeds/regions.csv"), ("programme", "/seeds/programmes.csv")]
    request.language = .ru
    request.source = "Источник: null"
    request.outputName = "out/Доля регионов.png"
    request.metric = "students_trained"
    request.by = "region"
    request.filters = [("period", .one("2025")), ("programme", .many(["A", "true"])), ("region", .one("!=Moscow")), ("year", .one("2019..2025"))]
    request.top = 10
    request.aggregate = .mean
    request.sort = .listed(["2025", "null"])
    request.series = "period"
    request.kind = .stacked
    request.orientation = .horizontal
    request.title = "yes"
    request.subtitle = ""
    request.note = "1e3"
    request.highlight = .many(["Samara Oblast", "~"])
    request.references = [(30000, "цель 2028"), (-0.5, "")]
    request.compare = .one("2024")
    request.change = .absolute
    request.other = false
    request.values = true
    request.caption = .outside
    request.svgText = .outlines
    let typed = try #require(MergedChartLayout.typedSpec(request))
    #expect(try MergedChartLayout.decodedSpec(request) == typed)
    guard case .chart(let chart)? = typed.blocks.first else { throw CocoaError(.featureUnsupported) }
    #expect(chart.id == "Доля-регионов")
    // The fewest settings: the defaults agree too.
    var plain = ChartRequest(format: .svg)
    (plain.metric, plain.by, plain.data) = ("funding", "programme", [LayoutSpec.DataSpec(path: "d.csv")])
    #expect(try MergedChartLayout.decodedSpec(plain) == MergedChartLayout.typedSpec(plain))
    // A width is read by the layout's decoder alone: such a request goes through the tree.
    plain.width = "170mm"
    #expect(MergedChartLayout.typedSpec(plain) == nil)
    guard case .chart(let wide)? = try MergedChartLayout.decodedSpec(plain).blocks.first else { throw CocoaError(.featureUnsupported) }
    #expect(wide.width == .points(170 * 72 / 25.4))
  }
}
