import Foundation

/// A colour in CIELAB (CIE 1976 L*a*b*) relative to the D65 white of sRGB: `lightness` 0...100,
/// `a` from green (negative) to red, `b` from blue (negative) to yellow.
struct LabColor: Hashable, Sendable {
  var lightness: Double
  var a: Double
  var b: Double

  init(lightness: Double, a: Double, b: Double) {
    self.lightness = lightness
    self.a = a
    self.b = b
  }

  /// Converts an sRGB colour (alpha ignored): linear RGB, then CIE XYZ by the sRGB primaries and
  /// D65 white (IEC 61966-2-1), then CIELAB.
  init(_ color: Color) {
    let linear = color.linearComponents
    // Rows: X, Y, Z from linear red, green, blue.
    let toX = SIMD3(0.4124564, 0.3575761, 0.1804375)
    let toY = SIMD3(0.2126729, 0.7151522, 0.0721750)
    let toZ = SIMD3(0.0193339, 0.1191920, 0.9503041)
    // The reference white is the matrix's image of RGB white (X 0.95047, Y 1, Z 1.08883), so that
    // white has L* = 100 and every grey has a* = b* = 0 exactly.
    let x = (toX * linear).sum() / toX.sum()
    let y = (toY * linear).sum() / toY.sum()
    let z = (toZ * linear).sum() / toZ.sum()
    let (fx, fy, fz) = (Self.f(x), Self.f(y), Self.f(z))
    self.init(lightness: 116 * fy - 16, a: 500 * (fx - fy), b: 200 * (fy - fz))
  }

  /// CIELAB's compressive function: a cube root, linear near black.
  private static func f(_ t: Double) -> Double {
    let delta = 6.0 / 29
    return t > delta * delta * delta ? cbrt(t) : t / (3 * delta * delta) + 4.0 / 29
  }

  /// Returns the CIEDE2000 colour difference ΔE₀₀ between two colours, with the parametric factors
  /// kL = kC = kH = 1.
  ///
  /// Follows G. Sharma, W. Wu and E. N. Dalal, “The CIEDE2000 Color-Difference Formula:
  /// Implementation Notes, Supplementary Test Data, and Mathematical Observations”, Color Research
  /// & Application 30 (1), 2005, pp. 21–30, including their conventions for a zero chroma (hue 0,
  /// no hue difference, the mean hue is the sum). Symmetric in its arguments.
  static func ciede2000(_ first: LabColor, _ second: LabColor) -> Double {
    let pow25To7 = 6_103_515_625.0  // 25⁷
    func radians(_ degrees: Double) -> Double { degrees * .pi / 180 }
    func hueAngle(_ b: Double, _ aPrime: Double) -> Double {
      if b == 0 && aPrime == 0 { return 0 }
      let degrees = atan2(b, aPrime) * 180 / .pi
      return degrees < 0 ? degrees + 360 : degrees
    }

    // 1. C′ and h′: a* stretched so that near-neutral colours get their hue right.
    let c1 = (first.a * first.a + first.b * first.b).squareRoot()
    let c2 = (second.a * second.a + second.b * second.b).squareRoot()
    let meanC7 = pow((c1 + c2) / 2, 7)
    let g = 0.5 * (1 - (meanC7 / (meanC7 + pow25To7)).squareRoot())
    let a1 = (1 + g) * first.a
    let a2 = (1 + g) * second.a
    let c1Prime = (a1 * a1 + first.b * first.b).squareRoot()
    let c2Prime = (a2 * a2 + second.b * second.b).squareRoot()
    let h1 = hueAngle(first.b, a1)
    let h2 = hueAngle(second.b, a2)

    // 2. ΔL′, ΔC′, ΔH′.
    let deltaL = second.lightness - first.lightness
    let deltaC = c2Prime - c1Prime
    let chromaProduct = c1Prime * c2Prime
    var deltaHue = 0.0
    if chromaProduct != 0 {
      deltaHue = h2 - h1
      if deltaHue > 180 { deltaHue -= 360 } else if deltaHue < -180 { deltaHue += 360 }
    }
    let deltaH = 2 * chromaProduct.squareRoot() * sin(radians(deltaHue) / 2)

    // 3. The weighting functions and the rotation term.
    let meanL = (first.lightness + second.lightness) / 2
    let meanCPrime = (c1Prime + c2Prime) / 2
    var meanHue = h1 + h2
    if chromaProduct != 0 {
      if abs(h1 - h2) <= 180 {
        meanHue = (h1 + h2) / 2
      } else if h1 + h2 < 360 {
        meanHue = (h1 + h2 + 360) / 2
      } else {
        meanHue = (h1 + h2 - 360) / 2
      }
    }
    let t =
      1 - 0.17 * cos(radians(meanHue - 30)) + 0.24 * cos(radians(2 * meanHue))
      + 0.32 * cos(radians(3 * meanHue + 6)) - 0.20 * cos(radians(4 * meanHue - 63))
    let deltaTheta = 30 * exp(-pow((meanHue - 275) / 25, 2))
    let meanCPrime7 = pow(meanCPrime, 7)
    let rotationC = 2 * (meanCPrime7 / (meanCPrime7 + pow25To7)).squareRoot()
    let lightnessOffset = (meanL - 50) * (meanL - 50)
    let weightL = 1 + 0.015 * lightnessOffset / (20 + lightnessOffset).squareRoot()
    let weightC = 1 + 0.045 * meanCPrime
    let weightH = 1 + 0.015 * meanCPrime * t
    let rotation = -sin(radians(2 * deltaTheta)) * rotationC

    let termL = deltaL / weightL
    let termC = deltaC / weightC
    let termH = deltaH / weightH
    return (termL * termL + termC * termC + termH * termH + rotation * termC * termH).squareRoot()
  }
}

extension Color {
  /// The colour in CIELAB, D65 (alpha ignored).
  var lab: LabColor { LabColor(self) }

  /// Returns the CIEDE2000 colour difference ΔE₀₀ between this colour and `other`, both taken as
  /// opaque sRGB (D65) and converted to CIELAB.
  ///
  /// About 1 is the smallest difference visible between large patches side by side; the marks of
  /// a chart, small and apart, need several times that (see `ColorCheck.minimumDifference`).
  public func difference(from other: Color) -> Double {
    LabColor.ciede2000(lab, other.lab)
  }
}
