import BriefingAnalytics

/// The rows a source reads — a table or a query — on an open database, with its real columns.
struct SQLiteRelation {
  let database: SQLiteDatabase
  /// What follows FROM: a quoted table name, or the user's query in parentheses.
  let from: String
  /// The relation in messages: “table “metrics”” or “query”.
  let context: String
  /// The SQL expression giving each row's position, for first-appearance order.
  let rowOrder: String
  /// The row's position in messages about one row: "rowid" or "row".
  let rowLabel: String
  /// The column names queries use (after renaming), in order.
  let header: [String]
  /// Query name → quoted identifier of the real column.
  private let identifiers: [String: String]

  /// A table or view; its name must be one the database has (case aside, as in SQL).
  init(database: SQLiteDatabase, table: String, columnNames: [String: String]) throws(DataError) {
    let context = "table “\(table)”"
    let tables = try database.tables(context: context)
    guard let found = tables.first(where: { $0.name == table }) ?? tables.first(where: { $0.name.lowercased() == table.lowercased() }) else {
      let list = tables.isEmpty ? "the database has no tables" : "tables: \(tables.map(\.name).joined(separator: ", "))"
      throw .database(file: database.file, detail: "\(context) not found (\(list))")
    }
    let from = SQLiteDatabase.quote(found.name)
    // A plain table keeps its insertion order in rowid; a view or WITHOUT ROWID table has none.
    let hasRowid = found.type == "table" && (try? database.prepare("SELECT rowid FROM \(from) LIMIT 0", context: context)) != nil
    try self.init(
      database: database, from: from, context: context, rowOrder: hasRowid ? "rowid" : "ROW_NUMBER() OVER ()",
      rowLabel: hasRowid ? "rowid" : "row", columnNames: columnNames)
  }

  /// The rows of a user's `SELECT` (a trailing semicolon is allowed).
  init(database: SQLiteDatabase, query: String, columnNames: [String: String]) throws(DataError) {
    var text = Substring(query)
    while let last = text.last, last == ";" || last.isWhitespace { text.removeLast() }
    // On lines of their own, so a trailing `--` comment cannot swallow the parenthesis.
    try self.init(
      database: database, from: "(\n\(text)\n)", context: "query", rowOrder: "ROW_NUMBER() OVER ()", rowLabel: "row",
      columnNames: columnNames)
  }

  private init(
    database: SQLiteDatabase, from: String, context: String, rowOrder: String, rowLabel: String, columnNames: [String: String]
  ) throws(DataError) {
    self.database = database
    self.from = from
    self.context = context
    self.rowOrder = rowOrder
    self.rowLabel = rowLabel
    let statement = try database.prepare("SELECT * FROM \(from) LIMIT 0", context: context)
    var header: [String] = []
    var identifiers: [String: String] = [:]
    for real in statement.columnNames {
      let name = columnNames[real] ?? real
      guard identifiers[name] == nil else {
        throw .database(file: database.file, detail: "\(context): the column “\(name)” appears twice")
      }
      identifiers[name] = SQLiteDatabase.quote(real)
      header.append(name)
    }
    self.header = header
    self.identifiers = identifiers
  }

  /// The quoted identifier of a column the query names.
  func column(_ name: String) throws(DataError) -> String {
    guard let identifier = identifiers[name] else {
      throw .database(
        file: database.file,
        detail: "\(context) has no column “\(name)” (columns: \(header.map { "“\($0)”" }.joined(separator: ", ")))")
    }
    return identifier
  }

  /// A column as the text a key or filter compares: an INTEGER 2025 is "2025", NULL is "".
  func keyExpression(_ name: String) throws(DataError) -> String {
    "COALESCE(CAST(\(try column(name)) AS TEXT), '')"
  }

  /// A unit or qualifier column as text; "" for every row when the relation lacks it.
  func optionalKeyExpression(_ name: String) throws(DataError) -> String {
    identifiers[name] == nil ? "''" : try keyExpression(name)
  }

  /// Checks a value column before aggregating: whether it holds numbers as text (to be read by
  /// `briefing_number`). Text that is not a number, a blob or an infinite real is an error
  /// naming the row.
  func hasTextNumbers(in name: String) throws(DataError) -> Bool {
    let value = try column(name)
    let statement = try database.prepare(
      """
      SELECT r, t, x FROM (SELECT \(rowOrder) AS r, typeof(\(value)) AS t, CAST(\(value) AS TEXT) AS x, \(value) AS v FROM \(from)) \
      WHERE t IN ('text', 'blob') OR (t = 'real' AND abs(v) > 1.7976931348623157e308)
      """, context: context)
    var sawText = false
    while try statement.step() {
      let found = statement.text(2)
      let problem: String
      switch statement.text(1) {
      case "text":
        switch NumberText.read(found) {
        case .missing, .number:
          sawText = true
          continue
        case .invalid: problem = "expected a number, found “\(found)”"
        case .nonFinite: problem = "expected a finite number, found “\(found)”"
        }
      case "blob": problem = "expected a number, found a blob"
      default: problem = "expected a finite number, found “\(found)”"
      }
      throw .database(file: database.file, detail: "\(context), column “\(name)”, \(rowLabel) \(statement.integer(0)): \(problem)")
    }
    return sawText
  }

  /// The number of rows.
  func rowCount() throws(DataError) -> Int {
    let statement = try database.prepare("SELECT COUNT(*) FROM \(from)", context: context)
    guard try statement.step() else { return 0 }
    return statement.integer(0)
  }
}

/// The WHERE clause of a query, with the values it binds.
struct SQLitePlan {
  let relation: SQLiteRelation
  /// The values for the clause's parameters, in order.
  private(set) var bindings: [SQLiteValue] = []

  init(relation: SQLiteRelation) {
    self.relation = relation
  }

  /// Every filter as SQL ("1" when there is none). Equality compares text byte for byte; a range
  /// calls `briefing_in_range`, which is `Filter.matches` itself.
  mutating func whereClause(_ filters: [Filter]) throws(DataError) -> String {
    var conditions: [String] = []
    for filter in filters {
      let key = try relation.keyExpression(filter.dimension)
      switch filter.predicate {
      case .oneOf(let values), .noneOf(let values):
        let negated: Bool = if case .noneOf = filter.predicate { true } else { false }
        guard !values.isEmpty else {
          conditions.append(negated ? "1" : "0")
          continue
        }
        let sorted = values.sorted()
        bindings += sorted.map(SQLiteValue.text)
        conditions.append("\(key) \(negated ? "NOT IN" : "IN") (\(sorted.map { _ in "?" }.joined(separator: ", ")))")
      case .range(let lower, let upper):
        bindings += [lower.map(SQLiteValue.text) ?? .null, upper.map(SQLiteValue.text) ?? .null]
        conditions.append("briefing_in_range(\(key), ?, ?)")
      }
    }
    return conditions.isEmpty ? "1" : conditions.map { "(\($0))" }.joined(separator: " AND ")
  }
}
