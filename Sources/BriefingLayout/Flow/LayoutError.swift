/// An error in a block's content found while laying it out.
public enum LayoutError: Error, Hashable, Sendable, CustomStringConvertible {
  case rowHasWrongCellCount(table: String, row: Int, expected: Int, found: Int)
  /// `needed` is the least width the table can take (text columns narrowed as far as they go);
  /// `widestColumns` are the widest of the columns that cannot narrow.
  case tableTooWide(table: String, needed: Double, available: Double, widestColumns: [String], landscapeTried: Bool = false)
  /// The block at `index` of the list given to the paginator cannot split and is taller than a
  /// page's content area; `kind` names what it is (“chart”, “table”).
  case blockTooTall(index: Int, kind: String, needed: Double, available: Double)

  public var description: String {
    switch self {
    case .rowHasWrongCellCount(let table, let row, let expected, let found):
      "table “\(table)”, row \(row): expected \(expected) cells, found \(found)"
    case .tableTooWide(let table, let needed, let available, let widest, let landscapeTried):
      "table “\(table)” needs at least \(Int(needed.rounded())) pt but the page has \(Int(available.rounded())) pt; "
        + "drop one of its widest columns (\(widest.joined(separator: ", ")))"
        + (landscapeTried ? "; it does not fit a landscape page either" : " or put it on landscape pages")
    case .blockTooTall(let index, let kind, let needed, let available):
      "the \(kind) (block \(index + 1) on the page list) is \(Int(needed.rounded())) pt tall but a page has room for \(Int(available.rounded())) pt"
    }
  }
}
