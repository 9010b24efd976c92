/// Where a bar mark puts the bars of several series within a category (ggplot2's positions).
public enum BarPosition: String, Hashable, Sendable, CaseIterable {
  /// Side by side, each from zero.
  case dodge
  /// On top of each other: positive values upwards from zero, negative ones downwards.
  case stack
  /// Stacked, each category scaled to 100 % of its total.
  case fill
}

/// Bars from a start to an end value, one per series and category, placed in the bands of a band
/// scale along a linear scale.
public struct BarMark: Sendable {
  /// One segment of the mark, in data values (before scaling).
  public struct Segment: Hashable, Sendable {
    public var category: Int
    public var series: Int
    /// The value the segment starts at (zero, or the end of the segment below it).
    public var start: Double
    public var end: Double
    /// The figure the segment stands for (a share of 100 for `fill`).
    public var value: Double
  }

  /// `values[series][category]`.
  public var values: [[Double?]]
  public var position: BarPosition

  public init(values: [[Double?]], position: BarPosition) {
    self.values = values
    self.position = position
  }

  private var categoryCount: Int { values.map(\.count).max() ?? 0 }

  private func value(_ series: Int, _ category: Int) -> Double? {
    guard category < values[series].count, let value = values[series][category], value.isFinite else { return nil }
    return value
  }

  /// The segments, series by series within each category; missing values have none.
  public var segments: [Segment] {
    var segments: [Segment] = []
    for category in 0..<categoryCount {
      switch position {
      case .dodge:
        for series in values.indices {
          guard let value = value(series, category) else { continue }
          segments.append(Segment(category: category, series: series, start: 0, end: value, value: value))
        }
      case .stack, .fill:
        var total = 0.0
        if position == .fill {
          for series in values.indices { total += max(value(series, category) ?? 0, 0) }
        }
        var up = 0.0
        var down = 0.0
        for series in values.indices {
          guard var value = value(series, category) else { continue }
          if position == .fill {
            // Shares of a whole: a negative part has no meaning here (the composer refuses it).
            value = total > 0 ? max(value, 0) / total * 100 : 0
          }
          if value >= 0 {
            segments.append(Segment(category: category, series: series, start: up, end: up + value, value: value))
            up += value
          } else {
            segments.append(Segment(category: category, series: series, start: down, end: down + value, value: value))
            down += value
          }
        }
      }
    }
    return segments
  }

  /// The lowest and highest value any bar reaches, zero included.
  public var extent: ClosedRange<Double> {
    var low = 0.0
    var high = 0.0
    for segment in segments {
      low = min(low, segment.start, segment.end)
      high = max(high, segment.start, segment.end)
    }
    return low...high
  }

  /// The ends of each category's stack (`stack`, `fill`): where its total label goes.
  public func stackEnds() -> [(category: Int, low: Double, high: Double)] {
    var ends: [Int: (Double, Double)] = [:]
    for segment in segments {
      let current = ends[segment.category] ?? (0, 0)
      ends[segment.category] = (min(current.0, segment.start, segment.end), max(current.1, segment.start, segment.end))
    }
    return ends.keys.sorted().compactMap { key in ends[key].map { (key, $0.0, $0.1) } }
  }

  /// The band-axis interval of a segment: the whole band when stacked, a slot of it when dodged.
  public func across(_ segment: Segment, bands: BandScale) -> ClosedRange<Double> {
    let start = bands.start(at: segment.category)
    guard position == .dodge, values.count > 1 else { return start...(start + bands.bandwidth) }
    let slot = bands.bandwidth / Double(values.count)
    // A hairline of paper between neighbouring series keeps them apart.
    let gap = min(slot * 0.12, 1.5)
    let from = start + slot * Double(segment.series)
    return from...(from + slot - gap)
  }
}
