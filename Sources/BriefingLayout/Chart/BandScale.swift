/// Maps a list of categories onto equal bands of a range, with padding between them.
public struct BandScale: Hashable, Sendable {
  public var categories: [String]
  public var range: ClosedRange<Double>
  /// The share of each step left empty between bands, 0 to 1.
  public var paddingInner: Double
  /// The share of a step left empty before the first and after the last band.
  public var paddingOuter: Double

  public init(categories: [String], range: ClosedRange<Double>, paddingInner: Double = 0.3, paddingOuter: Double = 0.15) {
    self.categories = categories
    self.range = range
    self.paddingInner = paddingInner
    self.paddingOuter = paddingOuter
  }

  /// The distance from the start of one band to the start of the next.
  public var step: Double {
    let n = Double(categories.count)
    guard n > 0 else { return 0 }
    return (range.upperBound - range.lowerBound) / max(1, n - paddingInner + 2 * paddingOuter)
  }

  /// The thickness of one band.
  public var bandwidth: Double { step * (1 - paddingInner) }

  /// The start of the band at `index`.
  public func start(at index: Int) -> Double {
    range.lowerBound + step * (paddingOuter + Double(index))
  }

  /// The centre of the band at `index`.
  public func center(at index: Int) -> Double {
    start(at: index) + bandwidth / 2
  }
}
