internal import Foundation
/// Fits the category labels of a chart to the room its band axis gives them, by measuring:
/// wrapped at word boundaries, else ended with "…", else turned to read upwards, else thinned —
/// never broken inside a word.
struct CategoryLabels {
  let labels: [String]
  let style: TextStyle
  let measuring: any TextMeasuring

  /// The most lines a label may take.
  static let columnLines = 2
  static let uprightLines = 3

  /// Each label's width on one line.
  var widths: [Double] { labels.map { measuring.measure($0, style: style, maxWidth: nil).width } }

  /// The width of the widest word of `label` (words end at spaces; a hyphenated word is one word).
  func widestWord(of label: String) -> Double {
    label.split(separator: " ").map { measuring.measure(String($0), style: style, maxWidth: nil).width }.max() ?? 0
  }

  /// `label`, or as many of its words as fit `width` with "…" after them (“Ханты-Мансийский
  /// автономный округ…”, not “…округ —…”: no dash, comma or space before the ellipsis, and no
  /// word cut) when it does not fit; a first word too long alone is cut where it must be.
  func shortened(_ label: String, style: TextStyle, width: Double) -> String {
    let plain = style.with { $0.overflow = .wrap }
    func fits(_ text: String) -> Bool { measuring.measure(text, style: plain, maxWidth: nil).width <= width + 0.01 }
    if fits(label) { return label }
    let words = label.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
    let trailing = CharacterSet(charactersIn: " \u{00A0}—–-,;:(")
    for count in stride(from: words.count - 1, through: 1, by: -1) {
      let kept = words.prefix(count).joined(separator: " ").trimmingCharacters(in: trailing)
      if !kept.isEmpty, fits(kept + "…") { return kept + "…" }
    }
    // Not one word fits: the style's own ellipsis cuts it.
    return label
  }

  /// The height of one line.
  var lineHeight: Double { measuring.measure("Ag", style: style, maxWidth: nil).height }

  /// The style of one label set `width` wide in at most `lines` lines: wrapped when its words fit,
  /// else one line ending with "…" (a word wider than the room is never broken).
  func style(for label: String, width: Double, lines: Int) -> TextStyle {
    if widestWord(of: label) <= width + 0.01 {
      return style.with {
        $0.overflow = .wrap
        $0.maxLines = lines
      }
    }
    return style.with { $0.overflow = .ellipsize }
  }

  /// Horizontal bars: the column's width (no wider than `maxWidth`) and the lines its labels take.
  func column(maxWidth: Double) -> (width: Double, lines: Int) {
    let width = min(widths.max() ?? 0, maxWidth)
    var lines = 1
    for label in labels {
      let styled = style(for: label, width: width, lines: Self.columnLines)
      lines = max(lines, measuring.measure(label, style: styled, maxWidth: width).lineCount)
    }
    return (max(width, 0), min(lines, Self.columnLines))
  }

  /// Upright columns: how labels fit under columns `slot` wide, and the height they take; turned
  /// labels are at most `maxLength` long.
  func under(slot: Double, maxLength: Double) -> (fit: ChartPlan.LabelFit, height: Double) {
    let widths = self.widths
    let widest = widths.max() ?? 0
    let line = lineHeight
    if widest <= slot + 0.01 { return (.oneLine, line) }
    if labels.allSatisfy({ widestWord(of: $0) <= slot + 0.01 }) {
      let heights = labels.map { measuring.measure($0, style: style, maxWidth: slot) }
      let lines = heights.map(\.lineCount).max() ?? 1
      if lines <= Self.uprightLines { return (.wrapped(lines: lines), heights.map(\.height).max() ?? line) }
    }
    // Ending with "…" is worth it while most of every label stays.
    if slot >= widest * 0.6 { return (.ellipsized, line) }
    let length = min(widest, maxLength)
    if line <= slot + 0.01 { return (.turned, length) }
    let every = Int((line / max(slot, 0.01)).rounded(.up))
    return (.thinned(every: max(every, 2)), length)
  }
}
