@testable import BriefingCairo
import BriefingLayout
import Foundation
import Testing

/// Runs a command-line tool on `input` written to a temporary file; returns its standard output and status.
func runTool(_ tool: String, _ arguments: [String], input: [UInt8], suffix: String) throws -> (output: String, status: Int32) {
  let file = FileManager.default.temporaryDirectory.appendingPathComponent("briefing-\(UUID().uuidString).\(suffix)")
  try Data(input).write(to: file)
  defer { try? FileManager.default.removeItem(at: file) }
  let process = Process()
  process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
  process.arguments = [tool] + arguments.map { $0 == "{}" ? file.path : $0 }
  let pipe = Pipe()
  process.standardOutput = pipe
  process.standardError = Pipe()
  try process.run()
  let data = pipe.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  return (String(decoding: data, as: UTF8.self), process.terminationStatus)
}

let theme = Theme.bulletin

func samplePage(number: Int = 1) -> Page {
  var frame = Frame(size: PaperSize.a4.portrait)
  frame.append(.anchor(name: "top", at: Point(x: 56, y: 56)))
  frame.append(.text(TextRun(text: "Подготовка кадров — Training personnel", style: theme.style(.title), frame: Rect(x: 56, y: 56, width: 480, height: 30))))
  frame.append(.text(TextRun(text: "Республика Татарстан", style: theme.style(.tableCell), frame: Rect(x: 56, y: 100, width: 200, height: 14))))
  frame.append(.text(TextRun(text: "16\u{202F}000", style: theme.style(.tableNumber), frame: Rect(x: 300, y: 100, width: 80, height: 14))))
  frame.append(.rect(Rect(x: 56, y: 120, width: 200, height: 10), .filled(theme.barFill)))
  frame.append(.line(from: Point(x: 56, y: 140), to: Point(x: 400, y: 140), Paint(stroke: theme.ruleColor)))
  frame.append(.link(Rect(x: 56, y: 56, width: 100, height: 20), .destination("top")))
  frame.append(.text(TextRun(text: "Стр. \(number)", style: theme.style(.pageFooter), frame: Rect(x: 56, y: 800, width: 100, height: 12))))
  return Page(frame: frame)
}

func makePDF(pages: Int = 2, date: String? = "2025-01-15T10:00:00Z", measurer: PangoTextMeasurer) throws -> [UInt8] {
  var pdf = try PDFDocument(
    pageSize: PaperSize.a4.portrait,
    metadata: DocumentMetadata(title: "Подготовка кадров", author: "Briefing tests", creator: "Briefing test", creationDate: date),
    measurer: measurer)
  for number in 1...pages { try pdf.render(page: samplePage(number: number)) }
  pdf.addOutline([OutlineEntry(title: "Начало", destination: "top", level: 1, pageIndex: 0)])
  return try pdf.finish()
}

@Suite struct BackendTests {
  @Test func pdfHasExtractableCyrillicTextEmbeddedFontsAndPassesQPDF() throws {
    let measurer = try PangoTextMeasurer()
    let bytes = try makePDF(measurer: measurer)
    #expect(bytes.starts(with: Array("%PDF-1.5".utf8)))
    let text = try runTool("pdftotext", ["{}", "-"], input: bytes, suffix: "pdf")
    #expect(text.output.contains("Подготовка кадров — Training personnel"))
    #expect(text.output.contains("Республика Татарстан"))
    #expect(text.output.contains("16 000") || text.output.contains("16\u{202F}000"))
    let check = try runTool("qpdf", ["--check", "{}"], input: bytes, suffix: "pdf")
    #expect(check.status == 0, "qpdf --check: \(check.output)")
    let fonts = try runTool("pdffonts", ["{}"], input: bytes, suffix: "pdf")
    let rows = fonts.output.split(separator: "\n").dropFirst(2)
    #expect(!rows.isEmpty)
    #expect(rows.allSatisfy { $0.contains("PTSans") && $0.split(separator: " ").filter { $0 == "yes" }.count == 3 }, "\(fonts.output)")
    let info = try runTool("pdfinfo", ["{}"], input: bytes, suffix: "pdf")
    #expect(info.output.contains("Pages:           2"))
    #expect(info.output.contains("Title:           Подготовка кадров"))
    #expect(info.output.contains("CreationDate:    Wed Jan 15 10:00:00 2025 UTC"))
    // The creation date carries the D: prefix the PDF specification requires (cairo 1.16 omits it).
    #expect(String(decoding: bytes, as: UTF8.self).contains("/CreationDate (D:20250115100000Z)"))
  }

  @Test func pdfIsByteIdenticalAcrossRenders() throws {
    let measurer = try PangoTextMeasurer()
    #expect(try makePDF(measurer: measurer) == makePDF(measurer: try PangoTextMeasurer()))
  }

  @Test func pdfWithoutDateHasNone() throws {
    let bytes = try makePDF(date: nil, measurer: try PangoTextMeasurer())
    #expect(!String(decoding: bytes, as: UTF8.self).contains("/CreationDate"))
  }

  @Test func outlineSVGIsValidStableAndNamedByItsContent() throws {
    let measurer = try PangoTextMeasurer()
    func render(_ title: String) throws -> [UInt8] {
      let description = SVGDescription(title: title, summary: "A: 1.", language: "en")
      var svg = try SVGImage(size: Size(width: 400, height: 200), description: description, measurer: measurer)
      try svg.render(page: samplePage())
      return try svg.finish()
    }
    let first = try render("Chart A")
    _ = try makePDF(measurer: measurer)  // more surfaces in between: cairo's global counter moves on
    let second = try render("Chart A")
    #expect(first == second)
    let text = String(decoding: first, as: UTF8.self)
    #expect(text.contains("viewBox=\"0 0 400 200\""))
    #expect(!text.contains("id=\"glyph"), "every id carries the content hash")
    #expect(text.contains("role=\"img\"") && text.contains("<title id=\"b") && text.contains("<desc id=\"b"))
    #expect(try runTool("xmllint", ["--noout", "{}"], input: first, suffix: "svg").status == 0)
    // Every symbol is used: cairo's .notdef glyph is dropped.
    let symbols = text.components(separatedBy: "<symbol").count - 1
    let used = Set(text.components(separatedBy: "xlink:href=\"#").dropFirst().compactMap { $0.split(separator: "\"").first })
    #expect(symbols == used.filter { $0.contains("glyph") }.count)
    // Other content, other ids.
    let ids = { (svg: String) in Set(svg.components(separatedBy: "id=\"").dropFirst().compactMap { $0.split(separator: "\"").first.map(String.init) }) }
    #expect(ids(text).isDisjoint(with: ids(String(decoding: try render("Chart B"), as: UTF8.self))))
  }

  @Test func pngHasTheRequestedPixelSize() throws {
    var png = try PNGImage(size: Size(width: 300, height: 100), pixelsPerPoint: 2, measurer: try PangoTextMeasurer())
    try png.render(page: samplePage())
    let bytes = try png.finish()
    #expect(bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
    let width = bytes[16..<20].reduce(0) { $0 << 8 | Int($1) }
    let height = bytes[20..<24].reduce(0) { $0 << 8 | Int($1) }
    #expect(width == 600 && height == 200)
    // A pHYs chunk right after the header says 144 dpi (5669 pixels per metre), with a valid CRC.
    #expect(Array(bytes[37..<41]) == Array("pHYs".utf8))
    let perMetre = bytes[41..<45].reduce(0) { $0 << 8 | Int($1) }
    #expect(perMetre == 5669 && bytes[49] == 1)
    let crc = bytes[50..<54].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
    #expect(crc == PNGEncoder.crc32(Array(bytes[37..<50])))
    #expect(PNGEncoder.crc32(Array("IEND".utf8)) == 0xAE42_6082)
  }

  @Test func missingFontFamilyIsReportedNotSubstituted() throws {
    let measurer = try PangoTextMeasurer()
    #expect(throws: Never.self) { try measurer.verifyFamilies(["PT Sans", "PT Serif"]) }
    #expect(throws: CairoError.self) { try measurer.verifyFamilies(["No Such Family Whatsoever"]) }
  }

  @Test func reportsCharactersNoFontCanDraw() throws {
    let measurer = try PangoTextMeasurer()
    #expect(measurer.unknownGlyphCount(in: "Республика Татарстан 1 600 ₽ −3", style: theme.style(.body)) == 0)
    #expect(measurer.unknownGlyphCount(in: "\u{E000}\u{E001}", style: theme.style(.body)) == 2)
  }

  @Test func measuresLikeItDraws() throws {
    let measurer = try PangoTextMeasurer()
    let style = theme.style(.body)
    let one = measurer.measure("Подготовка кадров", style: style, maxWidth: nil)
    #expect(one.lineCount == 1)
    #expect(one.height > style.size && one.height < style.size * 2)
    let wrapped = measurer.measure(String(repeating: "Подготовка кадров ", count: 20), style: style, maxWidth: 200)
    #expect(wrapped.lineCount > 3)
    #expect(wrapped.width <= 200)
    #expect(wrapped.lineStarts.first == 0 && wrapped.lineStarts == wrapped.lineStarts.sorted())
    let digits = (0...9).map { measurer.measure(String($0), style: theme.style(.tableNumber), maxWidth: nil).width }
    #expect(Set(digits).count == 1, "digits are tabular, so numbers line up in columns")
  }
}

@Suite struct LifetimeTests {
  /// The process's resident memory in kB, from /proc/self/status.
  func residentKilobytes() -> Int {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
    let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
    return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
  }

  @Test func repeatedRenderingDoesNotLeakOrDoubleFree() throws {
    let measurer = try PangoTextMeasurer()
    func cycle() throws {
      _ = try makePDF(pages: 1, measurer: measurer)
      var svg = try SVGImage(size: Size(width: 200, height: 100), description: SVGDescription(title: "x", summary: "x", language: "en"), measurer: measurer)
      try svg.render(page: samplePage())
      _ = try svg.finish()
      // A large image: a leaked surface would cost 10 MB a cycle, far above the noise of other
      // tests running in the same process at the same time.
      var png = try PNGImage(size: Size(width: 800, height: 800), measurer: measurer)
      try png.render(page: samplePage())
      _ = try png.finish()
      // Abandoned without finishing: the surface must still be released exactly once.
      var abandoned = try PDFDocument(pageSize: Size(width: 100, height: 100), metadata: DocumentMetadata(title: "x"), measurer: measurer)
      try abandoned.render(page: samplePage())
      _ = consume abandoned
      _ = try PangoTextMeasurer()
    }
    for _ in 0..<20 { try cycle() }  // warm caches
    let before = residentKilobytes()
    for _ in 0..<150 { try cycle() }
    let growth = residentKilobytes() - before
    // Under a sanitizer (scripts/sanitize.sh) freed memory is held back on purpose, so resident
    // memory says nothing; the sanitizer itself reports a leak or a double free instead.
    if ProcessInfo.processInfo.environment["BRIEFING_SANITIZER"] == nil {
      #expect(growth < 40_000, "resident memory grew by \(growth) kB over 150 render cycles")
    }
  }
}
