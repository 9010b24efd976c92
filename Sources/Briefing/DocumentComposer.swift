internal import BriefingAnalytics
internal import BriefingLayout
internal import Foundation

/// A chart to write as a standalone file.
struct ChartExport {
  var id: String
  var page: Page
  var formats: [LayoutSpec.ExportFormat]
}

/// Turns a layout spec and its data into laid-out pages and standalone chart pages.
struct DocumentComposer {
  let spec: LayoutSpec
  let layoutFile: String
  let dataset: Dataset
  /// Translations of dimension values into the report's language.
  let names: [String: [String: String]]
  /// The reference tables of dimensions (regions.csv), whose columns can group rows.
  let references: [String: ReferenceTable]
  let creationDate: String?
  let vocabulary: Vocabulary
  let format: NumberFormat
  let theme: Theme

  init(
    spec: LayoutSpec, layoutFile: String, dataset: Dataset, names: [String: [String: String]],
    references: [String: ReferenceTable] = [:], creationDate: String?
  ) {
    self.spec = spec
    self.layoutFile = layoutFile
    self.dataset = dataset
    self.names = names
    self.references = references
    self.creationDate = creationDate
    vocabulary = Vocabulary(locale: spec.language)
    format = NumberFormat(locale: spec.language)
    var theme = Theme.bulletin
    if let custom = spec.theme {
      if let sans = custom.sans { theme.sansFamily = sans }
      if let serif = custom.serif { theme.serifFamily = serif }
      if let size = custom.bodySize { theme.bodySize = size }
      if let accent = custom.accent.flatMap(Color.init(hexString:)) { theme.accent = accent }
      if let bars = custom.bars.flatMap(Color.init(hexString:)) { theme.barFill = bars }
    }
    self.theme = theme
  }

  struct Composed {
    var laidOut: LaidOutDocument
    var charts: [ChartExport]
    /// Which layout block and row each string comes from.
    var origins: TextOrigins
  }

  var isSynthetic: Bool { dataset.observations.contains { $0.status == "synthetic" } }

  func compose(measuring: any TextMeasuring) throws(BriefingError) -> Composed {
    let paper = (spec.page?.size ?? .a4).size(landscape: spec.page?.orientation == .landscape)
    let margin = (spec.page?.margins ?? 20) * 72 / 25.4
    let geometry = PageGeometry(paper: paper, margins: EdgeInsets(top: margin + 8, left: margin, bottom: margin + 8, right: margin))
    let hasCover = spec.cover ?? false
    var blocks: [any Block] = []
    if hasCover {
      blocks.append(CoverBlock(
        title: spec.title, subtitles: spec.subtitle.map { [$0] } ?? [], particulars: spec.particulars, author: spec.author,
        date: creationDate.map(vocabulary.longDate), notice: isSynthetic ? vocabulary.syntheticWarning : nil,
        pageHeight: geometry.content.height, theme: theme))
    } else {
      blocks.append(TitleBlock(
        title: spec.title, subtitles: spec.subtitle.map { [$0] } ?? [], particulars: spec.particulars, theme: theme))
    }
    var charts: [ChartExport] = []
    var origins = TextOrigins()
    for text in [spec.title, spec.subtitle, spec.particulars, spec.author].compactMap({ $0 }) { origins.add(text, at: "the title") }
    for text in [spec.shortTitle, spec.source].compactMap({ $0 }) { origins.add(text, at: "the page header or footer") }
    var sectionCount = 0
    for (index, block) in spec.blocks.enumerated() {
      // Blocks are counted as the layout lists them, from 1.
      let place = "block \(index + 1)"
      switch block {
      case .heading(let text):
        origins.add(text, at: "\(place) (heading)")
        sectionCount += 1
        blocks.append(Heading(text, level: 1, anchor: "section-\(sectionCount)", theme: theme))
      case .subheading(let text):
        origins.add(text, at: "\(place) (subheading)")
        blocks.append(Heading(text, level: 2, anchor: "block-\(index + 1)", theme: theme))
      case .paragraph(let text):
        origins.add(text, at: "\(place) (paragraph)")
        blocks.append(Paragraph(text, style: theme.style(.body)))
      case .note(let text):
        origins.add(text, at: "\(place) (note)")
        blocks.append(Paragraph(text, style: theme.style(.note)))
      case .table(let table):
        let tableBlock = try makeTable(table, index: index, geometry: geometry, measuring: measuring)
        origins.add(tableBlock, name: "\(place) (table)")
        blocks.append(tableBlock)
      case .chart(let chartSpec):
        var chart = try makeChart(chartSpec, index: index)
        for text in [chart.title, chart.subtitle, chart.note].compactMap({ $0 }) + chart.categories {
          origins.add(text, at: "\(place) (chart “\(chartSpec.id)”)")
        }
        if let formats = chartSpec.export, !formats.isEmpty {
          charts.append(ChartExport(id: chartSpec.id, page: standalonePage(chart, measuring: measuring), formats: formats))
        }
        // Inside the PDF the footer already gives the source; a standalone chart must carry it.
        if chart.note == spec.source { chart.note = nil }
        blocks.append(ChartBlock(chart, height: chartSpec.height))
      case .pageBreak:
        blocks.append(PageBreak())
      case .contents(let title):
        blocks.append(ContentsBlock(title: title ?? vocabulary.contents, excludedAnchors: ["title"], theme: theme))
      }
    }
    // Header: the short title, and a synthetic-data warning where it applies. Footer: the source,
    // the build date and the page number.
    let headerRight: String? = isSynthetic ? vocabulary.syntheticWarning : nil
    let vocabulary = self.vocabulary
    let built = creationDate.map(vocabulary.built(on:))
    let furniture = PageFurniture(
      headerLeft: spec.shortTitle ?? spec.title, headerRight: headerRight, footerLeft: spec.source,
      pageLabel: { page, count in (built.map { $0 + " · " } ?? "") + vocabulary.pageLabel(page, count) }, onFirstPage: !hasCover)
    let metadata = DocumentMetadata(
      title: spec.title, author: spec.author ?? "", subject: spec.subtitle ?? "", keywords: spec.keywords ?? [],
      creator: "Briefing \(briefingVersion)", creationDate: creationDate)
    do {
      let laidOut = try Paginator(geometry: geometry, furniture: furniture, theme: theme)
        .paginate(blocks, metadata: metadata, measuring: measuring)
      return Composed(laidOut: laidOut, charts: charts, origins: origins)
    } catch {
      throw .layout(file: layoutFile, error)
    }
  }

  // MARK: - Queries

  /// The filters of a query: its metric and its `where` conditions.
  func filters(of query: LayoutSpec.QuerySpec) -> [Filter] {
    var filters = [Filter("metric", equals: query.metric)]
    for (dimension, value) in (query.where ?? [:]).sorted(by: { $0.key < $1.key }) {
      filters.append(Filter(dimension, in: value.values))
    }
    return filters
  }

  /// The query's groups by `dimensions`, in order of first appearance; an error when there are none.
  func aggregate(_ query: LayoutSpec.QuerySpec, filters: [Filter], by dimensions: [String], block: String) throws(BriefingError) -> [GroupedValue] {
    let groups: [GroupedValue]
    do {
      groups = try dataset.aggregate(query.aggregate ?? .sum, where: filters, by: dimensions)
    } catch {
      throw .query(file: layoutFile, block: block, error)
    }
    guard !groups.isEmpty else {
      let conditions = filters.map { $0.description.replacingOccurrences(of: "=", with: " = ") }
      throw .emptySelection(file: layoutFile, block: block, detail: "no observation has " + conditions.joined(separator: " and "))
    }
    return groups
  }

  /// The groups a chart shows: sorted as the query asks (as tables sort them), cut to `top`.
  func select(_ query: LayoutSpec.QuerySpec, block: String) throws(BriefingError) -> [GroupedValue] {
    let groups = try aggregate(query, filters: filters(of: query), by: [query.by], block: block)
    let byKey = keyOrder(of: query.by)
    let sorted = query.sort == .key ? groups.sorted { byKey($0.keys[0], $1.keys[0]) } : groups.sortedByValueDescending()
    guard let top = query.top, top > 0 else { return sorted }
    return Array(sorted.prefix(top))
  }

  func label(_ value: String, dimension: String) -> String {
    names[dimension]?[value] ?? value
  }

  // MARK: - Charts

  func makeChart(_ chart: LayoutSpec.ChartSpec, index: Int) throws(BriefingError) -> BarChart {
    let groups = try select(chart.query, block: "chart “\(chart.id)”")
    let largest = groups.compactMap(\.value).map(abs).max() ?? 0
    let display = vocabulary.display(unit: groups[0].unit, largest: largest)
    let format = self.format
    let subtitle = chart.subtitle ?? "\(vocabulary.metric(chart.query.metric)), \(display.label)"
    var barChart = BarChart(
      title: chart.title, subtitle: subtitle,
      categories: groups.map { label($0.keys[0], dimension: chart.query.by) },
      values: groups.map { $0.value.map { $0 / display.divisor } },
      orientation: chart.orientation ?? .horizontal,
      formatTick: { format.decimal($0, fractionDigits: $0 == $0.rounded() ? 0 : 1) },
      formatValue: { format.decimal($0, fractionDigits: display.fractionDigits) },
      note: chart.note ?? spec.source, theme: theme)
    // The words alone ("более"): the chart formats the figure itself.
    barChart.valuePrefixes = groups.map { format.qualified("", qualifier: $0.qualifier).trimmingCharacters(in: .whitespaces) }
    return barChart
  }

  /// The chart alone on a white page with a margin, for SVG and PNG files.
  func standalonePage(_ chart: BarChart, measuring: any TextMeasuring) -> Page {
    let width = 520.0
    let padding = 16.0
    let height = chart.preferredHeight(width: width, measuring: measuring)
    var frame = Frame(size: Size(width: width + 2 * padding, height: height + 2 * padding))
    frame.append(.rect(Rect(origin: .zero, size: frame.size), .filled(.white)))
    frame.place(chart.layout(size: Size(width: width, height: height), measuring: measuring), at: Point(x: padding, y: padding))
    return Page(frame: frame)
  }
}
