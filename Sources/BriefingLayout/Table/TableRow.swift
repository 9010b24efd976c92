/// A row of a table.
public struct TableRow: Hashable, Sendable {
  public enum Kind: String, Hashable, Sendable {
    case body
    /// A bold row under a rule, such as "Total".
    case total
    /// A bold label that opens a group and spans the whole row; it has no figures. Only its first
    /// cell is drawn, so it may have one cell or one per column.
    case groupHeader
    /// A bold row that closes the innermost open group ("Итого по группе"), under a thin rule.
    case subtotal
  }

  public var cells: [String]
  public var kind: Kind
  /// The indentation level of the first cell; each level indents by `Theme.indentStep`.
  public var indent: Int
  /// The numbers behind the cells, by column index: a `.change` column takes its sign from here and a
  /// `.bar` column its length. Formatted text is never parsed. Missing or zero values draw no mark.
  public var values: [Int: Double]
  /// Footnotes by column index: their markers follow the cell's text as superscripts, and the
  /// notes go to the foot of the page the row lands on.
  public var footnotes: [Int: [Footnote]]

  public init(_ cells: [String], kind: Kind = .body, indent: Int = 0, values: [Int: Double] = [:], footnotes: [Int: [Footnote]] = [:]) {
    self.cells = cells
    self.kind = kind
    self.indent = indent
    self.values = values
    self.footnotes = footnotes
  }

  /// The row's footnotes, left to right.
  public var allFootnotes: [Footnote] {
    footnotes.keys.sorted().flatMap { footnotes[$0] ?? [] }
  }

  /// The text of cell `column` with its footnote markers.
  func markedCell(_ column: Int) -> MarkedText {
    MarkedText.appending(footnotes[column] ?? [], to: column < cells.count ? cells[column] : "")
  }

  /// Returns a row that opens a group with `label`.
  public static func groupHeader(_ label: String, indent: Int = 0) -> TableRow {
    TableRow([label], kind: .groupHeader, indent: indent)
  }

  /// Returns a row that closes the innermost open group with its subtotal.
  public static func subtotal(_ cells: [String], indent: Int = 0, values: [Int: Double] = [:]) -> TableRow {
    TableRow(cells, kind: .subtotal, indent: indent, values: values)
  }
}
