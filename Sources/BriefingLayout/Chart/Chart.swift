/// How the bars of a chart's series share a category: the chart kinds a layout can ask for.
///
/// Each kind is a composition of the same parts (band scale, linear scale, bar mark, axes, legend,
/// value labels); only the bar mark's `BarPosition` and its colouring differ.
public enum ChartKind: String, Hashable, Sendable, Codable, CaseIterable {
  /// One bar per category (several series: side by side, as `grouped`).
  case bar
  /// The series side by side within each category.
  case grouped
  /// The series stacked on each other; the stack's end is the category's total.
  case stacked
  /// The series stacked to 100 % of each category's total.
  case percent
  /// One series of signed figures (changes) from a zero line: increases one way, decreases the
  /// other, each labelled on its own side and coloured by its sign.
  case diverging

  /// Where the mark puts each series' bar.
  public var position: BarPosition {
    switch self {
    case .bar, .grouped, .diverging: .dodge
    case .stacked: .stack
    case .percent: .fill
    }
  }
}

/// Which way a chart's bars run.
public enum ChartOrientation: String, Hashable, Sendable, Codable, CaseIterable {
  /// Upright columns when every category label fits on one line under its column (years, short
  /// codes), horizontal bars otherwise.
  case auto
  /// Bars grow rightwards from a vertical baseline; categories run down the page.
  case horizontal
  /// Bars grow upwards from a horizontal baseline; categories run across the page.
  case vertical
}

/// One series of a chart: a value per category, with its name for the legend.
public struct ChartSeries: Hashable, Sendable {
  /// The legend's label ("2025"); empty for a chart of one series.
  public var name: String
  /// One value per category; nil where the data has none.
  public var values: [Double?]
  /// Words put before each value label ("более"), one per category; empty for none. They carry
  /// the source's wording of a figure, so the chart says what the table says.
  public var prefixes: [String]

  public init(name: String = "", values: [Double?], prefixes: [String] = []) {
    self.name = name
    self.values = values
    self.prefixes = prefixes
  }
}

/// A labelled line across the plot at one value ("цель 2028").
public struct ReferenceLine: Hashable, Sendable {
  public var value: Double
  public var label: String

  public init(value: Double, label: String) {
    self.value = value
    self.label = label
  }
}

/// How a chart writes its numbers: the locale's rules come from outside, the chart chooses the
/// decimals (ticks from their step, value labels as told).
public struct ChartNumbers: Sendable {
  /// Formats a value with a number of decimals, in the report's locale.
  public var decimal: @Sendable (Double, Int) -> String
  /// Formats a percentage with a number of decimals, in the report's locale ("12,5 %").
  public var percent: @Sendable (Double, Int) -> String
  /// The decimals of value labels.
  public var valueDigits: Int
  /// Whether ticks must be whole numbers (counts of people or things).
  public var integerTicks: Bool
  /// Formats a value label when it differs from `decimal` (changes carry their sign: «+12,5»).
  public var label: (@Sendable (Double, Int) -> String)?

  public init(
    decimal: @escaping @Sendable (Double, Int) -> String,
    percent: @escaping @Sendable (Double, Int) -> String = { value, digits in "\(value)%" },
    valueDigits: Int = 0, integerTicks: Bool = false, label: (@Sendable (Double, Int) -> String)? = nil
  ) {
    self.decimal = decimal
    self.percent = percent
    self.valueDigits = valueDigits
    self.integerTicks = integerTicks
    self.label = label
  }

  /// The decimals of small figures: enough for two significant digits of the smallest of them
  /// (0.0042 is «0,0042», not «0»), so that they all show alike; nil when no figure is small.
  /// When every figure is below one, all are small; otherwise those `valueDigits` would round to
  /// nothing are.
  public var smallDigits: Int?
  /// The figures at or above which `valueDigits` holds.
  var smallBelow = 0.0

  /// Whether a figure is small enough to take `smallDigits`.
  func isSmall(_ value: Double) -> Bool {
    let magnitude = abs(value)
    return magnitude > 0 && magnitude.isFinite && magnitude < smallBelow
  }

  /// Sets `smallDigits` for a chart of `values`.
  public mutating func fitSmallDigits(to values: [Double]) {
    let finite = values.filter(\.isFinite)
    smallBelow = finite.allSatisfy({ abs($0) < 1 }) ? 1 : pow(10, -Double(valueDigits))
    let small = finite.filter(isSmall)
    guard let smallest = small.map(abs).min() else {
      smallDigits = nil
      return
    }
    var digits = min(max(valueDigits, Int((-log10(smallest)).rounded(.down)) + 2), 12)
    // No trailing zero every small figure would carry (0.50 → 0.5).
    while digits > valueDigits, small.allSatisfy({ decimal($0, digits).hasSuffix("0") }) { digits -= 1 }
    smallDigits = digits
  }

  /// The decimals of a value label.
  public func digits(for value: Double) -> Int {
    guard let smallDigits, isSmall(value) else { return valueDigits }
    return smallDigits
  }

  /// A value label's text.
  public func valueLabel(_ value: Double) -> String {
    (label ?? decimal)(value, digits(for: value))
  }

  /// Plain `Double` descriptions, for tests.
  public static let plain = ChartNumbers(
    decimal: { value, digits in
      digits == 0 ? String(Int(value.rounded())) : String(format: "%.\(digits)f", value)
    },
    percent: { value, digits in (digits == 0 ? String(Int(value.rounded())) : String(format: "%.\(digits)f", value)) + "%" })
}

import Foundation

/// A chart: categories and series drawn as bars, composed from scales, a bar mark, axes, a legend,
/// value labels, reference lines, a title and a note.
///
/// `layout(size:measuring:)` gives a frame; `plan(size:measuring:)` the same with the role of
/// every part (which bar a value label belongs to), for tests of the geometry.
public struct Chart: Sendable {
  public var title: String?
  /// A line under the title, usually the measure and its unit ("Students trained, persons, 2025").
  public var subtitle: String?
  public var categories: [String]
  public var series: [ChartSeries]
  public var kind: ChartKind
  public var orientation: ChartOrientation
  public var numbers: ChartNumbers
  /// Whether bars carry value labels (where they fit).
  public var showsValues: Bool
  /// Text for a missing value, drawn where its bar would be.
  public var missingLabel: String
  /// A note under the plot, such as the source of the data.
  public var note: String?
  /// Categories drawn in the highlight colour, the others muted (one series only).
  public var highlighted: Set<Int>
  public var references: [ReferenceLine]
  /// The colour of each series, in order; the theme's palette when empty.
  public var seriesColors: [Color]
  public var theme: Theme
  /// Put after the title of a piece that continues a chart split across pages.
  public var continuedLabel: String
  /// Set on the pieces of a split chart, so that every piece has the same scale and label column.
  public var frozen: FrozenScale?
  /// Whether this piece continues a chart from an earlier page (its title says so).
  public var isContinuation: Bool

  public init(
    title: String? = nil, subtitle: String? = nil, categories: [String], series: [ChartSeries],
    kind: ChartKind = .bar, orientation: ChartOrientation = .auto, numbers: ChartNumbers = .plain,
    showsValues: Bool = true, missingLabel: String = "—", note: String? = nil, highlighted: Set<Int> = [],
    references: [ReferenceLine] = [], seriesColors: [Color] = [], theme: Theme = .bulletin,
    continuedLabel: String = "(continued)"
  ) {
    self.title = title
    self.subtitle = subtitle
    self.categories = categories
    self.series = series.map { series in
      var series = series
      // Every series has exactly one value per category: missing ones are gaps, extra ones dropped.
      if series.values.count < categories.count {
        series.values += Array(repeating: nil, count: categories.count - series.values.count)
      } else if series.values.count > categories.count {
        series.values.removeLast(series.values.count - categories.count)
      }
      return series
    }
    self.kind = kind
    self.orientation = orientation
    self.numbers = numbers
    self.showsValues = showsValues
    self.missingLabel = missingLabel
    self.note = note
    self.highlighted = highlighted
    self.references = references
    self.seriesColors = seriesColors
    self.theme = theme
    self.continuedLabel = continuedLabel
    self.frozen = nil
    self.isContinuation = false
    self.numbers.fitSmallDigits(to: self.series.flatMap(\.values).compactMap { $0 })
  }

  /// A chart of one series.
  public init(
    title: String? = nil, subtitle: String? = nil, categories: [String], values: [Double?],
    orientation: ChartOrientation = .auto, numbers: ChartNumbers = .plain, note: String? = nil, theme: Theme = .bulletin
  ) {
    self.init(
      title: title, subtitle: subtitle, categories: categories, series: [ChartSeries(values: values)],
      orientation: orientation, numbers: numbers, note: note, theme: theme)
  }

  /// The colour of series `index`.
  public func color(ofSeries index: Int) -> Color {
    if index < seriesColors.count { return seriesColors[index] }
    let palette = theme.palette
    return palette.isEmpty ? theme.barFill : palette[index % palette.count]
  }

  /// The fill of a bar: its series' colour; by sign for diverging bars; the highlight colour for
  /// a highlighted category and a muted tone of the bar colour for the others.
  public func fill(category: Int, series: Int, value: Double) -> Color {
    // One series: a decrease or deficit below zero takes the theme's colour for decreases.
    if kind == .diverging || (self.series.count == 1 && highlighted.isEmpty && value < 0) {
      return value < 0 ? theme.decreaseColor : color(ofSeries: 0)
    }
    if self.series.count == 1, !highlighted.isEmpty {
      return highlighted.contains(category) ? theme.highlightFill : mutedFill
    }
    return color(ofSeries: series)
  }

  /// The bar colour of the categories a highlight leaves in the background.
  public var mutedFill: Color {
    let base = color(ofSeries: 0)
    return Color(red: base.red + (1 - base.red) * 0.6, green: base.green + (1 - base.green) * 0.6, blue: base.blue + (1 - base.blue) * 0.6)
  }

  /// The colours a reader must tell apart, each with what it stands for: the series (by the
  /// legend), increases and decreases, a highlighted bar and the others.
  public var distinguishedColors: [(name: String, color: Color)] {
    let hasNegatives = series.count == 1 && series[0].values.contains { ($0 ?? 0) < 0 }
    if kind == .diverging || (hasNegatives && highlighted.isEmpty) { return [("+", color(ofSeries: 0)), ("−", theme.decreaseColor)] }
    if series.count == 1, !highlighted.isEmpty {
      let names = highlighted.sorted().filter { $0 < categories.count }.map { categories[$0] }
      return [(names.joined(separator: ", "), theme.highlightFill), ("", mutedFill)]
    }
    guard series.count > 1 else { return [] }
    return series.indices.map { (series[$0].name, color(ofSeries: $0)) }
  }

  /// What the chart shows, as a sentence for readers who cannot see it (an SVG's `<desc>`): the
  /// measure and unit, the period when given, then every figure in reading order, then the note
  /// (the source).
  public func summary(period: String? = nil) -> String {
    var parts: [String] = []
    if let subtitle, !subtitle.isEmpty { parts.append(subtitle) }
    if let period, !period.isEmpty { parts.append(period) }
    func figure(_ value: Double?) -> String {
      guard let value, value.isFinite else { return missingLabel }
      return kind == .percent ? numbers.decimal(value, numbers.digits(for: value)) : numbers.valueLabel(value)
    }
    let figures = categories.indices.map { index -> String in
      if series.count == 1 { return "\(categories[index]): \(figure(series[0].values[index]))" }
      let values = series.map { "\($0.name) \(figure($0.values[index]))" }
      return "\(categories[index]): \(values.joined(separator: ", "))"
    }
    if !figures.isEmpty { parts.append(figures.joined(separator: "; ")) }
    if let note, !note.isEmpty { parts.append(note) }
    return parts.map { $0.hasSuffix(".") ? $0 : $0 + "." }.joined(separator: " ")
  }

  /// Whether a legend is drawn: more than one series.
  public var hasLegend: Bool { series.count > 1 }

  /// A height that gives each category a comfortable band, for a chart `width` wide.
  public func preferredHeight(width: Double, measuring: any TextMeasuring) -> Double {
    ChartLayout(chart: self, width: width, measuring: measuring).preferredHeight
  }

  /// Lays the chart out in a frame of `size`.
  public func layout(size: Size, measuring: any TextMeasuring) -> Frame {
    plan(size: size, measuring: measuring).frame
  }

  /// Lays the chart out and keeps the role of every part.
  public func plan(size: Size, measuring: any TextMeasuring) -> ChartPlan {
    ChartLayout(chart: self, width: size.width, measuring: measuring).plan(height: size.height)
  }
}
