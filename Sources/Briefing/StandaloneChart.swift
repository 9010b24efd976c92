public import BriefingAnalytics
public import BriefingLayout
internal import Foundation
internal import Yams

/// One chart drawn from data without a layout file: what `briefing chart` asks for.
///
/// Settings come from an optional spec file (a YAML mapping with the keys of a layout's `- chart:`
/// block, plus `data`, `names`, `language`, `source` and `theme`) and from the command line; a
/// setting given on the command line overrides the spec's. The two are merged into a layout with
/// one chart block, which is checked, decoded and composed exactly as `build` composes a layout
/// file, so every check of a layout's chart applies; an error names the flag it is about, or the
/// spec file's line and column.
public struct ChartRequest: Sendable {
  /// The YAML file of chart settings (`--spec`), or nil.
  public var specFile: String?
  /// Data files read as one table, replacing the spec's `data` when not empty; relative paths are
  /// relative to the working directory and `-` is standard input.
  public var data: [LayoutSpec.DataSpec] = []
  /// Names tables by dimension (relative to the working directory), over the spec's `names`.
  public var names: [(dimension: String, file: String)] = []
  /// The language of labels and numbers; default: the spec's, else English.
  public var language: ReportLocale?
  /// The source line: the chart's note when it has none of its own.
  public var source: String?
  /// The chart's id (SVG element ids start with it); default: the spec's, else the output file's
  /// name, else `chart`.
  public var id: String?
  /// The output file's name, nil for standard output: the default id.
  public var outputName: String?
  /// The file format to draw.
  public var format: LayoutSpec.ExportFormat

  /// `query.metric`.
  public var metric: String?
  /// `query.by`: the dimension of the bars.
  public var by: String?
  /// `query.where`, one condition per dimension as a layout writes it (`2025`, `!=Moscow`,
  /// `2019..2025`, `>=2020`, or a list of values), replacing the spec's condition on that dimension.
  public var filters: [(dimension: String, value: LayoutSpec.FilterValue)] = []
  /// `query.top`.
  public var top: Int?
  /// `query.aggregate`.
  public var aggregate: Aggregate?
  /// `query.sort`.
  public var sort: LayoutSpec.SortOrder?
  /// `series`: a second dimension whose values are the series.
  public var series: String?
  /// `kind`.
  public var kind: ChartKind?
  /// `orientation`.
  public var orientation: ChartOrientation?
  /// `title`.
  public var title: String?
  /// `subtitle`.
  public var subtitle: String?
  /// `note`.
  public var note: String?
  /// `highlight`: one category or several.
  public var highlight: LayoutSpec.FilterValue?
  /// `reference`: labelled lines across the plot (replacing the spec's when not empty).
  public var references: [(value: Double, label: String)] = []
  /// `compare`: an earlier period.
  public var compare: LayoutSpec.FilterValue?
  /// `change`: percent or absolute.
  public var change: LayoutSpec.ChangeStyle?
  /// `other`: whether the rest of a `top` cut is one «Прочие» bar.
  public var other: Bool?
  /// `values`: whether bars carry value labels.
  public var values: Bool?
  /// `width`, as a layout writes it: `170mm`, `6.5in`, `16cm`, `480pt`, a number of points, or
  /// `text`.
  public var width: String?
  /// `caption`: whether the title is drawn in the file (`inside`) or left to the document.
  public var caption: LayoutSpec.CaptionPlacement?
  /// `svgText`: real text or glyph outlines in SVG.
  public var svgText: LayoutSpec.SVGTextMode?

  /// A request for a chart in `format`, every setting unset.
  public init(format: LayoutSpec.ExportFormat) {
    self.format = format
  }

  /// The keys a spec file may hold besides a chart's: the layout's that a chart export uses.
  static let layoutKeys = ["data", "names", "language", "source", "theme", "author", "date"]
}

extension LayoutSpec.References {
  /// Reference lines made in code (`briefing chart`'s flags).
  init(lines: [LayoutSpec.ReferenceSpec]) { self.lines = lines }
}

extension BriefingBuilder {
  /// Draws the chart `request` asks for and returns the file's bytes: the same bytes a layout with
  /// the same chart exported in the same format gives (`ChartRendering`).
  public func chart(_ request: ChartRequest) throws(BriefingError) -> [UInt8] {
    let merged = try MergedChartLayout(request)
    do {
      return try draw(merged, as: request.format)
    } catch {
      guard merged.root == nil, case .invalidLayout(let file, _, _, _) = error, file == merged.file else { throw merged.translate(error) }
      // Composed again with the node tree, which places the error at its flag.
      let located = merged.withTree()
      do {
        return try draw(located, as: request.format)
      } catch {
        throw located.translate(error)
      }
    }
  }

  /// Composes the merged layout as `build` composes a layout file, and draws its one chart.
  private func draw(_ merged: MergedChartLayout, as format: LayoutSpec.ExportFormat) throws(BriefingError) -> [UInt8] {
    guard case .chart(let chartSpec)? = merged.spec.blocks.first else {
      throw .invalidLayout(file: merged.file, line: nil, column: nil, message: "expected a chart")
    }
    // As `build` composes a layout, but without the PDF's pages: the chart alone is drawn.
    let composition = try compose(
      merged.spec, id: chartSpec.id, file: merged.file, base: merged.base, root: merged.root, standardInput: true, paginating: false)
    guard let export = composition.document.charts.first else {
      throw .invalidLayout(file: merged.file, line: nil, column: nil, message: "the chart was not composed")
    }
    do {
      try Self.checkGlyphs(in: [], charts: [export], origins: composition.document.origins, measurer: composition.measurer)
    } catch {
      guard options.allowMissingGlyphs else { throw .rendering(error) }
      options.warn("warning: \(error)")
    }
    do {
      return try ChartRendering(measurer: composition.measurer, pngScale: options.pngScale).bytes(of: export, as: format)
    } catch {
      throw .rendering(error)
    }
  }

  /// Writes `bytes` to the file `path` atomically: to a temporary file beside it, renamed into
  /// place once complete. A folder, symlink, FIFO or device at `path` is never replaced, a
  /// missing folder is created (and removed again on failure), and nothing is left on failure.
  public static func writeFile(_ bytes: [UInt8], to path: String) throws(BriefingError) {
    try checkOutputFile(path)
    let slash = path.lastIndex(of: "/")
    let directory = slash.map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
    var files = OutputFiles(directory: directory)
    do {
      try files.stage(bytes, named: URL(fileURLWithPath: path).lastPathComponent)
      try files.commit()
    } catch {
      files.discard()
      // Named as given, not as the folder and name the writer joined.
      if case .output(_, let reason) = error { throw .output(file: path, reason: reason) }
      throw error
    }
  }

  /// Throws when `path` cannot be a file to write: it names a folder (`out/`) or something that
  /// is not a regular file, which is never replaced. A check before the work; `writeFile` checks
  /// again.
  public static func checkOutputFile(_ path: String) throws(BriefingError) {
    guard !path.isEmpty, !path.hasSuffix("/") else {
      throw .output(file: path, reason: "will not write it: it names a folder; give a file name (chart.svg)")
    }
    if let refusal = OutputTarget.refusal(of: path) { throw .output(file: path, reason: "will not replace it: \(refusal)") }
  }
}

/// A chart request merged with its spec file into a layout of one chart block, with a node tree
/// that locates every setting: the spec file's own nodes keep their line and column, and each
/// setting from the command line gets a line of its own after the file's last, which names its
/// flag in errors.
///
/// Without a spec file the layout is built directly (`typedSpec`), and the node tree only when an
/// error needs placing: YAML's set-up and decoding were a tenth of a chart's run time. A test
/// holds the two constructions equal.
struct MergedChartLayout {
  /// The name errors give: the spec file, or `briefing chart`.
  let file: String
  /// The folder the spec's paths are relative to.
  let base: URL
  let spec: LayoutSpec
  /// The layout's node tree, for the line and column (or flag) of errors; nil until an error
  /// needs it when there is no spec file.
  private(set) var root: Node?
  private let request: ChartRequest
  private let specRoot: Node?
  private let text: String
  /// The spec file's number of lines: lines after it are settings from the command line.
  private let lineCount: Int
  /// The flag of each command-line setting, by its line after `lineCount`.
  private var flags: [String] = []

  init(_ request: ChartRequest) throws(BriefingError) {
    self.request = request
    var specRoot: Node?
    var text = ""
    if let path = request.specFile {
      let what = "a chart's settings (query: { metric: …, by: … }, title: …)"
      let read = try BriefingBuilder.readYAML(at: path, expecting: what)
      guard read.root.mapping != nil else {
        throw .invalidLayout(
          file: path, line: read.root.mark?.line, column: read.root.mark?.column,
          message: "expected \(what), found \(read.root.sequence != nil ? "a list" : "a single value")")
      }
      try LayoutChecks.checkTree(read.root, file: path)
      if let export = read.root.mapping?.first(where: { $0.key.string == "export" }) {
        throw .invalidLayout(
          file: path, line: export.key.mark?.line, column: export.key.mark?.column,
          message: "export: the format comes from --out's extension or --format; leave “export” out")
      }
      let allowed = LayoutKeys.chart.filter { $0 != "export" } + ChartRequest.layoutKeys
      try LayoutKeys.check(read.root, allowed: allowed, in: "a chart's settings", file: path)
      (specRoot, text) = (read.root, read.text)
      base = URL(fileURLWithPath: path).deletingLastPathComponent()
      file = path
    } else {
      base = URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
      file = "briefing chart"
    }
    self.specRoot = specRoot
    self.text = text
    lineCount = specRoot == nil ? 0 : text.utf8.reduce(1) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
    // The direct layout's errors are placed by composing again with the tree, which reads the
    // data again: only files can be read twice, not standard input or a pipe.
    let rereadable = request.data.allSatisfy { entry in
      var status = stat()
      return entry.path != "-" && stat(entry.path, &status) == 0 && status.st_mode & S_IFMT == S_IFREG
    }
    if specRoot == nil, rereadable, let typed = Self.typedSpec(request), Self.passesChecks(typed, file: file) {
      spec = typed
      return
    }
    // From the tree: with a spec file, or to place the error the typed layout has.
    let (root, flags) = Self.tree(request, spec: specRoot, lineCount: lineCount)
    (self.root, self.flags) = (root, flags)
    do {
      spec = try BriefingBuilder.decodeLayout(root, file: file, text: text)
    } catch {
      throw Self.translated(error, file: file, lineCount: lineCount, flags: flags)
    }
  }

  /// This layout with its node tree, to place an error.
  func withTree() -> MergedChartLayout {
    guard root == nil else { return self }
    var copy = self
    (copy.root, copy.flags) = Self.tree(request, spec: specRoot, lineCount: lineCount)
    return copy
  }

  /// The layout `request` describes (without a spec file) as its node tree decodes it: what
  /// `typedSpec` must equal.
  static func decodedSpec(_ request: ChartRequest) throws(BriefingError) -> LayoutSpec {
    try BriefingBuilder.decodeLayout(tree(request, spec: nil, lineCount: 0).0, file: "briefing chart", text: "")
  }

  /// The node tree of `request` over the spec file's, each command-line setting marked on a line
  /// after the file's `lineCount` lines, and the flag of each such line.
  private static func tree(_ request: ChartRequest, spec specRoot: Node?, lineCount: Int) -> (Node, [String]) {
    // Once to count the command line's settings, then again with a mark for each.
    var counting = Settings(marks: [])
    _ = layout(request, spec: specRoot, settings: &counting)
    var settings = Settings(marks: Settings.marks(count: counting.flags.count, after: lineCount))
    let root = layout(request, spec: specRoot, settings: &settings)
    return (root, settings.flags)
  }

  /// The layout `request` describes without a spec file, made directly; nil when it lacks the
  /// metric or the dimension (the tree's decoding then says which), or gives a width (whose
  /// words only the layout's decoder reads).
  static func typedSpec(_ request: ChartRequest) -> LayoutSpec? {
    guard let metric = request.metric, let by = request.by, request.width == nil else { return nil }
    var query = LayoutSpec.QuerySpec(metric: metric, by: LayoutSpec.Dimensions([by]))
    if !request.filters.isEmpty {
      var conditions: [String: LayoutSpec.FilterValue] = [:]
      for (dimension, value) in request.filters { conditions[dimension] = value }
      query.where = conditions
    }
    query.top = request.top
    query.aggregate = request.aggregate
    query.sort = request.sort
    var chart = LayoutSpec.ChartSpec(id: request.id ?? request.outputName.map(id(fromFileName:)) ?? "chart", query: query)
    chart.series = request.series
    chart.kind = request.kind
    chart.orientation = request.orientation
    chart.title = request.title
    chart.subtitle = request.subtitle
    chart.note = request.note
    chart.highlight = request.highlight
    chart.compare = request.compare
    chart.change = request.change
    chart.other = request.other
    chart.values = request.values
    chart.caption = request.caption
    chart.svgText = request.svgText
    if !request.references.isEmpty {
      chart.reference = LayoutSpec.References(lines: request.references.map { LayoutSpec.ReferenceSpec(value: $0.value, label: $0.label) })
    }
    chart.export = [request.format]
    var spec = LayoutSpec(language: request.language ?? .en, title: "", data: request.data, blocks: [.chart(chart)])
    if !request.names.isEmpty {
      var names: [String: String] = [:]
      for (dimension, file) in request.names { names[dimension] = file }
      spec.names = names
    }
    spec.source = request.source
    return spec
  }

  /// Whether a layout made directly passes the checks its tree's decoding makes: text without
  /// control characters, and the numbers and names `LayoutChecks` checks.
  private static func passesChecks(_ spec: LayoutSpec, file: String) -> Bool {
    guard case .chart(let chart)? = spec.blocks.first else { return false }
    var texts = [chart.id, chart.query.metric, spec.source, chart.series, chart.title, chart.subtitle, chart.note].compactMap { $0 }
    texts += chart.query.by.names + spec.data.flatMap { [$0.path] + ($0.columns ?? [:]).flatMap { [$0.key, $0.value] } }
    texts += (spec.names ?? [:]).flatMap { [$0.key, $0.value] } + (chart.reference?.lines ?? []).map(\.label)
    for (dimension, value) in chart.query.where ?? [:] { texts += [dimension] + Self.texts(of: value) }
    texts += [chart.highlight, chart.compare].compactMap { $0 }.flatMap(Self.texts(of:))
    if case .listed(let keys)? = chart.query.sort { texts += keys }
    guard texts.allSatisfy({ LayoutChecks.controlCharacterProblem(in: $0) == nil }) else { return false }
    // No node: making one sets up YAML's resolver, which this path is here to avoid.
    return (try? LayoutChecks.check(spec, root: nil, file: file)) != nil
  }

  private static func texts(of value: LayoutSpec.FilterValue) -> [String] {
    switch value {
    case .one(let text): [text]
    case .many(let texts): texts
    }
  }

  /// The layout's node tree: the spec's chart keys with the command line's over them, in one
  /// chart block, and the data, names, language, source and theme around it.
  private static func layout(_ request: ChartRequest, spec specRoot: Node?, settings tree: inout Settings) -> Node {
    let specPairs = Pairs(specRoot)
    var chart = Pairs(specPairs.pairs.filter { !ChartRequest.layoutKeys.contains($0.0.string ?? "") })
    let specQuery = specPairs.value("query")
    var query = Pairs(specQuery)
    if let metric = request.metric { query.set("metric", tree.string(metric, flag: "--metric")) }
    if let by = request.by { query.set("by", tree.string(by, flag: "--by")) }
    if !request.filters.isEmpty {
      let specWhere = query.value("where")
      var conditions = Pairs(specWhere)
      for (dimension, value) in request.filters { conditions.set(dimension, tree.filter(value, flag: "--where \(dimension)")) }
      query.set("where", tree.mapping(conditions, from: specWhere, flag: "--where"))
    }
    if let top = request.top { query.set("top", tree.plain(String(top), flag: "--top")) }
    if let aggregate = request.aggregate { query.set("aggregate", tree.string(aggregate.rawValue, flag: "--aggregate")) }
    switch request.sort {
    case .value?: query.set("sort", tree.string("value", flag: "--sort"))
    case .valueAscending?: query.set("sort", tree.string("valueAscending", flag: "--sort"))
    case .key?: query.set("sort", tree.string("key", flag: "--sort"))
    case .listed(let keys)?: query.set("sort", tree.filter(.many(keys), flag: "--sort"))
    case nil: break
    }
    if !query.pairs.isEmpty { chart.set("query", tree.mapping(query, from: specQuery, flag: "--metric, --by, --where")) }
    if let id = request.id {
      chart.set("id", tree.string(id, flag: "--id"))
    } else if specPairs.value("id") == nil {
      chart.set("id", tree.string(request.outputName.map(id(fromFileName:)) ?? "chart", flag: "--out"))
    }
    if let series = request.series { chart.set("series", tree.string(series, flag: "--series")) }
    if let kind = request.kind { chart.set("kind", tree.string(kind.rawValue, flag: "--kind")) }
    if let orientation = request.orientation { chart.set("orientation", tree.string(orientation.rawValue, flag: "--orientation")) }
    if let title = request.title { chart.set("title", tree.string(title, flag: "--title")) }
    if let subtitle = request.subtitle { chart.set("subtitle", tree.string(subtitle, flag: "--subtitle")) }
    if let note = request.note { chart.set("note", tree.string(note, flag: "--note")) }
    if let highlight = request.highlight { chart.set("highlight", tree.filter(highlight, flag: "--highlight")) }
    if let compare = request.compare { chart.set("compare", tree.filter(compare, flag: "--compare")) }
    if let change = request.change { chart.set("change", tree.string(change.rawValue, flag: "--change")) }
    if let other = request.other { chart.set("other", tree.plain(other ? "true" : "false", flag: other ? "--other" : "--no-other")) }
    if let values = request.values { chart.set("values", tree.plain(values ? "true" : "false", flag: values ? "--values" : "--no-values")) }
    if !request.references.isEmpty {
      let lines = request.references.map { line in
        let flag = "--reference"
        let pairs = Pairs([(Node("value"), tree.plain("\(line.value)", flag: flag)), (Node("label"), tree.string(line.label, flag: flag))])
        return tree.mapping(pairs, from: nil, flag: flag)
      }
      chart.set("reference", tree.sequence(lines, flag: "--reference"))
    }
    if let width = request.width {
      // A number is points, as YAML reads `width: 480`; else words (`170mm`, `text`).
      chart.set("width", Double(width) != nil ? tree.plain(width, flag: "--width") : tree.string(width, flag: "--width"))
    }
    if let caption = request.caption { chart.set("caption", tree.string(caption.rawValue, flag: "--caption")) }
    if let svgText = request.svgText { chart.set("svgText", tree.string(svgText.rawValue, flag: "--svg-text")) }
    chart.set("export", tree.sequence([tree.string(request.format.rawValue, flag: "--format")], flag: "--format"))

    var layout = Pairs([])
    layout.set("title", tree.string("", flag: "briefing chart"))
    if !request.data.isEmpty {
      let entries = request.data.map { entry in
        var pairs = Pairs([(Node("path"), tree.string(entry.path, flag: entry.path))])
        if let format = entry.format { pairs.set("format", tree.string(format, flag: "--input-format")) }
        if let delimiter = entry.delimiter { pairs.set("delimiter", tree.string(delimiter, flag: "--delimiter")) }
        if let decimalComma = entry.decimalComma { pairs.set("decimalComma", tree.plain(decimalComma ? "true" : "false", flag: "--decimal-comma")) }
        if let columns = entry.columns, !columns.isEmpty {
          let mapped = columns.sorted { $0.key < $1.key }.map { (Node($0.key, Tag(.str), .doubleQuoted), tree.string($0.value, flag: "--map")) }
          pairs.set("columns", tree.mapping(Pairs(mapped), from: nil, flag: "--map"))
        }
        return tree.mapping(pairs, from: nil, flag: entry.path)
      }
      layout.set("data", tree.sequence(entries, flag: "the input files"))
    } else {
      layout.set("data", specPairs.value("data") ?? tree.sequence([], flag: "the input files"))
    }
    let specNames = specPairs.value("names")
    if !request.names.isEmpty || specNames != nil {
      var names = Pairs(specNames)
      for (dimension, path) in request.names { names.set(dimension, tree.string(path, flag: "--names \(dimension)")) }
      layout.set("names", tree.mapping(names, from: specNames, flag: "--names"))
    }
    if let language = request.language {
      layout.set("language", tree.string(language.rawValue, flag: "--language"))
    } else {
      layout.set("language", specPairs.value("language") ?? tree.string(ReportLocale.en.rawValue, flag: "--language"))
    }
    if let source = request.source {
      layout.set("source", tree.string(source, flag: "--source"))
    } else {
      layout.set("source", specPairs.value("source"))
    }
    for key in ["theme", "author", "date"] { layout.set(key, specPairs.value(key)) }
    let block = tree.mapping(Pairs([(Node("chart"), tree.mapping(chart, from: specRoot, flag: "briefing chart"))]), from: specRoot, flag: "briefing chart")
    layout.set("blocks", tree.sequence([block], flag: "briefing chart"))
    return tree.mapping(layout, from: specRoot, flag: "briefing chart")
  }

  /// A chart id made from an output file's name (`students.svg` → `students`).
  static func id(fromFileName name: String) -> String {
    OutputName.slug(URL(fileURLWithPath: name).deletingPathExtension().lastPathComponent)
  }

  /// The error, named by the flag it is about when it is about a setting from the command line,
  /// and without the layout's block numbering (there is one chart).
  func translate(_ error: BriefingError) -> BriefingError {
    Self.translated(error, file: file, lineCount: lineCount, flags: flags)
  }

  private static func translated(_ error: BriefingError, file: String, lineCount: Int, flags: [String]) -> BriefingError {
    guard case .invalidLayout(let at, let line, let column, let message) = error, at == file else { return error }
    if let line, line > lineCount, line - lineCount - 1 < flags.count {
      let flag = flags[line - lineCount - 1]
      return .invalidLayout(file: flag, line: nil, column: nil, message: clean(message, flag: flag))
    }
    return .invalidLayout(file: at, line: line, column: column, message: clean(message, flag: nil))
  }

  /// A message without what places a block among many (“block 1: chart.”, “chart “x”: ”): there
  /// is one chart; and without the key its flag already names (“--kind: kind: …”).
  private static func clean(_ message: String, flag: String?) -> String {
    var text = message
    for prefix in ["block 1: chart.", "block 1: chart: ", "block 1: "] where text.hasPrefix(prefix) {
      text.removeFirst(prefix.count)
      break
    }
    text = text.replacingOccurrences(of: " in block 1: chart.", with: " in ").replacingOccurrences(of: " in block 1: chart", with: " in the chart")
    if text.hasPrefix("chart “"), let close = text.firstIndex(of: "”"), text[text.index(after: close)...].hasPrefix(": ") {
      text = String(text[text.index(after: close)...].dropFirst(2))
    }
    if let flag, let word = flag.split(separator: " ").first, word.hasPrefix("--"), text.hasPrefix(word.dropFirst(2) + ": ") {
      text.removeFirst(word.count)
    }
    for (key, flag) in [("query", "--metric and --by"), ("metric", "--metric"), ("by", "--by")] where text.hasPrefix("expected the key “\(key)”") {
      text += " (give \(flag), or write it in the spec file)"
    }
    return text
  }
}

/// An ordered YAML mapping's pairs, whose `set` replaces a key or adds it at the end.
private struct Pairs {
  var pairs: [(Node, Node)]

  init(_ pairs: [(Node, Node)]) { self.pairs = pairs }

  /// The pairs of `node` when it is a mapping, else none.
  init(_ node: Node?) { pairs = node?.mapping.map { $0.map { ($0.key, $0.value) } } ?? [] }

  mutating func set(_ key: String, _ value: Node?) {
    guard let value else { return }
    if let index = pairs.firstIndex(where: { $0.0.string == key }) {
      pairs[index].1 = value
    } else {
      pairs.append((Node(key, Tag(.str), .plain), value))
    }
  }

  func value(_ key: String) -> Node? { pairs.first { $0.0.string == key }?.1 }
}

/// Makes the command line's settings into YAML nodes, each on a line of its own (`marks`) and
/// remembering its flag.
private struct Settings {
  /// One mark per setting, in the order they are made (none while counting).
  let marks: [Mark]
  /// The flag of each setting made, in order.
  private(set) var flags: [String] = []

  init(marks: [Mark]) { self.marks = marks }

  private mutating func mark(_ flag: String) -> Mark? {
    flags.append(flag)
    return flags.count <= marks.count ? marks[flags.count - 1] : nil
  }

  /// A text setting: a quoted string, never read as a number, a boolean or null.
  mutating func string(_ text: String, flag: String) -> Node {
    .scalar(Node.Scalar(text, Tag(.str), .doubleQuoted, mark(flag)))
  }

  /// A number or a boolean, read as YAML reads a plain scalar.
  mutating func plain(_ text: String, flag: String) -> Node {
    .scalar(Node.Scalar(text, .implicit, .plain, mark(flag)))
  }

  /// One value, or a list of them.
  mutating func filter(_ value: LayoutSpec.FilterValue, flag: String) -> Node {
    switch value {
    case .one(let text): return string(text, flag: flag)
    case .many(let texts): return sequence(texts.map { string($0, flag: flag) }, flag: flag)
    }
  }

  mutating func sequence(_ items: [Node], flag: String) -> Node {
    .sequence(Node.Sequence(items, Tag(.seq), .flow, mark(flag)))
  }

  /// A mapping of `pairs`: where `original` is in the spec file when it comes from there, else on
  /// a line of its own.
  mutating func mapping(_ pairs: Pairs, from original: Node?, flag: String) -> Node {
    .mapping(Node.Mapping(pairs.pairs, Tag(.map), .block, original?.mark ?? mark(flag)))
  }

  /// `count` marks on the lines after line `offset`, one a line: Yams makes marks only by parsing.
  static func marks(count: Int, after offset: Int) -> [Mark] {
    guard count > 0 else { return [] }
    let text = String(repeating: "\n", count: offset) + String(repeating: "- x\n", count: count)
    return ((try? Yams.compose(yaml: text))?.sequence ?? []).compactMap(\.mark)
  }
}
