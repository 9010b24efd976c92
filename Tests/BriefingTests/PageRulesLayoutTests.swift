import BriefingAnalytics
import BriefingCairo
import BriefingLayout
import BriefingTestSupport
import Foundation
import Testing

@testable import Briefing

/// The layouts of layouts/ laid out with the real fonts (Pango): no body page is less than half
/// full unless a page break, a turn of orientation or the end of the document ends it; no page
/// ends with a heading; a table split over pages is captioned as a continuation with its number
/// and leaves three regions on each side; nothing overlaps or leaves the margins.
@Suite(.serialized) struct PageRulesLayoutTests {
  static var layouts: [String] {
    let folder = projectRoot.appendingPathComponent("layouts")
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    return names.filter { $0.hasSuffix(".yaml") }.sorted().map { folder.appendingPathComponent($0).path }
  }

  @Test func everyLayoutIsFoundHere() {
    #expect(Self.layouts.count >= 2)
  }

  @Test(arguments: layouts)
  func pagesAreFullHeadingsLeadAndTablesContinueByNumber(layout: String) throws {
    let composition = try BriefingBuilder().compose(layoutAt: layout)
    let document = composition.document.laidOut
    let theme = composition.composer.theme
    let name = URL(fileURLWithPath: layout).lastPathComponent
    #expect(document.pageSummaries.count == document.pages.count)
    for (index, (page, summary)) in zip(document.pages, document.pageSummaries).enumerated() {
      let label = "\(name), page \(index + 1)"
      if summary.ending == .flow {
        #expect(summary.fill >= 0.5, "\(label) is \(Int(summary.fill * 100)) % full")
      }
      let sheet = Rect(origin: .zero, size: page.size)
      let content = sheet.inset(by: PageGeometry(paper: page.size, margins: Self.margins(of: composition)).margins)
      let body = page.textRuns().filter { content.insetBy(dx: -0.5, dy: -0.5).contains($0.bounds) }
      let lowest = body.max { $0.bounds.maxY < $1.bounds.maxY }?.run
      if let lowest {
        #expect(lowest.style != theme.style(.heading1) && lowest.style != theme.style(.heading2), "\(label) ends with “\(lowest.text)”")
      }
      #expect(GeometryCheck.overlappingText(on: page).isEmpty, "\(label): \(GeometryCheck.overlappingText(on: page).prefix(3))")
      #expect(GeometryCheck.textOutside(sheet.insetBy(dx: 20, dy: 20), on: page).isEmpty, "\(label)")
      // A continued table names its number, never the whole caption again.
      let texts = page.textRuns().map(\.run.text)
      #expect(!texts.contains { $0.hasPrefix("Таблица") && $0.hasSuffix("(продолжение)") }, "\(label)")
    }
  }

  @Test func theAppendixTableContinuesAsTableP1WithThreeRegionsOnEachSide() throws {
    let layout = projectRoot.appendingPathComponent("layouts/regional-overview.yaml").path
    let composition = try BriefingBuilder().compose(layoutAt: layout)
    let pages = composition.document.laidOut.pages
    let regions = Set(try ReferenceTable.load(csv: projectRoot.appendingPathComponent("seeds/regions.csv").path).column("name_ru"))
    let continued = pages.indices.filter { pages[$0].textRuns().contains { $0.run.text == "Продолжение табл.\u{00A0}П1" } }
    #expect(!continued.isEmpty)
    for index in continued {
      let texts = pages[index].textRuns().map(\.run.text)
      #expect(texts.contains("Регион"), "the header is repeated on page \(index + 1)")
      #expect(texts.filter(regions.contains).count >= TableBlock.minimumRowsAtBreak, "page \(index + 1)")
    }
    // The page before the first continuation ends with at least three regions too.
    if let first = continued.first, first > 0 {
      #expect(pages[first - 1].textRuns().map(\.run.text).filter(regions.contains).count >= TableBlock.minimumRowsAtBreak)
    }
  }

  @Test(arguments: [true, false])
  func aChartFloatsUnlessTheLayoutSaysFloatFalse(floats: Bool) throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("l.yaml")
    let seeds = projectRoot.appendingPathComponent("seeds").path
    let lead = String(repeating: "Running text that fills most of the first page before the chart. ", count: 42)
    try """
      title: T
      language: en
      data: [\(seeds)/panel.csv]
      blocks:
        - paragraph: "\(lead)"
        - chart:
            id: c
            title: "Figure 1. Thirty regions"
            query: { metric: students_trained, by: region, where: { period: 2025 }, top: 30 }
            other: false
      \(floats ? "" : "      float: false")
        - paragraph: "Closing words after the chart."
      """.write(to: file, atomically: true, encoding: .utf8)
    let composition = try BriefingBuilder(options: BuildOptions(outputDirectory: folder.path)).compose(layoutAt: file.path)
    let pages = composition.document.laidOut.pages
    func page(of prefix: String) -> Int? { pages.indices.first { pages[$0].textRuns().contains { $0.run.text.hasPrefix(prefix) } } }
    #expect(page(of: "Figure 1.") == 1)
    // A floating chart lets the closing words fill the first page; a fixed one keeps them after it.
    #expect(page(of: "Closing words") == (floats ? 0 : 1))
  }

  /// The margins the composer gives a layout's pages.
  static func margins(of composition: BriefingBuilder.Composition) -> EdgeInsets {
    let margin = (composition.composer.spec.page?.margins ?? 20) * 72 / 25.4
    return EdgeInsets(top: margin + 8, left: margin, bottom: margin + 8, right: margin)
  }
}
