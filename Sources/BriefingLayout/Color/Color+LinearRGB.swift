import Foundation

extension Color {
  /// The red, green and blue components with the sRGB transfer curve undone (IEC 61966-2-1):
  /// light intensities, which add and scale linearly.
  var linearComponents: SIMD3<Double> {
    SIMD3(Self.linearized(red), Self.linearized(green), Self.linearized(blue))
  }

  /// Creates a colour from linear-light components, clamping each to 0...1 before encoding.
  init(linear components: SIMD3<Double>, alpha: Double) {
    self.init(
      red: Self.gammaEncoded(components.x), green: Self.gammaEncoded(components.y),
      blue: Self.gammaEncoded(components.z), alpha: alpha)
  }

  /// Decodes one sRGB component (0...1) to linear light.
  ///
  /// The break point is the sRGB standard's 0.04045. WCAG 2.x prints 0.03928, from an earlier draft
  /// of the standard; no 8-bit value lies between the two (10/255 ≈ 0.0392, 11/255 ≈ 0.0431), so
  /// ratios computed either way agree.
  static func linearized(_ component: Double) -> Double {
    component <= 0.04045 ? component / 12.92 : pow((component + 0.055) / 1.055, 2.4)
  }

  /// Encodes one linear-light component to sRGB, after clamping it to 0...1.
  static func gammaEncoded(_ linear: Double) -> Double {
    let value = min(max(linear, 0), 1)
    return value <= 0.0031308 ? value * 12.92 : 1.055 * pow(value, 1 / 2.4) - 0.055
  }
}
