public import BriefingAnalytics
internal import Foundation

/// Copies tidy CSV or JSON files into a table of an SQLite database.
///
/// Every column is TEXT except `value`, which is REAL (an empty value is NULL; a value that is not
/// a number stops the import with its file, line and column). The files go in one transaction
/// into a copy of the database written beside it, which replaces the target only when complete:
/// a failed import leaves the target as it was, or absent.
///
/// ```swift
/// let summary = try SQLiteImporter(table: "metrics").run(files: ["seeds/panel.csv"], into: "stats.sqlite")
/// ```
public struct SQLiteImporter: Sendable {
  /// What an import did.
  public struct Summary: Hashable, Sendable, CustomStringConvertible {
    public var rows: Int
    public var table: String
    public var file: String

    public var description: String {
      "imported \(rows) row\(rows == 1 ? "" : "s") into table “\(table)” of \(file)"
    }
  }

  /// The table to create.
  public var table: String
  /// Drop a table of that name first, instead of refusing.
  public var replace: Bool
  /// How the input files are read (format, delimiter, decimal comma, column names).
  public var options: ReadOptions

  public init(table: String = "metrics", replace: Bool = false, options: ReadOptions = ReadOptions()) {
    self.table = table
    self.replace = replace
    self.options = options
  }

  /// The measure column, stored as REAL.
  static let valueColumn = "value"

  /// Imports `files`, in order, into the database at `target` (created when absent).
  public func run(files: [String], into target: String) throws(DataError) -> Summary {
    guard !files.isEmpty else { throw .invalidOption("no input file given") }
    guard !table.isEmpty else { throw .invalidOption("the table name is empty") }
    let exists = try Self.checkTarget(target)
    let temporary = Self.temporaryPath(beside: target)
    do {
      if exists { try copyExisting(target, to: temporary) }
      let rows = try fill(temporary, from: files, target: target)
      try Self.moveIntoPlace(temporary, target)
      return Summary(rows: rows, table: table, file: target)
    } catch {
      try? FileManager.default.removeItem(atPath: temporary)
      for suffix in ["-journal", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: temporary + suffix) }
      throw error
    }
  }

  /// Whether the target exists; refuses anything there that is not a regular file.
  private static func checkTarget(_ target: String) throws(DataError) -> Bool {
    try OutputTarget.check(target)
    return FileManager.default.fileExists(atPath: target)
  }

  private static func temporaryPath(beside target: String) -> String {
    let url = URL(fileURLWithPath: target)
    return url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp").path
  }

  /// Copies the existing database with `VACUUM INTO` (a consistent copy, even while it is written),
  /// refusing first when the table exists and `replace` is off.
  private func copyExisting(_ target: String, to temporary: String) throws(DataError) {
    let database = try SQLiteDatabase(path: target, mode: .readOnly(busyTimeout: 5000))
    let context = "table “\(table)”"
    let tables = try database.tables(context: context)
    if !replace, let found = tables.first(where: { $0.name.lowercased() == table.lowercased() }) {
      throw .database(file: target, detail: "table “\(found.name)” already exists (use --replace to overwrite it)")
    }
    try database.execute("VACUUM INTO ?", [.text(temporary)], context: "copying the database")
  }

  /// Creates the table in `path` and writes every row of `files`; returns the number of rows.
  private func fill(_ path: String, from files: [String], target: String) throws(DataError) -> Int {
    let database = try SQLiteDatabase(path: path, mode: .readWriteCreate, name: target)
    let context = "table “\(table)”"
    let quoted = SQLiteDatabase.quote(table)
    try database.execute("BEGIN", context: "starting the import")
    if replace {
      let existing = try database.tables(context: context).filter { $0.name.lowercased() == table.lowercased() }
      for found in existing {
        try database.execute("DROP \(found.type == "view" ? "VIEW" : "TABLE") \(SQLiteDatabase.quote(found.name))", context: context)
      }
    }
    var columns: [String] = []
    var rows = 0
    for file in files {
      var insert: SQLiteStatement? = nil
      var order: [String] = []
      var valueIndex: Int? = nil
      let decimalComma = options.decimalComma
      try TableReader.read(
        file, options: options,
        header: { (names) throws(DataError) in
          if columns.isEmpty {
            try database.execute(
              "CREATE TABLE \(quoted) (\(names.map { "\(SQLiteDatabase.quote($0)) \($0 == Self.valueColumn ? "REAL" : "TEXT")" }.joined(separator: ", ")))",
              context: context)
            columns = names
          }
          // A later file may bring new columns (earlier rows read them as empty) or lack some.
          for name in names where !columns.contains(name) {
            let type = name == Self.valueColumn ? "REAL" : "TEXT DEFAULT ''"
            try database.execute("ALTER TABLE \(quoted) ADD COLUMN \(SQLiteDatabase.quote(name)) \(type)", context: context)
            columns.append(name)
          }
          order = names + columns.filter { !names.contains($0) }
          insert = try database.prepare(
            "INSERT INTO \(quoted) (\(order.map(SQLiteDatabase.quote).joined(separator: ", "))) VALUES (\(order.map { _ in "?" }.joined(separator: ", ")))",
            context: context)
          valueIndex = names.firstIndex(of: Self.valueColumn)
        },
        row: { (row) throws(DataError) in
          guard let insert else { return }
          var values: [SQLiteValue] = []
          values.reserveCapacity(columns.count)
          for (index, text) in row.fields.enumerated() {
            guard index == valueIndex else {
              values.append(.text(text))
              continue
            }
            let at = index < row.locations.count ? row.locations[index] : SourceLocation(file: file, line: row.line, column: 1)
            switch NumberText.read(text, decimalComma: decimalComma) {
            case .missing: values.append(.null)
            case .number(let number): values.append(.double(number))
            case .invalid: throw .invalidNumber(at, column: Self.valueColumn, found: text)
            case .nonFinite: throw .nonFiniteNumber(at, column: Self.valueColumn, found: text)
            }
          }
          // Columns this file lacks (and fields a short JSON record left out) are empty.
          while values.count < order.count {
            values.append(order[values.count] == Self.valueColumn ? .null : .text(""))
          }
          insert.reset()
          try insert.bind(values)
          _ = try insert.step()
          rows += 1
        })
      if columns.isEmpty { throw .emptyFile(file: file) }
    }
    try database.execute("COMMIT", context: "finishing the import")
    return rows
  }

  /// Renames the finished copy over the target (atomic within one file system).
  private static func moveIntoPlace(_ temporary: String, _ target: String) throws(DataError) {
    guard rename(temporary, target) == 0 else {
      throw .unwritable(file: target, reason: String(cString: strerror(errno)))
    }
  }
}
