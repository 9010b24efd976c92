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

  private static func keys(of value: Any) -> [String] {
    Mirror(reflecting: value).children.compactMap(\.label)
  }

  /// Throws on the first unknown key of the layout `text` read from `file`.
  static func check(_ text: String, file: String) throws(BriefingError) {
    // Syntax errors are the decoder's to report, with their own position.
    guard let root = try? Yams.compose(yaml: text) else { return }
    try check(root, allowed: layout, in: "the layout", file: file) { (key, value) throws(BriefingError) in
      switch key {
      case "page": try check(value, allowed: page, in: "page", file: file)
      case "theme": try check(value, allowed: theme, in: "theme", file: file)
      case "data":
        for entry in value.sequence ?? [] where entry.mapping != nil {
          try check(entry, allowed: data, in: "a data entry", file: file)
        }
      case "blocks":
        for block in value.sequence ?? [] {
          guard let mapping = block.mapping, mapping.count == 1, let (name, body) = mapping.first else { continue }
          let allowed: [String]
          switch name.string {
          case "table": allowed = table
          case "chart": allowed = chart
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

  private static func check(
    _ node: Node, allowed: [String], in place: String, file: String,
    then visit: (String, Node) throws(BriefingError) -> Void = { _, _ in }
  ) throws(BriefingError) {
    guard let mapping = node.mapping else { return }
    for (keyNode, value) in mapping {
      guard let key = keyNode.string else { continue }
      guard allowed.contains(key) else {
        let near = allowed.first { $0.lowercased() == key.lowercased() } ?? allowed.first { distance($0, key) <= 2 }
        let hint = near.map { "; did you mean “\($0)”?" } ?? ""
        throw .invalidLayout(
          file: file, line: keyNode.mark?.line, column: keyNode.mark?.column,
          message: "unknown key “\(key)” in \(place)\(hint) (expected one of: \(allowed.joined(separator: ", ")))")
      }
      try visit(key, value)
    }
  }

  /// The edit distance between two short keys.
  private static func distance(_ a: String, _ b: String) -> Int {
    let a = Array(a.lowercased()), b = Array(b.lowercased())
    guard !a.isEmpty, !b.isEmpty else { return max(a.count, b.count) }
    var previous = Array(0...b.count)
    for i in 1...a.count {
      var current = [i] + Array(repeating: 0, count: b.count)
      for j in 1...b.count {
        current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
      }
      previous = current
    }
    return previous[b.count]
  }
}
