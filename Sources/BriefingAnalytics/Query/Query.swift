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
  /// The column holding the source's word for how exact each value is ("over", "around"; see
  /// `Qualifier`); a file without it holds exact figures.
  public var qualifierColumn: String
  /// The same question for another value of a filtered dimension (an earlier period): each row of
  /// the answer carries that value's figure as `previous`.
  public var comparison: Comparison?
  /// What to derive from the groups, in order: sort, top N, subtotals, total, share, change, rank.
  public var derivations: [Derivation]

  public init(
    filters: [Filter] = [], groupBy: [String] = [], value: String = "value", aggregate: Aggregate = .sum,
    unitColumn: String = "unit", qualifierColumn: String = "qualifier", comparison: Comparison? = nil,
    derivations: [Derivation] = []
  ) {
    self.filters = filters
    self.groupBy = groupBy
    self.value = value
    self.aggregate = aggregate
    self.unitColumn = unitColumn
    self.qualifierColumn = qualifierColumn
    self.comparison = comparison
    self.derivations = derivations
  }

  /// Every column the query reads besides the value, unit and qualifier: filters and groups.
  public var dimensions: [String] {
    var seen: [String] = []
    for name in filters.map(\.dimension) + groupBy + [comparison?.dimension].compactMap({ $0 }) where !seen.contains(name) {
      seen.append(name)
    }
    return seen
  }
}

/// Another value of one dimension to compare with (`period` 2024 against the query's 2025).
public struct Comparison: Hashable, Sendable {
  /// The dimension; the query must filter it to exactly one value.
  public var dimension: String
  /// The value to compare with.
  public var value: String

  public init(dimension: String, value: String) {
    self.dimension = dimension
    self.value = value
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

  /// The delimiter as layouts and the command line name it: `,`, `;` or `tab` (also a tab
  /// character or `\t`); nil for any other text.
  public static func delimiter(named name: String) -> UInt8? {
    switch name {
    case ",": UInt8(ascii: ",")
    case ";": UInt8(ascii: ";")
    case "tab", "\\t", "\t": UInt8(ascii: "\t")
    default: nil
    }
  }

  func format(of path: String) -> Format {
    if let format { return format }
    let lowered = path.lowercased()
    return lowered.hasSuffix(".json") || lowered.hasSuffix(".jsonl") || lowered.hasSuffix(".ndjson") ? .json : .csv
  }
}

