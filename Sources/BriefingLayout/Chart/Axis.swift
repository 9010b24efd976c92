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
    format: (Double) -> String, measuring: any TextMeasuring
  ) -> Int {
    var count = preferred
    while count > 2 {
      let ticks = scale.nice(tickCount: count).ticks(count: count)
      guard ticks.count > 1 else { return count }
      let nice = scale.nice(tickCount: count)
      let spacing = abs(nice.map(ticks[1]) - nice.map(ticks[0]))
      let extent = ticks.map { value -> Double in
        let m = measuring.measure(format(value), style: labelStyle, maxWidth: nil)
        return edge == .bottom ? m.width : m.height
      }.max() ?? 0
      if spacing >= extent + 8 { return count }
      count -= 1
    }
    return count
  }

  /// Returns grid lines across the plot and tick labels outside it.
  public func items(plot: Rect, tickCount: Int, theme: Theme, measuring: any TextMeasuring) -> [FrameItem] {
    var items: [FrameItem] = []
    let labelStyle = theme.style(.tickLabel)
    let grid = Paint(stroke: theme.gridColor, lineWidth: theme.lightRule)
    for value in scale.ticks(count: tickCount) {
      let label = format(value)
      let metrics = measuring.measure(label, style: labelStyle, maxWidth: nil)
      let position = scale.map(value)
      switch edge {
      case .bottom:
        if value != 0 {
          items.append(.line(from: Point(x: position, y: plot.minY), to: Point(x: position, y: plot.maxY), grid))
        }
        items.append(.line(
          from: Point(x: position, y: plot.maxY), to: Point(x: position, y: plot.maxY + 3),
          Paint(stroke: theme.mutedInk, lineWidth: theme.lightRule)))
        let box = Rect(x: position - metrics.width / 2, y: plot.maxY + 5, width: metrics.width, height: metrics.height)
        items.append(.text(TextRun(text: label, style: labelStyle.with { $0.alignment = .center }, frame: box)))
      case .left:
        if value != 0 {
          items.append(.line(from: Point(x: plot.minX, y: position), to: Point(x: plot.maxX, y: position), grid))
        }
        let box = Rect(
          x: plot.minX - 6 - metrics.width, y: position - metrics.height / 2, width: metrics.width,
          height: metrics.height)
        items.append(.text(TextRun(text: label, style: labelStyle.with { $0.alignment = .trailing }, frame: box)))
      }
    }
    return items
  }
}
