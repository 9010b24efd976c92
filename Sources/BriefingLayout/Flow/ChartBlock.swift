/// A chart placed in the flow of a document. A chart of horizontal bars taller than a page splits
/// between categories; every piece keeps the whole chart's scale and repeats its axis. A chart that
/// fits on a page moves to the next page whole rather than split.
public struct ChartBlock: Block {
  public var chart: Chart
  /// A fixed height; nil uses the chart's preferred height for the width.
  public var fixedHeight: Double?
  public var anchor: String?
  /// The height of a page's content area; a chart no taller never splits. Nil: split whenever the
  /// room left is too small.
  public var pageHeight: Double?
  /// Whether the chart may wait for the next page when it does not fit the room left, while the
  /// text after it fills that room (the default); false keeps the document's order strictly.
  public var floats: Bool

  /// The fewest categories a piece of a split chart shows.
  static let minimumPiece = 3

  public init(_ chart: Chart, height: Double? = nil, anchor: String? = nil, pageHeight: Double? = nil, floats: Bool = true) {
    self.chart = chart
    self.fixedHeight = height
    self.anchor = anchor
    self.pageHeight = pageHeight
    self.floats = floats
  }

  public var isFloat: Bool { floats }

  public func height(width: Double, measuring: any TextMeasuring) -> Double {
    fixedHeight ?? chart.preferredHeight(width: width, measuring: measuring)
  }

  public func minimumHeadHeight(width: Double, measuring: any TextMeasuring) -> Double {
    guard canSplit(width: width, measuring: measuring) else { return height(width: width, measuring: measuring) }
    return piece(0..<Self.minimumPiece, width: width, measuring: measuring).height(width: width, measuring: measuring)
  }

  private func canSplit(width: Double, measuring: any TextMeasuring) -> Bool {
    fixedHeight == nil && chart.categories.count >= 2 * Self.minimumPiece
      && ChartLayout(chart: chart, width: width, measuring: measuring).orientation == .horizontal
      && pageHeight.map { height(width: width, measuring: measuring) > $0 } ?? true
  }

  /// The chart's categories in `range`, on the whole chart's scale.
  private func piece(_ range: Range<Int>, width: Double, measuring: any TextMeasuring) -> ChartBlock {
    var part = chart
    part.frozen = chart.frozen ?? chart.plan(size: Size(width: width, height: height(width: width, measuring: measuring)), measuring: measuring).frozen
    part.categories = Array(chart.categories[range])
    part.series = chart.series.map { series in
      var series = series
      series.values = Array(series.values[range])
      series.prefixes = series.prefixes.count == chart.categories.count ? Array(series.prefixes[range]) : []
      return series
    }
    part.highlighted = Set(chart.highlighted.filter(range.contains).map { $0 - range.lowerBound })
    part.isContinuation = chart.isContinuation || range.lowerBound > 0
    // The note (the source) closes the last piece only.
    if range.upperBound < chart.categories.count { part.note = nil }
    // A piece splits again where the room left calls for it: its parent was too tall for a page.
    return ChartBlock(part, anchor: range.lowerBound == 0 ? anchor : nil, floats: floats)
  }

  public func split(width: Double, height: Double, measuring: any TextMeasuring) -> BlockSplit? {
    guard canSplit(width: width, measuring: measuring) else { return nil }
    // Lay the whole chart out once, for the scale and label column every piece keeps.
    var frozen = self
    if frozen.chart.frozen == nil {
      frozen.chart.frozen = chart.plan(size: Size(width: width, height: self.height(width: width, measuring: measuring)), measuring: measuring).frozen
    }
    return frozen.splitFrozen(width: width, height: height, measuring: measuring)
  }

  private func splitFrozen(width: Double, height: Double, measuring: any TextMeasuring) -> BlockSplit? {
    let count = chart.categories.count
    // The most categories whose piece fits; heights grow with the count, so search.
    var low = Self.minimumPiece
    var high = count - Self.minimumPiece
    guard low <= high, piece(0..<low, width: width, measuring: measuring).height(width: width, measuring: measuring) <= height else {
      return nil
    }
    while low < high {
      let middle = (low + high + 1) / 2
      if piece(0..<middle, width: width, measuring: measuring).height(width: width, measuring: measuring) <= height {
        low = middle
      } else {
        high = middle - 1
      }
    }
    return BlockSplit(
      head: piece(0..<low, width: width, measuring: measuring), tail: piece(low..<count, width: width, measuring: measuring))
  }

  public func layout(width: Double, measuring: any TextMeasuring) -> Frame {
    var frame = chart.layout(size: Size(width: width, height: height(width: width, measuring: measuring)), measuring: measuring)
    if let anchor { frame.items.insert(.anchor(name: anchor, at: .zero), at: 0) }
    return frame
  }
}
