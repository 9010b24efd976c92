import BriefingCairo
import BriefingLayout
import BriefingTestSupport
import Foundation
import Testing

@testable import Briefing

/// The chart gallery (layouts/gallery.yaml) laid out with the real fonts: for every chart, at the
/// page's text width, at the export width and narrow, nothing overlaps, nothing leaves the chart,
/// no word is broken, every value label sits inside the plot by its own bar, and the legend
/// follows the series. The PDF's pages are checked as a whole too.
@Suite(.serialized) struct ChartGalleryTests {
  static let gallery = projectRoot.appendingPathComponent("layouts/gallery.yaml").path

  // Composed by each test: a composition kept in a static would outlive the test process's leak
  // check (LeakSanitizer reports what a lazily initialised global holds as leaked).
  func composition() throws -> BriefingBuilder.Composition { try BriefingBuilder().compose(layoutAt: Self.gallery) }

  /// Every chart of the gallery, by id.
  func charts(of composition: BriefingBuilder.Composition) throws -> [(id: String, chart: Chart)] {
    var charts: [(String, Chart)] = []
    for (index, block) in composition.composer.spec.blocks.enumerated() {
      guard case .chart(let spec) = block else { continue }
      charts.append((spec.id, try composition.composer.makeChart(spec, index: index)))
    }
    return charts
  }

  static let widths = [481.9, 520.0, 300.0]

  @Test func galleryHasEveryKindAndStressCase() throws {
    let charts = try charts(of: try composition())
    let kinds = Set(charts.map(\.chart.kind))
    #expect(kinds == Set(ChartKind.allCases))
    #expect(charts.contains { $0.chart.categories.count == 89 }, "all regions")
    #expect(charts.contains { $0.chart.categories.count == 35 && $0.chart.orientation == .vertical }, "35 upright")
    #expect(charts.contains { $0.chart.categories.count == 1 }, "one bar")
    #expect(charts.contains { $0.chart.series.count == DocumentComposer.maximumSeries }, "many series")
    let values = charts.flatMap { $0.chart.series.flatMap(\.values) }.compactMap { $0 }
    #expect(values.contains { $0 < 0 } && values.contains { $0 > 0 }, "mixed signs")
    #expect(values.contains { $0 != 0 && abs($0) < 0.01 }, "tiny values")
  }

  @Test(arguments: widths) func noTextOverlapsOrLeavesTheChart(width: Double) throws {
    let composition = try composition()
    let measurer = composition.measurer
    for (id, chart) in try charts(of: composition) {
      let height = chart.preferredHeight(width: width, measuring: measurer)
      let plan = chart.plan(size: Size(width: width, height: height), measuring: measurer)
      let bounds = Rect(x: 0, y: 0, width: width, height: height)
      let texts = plan.texts
      for run in texts { #expect(bounds.contains(run.frame), "\(id) @\(width): “\(run.text)” \(run.frame) leaves \(bounds)") }
      for i in texts.indices {
        for j in texts.indices where j > i && texts[i].frame.overlaps(texts[j].frame) {
          Issue.record("\(id) @\(width): “\(texts[i].text)” \(texts[i].frame) overlaps “\(texts[j].text)” \(texts[j].frame)")
        }
      }
      // Every measured text fits its box (turned text along its height).
      for run in texts {
        let m = measurer.measure(run.text, style: run.style, maxWidth: run.lineWidth)
        let (long, short) = run.readsUpward ? (run.frame.height, run.frame.width) : (run.frame.width, run.frame.height)
        #expect(m.width <= long + 0.5 && m.height <= short + 0.5, "\(id) @\(width): “\(run.text)” needs \(m.width)×\(m.height)")
      }
    }
  }

  @Test(arguments: widths) func noWordIsBrokenInside(width: Double) throws {
    let composition = try composition()
    let measurer = composition.measurer
    for (id, chart) in try charts(of: composition) {
      let plan = chart.plan(size: Size(width: width, height: chart.preferredHeight(width: width, measuring: measurer)), measuring: measurer)
      for run in plan.texts {
        let m = measurer.measure(run.text, style: run.style, maxWidth: run.lineWidth)
        let bytes = Array(run.text.utf8)
        for start in m.lineStarts where start > 0 && start <= bytes.count {
          let before = String(decoding: bytes[..<start], as: UTF8.self).last
          #expect(before == " " || before == "-" || before == "—" || before == "–", "\(id) @\(width): “\(run.text)” breaks at byte \(start)")
        }
      }
    }
  }

  @Test(arguments: widths) func valueLabelsSitInThePlotByTheirOwnBars(width: Double) throws {
    let composition = try composition()
    let measurer = composition.measurer
    for (id, chart) in try charts(of: composition) {
      let plan = chart.plan(size: Size(width: width, height: chart.preferredHeight(width: width, measuring: measurer)), measuring: measurer)
      let horizontal = plan.orientation == .horizontal
      for label in plan.valueLabels {
        let box = label.run.frame
        #expect(plan.plot.contains(box), "\(id) @\(width): “\(label.run.text)” \(box) leaves the plot \(plan.plot)")
        let bars = plan.bars.filter { $0.category == label.category && (label.series == nil || $0.series == label.series) }
        guard let first = bars.first else {
          // A missing value's mark stands where its bar would be: on the baseline.
          #expect(label.run.text == chart.missingLabel, "\(id): “\(label.run.text)” has no bar")
          continue
        }
        let extent = bars.dropFirst().reduce(first.rect) { $0.union($1.rect) }
        // Across the bands the label is centred on its bar (or its stack).
        let (centre, from, to) = horizontal
          ? (box.minY + box.height / 2, extent.minY, extent.maxY) : (box.minX + box.width / 2, extent.minX, extent.maxX)
        #expect(centre >= from - 0.5 && centre <= to + 0.5, "\(id) @\(width): “\(label.run.text)” is not across from its bar")
        // Along the value axis it touches its bar's end: inside it, or just beyond it.
        let near = extent.insetBy(dx: horizontal ? -4 : 0, dy: horizontal ? 0 : -4)
        #expect(near.overlaps(box, tolerance: -0.01), "\(id) @\(width): “\(label.run.text)” \(box) is away from its bar \(extent)")
        if label.isInside { #expect(extent.contains(box), "\(id): inside label “\(label.run.text)” leaves its bar") }
      }
    }
  }

  @Test func legendFollowsTheSeries() throws {
    let composition = try composition()
    let measurer = composition.measurer
    for (id, chart) in try charts(of: composition) where chart.series.count > 1 {
      let plan = chart.plan(size: Size(width: 481.9, height: chart.preferredHeight(width: 481.9, measuring: measurer)), measuring: measurer)
      #expect(plan.legend.map(\.series) == Array(chart.series.indices), "\(id)")
      #expect(plan.legend.map(\.run.text) == chart.series.map(\.name), "\(id)")
      // Reading order: left to right within a row, rows downwards.
      for (a, b) in zip(plan.legend, plan.legend.dropFirst()) {
        #expect(b.run.frame.minY > a.run.frame.minY + 0.5 || (abs(b.run.frame.minY - a.run.frame.minY) < 0.5 && b.swatch.minX > a.run.frame.maxX), "\(id)")
      }
      // One row when it fits.
      let total = plan.legend.map { $0.run.frame.maxX - $0.swatch.minX + 12 }.reduce(0, +) - 12
      if total <= 481.9 { #expect(Set(plan.legend.map(\.run.frame.minY)).count == 1, "\(id)") }
    }
  }

  @Test func pagesHaveNoOverlapsAndStayInTheMargins() throws {
    let composition = try composition()
    let pages = composition.document.laidOut.pages
    #expect(pages.count >= 6)
    for (index, page) in pages.enumerated() {
      let sheet = Rect(origin: .zero, size: page.size).insetBy(dx: 20, dy: 20)
      #expect(GeometryCheck.textOutside(sheet, on: page).isEmpty, "page \(index + 1)")
      #expect(GeometryCheck.overlappingText(on: page).isEmpty, "page \(index + 1): \(GeometryCheck.overlappingText(on: page).prefix(3))")
    }
  }

  @Test func allRegionsSplitAcrossPagesOnOneScale() throws {
    let composition = try composition()
    let measurer = composition.measurer
    guard let chart = try charts(of: composition).first(where: { $0.chart.categories.count == 89 })?.chart else {
      Issue.record("no chart of 89 regions")
      return
    }
    let block = ChartBlock(chart)
    let width = 481.9
    guard let split = block.split(width: width, height: 500, measuring: measurer),
      let head = split.head as? ChartBlock, let tail = split.tail as? ChartBlock
    else {
      Issue.record("the chart of 89 regions does not split")
      return
    }
    #expect(head.height(width: width, measuring: measurer) <= 500)
    #expect(head.chart.categories + tail.chart.categories == chart.categories)
    #expect(head.chart.frozen?.domain == tail.chart.frozen?.domain)
    let tailPlan = tail.chart.plan(size: Size(width: width, height: tail.height(width: width, measuring: measurer)), measuring: measurer)
    #expect(!tailPlan.tickLabels.isEmpty, "the axis repeats")
    #expect(tailPlan.otherTexts.contains { $0.text.hasSuffix(tail.chart.continuedLabel) })
    // In the PDF the chart runs over several pages, each piece with its axis.
    let titled = composition.document.laidOut.pages.filter { page in
      page.frame.flattenedTextRuns().contains { $0.text.hasPrefix("Рисунок 12.") }
    }
    #expect(titled.count >= 2)
  }
}
