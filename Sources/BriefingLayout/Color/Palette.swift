/// The colours of a chart's series, in order, and a grey for an “Other” series.
///
/// The default, `categorical`, is made for a statistical bulletin printed on white paper:
/// - every colour has a contrast of at least 3:1 against white, as WCAG 2.x (success criterion
///   1.4.11, non-text contrast) asks of the graphical parts needed to understand a chart, so pale
///   yellows and sky blues are left out or darkened;
/// - every pair of its nine colours (the eight and the grey) differs by at least
///   `Palette.minimumNormalDifference` (CIEDE2000) under normal vision, and by at least
///   `ColorCheck.minimumDifference` as simulated for deuteranopia, protanopia and tritanopia.
///
/// `Tests/BriefingLayoutTests/ColorTests.swift` computes all three properties.
public struct Palette: Hashable, Sendable {
  /// The series colours, in the order series take them.
  public var colors: [Color]
  /// The colour of an “Other” (remainder) series: a neutral grey in the default palette, so that
  /// it reads as less important than the named series.
  public var other: Color

  /// Creates a palette from series colours and the colour of an “Other” series.
  public init(colors: [Color], other: Color) {
    self.colors = colors
    self.other = other
  }

  /// Returns the colour of the series at `index`, starting again from the first colour after the
  /// last (a chart with more series than colours should group the rest into “Other”). A palette
  /// without colours gives `other`.
  public func color(at index: Int) -> Color {
    guard !colors.isEmpty else { return other }
    let wrapped = index % colors.count
    return colors[wrapped < 0 ? wrapped + colors.count : wrapped]
  }

  /// The smallest CIEDE2000 difference between any two colours of `categorical` (“Other”
  /// included) under normal vision: 10, about three times what can be told apart at a glance
  /// between small marks, so that a series is found again in the legend without hesitation.
  public static let minimumNormalDifference: Double = 10

  /// Eight sober colours and a grey for “Other”, in an order where the first few are the most
  /// distinct from each other.
  ///
  /// The first is the bar blue of the default theme (`Theme.barFill`), so single-series charts
  /// keep their colour. Hue families start from Paul Tol's “muted” and Okabe & Ito's schemes,
  /// darkened where needed for 3:1 against white (Okabe–Ito's yellow has 1.3:1), then adjusted so
  /// the closest pair is as far apart as possible under all four visions. The smallest ΔE₀₀ between
  /// any two of the nine is about 17.0 with normal vision, 10.2 with deuteranopia, 10.7 with
  /// protanopia and 10.3 with tritanopia; the lowest contrast with white is 3.2:1 (sky blue).
  public static let categorical = Palette(
    colors: [
      Color(hex: 0x2F6D9E),  // blue, the theme's bar fill
      Color(hex: 0xA67E35),  // ochre
      Color(hex: 0x892B48),  // wine
      Color(hex: 0x339ABF),  // sky blue
      Color(hex: 0x598C6A),  // green
      Color(hex: 0x61426E),  // plum
      Color(hex: 0xAC4F43),  // terracotta
      Color(hex: 0x694716),  // brown
    ],
    other: Color(hex: 0x8C8C8C)  // grey
  )
}
