internal import CSQLite
internal import Foundation
import BriefingAnalytics

/// An open SQLite database: owns the connection and closes it when this object goes.
///
/// Every failure becomes a `DataError.database` naming the file and what was being done (a table,
/// a column, the user's query), with SQLite's own words ("database is locked", "file is not a
/// database"). The functions Briefing's SQL needs (`briefing_sum`, `briefing_in_range`,
/// `briefing_number`) are registered on every connection.
final class SQLiteDatabase {
  /// How the file is opened.
  enum Mode {
    /// Reads only; waits up to `busyTimeout` milliseconds for another connection's write lock.
    case readOnly(busyTimeout: Int32)
    /// Reads and writes, creating the file when it does not exist.
    case readWriteCreate
  }

  /// The file as named in messages.
  let file: String
  let handle: OpaquePointer

  /// Opens `path`; a missing file is an error in read-only mode. `name` stands for the file in
  /// messages (the target of an import being written under a temporary name).
  init(path: String, mode: Mode, name: String? = nil) throws(DataError) {
    file = name ?? path
    if case .readOnly = mode, !FileManager.default.fileExists(atPath: path) {
      throw .database(file: file, detail: "cannot open the database: no such file")
    }
    let flags: Int32 =
      switch mode {
      case .readOnly: SQLITE_OPEN_READONLY
      case .readWriteCreate: SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
      }
    var opened: OpaquePointer? = nil
    let code = sqlite3_open_v2(path, &opened, flags, nil)
    guard let opened else {
      throw .database(file: file, detail: "cannot open the database: out of memory")
    }
    guard code == SQLITE_OK else {
      let message = String(cString: sqlite3_errmsg(opened))
      sqlite3_close_v2(opened)
      throw .database(file: file, detail: "cannot open the database: \(message)")
    }
    handle = opened
    if case .readOnly(let timeout) = mode { sqlite3_busy_timeout(handle, timeout) }
    SQLiteFunctions.register(on: handle)
  }

  deinit {
    // Statements hold this object, so none is left to finalize here.
    sqlite3_close_v2(handle)
  }

  /// Compiles one statement; `context` says what it is for in messages ("table “metrics”").
  func prepare(_ sql: String, context: String) throws(DataError) -> SQLiteStatement {
    var statement: OpaquePointer? = nil
    let code = sqlite3_prepare_v2(handle, sql, -1, &statement, nil)
    guard code == SQLITE_OK, let statement else {
      if let statement { sqlite3_finalize(statement) }
      throw failure(context: context)
    }
    return SQLiteStatement(database: self, handle: statement, context: context)
  }

  /// Runs a statement that returns no rows of interest (`BEGIN`, `CREATE TABLE`, …).
  func execute(_ sql: String, _ values: [SQLiteValue] = [], context: String) throws(DataError) {
    let statement = try prepare(sql, context: context)
    try statement.bind(values)
    while try statement.step() {}
  }

  /// The error SQLite reports for the last call on this connection.
  func failure(context: String) -> DataError {
    let message = String(cString: sqlite3_errmsg(handle))
    return .database(file: file, detail: context.isEmpty ? message : "\(context): \(message)")
  }

  /// The tables and views (name and type), sorted by name; `context` names what they are read for.
  func tables(context: String) throws(DataError) -> [(name: String, type: String)] {
    let statement = try prepare(
      "SELECT name, type FROM sqlite_schema WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
      context: context)
    var tables: [(name: String, type: String)] = []
    while try statement.step() { tables.append((statement.text(0), statement.text(1))) }
    return tables
  }

  /// Quotes an identifier for SQL: in double quotes, with any double quote doubled.
  static func quote(_ identifier: String) -> String {
    "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }
}

/// A value bound to a statement parameter.
enum SQLiteValue: Hashable {
  case text(String)
  case double(Double)
  case integer(Int)
  case null
}

/// A compiled statement; finalized when this object goes. It holds its database, so the
/// connection outlives it.
final class SQLiteStatement {
  let database: SQLiteDatabase
  let handle: OpaquePointer
  /// What the statement is for, in messages.
  let context: String

  init(database: SQLiteDatabase, handle: OpaquePointer, context: String) {
    self.database = database
    self.handle = handle
    self.context = context
  }

  deinit {
    sqlite3_finalize(handle)
  }

  /// Binds `values` to the parameters in order (SQLite copies text before returning).
  func bind(_ values: [SQLiteValue]) throws(DataError) {
    for (offset, value) in values.enumerated() {
      let index = Int32(offset + 1)
      let code: Int32 =
        switch value {
        case .text(let text): sqlite3_bind_text(handle, index, text, -1, CSQLite_transient())
        case .double(let number): sqlite3_bind_double(handle, index, number)
        case .integer(let number): sqlite3_bind_int64(handle, index, sqlite3_int64(number))
        case .null: sqlite3_bind_null(handle, index)
        }
      guard code == SQLITE_OK else { throw database.failure(context: context) }
    }
  }

  /// Clears the bindings and rewinds, to run again with new values.
  func reset() {
    sqlite3_reset(handle)
    sqlite3_clear_bindings(handle)
  }

  /// Advances to the next row: true when there is one, false when the statement is done.
  func step() throws(DataError) -> Bool {
    switch sqlite3_step(handle) {
    case SQLITE_ROW: return true
    case SQLITE_DONE: return false
    default:
      let error = database.failure(context: context)
      // Leaves the statement reusable and the connection's error message intact above.
      sqlite3_reset(handle)
      throw error
    }
  }

  /// The names of the result columns.
  var columnNames: [String] {
    (0..<sqlite3_column_count(handle)).map { column in
      sqlite3_column_name(handle, column).map { String(cString: $0) } ?? ""
    }
  }

  /// A column of the current row as text; NULL reads as "".
  func text(_ column: Int32) -> String {
    guard let bytes = sqlite3_column_text(handle, column) else { return "" }
    let count = Int(sqlite3_column_bytes(handle, column))
    return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
  }

  func double(_ column: Int32) -> Double { sqlite3_column_double(handle, column) }

  func integer(_ column: Int32) -> Int { Int(sqlite3_column_int64(handle, column)) }

  func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }
}
