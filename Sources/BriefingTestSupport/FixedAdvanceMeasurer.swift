public import BriefingLayout

/// A text measurer for layout tests: every character is `advance × size` wide, lines are
/// `lineHeight × size` tall, and lines break at spaces. Deterministic, no fonts needed.
public struct FixedAdvanceMeasurer: TextMeasuring {
  public var advance: Double
  public var lineHeight: Double

  public init(advance: Double = 0.55, lineHeight: Double = 1.25) {
    self.advance = advance
    self.lineHeight = lineHeight
  }

  public func measure(_ text: String, style: TextStyle, maxWidth: Double?) -> TextMetrics {
    measure(text, style: style, maxWidth: maxWidth, superscripts: [])
  }

  /// Characters in `superscripts` (UTF-8 byte ranges) are `superscriptScale` times as wide.
  public func measure(_ text: String, style: TextStyle, maxWidth: Double?, superscripts: [Range<Int>]) -> TextMetrics {
    let fullWidth = advance * style.size
    let lineHeight = self.lineHeight * style.size * (style.lineSpacing ?? 1)
    var starts = [0]
    var widths: [Double] = []
    var lineWidth = 0.0
    var byteOffset = 0
    var lastSpaceOffset: Int? = nil
    var widthAtSpace = 0.0
    var widthBeforeSpace = 0.0
    for scalar in text.unicodeScalars {
      let size = String(scalar).utf8.count
      let raised = superscripts.contains { $0.contains(byteOffset) }
      let charWidth = raised ? fullWidth * superscriptScale : fullWidth
      if scalar == " " {
        lastSpaceOffset = byteOffset + size
        widthAtSpace = lineWidth + charWidth
        widthBeforeSpace = lineWidth
      }
      if let maxWidth, style.overflow == .wrap, lineWidth + charWidth > maxWidth + 1e-9, let space = lastSpaceOffset, space > (starts.last ?? 0) {
        widths.append(widthBeforeSpace)
        starts.append(space)
        lineWidth -= widthAtSpace
        lastSpaceOffset = nil
      }
      lineWidth += charWidth
      byteOffset += size
    }
    widths.append(lineWidth)
    if let maxLines = style.maxLines, maxWidth != nil, style.overflow == .wrap, starts.count > maxLines {
      starts.removeLast(starts.count - maxLines)
      widths.removeLast(widths.count - maxLines)
      if let maxWidth { widths[widths.count - 1] = min(widths[widths.count - 1], maxWidth) }
    }
    var width = widths.max() ?? 0
    if let maxWidth, style.overflow == .ellipsize { width = min(width, maxWidth) }
    return TextMetrics(
      width: width, height: Double(starts.count) * lineHeight, baseline: 0.8 * style.size,
      lineStarts: starts, lineHeights: Array(repeating: lineHeight, count: starts.count))
  }
}
