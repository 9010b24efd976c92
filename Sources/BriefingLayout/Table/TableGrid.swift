/// Where a table's columns, decimal separators and bars go at one width.
///
/// It is measured on the rows of the whole table, so every piece of a split table lines up the same.
struct TableGrid: Sendable {
  /// The width the table is laid out in.
  var width: Double
  /// The width of each column's content box (without padding).
  var widths: [Double]
  /// The x of each column's content box.
  var lefts: [Double]
  /// For figure columns, the room right of the decimal separator (0 when no cell has a fraction).
  var fractions: [Int: Double]
  /// For bar columns, the values mapped onto the column's width.
  var barDomains: [Int: BarDomain]

  init(width: Double, widths: [Double], padding: Double, fractions: [Int: Double], barDomains: [Int: BarDomain]) {
    self.width = width
    self.widths = widths
    var x = 0.0
    lefts = widths.map { w in
      defer { x += w + 2 * padding }
      return x + padding
    }
    self.fractions = fractions
    self.barDomains = barDomains
  }

  /// The x of the decimal separator in figure column `column`; figures without a fraction end here.
  func separatorX(_ column: Int) -> Double {
    lefts[column] + widths[column] - (fractions[column] ?? 0)
  }

  /// The right edge of column `column`'s content box.
  func right(_ column: Int) -> Double { lefts[column] + widths[column] }
}

/// The range of values an inline bar column maps onto its width; it always includes zero.
struct BarDomain: Hashable, Sendable {
  var lower: Double
  var upper: Double

  /// The domain of `values`, widened to include zero; nil when it has no extent.
  init?(_ values: [Double]) {
    let finite = values.filter(\.isFinite)
    lower = min(0, finite.min() ?? 0)
    upper = max(0, finite.max() ?? 0)
    guard upper > lower else { return nil }
  }

  /// The fraction of the column's width, from its left edge, at which `value` falls.
  func position(_ value: Double) -> Double { (value - lower) / (upper - lower) }
}
