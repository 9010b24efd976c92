internal import BriefingAnalytics
internal import BriefingLayout
internal import Foundation

extension DocumentComposer {
  /// Builds a row of key figures from a `kpis:` block: one query per figure, built, checked and
  /// answered as a table's query is (with no `by`: one group of every row it selects), then
  /// formatted in the report's language.
  func makeKPIs(
    _ figures: [LayoutSpec.KPISpec], index: Int, geometry: PageGeometry, measuring: any TextMeasuring, notes: FootnoteLedger? = nil
  ) throws(BriefingError) -> KPIBlock {
    // The layout check refuses this before any data is read; a spec made in code meets it here.
    if let count = LayoutChecks.kpiCountProblem(figures.count) {
      throw problem("block \(index + 1): kpis: \(count)", at: [LayoutPath("blocks"), LayoutPath(index)])
    }
    var tiles: [KPIBlock.KPITile] = []
    for (item, figure) in figures.enumerated() {
      let place = BlockPlace(index: index, kind: "kpis", name: "block \(index + 1), figure \(item + 1)", item: item)
      tiles.append(try makeKPITile(figure, at: place, notes: notes))
    }
    let row = KPIBlock(tiles: tiles, theme: theme)
    // A figure wider than its tile at the body size would break between its digits.
    if let overwide = row.overwideFigures(width: geometry.content.width, measuring: measuring).first {
      let shown = LayoutChecks.excerpt(tiles[overwide.tile].figure.replacingOccurrences(of: "\u{202F}", with: " "), limit: 40)
      throw problem(
        "block \(index + 1): kpis: figure \(overwide.tile + 1) (“\(shown)”) needs \(Int(overwide.needed.rounded(.up))) pt but its tile has room for \(Int(overwide.available.rounded(.down))) pt, even at the body size; show fewer figures in this row, or lower the theme's bodySize",
        at: [LayoutPath("blocks"), LayoutPath(index), LayoutPath("kpis"), LayoutPath(overwide.tile)])
    }
    return row
  }

  /// One figure: its value (qualified as the data qualifies it) in a unit that keeps it short,
  /// and, with `compare`, its change against that period.
  func makeKPITile(_ figure: LayoutSpec.KPISpec, at place: BlockPlace, notes: FootnoteLedger? = nil) throws(BriefingError) -> KPIBlock.KPITile {
    let spec = figure.query.grouped
    var question = try query(for: spec, at: place)
    var comparedPeriod: String?
    if let compare = figure.compare {
      guard case .one(let period) = compare else {
        throw problem("\(place.name): “compare” takes one period, found a list", at: place.path("compare"))
      }
      guard let current = Self.onlyValue(of: "period", in: question) else {
        throw problem("\(place.name): “compare: \(period)” needs the query to select one period (where: { period: … })", at: place.path("compare"))
      }
      guard current != period else {
        throw problem("\(place.name): “compare: \(period)” is the period the query selects; compare with another one", at: place.path("compare"))
      }
      question.comparison = Comparison(dimension: "period", value: period)
      comparedPeriod = period
    }
    var result = try answer(question, spec: spec, at: place, comparePath: place.path("compare"), allowingEmpty: figure.otherwise != nil)
    if comparedPeriod != nil, !result.rows.isEmpty {
      // The change is derived once `answer` has refused an empty selection at its key: asked of
      // no rows at all, the derivation would fail without saying where ("a change needs a
      // comparison").
      do {
        result = try result.deriving(Query(comparison: question.comparison, derivations: [.change()]))
      } catch {
        throw .query(file: layoutFile, block: place.name, error)
      }
    }
    // `answer` accepts data of the compared period alone; a figure needs its own.
    guard let row = result.rows.first(where: { $0.kind == .group && $0.value != nil }), let value = row.value else {
      if let otherwise = figure.otherwise {
        return KPIBlock.KPITile(label: figure.label ?? vocabulary.metric(spec.metric), figure: otherwise, unit: "")
      }
      let conditions = question.filters.map { $0.spoken }
      throw problem("\(place.name) selects no data: no row has a value with " + conditions.joined(separator: " and "), at: place.path("query"))
    }

    // A count is a number of values, whatever the unit of the values counted.
    let aggregate = spec.aggregate ?? .sum
    let unit = aggregate.isNumeric ? row.unit : ""
    // One display for the figure and, when the change is a difference, the compared figure it
    // is taken from (as a table's columns share one): whole figures carry no «,0».
    let shownValues = [value] + (figure.change == .absolute ? [row.previous?.value].compactMap { $0 } : [])
    let display = vocabulary.display(unit: unit, values: shownValues)
    let plain = format.decimal(value / display.divisor, fractionDigits: display.fractionDigits)
    var unitLabel = display.label
    if aggregate != .sum {
      // As a table's header says it: a figure that is not a sum says what it is.
      unitLabel = unitLabel.isEmpty ? vocabulary.aggregate(aggregate) : "\(unitLabel), \(vocabulary.aggregate(aggregate))"
    }
    // A documented figure cites its source and quote at the foot of the page.
    let cited = notes == nil ? nil : try citations(of: question, at: place)[[]]
    var tile = KPIBlock.KPITile(
      label: figure.label ?? vocabulary.metric(spec.metric), figure: format.qualified(plain, qualifier: row.figure.qualifier),
      unit: unitLabel, footnote: figure.footnote.flatMap { $0.isEmpty ? nil : $0 }, notes: try footnotes(for: cited, in: notes))

    if let comparedPeriod {
      let style = figure.change ?? .percent
      let shown: Double? =
        switch style {
        case .percent: row.change?.relative.map { 100 * $0 }
        case .absolute: row.change?.absolute.map { $0 / display.divisor }
        }
      let digits = style == .percent ? 1 : display.fractionDigits
      if let shown, shown.isFinite {
        switch style {
        case .percent:
          tile.change = format.signed(shown, fractionDigits: digits, percent: true)
        case .absolute:
          // The difference of two percentages is in percentage points.
          let changeUnit = unit == "percent" ? vocabulary.percentagePoints : display.label
          tile.change = format.signed(shown, fractionDigits: digits) + (changeUnit.isEmpty ? "" : "\u{00A0}" + changeUnit)
        }
        // A change that prints as zero gets no triangle: the mark must agree with the figure.
        if (shown * pow(10, Double(digits))).rounded() != 0 { tile.direction = shown > 0 ? .increase : .decrease }
      } else {
        // No figure for the compared period, or (for a percent change) a zero one: not comparable.
        tile.change = NumberFormat.missing
      }
      tile.comparison = vocabulary.against(comparedPeriod)
    }
    return tile
  }

  /// The colour check of a row of key figures (`ColorCheck`): every text of its tiles keeps 4.5:1
  /// against the tiles' fill, as headings must against white.
  func colorProblems(of row: KPIBlock, index: Int) -> [BriefingError] {
    let fill = row.panelFill
    let tile = "on a tile (\(fill.hexString))"
    var texts: [(what: String, text: Color, background: Color)] = [
      ("a figure in the theme's accent (\(theme.accent.hexString)) \(tile)", theme.accent, fill),
      ("a label (\(theme.ink.hexString)) \(tile)", theme.ink, fill),
      ("a unit (\(theme.mutedInk.hexString)) \(tile)", theme.mutedInk, fill),
    ]
    if row.tiles.contains(where: { $0.direction == .increase }) {
      texts.append(("an increase (\(theme.increaseColor.hexString)) \(tile)", theme.increaseColor, fill))
    }
    if row.tiles.contains(where: { $0.direction == .decrease }) {
      texts.append(("a decrease (\(theme.decreaseColor.hexString)) \(tile)", theme.decreaseColor, fill))
    }
    let problems = ColorCheck.problems(texts: texts)
    guard !problems.isEmpty else { return [] }
    let message = problems.map(\.description).joined(separator: "; ")
    return [problem("block \(index + 1): kpis: \(message); choose another accent under theme", at: [LayoutPath("blocks"), LayoutPath(index)])]
  }

  /// The one value `query` selects of `dimension`, if its filter on it is one value.
  static func onlyValue(of dimension: String, in query: Query) -> String? {
    let filters = query.filters.filter { $0.dimension == dimension }
    guard filters.count == 1, case .oneOf(let values) = filters[0].predicate, values.count == 1 else { return nil }
    return values.first
  }
}

extension TextOrigins {
  /// Records the text of a row of key figures.
  mutating func add(_ row: KPIBlock, name: String) {
    for (index, tile) in row.tiles.enumerated() {
      for text in [tile.label, tile.figure, tile.unit, tile.footnote, tile.change, tile.comparison].compactMap({ $0 }) {
        add(text, at: "\(name), figure \(index + 1)")
      }
    }
  }
}
