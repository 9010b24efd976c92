internal import BriefingAnalytics
internal import Foundation
internal import Yams

/// One briefing a layout file makes: the layout with its parameters' values filled in.
public struct LayoutInstance {
  /// The layout file.
  public var file: String
  /// The parameters' values, by name.
  public var parameters: [String: String]
  /// The layout, decoded with the parameters filled in.
  public var spec: LayoutSpec
  /// The base name of the briefing's files.
  public var id: String
  /// The YAML the spec was decoded from (parameters filled in, lines and columns of the file).
  var root: Node

  /// The files the briefing writes, relative to the output folder: `<folder>/<id>.pdf` and each
  /// exported chart's `<folder>/<id>-<chart>.<format>`.
  public var outputFileNames: [String] {
    let prefix = spec.folder.map { $0 + "/" } ?? ""
    return BriefingBuilder.outputFileNames(of: spec, layoutAt: file).map { prefix + $0 }
  }
}

extension BriefingBuilder {
  /// The briefings the layout at `path` makes: one, or one per value its `forEach:` lists.
  ///
  /// `settings` (`--set name=value`) override parameters' defaults, and a `forEach` over the same
  /// parameter; settings of parameters the layout does not declare are left for other layouts
  /// (`unknownSettings(_:in:)` finds the ones no layout declares).
  public static func instances(ofLayoutAt path: String, settings: [String: String] = [:]) throws(BriefingError) -> [LayoutInstance] {
    try instances(ofLayoutAt: path, settings: settings, only: nil)
  }

  /// The briefings of the layout at `path` whose parameter values are one of `only` (all when nil):
  /// a build that rebuilds one region of 89 decodes that one.
  static func instances(ofLayoutAt path: String, settings: [String: String], only: Set<[String: String]>?) throws(BriefingError) -> [LayoutInstance] {
    let (root, text) = try readYAML(at: path, expecting: "a layout (title, data, blocks …)")
    guard root.mapping != nil else {
      throw .invalidLayout(
        file: path, line: root.mark?.line, column: root.mark?.column,
        message: "expected a layout of settings (title: …, data: …, blocks: …), found \(root.sequence != nil ? "a list" : "a single value")")
    }
    // Size first: a few aliases can make a tree huge, and the parameters walk all of it.
    try LayoutChecks.checkTree(root, file: path)
    let parameters = try LayoutParameters(root: root, file: path, settings: settings)
    var instances: [LayoutInstance] = []
    for values in parameters.combinations where only?.contains(values) ?? true {
      let filled = try Placeholders.filling(root, skipping: LayoutParameters.declarationKeys, final: false) {
        (name, attribute, position, _) throws(BriefingError) in
        try parameters.text(of: name, attribute: attribute, values: values, at: position)
      }
      let spec = try decodeLayout(filled, file: path, text: text)
      if let folder = spec.folder, let problem = LayoutParameters.folderProblem(folder) {
        let mark = LayoutKeys.mark(of: [LayoutPath("folder")], in: filled)
        throw .invalidLayout(file: path, line: mark?.line, column: mark?.column, message: "folder: \(problem)")
      }
      instances.append(LayoutInstance(file: path, parameters: values, spec: spec, id: outputID(of: spec, layoutAt: path), root: filled))
    }
    return instances
  }

  /// The names of `settings` that none of the layouts at `paths` declares as a parameter.
  public static func unknownSettings(_ settings: [String: String], in paths: [String]) -> [String] {
    guard !settings.isEmpty else { return [] }
    var declared: Set<String> = []
    for path in paths {
      guard let (root, _) = try? readYAML(at: path, expecting: "a layout") else { continue }
      declared.formUnion(LayoutParameters.declaredNames(in: root))
    }
    return settings.keys.filter { !declared.contains($0) }.sorted()
  }
}

/// A layout's `params:` and `forEach:`, read from its YAML before it is decoded (their values
/// fill the rest of it), each value checked against the names table of the dimension of the same
/// name when the layout has one.
struct LayoutParameters {
  /// The top-level keys that declare parameters and figures, which placeholders do not fill.
  static let declarationKeys: Set<String> = ["params", "forEach"]

  private struct Parameter {
    var name: String
    /// The names table of the dimension of the same name, with the file it came from.
    var table: (rows: ReferenceTable, file: String)?
  }

  private let file: String
  private var parameters: [Parameter] = []
  /// Every names table of the layout, by dimension, for attributes of attributes.
  private var namesTables: [String: (rows: ReferenceTable, file: String)] = [:]
  private let figures: [String]
  /// One dictionary of values per briefing.
  private(set) var combinations: [[String: String]] = [[:]]

  init(root: Node, file: String, settings: [String: String]) throws(BriefingError) {
    self.file = file
    let mapping = root.mapping
    figures = (mapping?["figures"]?.mapping?.keys.compactMap(\.string) ?? []).sorted()
    let params = mapping?["params"]
    let forEach = mapping?["forEach"]
    for (key, node) in [("params", params), ("forEach", forEach)] {
      if let node, node.mapping == nil {
        throw located("\(key): expected a mapping of parameter names (\(key): { region: … }), found \(node.sequence != nil ? "a list" : "a single value")", at: node.mark)
      }
    }
    for dimension in (mapping?["names"]?.mapping?.keys.compactMap(\.string) ?? []) {
      namesTables[dimension] = try Self.namesTable(for: dimension, root: root, layout: file)
    }
    var defaults: [String: String] = [:]
    for (keyNode, value) in params?.mapping ?? [:] {
      guard let name = keyNode.string, Placeholders.isIdentifier(name) else {
        throw located("params: expected a name of letters, digits and “_”, found “\(keyNode.string ?? "")”", at: keyNode.mark)
      }
      guard let text = value.scalar?.string else {
        throw located("params: \(name): expected one value (its default), found \(value.sequence != nil ? "a list" : "a mapping")", at: value.mark)
      }
      parameters.append(Parameter(name: name, table: namesTables[name]))
      defaults[name] = try canonical(text, of: name, at: value.mark, origin: "params: \(name)")
    }
    var lists: [(name: String, values: [String])] = []
    for (keyNode, value) in forEach?.mapping ?? [:] {
      guard let name = keyNode.string, Placeholders.isIdentifier(name) else {
        throw located("forEach: expected a parameter name, found “\(keyNode.string ?? "")”", at: keyNode.mark)
      }
      if !parameters.contains(where: { $0.name == name }) {
        parameters.append(Parameter(name: name, table: namesTables[name]))
      }
      if settings[name] != nil { continue }
      lists.append((name, try values(of: name, listedBy: value)))
    }
    for (name, value) in settings where parameters.contains(where: { $0.name == name }) {
      defaults[name] = try canonical(value, of: name, at: nil, origin: "--set \(name)=\(value)")
    }
    for parameter in parameters where defaults[parameter.name] == nil && !lists.contains(where: { $0.name == parameter.name }) {
      throw located("parameter “\(parameter.name)” has no value: give it a default under params, or --set \(parameter.name)=…", at: params?.mark)
    }
    combinations = [defaults]
    for (name, values) in lists {
      combinations = combinations.flatMap { partial in values.map { value in partial.merging([name: value]) { $1 } } }
    }
  }

  /// The parameter names a layout's YAML declares (`params:` and `forEach:` keys).
  static func declaredNames(in root: Node) -> Set<String> {
    var names: Set<String> = []
    for key in declarationKeys {
      for name in root.mapping?[key]?.mapping?.keys.compactMap(\.string) ?? [] { names.insert(name) }
    }
    return names
  }

  /// Why `folder` cannot be a folder inside the output folder, or nil.
  static func folderProblem(_ folder: String) -> String? {
    for part in folder.split(separator: "/", omittingEmptySubsequences: false) {
      if let problem = OutputName.problem(String(part)) { return "\(problem) (a folder is names of letters, digits, “-” and “_” joined by “/”)" }
    }
    return nil
  }

  /// The text a placeholder stands for: a parameter's value or an attribute of it; nil for a
  /// figure (filled once the data has answered it).
  func text(of name: String, attribute: String?, values: [String: String], at position: Placeholders.Position?) throws(BriefingError) -> String? {
    guard let parameter = parameters.first(where: { $0.name == name }), let value = values[name] else {
      if figures.contains(name) { return nil }
      let known = parameters.map(\.name) + figures
      let hint = nearestWord(name, in: known).map { " (did you mean “{\($0)}”?)" } ?? ""
      let listed = [
        parameters.isEmpty ? nil : "parameters: " + parameters.map(\.name).joined(separator: ", "),
        figures.isEmpty ? nil : "figures: " + figures.joined(separator: ", "),
      ].compactMap { $0 }
      throw located(
        "“{\(name)}” is neither a parameter nor a figure of this layout\(hint)"
          + (listed.isEmpty ? "; declare it under params or figures, or write “{{” for a brace" : " (\(listed.joined(separator: "; ")))"),
        at: position)
    }
    guard let attribute else { return value }
    if attribute == "slug" { return OutputName.slug(value).lowercased() }
    if let dot = attribute.firstIndex(of: ".") {
      // An attribute of an attribute: the second looked up in the names table of the first.
      let (first, second) = (String(attribute[..<dot]), String(attribute[attribute.index(after: dot)...]))
      guard let middle = try text(of: name, attribute: first, values: values, at: position) else { return nil }
      guard let table = namesTables[first] else {
        throw located("“{\(name).\(attribute)}”: “\(first)” has no names table (names: { \(first): … }) to look “\(second)” up in", at: position)
      }
      guard table.rows.header.contains(second) else {
        let hint = nearestWord(second, in: table.rows.header).map { " (did you mean “{\(name).\(first).\($0)}”?)" } ?? ""
        throw located("“{\(name).\(attribute)}”: \(table.file) has no column “\(second)”\(hint); it has \(table.rows.header.joined(separator: ", "))", at: position)
      }
      return Self.key(of: table.rows).flatMap { key in table.rows.rows.first { $0[key] == middle }?[second] } ?? ""
    }
    guard let table = parameter.table else {
      throw located("“{\(name).\(attribute)}”: “\(name)” has no names table (names: { \(name): … }), so its only attribute is slug", at: position)
    }
    guard table.rows.header.contains(attribute) else {
      let hint = nearestWord(attribute, in: table.rows.header).map { " (did you mean “{\(name).\($0)}”?)" } ?? ""
      throw located(
        "“{\(name).\(attribute)}”: \(table.file) has no column “\(attribute)”\(hint); it has \(table.rows.header.joined(separator: ", ")), and slug",
        at: position)
    }
    return Self.key(of: table.rows).flatMap { key in table.rows.rows.first { $0[key] == value }?[attribute] } ?? ""
  }

  // MARK: - Values

  /// The values a `forEach:` entry lists.
  private func values(of name: String, listedBy node: Node) throws(BriefingError) -> [String] {
    let table = parameters.first { $0.name == name }?.table
    if let word = node.scalar?.string {
      guard word == "all" else {
        throw located("forEach: \(name): expected “all”, a list of values or a filter on its names table ({ federal_district: Volga }), found “\(word)”", at: node.mark)
      }
      guard let table, let key = Self.key(of: table.rows) else {
        throw located("forEach: \(name): “all” needs the names table of “\(name)” (names: { \(name): … }) to list its values", at: node.mark)
      }
      return table.rows.column(key)
    }
    if let items = node.sequence {
      var values: [String] = []
      for item in items {
        guard let text = item.scalar?.string else { throw located("forEach: \(name): expected a list of values", at: item.mark) }
        let value = try canonical(text, of: name, at: item.mark, origin: "forEach: \(name)")
        if !values.contains(value) { values.append(value) }
      }
      guard !values.isEmpty else { throw located("forEach: \(name): expected at least one value, found an empty list", at: node.mark) }
      return values
    }
    guard let filter = node.mapping else { throw located("forEach: \(name): expected “all”, a list or a filter", at: node.mark) }
    guard let table, let key = Self.key(of: table.rows) else {
      throw located("forEach: \(name): a filter needs the names table of “\(name)” (names: { \(name): … })", at: node.mark)
    }
    var rows = table.rows.rows
    for (columnNode, wanted) in filter {
      let column = columnNode.string ?? ""
      guard table.rows.header.contains(column) else {
        let hint = nearestWord(column, in: table.rows.header).map { " (did you mean “\($0)”?)" } ?? ""
        throw located("forEach: \(name): \(table.file) has no column “\(column)”\(hint)", at: columnNode.mark)
      }
      let accepted = Set((wanted.sequence.map { Array($0) } ?? [wanted]).compactMap { $0.scalar?.string })
      let known = Array(Set(table.rows.column(column))).sorted()
      for value in accepted where !known.contains(value) {
        let hint = nearestWord(value, in: known).map { " (did you mean “\($0)”?)" } ?? ""
        throw located("forEach: \(name): no row of \(table.file) has \(column) “\(value)”\(hint)", at: wanted.mark)
      }
      rows = rows.filter { accepted.contains($0[column] ?? "") }
    }
    return rows.compactMap { $0[key] }
  }

  /// `text` as the value the data uses: a key of the parameter's names table (its `name_en`), or
  /// the key of the row where another column (`name_ru`, an ISO code) has it.
  private func canonical(_ text: String, of name: String, at mark: Mark?, origin: String) throws(BriefingError) -> String {
    guard let table = parameters.first(where: { $0.name == name })?.table, let key = Self.key(of: table.rows) else { return text }
    let keys = table.rows.column(key)
    if keys.contains(text) { return text }
    for column in table.rows.header where column != key {
      if let row = table.rows.rows.first(where: { $0[column] == text }), let value = row[key] { return value }
    }
    // The nearest of every name a row has (“Татарстан” → «Республика Татарстан»), said as its key.
    var keyOf: [String: String] = [:]
    for row in table.rows.rows {
      guard let value = row[key] else { continue }
      for column in table.rows.header { if let name = row[column], keyOf[name] == nil { keyOf[name] = value } }
    }
    let hint = nearestWord(text, in: keys).map { "; did you mean “\($0)”?" }
      ?? nearestWord(text, in: keyOf.keys.sorted()).flatMap { keyOf[$0] }.map { "; did you mean “\($0)”?" } ?? ""
    throw located("\(origin): no \(name) “\(text)” in \(table.file)\(hint)", at: mark)
  }

  /// The names table's key column: `name_en` (the data's values), else its first column.
  private static func key(of table: ReferenceTable) -> String? {
    table.header.contains("name_en") ? "name_en" : table.header.first
  }

  /// The names table of the dimension `name`, if the layout's `names:` has one.
  private static func namesTable(for name: String, root: Node, layout: String) throws(BriefingError) -> (rows: ReferenceTable, file: String)? {
    guard let node = root.mapping?["names"]?.mapping?[name], let relative = node.scalar?.string else { return nil }
    let base = URL(fileURLWithPath: layout).deletingLastPathComponent()
    let path = relative.hasPrefix("/") ? relative : base.appendingPathComponent(relative).standardizedFileURL.path
    do {
      return (try ReferenceTable.load(csv: path), relative)
    } catch {
      throw .data(error)
    }
  }

  private func located(_ message: String, at mark: Mark?) -> BriefingError {
    .invalidLayout(file: file, line: mark?.line, column: mark?.column, message: message)
  }

  private func located(_ message: String, at position: Placeholders.Position?) -> BriefingError {
    .invalidLayout(file: file, line: position?.line, column: position?.column, message: message)
  }
}

/// The closest of `candidates` to `word`: one that contains it or that it contains (ignoring
/// case), else the one fewest edits away, whole or by one of its words (“Tatarsan” → “Republic of
/// Tatarstan”), when that is close enough to be a typo.
func nearestWord(_ word: String, in candidates: [String]) -> String? {
  let lowered = word.lowercased()
  guard !lowered.isEmpty else { return nil }
  if let containing = candidates.filter({ !$0.isEmpty && ($0.lowercased().contains(lowered) || lowered.contains($0.lowercased())) })
    .min(by: { abs($0.count - word.count) < abs($1.count - word.count) })
  {
    return containing
  }
  // Every part of a code name in one candidate (“campus_places” → “campus_student_places”).
  let parts = Set(lowered.split(separator: "_").map(String.init))
  if parts.count > 1, let covering = candidates.first(where: { parts.isSubset(of: Set($0.lowercased().split(separator: "_").map(String.init))) }) {
    return covering
  }
  let scored = candidates.map { candidate in
    let words = candidate.split(whereSeparator: { $0 == " " || $0 == "-" }).map(String.init)
    return (candidate, ([candidate] + words).map { editDistance($0, word) }.min() ?? Int.max)
  }
  guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= max(2, word.count / 3) else { return nil }
  return best.0
}
