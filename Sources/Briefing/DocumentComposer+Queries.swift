internal import BriefingAnalytics
internal import Foundation
internal import Yams

/// A block of the layout, for messages and for finding its keys in the layout file.
struct BlockPlace {
  /// The block's position in `blocks:`, from 0.
  var index: Int
  /// `table`, `chart` or `kpis`.
  var kind: String
  /// How messages name it: "table 3", "chart “students”".
  var name: String
  /// The position of the item inside a block that lists several (a figure of `kpis:`), from 0.
  var item: Int? = nil
  /// The path of a place outside `blocks:` (a figure of `figures:`), which `index` and `kind` then
  /// do not locate.
  var base: [LayoutPath]? = nil

  /// The coding path of a key inside the block (inside its item, when it has one).
  func path(_ keys: String...) -> [LayoutPath] {
    let start = base ?? [LayoutPath("blocks"), LayoutPath(index), LayoutPath(kind)] + (item.map { [LayoutPath($0)] } ?? [])
    return start + keys.map(LayoutPath.init)
  }
}

/// One step of a path into the layout's YAML.
struct LayoutPath: CodingKey {
  var stringValue: String
  var intValue: Int?
  init(_ string: String) { stringValue = string }
  init(_ index: Int) {
    stringValue = "\(index)"
    intValue = index
  }
  init?(stringValue: String) { self.init(stringValue) }
  init?(intValue: Int) { self.init(intValue) }
}

extension DocumentComposer {
  /// An error about the layout at the line and column of the key at `path`.
  func problem(_ message: String, at path: [LayoutPath]) -> BriefingError {
    let mark = layoutRoot.flatMap { LayoutKeys.mark(of: path, in: $0) }
    return .invalidLayout(file: layoutFile, line: mark?.line, column: mark?.column, message: message)
  }

  /// The query a block's `query:` asks: its metric and filters, grouped by its dimensions. The
  /// block adds its comparison and derivations.
  func query(for spec: LayoutSpec.QuerySpec, at place: BlockPlace) throws(BriefingError) -> Query {
    // A metric the metrics table lacks would print its code («robots_per_1000_employees»); one the
    // data lacks too is a typo, which `answer` reports with the nearest metric of the data.
    let inData = (try? source.values(of: "metric"))?.contains(spec.metric) ?? true
    guard vocabulary.knows(metric: spec.metric) || !inData else {
      let known = vocabulary.metricTable.map { Array($0.entries.keys).sorted() } ?? []
      let hint = nearest(spec.metric, in: known).map { " (did you mean “\($0)”?)" } ?? ""
      throw problem(
        "\(place.name): the metric “\(spec.metric)” has no name in the metrics table \(self.spec.metrics ?? "")\(hint); add a row for it",
        at: place.path("query", "metric"))
    }
    var filters = [Filter("metric", equals: spec.metric)]
    for (dimension, value) in (spec.where ?? [:]).sorted(by: { $0.key < $1.key }) {
      var filter: Filter
      do {
        filter = try value.filter(on: dimension)
      } catch {
        throw problem("\(place.name): where: \(error)", at: place.path("query", "where", dimension))
      }
      // An empty status means `actual` (docs/data-format.md).
      if dimension == "status", case .oneOf(let values) = filter.predicate, values.contains("actual") {
        filter.predicate = .oneOf(values.union([""]))
      }
      if let attributeFilter = try filterByAttribute(filter, at: place) {
        filters.append(attributeFilter)
        continue
      }
      filters.append(filter)
    }
    try keepLevelsApart(&filters, spec: spec, at: place)
    return Query(filters: filters, groupBy: spec.by.names, aggregate: spec.aggregate ?? .sum)
  }

  /// A filter on a column of a dimension's names table rather than of the data (`where: {
  /// federal_district: Volga }`): the same filter on the dimension, listing the names table's keys
  /// whose column matches and which the data has; nil for a filter on a data column.
  private func filterByAttribute(_ filter: Filter, at place: BlockPlace) throws(BriefingError) -> Filter? {
    let attribute = filter.dimension
    guard !dataColumns.isEmpty, !dataColumns.contains(attribute),
      let (dimension, table) = references.sorted(by: { $0.key < $1.key }).first(where: { dataColumns.contains($0.key) && $0.value.header.contains(attribute) })
    else { return nil }
    let path = place.path("query", "where", attribute)
    let known = Array(Set(table.column(attribute))).sorted()
    if case .oneOf(let values) = filter.predicate {
      for value in values.sorted() where !known.contains(value) {
        let hint = nearest(value, in: known).map { " (did you mean “\($0)”?)" } ?? ""
        throw problem("\(place.name): no row of the names table of “\(dimension)” has \(attribute) “\(value)”\(hint)", at: path)
      }
    }
    let key = table.header.contains("name_en") ? "name_en" : table.header.first ?? ""
    let present: Set<String>
    do {
      present = Set(try source.values(of: dimension))
    } catch {
      throw problem("\(place.name): \(error)", at: path)
    }
    let keys = Set(table.rows.filter { filter.matches($0[attribute] ?? "") }.compactMap { $0[key] }).intersection(present)
    guard !keys.isEmpty else {
      throw problem("\(place.name): no \(dimension) with \(filter.description) has data", at: path)
    }
    return Filter(dimension, in: keys)
  }

  /// A national figure (`region` = “Russian Federation”, docs/data-format.md) is never added to
  /// regional ones: a query that does not name it selects regions only, and one that names it
  /// beside regions without showing them apart (`by: region`) is an error naming both.
  private func keepLevelsApart(_ filters: inout [Filter], spec: LayoutSpec.QuerySpec, at place: BlockPlace) throws(BriefingError) {
    guard dataColumns.contains("region") else { return }
    let national = Self.nationalRegion
    guard let named = filters.first(where: { $0.dimension == "region" }) else {
      filters.append(Filter("region", notIn: [national]))
      return
    }
    guard !spec.by.names.contains("region"), case .oneOf(let values) = named.predicate, values.contains(national), values.count > 1,
      let regional = values.filter({ $0 != national }).sorted().first
    else { return }
    throw problem(
      "\(place.name): “\(national)” is a national figure and “\(regional)” a regional one; adding them would count the region twice: show them apart (by: region) or ask for one level",
      at: place.path("query", "where", "region"))
  }

  /// Answers `query` from the data; every column and every filter value it names is checked
  /// first, so a typo is reported at its key with the nearest name the data has. A selection
  /// without any figure is an error at the query unless `allowingEmpty` (the block says what to
  /// show instead).
  func answer(
    _ query: Query, spec: LayoutSpec.QuerySpec, at place: BlockPlace, groupByPath: [LayoutPath]? = nil,
    comparePath: [LayoutPath]? = nil, allowingEmpty: Bool = false
  ) throws(BriefingError) -> QueryResult {
    func path(of dimension: String) -> [LayoutPath] {
      if dimension == "metric" { return place.path("query", "metric") }
      if spec.where?[dimension] != nil { return place.path("query", "where", dimension) }
      if spec.by.names.contains(dimension) { return place.path("query", "by") }
      if let comparison = query.comparison, comparison.dimension == dimension, let comparePath { return comparePath }
      return groupByPath ?? place.path("query")
    }
    for dimension in query.dimensions {
      let known: [String]
      do {
        known = try source.values(of: dimension)
      } catch {
        // A database names what is missing its own way: ask it for its columns to say the same.
        let (column, header): (String, [String])
        if case .missingColumn(_, let missing, let names) = error {
          (column, header) = (missing, names)
        } else if let names = try? source.columns(), !names.contains(dimension) {
          (column, header) = (dimension, names)
        } else {
          throw problem("\(place.name): \(error)", at: path(of: dimension))
        }
        let hint = nearest(column, in: header).map { " (did you mean “\($0)”?)" } ?? ""
        throw problem(
          "\(place.name): the data has no column “\(column)”\(hint); its columns are \(header.prefix(30).joined(separator: ", "))\(header.count > 30 ? " and \(header.count - 30) more" : "")",
          at: path(of: column))
      }
      var wanted: [(value: String, at: [LayoutPath])] = []
      for filter in query.filters where filter.dimension == dimension {
        if case .oneOf(let values) = filter.predicate { wanted += values.sorted().map { ($0, path(of: dimension)) } }
      }
      if let comparison = query.comparison, comparison.dimension == dimension {
        wanted.append((comparison.value, comparePath ?? path(of: dimension)))
      }
      let present = Set(known)
      for (value, at) in wanted where !value.isEmpty && !present.contains(value) {
        // The documented default status is written out in no row.
        if dimension == "status", value == "actual" { continue }
        let hint = nearest(value, in: known).map { " (did you mean “\($0)”?)" } ?? ""
        throw problem("\(place.name): no row of the data has \(dimension) “\(value)”\(hint)", at: at)
      }
    }
    let result: QueryResult
    do {
      result = try source.run(query)
    } catch {
      throw .query(file: layoutFile, block: place.name, error)
    }
    guard allowingEmpty || result.rows.contains(where: { $0.figure.value != nil || $0.previous?.value != nil }) else {
      let conditions = query.filters.map { $0.spoken }
      throw problem(
        "\(place.name) selects no data: no row has a value with " + conditions.joined(separator: " and "), at: place.path("query"))
    }
    return result
  }

  /// The order a query's `sort:` asks for, over rows of `dimension`; a listed group the data does
  /// not have is an error at `sort:` with the nearest one it has.
  func order(for spec: LayoutSpec.QuerySpec, at place: BlockPlace) throws(BriefingError) -> BriefingAnalytics.SortOrder {
    switch spec.sort ?? .value {
    case .value: return .value()
    case .valueAscending: return .value(descending: false)
    case .key: return keyOrder(of: spec.by.rows)
    case .listed(let wanted):
      return .listed(try listedKeys(wanted, dimension: spec.by.rows, in: place, at: place.path("query", "sort")))
    }
  }

  /// The data's keys for groups a layout lists by key or by the label the report shows.
  func listedKeys(_ wanted: [String], dimension: String, in place: BlockPlace, at path: [LayoutPath]) throws(BriefingError) -> [String] {
    let known: [String] = (try? source.values(of: dimension)) ?? []
    let present = Set(known)
    var byLabel: [String: String] = [:]
    for key in known { byLabel[label(key, dimension: dimension)] = key }
    var keys: [String] = []
    for item in wanted {
      if present.contains(item) {
        keys.append(item)
      } else if let key = byLabel[item] {
        keys.append(key)
      } else {
        let hint = nearest(item, in: known + byLabel.keys.sorted()).map { " (did you mean “\($0)”?)" } ?? ""
        throw problem("\(place.name): no row of the data has \(dimension) “\(item)”\(hint)", at: path)
      }
    }
    return keys
  }

  /// The answer of a two-dimension query as a pivot: rows by its first dimension, columns by its
  /// second.
  func pivot(of result: QueryResult, at place: BlockPlace) throws(BriefingError) -> Pivot {
    do {
      return try Pivot(result.groups, rows: 0, columns: 1)
    } catch {
      throw .query(file: layoutFile, block: place.name, error)
    }
  }

  /// The order of a pivot's rows as `sort:` asks: by total (largest or smallest first), by key,
  /// or listed.
  func pivotOrder(_ pivot: Pivot, spec: LayoutSpec.QuerySpec, at place: BlockPlace) throws(BriefingError) -> [Int] {
    var order = Array(pivot.rowKeys.indices)
    let keys = pivot.rowKeys
    func listed(_ listing: [String]) {
      var position: [String: Int] = [:]
      for (offset, key) in listing.enumerated() where position[key] == nil { position[key] = offset }
      order.sort { (a: Int, b: Int) -> Bool in
        let (x, y) = (position[keys[a]] ?? Int.max, position[keys[b]] ?? Int.max)
        return x != y ? x < y : GroupedValue.periodOrder(keys[a], keys[b])
      }
    }
    switch try self.order(for: spec, at: place) {
    case .listed(let listing): listed(listing)
    case .key: order.sort { GroupedValue.periodOrder(keys[$0], keys[$1]) }
    case .value(let descending):
      order.sort { valuePrecedes(pivot.rowTotals[$0], [keys[$0]], pivot.rowTotals[$1], [keys[$1]], descending: descending) }
    case .valueWithin, .change: break
    }
    return order
  }

  /// How rows of `dimension` are ordered by `sort: key`: periods in time order; others by the
  /// label the report shows, so a Russian report is in Russian alphabetical order.
  func keyOrder(of dimension: String) -> BriefingAnalytics.SortOrder {
    if dimension == "period" { return .key }
    let known: [String] = (try? source.values(of: dimension)) ?? []
    let labelled: [(key: String, label: String)] = known.map { ($0, label($0, dimension: dimension)) }
    let sorted = labelled.sorted { (a: (key: String, label: String), b: (key: String, label: String)) -> Bool in
      a.label != b.label ? a.label < b.label : a.key < b.key
    }
    return .listed(sorted.map(\.key))
  }

  /// The closest of `candidates` to `word` (`nearestWord(_:in:)`).
  func nearest(_ word: String, in candidates: [String]) -> String? {
    nearestWord(word, in: candidates)
  }

}

/// The number of single-character edits between two words, ignoring case.
func editDistance(_ a: String, _ b: String) -> Int {
  let a = Array(a.lowercased()), b = Array(b.lowercased())
  guard !a.isEmpty, !b.isEmpty else { return max(a.count, b.count) }
  var previous = Array(0...b.count)
  for i in 1...a.count {
    var current = [i] + Array(repeating: 0, count: b.count)
    for j in 1...b.count {
      current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
    }
    previous = current
  }
  return previous[b.count]
}
