import BriefingCairo
import BriefingLayout
import BriefingTestSupport
import Foundation
import Testing

/// A bulletin made through the library, as a program embedding Briefing would: a contents list, an
/// 89-row region table that spans pages, a programme table with groups and subtotals, headings and
/// paragraphs; checked on the frames and on the PDF that Cairo writes.
@Suite(.serialized) struct BulletinDocumentTests {
  let geometry = PageGeometry(paper: PaperSize.a4.portrait)

  static let regions = (1...89).map { "Регион № \($0) — Республика Саха (Якутия)" }

  func blocks() -> [any Block] {
    let ru = ","
    let values = (1...89).map { Double(200_000 - $0 * 1_733) }
    let total = values.reduce(0, +)
    let regionRows = zip(Self.regions, values).map { name, value in
      TableRow(
        [name, Self.grouped(Int(value)), "", String(format: "%.1f", 100 * value / total).replacingOccurrences(of: ".", with: ",")],
        values: [1: value])
    }
    let regionTable = TableBlock(
      caption: "Таблица 1. Обучено студентов по регионам, 2025 год",
      columns: [
        TableColumn("Регион"), TableColumn("Обучено", unit: "чел.", kind: .number, decimalSeparator: ru),
        TableColumn("", kind: .bar, barSource: 1), TableColumn("Доля", unit: "%", kind: .number, decimalSeparator: ru),
      ],
      rows: regionRows + [TableRow(["Итого", Self.grouped(Int(total)), "", "100,0"], kind: .total)],
      zebra: true, continuedLabel: "(продолжение)", pageHeight: geometry.content.height)
    let programmeTable = TableBlock(
      caption: "Таблица 2. Финансирование программ, млрд руб.",
      columns: [
        TableColumn("Программа"), TableColumn("2025", unit: "млрд руб.", kind: .number, decimalSeparator: ru),
        TableColumn("Изменение", unit: "%", kind: .change, decimalSeparator: ru),
      ],
      rows: [
        .groupHeader("Федеральные проекты"),
        TableRow(["Профессионалитет", "42,2", "+12,5"], indent: 1, values: [2: 12.5]),
        TableRow(["Передовые инженерные школы", "28,8", "−3,1"], indent: 1, values: [2: -3.1]),
        TableRow(["Билет в будущее", "8,4", "0,0"], indent: 1, values: [2: 0]),
        .subtotal(["Итого по проектам", "79,4", "+5,0"], values: [2: 5]),
        .groupHeader("Инфраструктура"),
        TableRow(["Кампусы", "89,8", "+40,2"], indent: 1, values: [2: 40.2]),
        TableRow(["Промышленные кластеры", "46,2", "—"], indent: 1),
        .subtotal(["Итого по инфраструктуре", "136,0", "+25,1"], values: [2: 25.1]),
        TableRow(["Итого", "215,4", "+16,9"], kind: .total, values: [2: 16.9]),
      ],
      continuedLabel: "(продолжение)", pageHeight: geometry.content.height)
    let text = "Данные синтетические и служат только для проверки вёрстки: числа, названия и доли придуманы. "
    return [
      TitleBlock(title: "Подготовка кадров для промышленности", subtitles: ["Проверочный бюллетень"]),
      ContentsBlock(title: "Содержание", excludedAnchors: ["title"]),
      Heading("Регионы", anchor: "regions"),
      Paragraph(String(repeating: text, count: 4), style: Theme.bulletin.style(.body)),
      regionTable,
      Heading("Программы", anchor: "programmes"),
      Heading("Финансирование по группам", level: 2, anchor: "programmes-funding"),
      Paragraph(String(repeating: text, count: 2), style: Theme.bulletin.style(.body)),
      programmeTable,
    ]
  }

  static func grouped(_ value: Int) -> String {
    let digits = String(value)
    guard digits.count > 4 else { return digits }
    var out = ""
    for (i, c) in digits.enumerated() {
      if i > 0, (digits.count - i) % 3 == 0 { out += "\u{202F}" }
      out.append(c)
    }
    return out
  }

  func layOut(measurer: PangoTextMeasurer) throws -> LaidOutDocument {
    let furniture = PageFurniture(
      headerLeft: "Подготовка кадров, 2025", footerLeft: "Источник: проверочные данные", pageLabel: { "Стр. \($0) из \($1)" },
      onFirstPage: true)
    return try Paginator(geometry: geometry, furniture: furniture).paginate(
      blocks(), metadata: DocumentMetadata(title: "Проверочный бюллетень", author: "Briefing tests", subject: "Таблицы",
        keywords: ["кадры", "регионы"], creator: "Briefing test", creationDate: "2026-01-15T00:00:00Z"),
      measuring: measurer)
  }

  func render(_ document: LaidOutDocument, measurer: PangoTextMeasurer) throws -> [UInt8] {
    var pdf = try PDFDocument(pageSize: document.pages[0].size, metadata: document.metadata, measurer: measurer)
    for page in document.pages { try pdf.render(page: page) }
    pdf.addOutline(document.outline)
    return try pdf.finish()
  }

  @Test func framesStayInsideTheirBoxesAndEveryRowIsWholeOnOnePage() throws {
    let measurer = try PangoTextMeasurer()
    let document = try layOut(measurer: measurer)
    #expect(document.pages.count == 4, "title, contents and 35-odd rows; the rest of the rows; then the programme table")
    var seen: [String: Int] = [:]
    for (index, page) in document.pages.enumerated() {
      #expect(GeometryCheck.overlappingText(on: page).isEmpty, "page \(index + 1)")
      #expect(GeometryCheck.overflowingText(on: page, measuring: measurer).isEmpty, "page \(index + 1)")
      let body = page.textRuns().filter { !["Подготовка кадров, 2025", "Источник: проверочные данные"].contains($0.run.text) && !$0.run.text.hasPrefix("Стр. ") }
      #expect(body.allSatisfy { geometry.content.contains($0.bounds) }, "page \(index + 1)")
      let texts = page.textRuns().map(\.run.text)
      #expect(texts.contains("Стр. \(index + 1) из \(document.pages.count)"))
      let regionsHere = texts.filter { $0.hasPrefix("Регион № ") }
      if !regionsHere.isEmpty { #expect(texts.contains("Обучено, чел."), "the header is repeated on page \(index + 1)") }
      for name in regionsHere { seen[name, default: 0] += 1 }
      // In each figure column (its cells' boxes share a right edge) the decimal commas line up.
      let figures = page.textRuns().filter { $0.run.style.tabularFigures && $0.run.text.contains(",") }
      for (_, column) in Dictionary(grouping: figures, by: { ($0.bounds.maxX * 100).rounded() }) {
        let commaX = column.map { $0.bounds.minX + measurer.measure(String($0.run.text.prefix { $0 != "," }), style: $0.run.style, maxWidth: nil).width }
        #expect(commaX.allSatisfy { abs($0 - commaX[0]) < 0.01 }, "page \(index + 1): \(commaX)")
      }
    }
    #expect(seen.count == 89 && seen.values.allSatisfy { $0 == 1 }, "every region row once, never cut")
    // The programme groups stay together: each subtotal shares a page with its group's header.
    let programmePage = try #require(document.pages.first { $0.textRuns().contains { $0.run.text == "Итого по проектам" } })
    #expect(programmePage.textRuns().contains { $0.run.text == "Федеральные проекты" })
    #expect(document.outline.map(\.destination) == ["title", "contents", "regions", "programmes", "programmes-funding"])
  }

  @Test func pdfHasOutlineMetadataAlignedSearchableTextAndIsReproducible() throws {
    let measurer = try PangoTextMeasurer()
    let document = try layOut(measurer: measurer)
    let bytes = try render(document, measurer: measurer)
    // Set BRIEFING_TEST_ARTIFACTS to a folder to keep the PDF for a look.
    if let folder = ProcessInfo.processInfo.environment["BRIEFING_TEST_ARTIFACTS"] {
      try Data(bytes).write(to: URL(fileURLWithPath: folder).appendingPathComponent("bulletin.pdf"))
    }
    #expect(try render(try layOut(measurer: measurer), measurer: measurer) == bytes, "two builds are byte-identical")
    #expect(try runTool("qpdf", ["--check", "{}"], input: bytes, suffix: "pdf").status == 0)
    let info = try runTool("pdfinfo", ["{}"], input: bytes, suffix: "pdf").output
    let fields = Dictionary(info.split(separator: "\n").map { line -> (String, String) in
      let parts = line.split(separator: ":", maxSplits: 1)
      return (String(parts[0]), parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : "")
    }, uniquingKeysWith: { a, _ in a })
    #expect(fields["Title"] == "Проверочный бюллетень")
    #expect(fields["Author"] == "Briefing tests")
    #expect(fields["Subject"] == "Таблицы")
    #expect(fields["Keywords"] == "кадры, регионы")
    #expect(fields["Creator"] == "Briefing test")
    #expect(fields["Pages"] == String(document.pages.count))
    #expect(fields["CreationDate"]?.contains("2026") == true)
    let outlines = try runTool("qpdf", ["--json", "--json-key=outlines", "{}"], input: bytes, suffix: "pdf").output
    for title in ["Содержание", "Регионы", "Программы", "Финансирование по группам"] { #expect(outlines.contains("\"title\": \"\(title)\"")) }
    let text = try runTool("pdftotext", ["-layout", "{}", "-"], input: bytes, suffix: "pdf").output
    #expect(text.contains("Регион № 89 — Республика Саха (Якутия)"), "Cyrillic extracts intact")
    #expect(text.contains("Таблица 1. Обучено студентов по регионам, 2025 год (продолжение)"))
    for page in 1...document.pages.count { #expect(text.contains("Стр. \(page) из \(document.pages.count)")) }
    // In the text extracted from each page too, the shares' commas stand in one column.
    for page in 1...document.pages.count {
      let pageText = try runTool("pdftotext", ["-layout", "-f", "\(page)", "-l", "\(page)", "{}", "-"], input: bytes, suffix: "pdf").output
      let commaColumns = Set(pageText.split(separator: "\n").filter { $0.contains("Регион № ") }.compactMap { row -> Int? in
        row.lastIndex(of: ",").map { row.distance(from: row.startIndex, to: $0) }
      })
      #expect((commaColumns.max() ?? 0) - (commaColumns.min() ?? 0) <= 1, "page \(page): \(commaColumns)")
    }
  }
}
