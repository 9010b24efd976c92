internal import BriefingAnalytics
internal import BriefingLayout
internal import Foundation

/// A figure as the data gives it: a value and the source's wording of how exact it is.
struct QualifiedFigure {
  var value: Double?
  var qualifier: String = ""

  /// The sum of `figures`; nil value when none has one.
  static func total(_ figures: [QualifiedFigure]) -> QualifiedFigure {
    let present = figures.compactMap(\.value)
    guard !present.isEmpty else { return QualifiedFigure(value: nil) }
    var sum = CompensatedSum()
    for value in present { sum.add(value) }
    return QualifiedFigure(value: sum.value, qualifier: Qualifier.combining(figures.filter { $0.value != nil }.map(\.qualifier)))
  }
}

/// One row of a composed table before it is formatted.
struct TableEntry {
  var key: String
  /// The raw key of the row's group; nil when the table is not grouped.
  var group: String?
  var current: QualifiedFigure
  /// The figure for the compared period; nil when the table compares nothing.
  var previous: QualifiedFigure?
}

extension DocumentComposer {
  /// Builds a table block from its spec: rows from the query (grouped, cut to the top N, compared
  /// with an earlier period as asked), formatted in the report's language, fitted to the page.
  func makeTable(
    _ table: LayoutSpec.TableSpec, index: Int, geometry: PageGeometry, measuring: any TextMeasuring
  ) throws(BriefingError) -> TableBlock {
    let blockName = "table \(index + 1)"
    func problem(_ message: String) -> BriefingError {
      .invalidLayout(file: layoutFile, line: nil, column: nil, message: "\(blockName): \(message)")
    }
    let query = table.query
    let aggregate = query.aggregate ?? .sum
    let additive = aggregate == .sum || aggregate == .count
    if table.groupBy != nil, query.top != nil {
      throw problem("“top” and “groupBy” cannot be combined: “top” cuts the list across groups; leave one out")
    }
    if !additive {
      // A sum of means or maxima means nothing: refuse instead of dropping the rows without a word.
      for (flag, name) in [(table.total, "total"), (table.share, "share"), (table.subtotals, "subtotals")] where flag == true {
        throw problem("“\(name): true” needs a sum or count; the query's aggregate is \(aggregate.rawValue)")
      }
    }
    if table.groupBy == query.by {
      throw problem("“groupBy” must differ from the query's “by” (\(query.by))")
    }
    let comparedPeriod = try comparedPeriod(table, problem: problem)

    // Rows, each with its group, from the data.
    let entries = try tableEntries(table, comparedPeriod: comparedPeriod, block: blockName)
    let unit = entries.unit
    var rows = entries.rows

    // Order: groups by their total (or key), rows within them likewise; then top N.
    let byKey = query.sort == .key
    let rowKeys = keyOrder(of: query.by)
    rows.sort { a, b in
      byKey ? rowKeys(a.key, b.key) : Self.precedes(a.current.value, a.key, b.current.value, b.key, byKey: false)
    }
    let allRows = rows
    var rest: [TableEntry] = []
    if let top = query.top, top > 0, rows.count > top {
      rest = Array(rows.dropFirst(top))
      rows = Array(rows.prefix(top))
    }
    var groups: [(key: String, rows: [TableEntry])] = []
    if table.groupBy != nil {
      var members: [String: [TableEntry]] = [:]
      for row in rows { members[row.group ?? "", default: []].append(row) }
      let totals = members.mapValues { QualifiedFigure.total($0.map(\.current)).value }
      let notSpecified = ""
      let groupKeys = keyOrder(of: table.groupBy ?? "", asListed: true)
      groups = members.keys.sorted { a, b in
        // Rows with no group come last, whatever their size.
        if (a == notSpecified) != (b == notSpecified) { return b == notSpecified }
        return byKey ? groupKeys(a, b) : Self.precedes(totals[a] ?? nil, a, totals[b] ?? nil, b, byKey: false)
      }.map { ($0, members[$0]!) }
    }

    // Display: one divisor and unit label for every figure of the table.
    let figures = allRows.flatMap { [$0.current.value, $0.previous?.value] }.compactMap { $0 }
    let display = vocabulary.display(unit: unit, largest: figures.map(abs).max() ?? 0)
    let separator = format.decimalSeparator
    let grandTotal = additive ? QualifiedFigure.total(allRows.map(\.current)) : nil
    let previousTotal = additive && comparedPeriod != nil ? QualifiedFigure.total(allRows.compactMap(\.previous)) : nil

    // Columns.
    let overflow = table.overflow ?? .wrap
    var columns = [TableColumn(table.label ?? vocabulary.dimension(query.by), overflow: overflow)]
    var previousColumn: Int?
    if let comparedPeriod {
      previousColumn = columns.count
      columns.append(TableColumn(comparedPeriod, unit: display.label, kind: .number, decimalSeparator: separator))
    }
    let valueColumn = columns.count
    let currentPeriod = comparedPeriod == nil ? nil : Self.singlePeriod(query)
    // Compared columns are told apart by their periods, whatever else they are called.
    let valueTitle = [table.valueLabel, currentPeriod].compactMap { $0 }.joined(separator: ", ")
    columns.append(TableColumn(
      valueTitle.isEmpty ? vocabulary.metric(query.metric) : valueTitle, unit: display.label, kind: .number,
      decimalSeparator: separator))
    if table.bars ?? false {
      // The bar sits right of its figure and reads the figure's value.
      columns.append(TableColumn("", kind: .bar, barSource: valueColumn))
    }
    var shareColumn: Int?
    if table.share ?? false, grandTotal?.value != nil {
      shareColumn = columns.count
      columns.append(TableColumn(vocabulary.share, unit: "%", kind: .number, decimalSeparator: separator))
    }
    let changeStyle = table.change ?? .percent
    var changeColumn: Int?
    if comparedPeriod != nil {
      changeColumn = columns.count
      // The difference of two percentages is in percentage points, not percent.
      let changeUnit = changeStyle == .percent ? "%" : unit == "percent" ? vocabulary.percentagePoints : display.label
      columns.append(TableColumn(vocabulary.change, unit: changeUnit, kind: .change, decimalSeparator: separator))
    }

    // Cells.
    func text(_ figure: QualifiedFigure) -> String {
      let plain = format.decimal(figure.value.map { $0 / display.divisor }, fractionDigits: display.fractionDigits)
      return figure.value == nil ? plain : format.qualified(plain, qualifier: figure.qualifier)
    }
    func change(_ current: QualifiedFigure, _ previous: QualifiedFigure?) -> Double? {
      guard let now = current.value, let then = previous?.value else { return nil }
      switch changeStyle {
      case .absolute: return now - then
      case .percent: return then > 0 ? 100 * (now - then) / then : nil
      }
    }
    func row(_ label: String, _ current: QualifiedFigure, _ previous: QualifiedFigure?, kind: BriefingLayout.TableRow.Kind, indent: Int, bar: Bool) -> BriefingLayout.TableRow {
      var cells = Array(repeating: "", count: columns.count)
      var values: [Int: Double] = [:]
      cells[0] = label
      cells[valueColumn] = text(current)
      if bar, let value = current.value { values[valueColumn] = value }
      if let previousColumn { cells[previousColumn] = previous.map(text) ?? NumberFormat.missing }
      if let shareColumn {
        let whole = grandTotal?.value
        cells[shareColumn] =
          if let value = current.value, let whole, whole != 0 { format.decimal(100 * value / whole, fractionDigits: 1) } else { NumberFormat.missing }
      }
      if let changeColumn {
        let delta = change(current, previous)
        let shown = changeStyle == .percent ? delta : delta.map { $0 / display.divisor }
        let digits = changeStyle == .percent ? 1 : display.fractionDigits
        cells[changeColumn] = format.signed(shown, fractionDigits: digits)
        // A change that prints as zero gets no triangle: the mark must agree with the figure.
        if let shown, (shown * pow(10, Double(digits))).rounded() != 0 { values[changeColumn] = shown }
      }
      return BriefingLayout.TableRow(cells, kind: kind, indent: indent, values: values)
    }
    func rowLabel(_ entry: TableEntry) -> String { label(entry.key, dimension: query.by) }

    var tableRows: [BriefingLayout.TableRow] = []
    if let groupBy = table.groupBy {
      let subtotals = table.subtotals ?? additive
      for group in groups {
        let name = group.key.isEmpty ? vocabulary.notSpecified : label(group.key, dimension: groupBy)
        tableRows.append(.groupHeader(name))
        for entry in group.rows {
          tableRows.append(row(rowLabel(entry), entry.current, entry.previous, kind: .body, indent: 1, bar: true))
        }
        if subtotals {
          let current = QualifiedFigure.total(group.rows.map(\.current))
          let previous = comparedPeriod == nil ? nil : QualifiedFigure.total(group.rows.compactMap(\.previous))
          tableRows.append(row(vocabulary.subtotal, current, previous, kind: .subtotal, indent: 1, bar: false))
        }
      }
    } else {
      for entry in rows {
        tableRows.append(row(rowLabel(entry), entry.current, entry.previous, kind: .body, indent: 0, bar: true))
      }
      // "Other" folds many rows into one: a bar for it would dwarf the rest, so it has none.
      if !rest.isEmpty {
        let previous = comparedPeriod == nil ? nil : QualifiedFigure.total(rest.compactMap(\.previous))
        let current = additive ? QualifiedFigure.total(rest.map(\.current)) : QualifiedFigure(value: nil)
        tableRows.append(row(
          vocabulary.other(count: rest.count, dimension: query.by), current, additive ? previous : nil, kind: .body, indent: 0, bar: false))
      }
    }
    if table.total ?? false, let grandTotal {
      tableRows.append(row(vocabulary.total, grandTotal, previousTotal, kind: .total, indent: 0, bar: false))
    }

    var block = TableBlock(
      caption: table.caption, columns: columns, rows: tableRows, zebra: table.zebra ?? false,
      continuedLabel: vocabulary.continued, theme: theme, pageHeight: geometry.content.height)
    do {
      try block.validate()
      try fitTable(&block, setting: table.landscape ?? .never, geometry: geometry, measuring: measuring)
    } catch {
      throw .layout(file: layoutFile, block: blockName, error)
    }
    return block
  }

  /// Puts the table on landscape pages when asked or needed; throws when it fits neither way.
  private func fitTable(
    _ block: inout TableBlock, setting: LayoutSpec.LandscapeSetting, geometry: PageGeometry, measuring: any TextMeasuring
  ) throws(LayoutError) {
    let table = block
    func check(_ sheet: PageGeometry) throws(LayoutError) {
      do {
        _ = try table.columnWidths(width: sheet.content.width, measuring: measuring)
      } catch {
        // On a landscape sheet the error must not suggest landscape pages.
        guard sheet.orientation == .landscape, case .tableTooWide(let name, let needed, let available, let widest, _) = error else { throw error }
        throw .tableTooWide(table: name, needed: needed, available: available, widestColumns: widest, landscapeTried: true)
      }
    }
    let wide = geometry.oriented(.landscape)
    let turn = setting == .always || (setting == .auto && (try? check(geometry)) == nil && geometry.orientation == .portrait)
    guard turn else { return try check(geometry) }
    try check(wide)
    if geometry.orientation == .portrait { block.orientation = .landscape }
    block.pageHeight = wide.content.height
  }

  /// The earlier period of `compare`, checked against the query.
  private func comparedPeriod(_ table: LayoutSpec.TableSpec, problem: (String) -> BriefingError) throws(BriefingError) -> String? {
    guard let compare = table.compare else { return nil }
    guard case .one(let period) = compare else {
      throw problem("“compare” takes one period, found a list")
    }
    guard Self.singlePeriod(table.query) != nil else {
      throw problem("“compare: \(period)” needs the query to select one period (where: { period: … })")
    }
    guard Self.singlePeriod(table.query) != period else {
      throw problem("“compare: \(period)” is the period the query selects; compare with an earlier one")
    }
    guard table.query.by != "period", table.groupBy != "period" else {
      throw problem("“compare” needs rows that are not periods")
    }
    return period
  }

  /// The one period a query selects, if it selects exactly one.
  static func singlePeriod(_ query: LayoutSpec.QuerySpec) -> String? {
    guard let values = query.where?["period"]?.values, values.count == 1 else { return nil }
    return values.first
  }

  /// The rows of a table from the data: the current figure and, when comparing, the earlier one.
  private func tableEntries(
    _ table: LayoutSpec.TableSpec, comparedPeriod: String?, block: String
  ) throws(BriefingError) -> (rows: [TableEntry], unit: String) {
    let query = table.query
    let filters = filters(of: query)
    // A group is either another dimension of the data or an attribute of the row's reference table.
    var dimensions = [query.by]
    var attribute: [String: String]? = nil
    if let groupBy = table.groupBy {
      if let reference = references[query.by], reference.header.contains(groupBy) {
        attribute = reference.mapping(from: "name_en", to: groupBy)
      } else if Dataset.requiredColumns.contains(groupBy) || dataset.observations.contains(where: { $0[dimension: groupBy] != nil }) {
        dimensions = [groupBy, query.by]
      } else {
        let offer = references[query.by].map { " or a column of its names table (\($0.header.joined(separator: ", ")))" } ?? ""
        throw .invalidLayout(
          file: layoutFile, line: nil, column: nil,
          message: "\(block): groupBy “\(groupBy)” is neither a data dimension\(offer)")
      }
    }
    let current = try aggregate(query, filters: filters, by: dimensions, block: block)
    var previous: [[String]: GroupedValue] = [:]
    if let comparedPeriod {
      let earlier = filters.filter { $0.dimension != "period" } + [Filter("period", equals: comparedPeriod)]
      do {
        for group in try dataset.aggregate(query.aggregate ?? .sum, where: earlier, by: dimensions) { previous[group.keys] = group }
      } catch {
        throw .query(file: layoutFile, block: "\(block) (compare: \(comparedPeriod))", error)
      }
      // A comparison with nothing would print a column of dashes: say so instead.
      guard !previous.isEmpty else {
        let conditions = earlier.map { $0.description.replacingOccurrences(of: "=", with: " = ") }
        throw .emptySelection(
          file: layoutFile, block: "\(block) (compare: \(comparedPeriod))", detail: "no observation has " + conditions.joined(separator: " and "))
      }
    }
    let unit = current[0].unit
    if let other = (current + Array(previous.values)).first(where: { $0.unit != unit }) {
      throw .query(file: layoutFile, block: block, .mixedUnits(group: other.keys.joined(separator: " / "), units: [unit, other.unit]))
    }
    let keyIndex = dimensions.count - 1
    func entry(_ keys: [String], current: QualifiedFigure) -> TableEntry {
      TableEntry(
        key: keys[keyIndex],
        group: table.groupBy == nil ? nil : attribute.map { $0[keys[keyIndex]] ?? "" } ?? keys[0],
        current: current,
        previous: comparedPeriod == nil
          ? nil : previous[keys].map { QualifiedFigure(value: $0.value, qualifier: $0.qualifier) } ?? QualifiedFigure(value: nil))
    }
    var rows = current.map { entry($0.keys, current: QualifiedFigure(value: $0.value, qualifier: $0.qualifier)) }
    // Rows only the earlier period has stay, with a dash for now: dropping them would make the
    // earlier totals and every change computed from them wrong.
    let now = Set(current.map(\.keys))
    for keys in previous.keys.sorted(by: { $0.lexicographicallyPrecedes($1) }) where !now.contains(keys) {
      rows.append(entry(keys, current: QualifiedFigure(value: nil)))
    }
    return (rows, unit)
  }

  /// How `sort: key` orders values of `dimension`: periods in time order; groups in the order
  /// their names table lists them (`asListed`: the official order of federal districts); others by
  /// the label the report shows, so a Russian report is in Russian alphabetical order.
  func keyOrder(of dimension: String, asListed: Bool = false) -> (String, String) -> Bool {
    if dimension == "period" { return GroupedValue.periodOrder }
    if asListed, let listed = references[dimension]?.column("name_en"), !listed.isEmpty {
      let position = Dictionary(listed.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { first, _ in first })
      return { a, b in
        switch (position[a], position[b]) {
        case let (x?, y?): x < y
        case (_?, nil): true
        case (nil, _?): false
        case (nil, nil): a < b
        }
      }
    }
    return { a, b in
      let (x, y) = (self.label(a, dimension: dimension), self.label(b, dimension: dimension))
      return x != y ? x < y : a < b
    }
  }

  /// Whether a row (or group) with `a`'s value and key comes before `b`'s: largest value first
  /// (missing last, ties by key), or by key when `byKey`.
  static func precedes(_ a: Double?, _ aKey: String, _ b: Double?, _ bKey: String, byKey: Bool) -> Bool {
    if byKey { return GroupedValue.periodOrder(aKey, bKey) }
    switch (a, b) {
    case let (x?, y?): return x != y ? x > y : aKey < bKey
    case (_?, nil): return true
    case (nil, _?): return false
    case (nil, nil): return aKey < bKey
    }
  }
}
