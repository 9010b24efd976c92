/// Something that answers queries: files read in a stream, a table held in memory, an SQLite
/// database. A source only filters, groups and aggregates (`aggregate(_:)`); the comparison and the
/// derivations of a query are applied once, in `run(_:)`, the same way for every source.
public protocol DataSource {
  /// What the source is called in messages (a file path, or several).
  var name: String { get }
  /// The groups of `query` (its filters, group-by columns, value, aggregate, unit and qualifier
  /// columns); `comparison` and `derivations` are ignored. Groups come in order of first appearance.
  ///
  /// A column the query names that the source lacks is a `DataError.missingColumn` (the unit and
  /// qualifier columns may be absent: no unit, exact figures).
  func aggregate(_ query: Query) throws(DataError) -> QueryResult
  /// The distinct values of `column` in order of first appearance, for checking a filter and
  /// suggesting the nearest value.
  func values(of column: String) throws(DataError) -> [String]
  /// The names of the columns.
  func columns() throws(DataError) -> [String]
}

extension DataSource {
  /// Answers `query` whole: its groups, then its comparison, then its derivations in order.
  public func run(_ query: Query) throws(DataError) -> QueryResult {
    guard let comparison = query.comparison else {
      return try aggregate(query).deriving(query)
    }
    // One pass answers both values: the compared dimension joins the groups, then splits off.
    guard let index = query.filters.firstIndex(where: { $0.dimension == comparison.dimension }),
      case .oneOf(let chosen) = query.filters[index].predicate, chosen.count == 1, let current = chosen.first
    else {
      throw .invalidOption("a comparison with \(comparison.dimension) “\(comparison.value)” needs the query to select one \(comparison.dimension)")
    }
    guard current != comparison.value else {
      throw .invalidOption("a comparison with \(comparison.dimension) “\(comparison.value)” compares the value the query selects; compare with another one")
    }
    guard !query.groupBy.contains(comparison.dimension) else {
      throw .invalidOption("a comparison along \(comparison.dimension) needs rows that are not \(comparison.dimension) values")
    }
    var both = query
    both.filters[index].predicate = .oneOf([current, comparison.value])
    both.groupBy.append(comparison.dimension)
    let combined = try aggregate(both)
    return try combined.splittingComparison(current: current, previous: comparison.value, columns: query.groupBy)
      .deriving(query)
  }
}
