internal import BriefingAnalytics
internal import BriefingLayout
internal import Foundation

extension DocumentComposer {
  /// Builds a table block from its spec: one query answers its rows (grouped, cut to the top N,
  /// compared with an earlier period, with subtotals, total and shares as asked); this maps them
  /// to cells in the report's language and fits the table to the page.
  func makeTable(
    _ table: LayoutSpec.TableSpec, index: Int, geometry: PageGeometry, measuring: any TextMeasuring, notes: FootnoteLedger? = nil
  ) throws(BriefingError) -> TableBlock {
    let place = BlockPlace(index: index, kind: "table", name: "table \(index + 1)")
    func problem(_ message: String, _ keys: String...) -> BriefingError {
      self.problem("\(place.name): \(message)", at: [LayoutPath("blocks"), LayoutPath(index), LayoutPath("table")] + keys.map(LayoutPath.init))
    }
    let query = table.query
    if query.by.columns != nil { return try makePivotTable(table, place: place, geometry: geometry, measuring: measuring) }
    let by = query.by.rows
    let aggregate = query.aggregate ?? .sum
    if table.groupBy != nil, query.top != nil {
      throw problem("“top” and “groupBy” cannot be combined: “top” cuts the list across groups; leave one out", "groupBy")
    }
    if let top = query.top, top < 1 { throw problem("top: expected 1 or more, found \(top)", "query", "top") }
    if table.share == true, aggregate != .sum, aggregate != .count {
      throw problem("“share: true” needs a sum or count; the query's aggregate is \(aggregate.rawValue)", "share")
    }
    if table.groupBy == by { throw problem("“groupBy” must differ from the query's “by” (\(by))", "groupBy") }

    var question = try self.query(for: query, at: place)
    // The earlier period: a comparison the source answers in the same pass.
    var comparedPeriod: String?
    if let compare = table.compare {
      guard case .one(let period) = compare else { throw problem("“compare” takes one period, found a list", "compare") }
      guard let current = Self.singlePeriod(query) else {
        throw problem("“compare: \(period)” needs the query to select one period (where: { period: … })", "compare")
      }
      guard current != period else { throw problem("“compare: \(period)” is the period the query selects; compare with an earlier one", "compare") }
      guard by != "period", table.groupBy != "period" else { throw problem("“compare” needs rows that are not periods", "compare") }
      question.comparison = Comparison(dimension: "period", value: period)
      comparedPeriod = period
    }
    // Groups: another dimension of the data, or a column of the rows' names table.
    if let groupBy = table.groupBy {
      if let reference = references[by], reference.header.contains(groupBy) {
        let listed = references[groupBy]?.column("name_en") ?? []
        question.derivations.append(.group(.attribute(groupBy, values: reference.mapping(from: "name_en", to: groupBy), order: listed)))
      } else if (try? source.values(of: groupBy)) != nil {
        question.groupBy = [groupBy, by]
        question.derivations.append(.group(.dimension(groupBy)))
      } else {
        let offer = references[by].map { ", nor a column of its names table (\($0.header.joined(separator: ", ")))" } ?? ""
        let candidates = ((try? source.columns()) ?? []) + (references[by]?.header ?? [])
        let hint = nearest(groupBy, in: candidates).map { "; did you mean “\($0)”?" } ?? ""
        throw problem("groupBy “\(groupBy)” is not a data dimension\(offer)\(hint)", "groupBy")
      }
    }
    question.derivations.append(.sort(try order(for: query, at: place)))
    if let top = query.top { question.derivations.append(.top(top)) }
    let subtotals = table.groupBy != nil && (table.subtotals ?? true)
    if subtotals { question.derivations.append(.subtotals()) }
    if table.total ?? false { question.derivations.append(.total()) }
    if table.share ?? false { question.derivations.append(.share()) }
    if comparedPeriod != nil { question.derivations.append(.change()) }
    let result = try answer(
      question, spec: query, at: place, groupByPath: place.path("groupBy"), comparePath: place.path("compare"))
    // Asked once `answer` has checked every column and value the query names.
    let cited = notes == nil ? nil : try citations(of: question, at: place)
    // A compared period the data has (`answer` checked) but this selection lacks (a region with no
    // figure that year) leaves the change column at «—»: a fact of the data, not a mistake.
    let rows = result.rows
    let unit = rows.first?.unit ?? ""

    // Display: one divisor and unit label for every figure of the table.
    let figures = rows.filter { $0.kind == .group }.flatMap { [$0.value, $0.previous?.value] }.compactMap { $0 }
    let display = vocabulary.display(unit: unit, values: figures)
    let separator = format.decimalSeparator

    // Columns.
    var columns = [TableColumn(table.label ?? vocabulary.dimension(by), overflow: table.overflow ?? .wrap)]
    var previousColumn: Int?
    if let comparedPeriod {
      previousColumn = columns.count
      columns.append(TableColumn(comparedPeriod, unit: display.label, kind: .number, decimalSeparator: separator))
    }
    let valueColumn = columns.count
    let currentPeriod = comparedPeriod == nil ? nil : Self.singlePeriod(query)
    // Compared columns are told apart by their periods, whatever else they are called; a figure
    // that is not a sum says what it is.
    let valueTitle = [table.valueLabel, currentPeriod]
      .compactMap { $0 }.joined(separator: ", ")
    let title = valueTitle.isEmpty ? vocabulary.metric(query.metric) : valueTitle
    columns.append(TableColumn(
      aggregate == .sum ? title : "\(title) (\(vocabulary.aggregate(aggregate)))", unit: display.label, kind: .number,
      decimalSeparator: separator))
    if table.bars ?? false {
      // The bar sits right of its figure and reads the figure's value.
      columns.append(TableColumn("", kind: .bar, barSource: valueColumn))
    }
    var shareColumn: Int?
    if table.share ?? false, rows.contains(where: { $0.share != nil }) {
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
    func text(_ figure: Figure) -> String {
      let plain = format.decimal(figure.value.map { $0 / display.divisor }, fractionDigits: display.fractionDigits)
      return figure.value == nil ? plain : format.qualified(plain, qualifier: figure.qualifier)
    }
    var tableRows: [BriefingLayout.TableRow] = []
    var currentGroup: String?
    for row in rows {
      let kind: BriefingLayout.TableRow.Kind
      let label: String
      switch row.kind {
      case .group:
        kind = .body
        label = self.label(row.keys[row.keys.count - 1], dimension: by)
      case .other(let folded):
        kind = .body
        label = vocabulary.other(count: folded, dimension: by)
      case .subtotal:
        kind = .subtotal
        label = vocabulary.subtotal
      case .total:
        kind = .total
        label = vocabulary.total
      }
      if let group = row.group, group != currentGroup, row.kind != .total {
        currentGroup = group
        tableRows.append(.groupHeader(group.isEmpty ? vocabulary.notSpecified : self.label(group, dimension: table.groupBy ?? "")))
      }
      var cells = Array(repeating: "", count: columns.count)
      var values: [Int: Double] = [:]
      cells[0] = label
      cells[valueColumn] = text(row.figure)
      // "Other" folds many rows into one: a bar for it would dwarf the rest, so it has none.
      if row.kind == .group, let value = row.value { values[valueColumn] = value }
      if let previousColumn { cells[previousColumn] = row.previous.map(text) ?? NumberFormat.missing }
      if let shareColumn { cells[shareColumn] = format.decimal(row.share.map { 100 * $0 }, fractionDigits: 1) }
      if let changeColumn {
        let shown: Double? =
          switch changeStyle {
          case .percent: row.change?.relative.map { 100 * $0 }
          case .absolute: row.change?.absolute.map { $0 / display.divisor }
          }
        let digits = changeStyle == .percent ? 1 : display.fractionDigits
        cells[changeColumn] = format.signed(shown, fractionDigits: digits)
        // A change that prints as zero gets no triangle: the mark must agree with the figure.
        if let shown, (shown * pow(10, Double(digits))).rounded() != 0 { values[changeColumn] = shown }
      }
      // A documented figure cites its source and quote at the foot of the page it lands on.
      let rowNotes = row.kind == .group ? try footnotes(for: cited?[row.keys], in: notes) : []
      tableRows.append(BriefingLayout.TableRow(
        cells, kind: kind, indent: row.group == nil ? 0 : 1, values: values, footnotes: rowNotes.isEmpty ? [:] : [valueColumn: rowNotes]))
    }
    return try finish(TableBlock(
      caption: table.caption, columns: columns, rows: tableRows, zebra: table.zebra ?? false,
      continuedLabel: vocabulary.continued, continuationCaption: continuationCaption(table), theme: theme,
      pageHeight: geometry.content.height), table: table, place: place,
      geometry: geometry, measuring: measuring)
  }

  /// A table of two dimensions: rows by the first, one column per value of the second (periods
  /// in time order), with a total column and a total row when asked.
  private func makePivotTable(
    _ table: LayoutSpec.TableSpec, place: BlockPlace, geometry: PageGeometry, measuring: any TextMeasuring
  ) throws(BriefingError) -> TableBlock {
    let query = table.query
    for (flag, key) in [(table.groupBy != nil, "groupBy"), (table.compare != nil, "compare"), (table.share != nil, "share"), (query.top != nil, "top")]
    where flag {
      throw problem(
        "\(place.name): “\(key)” cannot be used with two dimensions in “by” (a pivot table); leave it out", at: place.path(key == "top" ? "query" : key))
    }
    let (rowDimension, columnDimension) = (query.by.rows, query.by.columns ?? "")
    let pivot = try pivot(of: try answer(try self.query(for: query, at: place), spec: query, at: place), at: place)
    // Rows by their total or by key, as one-dimension tables are sorted.
    let order = try pivotOrder(pivot, spec: query, at: place)
    let display = vocabulary.display(unit: pivot.unit, values: pivot.cells.flatMap { $0 }.compactMap { $0 })
    let separator = format.decimalSeparator
    let totals = table.total ?? false
    // One unit for every figure: said once, in the caption as statistical tables do («(млрд руб.)»),
    // or beside the row header when there is no caption, not in every column.
    let caption = table.caption.map { display.label.isEmpty ? $0 : "\($0) (\(display.label))" }
    var columns = [TableColumn(
      table.label ?? vocabulary.dimension(rowDimension), unit: caption == nil && !display.label.isEmpty ? display.label : nil,
      overflow: table.overflow ?? .wrap)]
    for key in pivot.columnKeys {
      columns.append(TableColumn(label(key, dimension: columnDimension), kind: .number, decimalSeparator: separator))
    }
    if totals { columns.append(TableColumn(vocabulary.total, kind: .number, decimalSeparator: separator)) }
    func text(_ value: Double?) -> String { format.decimal(value.map { $0 / display.divisor }, fractionDigits: display.fractionDigits) }
    var rows = order.map { index in
      BriefingLayout.TableRow(
        [label(pivot.rowKeys[index], dimension: rowDimension)] + pivot.cells[index].map(text) + (totals ? [text(pivot.rowTotals[index])] : []))
    }
    if totals {
      rows.append(BriefingLayout.TableRow([vocabulary.total] + pivot.columnTotals.map(text) + [text(pivot.grandTotal)], kind: .total))
    }
    return try finish(TableBlock(
      caption: caption, columns: columns, rows: rows, zebra: table.zebra ?? false, continuedLabel: vocabulary.continued,
      continuationCaption: continuationCaption(table), theme: theme, pageHeight: geometry.content.height), table: table,
      place: place, geometry: geometry, measuring: measuring)
  }

  /// «Продолжение табл. 2» for a table whose caption numbers it («Таблица 2. …»); nil otherwise
  /// (the caption is repeated with «(продолжение)»).
  private func continuationCaption(_ table: LayoutSpec.TableSpec) -> String? {
    table.caption.flatMap(TableBlock.number(inCaption:)).map(vocabulary.continuedTable)
  }

  /// Checks a composed table and fits it to the page.
  private func finish(
    _ block: TableBlock, table: LayoutSpec.TableSpec, place: BlockPlace, geometry: PageGeometry, measuring: any TextMeasuring
  ) throws(BriefingError) -> TableBlock {
    var block = block
    do {
      try block.validate()
      try fitTable(&block, setting: table.landscape ?? .never, geometry: geometry, measuring: measuring)
    } catch {
      // At the block's line, as every other layout error.
      let mark = layoutRoot.flatMap { LayoutKeys.mark(of: place.path(), in: $0) }
      throw .invalidLayout(file: layoutFile, line: mark?.line, column: mark?.column, message: "block \(place.index + 1): \(error)")
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

  /// The one period a query selects, if it selects exactly one.
  static func singlePeriod(_ query: LayoutSpec.QuerySpec) -> String? {
    guard case .one(let value)? = query.where?["period"], !value.contains(".."), !value.hasPrefix("!=") else {
      if case .many(let values)? = query.where?["period"], values.count == 1 { return values[0] }
      return nil
    }
    return value
  }
}
