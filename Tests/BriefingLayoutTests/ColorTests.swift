@testable import BriefingLayout
import Testing

/// All 34 pairs of Sharma, Wu & Dalal (2005), table 1: L*, a*, b* of each colour, then ΔE₀₀.
private let sharmaPairs: [(Double, Double, Double, Double, Double, Double, Double)] = [
    (50.0000, 2.6772, -79.7751, 50.0000, 0.0000, -82.7485, 2.0425),
    (50.0000, 3.1571, -77.2803, 50.0000, 0.0000, -82.7485, 2.8615),
    (50.0000, 2.8361, -74.0200, 50.0000, 0.0000, -82.7485, 3.4412),
    (50.0000, -1.3802, -84.2814, 50.0000, 0.0000, -82.7485, 1.0000),
    (50.0000, -1.1848, -84.8006, 50.0000, 0.0000, -82.7485, 1.0000),
    (50.0000, -0.9009, -85.5211, 50.0000, 0.0000, -82.7485, 1.0000),
    (50.0000, 0.0000, 0.0000, 50.0000, -1.0000, 2.0000, 2.3669),
    (50.0000, -1.0000, 2.0000, 50.0000, 0.0000, 0.0000, 2.3669),
    (50.0000, 2.4900, -0.0010, 50.0000, -2.4900, 0.0009, 7.1792),
    (50.0000, 2.4900, -0.0010, 50.0000, -2.4900, 0.0010, 7.1792),
    (50.0000, 2.4900, -0.0010, 50.0000, -2.4900, 0.0011, 7.2195),
    (50.0000, 2.4900, -0.0010, 50.0000, -2.4900, 0.0012, 7.2195),
    (50.0000, -0.0010, 2.4900, 50.0000, 0.0009, -2.4900, 4.8045),
    (50.0000, -0.0010, 2.4900, 50.0000, 0.0010, -2.4900, 4.8045),
    (50.0000, -0.0010, 2.4900, 50.0000, 0.0011, -2.4900, 4.7461),
    (50.0000, 2.5000, 0.0000, 50.0000, 0.0000, -2.5000, 4.3065),
    (50.0000, 2.5000, 0.0000, 73.0000, 25.0000, -18.0000, 27.1492),
    (50.0000, 2.5000, 0.0000, 61.0000, -5.0000, 29.0000, 22.8977),
    (50.0000, 2.5000, 0.0000, 56.0000, -27.0000, -3.0000, 31.9030),
    (50.0000, 2.5000, 0.0000, 58.0000, 24.0000, 15.0000, 19.4535),
    (50.0000, 2.5000, 0.0000, 50.0000, 3.1736, 0.5854, 1.0000),
    (50.0000, 2.5000, 0.0000, 50.0000, 3.2972, 0.0000, 1.0000),
    (50.0000, 2.5000, 0.0000, 50.0000, 1.8634, 0.5757, 1.0000),
    (50.0000, 2.5000, 0.0000, 50.0000, 3.2592, 0.3350, 1.0000),
    (60.2574, -34.0099, 36.2677, 60.4626, -34.1751, 39.4387, 1.2644),
    (63.0109, -31.0961, -5.8663, 62.8187, -29.7946, -4.0864, 1.2630),
    (61.2901, 3.7196, -5.3901, 61.4292, 2.2480, -4.9620, 1.8731),
    (35.0831, -44.1164, 3.7933, 35.0232, -40.0716, 1.5901, 1.8645),
    (22.7233, 20.0904, -46.6940, 23.0331, 14.9730, -42.5619, 2.0373),
    (36.4612, 47.8580, 18.3852, 36.2715, 50.5065, 21.2231, 1.4146),
    (90.8027, -2.0831, 1.4410, 91.1528, -1.6435, 0.0447, 1.4441),
    (90.9257, -0.5406, -0.9208, 88.6381, -0.8985, -0.7239, 1.5381),
    (6.7747, -0.2908, -2.4247, 5.8714, -0.0985, -2.2286, 0.6377),
    (2.0776, 0.0795, -1.1350, 0.9033, -0.0636, -0.5514, 0.9082),
]

/// The tests of colour parsing, vision simulation, colour difference, contrast, the palette and
/// the check, grouped so that `swift test --filter ColorTests` runs them all.
@Suite struct ColorTests {}

private func seen(_ color: Color, with deficiency: ColorVisionDeficiency?) -> Color {
  deficiency.map { color.simulated($0) } ?? color
}

extension ColorTests {
  @Suite struct Parsing {
    @Test func hexInEveryForm() throws {
      for text in ["#1F4E79", "1F4E79", "#1f4e79", "1f4E79", "  #1F4E79\n"] {
        #expect(try Color(parsing: text) == Color(hex: 0x1F4E79), "\(text)")
      }
      for text in ["#abc", "ABC", "#aBc"] {
        #expect(try Color(parsing: text) == Color(hex: 0xAABBCC), "\(text)")
      }
    }

    @Test func namesIgnoringCase() throws {
      #expect(try Color(parsing: "red") == Color(hex: 0xFF0000))
      #expect(try Color(parsing: "SteelBlue") == Color(hex: 0x4682B4))
      #expect(try Color(parsing: "rebeccapurple") == Color(hex: 0x663399))
      #expect(try Color(parsing: " GREY ") == Color(parsing: "gray"))
    }

    @Test func everyCSSNameParses() throws {
      #expect(cssNamedColors.count == 148)
      for (name, value) in cssNamedColors {
        #expect(try Color(parsing: name.uppercased()) == Color(hex: value), "\(name)")
      }
    }

    @Test func hexStringRoundTrips() throws {
      #expect(Color(hex: 0x1F4E79).hexString == "#1F4E79")
      #expect(Color(hex: 0x0A0B0C).hexString == "#0A0B0C")
      #expect(try Color(parsing: "steelblue").hexString == "#4682B4")
      #expect(Color(red: 1.2, green: -0.1, blue: 0.5).hexString == "#FF0080")
      for hex in Palette.categorical.colors.map(\.hexString) {
        #expect(try Color(parsing: hex).hexString == hex)
      }
    }

    @Test func aMisspeltNameSuggestsTheNearest() {
      #expect(throws: ColorParseError(found: "rde", suggestion: "red")) { try Color(parsing: "rde") }
      #expect(throws: ColorParseError(found: "stealblue", suggestion: "steelblue")) { try Color(parsing: "stealblue") }
      #expect(throws: ColorParseError(found: "blurple", suggestion: "purple")) { try Color(parsing: "blurple") }
      #expect(
        ColorParseError(found: "rde", suggestion: "red").description
          == "expected a colour as #RRGGBB, #RGB or a CSS colour name (steelblue), found “rde” (did you mean “red”?)")
    }

    @Test func otherTextIsRefusedWithoutAGuess() {
      for text in ["", "#12345", "#1234567", "#GGGGGG", "+1F4E7", "-1F4E7", "zzzzzz", "#red", "１２３"] {
        #expect(throws: ColorParseError(found: text, suggestion: nil), "\(text)") { try Color(parsing: text) }
      }
      #expect(
        ColorParseError(found: "#12345").description
          == "expected a colour as #RRGGBB, #RGB or a CSS colour name (steelblue), found “#12345”")
    }
  }
}

extension ColorTests {
  @Suite struct Vision {
    @Test func greysAreUnchanged() {
      for level in [0, 0.1, 0.35, 0.5, 0.8, 1] {
        let grey = Color(red: level, green: level, blue: level, alpha: 0.5)
        for deficiency in ColorVisionDeficiency.allCases {
          let simulated = grey.simulated(deficiency)
          #expect(abs(simulated.red - level) < 1e-5 && abs(simulated.green - level) < 1e-5, "\(deficiency)")
          #expect(abs(simulated.blue - level) < 1e-5 && simulated.alpha == 0.5, "\(deficiency)")
        }
      }
    }

    @Test func redAndGreenCollapseWithDeuteranopia() {
      // d3's category10 red and green: far apart for most readers, close for a deuteranope.
      let red = Color(hex: 0xD62728)
      let green = Color(hex: 0x2CA02C)
      #expect(red.difference(from: green) > 50)
      #expect(red.simulated(.deuteranopia).difference(from: green.simulated(.deuteranopia)) < 6)
      // Tritanopia keeps the red–green axis.
      #expect(red.simulated(.tritanopia).difference(from: green.simulated(.tritanopia)) > 50)
    }

    @Test func pureRedLosesItsRedness() {
      let seen = Color(hex: 0xFF0000).simulated(.protanopia)
      // A protanope sees pure red as a dark olive: much darker, with green and red alike.
      #expect(seen.relativeLuminance < Color(hex: 0xFF0000).relativeLuminance)
      #expect(abs(seen.red - seen.green) < 0.15 && seen.blue < seen.red)
    }
  }
}

extension ColorTests {
  @Suite struct Difference {
    @Test func ciede2000MatchesSharmaWuDalal() {
      for (l1, a1, b1, l2, a2, b2, expected) in sharmaPairs {
        let first = LabColor(lightness: l1, a: a1, b: b1)
        let second = LabColor(lightness: l2, a: a2, b: b2)
        #expect(abs(LabColor.ciede2000(first, second) - expected) < 1e-4, "\(first) \(second)")
        #expect(abs(LabColor.ciede2000(second, first) - expected) < 1e-4, "\(second) \(first)")
      }
    }

    @Test func srgbToLab() {
      let white = Color.white.lab
      #expect(abs(white.lightness - 100) < 1e-9 && abs(white.a) < 1e-9 && abs(white.b) < 1e-9)
      let grey = Color(hex: 0x777777).lab
      #expect(abs(grey.a) < 1e-9 && abs(grey.b) < 1e-9)
      // sRGB red in CIELAB D65, as commonly tabulated: 53.24, 80.09, 67.20.
      let red = Color(hex: 0xFF0000).lab
      #expect(abs(red.lightness - 53.2408) < 0.01 && abs(red.a - 80.0925) < 0.01 && abs(red.b - 67.2032) < 0.01)
    }

    @Test func differenceOfColours() {
      #expect(Color(hex: 0x2F6D9E).difference(from: Color(hex: 0x2F6D9E)) == 0)
      #expect(abs(Color.black.difference(from: .white) - 100) < 1e-6)
    }
  }
}

extension ColorTests {
  @Suite struct Contrast {
    @Test func blackOnWhiteIs21() {
      #expect(Color.white.relativeLuminance == 1)
      #expect(Color.black.relativeLuminance == 0)
      #expect(abs(Color.black.contrastRatio(with: .white) - 21) < 1e-12)
      #expect(Color.white.contrastRatio(with: .black) == Color.black.contrastRatio(with: .white))
    }

    @Test func theLightestGreyForTextOnWhite() {
      // #767676 is the lightest grey with 4.5:1 on white (4.54:1); #777777 has 4.48:1.
      #expect(abs(Color(hex: 0x767676).contrastRatio(with: .white) - 4.54) < 0.005)
      #expect(abs(Color(hex: 0x777777).contrastRatio(with: .white) - 4.48) < 0.005)
    }
  }
}

extension ColorTests {
  @Suite struct PaletteChoice {
    /// The nine colours every pair of which must be apart: the eight and “Other”.
    let colors = Palette.categorical.colors + [Palette.categorical.other]

    /// The smallest difference between any two of `colors` as seen with `deficiency`.
    func smallestDifference(with deficiency: ColorVisionDeficiency?) -> Double {
      var smallest = Double.infinity
      for (index, first) in colors.enumerated() {
        for second in colors[(index + 1)...] {
          smallest = min(smallest, seen(first, with: deficiency).difference(from: seen(second, with: deficiency)))
        }
      }
      return smallest
    }

    @Test func eightColoursAndAGreyStartingWithTheBarBlue() {
      #expect(Palette.categorical.colors.count == 8)
      #expect(Palette.categorical.colors.first == Theme.bulletin.barFill)
      let other = Palette.categorical.other
      #expect(other.red == other.green && other.green == other.blue)
      #expect(Set(colors).count == 9)
    }

    @Test func everyPairIsApartForEveryVision() {
      #expect(smallestDifference(with: nil) >= Palette.minimumNormalDifference)
      for deficiency in ColorVisionDeficiency.allCases {
        #expect(smallestDifference(with: deficiency) >= ColorCheck.minimumDifference, "\(deficiency)")
      }
    }

    @Test func everyColourHas3To1AgainstWhite() {
      for color in colors {
        #expect(color.contrastRatio(with: .white) >= 3, "\(color.hexString)")
      }
    }

    @Test func theDocumentedMinimaAreTheComputedOnes() {
      // Palette.categorical's comment quotes these; keep it true when the colours change.
      let documented: [(ColorVisionDeficiency?, Double)] = [
        (nil, 17.0), (.deuteranopia, 10.2), (.protanopia, 10.7), (.tritanopia, 10.3),
      ]
      for (deficiency, value) in documented {
        #expect(abs(smallestDifference(with: deficiency) - value) < 0.05, "\(String(describing: deficiency))")
      }
      let lowestContrast = colors.map { $0.contrastRatio(with: .white) }.min() ?? 0
      #expect(abs(lowestContrast - 3.2) < 0.05)
    }

    @Test func thePalettePassesTheCheck() {
      let series = colors.enumerated().map { (name: "series \($0.offset)", color: $0.element) }
      #expect(ColorCheck.problems(series: series, texts: []).isEmpty)
    }

    @Test func indicesWrapAround() {
      let palette = Palette.categorical
      #expect(palette.color(at: 0) == palette.colors[0])
      #expect(palette.color(at: 8) == palette.colors[0])
      #expect(palette.color(at: 11) == palette.colors[3])
      #expect(palette.color(at: -1) == palette.colors[7])
      #expect(Palette(colors: [], other: .black).color(at: 3) == .black)
    }
  }
}

extension ColorTests {
  @Suite struct Check {
    @Test func aRedGreenPairIsReportedForDeuteranopia() {
      let problems = ColorCheck.problems(
        series: [("2023", Color(hex: 0x2F6D9E)), ("2024", Color(hex: 0xD62728)), ("2025", Color(hex: 0x2CA02C))],
        texts: [])
      #expect(problems.count == 1)
      guard case .seriesTooSimilar(let first, let second, let deficiency, let difference, let minimum)? = problems.first
      else {
        Issue.record("expected a pair of series, got \(problems)")
        return
      }
      #expect(first == "2024" && second == "2025" && deficiency == .deuteranopia && minimum == 6)
      let expected = Color(hex: 0xD62728).simulated(.deuteranopia)
        .difference(from: Color(hex: 0x2CA02C).simulated(.deuteranopia))
      #expect(difference == expected)
      #expect(
        problems.first?.description
          == "series “2024” and “2025” are hard to tell apart with deuteranopia (ΔE2000 4.6, below 6)")
    }

    @Test func equalColoursAreReportedForNormalVision() {
      let blue = Color(hex: 0x2F6D9E)
      let problems = ColorCheck.problems(series: [("A", blue), ("B", blue)], texts: [])
      #expect(problems == [.seriesTooSimilar(first: "A", second: "B", deficiency: nil, difference: 0, minimum: 6)])
      #expect(
        problems.first?.description
          == "series “A” and “B” are hard to tell apart with normal vision (ΔE2000 0.0, below 6)")
    }

    @Test func textBelow4point5IsReported() {
      let problems = ColorCheck.problems(
        series: [],
        texts: [
          ("the source note", Color(hex: 0x777777), .white),
          ("the footnote", Color(hex: 0x767676), .white),
          ("value labels", .white, Color(hex: 0xA67E35)),
        ])
      #expect(problems.count == 2)
      #expect(
        problems.first?.description
          == "the source note has a contrast of 4.47:1 with its background, below 4.5:1")
      guard case .textContrastTooLow(let what, let ratio, let minimum)? = problems.last else {
        Issue.record("expected a text, got \(problems)")
        return
      }
      #expect(what == "value labels" && ratio < 4.5 && minimum == ColorCheck.minimumTextContrast)
    }

    /// The smallest difference between any two of `hexes` with `deficiency`.
    func smallestDifference(_ hexes: [UInt32], with deficiency: ColorVisionDeficiency) -> Double {
      let colors = hexes.map { Color(hex: $0).simulated(deficiency) }
      var smallest = Double.infinity
      for (index, first) in colors.enumerated() {
        for second in colors[(index + 1)...] { smallest = min(smallest, first.difference(from: second)) }
      }
      return smallest
    }

    @Test func theThresholdSeparatesKnownPalettes() {
      // As ColorCheck.minimumDifference's comment says: d3's category10 confuses some pairs...
      let d3Orange = Color(hex: 0xFF7F0E).simulated(.protanopia)
      #expect(d3Orange.difference(from: Color(hex: 0x2CA02C).simulated(.protanopia)) < 1.5)
      let d3Red = Color(hex: 0xD62728).simulated(.deuteranopia)
      #expect(d3Red.difference(from: Color(hex: 0x2CA02C).simulated(.deuteranopia)) < 5)
      // ...while schemes made for colour-blind readers stay at 8.6 or more.
      let okabeIto: [UInt32] = [0xE69F00, 0x56B4E9, 0x009E73, 0xF0E442, 0x0072B2, 0xD55E00, 0xCC79A7]
      let tolBright: [UInt32] = [0x4477AA, 0xEE6677, 0x228833, 0xCCBB44, 0x66CCEE, 0xAA3377, 0xBBBBBB]
      for deficiency in ColorVisionDeficiency.allCases {
        #expect(smallestDifference(okabeIto, with: deficiency) >= 8.6, "\(deficiency)")
        #expect(smallestDifference(tolBright, with: deficiency) >= 8.6, "\(deficiency)")
      }
    }

    @Test func labelsInsideBarsTakeTheBetterInk() {
      let ink = Color(hex: 0x1A1A1A)
      #expect(ColorCheck.textColor(on: Color(hex: 0x2F6D9E), dark: ink, light: .white) == .white)
      #expect(ColorCheck.textColor(on: Color(hex: 0xA67E35), dark: ink, light: .white) == ink)
      #expect(ColorCheck.textColor(on: Color(hex: 0xF3F5F7), dark: ink, light: .white) == ink)
      #expect(ColorCheck.textColor(on: .black, dark: ink, light: .white) == .white)
    }
  }
}
