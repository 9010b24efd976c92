import BriefingAnalytics
import BriefingLayout
import BriefingTestSupport
import Foundation
import Testing

@testable import Briefing

/// `layouts/region.yaml` builds a briefing for every one of the 89 regions, each about its own.
@Suite struct RegionTemplateTests {
  let layout = projectRoot.appendingPathComponent("layouts/region.yaml").path

  @Test func everyRegionGetsABriefingAboutItself() throws {
    let regions = try ReferenceTable.load(csv: projectRoot.appendingPathComponent("seeds/regions.csv").path).rows
    let instances = try BriefingBuilder.instances(ofLayoutAt: layout)
    #expect(instances.count == 89)
    #expect(instances.map { $0.parameters["region"] ?? "" } == regions.compactMap { $0["name_en"] })
    #expect(Set(instances.flatMap(\.outputFileNames)).count == instances.count)
    let builder = BriefingBuilder()
    for (instance, row) in zip(instances, regions) {
      let name = try #require(row["name_ru"])
      #expect(instance.outputFileNames == ["regions/region-\(OutputName.slug(row["name_en"] ?? "").lowercased()).pdf"])
      let composition = try builder.compose(instance)
      let document = composition.document.laidOut
      // Its title, in the PDF's metadata and on its first page.
      #expect(document.metadata.title == "Подготовка кадров для промышленности: \(name)")
      let firstPage = try #require(document.pages.first).frame.flattenedTextRuns().map(\.text).joined(separator: " ")
      #expect(firstPage.contains(name), "\(name)")
      // Pages a reader trusts: none under half full unless the document ends or a break ends it,
      // no text over another, none outside the sheet's margins.
      for (page, summary) in zip(document.pages, document.pageSummaries) where summary.ending == .flow {
        #expect(summary.fill >= 0.5, "\(name): a page \(Int(summary.fill * 100)) % full")
      }
      for page in document.pages {
        #expect(GeometryCheck.overlappingText(on: page).isEmpty, "\(name): \(GeometryCheck.overlappingText(on: page).prefix(2))")
      }
      // The chart of its district highlights its own bar, and only it.
      let index = try #require(composition.composer.spec.blocks.firstIndex { if case .chart(let chart) = $0 { chart.id == "district" } else { false } })
      guard case .chart(let spec) = composition.composer.spec.blocks[index] else { continue }
      let chart = try composition.composer.makeChart(spec, index: index)
      #expect(chart.highlighted.map { chart.categories[$0] } == [name], "\(name)")
    }
  }
}
