import BriefingCairo
import BriefingLayout
import Foundation
import Testing

/// A portrait document with a wide table on landscape pages, written to PDF by Cairo.
@Suite struct LandscapeDocumentTests {
  let geometry = PageGeometry(paper: PaperSize.a4.portrait)

  func layOut(measurer: PangoTextMeasurer) throws -> LaidOutDocument {
    let text = "Данные синтетические и служат только для проверки вёрстки. "
    let table = TableBlock(
      caption: "Таблица 1. Показатели по регионам",
      columns: [TableColumn("Регион")] + (2016...2025).map { TableColumn(String($0), unit: "чел.", kind: .number) },
      rows: (1...60).map { r in TableRow(["Регион № \(r)"] + (0..<10).map { (c: Int) in String(100_000 + r * 1_733 + c * 17) }) },
      continuedLabel: "(продолжение)", pageHeight: geometry.oriented(.landscape).content.height, orientation: .landscape)
    let blocks: [any Block] = [
      Heading("Введение", anchor: "intro"), Paragraph(String(repeating: text, count: 6), style: Theme.bulletin.style(.body)),
      Heading("Регионы", anchor: "regions"), table,
      Heading("Выводы", anchor: "summary"), Paragraph(String(repeating: text, count: 6), style: Theme.bulletin.style(.body)),
    ]
    let furniture = PageFurniture(headerLeft: "Подготовка кадров, 2025", footerLeft: "Источник: проверочные данные", pageLabel: { "Стр. \($0) из \($1)" })
    return try Paginator(geometry: geometry, furniture: furniture)
      .paginate(blocks, metadata: DocumentMetadata(title: "Альбомные страницы", creationDate: "2026-01-15T00:00:00Z"), measuring: measurer)
  }

  @Test func pdfPagesTakeEachPagesOwnSize() throws {
    let measurer = try PangoTextMeasurer()
    let document = try layOut(measurer: measurer)
    let landscape = document.pages.map { $0.size.width > $0.size.height }
    #expect(landscape.count >= 4 && landscape.first == false && landscape.last == false, "\(landscape)")
    #expect(landscape.dropFirst().dropLast().allSatisfy { $0 }, "the table's pages are all landscape: \(landscape)")

    var pdf = try PDFDocument(pageSize: document.pages[0].size, metadata: document.metadata, measurer: measurer)
    for page in document.pages { try pdf.render(page: page) }
    pdf.addOutline(document.outline)
    let bytes = try pdf.finish()
    if let folder = ProcessInfo.processInfo.environment["BRIEFING_TEST_ARTIFACTS"] {
      try Data(bytes).write(to: URL(fileURLWithPath: folder).appendingPathComponent("landscape.pdf"))
    }

    let check = try runTool("qpdf", ["--check", "{}"], input: bytes, suffix: "pdf")
    #expect(check.status == 0, "qpdf --check: \(check.output)")
    let count = document.pages.count
    let info = try runTool("pdfinfo", ["-f", "1", "-l", "\(count)", "{}"], input: bytes, suffix: "pdf").output
    // "Page    2 size: 841.89 x 595.276 pts (A4)"
    let sizes = info.split(separator: "\n").filter { $0.hasPrefix("Page ") && $0.contains(" size: ") }.map { line -> String in
      let numbers = line.split(separator: ":", maxSplits: 1)[1].split(separator: " ").compactMap { Double($0) }
      return numbers.map { String(Int($0.rounded())) }.joined(separator: "x")
    }
    #expect(sizes == landscape.map { $0 ? "842x595" : "595x842" }, "\(info)")
    let text = try runTool("pdftotext", ["-f", "3", "-l", "3", "{}", "-"], input: bytes, suffix: "pdf").output
    #expect(text.contains("Таблица 1. Показатели по регионам (продолжение)") && text.contains("Стр. 3 из \(count)"))
  }
}
