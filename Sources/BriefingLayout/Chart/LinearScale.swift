import Foundation

/// An interval of positions from `start` to `end`; `end` may be smaller (a vertical axis grows upwards).
public struct Span: Hashable, Sendable {
  public var start: Double
  public var end: Double

  public init(_ start: Double, _ end: Double) {
    self.start = start
    self.end = end
  }
}

/// Maps a continuous domain of values onto a range of positions, and chooses round tick values.
public struct LinearScale: Hashable, Sendable {
  public var domain: ClosedRange<Double>
  public var range: Span
  /// Whether ticks are whole numbers only (counts of people or things: no tick at 2.5 persons).
  public var integerSteps: Bool

  public init(domain: ClosedRange<Double>, range: Span, integerSteps: Bool = false) {
    self.domain = domain
    self.range = range
    self.integerSteps = integerSteps
  }

  /// Creates a scale whose domain covers `values`, and zero unless `includingZero` is false (bars
  /// start at zero; a line need not), extended to round ticks.
  public init(
    covering values: [Double], range: Span, tickCount: Int = 5, includingZero: Bool = true, integerSteps: Bool = false
  ) {
    let finite = values.filter(\.isFinite)
    var low = finite.min() ?? 0
    var high = finite.max() ?? 0
    if includingZero {
      low = min(0, low)
      high = max(0, high)
    }
    if low == high {
      // One value (or zero alone): room around it, so the scale has a span.
      let room = low == 0 ? 1 : abs(low) * 0.1
      if includingZero { high = low + room } else { (low, high) = (low - room, high + room) }
    }
    self.init(domain: low...high, range: range, integerSteps: integerSteps)
    self = nice(tickCount: tickCount)
  }

  /// Returns the position of `value`.
  public func map(_ value: Double) -> Double {
    let span = domain.upperBound - domain.lowerBound
    guard span != 0 else { return range.start }
    let t = (value - domain.lowerBound) / span
    return range.start + t * (range.end - range.start)
  }

  /// The distance between ticks for about `count` ticks: 1, 2 or 5 times a power of ten.
  public func tickStep(count: Int) -> Double {
    let step = Self.tickStep(span: domain.upperBound - domain.lowerBound, count: count)
    return integerSteps ? max(step, 1) : step
  }

  /// The decimals that tick labels need for the step of about `count` ticks (0.0025 → 4).
  public func tickDigits(count: Int) -> Int {
    let step = tickStep(count: count)
    guard step > 0, step < 1 else { return 0 }
    var digits = max(0, -Int(floor(log10(step))))
    // 0.25 needs two decimals, not one.
    while digits < 12, abs((step * pow(10, Double(digits))).rounded() - step * pow(10, Double(digits))) > 1e-6 { digits += 1 }
    return digits
  }

  static func tickStep(span: Double, count: Int) -> Double {
    guard span > 0, count > 0 else { return 1 }
    let raw = span / Double(count)
    let power = pow(10, floor(log10(raw)))
    let error = raw / power
    let factor: Double = error >= 7.071 ? 10 : error >= 3.162 ? 5 : error >= 1.414 ? 2 : 1
    return factor * power
  }

  /// Round values inside the domain, about `count` of them, including zero when the domain spans it.
  public func ticks(count: Int = 5) -> [Double] {
    let step = tickStep(count: count)
    let first = (domain.lowerBound / step - 1e-9).rounded(.up)
    let last = (domain.upperBound / step + 1e-9).rounded(.down)
    guard first <= last else { return [] }
    // Multiply an integer index rather than accumulate, then round to the step's decimals, so ticks
    // read 0.6, not 0.6000000000000001.
    let decimals = max(0, -Int(floor(log10(step))))
    let precision = pow(10, Double(decimals))
    return stride(from: first, through: last, by: 1).map { index in
      let value = (index * step * precision).rounded() / precision
      return value == 0 ? 0 : value
    }
  }

  /// Returns the scale with its domain extended outwards to whole tick steps.
  public func nice(tickCount: Int = 5) -> LinearScale {
    var copy = self
    for _ in 0..<2 {  // Extending can change the step once; two passes settle it.
      let step = copy.tickStep(count: tickCount)
      let low = (copy.domain.lowerBound / step).rounded(.down) * step
      let high = (copy.domain.upperBound / step).rounded(.up) * step
      copy.domain = low...high
    }
    return copy
  }
}
