/// CSV and JSON files read in a stream for every query (`QueryEngine`): memory grows with the
/// number of groups, not of rows. The source for large exports and one-off questions.
public struct FileSource: DataSource, Sendable {
  public var files: [String]
  public var options: ReadOptions

  public init(files: [String], options: ReadOptions = ReadOptions()) {
    self.files = files
    self.options = options
  }

  public var name: String { files.joined(separator: ", ") }

  public func aggregate(_ query: Query) throws(DataError) -> QueryResult {
    try QueryEngine.run(query, files: files, options: options)
  }

  public func values(of column: String) throws(DataError) -> [String] {
    var query = Query(groupBy: [column], aggregate: .count)
    query.value = column
    return try QueryEngine.run(query, files: files, options: options).groups.map { $0.keys[0] }
  }
}
