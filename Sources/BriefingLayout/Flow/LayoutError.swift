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
