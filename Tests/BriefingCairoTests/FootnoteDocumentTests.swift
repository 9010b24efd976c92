import BriefingCairo
import BriefingLayout
import BriefingTestSupport
import Foundation
import Testing

/// A Russian briefing whose key figures, paragraphs and table rows cite their sources in
/// footnotes, laid out with Pango and written to PDF: each note is at the foot of the page of its
/// marker, in the PDF's text as on the laid-out page, and nothing overlaps.
@Suite struct FootnoteDocumentTests {
  let geometry = PageGeometry(paper: PaperSize.a4.portrait)
  let theme = Theme.bulletin

  func layOut(measurer: PangoTextMeasurer) throws -> LaidOutDocument {
    var numbering = FootnoteNumbering()
    let kpiSource = numbering.next(
      "Источник: Минпросвещения России, «Итоги программы „Профессионалитет“ в 2025 году», 15 января 2026 г. «В 2025 году в программе участвовали более 1 600 предприятий из 75 регионов страны, а обучение по её программам прошли свыше 600 тысяч студентов колледжей.»")
    let textSource = numbering.next("Источник: Правительство Российской Федерации, «О ходе реализации федерального проекта», 2025 г.")
    let rowSource = numbering.next(
      "Источник: министерство образования Республики Татарстан, «Кадры для промышленности», 3 марта 2025 г. «Число обученных включает выпускников колледжей кластера, завершивших обучение досрочно.»")
    let lateSource = numbering.next("Источник: региональный оператор программы, данные на 1 декабря 2025 г.")
    let body = theme.style(.body)
    let lead = String(repeating: "Данные синтетические и служат только для проверки вёрстки страниц справки. ", count: 14)
    let kpis = KPIBlock(tiles: [
      .init(label: "Обучено студентов", figure: "623\u{202F}479", unit: "чел.", change: "+26,9 %", direction: .increase, comparison: "к 2024", notes: [kpiSource]),
      .init(label: "Финансирование", figure: "215,4", unit: "млрд руб.", change: "+3,1 %", direction: .increase, comparison: "к 2024"),
      .init(label: "Рабочие места", figure: "75\u{202F}836", unit: "мест"),
    ])
    let table = TableBlock(
      caption: "Таблица 1. Обучено студентов по регионам, 2025 год",
      columns: [TableColumn("Регион"), TableColumn("Обучено", unit: "чел.", kind: .number, decimalSeparator: ","), TableColumn("Доля", unit: "%", kind: .number, decimalSeparator: ",")],
      rows: (1...89).map { r in
        var notes: [Int: [Footnote]] = [:]
        if r == 5 { notes[1] = [rowSource] }
        if r == 70 { notes[0] = [lateSource] }
        return TableRow(["Регион № \(r)", "\(10_000 + r * 173)", "1,\(r % 10)"], footnotes: notes)
      } + [TableRow(["Итого", "1\u{202F}000\u{202F}000", "100,0"], kind: .total)],
      continuedLabel: "(продолжение)", continuationCaption: "Продолжение табл.\u{00A0}1", pageHeight: geometry.content.height)
    let blocks: [any Block] = [
      TitleBlock(title: "Сноски внизу страницы", subtitles: ["Проверка вёрстки"]),
      kpis,
      Heading("Обучение по программе", anchor: "s1"),
      Paragraph([.text("По итогам года программа охватила большинство регионов"), .footnote(textSource), .text(". " + lead)], style: body),
      table,
      Paragraph(lead, style: body),
    ]
    let furniture = PageFurniture(headerLeft: "Сноски", footerLeft: "Источник: проверочные данные", pageLabel: { "Стр. \($0) из \($1)" })
    return try Paginator(geometry: geometry, furniture: furniture)
      .paginate(blocks, metadata: DocumentMetadata(title: "Сноски", creationDate: "2026-01-15T00:00:00Z"), measuring: measurer)
  }

  @Test func notesSitAtTheFootOfTheirMarkersPagesInThePDF() throws {
    let measurer = try PangoTextMeasurer()
    let document = try layOut(measurer: measurer)
    #expect(document.pages.count >= 3)
    let content = geometry.content
    for (index, (page, summary)) in zip(document.pages, document.pageSummaries).enumerated() {
      #expect(GeometryCheck.overlappingText(on: page).isEmpty, "page \(index + 1): \(GeometryCheck.overlappingText(on: page).prefix(3))")
      #expect(GeometryCheck.overflowingText(on: page, measuring: measurer).isEmpty, "page \(index + 1)")
      let runs = page.textRuns().filter { content.insetBy(dx: -0.5, dy: -0.5).contains($0.bounds) }
      let footTop = content.maxY - summary.footnoteHeight
      let body = runs.filter { $0.bounds.maxY <= footTop + 0.01 }
      let markers = Set(body.flatMap(\.run.superscriptTexts) + body.filter { $0.run.style.size < theme.style(.kpiValue).size * 0.6 && $0.run.style.color == theme.accent }.map(\.run.text))
      #expect(Set(summary.footnoteMarkers) == markers, "page \(index + 1): notes \(summary.footnoteMarkers), markers \(markers)")
      if summary.ending == .flow { #expect(summary.fill >= 0.5, "page \(index + 1)") }
    }
    #expect(Set(document.pageSummaries.flatMap(\.footnoteMarkers)) == ["1", "2", "3", "4"])

    var pdf = try PDFDocument(pageSize: document.pages[0].size, metadata: document.metadata, measurer: measurer)
    for page in document.pages { try pdf.render(page: page) }
    let bytes = try pdf.finish()
    if let folder = ProcessInfo.processInfo.environment["BRIEFING_TEST_ARTIFACTS"] {
      try Data(bytes).write(to: URL(fileURLWithPath: folder).appendingPathComponent("footnotes.pdf"))
    }
    // In the PDF's text, each page carries the notes the layout put there.
    for (index, summary) in document.pageSummaries.enumerated() {
      let text = try runTool("pdftotext", ["-f", "\(index + 1)", "-l", "\(index + 1)", "{}", "-"], input: bytes, suffix: "pdf").output
      let flat = text.replacingOccurrences(of: "\n", with: " ")
      #expect(flat.contains("Итоги программы") == summary.footnoteMarkers.contains("1"), "page \(index + 1)")
      #expect(flat.contains("Кадры для промышленности") == summary.footnoteMarkers.contains("3"), "page \(index + 1)")
    }
  }
}
