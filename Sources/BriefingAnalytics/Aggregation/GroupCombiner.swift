/// The one set of rules by which values become a group's figure: partial aggregates of a group
/// (per unit and qualifier, from any source) are combined into its value, count, unit and
/// qualifier, and several figures (an "Other" row, a subtotal, a total) into one.
///
/// - A sum adds with compensation; a mean is the sum over the count; min and max take the
///   qualifier of the figures that reach them (an exact one makes them exact); a count is exact.
/// - Values in different units are never combined (`DataError.mixedUnits`), nor the two bounds of
///   a stated range (`DataError.rangeBoundsCombined`); a sum past the largest double is an
///   `DataError.overflow`.
public struct GroupCombiner {
  public let aggregate: Aggregate
  private var slots: [[String]: Int] = [:]
  private var keys: [[String]] = []
  private var partials: [Partial] = []

  struct Partial {
    var sum = CompensatedSum()
    var count = 0
    var minimum = Double.infinity
    var maximum = -Double.infinity
    var unit: String
    var otherUnits: Set<String> = []
    var qualifiers: Set<String> = []
    var minimumQualifiers: Set<String> = []
    var maximumQualifiers: Set<String> = []
    var distinct = 0

    /// Adds one value with its qualifier ("" when exact).
    mutating func add(_ value: Double, qualifier: String) {
      sum.add(value)
      count += 1
      if !qualifier.isEmpty { qualifiers.insert(qualifier) }
      if value < minimum { minimumQualifiers = [] }
      if value <= minimum { minimumQualifiers.insert(qualifier) }
      if value > maximum { maximumQualifiers = [] }
      if value >= maximum { maximumQualifiers.insert(qualifier) }
      minimum = Swift.min(minimum, value)
      maximum = Swift.max(maximum, value)
    }
  }

  public init(aggregate: Aggregate) {
    self.aggregate = aggregate
  }

  /// Adds the values of one group that share a unit and a qualifier: their sum, count (of values
  /// present), minimum and maximum. A part with no values (count 0) still makes the group appear.
  public mutating func add(keys: [String], unit: String, qualifier: String, sum: Double, count: Int, minimum: Double, maximum: Double) {
    let slot = self.slot(keys, unit: unit)
    if unit != partials[slot].unit { partials[slot].otherUnits.insert(unit) }
    guard count > 0 else { return }
    partials[slot].sum.add(sum)
    partials[slot].count += count
    if !qualifier.isEmpty { partials[slot].qualifiers.insert(qualifier) }
    if minimum < partials[slot].minimum { partials[slot].minimumQualifiers = [] }
    if minimum <= partials[slot].minimum { partials[slot].minimumQualifiers.insert(qualifier) }
    if maximum > partials[slot].maximum { partials[slot].maximumQualifiers = [] }
    if maximum >= partials[slot].maximum { partials[slot].maximumQualifiers.insert(qualifier) }
    partials[slot].minimum = Swift.min(partials[slot].minimum, minimum)
    partials[slot].maximum = Swift.max(partials[slot].maximum, maximum)
  }

  /// Adds a group's number of distinct values, for `count_distinct` (counted by the source).
  public mutating func add(keys: [String], distinct: Int, count: Int) {
    let slot = self.slot(keys, unit: "")
    partials[slot].distinct += distinct
    partials[slot].count += count
  }

  private mutating func slot(_ keys: [String], unit: String) -> Int {
    if let known = slots[keys] { return known }
    slots[keys] = partials.count
    self.keys.append(keys)
    partials.append(Partial(unit: unit))
    return partials.count - 1
  }

  /// The groups in order of first appearance.
  public func groups() throws(DataError) -> [GroupedValue] {
    try Self.groups(keys: keys, partials: partials, aggregate: aggregate)
  }

  static func groups(keys: [[String]], partials: [Partial], aggregate: Aggregate) throws(DataError) -> [GroupedValue] {
    var result: [GroupedValue] = []
    result.reserveCapacity(keys.count)
    for (key, group) in zip(keys, partials) {
      let name = key.isEmpty ? "(all rows)" : key.joined(separator: " / ")
      if !group.otherUnits.isEmpty, aggregate.isNumeric {
        throw .mixedUnits(group: name, units: [group.unit] + group.otherUnits.sorted())
      }
      result.append(try Self.figure(of: group, aggregate: aggregate, keys: key, name: name))
    }
    return result
  }

  /// The figure of one group. `name` (for errors only) is worked out only when one is thrown.
  static func figure(
    of group: Partial, aggregate: Aggregate, keys: [String], name: @autoclosure () -> String
  ) throws(DataError) -> GroupedValue {
    if aggregate == .sum || aggregate == .mean, Qualifier.holdsBothRangeBounds(group.qualifiers) {
      throw .rangeBoundsCombined(group: name())
    }
    if aggregate == .sum || aggregate == .mean, group.count > 0, !group.sum.value.isFinite {
      throw .overflow(group: name())
    }
    let value: Double? =
      switch aggregate {
      case .count: Double(group.count)
      case .countDistinct: Double(group.distinct)
      case _ where group.count == 0: nil
      case .sum: group.sum.value
      case .mean: group.sum.value / Double(group.count)
      case .min: group.minimum
      case .max: group.maximum
      }
    let qualifier =
      switch aggregate {
      case .count, .countDistinct: ""
      case .min: group.minimumQualifiers.contains("") ? "" : Qualifier.combining(group.minimumQualifiers)
      case .max: group.maximumQualifiers.contains("") ? "" : Qualifier.combining(group.maximumQualifiers)
      case .sum, .mean: Qualifier.combining(group.qualifiers)
      }
    return GroupedValue(keys: keys, value: value, count: group.count, unit: group.unit, qualifier: qualifier)
  }

  /// One figure combining `figures` of this aggregate (an "Other" row, a subtotal, a total):
  /// sums and counts add, a mean is weighted by the counts, min and max take the extreme.
  ///
  /// - Throws: `DataError.invalidOption` for `count_distinct`, whose values cannot be combined
  ///   without the values themselves; the errors of `groups()` otherwise.
  public static func combining(_ figures: [Figure], aggregate: Aggregate, group name: String) throws(DataError) -> Figure {
    var partial = Partial(unit: "")
    for figure in figures {
      guard let value = figure.value else { continue }
      switch aggregate {
      case .countDistinct:
        throw .invalidOption("\(name): distinct counts cannot be added up (a value may be counted in several rows); use count or leave the total out")
      case .mean:
        // Weighted by the values behind each mean.
        partial.add(value * Double(figure.count), qualifier: figure.qualifier)
        partial.count += figure.count - 1
      case .sum, .count, .min, .max:
        partial.add(value, qualifier: figure.qualifier)
      }
    }
    // A sum of counts is still a count, and exact.
    let combined = try figure(of: partial, aggregate: aggregate == .count ? .sum : aggregate, keys: [], name: name)
    let count = figures.reduce(0) { $0 + $1.count }
    return Figure(value: combined.value, count: count, qualifier: aggregate == .count ? "" : combined.qualifier)
  }
}
