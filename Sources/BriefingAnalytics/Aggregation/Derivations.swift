// The derivations of a query (`Derivation`), applied to a source's groups. Every source answers
// through here, so tables, charts, figures in text and `briefing query` share one set of rules
// for ordering, folding, subtotals, totals, shares, changes and ranks.

extension QueryResult {
  /// Splits the compared value off groups whose last key is the compared dimension: rows of the
  /// current value carry the compared value's figure as `previous`; rows only the compared value
  /// has stay, with no current figure, so earlier totals and changes stay right.
  func splittingComparison(current: String, previous: String, columns: [String]) throws(DataError) -> QueryResult {
    var now: [GroupedValue] = []
    var before: [[String]: GroupedValue] = [:]
    var beforeOrder: [[String]] = []
    for group in groups {
      var keys = group.keys
      let compared = keys.removeLast()
      let split = GroupedValue(keys: keys, value: group.value, count: group.count, unit: group.unit, qualifier: group.qualifier)
      if compared == current {
        now.append(split)
      } else {
        before[keys] = split
        beforeOrder.append(keys)
      }
    }
    var result = QueryResult(
      columns: columns, groups: now, aggregate: aggregate, rowsRead: rowsRead, rowsMatched: rowsMatched, rowsSkipped: rowsSkipped,
      problems: problems)
    func figure(_ group: GroupedValue) -> Figure { Figure(value: group.value, count: group.count, qualifier: group.qualifier) }
    let seen = Set(now.map(\.keys))
    for index in result.rows.indices {
      let earlier = before[result.rows[index].keys]
      if let earlier, earlier.unit != result.rows[index].unit, aggregate.isNumeric {
        throw .mixedUnits(group: earlier.keys.joined(separator: " / "), units: [result.rows[index].unit, earlier.unit])
      }
      result.rows[index].previous = earlier.map(figure) ?? Figure(value: nil)
    }
    for keys in beforeOrder where !seen.contains(keys) {
      guard let earlier = before[keys] else { continue }
      result.rows.append(ResultRow(kind: .group, keys: keys, figure: Figure(value: nil), unit: earlier.unit, previous: figure(earlier)))
    }
    return result
  }

  /// The result with the query's derivations applied, in order.
  public func deriving(_ query: Query) throws(DataError) -> QueryResult {
    var result = self
    var sorted = false
    for derivation in query.derivations {
      switch derivation {
      case .group(let grouping): try result.group(by: grouping)
      case .sort(let order):
        try result.sort(order)
        sorted = true
      case .top(let count, let label, let within):
        guard count >= 0 else { throw .invalidOption("top needs a count of 0 or more, found \(count)") }
        if !sorted { try result.sort(.value()) }
        try result.keepTop(count, otherLabel: label, within: try result.positions(within))
      case .subtotals(let label): try result.addSubtotals(label: label)
      case .total(let label): try result.addTotal(label: label)
      case .share(let within): try result.addShares(within: try result.positions(within))
      case .change(let along): try result.addChanges(along: along)
      case .rank(let within): result.addRanks(within: try result.positions(within))
      }
    }
    return result
  }

  /// The positions of the named group-by columns.
  private func positions(_ names: [String]) throws(DataError) -> [Int] {
    var positions: [Int] = []
    for name in names {
      guard let position = columns.firstIndex(of: name) else {
        throw .invalidOption("“\(name)” is not one of the columns the query groups by (\(columns.joined(separator: ", ")))")
      }
      positions.append(position)
    }
    return positions
  }

  /// The combination of `rows`' figures (or of their compared figures).
  private func combined(_ rows: [ResultRow], previous: Bool, name: String) throws(DataError) -> Figure {
    let figures = previous ? rows.compactMap(\.previous) : rows.map(\.figure)
    return try GroupCombiner.combining(figures, aggregate: aggregate, group: name)
  }

  /// The unit shared by `rows`; an error naming `name` when they differ.
  private func sharedUnit(_ rows: [ResultRow], name: String) throws(DataError) -> String {
    guard let unit = rows.first?.unit else { return "" }
    let units = Set(rows.map(\.unit))
    guard units.count == 1 || !aggregate.isNumeric else {
      throw .mixedUnits(group: name, units: units.sorted { $0.lowercased() < $1.lowercased() })
    }
    return unit
  }

  private var comparing: Bool { rows.contains { $0.previous != nil } }

  // MARK: - Group

  private mutating func group(by chosen: Grouping) throws(DataError) {
    switch chosen {
    case .dimension(let name):
      let position = try positions([name])[0]
      guard position < columns.count - 1 else {
        throw .invalidOption("rows cannot be grouped by “\(name)”, the dimension the rows are; group by another one")
      }
      for index in rows.indices where rows[index].isData { rows[index].group = rows[index].keys[position] }
    case .attribute(_, let values, _):
      guard !columns.isEmpty else { throw .invalidOption("rows can be grouped only when the query groups by a dimension") }
      for index in rows.indices where rows[index].isData {
        rows[index].group = rows[index].keys.last.flatMap { values[$0] } ?? ""
      }
    }
    grouping = chosen
  }

  // MARK: - Sort

  private mutating func sort(_ order: SortOrder) throws(DataError) {
    // Only the groups move: rows an earlier derivation added (Other, subtotals, a total) follow
    // them in their order.
    let added = rows.filter { $0.kind != .group }
    // Usually every row is a group: then no copy (tens of thousands of rows, megabytes).
    if !added.isEmpty { rows = rows.filter { $0.kind == .group } }
    defer { if !added.isEmpty { rows += added } }
    guard rows.contains(where: { $0.group != nil }) else {
      if case .key = order {
        // Tens of thousands of groups share a few dozen keys per column: rank each column's
        // distinct keys once, then sort by integers. Each key is hashed once, to number it among
        // its column's distinct keys in order of first appearance (-1: the row has no key there).
        let width = rows.reduce(0) { max($0, $1.keys.count) }
        var numbering = [[String: Int]](repeating: [:], count: width)
        var distinct = [[String]](repeating: [], count: width)
        var numbers: [Int] = []
        numbers.reserveCapacity(rows.count * width)
        for row in rows {
          for position in 0..<width {
            guard position < row.keys.count else {
              numbers.append(-1)
              continue
            }
            let key = row.keys[position]
            if let known = numbering[position][key] {
              numbers.append(known)
            } else {
              numbering[position][key] = distinct[position].count
              numbers.append(distinct[position].count)
              distinct[position].append(key)
            }
          }
        }
        // ranks[position][number]: the key's place in its column's order.
        var ranks: [[Int]] = []
        for keys in distinct {
          var rank = [Int](repeating: 0, count: keys.count)
          let periods = keys.map(PeriodKey.init)
          let order = keys.indices.sorted { periods[$0] < periods[$1] }
          for (place, number) in order.enumerated() { rank[number] = place }
          ranks.append(rank)
        }
        // When every row has every key and the ranks fit in 64 bits, each row's ranks packed
        // into one integer (first key highest) order exactly as the rank lists would.
        let bits = distinct.map { 64 - UInt64(max($0.count - 1, 0)).leadingZeroBitCount }
        if bits.reduce(0, +) <= 64, !numbers.contains(-1) {
          let packed = rows.indices.map { r in
            var key: UInt64 = 0
            for position in 0..<width {
              key = (key &<< UInt64(bits[position])) | UInt64(ranks[position][numbers[r * width + position]])
            }
            return key
          }
          let order = rows.indices.sorted { a, b in packed[a] != packed[b] ? packed[a] < packed[b] : a < b }
          rows = order.map { rows[$0] }
          return
        }
        let decorated = rows.indices.map { r in
          (0..<rows[r].keys.count).map { ranks[$0][numbers[r * width + $0]] }
        }
        let order = rows.indices.sorted { a, b in
          decorated[a] != decorated[b] ? decorated[a].lexicographicallyPrecedes(decorated[b]) : a < b
        }
        rows = order.map { rows[$0] }
        return
      }
      if case .valueWithin(let names) = order {
        let parts = partitions(of: rows, at: try positions(names))
        rows = parts.flatMap { stableSorted($0.members, by: rowOrder(.value())) }
        return
      }
      rows = stableSorted(rows, by: rowOrder(order))
      return
    }
    let precedes = rowOrder(order)
    // Grouped: the groups in order (by their total, or listed), rows within each; rows with no
    // group come last whatever their size.
    var members: [String: [ResultRow]] = [:]
    var firstSeen: [String] = []
    for row in rows where row.isData {
      let group = row.group ?? ""
      if members[group] == nil { firstSeen.append(group) }
      members[group, default: []].append(row)
    }
    var totals: [String: Double?] = [:]
    for (group, rows) in members { totals[group] = try combined(rows, previous: false, name: group).value }
    let groupPrecedes: (String, String) -> Bool
    switch order {
    case .value(let descending):
      groupPrecedes = { a, b in valuePrecedes(totals[a] ?? nil, [a], totals[b] ?? nil, [b], descending: descending) }
    case .key, .listed, .valueWithin, .change:
      groupPrecedes = listedOrder(groupListing)
    }
    let groups = stableSorted(firstSeen) { a, b in
      if (a == "") != (b == "") { return b == "" }
      return groupPrecedes(a, b)
    }
    rows = groups.flatMap { stableSorted(members[$0] ?? [], by: precedes) }
  }

  /// The listed order of the groups, when the grouping lists them.
  private var groupListing: [String] {
    if case .attribute(_, _, let order)? = grouping { return order }
    return []
  }

  private func rowOrder(_ order: SortOrder) -> (ResultRow, ResultRow) -> Bool {
    switch order {
    case .value(let descending):
      return { a, b in valuePrecedes(a.value, a.keys, b.value, b.keys, descending: descending) }
    case .key:
      return { a, b in a.keys.lexicographicallyPrecedes(b.keys, by: GroupedValue.periodOrder) }
    case .valueWithin:
      return { a, b in valuePrecedes(a.value, a.keys, b.value, b.keys) }
    case .change(let relative, let descending):
      func measure(_ row: ResultRow) -> Double? { relative ? row.change?.relative : row.change?.absolute }
      return { a, b in valuePrecedes(measure(a), a.keys, measure(b), b.keys, descending: descending) }
    case .listed(let listing):
      let precedes = listedOrder(listing)
      return { a, b in
        let (x, y) = (a.keys.last ?? "", b.keys.last ?? "")
        return x != y ? precedes(x, y) : a.keys.lexicographicallyPrecedes(b.keys, by: GroupedValue.periodOrder)
      }
    }
  }

  // MARK: - Top

  private mutating func keepTop(_ count: Int, otherLabel: String, within partition: [Int]) throws(DataError) {
    guard !columns.isEmpty else { throw .invalidOption("top needs the query to group by a dimension") }
    if rows.contains(where: { $0.group != nil }) {
      throw .invalidOption("top cannot be combined with groups: it would cut the list across them; leave one out")
    }
    let comparing = self.comparing
    // Rows an earlier derivation added (a total) stay after the kept ones.
    let added = rows.filter { $0.kind != .group }
    var kept: [ResultRow] = []
    for part in partitions(of: rows.filter { $0.kind == .group }, at: partition) {
      let members = part.members
      guard members.count > count else {
        kept += members
        continue
      }
      // The largest `count`, shown in the order the rows already have.
      let largest = Set(
        members.indices.sorted { valuePrecedes(members[$0].value, members[$0].keys, members[$1].value, members[$1].keys) }
          .prefix(count))
      kept += members.indices.filter(largest.contains).map { members[$0] }
      let folded = members.indices.filter { !largest.contains($0) }.map { members[$0] }
      var keys = [String](repeating: otherLabel, count: columns.count)
      for (position, key) in zip(partition, part.keys) { keys[position] = key }
      let name = keys.joined(separator: " / ")
      let unit = try sharedUnit(members, name: name)
      var other = ResultRow(
        kind: .other(folded: folded.count), keys: keys, figure: try combined(folded, previous: false, name: name), unit: unit)
      if comparing { other.previous = try combined(folded, previous: true, name: name) }
      kept.append(other)
    }
    rows = kept + added
  }

  // MARK: - Subtotals and total

  private mutating func addSubtotals(label: String) throws(DataError) {
    guard rows.contains(where: { $0.group != nil }) else {
      throw .invalidOption("subtotals need rows put under groups (group by a dimension or a names-table column)")
    }
    let comparing = self.comparing
    var result: [ResultRow] = []
    var index = 0
    while index < rows.count {
      let group = rows[index].group
      var end = index
      while end < rows.count, rows[end].group == group, rows[end].isData { end += 1 }
      let members = Array(rows[index..<max(end, index + 1)])
      result += members
      if let group, end > index {
        let name = "\(group) / \(label)"
        var keys = [String](repeating: label, count: columns.count)
        if case .dimension(let dimension)? = grouping, let position = columns.firstIndex(of: dimension) { keys[position] = group }
        var subtotal = ResultRow(
          kind: .subtotal, keys: keys, group: group, figure: try combined(members, previous: false, name: name),
          unit: try sharedUnit(members, name: name))
        if comparing { subtotal.previous = try combined(members, previous: true, name: name) }
        result.append(subtotal)
      }
      index = max(end, index + 1)
    }
    rows = result
  }

  private mutating func addTotal(label: String) throws(DataError) {
    let data = rows.filter(\.isData)
    guard !data.isEmpty else { return }
    var total = ResultRow(
      kind: .total, keys: [String](repeating: label, count: columns.count),
      figure: try combined(data, previous: false, name: label), unit: try sharedUnit(data, name: label))
    if comparing { total.previous = try combined(data, previous: true, name: label) }
    rows.append(total)
  }

  // MARK: - Share, change, rank

  private mutating func addShares(within partition: [Int]) throws(DataError) {
    guard aggregate == .sum || aggregate == .count else {
      throw .invalidOption("a share needs values that add up (sum or count); the query's aggregate is \(aggregate.rawValue)")
    }
    var wholes: [[String]: Double] = [:]
    for part in partitions(of: rows.filter(\.isData), at: partition) {
      let name = part.keys.isEmpty ? "all groups" : part.keys.joined(separator: " / ")
      _ = try sharedUnit(part.members, name: name)
      if let whole = try combined(part.members, previous: false, name: name).value, whole != 0 { wholes[part.keys] = whole }
    }
    for index in rows.indices {
      // Subtotals and the total take their share of the whole when the whole is one partition.
      guard rows[index].isData || partition.isEmpty else { continue }
      guard let whole = wholes[partition.map { rows[index].keys[$0] }] else { continue }
      rows[index].share = rows[index].value.map { $0 / whole }
    }
  }

  private mutating func addChanges(along dimension: String?) throws(DataError) {
    if comparing {
      for index in rows.indices {
        let now = rows[index].value
        let then = rows[index].previous?.value
        var absolute: Double?
        if let now, let then { absolute = now - then }
        var relative: Double?
        if let absolute, let then, then != 0 { relative = absolute / abs(then) }
        rows[index].change = Change(previousKey: nil, previous: then, absolute: absolute, relative: relative)
      }
      return
    }
    guard let dimension else { throw .invalidOption("a change needs a comparison or a dimension to compare along") }
    guard let position = columns.firstIndex(of: dimension) else {
      throw .invalidOption("a change along “\(dimension)” needs the query to group by it")
    }
    let indices = rows.indices.filter { rows[$0].kind == .group }
    let groups = indices.map { GroupedValue(keys: rows[$0].keys, value: rows[$0].value, count: rows[$0].figure.count, unit: rows[$0].unit) }
    for (index, change) in zip(indices, try groups.changes(along: position)) { rows[index].change = change }
  }

  private mutating func addRanks(within partition: [Int]) {
    let indices = rows.indices.filter { rows[$0].kind == .group }
    let groups = indices.map { GroupedValue(keys: rows[$0].keys, value: rows[$0].value, count: rows[$0].figure.count, unit: rows[$0].unit) }
    for (index, rank) in zip(indices, groups.ranks(within: partition)) { rows[index].rank = rank }
  }
}

// MARK: - Helpers

/// Rows that agree on the keys at some positions, in order of first appearance.
private func partitions(of rows: [ResultRow], at positions: [Int]) -> [(keys: [String], members: [ResultRow])] {
  var slots: [[String]: Int] = [:]
  var parts: [(keys: [String], members: [ResultRow])] = []
  for row in rows {
    let keys = positions.map { row.keys[$0] }
    if let slot = slots[keys] {
      parts[slot].members.append(row)
    } else {
      slots[keys] = parts.count
      parts.append((keys, [row]))
    }
  }
  return parts
}

/// Whether a row with value `a` and keys `aKeys` comes before one with `b` and `bKeys` in value
/// order: largest first (smallest with `descending` false), missing values last, ties by key.
public func valuePrecedes(_ a: Double?, _ aKeys: [String], _ b: Double?, _ bKeys: [String], descending: Bool = true) -> Bool {
  switch (a, b) {
  case let (x?, y?): x != y ? (descending ? x > y : x < y) : aKeys.lexicographicallyPrecedes(bKeys)
  case (_?, nil): true
  case (nil, _?): false
  case (nil, nil): aKeys.lexicographicallyPrecedes(bKeys)
  }
}

/// Keys in the listed order; keys not listed after them, in period order.
private func listedOrder(_ listing: [String]) -> (String, String) -> Bool {
  let position = Dictionary(listing.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { first, _ in first })
  return { a, b in
    switch (position[a], position[b]) {
    case let (x?, y?): x < y
    case (_?, nil): true
    case (nil, _?): false
    case (nil, nil): GroupedValue.periodOrder(a, b)
    }
  }
}

/// A sort that keeps equal elements in their order. It sorts positions, not the (large) rows.
private func stableSorted<T>(_ items: [T], by precedes: (T, T) -> Bool) -> [T] {
  items.withUnsafeBufferPointer { items in
    items.indices.sorted { a, b in
      precedes(items[a], items[b]) ? true : precedes(items[b], items[a]) ? false : a < b
    }.map { items[$0] }
  }
}
