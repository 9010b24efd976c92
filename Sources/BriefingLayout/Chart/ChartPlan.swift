/// A chart laid out: every part placed, with what it stands for, so that tests can check the
/// geometry (nothing overlaps, every value label sits by its own bar) and backends draw `frame`.
public struct ChartPlan: Sendable {
  /// One bar, or one segment of a stacked bar.
  public struct Bar: Hashable, Sendable {
    public var category: Int
    public var series: Int
    public var rect: Rect
    public var value: Double
    public var fill: Color
  }

  /// A value label and the bar it belongs to (nil for a stack's total or a missing value).
  public struct ValueLabel: Hashable, Sendable {
    public var run: TextRun
    public var category: Int
    public var series: Int?
    /// Whether the label sits inside its bar (in a contrasting colour).
    public var isInside: Bool
  }

  /// A category's label, or nil for a category whose label was thinned out.
  public struct CategoryLabel: Hashable, Sendable {
    public var run: TextRun
    public var category: Int
  }

  /// A legend entry: its swatch and its name.
  public struct LegendEntry: Hashable, Sendable {
    public var series: Int
    public var swatch: Rect
    public var run: TextRun
  }

  /// How category labels were fitted.
  public enum LabelFit: Hashable, Sendable {
    /// Horizontal bars: a column of labels, wrapped at word boundaries into at most `lines`.
    case column(lines: Int)
    /// Upright columns: one line under each column.
    case oneLine
    /// Upright columns: wrapped at word boundaries into `lines` lines.
    case wrapped(lines: Int)
    /// Upright columns: one line ending with "…" where needed.
    case ellipsized
    /// Upright columns: turned to read upwards.
    case turned
    /// Upright columns: turned, and only every `every`-th label shown.
    case thinned(every: Int)
  }

  public var size: Size
  /// Which way the bars run.
  public var orientation: ChartOrientation
  /// The data area: bars, grid, value labels and reference lines stay inside it.
  public var plot: Rect
  public var bars: [Bar]
  public var valueLabels: [ValueLabel]
  /// Value labels that fitted neither outside nor inside their bar and were left out.
  public var droppedValueLabels: Int
  public var categoryLabels: [CategoryLabel]
  public var labelFit: LabelFit
  public var tickLabels: [TextRun]
  public var legend: [LegendEntry]
  /// The title, subtitle, note and reference labels.
  public var otherTexts: [TextRun]
  /// The value scale's domain and the label column, to lay out other pieces of the same chart alike.
  public var frozen: FrozenScale
  /// Every item to draw, in drawing order.
  public var frame: Frame

  /// Every text of the chart.
  public var texts: [TextRun] {
    otherTexts + legend.map(\.run) + tickLabels + categoryLabels.map(\.run) + valueLabels.map(\.run)
  }

  /// The fills behind text: each inside value label with its bar's colour, for the contrast check.
  public var textOnFills: [(label: String, text: Color, fill: Color)] {
    valueLabels.compactMap { label in
      guard label.isInside, let series = label.series,
        let bar = bars.first(where: { $0.category == label.category && $0.series == series })
      else { return nil }
      return (label.run.text, label.run.style.color, bar.fill)
    }
  }
}

/// What the pieces of a chart split across pages share: the value scale and the label column.
public struct FrozenScale: Hashable, Sendable {
  public var domain: ClosedRange<Double>
  public var tickCount: Int
  /// The width of the category label column (horizontal bars) and its lines.
  public var labelWidth: Double
  public var labelLines: Int
  /// The room kept for value labels before and after the bars, in points.
  public var leadingRoom: Double
  public var trailingRoom: Double
}
