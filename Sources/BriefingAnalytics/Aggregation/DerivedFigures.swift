// Derived figures over grouped results: shares, period-on-period changes, ranks, top-N with an
// "Other" row, subtotals and totals, and pivot tables.
//
// Everything here returns new values and never changes its input. The arrays are the few dozen
// groups a briefing shows, so the code favours clarity over speed. Every total is a compensated
// (Neumaier) sum, and adding values of different units is a `DataError.mixedUnits`.

// MARK: - Period order

extension GroupedValue {
  /// Returns whether period `a` comes before period `b`; use it to sort periods, for example
  /// `periods.sorted(by: GroupedValue.periodOrder)`.
  ///
  /// Two periods that are both plain decimal numbers (`9`, `2024`, `-1.5`) are compared as numbers,
  /// so "9" comes before "10". Two periods that are not are compared as text, so "2024-Q1" comes
  /// before "2024-Q2" and "2024-03" before "2024-11". A number comes before any period that is not a
  /// number: comparing such a pair as text could make the order circular ("9" < "10" < "1a" < "9"),
  /// and sorting needs a consistent order. Equal numbers spelled differently ("1", "01") are ordered
  /// as text.
  public static func periodOrder(_ a: String, _ b: String) -> Bool {
    switch (plainNumber(a), plainNumber(b)) {
    case let (x?, y?): x != y ? x < y : a < b
    case (_?, nil): true
    case (nil, _?): false
    case (nil, nil): a < b
    }
  }

  /// The value of `text` if it is a plain decimal number: an optional sign, digits and at most one
  /// decimal point; otherwise nil (so "2024-Q1", "1e3", "inf" and "" are not numbers).
  fileprivate static func plainNumber(_ text: String) -> Double? {
    var sawDigit = false
    var sawPoint = false
    var first = true
    for byte in text.utf8 {
      defer { first = false }
      switch byte {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): sawDigit = true
      case UInt8(ascii: "+"), UInt8(ascii: "-"): guard first else { return nil }
      case UInt8(ascii: "."):
        guard !sawPoint else { return nil }
        sawPoint = true
      default: return nil
      }
    }
    return sawDigit ? Double(text) : nil
  }
}

/// A text's place in `GroupedValue.periodOrder`, worked out once so that sorting many rows
/// compares numbers and strings instead of parsing both sides at every comparison.
struct PeriodKey: Comparable {
  private let number: Double?
  let text: String

  init(_ text: String) {
    self.text = text
    number = GroupedValue.plainNumber(text)
  }

  static func < (a: PeriodKey, b: PeriodKey) -> Bool {
    switch (a.number, b.number) {
    case let (x?, y?): x != y ? x < y : a.text < b.text
    case (_?, nil): true
    case (nil, _?): false
    case (nil, nil): a.text < b.text
    }
  }
}

// MARK: - Change

/// How a group's value moved since the previous period (see `Array.changes(along:)`).
public struct Change: Hashable, Sendable {
  /// The key of the previous period present for the same other keys; nil for the first period.
  public var previousKey: String?
  /// The value in the previous period; nil if there is none or it is missing.
  public var previous: Double?
  /// The value minus the previous value; nil if either is missing.
  public var absolute: Double?
  /// The absolute change divided by the magnitude of the previous value, as a fraction (0.25 is
  /// 25 % up, also when the previous value is negative); nil if the previous value is missing or 0.
  public var relative: Double?

  public init(previousKey: String?, previous: Double?, absolute: Double?, relative: Double?) {
    self.previousKey = previousKey
    self.previous = previous
    self.absolute = absolute
    self.relative = relative
  }

  /// No previous period.
  public static let noPrevious = Change(previousKey: nil, previous: nil, absolute: nil, relative: nil)
}

// MARK: - Figures over an array of groups

/// The groups that agree on the keys at some positions, as indices into the array.
private struct Partition {
  var keys: [String]
  var members: [Int]
}

extension Array where Element == GroupedValue {
  /// Each group's value as a fraction of the total of its partition.
  ///
  /// A partition is the set of groups with equal keys at the positions in `partition`; the default,
  /// no positions, makes the whole array one partition. For `[region, programme]` groups,
  /// `shares(within: [0])` gives each programme's share of its region.
  ///
  /// - Returns: One share per group, in the order of the array; nil where the value is missing or
  ///   the partition's total is 0 or missing. The shares of a partition add up to 1.
  /// - Throws: `DataError.mixedUnits` naming the partition if its groups have different units.
  /// - Precondition: Every position in `partition` is a valid index into every group's keys.
  public func shares(within partition: [Int] = []) throws(DataError) -> [Double?] {
    var shares = [Double?](repeating: nil, count: count)
    for part in partitions(at: partition) {
      let groups = part.members.map { self[$0] }
      _ = try sharedUnit(of: groups, group: part.keys.isEmpty ? "all groups" : describe(part.keys))
      guard let total = compensatedTotal(of: groups.map(\.value)), total != 0 else { continue }
      for index in part.members {
        shares[index] = self[index].value.map { $0 / total }
      }
    }
    return shares
  }

  /// Each group's change since the previous period.
  ///
  /// The previous period of a group is the group with the same keys at every other position whose
  /// key at `dimension` is the nearest earlier one present, in `GroupedValue.periodOrder`: with
  /// periods 2019 and 2021 and no 2020, the previous period of 2021 is 2019. A previous group that is
  /// present with a missing value is still the previous period (its `previous` is nil); it is not
  /// skipped.
  ///
  /// - Returns: One change per group, in the order of the array; `Change.noPrevious` for a group with no
  ///   earlier period.
  /// - Throws: `DataError.mixedUnits` naming the group if it and its previous period have different
  ///   units.
  /// - Precondition: `dimension` is a valid index into every group's keys.
  public func changes(along dimension: Int) throws(DataError) -> [Change] {
    for group in self { checkPosition(dimension, in: group) }
    func otherKeys(_ group: GroupedValue) -> [String] {
      var keys = group.keys
      keys.remove(at: dimension)
      return keys
    }
    var series: [[String]: [Int]] = [:]
    for (index, group) in enumerated() {
      series[otherKeys(group), default: []].append(index)
    }
    var changes: [Change] = []
    changes.reserveCapacity(count)
    for group in self {
      let period = group.keys[dimension]
      let earlier = (series[otherKeys(group)] ?? [])
        .map { self[$0] }
        .filter { GroupedValue.periodOrder($0.keys[dimension], period) }
      guard
        let previous = earlier.max(by: { GroupedValue.periodOrder($0.keys[dimension], $1.keys[dimension]) })
      else {
        changes.append(.noPrevious)
        continue
      }
      if previous.unit != group.unit {
        throw .mixedUnits(group: describe(group.keys), units: [previous.unit, group.unit])
      }
      var absolute: Double?
      if let value = group.value, let before = previous.value { absolute = value - before }
      var relative: Double?
      if let absolute, let before = previous.value, before != 0 { relative = absolute / abs(before) }
      changes.append(
        Change(previousKey: previous.keys[dimension], previous: previous.value, absolute: absolute, relative: relative))
    }
    return changes
  }

  /// Each group's rank within its partition, by competition ranking ("1224"): tied values share the
  /// better rank and the next value's rank counts every value ahead of it.
  ///
  /// With values 5, 3, 5, 1 the ranks are 1, 3, 1, 4. Partitions are as in `shares(within:)`.
  /// Values are compared as they are; units are not checked.
  ///
  /// - Parameter descending: Whether the largest value ranks first (the default) or the smallest.
  /// - Returns: One rank per group, in the order of the array; nil where the value is missing.
  ///   Missing values take no rank.
  /// - Precondition: Every position in `partition` is a valid index into every group's keys.
  public func ranks(within partition: [Int] = [], descending: Bool = true) -> [Int?] {
    var ranks = [Int?](repeating: nil, count: count)
    for part in partitions(at: partition) {
      let values = part.members.compactMap { self[$0].value }
      for index in part.members {
        guard let value = self[index].value else { continue }
        let ahead = values.count { descending ? $0 > value : $0 < value }
        ranks[index] = ahead + 1
      }
    }
    return ranks
  }

  /// The groups at `positions` grouped by their keys there, in order of first appearance.
  fileprivate func partitions(at positions: [Int]) -> [Partition] {
    var slots: [[String]: Int] = [:]
    var partitions: [Partition] = []
    for (index, group) in enumerated() {
      let keys = positions.map { position in
        checkPosition(position, in: group)
        return group.keys[position]
      }
      if let slot = slots[keys] {
        partitions[slot].members.append(index)
      } else {
        slots[keys] = partitions.count
        partitions.append(Partition(keys: keys, members: [index]))
      }
    }
    return partitions
  }
}

// MARK: - Pivot

/// Grouped values laid out as a table: one row per key of one dimension, one column per key of
/// another, every total a compensated sum.
///
/// Missing cells are nil, never 0: a cell with no group, or whose groups all have missing values, is
/// nil, and so is a total with nothing to add.
public struct Pivot: Hashable, Sendable {
  /// The row keys, in order of first appearance.
  public let rowKeys: [String]
  /// The column keys, sorted by `GroupedValue.periodOrder`.
  public let columnKeys: [String]
  /// The values by row, then column: `cells[row][column]`.
  public let cells: [[Double?]]
  /// The total of each row.
  public let rowTotals: [Double?]
  /// The total of each column.
  public let columnTotals: [Double?]
  /// The total of every value.
  public let grandTotal: Double?
  /// The unit shared by all values; empty for a pivot of no groups.
  public let unit: String

  /// Lays out `groups` with `keys[rowDimension]` as the row and `keys[columnDimension]` as the column.
  ///
  /// Groups that land in the same cell, because they differ in some other key, are added up. Totals
  /// add the groups' values directly rather than the rounded cells.
  ///
  /// - Throws: `DataError.mixedUnits` naming the first group whose unit differs from the first
  ///   group's.
  /// - Precondition: `rowDimension` and `columnDimension` differ and are valid indices into every
  ///   group's keys.
  public init(_ groups: [GroupedValue], rows rowDimension: Int, columns columnDimension: Int) throws(DataError) {
    precondition(rowDimension != columnDimension, "a pivot needs different row and column dimensions")
    for group in groups {
      checkPosition(rowDimension, in: group)
      checkPosition(columnDimension, in: group)
    }
    let unit = groups.first?.unit ?? ""
    if let odd = groups.first(where: { $0.unit != unit }) {
      _ = try sharedUnit(of: groups, group: describe(odd.keys))
    }

    var rowKeys: [String] = []
    var rowSlots: [String: Int] = [:]
    for group in groups where rowSlots[group.keys[rowDimension]] == nil {
      rowSlots[group.keys[rowDimension]] = rowKeys.count
      rowKeys.append(group.keys[rowDimension])
    }
    let columnKeys = Set(groups.map { $0.keys[columnDimension] }).sorted(by: GroupedValue.periodOrder)
    var columnSlots: [String: Int] = [:]
    for (slot, key) in columnKeys.enumerated() { columnSlots[key] = slot }

    var cells = [[Total]](repeating: [Total](repeating: Total(), count: columnKeys.count), count: rowKeys.count)
    var rowTotals = [Total](repeating: Total(), count: rowKeys.count)
    var columnTotals = [Total](repeating: Total(), count: columnKeys.count)
    var grandTotal = Total()
    for group in groups {
      guard let value = group.value,
        let row = rowSlots[group.keys[rowDimension]],
        let column = columnSlots[group.keys[columnDimension]]
      else { continue }
      cells[row][column].add(value)
      rowTotals[row].add(value)
      columnTotals[column].add(value)
      grandTotal.add(value)
    }

    self.rowKeys = rowKeys
    self.columnKeys = columnKeys
    self.cells = cells.map { $0.map(\.value) }
    self.rowTotals = rowTotals.map(\.value)
    self.columnTotals = columnTotals.map(\.value)
    self.grandTotal = grandTotal.value
    self.unit = unit
  }

  /// A compensated sum that is nil until a value is added.
  private struct Total {
    private var sum = CompensatedSum()
    private var isEmpty = true

    mutating func add(_ value: Double) {
      sum.add(value)
      isEmpty = false
    }

    var value: Double? { isEmpty ? nil : sum.value }
  }
}

/// A pivot cut down for a chart: some rows in a chosen order and the rest folded into one row,
/// the columns with the largest totals and the rest folded into one column.
public struct FoldedPivot: Hashable, Sendable {
  /// The kept rows' keys, in order; the folded row (if any) comes after them in `cells`.
  public var rowKeys: [String]
  /// The kept columns' keys, in the pivot's order; the folded column (if any) comes after them.
  public var columnKeys: [String]
  /// `cells[row][column]`, folded row and column included; nil where nothing has a value.
  public var cells: [[Double?]]
  /// How many rows the folded row adds up (0: there is none).
  public var foldedRows: Int
  /// How many columns the folded column adds up (0: there is none).
  public var foldedColumns: Int
}

extension Pivot {
  /// The rows in `order`, the first `keepingRows` kept (all when nil) and the others added up
  /// into one row; at most `keepingColumns` columns: when there are more, the `keepingColumns − 1`
  /// with the largest totals and the others added up into one. Every folded cell is a compensated
  /// sum of the pivot's cells.
  public func folded(rowOrder order: [Int], keepingRows: Int?, keepingColumns: Int) -> FoldedPivot {
    let keptRows = keepingRows.map { Array(order.prefix(max($0, 0))) } ?? order
    let restRows = keepingRows.map { Array(order.dropFirst(max($0, 0))) } ?? []
    var keptColumns = Array(columnKeys.indices)
    var restColumns: [Int] = []
    if columnKeys.count > keepingColumns, keepingColumns > 1 {
      let byTotal = columnKeys.indices.sorted {
        valuePrecedes(columnTotals[$0], [columnKeys[$0]], columnTotals[$1], [columnKeys[$1]])
      }
      let kept = Set(byTotal.prefix(keepingColumns - 1))
      keptColumns = columnKeys.indices.filter(kept.contains)
      restColumns = columnKeys.indices.filter { !kept.contains($0) }
    }
    func cell(rows: [Int], columns: [Int]) -> Double? {
      compensatedTotal(of: rows.flatMap { row in columns.map { cells[row][$0] } })
    }
    var rowGroups = keptRows.map { [$0] }
    if !restRows.isEmpty { rowGroups.append(restRows) }
    var columnGroups = keptColumns.map { [$0] }
    if !restColumns.isEmpty { columnGroups.append(restColumns) }
    return FoldedPivot(
      rowKeys: keptRows.map { rowKeys[$0] }, columnKeys: keptColumns.map { columnKeys[$0] },
      cells: rowGroups.map { rows in columnGroups.map { cell(rows: rows, columns: $0) } },
      foldedRows: restRows.count, foldedColumns: restColumns.count)
  }
}

// MARK: - Helpers

/// Stops with a clear message if `position` is not an index into the group's keys.
private func checkPosition(_ position: Int, in group: GroupedValue) {
  precondition(
    group.keys.indices.contains(position), "key position \(position) is out of range for the group \(group.keys)")
}

/// How an error names a group: its keys joined by " / ", as `Dataset.aggregate` does.
private func describe(_ keys: [String]) -> String {
  keys.joined(separator: " / ")
}

/// The unit shared by `groups` (empty if there are none).
///
/// - Throws: `DataError.mixedUnits` naming `group`, with the first group's unit followed by the other
///   units in alphabetical order.
private func sharedUnit(of groups: [GroupedValue], group: String) throws(DataError) -> String {
  guard let unit = groups.first?.unit else { return "" }
  let others = Set(groups.map(\.unit)).subtracting([unit])
  guard others.isEmpty else { throw .mixedUnits(group: group, units: [unit] + others.sorted()) }
  return unit
}

/// The compensated sum of the values that are present; nil if none is.
private func compensatedTotal(of values: [Double?]) -> Double? {
  var sum = CompensatedSum()
  var isEmpty = true
  for case let value? in values {
    sum.add(value)
    isEmpty = false
  }
  return isEmpty ? nil : sum.value
}

