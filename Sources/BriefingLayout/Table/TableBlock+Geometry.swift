// MARK: - Styles, column widths and row heights

extension TableBlock {
  /// The rows column widths, separators and bar scales are measured on: the whole table's.
  var measuredRows: [TableRow] { wholeTableRows ?? rows }

  func cellStyle(_ column: TableColumn, row: TableRow?) -> TextStyle {
    guard let row else {
      return theme.style(.tableHeader).with {
        $0.alignment = column.holdsFigures ? .trailing : .leading
      }
    }
    let strong = row.kind == .total || row.kind == .subtotal || row.kind == .groupHeader
    switch column.kind {
    case .number, .change:
      // Figures are placed at their integer part's start so that separators line up; the box runs
      // to the column's right edge, so leading alignment keeps the text where it was measured.
      return theme.style(strong ? .tableTotal : .tableNumber).with { $0.alignment = .leading }
    case .text, .bar:
      return theme.style(.tableCell).with {
        if strong { $0.weight = .bold }
        $0.overflow = column.overflow
      }
    }
  }

  /// The style of a group header's label.
  var groupLabelStyle: TextStyle { theme.style(.tableCell).with { $0.weight = .bold } }

  /// The indentation of `row`'s first cell, in points.
  func indentWidth(_ row: TableRow) -> Double { Double(max(row.indent, 0)) * theme.indentStep }

  /// The room a change column keeps left of its figures for the triangle.
  func markerRoom(_ column: TableColumn) -> Double {
    column.kind == .change ? 1.5 * theme.changeMarkerSize : 0
  }

  /// The widest integer part and the widest fraction of each figure column.
  func figureExtents(measuring: any TextMeasuring) -> [Int: FigureExtent] {
    var result: [Int: FigureExtent] = [:]
    for (index, column) in columns.enumerated() where column.holdsFigures {
      var widest = FigureExtent(integer: 0, fraction: 0)
      for row in measuredRows where row.kind != .groupHeader && index < row.cells.count && !row.cells[index].isEmpty {
        let extent = FigureExtent(
          row.cells[index], separator: column.decimalSeparator, style: cellStyle(column, row: row), measuring: measuring)
        widest.integer = max(widest.integer, extent.integer)
        // Footnote markers follow the figure, right of its fraction.
        widest.fraction = max(widest.fraction, extent.fraction + markerWidth(row, column: index, measuring: measuring))
      }
      result[index] = widest
    }
    return result
  }

  /// The width of the footnote markers after cell `column` of `row` (0 without).
  func markerWidth(_ row: TableRow, column: Int, measuring: any TextMeasuring) -> Double {
    guard let notes = row.footnotes[column], !notes.isEmpty else { return 0 }
    let marked = MarkedText.appending(notes, to: "")
    return measuring.measure(marked.text, style: cellStyle(columns[column], row: row), maxWidth: nil, superscripts: marked.superscripts).width
  }

  /// The width of each column's content box (without padding), fitted to `width`.
  ///
  /// A figure column is as wide as its widest integer part plus its widest fraction (plus the
  /// triangle of a change column), and at least as wide as the longest word of its header.
  public func columnWidths(width: Double, measuring: any TextMeasuring) throws(LayoutError) -> [Double] {
    try fittedWidths(width: width, figures: figureExtents(measuring: measuring), measuring: measuring)
  }

  func fittedWidths(width: Double, figures: [Int: FigureExtent], measuring: any TextMeasuring) throws(LayoutError) -> [Double] {
    let pad = 2 * theme.cellPaddingX
    let natural = columns.enumerated().map { index, column -> Double in
      let headerStyle = cellStyle(column, row: nil)
      let header = measuring.measure(column.header, style: headerStyle, maxWidth: nil).width
      let longestWord = column.header.split(separator: " ").map {
        measuring.measure(String($0), style: headerStyle, maxWidth: nil).width
      }.max() ?? 0
      switch column.kind {
      case .text:
        var widest = header
        for row in measuredRows where row.kind != .groupHeader && index < row.cells.count {
          let indent = index == 0 ? indentWidth(row) : 0
          let cell = row.markedCell(index)
          widest = max(
            widest, indent + measuring.measure(cell.text, style: cellStyle(column, row: row), maxWidth: nil, superscripts: cell.superscripts).width)
        }
        return widest
      case .number, .change:
        // Numeric headers may wrap onto two lines rather than widen a column of short figures.
        let extent = figures[index] ?? FigureExtent(integer: 0, fraction: 0)
        let aligned = markerRoom(column) + extent.integer + extent.fraction
        return max(aligned, longestWord, min(max(header, aligned), max(aligned, 80)))
      case .bar:
        return max(theme.inlineBarWidth, longestWord)
      }
    }
    let total = natural.reduce(0, +) + pad * Double(columns.count)
    if total <= width {
      // Give the slack to the first text column so figures stay close to their labels' right.
      var widths = natural
      if let first = columns.firstIndex(where: { $0.kind == .text }) { widths[first] += width - total }
      return widths
    }
    let fixedWidth = zip(columns, natural).filter { $0.0.kind != .text }.map(\.1).reduce(0, +)
    let textIndices = columns.indices.filter { columns[$0].kind == .text }
    let textRoom = width - fixedWidth - pad * Double(columns.count)
    let minimumText = 60.0 * Double(textIndices.count)
    guard !textIndices.isEmpty, textRoom >= minimumText else {
      // Text columns wrap, so only the others are worth dropping.
      let fixed = natural.enumerated().filter { columns[$0.offset].kind != .text }
      let widest = fixed.sorted { $0.element > $1.element }.prefix(2).map { columns[$0.offset].header }
      let least = fixedWidth + pad * Double(columns.count) + minimumText
      throw .tableTooWide(table: caption ?? "untitled", needed: least, available: width, widestColumns: widest)
    }
    var widths = natural
    let textNatural = textIndices.map { natural[$0] }.reduce(0, +)
    for index in textIndices { widths[index] = textRoom * natural[index] / textNatural }
    return widths
  }

  /// The grid at `width`. validate() and columnWidths are checked by the composition root before
  /// layout; the fallback keeps layout total even when called directly.
  func grid(width: Double, measuring: any TextMeasuring) -> TableGrid {
    if let splitGrid, splitGrid.width == width { return splitGrid }
    let figures = figureExtents(measuring: measuring)
    let widths = (try? fittedWidths(width: width, figures: figures, measuring: measuring))
      ?? Array(repeating: max(width / Double(max(columns.count, 1)) - 2 * theme.cellPaddingX, 1), count: columns.count)
    var domains: [Int: BarDomain] = [:]
    for (index, column) in columns.enumerated() where column.kind == .bar {
      let source = column.barSource ?? index
      domains[index] = BarDomain(measuredRows.filter { $0.kind == .body }.compactMap { $0.values[source] })
    }
    return TableGrid(
      width: width, widths: widths, padding: theme.cellPaddingX,
      fractions: figures.mapValues(\.fraction), barDomains: domains)
  }

  /// The height of one line of table text, which inline bars are centred on.
  func lineHeight(_ style: TextStyle, measuring: any TextMeasuring) -> Double {
    let m = measuring.measure("0", style: style, maxWidth: nil)
    return m.lineHeights.first ?? m.height
  }

  /// The height of `row` (the header when nil), padding included.
  func rowHeight(_ row: TableRow?, grid: TableGrid, measuring: any TextMeasuring) -> Double {
    if let row, row.kind == .groupHeader {
      let span = grid.width - 2 * theme.cellPaddingX - indentWidth(row)
      let label = measuring.measure(row.cells.first ?? "", style: groupLabelStyle, maxWidth: max(span, 1))
      return theme.groupHeaderSpace + label.height + 2 * theme.cellPaddingY
    }
    var tallest = 0.0
    for (index, column) in columns.enumerated() {
      let style = cellStyle(column, row: row)
      if row != nil, column.kind == .bar {
        tallest = max(tallest, lineHeight(style, measuring: measuring))
        continue
      }
      let cell = row.map { $0.markedCell(index) } ?? MarkedText(text: column.header)
      let indent = row.map { index == 0 ? indentWidth($0) : 0 } ?? 0
      let m = measuring.measure(
        cell.text, style: style, maxWidth: style.overflow == .ellipsize ? nil : grid.widths[index] - indent, superscripts: cell.superscripts)
      tallest = max(tallest, style.overflow == .ellipsize ? m.lineHeights.first ?? m.height : m.height)
    }
    return tallest + 2 * theme.cellPaddingY
  }

  func captionHeight(width: Double, measuring: any TextMeasuring) -> Double {
    guard let captionText else { return 0 }
    return measuring.measure(captionText, style: theme.style(.chartTitle), maxWidth: width).height + 6
  }

  /// The caption, the rules and the header row.
  func headHeight(width: Double, grid: TableGrid, measuring: any TextMeasuring) -> Double {
    captionHeight(width: width, measuring: measuring) + theme.heavyRule
      + rowHeight(nil, grid: grid, measuring: measuring) + theme.lightRule
  }
}
