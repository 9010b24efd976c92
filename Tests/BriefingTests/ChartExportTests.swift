import BriefingCairo
import Foundation
import Testing

/// Exported charts as other programs read them: SVG that xmllint accepts, with real text,
/// `<title>`/`<desc>`, content-hash ids and escaped labels, drawn by librsvg like our PNG; PNG with
/// its resolution; a one-page vector PDF with embedded fonts; widths and captions as asked.
@Suite(.serialized) struct ChartExportTests {
  /// Builds `layout` (YAML) over `data` (CSV) in a fresh folder; returns the output folder.
  func build(_ layout: String, data: String, in folder: URL, arguments: [String] = []) throws -> (URL, ToolResult) {
    try data.write(to: folder.appendingPathComponent("d.csv"), atomically: true, encoding: .utf8)
    try layout.write(to: folder.appendingPathComponent("l.yaml"), atomically: true, encoding: .utf8)
    let result = try run(briefingExecutable(), ["build", "l.yaml", "--out", "out"] + arguments, in: folder)
    return (folder.appendingPathComponent("out"), result)
  }

  static let data = """
    region,programme,period,metric,value,unit
    Republic of Tatarstan,P,2025,students,19711,persons
    Lipetsk Oblast,P,2025,students,18711,persons
    <script>alert(1)</script> & "x",P,2025,students,1200,persons
    Republic of Tatarstan,Q,2025,students,5000,persons
    Lipetsk Oblast,Q,2025,students,7000,persons
    """

  static let layout = """
    id: ex
    title: T
    language: ru
    source: "Источник: тест"
    data: [d.csv]
    names: { region: \(projectRoot.path)/seeds/regions.csv }
    blocks:
      - chart: { id: bars, title: "Рисунок 1. Студенты", query: { metric: students, by: region, where: { period: 2025 } }, export: [svg, png, pdf] }
      - chart: { id: grouped, title: "Рисунок 2. По программам", query: { metric: students, by: region }, series: programme, export: [svg, png] }
      - chart: { id: narrow, title: "Рисунок 3. Узкая", query: { metric: students, by: region }, width: 120mm, caption: outside, export: [svg, png] }
      - chart: { id: outlines, title: "Рисунок 4. Контуры", query: { metric: students, by: region }, svgText: outlines, export: [svg] }
    """

  func svgs(in folder: URL) throws -> [URL] {
    try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil).filter { $0.pathExtension == "svg" }
      .sorted { $0.lastPathComponent < $1.lastPathComponent }
  }

  func ids(in svg: String) -> Set<String> {
    Set(svg.components(separatedBy: " id=\"").dropFirst().compactMap { $0.split(separator: "\"").first.map(String.init) })
  }

  @Test func svgIsValidRealTextDescribedAndEscaped() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let (out, result) = try build(Self.layout, data: Self.data, in: folder)
    #expect(result.status == 0, "\(result.error)")
    for file in try svgs(in: out) {
      #expect(try tool("xmllint", ["--noout", file.path]).status == 0, "\(file.lastPathComponent)")
      let svg = try String(contentsOf: file, encoding: .utf8)
      #expect(svg.contains("role=\"img\"") && svg.contains("<desc id=\"") && svg.contains("lang=\"ru\""), "\(file.lastPathComponent)")
      #expect(!svg.contains("<script"), "a label is text, never markup")
    }
    let bars = try String(contentsOf: out.appendingPathComponent("ex-bars.svg"), encoding: .utf8)
    // Real text: the Russian name and the figures can be found and selected.
    #expect(bars.contains(">Республика Татарстан</text>"))
    #expect(bars.contains("<title id=\"") && bars.contains("Рисунок 1. Студенты</title>"))
    #expect(bars.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;"))
    // The description reads the figures in order, with the period and the source.
    #expect(bars.contains("2025 год") && bars.contains("Республика Татарстан: 24\u{202F}711") && bars.contains("Источник: тест"))
    #expect((try Data(contentsOf: out.appendingPathComponent("ex-bars.svg"))).count <= 25_000)
    let outlines = try String(contentsOf: out.appendingPathComponent("ex-outlines.svg"), encoding: .utf8)
    #expect(outlines.contains("<symbol") && !outlines.contains(">Республика Татарстан<"))
  }

  @Test func librsvgDrawsEverySVGAsOurPNGIsDrawn() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let (out, result) = try build(Self.layout, data: Self.data, in: folder)
    #expect(result.status == 0, "\(result.error)")
    for file in try svgs(in: out) {
      let png = file.deletingPathExtension().appendingPathExtension("png")
      guard FileManager.default.fileExists(atPath: png.path) else { continue }
      let drawn = folder.appendingPathComponent("rsvg-\(file.deletingPathExtension().lastPathComponent).png")
      // The SVG is sized in points: at 144 dpi a point is 2 pixels, as in the PNG export.
      #expect(try tool("rsvg-convert", ["--dpi-x", "144", "--dpi-y", "144", file.path, "-o", drawn.path]).status == 0)
      // The mean difference per colour channel (0–255) over all pixels; text drawn by librsvg
      // differs from cairo's only in antialiasing at glyph edges.
      let difference = ImageComparison.meanDifference(drawn.path, png.path)
      #expect(difference.map { $0 < 2.0 } == true, "\(file.lastPathComponent): \(String(describing: difference))")
    }
  }

  @Test func idsOfTwoBuildsWithDifferentDataNeverMeet() throws {
    let first = try temporaryFolder()
    let second = try temporaryFolder()
    defer {
      try? FileManager.default.removeItem(at: first)
      try? FileManager.default.removeItem(at: second)
    }
    let (outA, a) = try build(Self.layout, data: Self.data, in: first)
    let (outB, b) = try build(Self.layout, data: Self.data.replacingOccurrences(of: "19711", with: "19712"), in: second)
    #expect(a.status == 0 && b.status == 0)
    let left = try svgs(in: outA).map { try String(contentsOf: $0, encoding: .utf8) }
    let right = try svgs(in: outB).map { try String(contentsOf: $0, encoding: .utf8) }
    for x in left {
      for y in right where x != y { #expect(ids(in: x).isDisjoint(with: ids(in: y))) }
    }
    for (i, x) in left.enumerated() {
      for (j, y) in left.enumerated() where i < j { #expect(ids(in: x).isDisjoint(with: ids(in: y))) }
    }
    // The same build again gives the same bytes.
    let again = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: again) }
    let (outC, _) = try build(Self.layout, data: Self.data, in: again)
    #expect(try svgs(in: outC).map { try Data(contentsOf: $0) } == svgs(in: outA).map { try Data(contentsOf: $0) })
  }

  @Test func pngSaysItsResolutionAndPDFIsOneVectorPage() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let (out, result) = try build(Self.layout, data: Self.data, in: folder, arguments: ["--png-scale", "3"])
    #expect(result.status == 0, "\(result.error)")
    let png = [UInt8](try Data(contentsOf: out.appendingPathComponent("ex-bars.png")))
    #expect(Array(png[37..<41]) == Array("pHYs".utf8))
    #expect(png[41..<45].reduce(0) { $0 << 8 | Int($1) } == 8504)  // 216 dpi
    let info = try tool("pdfinfo", [out.appendingPathComponent("ex-bars.pdf").path]).output
    #expect(info.contains("Pages:           1"))
    #expect(info.contains("Page size:       552 x "), "\(info)")
    let fonts = try tool("pdffonts", [out.appendingPathComponent("ex-bars.pdf").path]).output
    let rows = fonts.split(separator: "\n").dropFirst(2)
    #expect(!rows.isEmpty && rows.allSatisfy { $0.contains(" yes yes ") }, "embedded subsets: \(fonts)")
    #expect(try tool("qpdf", ["--check", out.appendingPathComponent("ex-bars.pdf").path]).status == 0)
  }

  @Test func widthAndCaptionPlaceTheExport() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let (out, result) = try build(Self.layout, data: Self.data, in: folder)
    #expect(result.status == 0, "\(result.error)")
    let narrow = try String(contentsOf: out.appendingPathComponent("ex-narrow.svg"), encoding: .utf8)
    #expect(narrow.contains("width=\"340.16pt\""), "120 mm")
    let visible = narrow.components(separatedBy: "</desc>").last ?? ""
    #expect(!visible.contains("Рисунок 3"), "the caption is left to the document")
    #expect(visible.contains("Источник: тест"), "the source stays")
    let png = [UInt8](try Data(contentsOf: out.appendingPathComponent("ex-narrow.png")))
    #expect(png[16..<20].reduce(0) { $0 << 8 | Int($1) } == 681)  // 340.16 pt at 2 px/pt, rounded up
  }

  @Test func aWidthThatIsNotALengthIsAnErrorAtItsLine() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let layout = Self.layout.replacingOccurrences(of: "width: 120mm", with: "width: 12furlongs")
    let (_, result) = try build(layout, data: Self.data, in: folder)
    #expect(result.status == 65)
    #expect(result.error.contains("l.yaml:10:") && result.error.contains("170mm"), "\(result.error)")
  }
}
