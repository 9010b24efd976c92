/// A bar chart: a band scale of categories, a linear scale of values, a value axis, bars, value
/// labels, a title and a source note, composed.
///
/// The horizontal and vertical kinds are the same parts with the axes swapped.
public struct BarChart: Sendable {
  public var title: String?
  /// A line under the title, usually the measure and its unit ("Students trained, persons, 2025").
  public var subtitle: String?
  public var categories: [String]
  public var values: [Double?]
  public var orientation: BarMark.Orientation
  /// Formats tick values (compact forms suit axes).
  public var formatTick: @Sendable (Double) -> String
  /// Formats the label at the end of each bar; nil draws no value labels.
  public var formatValue: (@Sendable (Double) -> String)?
  /// Words put before a bar's value label, one per category ("over", «более»); empty for none.
  /// They carry the source's wording of a figure, so the chart says what the table says.
  public var valuePrefixes: [String]
  /// Text for a missing value, drawn where its bar would be.
  public var missingLabel: String
  /// A note under the plot, such as the source of the data.
  public var note: String?
  public var highlighted: Set<Int>
  public var theme: Theme

  public init(
    title: String? = nil, subtitle: String? = nil, categories: [String], values: [Double?],
    orientation: BarMark.Orientation = .horizontal,
    formatTick: @escaping @Sendable (Double) -> String,
    formatValue: (@Sendable (Double) -> String)? = nil, missingLabel: String = "—", note: String? = nil,
    highlighted: Set<Int> = [], theme: Theme = .bulletin
  ) {
    precondition(categories.count == values.count, "one value per category")
    self.title = title
    self.subtitle = subtitle
    self.categories = categories
    self.values = values
    self.orientation = orientation
    self.formatTick = formatTick
    self.formatValue = formatValue
    self.missingLabel = missingLabel
    self.valuePrefixes = Array(repeating: "", count: categories.count)
    self.note = note
    self.highlighted = highlighted
    self.theme = theme
  }

  /// A height that gives each category a comfortable band, for a chart `width` wide.
  public func preferredHeight(width: Double, measuring: any TextMeasuring) -> Double {
    let header = headerHeight(width: width, measuring: measuring)
    let footer = footerHeight(width: width, measuring: measuring)
    switch orientation {
    case .horizontal:
      let band = max(theme.bodySize * 1.55, 12)
      return header + Double(max(categories.count, 1)) * band + 24 + footer
    case .vertical:
      return header + width * 0.5 + footer
    }
  }

  private func headerHeight(width: Double, measuring: any TextMeasuring) -> Double {
    var height = 0.0
    if let title { height += measuring.measure(title, style: theme.style(.chartTitle), maxWidth: width).height + 2 }
    if let subtitle { height += measuring.measure(subtitle, style: theme.style(.axisLabel), maxWidth: width).height }
    return height > 0 ? height + 8 : 0
  }

  private func footerHeight(width: Double, measuring: any TextMeasuring) -> Double {
    guard let note else { return 0 }
    return measuring.measure(note, style: theme.style(.note), maxWidth: width).height + 6
  }

  /// Lays the chart out in a frame of `size`.
  public func layout(size: Size, measuring: any TextMeasuring) -> Frame {
    var frame = Frame(size: size)
    var top = 0.0
    if let title {
      let style = theme.style(.chartTitle)
      let m = measuring.measure(title, style: style, maxWidth: size.width)
      frame.append(.text(TextRun(text: title, style: style, frame: Rect(x: 0, y: top, width: size.width, height: m.height))))
      top += m.height + 2
    }
    if let subtitle {
      let style = theme.style(.axisLabel)
      let m = measuring.measure(subtitle, style: style, maxWidth: size.width)
      frame.append(.text(TextRun(text: subtitle, style: style, frame: Rect(x: 0, y: top, width: size.width, height: m.height))))
      top += m.height
    }
    if top > 0 { top += 8 }
    var bottom = size.height
    if let note {
      let style = theme.style(.note)
      let m = measuring.measure(note, style: style, maxWidth: size.width)
      bottom -= m.height
      frame.append(.text(TextRun(text: note, style: style, frame: Rect(x: 0, y: bottom, width: size.width, height: m.height))))
      bottom -= 6
    }
    let area = Rect(x: 0, y: top, width: size.width, height: max(bottom - top, 0))
    switch orientation {
    case .horizontal: frame.items += horizontalItems(in: area, measuring: measuring)
    case .vertical: frame.items += verticalItems(in: area, measuring: measuring)
    }
    return frame
  }

  private var finiteValues: [Double] { values.compactMap { $0 }.filter(\.isFinite) }

  private func valueLabel(at index: Int) -> String? {
    guard let formatValue else { return nil }
    guard let value = values[index], value.isFinite else { return missingLabel }
    let prefix = index < valuePrefixes.count ? valuePrefixes[index] : ""
    return prefix.isEmpty ? formatValue(value) : prefix + "\u{00A0}" + formatValue(value)
  }

  private func horizontalItems(in area: Rect, measuring: any TextMeasuring) -> [FrameItem] {
    let categoryStyle = theme.style(.axisLabel).with {
      $0.color = theme.ink
      $0.alignment = .trailing
      $0.overflow = .ellipsize
    }
    let valueStyle = theme.style(.valueLabel)
    let tickStyle = theme.style(.tickLabel)
    let widestCategory = categories.map { measuring.measure($0, style: categoryStyle, maxWidth: nil).width }.max() ?? 0
    let labelWidth = min(widestCategory, area.width * 0.38)
    let widestValue = values.indices.compactMap(valueLabel(at:)).map { measuring.measure($0, style: valueStyle, maxWidth: nil).width }.max() ?? 0
    let tickHeight = measuring.measure("0", style: tickStyle, maxWidth: nil).height
    // Leave room on the right for the value labels and for half of the last tick label.
    let lastTickHalf = (measuring.measure(formatTick(finiteValues.max() ?? 0), style: tickStyle, maxWidth: nil).width / 2)
    // A negative bar's label sits left of its end: keep room for it there, as on the right for
    // positive ones, so it never runs into the category names.
    let widestNegative = values.indices.filter { (values[$0] ?? 0) < 0 }.compactMap(valueLabel(at:))
      .map { measuring.measure($0, style: valueStyle, maxWidth: nil).width }.max().map { $0 + 6 } ?? 0
    let plot = Rect(
      x: area.minX + labelWidth + 8 + widestNegative, y: area.minY,
      width: max(area.width - labelWidth - 8 - widestNegative - max(widestValue + 6, lastTickHalf), 10),
      height: max(area.height - tickHeight - 6, 10))
    let (scale, bands, plotItems) = composePlot(plot, orientation: .horizontal, measuring: measuring)
    var items = plotItems
    let zero = scale.map(0)
    for (index, category) in categories.enumerated() {
      let m = measuring.measure(category, style: categoryStyle, maxWidth: labelWidth)
      let centre = bands.center(at: index)
      items.append(.text(TextRun(
        text: category, style: categoryStyle,
        frame: Rect(x: area.minX, y: centre - m.height / 2, width: labelWidth, height: m.height))))
      if let label = valueLabel(at: index) {
        let v = measuring.measure(label, style: valueStyle, maxWidth: nil)
        let value = values[index] ?? 0
        let end = value.isFinite ? scale.map(value) : zero
        let x = value < 0 ? end - 4 - v.width : end + 4
        items.append(.text(TextRun(text: label, style: valueStyle, frame: Rect(x: x, y: centre - v.height / 2, width: v.width, height: v.height))))
      }
    }
    return items
  }

  /// The parts both orientations share: a value scale with ticks that fit, the band scale, grid and
  /// tick labels, the bars and the zero baseline. Only which axis is which differs.
  private func composePlot(
    _ plot: Rect, orientation: BarMark.Orientation, measuring: any TextMeasuring
  ) -> (LinearScale, BandScale, [FrameItem]) {
    let horizontal = orientation == .horizontal
    let valueRange = horizontal ? Span(plot.minX, plot.maxX) : Span(plot.maxY, plot.minY)
    let edge: ValueAxis.Edge = horizontal ? .bottom : .left
    // Upright bars carry their labels above them: leave headroom so the tallest label clears the
    // top grid line instead of sitting on it.
    var covered = finiteValues
    if !horizontal, formatValue != nil, let top = finiteValues.max(), top > 0 {
      let labelHeight = measuring.measure("0", style: theme.style(.valueLabel), maxWidth: nil).height
      covered.append(top * (1 + (labelHeight + 4) / max(plot.height, 1)))
    }
    let tickCount = ValueAxis.fittingTickCount(
      scale: LinearScale(covering: covered, range: valueRange), preferred: 5, labelStyle: theme.style(.tickLabel),
      edge: edge, format: formatTick, measuring: measuring)
    let scale = LinearScale(covering: covered, range: valueRange, tickCount: tickCount)
    let bands = BandScale(categories: categories, range: horizontal ? plot.minY...plot.maxY : plot.minX...plot.maxX)
    var items = ValueAxis(scale: scale, edge: edge, format: formatTick)
      .items(plot: plot, tickCount: tickCount, theme: theme, measuring: measuring)
    let mark = BarMark(
      values: values, orientation: orientation, fill: theme.barFill, highlighted: highlighted,
      highlightFill: theme.highlightFill)
    items += mark.items(bands: bands, values: scale)
    let zero = scale.map(0)
    let baseline = Paint(stroke: theme.ruleColor, lineWidth: theme.lightRule)
    items.append(
      horizontal
        ? .line(from: Point(x: zero, y: plot.minY), to: Point(x: zero, y: plot.maxY), baseline)
        : .line(from: Point(x: plot.minX, y: zero), to: Point(x: plot.maxX, y: zero), baseline))
    return (scale, bands, items)
  }

  private func verticalItems(in area: Rect, measuring: any TextMeasuring) -> [FrameItem] {
    let tickStyle = theme.style(.tickLabel)
    let valueStyle = theme.style(.valueLabel)
    let categoryStyle = theme.style(.axisLabel).with {
      $0.color = theme.ink
      $0.alignment = .center
    }
    let widestTick = measuring.measure(formatTick(finiteValues.max() ?? 0), style: tickStyle, maxWidth: nil).width
    let valueHeight = measuring.measure("0", style: valueStyle, maxWidth: nil).height
    let roughStep = (area.width - widestTick - 8) / Double(max(categories.count, 1))
    let categoryHeight = categories.map { measuring.measure($0, style: categoryStyle, maxWidth: roughStep * 0.95).height }.max() ?? 0
    // A negative bar's label hangs below its end: keep a line for it above the category names.
    let belowRoom = finiteValues.contains { $0 < 0 } && formatValue != nil ? valueHeight + 4 : 0
    let plot = Rect(
      x: area.minX + widestTick + 8, y: area.minY + valueHeight + 4,
      width: max(area.width - widestTick - 8, 10),
      height: max(area.height - valueHeight - 4 - belowRoom - categoryHeight - 6, 10))
    let (scale, bands, plotItems) = composePlot(plot, orientation: .vertical, measuring: measuring)
    var items = plotItems
    let zero = scale.map(0)
    let slot = bands.step * 0.95
    for (index, category) in categories.enumerated() {
      let centre = bands.center(at: index)
      let m = measuring.measure(category, style: categoryStyle, maxWidth: slot)
      items.append(.text(TextRun(
        text: category, style: categoryStyle,
        frame: Rect(x: centre - slot / 2, y: plot.maxY + belowRoom + 6, width: slot, height: m.height))))
      if let label = valueLabel(at: index) {
        let v = measuring.measure(label, style: valueStyle, maxWidth: nil)
        let value = values[index] ?? 0
        let end = value.isFinite ? scale.map(value) : zero
        let y = value < 0 ? end + 2 : end - 2 - v.height
        items.append(.text(TextRun(
          text: label, style: valueStyle.with { $0.alignment = .center },
          frame: Rect(x: centre - v.width / 2, y: y, width: v.width, height: v.height))))
      }
    }
    return items
  }
}
