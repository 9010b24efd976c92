import BriefingAnalytics

// The tests written against the old in-memory aggregation and array helpers now ask the one query
// path: an in-memory table answers, and the derivations fold, subtotal and total.

extension Dataset {
  /// The groups of the observations, answered by a `MemoryTable`.
  func aggregate(_ aggregate: Aggregate = .sum, where filters: [Filter] = [], by dimensions: [String]) throws(DataError) -> [GroupedValue] {
    try MemoryTable(observations).aggregate(Query(filters: filters, groupBy: dimensions, aggregate: aggregate)).groups
  }
}

extension Array where Element == GroupedValue {
  /// The rows of these groups after `derivations`, as groups again.
  func derived(_ derivations: [Derivation], columns: [String]? = nil) throws(DataError) -> [GroupedValue] {
    let names = columns ?? (first?.keys.indices.map { "k\($0)" } ?? ["k0"])
    let result = QueryResult(columns: names, groups: self, aggregate: .sum, rowsRead: count, rowsMatched: count)
    return try result.deriving(Query(groupBy: names, derivations: derivations)).rows.map {
      GroupedValue(keys: $0.keys, value: $0.value, count: $0.figure.count, unit: $0.unit, qualifier: $0.figure.qualifier)
    }
  }

  func top(_ n: Int, within partition: [Int] = [], otherLabel: String = "Other") throws(DataError) -> [GroupedValue] {
    let names = first?.keys.indices.map { "k\($0)" } ?? ["k0"]
    return try derived([.top(n, otherLabel: otherLabel, within: partition.map { names[$0] })], columns: names)
  }

  func subtotals(by prefixLength: Int, label: String = "Total") throws(DataError) -> [GroupedValue] {
    guard !isEmpty else { return [] }
    guard prefixLength > 0 else { return try derived([.total(label: label)]) }
    return try derived([.group(.dimension("k0")), .sort(.key), .subtotals(label: label)])
  }

  func total(label: String = "Total") throws(DataError) -> GroupedValue? {
    guard !isEmpty else { return nil }
    return try derived([.total(label: label)]).last
  }

  func sortedByValueDescending() throws(DataError) -> [GroupedValue] {
    try derived([.sort(.value())])
  }
}
