import Foundation

/// Lays a `Chart` out: header, legend, plot with its axes, bars and labels, and note.
///
/// Both orientations go through the same code: positions are computed along the value axis
/// ("along") and across the bands ("across"), and only `rect(along:across:)` knows which is x.
struct ChartLayout {
  let chart: Chart
  let width: Double
  let measuring: any TextMeasuring
  let mark: BarMark
  /// Which way the bars run, decided once: `along`, `across` and `rect` ask it for every bar and
  /// label, and deciding `auto` measures the ticks and every category label.
  private(set) var orientation: ChartOrientation = .horizontal

  init(chart: Chart, width: Double, measuring: any TextMeasuring) {
    self.chart = chart
    self.width = width
    self.measuring = measuring
    self.mark = BarMark(values: chart.series.map(\.values), position: chart.kind.position)
    self.orientation = resolvedOrientation()
  }

  var theme: Theme { chart.theme }
  var categoryStyle: TextStyle { theme.style(.axisLabel).with { $0.color = theme.ink } }
  var valueStyle: TextStyle { theme.style(.valueLabel) }
  var tickStyle: TextStyle { theme.style(.tickLabel) }
  var labels: CategoryLabels { CategoryLabels(labels: chart.categories, style: categoryStyle, measuring: measuring) }
  static let gap = 3.0
  /// The widest step of an upright column chart, in points.
  static let widestColumnStep = 110.0
  static let insidePadding = 3.0

  // MARK: - Header, legend and note

  var titleText: String? {
    guard let title = chart.title else { return nil }
    return chart.isContinuation ? "\(title) \(chart.continuedLabel)" : title
  }

  func header() -> (runs: [TextRun], height: Double) {
    var runs: [TextRun] = []
    var top = 0.0
    if let title = titleText {
      let style = theme.style(.chartTitle)
      let m = measuring.measure(title, style: style, maxWidth: width)
      runs.append(TextRun(text: title, style: style, frame: Rect(x: 0, y: top, width: width, height: m.height)))
      top += m.height + 2
    }
    if let subtitle = chart.subtitle, !chart.isContinuation {
      let style = theme.style(.axisLabel)
      let m = measuring.measure(subtitle, style: style, maxWidth: width)
      runs.append(TextRun(text: subtitle, style: style, frame: Rect(x: 0, y: top, width: width, height: m.height)))
      top += m.height
    }
    return (runs, top > 0 ? top + 8 : 0)
  }

  var legend: Legend {
    Legend(
      names: chart.series.map(\.name), colors: chart.series.indices.map(chart.color(ofSeries:)),
      style: theme.style(.axisLabel).with { $0.color = theme.ink })
  }

  func footerHeight() -> Double {
    guard let note = chart.note else { return 0 }
    return measuring.measure(note, style: theme.style(.note), maxWidth: width).height + 6
  }

  // MARK: - Orientation and sizes

  /// Which way the bars run: as asked, or for `auto` upright when every label fits on one line
  /// under its column.
  private func resolvedOrientation() -> ChartOrientation {
    switch chart.orientation {
    case .horizontal, .vertical: return chart.orientation
    case .auto:
      let count = chart.categories.count
      guard count > 0, count <= 24 else { return .horizontal }
      let slot = min((width - estimatedTickWidth() - 8) / Double(count), Self.widestColumnStep) * 0.95
      return (labels.widths.max() ?? 0) <= slot ? .vertical : .horizontal
    }
  }

  var horizontal: Bool { orientation == .horizontal }

  var lineHeight: Double { measuring.measure("0", style: valueStyle, maxWidth: nil).height }

  /// The band step horizontal bars need: room for the label lines and, side by side, a value
  /// label per series.
  func horizontalStep(lines: Int) -> Double {
    let labelLines = Double(lines) * labels.lineHeight + 4
    let dodged = chart.kind.position == .dodge ? Double(chart.series.count) : 1
    let perSeries = chart.showsValues ? lineHeight + 1 : max(theme.bodySize * 0.6, 4)
    return max(labelLines, theme.bodySize * 1.55, dodged * perSeries / 0.7)
  }

  func referenceRow() -> Double {
    chart.references.isEmpty ? 0 : lineHeight + 4
  }

  func columnFit() -> (width: Double, lines: Int) {
    if let frozen = chart.frozen { return (frozen.labelWidth, frozen.labelLines) }
    return labels.column(maxWidth: width * 0.4)
  }

  var preferredHeight: Double {
    let head = header().height + legend.entries(width: width, top: 0, measuring: measuring).height
      + (chart.hasLegend ? 8 : 0)
    let foot = footerHeight()
    let tick = measuring.measure("0", style: tickStyle, maxWidth: nil).height + 6
    if horizontal {
      let (_, lines) = columnFit()
      return head + Double(max(chart.categories.count, 1)) * horizontalStep(lines: lines) + referenceRow() + tick + foot
    }
    let plotHeight = max(width * 0.42, 120)
    let under = verticalLabelFit(plotWidth: width - estimatedTickWidth() - 8, plotHeight: plotHeight).height
    return head + plotHeight + under + 6 + foot
  }

  /// The part of `range` upright columns use: few columns stay columns, each step no wider than
  /// `widestColumnStep`, centred.
  func uprightRange(_ range: ClosedRange<Double>) -> ClosedRange<Double> {
    let widest = Self.widestColumnStep * Double(max(chart.categories.count, 1))
    let room = range.upperBound - range.lowerBound
    guard room > widest else { return range }
    return (range.lowerBound + (room - widest) / 2)...(range.upperBound - (room - widest) / 2)
  }

  func verticalLabelFit(plotWidth: Double, plotHeight: Double) -> (fit: ChartPlan.LabelFit, height: Double) {
    let bands = BandScale(categories: chart.categories, range: uprightRange(0...max(plotWidth, 1)))
    return labels.under(slot: bands.step * 0.95, maxLength: max(plotHeight * 0.6, 40))
  }

  // MARK: - Numbers

  func tickFormat(_ scale: LinearScale, _ count: Int) -> @Sendable (Double) -> String {
    let numbers = chart.numbers
    let digits = scale.tickDigits(count: count)
    // Zero is «0» whatever the step: «0,000» reads as a rounded figure.
    if chart.kind == .percent { return { numbers.percent($0, $0 == 0 ? 0 : digits) } }
    return { numbers.decimal($0, $0 == 0 ? 0 : digits) }
  }

  func estimatedTickWidth() -> Double {
    let extent = mark.extent
    let values = [extent.lowerBound, extent.upperBound] + chart.references.map(\.value)
    let scale = LinearScale(
      covering: chart.kind == .percent ? [0, 100] : values, range: Span(0, 100), integerSteps: chart.numbers.integerTicks)
    let format = tickFormat(scale, 5)
    return scale.ticks(count: 5).map { measuring.measure(format($0), style: tickStyle, maxWidth: nil).width }.max() ?? 0
  }

  /// The text of a segment's value label.
  func valueText(_ segment: BarMark.Segment) -> String {
    let numbers = chart.numbers
    if chart.kind == .percent { return numbers.percent(segment.value, 0) }
    let series = chart.series[segment.series]
    let prefix = segment.category < series.prefixes.count ? series.prefixes[segment.category] : ""
    let text = numbers.valueLabel(segment.value)
    return prefix.isEmpty ? text : prefix + "\u{00A0}" + text
  }

  /// Value labels, each with the segment it labels (nil series: a stack's total), before placing.
  func valueTexts(_ segments: [BarMark.Segment]) -> [(text: String, segment: BarMark.Segment, outsideOnly: Bool, insideOnly: Bool)] {
    guard chart.showsValues else { return [] }
    var texts: [(String, BarMark.Segment, Bool, Bool)] = []
    switch chart.kind.position {
    case .dodge:
      for segment in segments { texts.append((valueText(segment), segment, false, false)) }
      if chart.series.count == 1 {
        // A missing value is said where its bar would be.
        for (category, value) in chart.series[0].values.enumerated() where value == nil || value?.isFinite == false {
          texts.append((chart.missingLabel, BarMark.Segment(category: category, series: 0, start: 0, end: 0, value: 0), true, false))
        }
      }
    case .stack:
      for segment in segments where segment.value != 0 { texts.append((valueText(segment), segment, false, true)) }
      if chart.series.count > 1 {
        for end in mark.stackEnds() {
          let parts = segments.filter { $0.category == end.category && $0.value != 0 }
          // A stack of one part: its own label already says the total.
          guard parts.count > 1 else { continue }
          let total = parts.map(\.value).reduce(0, +)
          let value = total < 0 ? end.low : end.high
          let segment = BarMark.Segment(category: end.category, series: -1, start: 0, end: value, value: total)
          texts.append((chart.numbers.valueLabel(total), segment, true, false))
        }
      }
    case .fill:
      for segment in segments where segment.value > 0 { texts.append((valueText(segment), segment, false, true)) }
    }
    return texts
  }

  /// The size of a label along the value axis.
  func along(_ metrics: TextMetrics) -> Double { horizontal ? metrics.width : metrics.height }
  func across(_ metrics: TextMetrics) -> Double { horizontal ? metrics.height : metrics.width }

  func rect(along: ClosedRange<Double>, across: ClosedRange<Double>) -> Rect {
    horizontal
      ? Rect(x: along.lowerBound, y: across.lowerBound, width: along.upperBound - along.lowerBound, height: across.upperBound - across.lowerBound)
      : Rect(x: across.lowerBound, y: along.lowerBound, width: across.upperBound - across.lowerBound, height: along.upperBound - along.lowerBound)
  }

  // MARK: - Plan

  func plan(height: Double) -> ChartPlan {
    var items: [FrameItem] = []
    var otherTexts: [TextRun] = []
    let (headerRuns, headerHeight) = header()
    otherTexts += headerRuns
    var top = headerHeight
    let (legendEntries, legendHeight) = legend.entries(width: width, top: top, measuring: measuring)
    if !legendEntries.isEmpty { top += legendHeight + 8 }
    var bottom = height
    if let note = chart.note {
      let style = theme.style(.note)
      let m = measuring.measure(note, style: style, maxWidth: width)
      bottom -= m.height
      otherTexts.append(TextRun(text: note, style: style, frame: Rect(x: 0, y: bottom, width: width, height: m.height)))
      bottom -= 6
    }
    let area = Rect(x: 0, y: top, width: width, height: max(bottom - top, 10))
    let bounds = Rect(x: 0, y: 0, width: width, height: height)
    let segments = mark.segments
    let texts = valueTexts(segments)
    let measured = texts.map { measuring.measure($0.text, style: valueStyle, maxWidth: nil) }

    // The room value labels need beyond the bars' ends, on each side of zero.
    var leadingRoom = 0.0
    var trailingRoom = 0.0
    for (index, entry) in texts.enumerated() where !entry.insideOnly {
      let size = along(measured[index]) + Self.gap + 1
      if entry.segment.end < 0 || (entry.segment.end == 0 && entry.segment.value < 0) {
        leadingRoom = max(leadingRoom, size)
      } else {
        trailingRoom = max(trailingRoom, size)
      }
    }
    if let frozen = chart.frozen {
      leadingRoom = frozen.leadingRoom
      trailingRoom = frozen.trailingRoom
    }

    // Where the plot is, and how category labels fit beside or under it.
    let tickHeight = measuring.measure("0", style: tickStyle, maxWidth: nil).height
    var plot: Rect
    var fit: ChartPlan.LabelFit
    var labelWidth = 0.0
    var labelLines = 1
    if horizontal {
      (labelWidth, labelLines) = columnFit()
      fit = .column(lines: labelLines)
      plot = Rect(
        x: area.minX + labelWidth + 8, y: area.minY, width: max(area.width - labelWidth - 8 - 2, 10),
        height: max(area.height - tickHeight - 6, 10))
    } else {
      let tickWidth = estimatedTickWidth()
      let plotWidth = max(area.width - tickWidth - 8, 10)
      let under = verticalLabelFit(plotWidth: plotWidth, plotHeight: area.height * 0.7)
      fit = under.fit
      plot = Rect(x: area.minX + tickWidth + 8, y: area.minY, width: plotWidth, height: max(area.height - under.height - 6, 10))
    }

    // The value scale: the bars' extent and the reference values, rounded to ticks that fit.
    let valueRange = horizontal
      ? Span(plot.minX + leadingRoom, plot.maxX - trailingRoom)
      : Span(plot.maxY - leadingRoom, plot.minY + referenceRow() + trailingRoom)
    let extent = mark.extent
    // A little air beyond the longest bar, so that it does not end exactly on the last tick's edge.
    let air = (extent.upperBound - extent.lowerBound) * 0.015
    let covered = chart.kind == .percent
      ? [0, 100] : [extent.lowerBound - (extent.lowerBound < 0 ? air : 0), extent.upperBound + (extent.upperBound > 0 ? air : 0)] + chart.references.map(\.value)
    var scale: LinearScale
    var tickCount: Int
    if let frozen = chart.frozen {
      scale = LinearScale(domain: frozen.domain, range: valueRange, integerSteps: chart.numbers.integerTicks)
      tickCount = frozen.tickCount
    } else {
      let rough = LinearScale(covering: covered, range: valueRange, integerSteps: chart.numbers.integerTicks)
      tickCount = ValueAxis.fittingTickCount(
        scale: rough, preferred: 5, labelStyle: tickStyle, edge: horizontal ? .bottom : .left, format: tickFormat,
        measuring: measuring)
      scale = LinearScale(covering: covered, range: valueRange, tickCount: tickCount, integerSteps: chart.numbers.integerTicks)
      if chart.kind == .percent { scale.domain = 0...100 }
    }
    let bandRange = horizontal ? (plot.minY + referenceRow())...plot.maxY : uprightRange(plot.minX...plot.maxX)
    let bands = BandScale(categories: chart.categories, range: bandRange)

    // Grid and ticks.
    let axis = ValueAxis(scale: scale, edge: horizontal ? .bottom : .left, format: tickFormat(scale, tickCount))
    let (grid, tickLabels) = axis.parts(plot: plot, tickCount: tickCount, bounds: bounds, theme: theme, measuring: measuring)
    items += grid

    // Bars.
    var bars: [ChartPlan.Bar] = []
    for segment in segments {
      let a = scale.map(segment.start)
      let b = scale.map(segment.end)
      let box = rect(along: min(a, b)...max(a, b), across: mark.across(segment, bands: bands))
      bars.append(ChartPlan.Bar(category: segment.category, series: segment.series, rect: box, value: segment.value, fill: fill(of: segment)))
    }
    items += bars.map { .rect($0.rect, .filled($0.fill)) }
    let zero = scale.map(0)
    let baseline = Paint(stroke: theme.ruleColor, lineWidth: theme.lightRule)
    items.append(horizontal
      ? .line(from: Point(x: zero, y: plot.minY), to: Point(x: zero, y: plot.maxY), baseline)
      : .line(from: Point(x: plot.minX, y: zero), to: Point(x: plot.maxX, y: zero), baseline))

    let frame = PlotFrame(area: area, plot: plot, scale: scale, bands: bands, fit: fit, labelWidth: labelWidth)
    let references = referenceLines(in: frame)
    items += references.items
    otherTexts += references.labels
    let categoryLabels = self.categoryLabels(in: frame)
    let placed = references.labels.map(\.frame) + categoryLabels.map(\.run.frame) + tickLabels.map(\.frame)
    let (valueLabels, halos, dropped) = self.valueLabels(texts, measured: measured, bars: bars, in: frame, avoiding: placed)

    items += legend.items(legendEntries)
    items += otherTexts.map { .text($0) }
    items += tickLabels.map { .text($0) }
    items += categoryLabels.map { .text($0.run) }
    items += halos
    items += valueLabels.map { .text($0.run) }
    let frozen = FrozenScale(
      domain: scale.domain, tickCount: tickCount, labelWidth: labelWidth, labelLines: labelLines, leadingRoom: leadingRoom,
      trailingRoom: trailingRoom)
    return ChartPlan(
      size: Size(width: width, height: height), orientation: orientation, plot: plot, bars: bars, valueLabels: valueLabels,
      droppedValueLabels: dropped, categoryLabels: categoryLabels, labelFit: fit, tickLabels: tickLabels, legend: legendEntries,
      otherTexts: otherTexts, frozen: frozen, frame: Frame(size: Size(width: width, height: height), items: items))
  }

  // MARK: - Colour

  func fill(of segment: BarMark.Segment) -> Color {
    chart.fill(category: segment.category, series: segment.series, value: segment.value)
  }

  /// White or `dark`, whichever stands out more on `fill`.
  static func contrastingInk(on fill: Color, dark: Color) -> Color {
    // Black rather than the theme's ink: between black and white one always keeps 4.58:1 or more.
    ColorCheck.textColor(on: fill, dark: .black, light: .white)
  }
}
