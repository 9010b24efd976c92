/// CSV and JSON files read in a stream for every query (`QueryEngine`): memory grows with the
/// number of groups, not of rows. The source for large exports and one-off questions.
public struct FileSource: DataSource, Sendable {
  /// The files, in order, each with how to read it.
  public var inputs: [(path: String, options: ReadOptions)]

  /// Files read with the same options.
  public init(files: [String], options: ReadOptions = ReadOptions()) {
    inputs = files.map { ($0, options) }
  }

  /// Files each read with its own options.
  public init(files: [(path: String, options: ReadOptions)]) {
    inputs = files
  }

  public var name: String { inputs.map(\.path).joined(separator: ", ") }

  public func aggregate(_ query: Query) throws(DataError) -> QueryResult {
    try QueryEngine.run(query, files: inputs)
  }

  /// The columns of every file, in order of first appearance.
  public func columns() throws(DataError) -> [String] {
    var names: [String] = []
    for (file, options) in inputs {
      let source = try ByteSource(path: file)
      let header: [String]
      switch options.format(of: file) {
      case .csv: header = try CSVStream.header(of: source, delimiter: options.delimiter, columnNames: options.columnNames).names
      case .json:
        var found: [String] = []
        try TableReader.read(source, options: options, header: { found = $0 }, row: { _ in })
        header = found
      }
      for name in header where !names.contains(name) { names.append(name) }
    }
    return names
  }

  public func values(of column: String) throws(DataError) -> [String] {
    var query = Query(groupBy: [column], aggregate: .count)
    query.value = column
    return try QueryEngine.run(query, files: inputs).groups.map { $0.keys[0] }
  }
}
