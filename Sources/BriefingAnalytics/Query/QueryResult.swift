/// The answer to a query: its groups as the source aggregated them, and the rows derived from
/// them (sorted, cut, with subtotals, totals, shares, changes and ranks as the query asked).
public struct QueryResult: Hashable, Sendable {
  /// The group-by columns, in the order asked for.
  public var columns: [String]
  /// The groups in order of first appearance in the input.
  public var groups: [GroupedValue]
  /// The rows after the query's derivations; until then one `.group` row per group.
  public var rows: [ResultRow]
  public var aggregate: Aggregate
  /// Data rows read (blank lines aside).
  public var rowsRead: Int
  /// Rows that passed the filters.
  public var rowsMatched: Int
  /// Rows skipped as bad in lenient mode.
  public var rowsSkipped: Int
  /// The first problems found in lenient mode (at most `QueryEngine.reportedProblems`).
  public var problems: [DataError]
  /// How the rows were put under groups (`Derivation.group`), if they were.
  public internal(set) var grouping: Grouping?

  public init(
    columns: [String], groups: [GroupedValue], aggregate: Aggregate, rowsRead: Int, rowsMatched: Int, rowsSkipped: Int = 0,
    problems: [DataError] = []
  ) {
    self.columns = columns
    self.groups = groups
    self.rows = groups.map(ResultRow.init(group:))
    self.aggregate = aggregate
    self.rowsRead = rowsRead
    self.rowsMatched = rowsMatched
    self.rowsSkipped = rowsSkipped
    self.problems = problems
  }

  /// The unit of every group when they share one, else nil.
  public var unit: String? {
    let units = Set(groups.map(\.unit))
    return units.count == 1 ? units.first : nil
  }
}

/// A figure with how exact it is.
public struct Figure: Hashable, Sendable {
  /// nil when every value behind it is missing.
  public var value: Double?
  /// The number of values behind it.
  public var count: Int
  /// The source's word for how exact it is ("over", "around"), "" when exact.
  public var qualifier: String

  public init(value: Double?, count: Int = 0, qualifier: String = "") {
    self.value = value
    self.count = count
    self.qualifier = qualifier
  }
}

/// One row of a derived answer.
public struct ResultRow: Hashable, Sendable {
  public enum Kind: Hashable, Sendable {
    /// One group of the data.
    case group
    /// The groups a `top` left out, folded into one row.
    case other(folded: Int)
    /// The subtotal of a group of rows.
    case subtotal
    /// The total of every row.
    case total
  }

  public var kind: Kind
  /// The row's keys, one per group-by column; a folded row has the `otherLabel` at the cut
  /// position, subtotal and total rows their label at every position they add up.
  public var keys: [String]
  /// The row's group under `Derivation.group`, else nil.
  public var group: String?
  public var figure: Figure
  public var unit: String
  /// The figure for the compared value (`Query.comparison`); nil when the query compares nothing.
  public var previous: Figure?
  /// The share of the partition's total (`Derivation.share`).
  public var share: Double?
  /// The change (`Derivation.change`).
  public var change: Change?
  /// The rank (`Derivation.rank`).
  public var rank: Int?

  public init(
    kind: Kind, keys: [String], group: String? = nil, figure: Figure, unit: String, previous: Figure? = nil
  ) {
    self.kind = kind
    self.keys = keys
    self.group = group
    self.figure = figure
    self.unit = unit
    self.previous = previous
  }

  init(group: GroupedValue) {
    self.init(
      kind: .group, keys: group.keys, figure: Figure(value: group.value, count: group.count, qualifier: group.qualifier),
      unit: group.unit)
  }

  public var value: Double? { figure.value }
  /// Whether the row is one group of the data or folds several (not a subtotal or total).
  public var isData: Bool {
    switch kind {
    case .group, .other: true
    case .subtotal, .total: false
    }
  }
}
