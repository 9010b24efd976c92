internal import Foundation

/// How the values of a group are combined.
public enum Aggregate: String, Hashable, Sendable, CaseIterable, Codable {
  case sum
  case mean
  case min
  case max
  /// The number of non-empty values.
  case count
  /// The number of distinct non-empty values, compared as text.
  case countDistinct = "count_distinct"

  /// Whether the values must be numbers (count and count_distinct take any text).
  public var isNumeric: Bool {
    switch self {
    case .sum, .mean, .min, .max: true
    case .count, .countDistinct: false
    }
  }
}

/// A condition on one dimension of an observation.
public struct Filter: Hashable, Sendable, CustomStringConvertible {
  /// What a dimension's value must satisfy.
  public enum Predicate: Hashable, Sendable {
    /// Equal to one of these values.
    case oneOf(Set<String>)
    /// Equal to none of these values.
    case noneOf(Set<String>)
    /// Between the bounds (inclusive; nil is open) in `GroupedValue.periodOrder`: numerically
    /// when both sides are numbers, else as text — so `2020..2024` and `2024-01..2024-06` work.
    case range(from: String?, to: String?)
  }

  public var dimension: String
  public var predicate: Predicate

  public init(_ dimension: String, _ predicate: Predicate) {
    self.dimension = dimension
    self.predicate = predicate
  }

  public init(_ dimension: String, equals value: String) {
    self.init(dimension, .oneOf([value]))
  }

  public init(_ dimension: String, in values: Set<String>) {
    self.init(dimension, .oneOf(values))
  }

  public init(_ dimension: String, notIn values: Set<String>) {
    self.init(dimension, .noneOf(values))
  }

  public init(_ dimension: String, from lower: String?, to upper: String?) {
    self.init(dimension, .range(from: lower, to: upper))
  }

  /// Parses a filter as written on a command line: `COL=VALUE`, `COL!=VALUE`, `COL=FROM..TO`
  /// (either bound may be empty), `COL>=VALUE` or `COL<=VALUE`.
  public init(parsing text: String) throws(DataError) {
    let expected = "expected a filter COL=VALUE, COL!=VALUE, COL=FROM..TO, COL>=VALUE or COL<=VALUE, found “\(text)”"
    for (symbol, kind) in [("!=", 0), (">=", 1), ("<=", 2), ("=", 3)] {
      guard let range = text.range(of: symbol) else { continue }
      let column = text[..<range.lowerBound].trimmingCharacters(in: .whitespaces)
      let operand = String(text[range.upperBound...])
      guard !column.isEmpty else { throw .invalidOption(expected) }
      switch kind {
      case 0: self.init(column, notIn: [operand])
      case 1: self.init(column, from: operand, to: nil)
      case 2: self.init(column, from: nil, to: operand)
      default:
        if let dots = operand.range(of: "..") {
          let lower = String(operand[..<dots.lowerBound])
          let upper = String(operand[dots.upperBound...])
          guard !(lower.isEmpty && upper.isEmpty) else { throw .invalidOption(expected) }
          self.init(column, from: lower.isEmpty ? nil : lower, to: upper.isEmpty ? nil : upper)
        } else {
          self.init(column, equals: operand)
        }
      }
      return
    }
    throw .invalidOption(expected)
  }

  /// Whether a dimension's value passes.
  public func matches(_ value: String) -> Bool {
    switch predicate {
    case .oneOf(let values): values.contains(value)
    case .noneOf(let values): !values.contains(value)
    case .range(let lower, let upper):
      (lower.map { !GroupedValue.periodOrder(value, $0) } ?? true) && (upper.map { !GroupedValue.periodOrder($0, value) } ?? true)
    }
  }

  func matches(_ observation: Observation) -> Bool {
    observation[dimension: dimension].map(matches) ?? false
  }

  public var description: String {
    switch predicate {
    case .oneOf(let values): "\(dimension)=\(values.sorted().joined(separator: "|"))"
    case .noneOf(let values): "\(dimension)!=\(values.sorted().joined(separator: "|"))"
    case .range(let lower, let upper): "\(dimension)=\(lower ?? "")..\(upper ?? "")"
    }
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
  /// The source's word for how exact the value is ("over", "around"; see `Qualifier`), "" when exact.
  public var qualifier: String

  public init(keys: [String], value: Double?, count: Int, unit: String, qualifier: String = "") {
    self.keys = keys
    self.value = value
    self.count = count
    self.unit = unit
    self.qualifier = qualifier
  }
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
      var distinct: Set<String> = []
      var qualifiers: Set<String> = []
      var minimumQualifiers: Set<String> = []
      var maximumQualifiers: Set<String> = []
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
      if aggregate == .countDistinct { accumulators[slot].distinct.insert(NumberFormat.machine(value)) }
      if !observation.qualifier.isEmpty { accumulators[slot].qualifiers.insert(observation.qualifier) }
      // A minimum or maximum is as exact as the figure(s) that give it.
      if value < accumulators[slot].minimum { accumulators[slot].minimumQualifiers = [] }
      if value <= accumulators[slot].minimum { accumulators[slot].minimumQualifiers.insert(observation.qualifier) }
      if value > accumulators[slot].maximum { accumulators[slot].maximumQualifiers = [] }
      if value >= accumulators[slot].maximum { accumulators[slot].maximumQualifiers.insert(observation.qualifier) }
      accumulators[slot].sum.add(value)
      accumulators[slot].count += 1
      accumulators[slot].minimum = Swift.min(accumulators[slot].minimum, value)
      accumulators[slot].maximum = Swift.max(accumulators[slot].maximum, value)
    }
    var result: [GroupedValue] = []
    result.reserveCapacity(keys.count)
    for (key, group) in zip(keys, accumulators) {
      if !group.otherUnits.isEmpty, aggregate.isNumeric {
        throw .mixedUnits(group: key.joined(separator: " / "), units: [group.unit] + group.otherUnits.sorted())
      }
      if aggregate == .sum || aggregate == .mean, Qualifier.holdsBothRangeBounds(group.qualifiers) {
        throw .rangeBoundsCombined(group: key.joined(separator: " / "))
      }
      if aggregate == .sum || aggregate == .mean, group.count > 0, !group.sum.value.isFinite {
        throw .overflow(group: key.joined(separator: " / "))
      }
      let value: Double? =
        switch aggregate {
        case .count: Double(group.count)
        case .countDistinct: Double(group.distinct.count)
        case _ where group.count == 0: nil
        case .sum: group.sum.value
        case .mean: group.sum.value / Double(group.count)
        case .min: group.minimum
        case .max: group.maximum
        }
      // A count is exact whatever the counted figures' wording.
      let qualifier =
        switch aggregate {
        case .count, .countDistinct: ""
        // An exact figure reaching the extreme makes it exact.
        case .min: group.minimumQualifiers.contains("") ? "" : Qualifier.combining(group.minimumQualifiers)
        case .max: group.maximumQualifiers.contains("") ? "" : Qualifier.combining(group.maximumQualifiers)
        case .sum, .mean: Qualifier.combining(group.qualifiers)
        }
      result.append(GroupedValue(keys: key, value: value, count: group.count, unit: group.unit, qualifier: qualifier))
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
