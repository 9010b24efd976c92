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

  public var description: String {
    switch predicate {
    case .oneOf(let values): "\(dimension)=\(values.sorted().joined(separator: "|"))"
    case .noneOf(let values): "\(dimension)!=\(values.sorted().joined(separator: "|"))"
    case .range(let lower, let upper): "\(dimension)=\(lower ?? "")..\(upper ?? "")"
    }
  }

  /// The filter as a message says it: `period = 2025`, `region ≠ Russian Federation`.
  public var spoken: String {
    switch predicate {
    case .oneOf(let values): "\(dimension) = \(values.sorted().joined(separator: "|"))"
    case .noneOf(let values): "\(dimension) ≠ \(values.sorted().joined(separator: "|"))"
    case .range(let lower, let upper): "\(dimension) = \(lower ?? "")..\(upper ?? "")"
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
