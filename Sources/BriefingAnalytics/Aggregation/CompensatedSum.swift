/// A running sum with Neumaier's compensation: adding a million values of 0.1 or mixing 1e15 with
/// small values loses no more than one rounding.
public struct CompensatedSum: Hashable, Sendable {
  private var sum = 0.0
  private var compensation = 0.0

  public init() {}

  /// A sum carried on from its two parts (a kernel's per-group sum and compensation).
  init(sum: Double, compensation: Double) {
    self.sum = sum
    self.compensation = compensation
  }

  public mutating func add(_ value: Double) {
    let t = sum + value
    if !t.isFinite {
      // Past the largest double the compensation would be inf − inf: keep the infinity.
      compensation = 0
    } else if abs(sum) >= abs(value) {
      compensation += (sum - t) + value
    } else {
      compensation += (value - t) + sum
    }
    sum = t
  }

  /// The compensated total.
  public var value: Double { sum + compensation }
}
