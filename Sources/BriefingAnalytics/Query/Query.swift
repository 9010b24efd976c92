/// A group-by over tidy or any tabular data: which rows, grouped how, combined how.
///
/// ```swift
/// let query = Query(filters: [Filter("metric", equals: "funding")], groupBy: ["region"])
/// let result = try QueryEngine.run(query, files: ["seeds/panel.csv"])
/// ```
public struct Query: Hashable, Sendable {
  /// Every filter must pass; a column named in a filter must exist.
  public var filters: [Filter]
  /// The dimensions to group by, in order (none: one group of every row that passes).
  public var groupBy: [String]
  /// The measure column.
  public var value: String
  public var aggregate: Aggregate
  /// The column holding each value's unit; when the file has it, adding values in different
  /// units is an error and each group's unit comes back with it.
  public var unitColumn: String

  public init(filters: [Filter] = [], groupBy: [String] = [], value: String = "value", aggregate: Aggregate = .sum, unitColumn: String = "unit") {
    self.filters = filters
    self.groupBy = groupBy
    self.value = value
    self.aggregate = aggregate
    self.unitColumn = unitColumn
  }
}

/// How input files are read.
public struct ReadOptions: Hashable, Sendable {
  /// The kind of an input file.
  public enum Format: String, Hashable, Sendable, CaseIterable {
    case csv
    /// An array of flat records, or JSON Lines (one record per line).
    case json
  }

  /// nil: by the file's extension (`.json`, `.jsonl`, `.ndjson` are JSON; anything else CSV).
  public var format: Format?
  /// The CSV delimiter; nil picks `,`, `;` or tab from the header line.
  public var delimiter: UInt8?
  /// Numbers use a decimal comma (`1 600,5`); spaces between digit groups are allowed.
  public var decimalComma: Bool
  /// Renames columns as they are read: header name in the file → name used by the query.
  public var columnNames: [String: String]
  /// Skip and count bad rows instead of stopping at the first one.
  public var lenient: Bool
  /// Threads for a large CSV file (nil: one per core, at most 8).
  public var threads: Int?
  /// Bytes read at a time per thread (tests make it tiny to exercise record boundaries).
  public var chunkSize: Int

  public init(
    format: Format? = nil, delimiter: UInt8? = nil, decimalComma: Bool = false, columnNames: [String: String] = [:],
    lenient: Bool = false, threads: Int? = nil, chunkSize: Int = 4 << 20
  ) {
    self.format = format
    self.delimiter = delimiter
    self.decimalComma = decimalComma
    self.columnNames = columnNames
    self.lenient = lenient
    self.threads = threads
    self.chunkSize = chunkSize
  }

  func format(of path: String) -> Format {
    if let format { return format }
    let lowered = path.lowercased()
    return lowered.hasSuffix(".json") || lowered.hasSuffix(".jsonl") || lowered.hasSuffix(".ndjson") ? .json : .csv
  }
}

/// The answer to a query.
public struct QueryResult: Hashable, Sendable {
  /// The group-by columns, in the order asked for.
  public var columns: [String]
  /// The groups in order of first appearance in the input.
  public var groups: [GroupedValue]
  public var aggregate: Aggregate
  /// Data rows read (blank lines aside).
  public var rowsRead: Int
  /// Rows that passed the filters.
  public var rowsMatched: Int
  /// Rows skipped as bad in lenient mode.
  public var rowsSkipped: Int
  /// The first problems found in lenient mode (at most `QueryEngine.reportedProblems`).
  public var problems: [DataError]

  public init(
    columns: [String], groups: [GroupedValue], aggregate: Aggregate, rowsRead: Int, rowsMatched: Int, rowsSkipped: Int = 0,
    problems: [DataError] = []
  ) {
    self.columns = columns
    self.groups = groups
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
