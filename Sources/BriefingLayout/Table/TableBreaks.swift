/// The groups of a table's rows and the places between rows where a page may break.
///
/// A group runs from a group header to the subtotal that closes it; a group without a subtotal ends
/// before the next group header of the same or a shallower indent, before a total, or at the last row.
struct TableBreaks: Sendable {
  /// Each group as the range of its row indices, header first.
  let groups: [ClosedRange<Int>]
  private let kinds: [TableRow.Kind]

  init(rows: [TableRow]) {
    kinds = rows.map(\.kind)
    var open: [(start: Int, indent: Int)] = []
    var groups: [ClosedRange<Int>] = []
    for (index, row) in rows.enumerated() {
      switch row.kind {
      case .groupHeader:
        while let last = open.last, last.indent >= row.indent {
          groups.append(last.start...(index - 1))
          open.removeLast()
        }
        open.append((index, row.indent))
      case .subtotal:
        if let last = open.popLast() { groups.append(last.start...index) }
      case .total:
        while let last = open.popLast() { groups.append(last.start...(index - 1)) }
      case .body:
        break
      }
    }
    while let last = open.popLast() { groups.append(last.start...(rows.count - 1)) }
    self.groups = groups.sorted { $0.lowerBound < $1.lowerBound }
  }

  /// Whether a page may break before row `index` (after `index` rows), keeping `kept` groups whole.
  ///
  /// A group header never ends a page, and a subtotal or a total never starts one.
  func allowsBreak(before index: Int, keeping kept: [ClosedRange<Int>]) -> Bool {
    guard index >= 1, index < kinds.count else { return false }
    if kinds[index - 1] == .groupHeader { return false }
    if kinds[index] == .subtotal || kinds[index] == .total { return false }
    return !kept.contains { $0.lowerBound < index && index <= $0.upperBound }
  }
}
