/// A kind of dichromacy, the severest form of colour-vision deficiency, for checking that colours
/// stay distinguishable.
///
/// Deuteranopia and protanopia (missing M or L cones: red–green confusions) together affect about
/// 2 % of men; tritanopia (missing S cones: blue–yellow confusions) is rare, but is checked as well.
public enum ColorVisionDeficiency: String, CaseIterable, Sendable {
  /// No functioning M (“green”) cones.
  case deuteranopia
  /// No functioning L (“red”) cones.
  case protanopia
  /// No functioning S (“blue”) cones.
  case tritanopia

  /// The simulation matrix, applied to linear RGB, at severity 1.0.
  ///
  /// From G. M. Machado, M. M. Oliveira and L. A. F. Fernandes, “A Physiologically-based Model for
  /// Simulation of Color Vision Deficiency”, IEEE Transactions on Visualization and Computer
  /// Graphics 15 (6), 2009, pp. 1291–1298, doi:10.1109/TVCG.2009.113; the matrices for severity 1.0
  /// as the authors publish them alongside the paper. Rows give the output red, green and blue.
  var simulationMatrix: (SIMD3<Double>, SIMD3<Double>, SIMD3<Double>) {
    switch self {
    case .protanopia:
      (
        SIMD3(0.152286, 1.052583, -0.204868),
        SIMD3(0.114503, 0.786281, 0.099216),
        SIMD3(-0.003882, -0.048116, 1.051998)
      )
    case .deuteranopia:
      (
        SIMD3(0.367322, 0.860646, -0.227968),
        SIMD3(0.280085, 0.672501, 0.047413),
        SIMD3(-0.011820, 0.042940, 0.968881)
      )
    case .tritanopia:
      (
        SIMD3(1.255528, -0.076749, -0.178779),
        SIMD3(-0.078411, 0.930809, 0.147602),
        SIMD3(0.004733, 0.691367, 0.303900)
      )
    }
  }
}

extension Color {
  /// Returns the colour as a person with the deficiency `deficiency` is likely to see it.
  ///
  /// Uses the Machado, Oliveira & Fernandes (2009) model at severity 1.0: the sRGB gamma is
  /// decoded, the model's matrix is applied to the linear components, the result is clamped to
  /// 0...1 and encoded again. Greys are unchanged (each matrix row sums to 1, to six decimals). Alpha is kept.
  public func simulated(_ deficiency: ColorVisionDeficiency) -> Color {
    let linear = linearComponents
    let (red, green, blue) = deficiency.simulationMatrix
    let simulated = SIMD3((red * linear).sum(), (green * linear).sum(), (blue * linear).sum())
    return Color(linear: simulated, alpha: alpha)
  }
}
