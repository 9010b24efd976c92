internal import BriefingAnalytics

/// A source whose distinct values and columns are asked once per build: every block checks its
/// filters against them, and a database would otherwise run the same DISTINCT query per block.
final class RememberingSource: DataSource {
  private let source: any DataSource
  private var values: [String: [String]] = [:]
  private var knownColumns: [String]?

  init(_ source: any DataSource) {
    self.source = source
  }

  var name: String { source.name }

  func aggregate(_ query: Query) throws(DataError) -> QueryResult {
    try source.aggregate(query)
  }

  func values(of column: String) throws(DataError) -> [String] {
    if let known = values[column] { return known }
    let found = try source.values(of: column)
    values[column] = found
    return found
  }

  func columns() throws(DataError) -> [String] {
    if let knownColumns { return knownColumns }
    let found = try source.columns()
    knownColumns = found
    return found
  }
}
