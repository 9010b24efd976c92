internal import Yams

/// Refuses keys a layout does not know, with their line and column: a misspelt setting (`groupby`,
/// `tital`) would otherwise be dropped without a word and the briefing built without it.
///
/// The known keys are the stored properties of the spec types (their synthesized coding keys), read
/// by reflection so that a new setting is known as soon as it is declared.
enum LayoutKeys {
  static let layout = keys(of: LayoutSpec(language: .en, title: "", data: [], blocks: []))
  static let page = keys(of: LayoutSpec.PageSpec())
  static let theme = keys(of: LayoutSpec.ThemeSpec())
  static let data = keys(of: LayoutSpec.DataSpec(path: ""))
  static let query = keys(of: LayoutSpec.QuerySpec(metric: "", by: ""))
  static let table = keys(of: LayoutSpec.TableSpec(query: LayoutSpec.QuerySpec(metric: "", by: "")))
  static let chart = keys(of: LayoutSpec.ChartSpec(id: "", query: LayoutSpec.QuerySpec(metric: "", by: "")))
  static let kpi = keys(of: LayoutSpec.KPISpec(query: LayoutSpec.FigureQuerySpec(metric: "")))
  static let figureQuery = keys(of: LayoutSpec.FigureQuerySpec(metric: ""))
  static let textFigure = keys(of: LayoutSpec.TextFigureSpec(query: LayoutSpec.FigureQuerySpec(metric: "")))

  private static func keys(of value: Any) -> [String] {
    Mirror(reflecting: value).children.compactMap(\.label)
  }

  static let blockKinds = LayoutSpec.BlockSpec.Key.allCases.map(\.rawValue)

  /// Throws on the first unknown key of the layout `root` (composed from `file`).
  static func check(_ root: Node, file: String) throws(BriefingError) {
    try check(root, allowed: layout, in: "the layout", file: file) { (key, value) throws(BriefingError) in
      switch key {
      case "page": try check(value, allowed: page, in: "page", file: file)
      case "theme": try check(value, allowed: theme, in: "theme", file: file)
      case "figures":
        for (_, figure) in value.mapping ?? [:] where figure.mapping != nil {
          try check(figure, allowed: textFigure, in: "a figure of “figures”", file: file) { (key, value) throws(BriefingError) in
            if key == "query" { try check(value, allowed: figureQuery, in: "a figure's query, which asks for one number", file: file) }
          }
        }
      case "data":
        for entry in value.sequence ?? [] where entry.mapping != nil {
          try check(entry, allowed: data, in: "a data entry", file: file)
        }
      case "blocks":
        for block in value.sequence ?? [] {
          // A block is one of its kinds; a second key beside it (`stlye:`) would be dropped.
          try check(block, allowed: blockKinds, in: "a block", file: file)
          guard let mapping = block.mapping, mapping.count == 1, let (name, body) = mapping.first else { continue }
          let allowed: [String]
          switch name.string {
          case "table": allowed = table
          case "chart": allowed = chart
          case "kpis":
            // A list of figures, each with its own query of one figure (no `by`, `top` or `sort`).
            for figure in body.sequence ?? [] {
              try check(figure, allowed: kpi, in: "a figure of a kpis block", file: file) { (key, value) throws(BriefingError) in
                if key == "query" { try check(value, allowed: figureQuery, in: "a key figure's query, which asks for one number", file: file) }
              }
            }
            continue
          default: continue
          }
          try check(body, allowed: allowed, in: "a \(name.string ?? "") block", file: file) { (key, value) throws(BriefingError) in
            if key == "query" { try check(value, allowed: query, in: "a query", file: file) }
          }
        }
      default: break
      }
    }
  }

  /// Throws on the first key of the mapping `node` not in `allowed`, with the nearest allowed one;
  /// `visit` then sees each key and value.
  static func check(
    _ node: Node, allowed: [String], in place: String, file: String,
    then visit: (String, Node) throws(BriefingError) -> Void = { _, _ in }
  ) throws(BriefingError) {
    guard let mapping = node.mapping else { return }
    for (keyNode, value) in mapping {
      // `<<` merges another mapping (YAML anchors): its keys are checked where they are written.
      guard let key = keyNode.string, key != "<<" else { continue }
      guard allowed.contains(key) else {
        let near = allowed.first { $0.lowercased() == key.lowercased() } ?? allowed.first { editDistance($0, key) <= 2 }
        let hint = near.map { "; did you mean “\($0)”?" } ?? ""
        throw .invalidLayout(
          file: file, line: keyNode.mark?.line, column: keyNode.mark?.column,
          message: "unknown key “\(key)” in \(place)\(hint) (expected one of: \(allowed.joined(separator: ", ")))")
      }
      try visit(key, value)
    }
  }

  /// The line and column of the value at `codingPath` in `root`, or of the deepest part of the
  /// path that exists, so that a decoding error can point at the text to fix.
  static func mark(of codingPath: [any CodingKey], in root: Node) -> Mark? {
    var node = root
    var found = root.mark
    for key in codingPath {
      let next: Node?
      if let index = key.intValue {
        next = node.sequence.flatMap { index < $0.count ? $0[index] : nil }
      } else if let mapping = node.mapping {
        next = mapping.first { $0.key.string == key.stringValue }?.value
      } else {
        next = nil
      }
      guard let next else { break }
      node = next
      found = next.mark ?? found
    }
    return found
  }
}
