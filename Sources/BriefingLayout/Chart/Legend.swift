/// The key to a chart's series: a swatch and a name per series, in series order, flowing in rows
/// across the chart's width (one row when it fits).
struct Legend {
  var names: [String]
  var colors: [Color]
  var style: TextStyle

  static let swatchSize = 8.0
  static let swatchGap = 4.0
  static let entryGap = 12.0

  /// The entries placed from `top`, and the height they take.
  func entries(width: Double, top: Double, measuring: any TextMeasuring) -> (entries: [ChartPlan.LegendEntry], height: Double) {
    guard names.count > 1 else { return ([], 0) }
    var entries: [ChartPlan.LegendEntry] = []
    var x = 0.0
    var y = top
    var rowHeight = 0.0
    let textRoom = max(width - Self.swatchSize - Self.swatchGap, 1)
    for (index, name) in names.enumerated() {
      let oneLine = style.with { $0.overflow = .ellipsize }
      let metrics = measuring.measure(name, style: oneLine, maxWidth: textRoom)
      let entryWidth = Self.swatchSize + Self.swatchGap + metrics.width
      if x > 0, x + entryWidth > width {
        x = 0
        y += rowHeight + 3
        rowHeight = 0
      }
      let swatch = Rect(
        x: x, y: y + max((metrics.height - Self.swatchSize) / 2, 0), width: Self.swatchSize, height: Self.swatchSize)
      let run = TextRun(
        text: name, style: oneLine,
        frame: Rect(x: x + Self.swatchSize + Self.swatchGap, y: y, width: min(metrics.width, textRoom), height: metrics.height))
      entries.append(ChartPlan.LegendEntry(series: index, swatch: swatch, run: run))
      rowHeight = max(rowHeight, metrics.height, Self.swatchSize)
      x += entryWidth + Self.entryGap
    }
    return (entries, y + rowHeight - top)
  }

  func items(_ entries: [ChartPlan.LegendEntry]) -> [FrameItem] {
    entries.flatMap { entry -> [FrameItem] in
      [.rect(entry.swatch, .filled(colors[entry.series % max(colors.count, 1)])), .text(entry.run)]
    }
  }
}
