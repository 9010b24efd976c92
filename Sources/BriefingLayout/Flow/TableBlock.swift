/// A column of a table.
public struct TableColumn: Hashable, Sendable {
  public enum Kind: String, Hashable, Sendable {
    /// Left-aligned text that wraps.
    case text
    /// Right-aligned figures in tabular digits, never wrapped.
    case number
  }

  public var title: String
  /// The unit, shown in the header after a comma ("Funding, RUB mn").
  public var unit: String?
  public var kind: Kind

  public init(_ title: String, unit: String? = nil, kind: Kind = .text) {
    self.title = title
    self.unit = unit
    self.kind = kind
  }

  /// The header text with the unit.
  public var header: String { unit.map { "\(title), \($0)" } ?? title }
}

/// A row of a table.
public struct TableRow: Hashable, Sendable {
  public enum Kind: String, Hashable, Sendable {
    case body
    /// A bold row under a rule, such as "Total".
    case total
  }

  public var cells: [String]
  public var kind: Kind

  public init(_ cells: [String], kind: Kind = .body) {
    self.cells = cells
    self.kind = kind
  }
}

/// An error in a block's content found while laying it out.
public enum LayoutError: Error, Hashable, Sendable, CustomStringConvertible {
  case rowHasWrongCellCount(table: String, row: Int, expected: Int, found: Int)
  case tableTooWide(table: String, needed: Double, available: Double, widestColumns: [String])
  case blockTooTall(block: String, needed: Double, available: Double)

  public var description: String {
    switch self {
    case .rowHasWrongCellCount(let table, let row, let expected, let found):
      "table “\(table)”, row \(row): expected \(expected) cells, found \(found)"
    case .tableTooWide(let table, let needed, let available, let widest):
      "table “\(table)” needs \(Int(needed.rounded())) pt but the page has \(Int(available.rounded())) pt; "
        + "drop one of its widest columns (\(widest.joined(separator: ", "))) or use a landscape page"
    case .blockTooTall(let block, let needed, let available):
      "\(block) needs \(Int(needed.rounded())) pt of height but a page has \(Int(available.rounded())) pt"
    }
  }
}

/// A booktabs-style table: a caption, a heavy top rule, a bold header with units, rows, an optional
/// total row, a heavy bottom rule. It splits between rows and repeats its header, marked "(continued)".
public struct TableBlock: Block {
  public var caption: String?
  public var columns: [TableColumn]
  public var rows: [TableRow]
  public var zebra: Bool
  public var theme: Theme
  /// Appended to the caption on the pages after the first ("(continued)", «(продолжение)»).
  public var continuedLabel: String
  /// Whether this piece continues a table begun on an earlier page.
  public var isContinuation: Bool

  public init(
    caption: String? = nil, columns: [TableColumn], rows: [TableRow], zebra: Bool = false,
    continuedLabel: String = "(continued)", theme: Theme = .bulletin
  ) {
    self.caption = caption
    self.columns = columns
    self.rows = rows
    self.zebra = zebra
    self.continuedLabel = continuedLabel
    self.theme = theme
    self.isContinuation = false
  }

  /// Checks that every row has one cell per column.
  public func validate() throws(LayoutError) {
    for (index, row) in rows.enumerated() where row.cells.count != columns.count {
      throw .rowHasWrongCellCount(table: caption ?? "untitled", row: index + 1, expected: columns.count, found: row.cells.count)
    }
  }

  // MARK: - Geometry

  private var captionText: String? {
    guard let caption else { return nil }
    return isContinuation ? "\(caption) \(continuedLabel)" : caption
  }

  private func cellStyle(_ column: TableColumn, row: TableRow?) -> TextStyle {
    guard let row else {
      return theme.style(.tableHeader).with {
        $0.alignment = column.kind == .number ? .trailing : .leading
      }
    }
    switch (column.kind, row.kind) {
    case (.number, .body): return theme.style(.tableNumber)
    case (.number, .total): return theme.style(.tableTotal).with { $0.alignment = .trailing }
    case (.text, .body): return theme.style(.tableCell)
    case (.text, .total): return theme.style(.tableCell).with { $0.weight = .bold }
    }
  }

  /// The width of each column's content box (without padding), fitted to `width`.
  public func columnWidths(width: Double, measuring: any TextMeasuring) throws(LayoutError) -> [Double] {
    let pad = 2 * theme.cellPaddingX
    var natural = columns.enumerated().map { index, column in
      var widest = measuring.measure(column.header, style: cellStyle(column, row: nil), maxWidth: nil).width
      for row in rows where index < row.cells.count {
        widest = max(widest, measuring.measure(row.cells[index], style: cellStyle(column, row: row), maxWidth: nil).width)
      }
      return widest
    }
    // Numeric headers may wrap onto two lines rather than widen a column of short figures.
    for (index, column) in columns.enumerated() where column.kind == .number {
      let widestCell = rows.map { row in
        index < row.cells.count ? measuring.measure(row.cells[index], style: cellStyle(column, row: row), maxWidth: nil).width : 0
      }.max() ?? 0
      let longestWord = column.header.split(separator: " ").map {
        measuring.measure(String($0), style: cellStyle(column, row: nil), maxWidth: nil).width
      }.max() ?? 0
      natural[index] = max(widestCell, longestWord, min(natural[index], max(widestCell, 80)))
    }
    let total = natural.reduce(0, +) + pad * Double(columns.count)
    if total <= width {
      // Give the slack to the first text column so figures stay close to their labels' right.
      var widths = natural
      if let first = columns.firstIndex(where: { $0.kind == .text }) { widths[first] += width - total }
      return widths
    }
    let numberWidth = zip(columns, natural).filter { $0.0.kind == .number }.map(\.1).reduce(0, +)
    let textIndices = columns.indices.filter { columns[$0].kind == .text }
    let textRoom = width - numberWidth - pad * Double(columns.count)
    let minimumText = 60.0 * Double(textIndices.count)
    guard textRoom >= minimumText else {
      let widest = natural.enumerated().sorted { $0.element > $1.element }.prefix(2).map { columns[$0.offset].title }
      throw .tableTooWide(table: caption ?? "untitled", needed: total, available: width, widestColumns: widest)
    }
    var widths = natural
    let textNatural = textIndices.map { natural[$0] }.reduce(0, +)
    for index in textIndices { widths[index] = textRoom * natural[index] / textNatural }
    return widths
  }

  private func widthsOrFallback(width: Double, measuring: any TextMeasuring) -> [Double] {
    // validate() and columnWidths are checked by the composition root before layout; this keeps
    // layout total even when called directly.
    (try? columnWidths(width: width, measuring: measuring))
      ?? Array(repeating: max(width / Double(max(columns.count, 1)) - 2 * theme.cellPaddingX, 1), count: columns.count)
  }

  private func rowHeight(_ row: TableRow?, widths: [Double], measuring: any TextMeasuring) -> Double {
    var tallest = 0.0
    for (index, column) in columns.enumerated() {
      let text = row.map { index < $0.cells.count ? $0.cells[index] : "" } ?? column.header
      let style = cellStyle(column, row: row)
      let m = measuring.measure(text, style: style, maxWidth: style.overflow == .ellipsize ? nil : widths[index])
      tallest = max(tallest, style.overflow == .ellipsize ? m.lineHeights.first ?? m.height : m.height)
    }
    return tallest + 2 * theme.cellPaddingY
  }

  private func captionHeight(width: Double, measuring: any TextMeasuring) -> Double {
    guard let captionText else { return 0 }
    return measuring.measure(captionText, style: theme.style(.chartTitle), maxWidth: width).height + 6
  }

  private func headHeight(width: Double, widths: [Double], measuring: any TextMeasuring) -> Double {
    captionHeight(width: width, measuring: measuring) + theme.heavyRule
      + rowHeight(nil, widths: widths, measuring: measuring) + theme.lightRule
  }

  public func height(width: Double, measuring: any TextMeasuring) -> Double {
    let widths = widthsOrFallback(width: width, measuring: measuring)
    return headHeight(width: width, widths: widths, measuring: measuring)
      + rows.map { rowHeight($0, widths: widths, measuring: measuring) }.reduce(0, +) + theme.heavyRule
  }

  public func minimumHeadHeight(width: Double, measuring: any TextMeasuring) -> Double {
    let widths = widthsOrFallback(width: width, measuring: measuring)
    let first = rows.first.map { rowHeight($0, widths: widths, measuring: measuring) } ?? 0
    return headHeight(width: width, widths: widths, measuring: measuring) + first + theme.heavyRule
  }

  public func split(width: Double, height: Double, measuring: any TextMeasuring) -> BlockSplit? {
    let widths = widthsOrFallback(width: width, measuring: measuring)
    var used = headHeight(width: width, widths: widths, measuring: measuring) + theme.heavyRule
    var fitting = 0
    for row in rows {
      let h = rowHeight(row, widths: widths, measuring: measuring)
      guard used + h <= height else { break }
      used += h
      fitting += 1
    }
    // A total row never starts a page alone.
    if fitting == rows.count - 1, rows.last?.kind == .total { fitting -= 1 }
    guard fitting >= 1, fitting < rows.count else { return nil }
    var head = self
    head.rows = Array(rows[..<fitting])
    var tail = self
    tail.rows = Array(rows[fitting...])
    tail.isContinuation = true
    return BlockSplit(head: head, tail: tail)
  }

  public func layout(width: Double, measuring: any TextMeasuring) -> Frame {
    let widths = widthsOrFallback(width: width, measuring: measuring)
    var frame = Frame(size: Size(width: width, height: height(width: width, measuring: measuring)))
    var y = 0.0
    if let captionText {
      let style = theme.style(.chartTitle)
      let h = measuring.measure(captionText, style: style, maxWidth: width).height
      frame.append(.text(TextRun(text: captionText, style: style, frame: Rect(x: 0, y: y, width: width, height: h))))
      y += h + 6
    }
    // Rules are filled rectangles, so their thickness is exact on every surface.
    let rule = Paint.filled(theme.ruleColor)
    frame.append(.rect(Rect(x: 0, y: y, width: width, height: theme.heavyRule), rule))
    y += theme.heavyRule
    y = appendRow(nil, at: y, widths: widths, into: &frame, measuring: measuring)
    frame.append(.rect(Rect(x: 0, y: y, width: width, height: theme.lightRule), rule))
    y += theme.lightRule
    var bodyIndex = 0
    for row in rows {
      let h = rowHeight(row, widths: widths, measuring: measuring)
      if row.kind == .total {
        frame.append(.rect(Rect(x: 0, y: y, width: width, height: theme.lightRule), rule))
      } else {
        if zebra, bodyIndex % 2 == 1 {
          frame.append(.rect(Rect(x: 0, y: y, width: width, height: h), .filled(theme.zebraFill)))
        }
        bodyIndex += 1
      }
      y = appendRow(row, at: y, widths: widths, into: &frame, measuring: measuring)
    }
    frame.append(.rect(Rect(x: 0, y: y, width: width, height: theme.heavyRule), rule))
    return frame
  }

  private func appendRow(_ row: TableRow?, at y: Double, widths: [Double], into frame: inout Frame, measuring: any TextMeasuring) -> Double {
    let h = rowHeight(row, widths: widths, measuring: measuring)
    var x = 0.0
    for (index, column) in columns.enumerated() {
      let text = row.map { index < $0.cells.count ? $0.cells[index] : "" } ?? column.header
      let style = cellStyle(column, row: row)
      let m = measuring.measure(text, style: style, maxWidth: style.overflow == .ellipsize ? nil : widths[index])
      let textHeight = style.overflow == .ellipsize ? (m.lineHeights.first ?? m.height) : m.height
      // Header cells sit on the rule below them; body cells on the top padding.
      let top = row == nil ? y + h - theme.cellPaddingY - textHeight : y + theme.cellPaddingY
      frame.append(.text(TextRun(
        text: text, style: style,
        frame: Rect(x: x + theme.cellPaddingX, y: top, width: widths[index], height: textHeight))))
      x += widths[index] + 2 * theme.cellPaddingX
    }
    return y + h
  }
}
