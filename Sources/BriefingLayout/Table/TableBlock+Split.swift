// MARK: - Where a table breaks across pages

extension TableBlock {
  /// The groups of `breaks` that fit on a page of `limit` points by themselves (with the table's
  /// caption, header and bottom rule): these must not be split.
  func keptGroups(
    _ breaks: TableBreaks, heights: [Double], limit: Double, width: Double, grid: TableGrid,
    measuring: any TextMeasuring
  ) -> [ClosedRange<Int>] {
    var continued = self
    continued.isContinuation = true
    let head = max(
      headHeight(width: width, grid: grid, measuring: measuring),
      continued.headHeight(width: width, grid: grid, measuring: measuring)) + theme.heavyRule
    return breaks.groups.filter { group in
      head + heights[group].reduce(0, +) <= limit
    }
  }

  /// The most body rows of a table that never splits.
  public static let shortTableRows = 8
  /// The fewest body rows a split leaves on either side of the page break.
  public static let minimumRowsAtBreak = 3

  /// Whether the table may split at all: it has more than `shortTableRows` body rows (a split
  /// piece counts the whole table's), or it is taller than a page.
  func splits(width: Double, measuring: any TextMeasuring) -> Bool {
    if (wholeTableRows ?? rows).filter({ $0.kind == .body }).count > Self.shortTableRows { return true }
    guard let pageHeight else { return false }
    return height(width: width, measuring: measuring) > pageHeight
  }

  /// Whether a break before row `index` leaves `minimumRowsAtBreak` body rows on each side.
  func leavesEnoughRows(before index: Int) -> Bool {
    let before = rows[..<index].filter { $0.kind == .body }.count
    let after = rows[index...].filter { $0.kind == .body }.count
    return before >= Self.minimumRowsAtBreak && after >= Self.minimumRowsAtBreak
  }

  /// How many rows go on the page when `height` points are left, or nil when the table should move on.
  ///
  /// Rows are never cut; a group header never ends a page and a subtotal or total never starts one;
  /// at least `minimumRowsAtBreak` body rows stay on each side; a short table never splits.
  /// A group that fits on a page by itself is kept whole: the page breaks before it if any earlier
  /// break fits. When none does, a first piece moves to the next page if its first group would fit
  /// there (known only with `pageHeight`); otherwise the group is split, keeping whole the smaller
  /// groups inside it that fit here. `forced` keeps no group whole (for a page that would otherwise
  /// be left less than half full).
  func rowsInHead(width: Double, height: Double, measuring: any TextMeasuring, forced: Bool = false) -> Int? {
    guard rows.count >= 2, splits(width: width, measuring: measuring) else { return nil }
    let grid = grid(width: width, measuring: measuring)
    let heights = rows.map { rowHeight($0, grid: grid, measuring: measuring) }
    let head = headHeight(width: width, grid: grid, measuring: measuring) + theme.heavyRule
    let breaks = TableBreaks(rows: rows)

    func lastBreak(keeping kept: [ClosedRange<Int>]) -> Int? {
      var used = head
      var best: Int? = nil
      for index in 1..<rows.count {
        used += heights[index - 1]
        guard used <= height else { break }
        if breaks.allowsBreak(before: index, keeping: kept), leavesEnoughRows(before: index) { best = index }
      }
      return best
    }

    if forced { return lastBreak(keeping: []) }
    let whole = keptGroups(breaks, heights: heights, limit: pageHeight ?? .infinity, width: width, grid: grid, measuring: measuring)
    if let index = lastBreak(keeping: whole) { return index }
    // Only a first piece can start below other content; a page offering its full height is fresh.
    if !isContinuation, let pageHeight, height < pageHeight {
      let first = (1..<rows.count).first { breaks.allowsBreak(before: $0, keeping: whole) && leavesEnoughRows(before: $0) } ?? rows.count
      if head + heights.prefix(first).reduce(0, +) <= pageHeight { return nil }
    }
    let fitting = keptGroups(breaks, heights: heights, limit: height, width: width, grid: grid, measuring: measuring)
    return lastBreak(keeping: fitting)
  }
}
