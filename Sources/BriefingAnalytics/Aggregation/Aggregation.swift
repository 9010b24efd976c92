/// How the values of a group are combined.
public enum Aggregate: String, Hashable, Sendable, CaseIterable, Codable {
  case sum
  case mean
  case min
  case max
  case count
}

/// A filter on one dimension: the observation's value must be one of `values`.
public struct Filter: Hashable, Sendable {
  public var dimension: String
  public var values: Set<String>

  public init(_ dimension: String, equals value: String) {
    self.dimension = dimension
    self.values = [value]
  }

  public init(_ dimension: String, in values: Set<String>) {
    self.dimension = dimension
    self.values = values
  }

  func matches(_ observation: Observation) -> Bool {
    observation[dimension: dimension].map(values.contains) ?? false
  }
}

/// One group of an aggregation.
public struct GroupedValue: Hashable, Sendable {
  /// The group's value of each group-by dimension, in the order asked for.
  public var keys: [String]
  /// The aggregate; nil when every value in the group is missing.
  public var value: Double?
  /// The number of observations with a value.
  public var count: Int
  /// The unit shared by the group's values.
  public var unit: String
}

extension Dataset {
  /// Returns the observations that pass every filter.
  public func filtered(_ filters: [Filter]) -> [Observation] {
    observations.filter { observation in filters.allSatisfy { $0.matches(observation) } }
  }

  /// Groups the filtered observations by `dimensions` and combines each group's values.
  ///
  /// Groups come back in order of first appearance. Adding values of different units is an error.
  public func aggregate(_ aggregate: Aggregate = .sum, where filters: [Filter] = [], by dimensions: [String]) throws(DataError) -> [GroupedValue] {
    struct Accumulator {
      var sum = CompensatedSum()
      var count = 0
      var minimum = Double.infinity
      var maximum = -Double.infinity
      var unit: String
      var otherUnits: Set<String> = []
    }
    var slots: [[String]: Int] = [:]
    var keys: [[String]] = []
    var accumulators: [Accumulator] = []
    for observation in observations where filters.allSatisfy({ $0.matches(observation) }) {
      let key = dimensions.map { observation[dimension: $0] ?? "" }
      let slot: Int
      if let known = slots[key] {
        slot = known
      } else {
        slot = accumulators.count
        slots[key] = slot
        keys.append(key)
        accumulators.append(Accumulator(unit: observation.unit))
      }
      if observation.unit != accumulators[slot].unit { accumulators[slot].otherUnits.insert(observation.unit) }
      guard let value = observation.value else { continue }
      accumulators[slot].sum.add(value)
      accumulators[slot].count += 1
      accumulators[slot].minimum = Swift.min(accumulators[slot].minimum, value)
      accumulators[slot].maximum = Swift.max(accumulators[slot].maximum, value)
    }
    var result: [GroupedValue] = []
    result.reserveCapacity(keys.count)
    for (key, group) in zip(keys, accumulators) {
      if !group.otherUnits.isEmpty, aggregate != .count {
        throw .mixedUnits(group: key.joined(separator: " / "), units: [group.unit] + group.otherUnits.sorted())
      }
      let value: Double? =
        switch aggregate {
        case .count: Double(group.count)
        case _ where group.count == 0: nil
        case .sum: group.sum.value
        case .mean: group.sum.value / Double(group.count)
        case .min: group.minimum
        case .max: group.maximum
        }
      result.append(GroupedValue(keys: key, value: value, count: group.count, unit: group.unit))
    }
    return result
  }
}

extension Array where Element == GroupedValue {
  /// The groups sorted by value, largest first (missing values last, ties by key).
  public func sortedByValueDescending() -> [GroupedValue] {
    sorted { a, b in
      switch (a.value, b.value) {
      case let (x?, y?): x != y ? x > y : a.keys.lexicographicallyPrecedes(b.keys)
      case (_?, nil): true
      case (nil, _?): false
      case (nil, nil): a.keys.lexicographicallyPrecedes(b.keys)
      }
    }
  }
}
