import Foundation

extension LabColor {
  /// The sRGB colour of this CIELAB colour, each component clamped to 0...1.
  var color: Color {
    let fy = (lightness + 16) / 116
    let fx = fy + a / 500
    let fz = fy - b / 200
    func inverse(_ t: Double) -> Double {
      let delta = 6.0 / 29
      return t > delta ? t * t * t : 3 * delta * delta * (t - 4.0 / 29)
    }
    // D65 white of the sRGB matrix (see `init(_ color:)`).
    let (x, y, z) = (inverse(fx) * 0.9504700, inverse(fy), inverse(fz) * 1.0888300)
    let red = 3.2404542 * x - 1.5371385 * y - 0.4985314 * z
    let green = -0.9692660 * x + 1.8760108 * y + 0.0415560 * z
    let blue = 0.0556434 * x - 0.2040259 * y + 1.0572252 * z
    return Color(red: Color.gammaEncoded(red), green: Color.gammaEncoded(green), blue: Color.gammaEncoded(blue))
  }
}

extension Palette {
  /// `count` shades of one hue for ordered series (years): from light to dark in even steps of
  /// CIELAB lightness, so that later periods read as darker and the order needs no legend lookup.
  /// Lightness does not depend on hue perception, so the steps stay apart for colour-blind
  /// readers too; `ColorCheck` verifies each chart.
  public static func sequential(_ count: Int, darkest: Color = Color(hex: 0x0B3060), lightest: Color = Color(hex: 0xA9CBE8)) -> [Color] {
    guard count > 1 else { return count == 1 ? [darkest] : [] }
    let (from, to) = (LabColor(lightest), LabColor(darkest))
    return (0..<count).map { index in
      let t = Double(index) / Double(count - 1)
      return LabColor(
        lightness: from.lightness + (to.lightness - from.lightness) * t, a: from.a + (to.a - from.a) * t,
        b: from.b + (to.b - from.b) * t
      ).color
    }
  }
}
