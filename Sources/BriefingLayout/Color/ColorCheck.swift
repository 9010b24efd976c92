/// Checks the colours of a chart or page for readers with normal and deficient colour vision.
///
/// A build runs it on each chart's series colours and on text drawn over fills, and reports what it
/// returns as warnings.
public struct ColorCheck {
  /// The smallest CIEDE2000 difference two series' colours may have, under normal vision and as
  /// simulated for each `ColorVisionDeficiency`: 6.
  ///
  /// Why 6: about 1 is just noticeable between large patches side by side, but the marks of a
  /// chart are small, apart from each other and matched against a legend, which takes several
  /// times that. 6 lies between the pairs known to confuse dichromats and the schemes designed for
  /// them: d3's category10 has its orange and green 1.3 apart for protanopia and its red and green
  /// 4.6 apart for deuteranopia, while Okabe & Ito's scheme and Paul Tol's “bright” keep every pair
  /// at least 8.6 apart under each simulation (`ColorTests` checks these). A higher bar would leave
  /// few colours once they must also keep 3:1 against white, for dichromats see little more than
  /// lightness and a blue–yellow axis.
  public static let minimumDifference: Double = 6

  /// The smallest WCAG contrast ratio for text against its background: 4.5:1 (WCAG 2.x success
  /// criterion 1.4.3, level AA, for text smaller than 18 pt, or 14 pt bold).
  public static let minimumTextContrast = 4.5

  /// Returns the problems with a chart's colours: pairs of series too close to tell apart, and
  /// texts with too little contrast.
  ///
  /// Each pair of series is compared under normal vision and as simulated for each deficiency
  /// (`Color.simulated(_:)`); a pair closer than `minimumDifference` under any of them gives one
  /// problem, naming the vision with the smallest difference. Each text with a contrast ratio below
  /// `minimumTextContrast` gives one problem. Problems come in the order of the series, then of the
  /// texts. Alpha is ignored.
  /// - Parameters:
  ///   - series: Each series' name, as the legend shows it, and its colour.
  ///   - texts: What each text is (for the message), its colour and the colour behind it.
  /// - Returns: The problems found; empty when the colours pass.
  /// - Complexity: O(n²) in the number of series.
  public static func problems(
    series: [(name: String, color: Color)] = [], texts: [(what: String, text: Color, background: Color)] = []
  ) -> [ColorProblem] {
    var problems: [ColorProblem] = []
    for (index, first) in series.enumerated() {
      for second in series[(index + 1)...] {
        let (difference, deficiency) = smallestDifference(between: first.color, and: second.color)
        if difference < minimumDifference {
          problems.append(
            .seriesTooSimilar(
              first: first.name, second: second.name, deficiency: deficiency, difference: difference,
              minimum: minimumDifference))
        }
      }
    }
    for text in texts {
      let ratio = text.text.contrastRatio(with: text.background)
      if ratio < minimumTextContrast {
        problems.append(.textContrastTooLow(what: text.what, ratio: ratio, minimum: minimumTextContrast))
      }
    }
    return problems
  }

  /// Returns `dark` or `light`, whichever contrasts more with `fill` (`dark` on a tie): the colour
  /// for a label drawn inside a bar.
  public static func textColor(on fill: Color, dark: Color, light: Color) -> Color {
    fill.contrastRatio(with: light) > fill.contrastRatio(with: dark) ? light : dark
  }

  /// The smallest CIEDE2000 difference between two colours under normal vision (nil) and each
  /// simulated deficiency, and the vision it was found with (the first, in that order, on a tie).
  static func smallestDifference(between first: Color, and second: Color) -> (Double, ColorVisionDeficiency?) {
    var smallest = (first.difference(from: second), ColorVisionDeficiency?.none)
    for deficiency in ColorVisionDeficiency.allCases {
      let difference = first.simulated(deficiency).difference(from: second.simulated(deficiency))
      if difference < smallest.0 { smallest = (difference, deficiency) }
    }
    return smallest
  }
}
