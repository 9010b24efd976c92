/// A small lookup table read from CSV, such as seeds/regions.csv: rows of named columns.
public struct ReferenceTable: Sendable {
  public var header: [String]
  public var rows: [[String: String]]

  public init(header: [String], rows: [[String: String]]) {
    self.header = header
    self.rows = rows
  }

  /// Loads a CSV file whose first row names the columns.
  public static func load(csv path: String) throws(DataError) -> ReferenceTable {
    let bytes = try CSVReader.contents(of: path)
    var header: [String] = []
    var rows: [[String: String]] = []
    try CSVReader(file: path).forEachRecord(in: bytes) { (record: CSVReader.Record) throws(DataError) in
      if header.isEmpty {
        header = record.fields.map { $0.trimmingSpaces() }
        return
      }
      guard record.fields.count == header.count else {
        throw .wrongFieldCount(
          SourceLocation(file: path, line: record.line, column: record.columns.last ?? 1), expected: header.count,
          found: record.fields.count)
      }
      rows.append(Dictionary(uniqueKeysWithValues: zip(header, record.fields)))
    }
    guard !header.isEmpty else { throw .emptyFile(file: path) }
    return ReferenceTable(header: header, rows: rows)
  }

  /// The values of one column, in file order.
  public func column(_ name: String) -> [String] {
    rows.compactMap { $0[name] }
  }

  /// Maps each value of `key` to the value of `value` in the same row.
  public func mapping(from key: String, to value: String) -> [String: String] {
    var result: [String: String] = [:]
    for row in rows {
      if let k = row[key], let v = row[value], !v.isEmpty { result[k] = v }
    }
    return result
  }
}
