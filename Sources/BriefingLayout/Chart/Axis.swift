/// The value axis of a chart: round ticks from a linear scale, their labels and grid lines.
public struct ValueAxis: Sendable {
  /// Which side of the plot the tick labels sit on.
  public enum Edge: Sendable { case bottom, left }

  public var scale: LinearScale
  public var edge: Edge
  public var format: @Sendable (Double) -> String

  public init(scale: LinearScale, edge: Edge, format: @escaping @Sendable (Double) -> String) {
    self.scale = scale
    self.edge = edge
    self.format = format
  }

  /// Picks the largest tick count up to `preferred` whose labels do not crowd each other.
  public static func fittingTickCount(
    scale: LinearScale, preferred: Int, labelStyle: TextStyle, edge: Edge,
    format: (LinearScale, Int) -> (Double) -> String, measuring: any TextMeasuring
  ) -> Int {
    var count = preferred
    while count > 2 {
      let nice = scale.nice(tickCount: count)
      let ticks = nice.ticks(count: count)
      guard ticks.count > 1 else { return count }
      let spacing = abs(nice.map(ticks[1]) - nice.map(ticks[0]))
      let text = format(nice, count)
      let extent = ticks.map { value -> Double in
        let m = measuring.measure(text(value), style: labelStyle, maxWidth: nil)
        return edge == .bottom ? m.width : m.height
      }.max() ?? 0
      if spacing >= extent + 8 { return count }
      count -= 1
    }
    return count
  }

  /// Grid lines across `plot` at every tick but zero (the baseline marks zero), and tick labels
  /// outside it, kept within `bounds` horizontally.
  public func parts(
    plot: Rect, tickCount: Int, bounds: Rect, theme: Theme, measuring: any TextMeasuring
  ) -> (grid: [FrameItem], labels: [TextRun]) {
    var grid: [FrameItem] = []
    var labels: [TextRun] = []
    let labelStyle = theme.style(.tickLabel)
    let gridPaint = Paint(stroke: theme.gridColor, lineWidth: theme.lightRule)
    for value in scale.ticks(count: tickCount) {
      let label = format(value)
      let metrics = measuring.measure(label, style: labelStyle, maxWidth: nil)
      let position = scale.map(value)
      switch edge {
      case .bottom:
        if value != 0 {
          grid.append(.line(from: Point(x: position, y: plot.minY), to: Point(x: position, y: plot.maxY), gridPaint))
        }
        grid.append(.line(
          from: Point(x: position, y: plot.maxY), to: Point(x: position, y: plot.maxY + 3),
          Paint(stroke: theme.mutedInk, lineWidth: theme.lightRule)))
        let x = min(max(position - metrics.width / 2, bounds.minX), bounds.maxX - metrics.width)
        let box = Rect(x: x, y: plot.maxY + 5, width: metrics.width, height: metrics.height)
        labels.append(TextRun(text: label, style: labelStyle.with { $0.alignment = .center }, frame: box))
      case .left:
        if value != 0 {
          grid.append(.line(from: Point(x: plot.minX, y: position), to: Point(x: plot.maxX, y: position), gridPaint))
        }
        let y = min(max(position - metrics.height / 2, bounds.minY), bounds.maxY - metrics.height)
        let box = Rect(x: plot.minX - 6 - metrics.width, y: y, width: metrics.width, height: metrics.height)
        labels.append(TextRun(text: label, style: labelStyle.with { $0.alignment = .trailing }, frame: box))
      }
    }
    return (grid, labels)
  }
}
