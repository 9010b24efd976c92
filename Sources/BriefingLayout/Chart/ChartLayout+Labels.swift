/// Where a chart's plot is, and its scales: what the labels of `ChartLayout` are placed against.
struct PlotFrame {
  /// The chart's area between header and note.
  var area: Rect
  var plot: Rect
  var scale: LinearScale
  var bands: BandScale
  var fit: ChartPlan.LabelFit
  /// The width of the category label column of horizontal bars.
  var labelWidth: Double
}

extension ChartLayout {
  /// Reference lines across the plot, dashed, each labelled in the row kept for them above
  /// horizontal bars, or above the line at the right end of upright columns.
  func referenceLines(in frame: PlotFrame) -> (items: [FrameItem], labels: [TextRun]) {
    let (plot, scale) = (frame.plot, frame.scale)
    var items: [FrameItem] = []
    var labels: [TextRun] = []
    for reference in chart.references where reference.value.isFinite {
      let position = scale.map(reference.value)
      let paint = Paint(stroke: theme.ink, lineWidth: theme.lightRule * 1.5, dash: [3, 2])
      let style = valueStyle.with { $0.color = theme.ink; $0.weight = .bold }
      let m = measuring.measure(reference.label, style: style, maxWidth: nil)
      var box: Rect
      if horizontal {
        items.append(.line(from: Point(x: position, y: plot.minY), to: Point(x: position, y: plot.maxY), paint))
        let x = position + 3 + m.width <= plot.maxX ? position + 3 : position - 3 - m.width
        box = Rect(x: max(x, plot.minX), y: plot.minY, width: m.width, height: m.height)
      } else {
        items.append(.line(from: Point(x: plot.minX, y: position), to: Point(x: plot.maxX, y: position), paint))
        box = Rect(x: plot.maxX - m.width - 2, y: max(position - m.height - 1, plot.minY), width: m.width, height: m.height)
        items.append(.rect(box.insetBy(dx: -1.5, dy: 0), .filled(Color(red: 1, green: 1, blue: 1, alpha: 0.85))))
      }
      if labels.contains(where: { $0.frame.overlaps(box) }) || box.maxX > plot.maxX + 0.01 { continue }
      labels.append(TextRun(text: reference.label, style: style, frame: box))
    }

    return (items, labels)
  }

  /// The category labels, fitted as `frame.fit` says: a column beside horizontal bars; one line,
  /// wrapped, ended with "…", turned or thinned under upright columns.
  func categoryLabels(in frame: PlotFrame) -> [ChartPlan.CategoryLabel] {
    let (area, plot, bands, fit, labelWidth) = (frame.area, frame.plot, frame.bands, frame.fit, frame.labelWidth)
    var categoryLabels: [ChartPlan.CategoryLabel] = []
    let columns = labels
    for (index, label) in chart.categories.enumerated() {
      let centre = bands.center(at: index)
      var run: TextRun
      switch fit {
      case .column(let lines):
        let style = columns.style(for: label, width: labelWidth, lines: lines).with { $0.alignment = .trailing }
        let m = measuring.measure(label, style: style, maxWidth: labelWidth)
        run = TextRun(text: label, style: style, frame: Rect(x: area.minX, y: centre - m.height / 2, width: labelWidth, height: m.height))
      case .oneLine, .wrapped, .ellipsized:
        let slot = bands.step * 0.95
        let style = categoryStyle.with {
          $0.alignment = .center
          if case .ellipsized = fit { $0.overflow = .ellipsize }
        }
        let m = measuring.measure(label, style: style, maxWidth: slot)
        run = TextRun(text: label, style: style, frame: Rect(x: centre - slot / 2, y: plot.maxY + 6, width: slot, height: m.height))
      case .turned, .thinned:
        if case .thinned(let every) = fit, index % every != 0 { continue }
        let length = max(area.maxY - plot.maxY - 6, 1)
        let style = categoryStyle.with {
          $0.alignment = .trailing
          $0.overflow = .ellipsize
        }
        let shown = labels.shortened(label, style: style, width: length)
        let m = measuring.measure(shown, style: style, maxWidth: length)
        run = TextRun(
          text: shown, style: style,
          frame: Rect(x: min(max(centre - m.height / 2, area.minX), area.maxX - m.height), y: plot.maxY + 6, width: m.height, height: length),
          readsUpward: true)
      }
      categoryLabels.append(ChartPlan.CategoryLabel(run: run, category: index))
    }

    return categoryLabels
  }

  /// Value labels: outside the bar's end when there is room, inside it (black or white, whichever
  /// contrasts more) when not, else left out; never over a text in `placed` or another value label.
  func valueLabels(
    _ texts: [(text: String, segment: BarMark.Segment, outsideOnly: Bool, insideOnly: Bool)], measured: [TextMetrics],
    bars: [ChartPlan.Bar], in frame: PlotFrame, avoiding placed: [Rect]
  ) -> (labels: [ChartPlan.ValueLabel], halos: [FrameItem], dropped: Int) {
    let (plot, scale, bands) = (frame.plot, frame.scale, frame.bands)
    var placed = placed
    var valueLabels: [ChartPlan.ValueLabel] = []
    var halos: [FrameItem] = []
    var dropped = 0
    let seriesCount = Double(max(chart.series.count, 1))
    let slotAcross = chart.kind.position == .dodge ? bands.step / seriesCount : bands.step
    for (index, entry) in texts.enumerated() {
      let size = measured[index]
      let segment = entry.segment
      let start = scale.map(segment.start)
      let end = scale.map(segment.end)
      let outward: Double = {
        if end != start { return end > start ? 1 : -1 }
        let up = scale.map(1) > scale.map(0) ? 1.0 : -1.0
        return segment.value < 0 ? -up : up
      }()
      let acrossRange: ClosedRange<Double> = segment.series >= 0
        ? mark.across(segment, bands: bands)
        : bands.start(at: segment.category)...(bands.start(at: segment.category) + bands.bandwidth)
      let centre = (acrossRange.lowerBound + acrossRange.upperBound) / 2
      let acrossBox = (centre - across(size) / 2)...(centre + across(size) / 2)
      var candidates: [(Rect, Bool)] = []
      if !entry.insideOnly, across(size) <= slotAcross + 0.5 {
        let from = end + outward * Self.gap
        let to = from + outward * along(size)
        candidates.append((rect(along: min(from, to)...max(from, to), across: acrossBox), false))
      }
      let length = abs(end - start)
      let thickness = acrossRange.upperBound - acrossRange.lowerBound
      if !entry.outsideOnly, segment.series >= 0, length >= along(size) + 2 * Self.insidePadding, across(size) <= thickness + 0.5 {
        // In a stack a label is centred in its part, apart from the next part and the total;
        // a lone bar's label sits at its end, where the figure is read.
        let middle = (start + end) / 2
        let (from, to) = chart.kind.position == .dodge
          ? (end - outward * Self.insidePadding, end - outward * (Self.insidePadding + along(size)))
          : (middle - along(size) / 2, middle + along(size) / 2)
        candidates.append((rect(along: min(from, to)...max(from, to), across: acrossBox), true))
      }
      let inPlot = plot.insetBy(dx: -0.01, dy: -0.01)
      guard let (box, inside) = candidates.first(where: { candidate in
        inPlot.contains(candidate.0) && !placed.contains { $0.overlaps(candidate.0) }
      }) else {
        dropped += 1
        continue
      }
      var style = valueStyle.with { $0.alignment = .center }
      if inside, let bar = bars.first(where: { $0.category == segment.category && $0.series == segment.series }) {
        style.color = Self.contrastingInk(on: bar.fill, dark: theme.ink)
      }
      let run = TextRun(text: entry.text, style: style, frame: box)
      // Paper behind a label outside its bar keeps a reference line or grid line from crossing it.
      if !inside { halos.append(.rect(box.insetBy(dx: -1, dy: 0), .filled(.white))) }
      placed.append(box)
      valueLabels.append(ChartPlan.ValueLabel(
        run: run, category: segment.category, series: segment.series >= 0 ? segment.series : nil, isInside: inside))
    }

    return (valueLabels, halos, dropped)
  }
}
