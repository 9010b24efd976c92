internal import BriefingAnalytics
internal import BriefingCairo
internal import BriefingLayout
internal import Foundation
internal import Yams

/// A chart to write as a standalone file.
struct ChartExport {
  var id: String
  /// The chart as exported (without its title when the caption goes outside).
  var chart: Chart
  var page: Page
  var formats: [LayoutSpec.ExportFormat]
  /// How SVG files carry their text.
  var svgText: LayoutSpec.SVGTextMode = .text
  /// The language of the chart's text (`ru`, `en`).
  var language: String = "en"
  /// The PDF file's metadata.
  var metadata: DocumentMetadata = DocumentMetadata(title: "")
  /// The period the chart shows, in words («2025 год»), when it shows one.
  var period: String?

  /// What an SVG says about itself: the title (also when the caption is outside, for readers who
  /// cannot see the document around it) and a summary of what is shown.
  var description: SVGDescription { SVGDescription(title: metadata.title, summary: chart.summary(period: period), language: language) }
}

/// Turns a layout spec and its data into laid-out pages and standalone chart pages.
struct DocumentComposer {
  /// The `region` of a national figure.
  static let nationalRegion = "Russian Federation"

  let spec: LayoutSpec
  let layoutFile: String
  /// The layout's YAML, for the line and column of a key in errors; nil for a spec made in code.
  let layoutRoot: Node?
  /// Where every block's data question is answered.
  let source: any DataSource
  /// Translations of dimension values into the report's language.
  let names: [String: [String: String]]
  /// The reference tables of dimensions (regions.csv), whose columns can group rows.
  let references: [String: ReferenceTable]
  let creationDate: String?
  /// The columns of the data (a `region` column makes queries keep national and regional
  /// figures apart).
  let dataColumns: Set<String>
  /// The source documents footnotes cite (`sources:`), when the layout gives them.
  let sourceTable: SourceTable?
  /// The citations of the figures paragraphs quote, by the index their `FootnoteMark` gives.
  let figureCitations: [[Citation]]
  let vocabulary: Vocabulary
  let format: NumberFormat
  let theme: Theme

  init(
    spec: LayoutSpec, layoutFile: String, layoutRoot: Node? = nil, source: any DataSource, names: [String: [String: String]],
    references: [String: ReferenceTable] = [:], creationDate: String?, dataColumns: Set<String> = [],
    metricTable: MetricTable? = nil, sourceTable: SourceTable? = nil, figureCitations: [[Citation]] = []
  ) {
    self.figureCitations = figureCitations
    self.dataColumns = dataColumns
    self.sourceTable = sourceTable
    self.spec = spec
    self.layoutFile = layoutFile
    self.layoutRoot = layoutRoot
    self.source = source
    self.names = names
    self.references = references
    self.creationDate = creationDate
    vocabulary = Vocabulary(locale: spec.language, metricTable: metricTable)
    format = NumberFormat(locale: spec.language)
    theme = spec.resolvedTheme
  }

  struct Composed {
    var laidOut: LaidOutDocument
    var charts: [ChartExport]
    /// Which layout block and row each string comes from.
    var origins: TextOrigins
    /// Colours a reader cannot tell apart, or text too faint on its background, each at its place
    /// in the layout (`colorProblems(of:index:)`).
    var colorProblems: [BriefingError] = []
  }

  var isSynthetic: Bool { ((try? source.values(of: "status")) ?? []).contains("synthetic") }

  /// Composes every block, and lays them out on pages unless `paginating` is false: a standalone
  /// chart (`briefing chart`) needs its chart export, not the PDF's pages, whose limits (a chart
  /// taller than a page) are not its own.
  func compose(measuring: any TextMeasuring, paginating: Bool = true) throws(BriefingError) -> Composed {
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
    var colorProblems = themeColorProblems()
    var origins = TextOrigins()
    for text in [spec.title, spec.subtitle, spec.particulars, spec.author].compactMap({ $0 }) { origins.add(text, at: "the title") }
    for text in [spec.shortTitle, spec.source].compactMap({ $0 }) { origins.add(text, at: "the page header or footer") }
    var sectionCount = 0
    // The sources block's place, and the documents footnotes cite, in the order first cited.
    var sourcesList: (at: Int, title: String, index: Int)?
    let notes = FootnoteLedger()
    // The layout block each page block comes from (nil for the title), for messages.
    var layoutIndex: [Int?] = [nil]
    for (index, block) in spec.blocks.enumerated() {
      defer { while layoutIndex.count < blocks.count { layoutIndex.append(index) } }
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
        origins.add(FootnoteMark.stripped(text), at: "\(place) (paragraph)")
        blocks.append(try paragraph(text, style: theme.style(.body), notes: notes))
      case .note(let text):
        origins.add(FootnoteMark.stripped(text), at: "\(place) (note)")
        blocks.append(try paragraph(text, style: theme.style(.note), notes: notes))
      case .table(let table):
        let tableBlock = try makeTable(table, index: index, geometry: geometry, measuring: measuring, notes: notes)
        origins.add(tableBlock, name: "\(place) (table)")
        blocks.append(tableBlock)
      case .chart(let chartSpec):
        var chart = try makeChart(chartSpec, index: index)
        colorProblems += self.colorProblems(of: chart, index: index)
        for text in [chart.title, chart.subtitle, chart.note].compactMap({ $0 }) + chart.categories + chart.series.map(\.name) {
          origins.add(text, at: "\(place) (chart “\(chartSpec.id)”)")
        }
        if let formats = chartSpec.export, !formats.isEmpty {
          var exported = chart
          if chartSpec.caption == .outside { exported.title = nil }
          let width: Double
          switch chartSpec.width {
          case .points(let points): width = points
          case .text: width = geometry.content.width
          case nil: width = Self.exportWidth
          }
          let metadata = DocumentMetadata(
            title: chart.title ?? chartSpec.id, author: spec.author ?? "", subject: chart.subtitle ?? "",
            creator: "Briefing \(briefingVersion)", creationDate: creationDate)
          charts.append(ChartExport(
            id: chartSpec.id, chart: exported, page: standalonePage(exported, width: width, measuring: measuring), formats: formats,
            svgText: chartSpec.svgText ?? .text, language: spec.language.rawValue, metadata: metadata,
            period: Self.singlePeriod(chartSpec.query).map(vocabulary.period)))
        }
        // Inside the PDF the footer already gives the source; a standalone chart must carry it.
        if chart.note == spec.source { chart.note = nil }
        blocks.append(ChartBlock(chart, height: chartSpec.height, pageHeight: geometry.content.height, floats: chartSpec.float ?? true))
      case .kpis(let figures):
        let row = try makeKPIs(figures, index: index, geometry: geometry, measuring: measuring, notes: notes)
        colorProblems += self.colorProblems(of: row, index: index)
        origins.add(row, name: "\(place) (kpis)")
        blocks.append(row)
      case .pageBreak:
        blocks.append(PageBreak())
      case .contents(let title):
        blocks.append(ContentsBlock(title: title ?? vocabulary.contents, excludedAnchors: ["title"], theme: theme))
      case .sources(let title):
        // Listed once every block has cited what it cites.
        sourcesList = (at: blocks.count, title: title ?? vocabulary.sources, index: index)
      }
    }
    if let sourcesList {
      let list = try sourceListBlocks(title: sourcesList.title, citing: notes.cited, index: sourcesList.index)
      blocks.insert(contentsOf: list, at: sourcesList.at)
      layoutIndex.insert(contentsOf: Array(repeating: sourcesList.index, count: list.count), at: sourcesList.at)
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
    guard paginating else {
      return Composed(laidOut: LaidOutDocument(pages: [], metadata: metadata), charts: charts, origins: origins, colorProblems: colorProblems)
    }
    do {
      let laidOut = try Paginator(geometry: geometry, furniture: furniture, theme: theme)
        .paginate(blocks, metadata: metadata, measuring: measuring)
      return Composed(laidOut: laidOut, charts: charts, origins: origins, colorProblems: colorProblems)
    } catch {
      if case .blockTooTall(let position, _, let needed, let available) = error, position < layoutIndex.count, let index = layoutIndex[position] {
        throw tooTall(spec.blocks[index], index: index, needed: needed, available: available)
      }
      throw .layout(file: layoutFile, error)
    }
  }

  /// A block taller than a page, at its place in the layout, named as a reader knows it, with
  /// what to change.
  private func tooTall(_ block: LayoutSpec.BlockSpec, index: Int, needed: Double, available: Double) -> BriefingError {
    let room = Int(available.rounded(.down))
    let what: String
    let advice: String
    var key = "chart"
    switch block {
    case .chart(let chart):
      what = "chart “\(chart.id)”"
      advice = chart.height != nil
        ? "lower its height: to at most \(room), or show fewer bars with top:"
        : "show fewer bars with top:, or set height: (at most \(room)) to draw them thinner"
    case .table(let table):
      key = "table"
      what = "table “\(LayoutChecks.excerpt(table.caption ?? "", limit: 40))”"
      advice = "one of its rows is taller than a page: shorten the text of that row or set overflow: ellipsize"
    case .heading: key = "heading"; what = "this heading"; advice = "shorten it"
    case .subheading: key = "subheading"; what = "this subheading"; advice = "shorten it"
    case .paragraph: key = "paragraph"; what = "this paragraph"; advice = "lower the theme's bodySize"
    case .note: key = "note"; what = "this note"; advice = "lower the theme's bodySize"
    case .pageBreak: key = "pageBreak"; what = "this page break"; advice = "remove it"
    case .contents: key = "contents"; what = "the contents list"; advice = "lower the theme's bodySize"
    case .kpis: key = "kpis"; what = "this row of key figures"; advice = "shorten its labels or lower the theme's bodySize"
    case .sources: key = "sources"; what = "an entry of the list of sources"; advice = "shorten the source's title in the sources table"
    }
    let mark = layoutRoot.flatMap { LayoutKeys.mark(of: [LayoutPath("blocks"), LayoutPath(index), LayoutPath(key)], in: $0) }
    return .invalidLayout(
      file: layoutFile, line: mark?.line, column: mark?.column,
      message: "block \(index + 1): \(what) needs \(Int(needed.rounded(.up))) pt of height but a page has room for \(room) pt; \(advice)")
  }

  /// The colour check of a chart (`ColorCheck`): its series, increases and decreases or highlight
  /// stay apart under normal vision and simulated deuteranopia, protanopia and tritanopia, and a
  /// label inside any of its bars keeps 4.5:1 contrast.
  func colorProblems(of chart: Chart, index: Int) -> [BriefingError] {
    let colors = chart.distinguishedColors
    let fills = colors.isEmpty ? [chart.color(ofSeries: 0)] : colors.map(\.color)
    let texts = fills.map { fill in
      ("a value label inside a bar of \(fill.hexString)", ColorCheck.textColor(on: fill, dark: .black, light: .white), fill)
    }
    let problems = ColorCheck.problems(series: colors, texts: texts)
    guard !problems.isEmpty, case .chart(let spec) = self.spec.blocks[index] else { return [] }
    let message = problems.map(\.description).joined(separator: "; ")
    let advice = "choose other colours under theme: palette (or bars, accent)"
    return [problem("chart “\(spec.id)”: \(message); \(advice)", at: [LayoutPath("blocks"), LayoutPath(index), LayoutPath("chart")])]
  }

  /// The theme's text colours on white paper: headings in the accent colour, notes and ticks in
  /// the muted ink.
  func themeColorProblems() -> [BriefingError] {
    let texts = [
      ("the headings' colour (the theme's accent, \(theme.accent.hexString))", theme.accent, Color.white),
      ("the colour of notes and axis labels (\(theme.mutedInk.hexString))", theme.mutedInk, Color.white),
    ]
    return ColorCheck.problems(texts: texts).map { problem in
      self.problem("theme: \(problem)", at: [LayoutPath("theme"), LayoutPath("accent")])
    }
  }

  func label(_ value: String, dimension: String) -> String {
    names[dimension]?[value] ?? value
  }
}

extension LayoutSpec {
  /// The theme the layout draws with: the bulletin's, with the layout's `theme:` settings.
  var resolvedTheme: Theme {
    var theme = Theme.bulletin
    guard let custom = self.theme else { return theme }
    if let sans = custom.sans { theme.sansFamily = sans }
    if let serif = custom.serif { theme.serifFamily = serif }
    if let size = custom.bodySize { theme.bodySize = size }
    if let accent = custom.accent { theme.accent = accent.color }
    if let bars = custom.bars {
      theme.barFill = bars.color
      theme.palette = [bars.color] + theme.palette.dropFirst()
    }
    if let palette = custom.palette, !palette.isEmpty { theme.palette = palette.map(\.color) }
    return theme
  }
}
