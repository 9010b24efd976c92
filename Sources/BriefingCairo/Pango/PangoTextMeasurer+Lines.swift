public import BriefingLayout
internal import CCairo

/// One line of a run of text as Pango sets it: what it shows and where, relative to the run's box.
public struct SetLine: Hashable, Sendable {
  /// The characters the line shows (an ellipsized line ends with "…").
  public var text: String
  /// The left edge of the line's ink box (alignment included).
  public var x: Double
  /// The baseline, from the top of the box.
  public var baseline: Double
  /// The width Pango gives the line.
  public var width: Double
}

extension PangoTextMeasurer {
  /// The lines of `run` as they are drawn: for backends that write text themselves (SVG text).
  public func lines(of run: TextRun) -> [SetLine] {
    apply(text: run.text, style: run.style, width: run.lineWidth, superscripts: run.superscripts, to: layout)
    let scale = Double(PANGO_SCALE)
    let ellipsized = pango_layout_is_ellipsized(layout) != 0
    let bytes = Array(run.text.utf8)
    var lines: [SetLine] = []
    guard let iterator = pango_layout_get_iter(layout) else { return [] }
    repeat {
      guard let line = pango_layout_iter_get_line_readonly(iterator) else { continue }
      var logical = PangoRectangle()
      pango_layout_iter_get_line_extents(iterator, nil, &logical)
      let start = min(max(Int(line.pointee.start_index), 0), bytes.count)
      let end = min(start + max(Int(line.pointee.length), 0), bytes.count)
      var text = String(decoding: bytes[start..<end], as: UTF8.self)
      while let last = text.last, last == " " || last == "\n" { text.removeLast() }
      lines.append(SetLine(
        text: text, x: Double(logical.x) / scale, baseline: Double(pango_layout_iter_get_baseline(iterator)) / scale,
        width: Double(logical.width) / scale))
    } while pango_layout_iter_next_line(iterator) != 0
    pango_layout_iter_free(iterator)
    // Pango draws an ellipsized line's end as "…" but reports the text it stands for: find the
    // longest start of that text that fits with "…" after it, as Pango does.
    if ellipsized, var last = lines.popLast() {
      let style = run.style.with { $0.overflow = .ellipsize; $0.maxLines = nil }
      let room = last.width + 0.5
      var characters = Array(last.text)
      while !characters.isEmpty {
        let candidate = String(characters).trimmingSuffixSpaces + "…"
        if measure(candidate, style: style, maxWidth: nil).width <= room {
          last.text = candidate
          break
        }
        characters.removeLast()
      }
      if characters.isEmpty { last.text = "…" }
      lines.append(last)
    }
    return lines
  }
}

extension String {
  fileprivate var trimmingSuffixSpaces: String {
    var copy = self
    while copy.last == " " { copy.removeLast() }
    return copy
  }
}
