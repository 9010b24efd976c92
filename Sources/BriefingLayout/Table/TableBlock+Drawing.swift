// MARK: - Drawing rows

extension TableBlock {
  /// Draws the header row at `y` and returns the y below it. Header cells sit on the rule below them.
  func appendHeader(at y: Double, grid: TableGrid, into frame: inout Frame, measuring: any TextMeasuring) -> Double {
    let h = rowHeight(nil, grid: grid, measuring: measuring)
    for (index, column) in columns.enumerated() {
      let style = cellStyle(column, row: nil)
      let m = measuring.measure(column.header, style: style, maxWidth: grid.widths[index])
      frame.append(.text(TextRun(
        text: column.header, style: style,
        frame: Rect(x: grid.lefts[index], y: y + h - theme.cellPaddingY - m.height, width: grid.widths[index], height: m.height))))
    }
    return y + h
  }

  /// Draws `row`, `h` points tall, at `y`.
  func appendRow(
    _ row: TableRow, at y: Double, height h: Double, width: Double, grid: TableGrid, into frame: inout Frame,
    measuring: any TextMeasuring
  ) {
    let top = y + theme.cellPaddingY
    if row.kind == .groupHeader {
      let indent = indentWidth(row)
      let label = row.cells.first ?? ""
      let span = max(width - 2 * theme.cellPaddingX - indent, 1)
      let m = measuring.measure(label, style: groupLabelStyle, maxWidth: span)
      frame.append(.text(TextRun(
        text: label, style: groupLabelStyle,
        frame: Rect(x: theme.cellPaddingX + indent, y: top + theme.groupHeaderSpace, width: span, height: m.height))))
      return
    }
    for (index, column) in columns.enumerated() {
      let text = index < row.cells.count ? row.cells[index] : ""
      let cell = row.markedCell(index)
      let style = cellStyle(column, row: row)
      switch column.kind {
      case .text:
        let indent = index == 0 ? indentWidth(row) : 0
        let boxWidth = grid.widths[index] - indent
        let m = measuring.measure(cell.text, style: style, maxWidth: boxWidth, superscripts: cell.superscripts)
        frame.append(.text(TextRun(
          text: cell.text, style: style, frame: Rect(x: grid.lefts[index] + indent, y: top, width: boxWidth, height: m.height),
          superscripts: cell.superscripts)))
      case .number, .change:
        guard !text.isEmpty else { continue }
        // The figure lines up on its separator; its footnote markers follow it.
        let extent = FigureExtent(text, separator: column.decimalSeparator, style: style, measuring: measuring)
        let x = grid.separatorX(index) - extent.integer
        let m = measuring.measure(cell.text, style: style, maxWidth: nil, superscripts: cell.superscripts)
        frame.append(.text(TextRun(
          text: cell.text, style: style,
          frame: Rect(x: x, y: top, width: grid.right(index) - x, height: m.lineHeights.first ?? m.height), superscripts: cell.superscripts)))
        if column.kind == .change, let value = row.values[index], value != 0, !value.isNaN {
          appendTriangle(up: value > 0, endingAt: x, top: top, baseline: m.baseline, size: style.size, into: &frame)
        }
      case .bar:
        guard row.kind == .body, let value = row.values[column.barSource ?? index], value.isFinite,
          let domain = grid.barDomains[index]
        else { continue }
        appendBar(value, domain: domain, column: index, top: top, grid: grid, into: &frame, measuring: measuring)
      }
    }
  }

  /// A triangle pointing up (an increase) or down (a decrease), just left of `x`, centred on the
  /// figures' height. Its direction carries the meaning; its colour only reinforces it.
  private func appendTriangle(up: Bool, endingAt x: Double, top: Double, baseline: Double, size: Double, into frame: inout Frame) {
    let side = theme.changeMarkerSize
    let half = side * 0.866 / 2
    // Half a side of space between the triangle and the figure (markerRoom keeps 1.5 sides).
    let centreX = x - side
    let centreY = top + baseline - 0.36 * size
    let tipY = up ? centreY - half : centreY + half
    let baseY = up ? centreY + half : centreY - half
    frame.append(.path(
      [Point(x: centreX - side / 2, y: baseY), Point(x: centreX + side / 2, y: baseY), Point(x: centreX, y: tipY)],
      closed: true, .filled(up ? theme.increaseColor : theme.decreaseColor)))
  }

  /// A bar for `value` on the table-wide `domain`. Bars start at the zero line, which is the cell's
  /// left edge unless the column has negative values; then the zero line sits inside the cell and
  /// negative bars run left of it.
  private func appendBar(
    _ value: Double, domain: BarDomain, column: Int, top: Double, grid: TableGrid, into frame: inout Frame,
    measuring: any TextMeasuring
  ) {
    let line = lineHeight(theme.style(.tableCell), measuring: measuring)
    let barHeight = line * theme.inlineBarHeight
    let barTop = top + (line - barHeight) / 2
    let cellWidth = grid.widths[column]
    let zeroX = grid.lefts[column] + cellWidth * domain.position(0)
    let endX = grid.lefts[column] + cellWidth * domain.position(value)
    if value != 0 {
      frame.append(.rect(Rect(x: min(zeroX, endX), y: barTop, width: abs(endX - zeroX), height: barHeight), .filled(theme.barFill)))
    }
    if domain.lower < 0 {
      frame.append(.rect(Rect(x: zeroX - theme.lightRule / 2, y: barTop - 1, width: theme.lightRule, height: barHeight + 2), .filled(theme.mutedInk)))
    }
  }
}
