/// A small, fast, seedable generator (Steele, Lea and Flood's SplitMix64): the same seed gives the
/// same sequence on every platform and Swift version, which `SystemRandomNumberGenerator` does not.
public struct SplitMix64: RandomNumberGenerator, Sendable {
  private var state: UInt64

  public init(seed: UInt64) {
    state = seed
  }

  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// A uniform value in [0, 1) with 53 random bits.
  public mutating func unit() -> Double {
    Double(next() >> 11) * 0x1.0p-53
  }

  /// A standard normal value (Box–Muller).
  public mutating func normal() -> Double {
    let u1 = max(unit(), 0x1.0p-53)
    let u2 = unit()
    return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
  }

  /// A generator for a sub-stream, so adding a region or programme does not reshuffle the others.
  public func fork(_ label: String) -> SplitMix64 {
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325  // FNV-1a
    for byte in label.utf8 {
      hash ^= UInt64(byte)
      hash &*= 0x100_0000_01B3
    }
    var child = SplitMix64(seed: state ^ hash)
    _ = child.next()
    return child
  }
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
