internal import BriefingLayout

/// Where each string of a composed document comes from in the layout ("table 9, row 12"), so that
/// a problem found in the laid-out pages (a glyph no font has) can name the block and row to fix.
struct TextOrigins {
  private var exact: [String: String] = [:]
  private var ordered: [(text: String, place: String)] = []

  /// Records that `text` comes from `place`; the first place recorded for a text wins.
  mutating func add(_ text: String, at place: String) {
    guard !text.isEmpty, exact[text] == nil else { return }
    exact[text] = place
    ordered.append((text, place))
  }

  /// Records a table's caption, headers and cells, row by row.
  mutating func add(_ table: TableBlock, name: String) {
    if let caption = table.caption {
      add(caption, at: "\(name), caption")
      add("\(caption) \(table.continuedLabel)", at: "\(name), caption")
    }
    if let continued = table.continuationCaption { add(continued, at: "\(name), caption") }
    for column in table.columns { add(column.header, at: "\(name), header") }
    for (index, row) in table.rows.enumerated() {
      for cell in row.cells { add(cell, at: "\(name), row \(index + 1)") }
      for note in row.allFootnotes { add(note.text, at: "\(name), row \(index + 1), footnote \(note.marker)") }
    }
  }

  /// Where `text` comes from: the place recorded for it, else the first recorded text that
  /// contains it (a paragraph's piece on a later page), else nil.
  func place(of text: String) -> String? {
    if let place = exact[text] { return place }
    return ordered.first { $0.text.contains(text) }?.place
  }
}
