/// Tidy observations loaded from one or more files.
public struct Dataset: Sendable {
  public var observations: [Observation]

  public init(observations: [Observation]) {
    self.observations = observations
  }

  /// The columns a tidy file must have.
  public static let requiredColumns = ["region", "programme", "period", "metric", "value", "unit"]
  /// Tidy columns that may be left out.
  public static let optionalColumns = ["status", "qualifier", "source", "quote"]

  /// Loads a tidy CSV file (docs/data-format.md); strict: the first bad row is an error.
  public static func load(csv path: String, delimiter: UInt8? = nil) throws(DataError) -> Dataset {
    let bytes = try CSVReader.contents(of: path)
    return try parse(csv: bytes, file: path, delimiter: delimiter)
  }

  /// Parses tidy CSV bytes; `file` names the source in errors.
  public static func parse(csv bytes: [UInt8], file: String, delimiter: UInt8? = nil) throws(DataError) -> Dataset {
    let reader = CSVReader(file: file, delimiter: delimiter)
    var header: [String] = []
    var index: [String: Int] = [:]
    var observations: [Observation] = []
    var sawHeader = false
    try reader.forEachRecord(in: bytes) { (record: CSVReader.Record) throws(DataError) in
      if !sawHeader {
        sawHeader = true
        header = record.fields.map { $0.trimmingSpaces() }
        for (position, name) in header.enumerated() {
          if index[name] != nil {
            throw .duplicateColumn(SourceLocation(file: file, line: record.line, column: record.columns[position]), column: name)
          }
          index[name] = position
        }
        for column in requiredColumns where index[column] == nil {
          throw .missingColumn(file: file, column: column, header: header)
        }
        return
      }
      guard record.fields.count == header.count else {
        let at = record.columns.count > header.count ? record.columns[header.count] : (record.columns.last ?? 1)
        throw .wrongFieldCount(SourceLocation(file: file, line: record.line, column: at), expected: header.count, found: record.fields.count)
      }
      func field(_ name: String) -> String {
        index[name].map { record.fields[$0] } ?? ""
      }
      let valueIndex = index["value"] ?? 0
      let location = SourceLocation(file: file, line: record.line, column: record.columns[valueIndex])
      let value = try NumberParser.parse(record.fields[valueIndex], at: location, column: "value")
      var extra: [String: String] = [:]
      for (position, name) in header.enumerated() where !requiredColumns.contains(name) && !optionalColumns.contains(name) {
        extra[name] = record.fields[position]
      }
      let status = field("status")
      observations.append(Observation(
        region: field("region"), programme: field("programme"), period: field("period"), metric: field("metric"),
        value: value, unit: field("unit"), status: status.isEmpty ? "actual" : status, qualifier: field("qualifier"),
        source: field("source"), quote: field("quote"), extra: extra, line: record.line))
    }
    guard sawHeader else { throw .emptyFile(file: file) }
    return Dataset(observations: observations)
  }

  /// The distinct values of a dimension, in order of first appearance.
  public func values(of dimension: String) -> [String] {
    var seen: Set<String> = []
    var ordered: [String] = []
    for observation in observations {
      if let value = observation[dimension: dimension], seen.insert(value).inserted { ordered.append(value) }
    }
    return ordered
  }
}

extension String {
  func trimmingSpaces() -> String {
    var s = Substring(self)
    while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
    while let l = s.last, l == " " || l == "\t" { s.removeLast() }
    return String(s)
  }
}
