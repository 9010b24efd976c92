import BriefingAnalytics
import Foundation
import Testing

@testable import Briefing
@testable import BriefingLayout

/// `docs/layout.schema.json`, the JSON Schema editors check layouts with, against the decoder: its
/// objects have exactly the keys `LayoutKeys` allows and the decoder requires, its closed lists are
/// the Swift enums' cases, its ranges are `LayoutChecks`' — so a setting added to the spec without
/// the schema fails here. An independent validator (Python's jsonschema, through
/// `scripts/check-layout-schema.py`) then accepts every layout of `layouts/` and refuses broken ones.
@Suite struct LayoutSchemaTests {
  static let schemaFile = projectRoot.appendingPathComponent("docs/layout.schema.json")
  static let script = projectRoot.appendingPathComponent("scripts/check-layout-schema.py")
  /// Debian's Python, where scripts/install-system-deps.sh installs python3-jsonschema and python3-yaml.
  static let python = URL(fileURLWithPath: "/usr/bin/python3")

  struct Failure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
  }

  func schema() throws -> [String: Any] {
    let object = try JSONSerialization.jsonObject(with: Data(contentsOf: Self.schemaFile))
    return try #require(object as? [String: Any], "the schema is not a JSON object")
  }

  /// The schema of `$defs/name`.
  func definition(_ name: String) throws -> [String: Any] {
    let defs = try #require(try schema()["$defs"] as? [String: Any], "the schema has no $defs")
    return try #require(defs[name] as? [String: Any], "the schema has no $defs/\(name)")
  }

  /// The branch of `node`'s `anyOf` that is an object with properties (a data entry's long form).
  func objectBranch(of node: [String: Any]) throws -> [String: Any] {
    let branches = try #require(node["anyOf"] as? [[String: Any]])
    return try #require(branches.first { $0["properties"] != nil })
  }

  func properties(of node: [String: Any]) throws -> [String: [String: Any]] {
    try #require(node["properties"] as? [String: [String: Any]], "no properties in \(node)")
  }

  /// The stored properties of a spec value, in declaration order, and whether each is optional.
  func fields(of value: Any) -> [(name: String, optional: Bool)] {
    Mirror(reflecting: value).children.compactMap { child in
      child.label.map { ($0, Mirror(reflecting: child.value).displayStyle == .optional) }
    }
  }

  /// Each object the schema describes: its schema, the keys the decoder allows, and a value of its
  /// spec type (whose non-optional properties are the required keys).
  func objects() throws -> [(name: String, schema: [String: Any], keys: [String], sample: Any)] {
    let query = LayoutSpec.QuerySpec(metric: "", by: "")
    let figure = LayoutSpec.FigureQuerySpec(metric: "")
    let reference = LayoutSpec.ReferenceSpec(value: 0, label: "")
    return [
      ("the layout", try schema(), LayoutKeys.layout, LayoutSpec(language: .en, title: "", data: [], blocks: [])),
      ("PageSpec", try definition("PageSpec"), LayoutKeys.page, LayoutSpec.PageSpec()),
      ("ThemeSpec", try definition("ThemeSpec"), LayoutKeys.theme, LayoutSpec.ThemeSpec()),
      ("DataSpec", try objectBranch(of: definition("DataSpec")), LayoutKeys.data, LayoutSpec.DataSpec(path: "")),
      ("QuerySpec", try definition("QuerySpec"), LayoutKeys.query, query),
      ("FigureQuerySpec", try definition("FigureQuerySpec"), LayoutKeys.figureQuery, figure),
      ("TableSpec", try definition("TableSpec"), LayoutKeys.table, LayoutSpec.TableSpec(query: query)),
      ("ChartSpec", try definition("ChartSpec"), LayoutKeys.chart, LayoutSpec.ChartSpec(id: "", query: query)),
      ("KPISpec", try definition("KPISpec"), LayoutKeys.kpi, LayoutSpec.KPISpec(query: figure)),
      ("TextFigureSpec", try definition("TextFigureSpec"), LayoutKeys.textFigure, LayoutSpec.TextFigureSpec(query: figure)),
      // LayoutKeys does not check a reference line's keys: its stored properties are the keys.
      ("ReferenceSpec", try definition("ReferenceSpec"), fields(of: reference).map(\.name), reference),
    ]
  }

  // MARK: - The schema against the decoder

  @Test func everyObjectHasExactlyTheKeysTheDecoderAllows() throws {
    for object in try objects() {
      let described = Set(try properties(of: object.schema).keys)
      let allowed = Set(object.keys)
      #expect(
        described == allowed,
        "\(object.name): missing from the schema: \(allowed.subtracting(described).sorted()); not read by the decoder: \(described.subtracting(allowed).sorted())")
      #expect(object.schema["additionalProperties"] as? Bool == false, "\(object.name): additionalProperties must be false")
      for (key, property) in try properties(of: object.schema) {
        #expect(property["description"] != nil || property["$ref"] != nil, "\(object.name).\(key) has no description")
      }
    }
  }

  @Test func requiredKeysAreTheDecodersNonOptionalProperties() throws {
    for object in try objects() {
      let required = (object.schema["required"] as? [String] ?? []).sorted()
      let nonOptional = fields(of: object.sample).filter { !$0.optional }.map(\.name).sorted()
      #expect(required == nonOptional, "\(object.name): required \(required), the decoder requires \(nonOptional)")
    }
  }

  @Test func blockKindsAreSingleKeyObjectsOfTheDecodersKinds() throws {
    let kinds = try #require(try definition("BlockSpec")["oneOf"] as? [[String: Any]])
    var names: [String] = []
    for kind in kinds {
      let keys = try properties(of: kind).keys.sorted()
      #expect(keys.count == 1 && kind["required"] as? [String] == keys, "a block kind is one required key: \(kind)")
      #expect(kind["additionalProperties"] as? Bool == false)
      names += keys
    }
    #expect(names == LayoutKeys.blockKinds)
  }

  /// Each closed list of the schema, by the `$defs` entry that holds it, with the values the
  /// decoder takes.
  static let closedLists: [String: [String]] = [
    "ReportLocale": ReportLocale.allCases.map(\.rawValue),
    "PaperSize": PaperSize.allCases.map(\.rawValue),
    "Orientation": LayoutSpec.PageSpec.Orientation.allCases.map(\.rawValue),
    "Aggregate": Aggregate.allCases.map(\.rawValue),
    "SortOrder": LayoutSpec.SortOrder.words,
    "ChangeStyle": LayoutSpec.ChangeStyle.allCases.map(\.rawValue),
    "TextOverflow": TextOverflow.allCases.map(\.rawValue),
    "ChartKind": ChartKind.allCases.map(\.rawValue),
    "ChartOrientation": ChartOrientation.allCases.map(\.rawValue),
    "ExportFormat": LayoutSpec.ExportFormat.allCases.map(\.rawValue),
    "CaptionPlacement": LayoutSpec.CaptionPlacement.allCases.map(\.rawValue),
    "SVGTextMode": LayoutSpec.SVGTextMode.allCases.map(\.rawValue),
    "DataFormat": ReadOptions.Format.allCases.map(\.rawValue),
    "ColorValue": cssNamedColors.keys.sorted(),
    // The words beside `true`/`false` and beside lists and filters.
    "LandscapeSetting": ["auto"],
    "ForEachSpec": ["all"],
    // Every spelling ReadOptions.delimiter(named:) takes.
    "Delimiter": [",", ";", "tab", "\\t", "\t"],
  ]

  /// Every `enum` inside `node`, not following `$ref`s.
  func enums(in node: Any) -> [[String]] {
    if let object = node as? [String: Any] {
      let own = (object["enum"] as? [String]).map { [$0] } ?? []
      return own + object.filter { $0.key != "enum" && $0.key != "$defs" }.flatMap { enums(in: $0.value) }
    }
    if let array = node as? [Any] { return array.flatMap { enums(in: $0) } }
    return []
  }

  @Test func everyClosedListIsTheSwiftEnumsCases() throws {
    let defs = try #require(try schema()["$defs"] as? [String: Any])
    #expect(enums(in: try schema()).isEmpty, "closed lists belong in $defs, where this test finds them")
    for (name, node) in defs {
      let lists = enums(in: node)
      if lists.isEmpty { continue }
      let expected = try #require(Self.closedLists[name], "$defs/\(name) has a closed list this test does not know")
      #expect(lists.count == 1, "$defs/\(name) has \(lists.count) closed lists")
      let listed = name == "ColorValue" ? (lists.first ?? []).sorted() : lists.first ?? []
      #expect(listed == expected, "$defs/\(name): the schema lists \(listed), the decoder takes \(expected)")
    }
    for name in Self.closedLists.keys { #expect(defs[name] != nil, "the schema has no $defs/\(name)") }
    for delimiter in Self.closedLists["Delimiter"] ?? [] { #expect(ReadOptions.delimiter(named: delimiter) != nil, "\(delimiter)") }
  }

  @Test func rangesAreTheDecodersChecks() throws {
    func bounds(_ node: [String: Any]?) -> [Double] { [node?["minimum"], node?["maximum"]].compactMap { ($0 as? NSNumber)?.doubleValue } }
    func range(_ range: LayoutChecks.Range) -> [Double] { [range.lower, range.upper] }
    #expect(bounds(try properties(of: definition("ThemeSpec"))["bodySize"]) == range(LayoutChecks.bodySize))
    #expect(bounds(try properties(of: definition("PageSpec"))["margins"]) == range(LayoutChecks.margins))
    #expect(bounds(try properties(of: definition("ChartSpec"))["height"]) == range(LayoutChecks.chartHeight))
    #expect(bounds(try properties(of: definition("QuerySpec"))["top"]) == range(LayoutChecks.top))
    let widths = try #require(try definition("ExportWidth")["anyOf"] as? [[String: Any]])
    let allowed = LayoutSpec.ExportWidth.allowedPoints
    #expect(bounds(widths.first { $0["type"] as? String == "number" }) == [allowed.lowerBound, allowed.upperBound])
    let kinds = try #require(try definition("BlockSpec")["oneOf"] as? [[String: Any]])
    let kpis = try #require(try kinds.lazy.compactMap { try properties(of: $0)["kpis"] }.first)
    #expect(kpis["minItems"] as? Int == LayoutSpec.kpiCount.lowerBound && kpis["maxItems"] as? Int == LayoutSpec.kpiCount.upperBound)
    #expect(try definition("outputName")["maxLength"] as? Int == OutputName.maximumLength)
  }

  // MARK: - The schema against layouts, with an independent validator

  /// Runs scripts/check-layout-schema.py on `files`.
  func validate(_ files: [String]) throws -> ToolResult {
    guard FileManager.default.isExecutableFile(atPath: Self.python.path) else {
      throw Failure("\(Self.python.path) is missing: run scripts/install-system-deps.sh")
    }
    return try run(Self.python, [Self.script.path] + files)
  }

  static var layouts: [String] {
    let folder = projectRoot.appendingPathComponent("layouts")
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    return names.filter { $0.hasSuffix(".yaml") }.sorted().map { folder.appendingPathComponent($0).path }
  }

  @Test func everyLayoutValidates() throws {
    #expect(Self.layouts.count >= 8)
    let result = try validate(Self.layouts)
    #expect(result.status == 0, "\(result.output)\(result.error)")
  }

  /// Each layout's first line points VS Code's YAML extension (yaml-language-server) at the schema.
  @Test func everyLayoutNamesTheSchemaForEditors() throws {
    for layout in Self.layouts {
      let text = try String(contentsOfFile: layout, encoding: .utf8)
      let first = text.prefix { $0 != "\n" }
      #expect(first == "# yaml-language-server: $schema=../docs/layout.schema.json", "\(layout)")
    }
  }

  /// A small layout both the decoder and the schema accept, for the broken variants below.
  static let sound = """
    language: en
    title: T
    date: "2026-02-03"
    data: [d.csv]
    blocks:
      - heading: H
      - chart: { id: c, query: { metric: m, by: region }, kind: bar }

    """

  /// Writes `text` as a layout into `folder`.
  func write(_ text: String, named name: String, in folder: URL) throws -> String {
    let file = folder.appendingPathComponent(name)
    try text.write(to: file, atomically: true, encoding: .utf8)
    return file.path
  }

  @Test func brokenLayoutsAreRefused() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let sound = try write(Self.sound, named: "sound.yaml", in: folder)
    let accepted = try validate([sound])
    #expect(accepted.status == 0, "\(accepted.output)\(accepted.error)")
    #expect(try BriefingBuilder.instances(ofLayoutAt: sound).count == 1)

    let cases: [(name: String, from: String, to: String, message: String, decoderRefuses: Bool)] = [
      ("misspelt-key", "title: T", "tital: T", "(the layout): Additional properties are not allowed ('tital' was unexpected)", true),
      ("unknown-kind", "kind: bar", "kind: pie3d", "blocks/1/chart/kind: 'pie3d' is not one of ['bar', 'grouped', 'stacked', 'percent', 'diverging']", true),
      // Yams reads any scalar as text, so this one builds; editors (YAML 1.2) see a number.
      ("number-title", "title: T", "title: 42", "title: 42 is not of type 'string'", false),
      ("short-date", "2026-02-03", "2026-2-3", "date: '2026-2-3' does not match", true),
    ]
    for broken in cases {
      #expect(Self.sound.contains(broken.from))
      let file = try write(Self.sound.replacingOccurrences(of: broken.from, with: broken.to), named: broken.name + ".yaml", in: folder)
      let result = try validate([file])
      #expect(result.status == 1, "\(broken.name): \(result.output)\(result.error)")
      #expect(result.output.contains("\(file): \(broken.message)"), "\(broken.name): \(result.output)\(result.error)")
      if broken.decoderRefuses {
        #expect(throws: BriefingError.self, "\(broken.name): the decoder should refuse it too") {
          try BriefingBuilder.instances(ofLayoutAt: file)
        }
      }
    }
  }
}
