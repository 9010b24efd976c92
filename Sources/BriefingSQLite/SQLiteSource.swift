public import BriefingAnalytics

/// A table (or the rows of a query) in an SQLite database, answering queries in SQL.
///
/// Filters, grouping and the aggregate run inside SQLite; each group comes back as partial
/// aggregates per unit and qualifier and `GroupCombiner` makes its figure, so the answers are the
/// ones the file engine gives for the same rows. Column names are checked against the table's
/// real columns and quoted; values are always bound, never written into the SQL.
///
/// ```swift
/// let source = SQLiteSource(path: "stats.sqlite", table: "metrics", query: nil)
/// let result = try source.run(Query(filters: [Filter("metric", equals: "funding")], groupBy: ["region"]))
/// ```
///
/// Key columns are compared and grouped as text (an INTEGER 2025 reads as "2025", NULL as "").
/// The value column may hold integers, reals, NULL, and text that is a plain number (`.` decimal)
/// or blank; any other text is an error naming its row.
public struct SQLiteSource: DataSource, Sendable {
  /// The database file.
  public var path: String
  /// The table or view to read, when the source is a table.
  public var table: String?
  /// A `SELECT` whose rows are the data, when the source is a query.
  public var query: String?
  /// Renames columns: name in the database → name used by queries.
  public var columnNames: [String: String]
  /// How long to wait for another connection's write lock, in milliseconds.
  public var busyTimeout: Int = 5000

  /// A source reading `table` or the rows of `query` (exactly one of them) from the database at `path`.
  public init(path: String, table: String?, query: String?, columnNames: [String: String] = [:]) {
    self.path = path
    self.table = table
    self.query = query
    self.columnNames = columnNames
  }

  /// Whether `path` names an SQLite database by its extension (`.sqlite`, `.sqlite3`, `.db`).
  public static func looksLikeDatabase(_ path: String) -> Bool {
    let lowered = path.lowercased()
    return [".sqlite", ".sqlite3", ".db"].contains { lowered.hasSuffix($0) }
  }

  public var name: String {
    if let table { "\(path), table “\(table)”" } else { "\(path), query" }
  }

  public func aggregate(_ query: Query) throws(DataError) -> QueryResult {
    let relation = try open()
    // One read transaction: the value check, the groups and the row count see the same rows
    // even while another connection writes (it ends when the connection closes).
    try relation.database.execute("BEGIN", context: relation.context)
    var plan = SQLitePlan(relation: relation)
    let filter = try plan.whereClause(query.filters)
    let keys = try query.groupBy.map { (column) throws(DataError) in try relation.keyExpression(column) }
    let value = try relation.column(query.value)
    var combiner = GroupCombiner(aggregate: query.aggregate)
    var matched = 0
    let keyColumns = keys.enumerated().map { "\($1) AS k\($0)" }
    let keyNames = keys.indices.map { "k\($0)" }
    if query.aggregate.isNumeric {
      let number = try relation.hasTextNumbers(in: query.value) ? "briefing_number(\(value))" : value
      let unit = try relation.optionalKeyExpression(query.unitColumn)
      let qualifier = try relation.optionalKeyExpression(query.qualifierColumn)
      let inner =
        "SELECT \((keyColumns + ["\(unit) AS u", "\(qualifier) AS q", "\(number) AS n", "\(relation.rowOrder) AS r"]).joined(separator: ", ")) FROM \(relation.from) WHERE \(filter)"
      let groups = (keyNames + ["u", "q"]).joined(separator: ", ")
      let sql =
        "SELECT \(groups), briefing_sum(n), COUNT(n), MIN(n), MAX(n), COUNT(*) FROM (\(inner)) GROUP BY \(groups) ORDER BY MIN(r)"
      let statement = try relation.database.prepare(sql, context: relation.context)
      try statement.bind(plan.bindings)
      let k = Int32(keys.count)
      while try statement.step() {
        let count = statement.integer(k + 3)
        let groupKeys = (0..<k).map(statement.text)
        for (column, key) in zip(query.groupBy, groupKeys) {
          if let error = DataError.controlCharacter(in: key, column: column, file: path, table: relation.context) { throw error }
        }
        combiner.add(
          keys: groupKeys, unit: statement.text(k), qualifier: statement.text(k + 1),
          sum: statement.double(k + 2), count: count, minimum: statement.double(k + 4), maximum: statement.double(k + 5))
        matched += statement.integer(k + 6)
      }
    } else {
      // A count takes any non-empty value; count_distinct compares values as text.
      let present = "NULLIF(CAST(\(value) AS TEXT), '')"
      let inner =
        "SELECT \((keyColumns + ["\(present) AS n", "\(relation.rowOrder) AS r", "0 AS z"]).joined(separator: ", ")) FROM \(relation.from) WHERE \(filter)"
      let sql =
        "SELECT \((keyNames + ["COUNT(n)", "COUNT(DISTINCT n)", "COUNT(*)"]).joined(separator: ", ")) FROM (\(inner)) GROUP BY \((["z"] + keyNames).joined(separator: ", ")) ORDER BY MIN(r)"
      let statement = try relation.database.prepare(sql, context: relation.context)
      try statement.bind(plan.bindings)
      let k = Int32(keys.count)
      while try statement.step() {
        let keys = (0..<k).map(statement.text)
        let count = statement.integer(k)
        if query.aggregate == .countDistinct {
          combiner.add(keys: keys, distinct: statement.integer(k + 1), count: count)
        } else {
          // A count has no unit, as in the file engine.
          combiner.add(keys: keys, unit: "", qualifier: "", sum: Double(count), count: count, minimum: 0, maximum: 0)
        }
        matched += statement.integer(k + 2)
      }
    }
    return QueryResult(
      columns: query.groupBy, groups: try combiner.groups(), aggregate: query.aggregate, rowsRead: try relation.rowCount(),
      rowsMatched: matched)
  }

  /// The distinct values of `column` as text, in order of first appearance.
  public func values(of column: String) throws(DataError) -> [String] {
    let relation = try open()
    let key = try relation.keyExpression(column)
    let statement = try relation.database.prepare(
      "SELECT k FROM (SELECT \(key) AS k, \(relation.rowOrder) AS r FROM \(relation.from)) GROUP BY k ORDER BY MIN(r)",
      context: relation.context)
    var values: [String] = []
    while try statement.step() {
      let value = statement.text(0)
      if let error = DataError.controlCharacter(in: value, column: column, file: path, table: relation.context) { throw error }
      values.append(value)
    }
    return values
  }

  public func columns() throws(DataError) -> [String] {
    try open().header
  }

  /// Opens the database read-only and resolves the table or query and its columns.
  func open() throws(DataError) -> SQLiteRelation {
    let database = try SQLiteDatabase(path: path, mode: .readOnly(busyTimeout: Int32(clamping: busyTimeout)))
    switch (table, query) {
    case (let table?, nil):
      return try SQLiteRelation(database: database, table: table, columnNames: columnNames)
    case (nil, let query?):
      return try SQLiteRelation(database: database, query: query, columnNames: columnNames)
    default:
      throw .invalidOption("\(path): name either a table or a query to read, not \(table == nil ? "neither" : "both")")
    }
  }
}
