/// Bars from zero to each value, one per band of a band scale.
public struct BarMark: Sendable {
  public enum Orientation: String, Sendable, Codable, CaseIterable {
    /// Bars grow rightwards from a vertical baseline; categories run down the page.
    case horizontal
    /// Bars grow upwards from a horizontal baseline; categories run across the page.
    case vertical
  }

  public var values: [Double?]
  public var orientation: Orientation
  public var fill: Color
  /// Indices of bars drawn in the highlight colour.
  public var highlighted: Set<Int>
  public var highlightFill: Color

  public init(
    values: [Double?], orientation: Orientation, fill: Color, highlighted: Set<Int> = [],
    highlightFill: Color = Color(hex: 0xC8553D)
  ) {
    self.values = values
    self.orientation = orientation
    self.fill = fill
    self.highlighted = highlighted
    self.highlightFill = highlightFill
  }

  /// The rectangle of each bar; nil for a missing value.
  public func rects(bands: BandScale, values scale: LinearScale) -> [Rect?] {
    values.enumerated().map { index, value in
      guard let value, value.isFinite else { return nil }
      let zero = scale.map(0)
      let end = scale.map(value)
      let start = bands.start(at: index)
      switch orientation {
      case .horizontal:
        return Rect(x: min(zero, end), y: start, width: abs(end - zero), height: bands.bandwidth)
      case .vertical:
        return Rect(x: start, y: min(zero, end), width: bands.bandwidth, height: abs(end - zero))
      }
    }
  }

  /// Returns a filled rectangle for every bar with a value.
  public func items(bands: BandScale, values scale: LinearScale) -> [FrameItem] {
    rects(bands: bands, values: scale).enumerated().compactMap { index, rect in
      guard let rect else { return nil }
      return .rect(rect, .filled(highlighted.contains(index) ? highlightFill : fill))
    }
  }
}
