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
  let creationDate: String?
  let vocabulary: Vocabulary
  let format: NumberFormat
  let theme: Theme

  init(spec: LayoutSpec, layoutFile: String, dataset: Dataset, names: [String: [String: String]], creationDate: String?) {
    self.spec = spec
    self.layoutFile = layoutFile
    self.dataset = dataset
    self.names = names
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
    var sectionCount = 0
    for (index, block) in spec.blocks.enumerated() {
      switch block {
      case .heading(let text):
        sectionCount += 1
        blocks.append(Heading(text, level: 1, anchor: "section-\(sectionCount)", theme: theme))
      case .subheading(let text):
        blocks.append(Heading(text, level: 2, anchor: "block-\(index + 1)", theme: theme))
      case .paragraph(let text):
        blocks.append(Paragraph(text, style: theme.style(.body)))
      case .note(let text):
        blocks.append(Paragraph(text, style: theme.style(.note)))
      case .table(let table):
        blocks.append(try makeTable(table, index: index, pageHeight: geometry.content.height))
      case .chart(let chartSpec):
        var chart = try makeChart(chartSpec, index: index)
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
      return Composed(laidOut: laidOut, charts: charts)
    } catch {
      throw .layout(file: layoutFile, error)
    }
  }

  // MARK: - Queries

  struct Selection {
    var groups: [GroupedValue]
    /// The total of every group, including those cut by `top`.
    var total: Double?
    /// How many groups `top` cut, and their total.
    var rest: (count: Int, total: Double?)?
    var unit: String
  }

  func select(_ query: LayoutSpec.QuerySpec, block: String) throws(BriefingError) -> Selection {
    var filters = [Filter("metric", equals: query.metric)]
    for (dimension, value) in (query.where ?? [:]).sorted(by: { $0.key < $1.key }) {
      filters.append(Filter(dimension, in: value.values))
    }
    let groups: [GroupedValue]
    do {
      let unsorted = try dataset.aggregate(query.aggregate ?? .sum, where: filters, by: [query.by])
      groups =
        query.sort == .key
        ? unsorted.sorted { $0.keys.lexicographicallyPrecedes($1.keys) } : unsorted.sortedByValueDescending()
    } catch {
      throw .data(error)
    }
    guard !groups.isEmpty else {
      let conditions = filters.map { $0.description.replacingOccurrences(of: "=", with: " = ") }
      throw .emptySelection(file: layoutFile, block: block, detail: "no observation has " + conditions.joined(separator: " and "))
    }
    let totalOf: ([GroupedValue]) -> Double? = { list in
      let present = list.compactMap(\.value)
      guard !present.isEmpty else { return nil }
      var sum = CompensatedSum()
      for value in present { sum.add(value) }
      return sum.value
    }
    let additive = (query.aggregate ?? .sum) == .sum || query.aggregate == .count
    var shown = groups
    var rest: (Int, Double?)? = nil
    if let top = query.top, top > 0, groups.count > top {
      shown = Array(groups.prefix(top))
      rest = (groups.count - top, additive ? totalOf(Array(groups.dropFirst(top))) : nil)
    }
    return Selection(groups: shown, total: additive ? totalOf(groups) : nil, rest: rest, unit: groups[0].unit)
  }

  func label(_ value: String, dimension: String) -> String {
    names[dimension]?[value] ?? value
  }

  // MARK: - Tables

  func makeTable(_ table: LayoutSpec.TableSpec, index: Int, pageHeight: Double? = nil) throws(BriefingError) -> TableBlock {
    let selection = try select(table.query, block: "table \(index + 1)")
    let largest = selection.groups.compactMap(\.value).map(abs).max() ?? 0
    let display = vocabulary.display(unit: selection.unit, largest: largest)
    let value: (Double?) -> String = { v in
      self.format.decimal(v.map { $0 / display.divisor }, fractionDigits: display.fractionDigits)
    }
    let separator = format.decimalSeparator
    var columns = [
      TableColumn(table.label ?? vocabulary.dimension(table.query.by)),
      TableColumn(
        table.valueLabel ?? vocabulary.metric(table.query.metric), unit: display.label, kind: .number, decimalSeparator: separator),
    ]
    let withBars = table.bars ?? false
    // The bar sits right of its figure and reads the figure's value (column 1).
    if withBars { columns.append(TableColumn("", kind: .bar, barSource: 1)) }
    let bar: [String] = withBars ? [""] : []
    let withShare = table.share ?? false
    if withShare { columns.append(TableColumn(vocabulary.share, unit: "%", kind: .number, decimalSeparator: separator)) }
    func share(_ v: Double?) -> String {
      guard let v, let total = selection.total, total != 0 else { return NumberFormat.missing }
      return format.decimal(100 * v / total, fractionDigits: 1)
    }
    var rows = selection.groups.map { group in
      TableRow(
        [label(group.keys[0], dimension: table.query.by), value(group.value)] + bar + (withShare ? [share(group.value)] : []),
        values: group.value.map { [1: $0] } ?? [:])
    }
    // "Other" folds many groups into one: a bar for it would dwarf the rest, so it has none.
    if let rest = selection.rest {
      rows.append(TableRow(
        [vocabulary.other(count: rest.count, dimension: table.query.by), value(rest.total)] + bar + (withShare ? [share(rest.total)] : [])))
    }
    if table.total ?? false, selection.total != nil {
      rows.append(TableRow([vocabulary.total, value(selection.total)] + bar + (withShare ? [share(selection.total)] : []), kind: .total))
    }
    let block = TableBlock(
      caption: table.caption, columns: columns, rows: rows, zebra: table.zebra ?? false,
      continuedLabel: vocabulary.continued, theme: theme, pageHeight: pageHeight)
    do {
      try block.validate()
    } catch {
      throw .layout(file: layoutFile, error)
    }
    return block
  }

  // MARK: - Charts

  func makeChart(_ chart: LayoutSpec.ChartSpec, index: Int) throws(BriefingError) -> BarChart {
    let selection = try select(chart.query, block: "chart “\(chart.id)”")
    let largest = selection.groups.compactMap(\.value).map(abs).max() ?? 0
    let display = vocabulary.display(unit: selection.unit, largest: largest)
    let format = self.format
    let subtitle = chart.subtitle ?? "\(vocabulary.metric(chart.query.metric)), \(display.label)"
    return BarChart(
      title: chart.title, subtitle: subtitle,
      categories: selection.groups.map { label($0.keys[0], dimension: chart.query.by) },
      values: selection.groups.map { $0.value.map { $0 / display.divisor } },
      orientation: chart.orientation ?? .horizontal,
      formatTick: { format.decimal($0, fractionDigits: $0 == $0.rounded() ? 0 : 1) },
      formatValue: { format.decimal($0, fractionDigits: display.fractionDigits) },
      note: chart.note ?? spec.source, theme: theme)
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
