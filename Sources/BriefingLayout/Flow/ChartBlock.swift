/// A chart placed in the flow of a document. Charts never split across pages.
public struct ChartBlock: Block {
  public var chart: BarChart
  /// A fixed height; nil uses the chart's preferred height for the width.
  public var fixedHeight: Double?
  public var anchor: String?

  public init(_ chart: BarChart, height: Double? = nil, anchor: String? = nil) {
    self.chart = chart
    self.fixedHeight = height
    self.anchor = anchor
  }

  public func height(width: Double, measuring: any TextMeasuring) -> Double {
    fixedHeight ?? chart.preferredHeight(width: width, measuring: measuring)
  }

  public func layout(width: Double, measuring: any TextMeasuring) -> Frame {
    var frame = chart.layout(size: Size(width: width, height: height(width: width, measuring: measuring)), measuring: measuring)
    if let anchor { frame.items.insert(.anchor(name: anchor, at: .zero), at: 0) }
    return frame
  }
}
