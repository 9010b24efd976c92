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

  /// Loads a tidy CSV or JSON file (docs/data-format.md); strict unless `options.lenient`.
  public static func load(_ path: String, options: ReadOptions = ReadOptions()) throws(DataError) -> Dataset {
    var builder = Builder(file: path, options: options)
    try TableReader.read(path, options: options, header: { (names) throws(DataError) in try builder.start(names) }, row: { (row) throws(DataError) in try builder.add(row) })
    return Dataset(observations: builder.observations)
  }

  /// Loads a tidy CSV file.
  public static func load(csv path: String, delimiter: UInt8? = nil) throws(DataError) -> Dataset {
    try load(path, options: ReadOptions(format: .csv, delimiter: delimiter))
  }

  /// Parses tidy CSV or JSON bytes; `file` names the source in errors.
  public static func parse(csv bytes: [UInt8], file: String, options: ReadOptions = ReadOptions(format: .csv)) throws(DataError) -> Dataset {
    var builder = Builder(file: file, options: options)
    try TableReader.read(
      bytes: bytes, name: file, options: options, header: { (names) throws(DataError) in try builder.start(names) },
      row: { (row) throws(DataError) in try builder.add(row) })
    return Dataset(observations: builder.observations)
  }

  /// Turns rows into observations.
  private struct Builder {
    let file: String
    let numbers: NumberScanner
    var header: [String] = []
    var index: [String: Int] = [:]
    var observations: [Observation] = []

    init(file: String, options: ReadOptions) {
      self.file = file
      numbers = NumberScanner(decimalMark: options.decimalComma ? 0x2C : 0x2E)
    }

    mutating func start(_ names: [String]) throws(DataError) {
      header = names
      for (position, name) in names.enumerated() { index[name] = position }
      for column in requiredColumns where index[column] == nil {
        throw .missingColumn(file: file, column: column, header: names)
      }
    }

    mutating func add(_ row: TableRow) throws(DataError) {
      func field(_ name: String) -> String {
        index[name].map { $0 < row.fields.count ? row.fields[$0] : "" } ?? ""
      }
      let valueIndex = index["value"] ?? Int.max  // the header was checked to have it
      let valueText = valueIndex < row.fields.count ? row.fields[valueIndex] : ""
      let at = valueIndex < row.locations.count ? row.locations[valueIndex] : SourceLocation(file: file, line: row.line, column: 1)
      var bytes = Array(valueText.utf8)
      let count = bytes.count
      bytes += Array(repeating: 0, count: wordPadding)
      let outcome = bytes.withUnsafeBufferPointer { buffer in buffer.baseAddress.map { numbers.scan(ByteSpan(base: $0, count: count)) } ?? .missing }
      let value: Double?
      switch outcome {
      case .missing: value = nil
      case .number(let v): value = v
      case .invalid: throw .invalidNumber(at, column: "value", found: valueText)
      case .nonFinite: throw .nonFiniteNumber(at, column: "value", found: valueText)
      }
      var extra: [String: String] = [:]
      for (position, name) in header.enumerated() where !requiredColumns.contains(name) && !optionalColumns.contains(name) {
        extra[name] = position < row.fields.count ? row.fields[position] : ""
      }
      let status = field("status")
      observations.append(Observation(
        region: field("region"), programme: field("programme"), period: field("period"), metric: field("metric"),
        value: value, unit: field("unit"), status: status.isEmpty ? "actual" : status, qualifier: field("qualifier"),
        source: field("source"), quote: field("quote"), extra: extra, line: row.line))
    }
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
