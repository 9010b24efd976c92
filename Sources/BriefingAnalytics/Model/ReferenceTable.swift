/// A small lookup table read from CSV, such as seeds/regions.csv: rows of named columns.
public struct ReferenceTable: Sendable {
  public var header: [String]
  public var rows: [[String: String]]

  public init(header: [String], rows: [[String: String]]) {
    self.header = header
    self.rows = rows
  }

  /// Loads a CSV (or JSON) file whose first row names the columns.
  public static func load(csv path: String, options: ReadOptions = ReadOptions()) throws(DataError) -> ReferenceTable {
    var header: [String] = []
    var rows: [[String: String]] = []
    try TableReader.read(
      path, options: options, header: { (names) throws(DataError) in header = names },
      row: { (row) throws(DataError) in rows.append(Dictionary(uniqueKeysWithValues: zip(header, row.fields))) })
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
