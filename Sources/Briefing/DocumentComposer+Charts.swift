internal import BriefingAnalytics
internal import BriefingLayout
internal import Foundation

extension DocumentComposer {
  /// The most series a chart draws (the palette's colours). When a series dimension has more
  /// values, the `maximumSeries − 1` with the largest totals are drawn and the rest are added up
  /// into one grey «Прочие» / "Other" series, as `top` folds categories.
  static let maximumSeries = 8

  /// What a chart shows, in the report's language: categories, series and the unit of the figures.
  struct ChartContent {
    var categories: [String]
    /// The data's key of each category (nil for a folded «Прочие» bar).
    var keys: [String?]
    var series: [ChartSeries]
    var unit: String
    /// Whether the last series folds several.
    var hasOtherSeries = false
    /// The data's key of each named series, and their dimension (empty for one series).
    var seriesKeys: [String] = []
    var seriesDimension = ""
  }

  /// Builds a chart from its spec: one query answers it (one dimension, or two for series; with
  /// a comparison for changes), and this maps the answer to categories and series.
  func makeChart(_ spec: LayoutSpec.ChartSpec, index: Int) throws(BriefingError) -> Chart {
    let place = BlockPlace(index: index, kind: "chart", name: "chart “\(spec.id)”")
    func fail(_ message: String, _ keys: String...) -> BriefingError {
      problem("\(place.name): \(message)", at: place.path() + keys.map(LayoutPath.init))
    }
    var query = spec.query
    if let series = spec.series {
      guard query.by.columns == nil else { throw fail("“series” names the second dimension, but “by” already has two; leave one out", "series") }
      guard series != query.by.rows else { throw fail("“series: \(series)” is the dimension of the bars; choose another one", "series") }
      query.by = LayoutSpec.Dimensions([query.by.rows, series])
    }
    if let top = query.top, top < 1 { throw fail("top: expected 1 or more, found \(top)", "query", "top") }
    let twoDimensions = query.by.columns != nil
    let kind = spec.kind ?? (twoDimensions ? .grouped : spec.compare != nil ? .diverging : .bar)
    if [.stacked, .percent, .grouped].contains(kind), !twoDimensions {
      throw fail("kind: \(kind.rawValue) needs series: a second dimension (series: period)", "kind")
    }
    if kind == .diverging, twoDimensions { throw fail("kind: diverging draws one series of changes; leave out “series”", "kind") }
    if spec.compare != nil, twoDimensions { throw fail("“compare” draws one series of changes; leave out “series”", "compare") }

    var content: ChartContent
    if twoDimensions {
      content = try seriesContent(query, other: spec.other ?? true, place: place)
    } else if let compare = spec.compare {
      content = try changeContent(query, compare: compare, change: spec.change ?? .percent, other: spec.other ?? true, place: place)
    } else {
      content = try singleContent(query, other: spec.other ?? true, place: place)
    }
    if kind == .percent {
      for series in content.series {
        for (category, value) in zip(content.categories, series.values) where (value ?? 0) < 0 {
          let which = series.name.isEmpty ? "" : " in “\(series.name)”"
          throw fail(
            "kind: percent shows parts of a whole, but “\(category)” has a negative value (\(format.decimal(value, fractionDigits: value.map { $0 == $0.rounded() } == true ? 0 : 2)))\(which); use kind: stacked or grouped",
            "kind")
        }
      }
    }

    // One divisor and unit for every figure; decimals that follow their size.
    let figures = content.series.flatMap(\.values).compactMap { $0 }.filter(\.isFinite)
    let display = vocabulary.display(unit: content.unit, values: figures)
    let scaled = content.series.map { series in
      var series = series
      series.values = series.values.map { $0.map { $0 / display.divisor } }
      return series
    }
    let format = self.format
    var signed: (@Sendable (Double, Int) -> String)?
    if spec.compare != nil {
      signed = { (value: Double, digits: Int) -> String in format.signed(value, fractionDigits: digits, percent: false) }
    }
    let numbers = ChartNumbers(
      decimal: { (value: Double, digits: Int) -> String in format.decimal(value, fractionDigits: digits) },
      percent: { (value: Double, digits: Int) -> String in format.percent(value, fractionDigits: digits) },
      valueDigits: display.fractionDigits,
      integerTicks: display.divisor == 1 && ["persons", "count"].contains(content.unit), label: signed)
    var subtitle = spec.subtitle ?? "\(vocabulary.metric(query.metric)), \(display.label)"
    if spec.subtitle == nil, case .one(let period)? = spec.compare {
      subtitle = "\(vocabulary.metric(query.metric)): \(vocabulary.change(since: period)), \(display.label)"
    }
    if spec.subtitle == nil, kind == .percent { subtitle = "\(vocabulary.metric(query.metric)), \(vocabulary.shareOfTotal)" }

    var highlighted: Set<Int> = []
    if let highlight = spec.highlight {
      let wanted: [String]
      switch highlight {
      case .one(let value): wanted = [value]
      case .many(let values): wanted = values
      }
      let keys = try listedKeys(wanted, dimension: query.by.rows, in: place, at: place.path("highlight"))
      for key in keys {
        guard let position = content.keys.firstIndex(of: key) else {
          throw fail("highlight: “\(label(key, dimension: query.by.rows))” is not among the bars this chart shows (check where: and top:)", "highlight")
        }
        highlighted.insert(position)
      }
      if twoDimensions { throw fail("highlight marks one bar of a chart of one series; leave out “series”", "highlight") }
    }
    var colors = seriesColors(content)
    if content.hasOtherSeries { colors.append(theme.otherFill) }
    return Chart(
      title: spec.title, subtitle: subtitle, categories: content.categories, series: scaled, kind: kind,
      orientation: spec.orientation ?? (query.by.rows == "period" ? .vertical : .auto), numbers: numbers,
      showsValues: spec.values ?? true, note: spec.note ?? self.spec.source, highlighted: highlighted,
      references: (spec.reference?.lines ?? []).map { ReferenceLine(value: $0.value / display.divisor, label: $0.label) },
      seriesColors: colors, theme: theme, continuedLabel: vocabulary.continued)
  }

  /// The colours of a chart's named series. Periods are ordered: shades of one hue, lighter to
  /// darker. Other dimensions take the palette by the value's place among all the data's values,
  /// so that a programme keeps its colour from chart to chart (when the palette has a colour for
  /// each), else by their place in the chart.
  private func seriesColors(_ content: ChartContent) -> [Color] {
    let keys = content.seriesKeys
    if content.seriesDimension == "period", keys.count > 1, spec.theme?.palette == nil { return Palette.sequential(keys.count) }
    let palette = theme.palette
    guard !palette.isEmpty else { return [] }
    let all = ((try? source.values(of: content.seriesDimension)) ?? []).sorted(by: GroupedValue.periodOrder)
    if !keys.isEmpty, all.count <= palette.count {
      return keys.map { key in palette[all.firstIndex(of: key) ?? 0] }
    }
    return keys.indices.map { palette[$0 % palette.count] }
  }

  /// The bar label of a row: its key in the report's language, or «Прочие (N)».
  private func categoryLabel(_ row: ResultRow, dimension: String) -> String {
    if case .other(let folded) = row.kind { return vocabulary.other(count: folded, dimension: dimension) }
    return label(row.keys[0], dimension: dimension)
  }

  /// The words alone («более») of each row's qualifier: the chart formats the figure itself.
  private func prefixes(_ rows: [ResultRow]) -> [String] {
    rows.map { format.qualified("", qualifier: $0.figure.qualifier).trimmingCharacters(in: .whitespaces) }
  }

  /// One series: the rows sorted as the query asks (as tables sort them), cut to `top` with the
  /// rest folded into one «Прочие» bar unless `other` is false.
  private func singleContent(_ spec: LayoutSpec.QuerySpec, other: Bool, place: BlockPlace) throws(BriefingError) -> ChartContent {
    var question = try query(for: spec, at: place)
    question.derivations = [.sort(try order(for: spec, at: place))]
    if let top = spec.top { question.derivations.append(.top(top)) }
    let rows = try answer(question, spec: spec, at: place).rows.filter { row in
      if case .other = row.kind { return other }
      return true
    }
    return ChartContent(
      categories: rows.map { categoryLabel($0, dimension: spec.by.rows) },
      keys: rows.map { $0.kind == .group ? $0.keys[0] : nil },
      series: [ChartSeries(values: rows.map(\.value), prefixes: prefixes(rows))], unit: rows.first?.unit ?? "")
  }

  /// One series of changes against an earlier period: percent (in %) or absolute (in the metric's
  /// unit), sorted by the change unless `sort:` says otherwise.
  private func changeContent(
    _ spec: LayoutSpec.QuerySpec, compare: LayoutSpec.FilterValue, change: LayoutSpec.ChangeStyle, other: Bool,
    place: BlockPlace
  ) throws(BriefingError) -> ChartContent {
    guard case .one(let period) = compare else {
      throw problem("\(place.name): “compare” takes one period, found a list", at: place.path("compare"))
    }
    guard let current = Self.singlePeriod(spec) else {
      throw problem("\(place.name): “compare: \(period)” needs the query to select one period (where: { period: … })", at: place.path("compare"))
    }
    guard current != period, spec.by.rows != "period" else {
      throw problem("\(place.name): “compare: \(period)” needs bars that are not periods, and an earlier period than the query's", at: place.path("compare"))
    }
    var question = try query(for: spec, at: place)
    question.comparison = Comparison(dimension: "period", value: period)
    if let top = spec.top { question.derivations.append(.top(top)) }
    question.derivations.append(.change())
    question.derivations.append(.sort(spec.sort == nil ? .change(relative: change == .percent) : try order(for: spec, at: place)))
    let rows = try answer(question, spec: spec, at: place, comparePath: place.path("compare")).rows.filter { row in
      if case .other = row.kind { return other }
      return true
    }
    let values = rows.map { row -> Double? in
      change == .percent ? row.change?.relative.map { $0 * 100 } : row.change?.absolute
    }
    guard values.contains(where: { $0 != nil }) else {
      throw problem("\(place.name): compare: no bar has figures for both \(period) and \(current)", at: place.path("compare"))
    }
    return ChartContent(
      categories: rows.map { categoryLabel($0, dimension: spec.by.rows) },
      keys: rows.map { $0.kind == .group ? $0.keys[0] : nil },
      series: [ChartSeries(values: values)], unit: change == .percent ? "percent" : rows.first?.unit ?? "")
  }

  /// Series from a second dimension: the categories ordered by their total (or as `sort:` asks)
  /// and cut to `top`, the series in the dimension's order, at most `maximumSeries` of them.
  private func seriesContent(_ spec: LayoutSpec.QuerySpec, other: Bool, place: BlockPlace) throws(BriefingError) -> ChartContent {
    let pivot = try pivot(of: try answer(try query(for: spec, at: place), spec: spec, at: place), at: place)
    let order = try pivotOrder(pivot, spec: spec, at: place)
    let folded = pivot.folded(rowOrder: order, keepingRows: spec.top, keepingColumns: max(2, min(Self.maximumSeries, theme.palette.count)))
    let (rowDimension, seriesDimension) = (spec.by.rows, spec.by.columns ?? "")
    var categories = folded.rowKeys.map { label($0, dimension: rowDimension) }
    var keys: [String?] = folded.rowKeys
    var cells = folded.cells
    if folded.foldedRows > 0 {
      if other {
        categories.append(vocabulary.other(count: folded.foldedRows, dimension: rowDimension))
        keys.append(nil)
      } else {
        cells.removeLast()
      }
    }
    var names = folded.columnKeys.map { label($0, dimension: seriesDimension) }
    if folded.foldedColumns > 0 { names.append(vocabulary.other(count: folded.foldedColumns, dimension: seriesDimension)) }
    let series = names.enumerated().map { column, name in
      ChartSeries(name: name, values: cells.map { column < $0.count ? $0[column] : nil })
    }
    return ChartContent(
      categories: categories, keys: keys, series: series, unit: pivot.unit, hasOtherSeries: folded.foldedColumns > 0,
      seriesKeys: folded.columnKeys, seriesDimension: seriesDimension)
  }

  /// The width of an exported chart, margin included, unless the layout sets `width:`.
  static let exportWidth = 552.0

  /// The chart alone on a white page `totalWidth` wide with a margin, for SVG, PNG and PDF files.
  func standalonePage(_ chart: Chart, width totalWidth: Double = exportWidth, measuring: any TextMeasuring) -> Page {
    let padding = min(16.0, totalWidth * 0.03)
    let width = totalWidth - 2 * padding
    let height = chart.preferredHeight(width: width, measuring: measuring)
    var frame = Frame(size: Size(width: width + 2 * padding, height: height + 2 * padding))
    frame.append(.rect(Rect(origin: .zero, size: frame.size), .filled(.white)))
    frame.place(chart.layout(size: Size(width: width, height: height), measuring: measuring), at: Point(x: padding, y: padding))
    return Page(frame: frame)
  }
}
