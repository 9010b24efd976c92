internal import BriefingAnalytics
internal import BriefingCairo
internal import BriefingLayout
internal import BriefingSQLite
internal import Foundation
internal import Yams

/// The version printed by `briefing --version` and written as the PDF's creator.
public let briefingVersion = "0.1.0"

/// Options of a build that are not part of the layout.
public struct BuildOptions: Sendable {
  /// Where the PDF and charts are written.
  public var outputDirectory: String
  /// Seconds since 1970 for the creation date (`SOURCE_DATE_EPOCH`); overrides the layout's date.
  public var sourceDateEpoch: Int?
  /// Pixels per point of exported PNG charts (2 gives 144 dpi).
  public var pngScale: Double
  /// Whether text no installed font can draw is only reported (to `warn`) instead of failing the
  /// build; it is then drawn as empty boxes.
  public var allowMissingGlyphs: Bool
  /// Whether colours that fail the colour check (`ColorCheck`) are only reported (to `warn`)
  /// instead of failing the build.
  public var allowLowContrast: Bool
  /// Receives warnings (missing glyphs, when allowed).
  public var warn: @Sendable (String) -> Void
  /// Data files larger than this in all (bytes) are streamed for every block instead of loaded
  /// once: memory then stays bounded by the number of groups, as in `briefing query`.
  public var streamingThreshold: Int

  /// The default `streamingThreshold`: 64 MiB of CSV is about 700,000 rows.
  public static let defaultStreamingThreshold = 64 << 20

  public init(
    outputDirectory: String = "reports", sourceDateEpoch: Int? = nil, pngScale: Double = 2, allowMissingGlyphs: Bool = false,
    allowLowContrast: Bool = false, streamingThreshold: Int = BuildOptions.defaultStreamingThreshold, warn: @escaping @Sendable (String) -> Void = { _ in }
  ) {
    self.streamingThreshold = streamingThreshold
    self.outputDirectory = outputDirectory
    self.sourceDateEpoch = sourceDateEpoch
    self.pngScale = pngScale
    self.allowMissingGlyphs = allowMissingGlyphs
    self.allowLowContrast = allowLowContrast
    self.warn = warn
  }

  /// Reads `SOURCE_DATE_EPOCH` from the environment; nil when unset, an error when not a number.
  public static func sourceDateEpochFromEnvironment() throws(BriefingError) -> Int? {
    guard let text = ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"], !text.isEmpty else { return nil }
    // Up to the last second of 9999: a date every reader of the PDF can print.
    guard let seconds = Int(text), (0...253_402_300_799).contains(seconds) else {
      throw .invalidLayout(
        file: "SOURCE_DATE_EPOCH", line: nil, column: nil,
        message: "expected whole seconds since 1970 up to the end of 9999 (253402300799), found “\(text)”")
    }
    return seconds
  }
}

/// What a build wrote.
public struct BuildResult: Sendable {
  public var pdf: String
  public var charts: [String]
  public var pageCount: Int
}

/// Builds briefings: layout file → data → aggregates → blocks → pages → PDF, SVG and PNG.
public struct BriefingBuilder: Sendable {
  public var options: BuildOptions
  /// Data files already loaded by this builder (and its copies), shared by the briefings of a build.
  private let tables = LoadedTables()

  public init(options: BuildOptions = BuildOptions()) {
    self.options = options
  }

  /// Starts loading the machine's font configuration in the background (fontconfig parses some
  /// fifty files), so that it is ready when the first briefing or chart is measured. A command
  /// that is going to draw calls it first thing; not calling it only costs the wait.
  public static func prepareFonts() {
    FontSet.prepare(families: Theme.bulletin.families)
  }

  /// Reads and decodes a layout file.
  public static func loadLayout(at path: String) throws(BriefingError) -> LayoutSpec {
    try parseLayout(at: path).spec
  }

  /// Reads and decodes a layout file, keeping its YAML for the line and column of later errors.
  static func parseLayout(at path: String) throws(BriefingError) -> (spec: LayoutSpec, root: Node) {
    let (root, text) = try readYAML(at: path, expecting: "a layout (title, data, blocks …)")
    guard root.mapping != nil else {
      throw .invalidLayout(
        file: path, line: root.mark?.line, column: root.mark?.column,
        message: "expected a layout of settings (title: …, data: …, blocks: …), found \(root.sequence != nil ? "a list" : "a single value")")
    }
    return (try decodeLayout(root, file: path, text: text), root)
  }

  /// Reads a YAML file (a layout, or a chart's settings) as a node tree; `expecting` says what an
  /// empty file should have held.
  static func readYAML(at path: String, expecting: String) throws(BriefingError) -> (root: Node, text: String) {
    let bytes = try LayoutChecks.readLayoutFile(at: path)
    guard let text = String(validating: bytes, as: UTF8.self) else {
      throw .invalidLayout(file: path, line: nil, column: nil, message: "expected UTF-8 text")
    }
    // The text is parsed once: the key check and the decoder read the same node tree.
    let root: Node?
    do {
      root = try Yams.compose(yaml: text)
    } catch {
      throw yamlProblem(error, file: path, text: text)
    }
    guard let root else {
      throw .invalidLayout(file: path, line: nil, column: nil, message: "expected \(expecting), found an empty file")
    }
    return (root, text)
  }

  /// Checks and decodes a layout's node tree (composed from `text` of `file`): its size and text,
  /// its keys, its values, then its numbers and names, each error at its line and column.
  static func decodeLayout(_ root: Node, file path: String, text: String) throws(BriefingError) -> LayoutSpec {
    // Size and text first, before anything walks the tree expanded: a few aliases can make it huge.
    try LayoutChecks.checkTree(root, file: path)
    // Unknown keys first: a misspelt required key then reads "did you mean", not "missing".
    try LayoutKeys.check(root, file: path)
    let spec: LayoutSpec
    do {
      spec = try YAMLDecoder().decode(LayoutSpec.self, from: root)
    } catch {
      var underlying: any Error = error
      if case DecodingError.dataCorrupted(let context) = error, let cause = context.underlyingError { underlying = cause }
      if underlying is YamlError { throw yamlProblem(underlying, file: path, text: text) }
      if let decoding = error as? DecodingError {
        let mark = LayoutKeys.mark(of: Self.codingPath(of: decoding), in: root)
        throw .invalidLayout(file: path, line: mark?.line, column: mark?.column, message: describe(decoding))
      }
      throw .invalidLayout(file: path, line: nil, column: nil, message: "\(error)")
    }
    try LayoutChecks.check(spec, root: root, file: path)
    return spec
  }

  /// A YAML syntax error at its line and column.
  private static func yamlProblem(_ error: any Error, file: String, text: String) -> BriefingError {
    // Yams puts the whole document into some errors' descriptions: only its own words are kept.
    switch error as? YamlError {
    case .scanner(_, let problem, let mark, _)?, .parser(_, let problem, let mark, _)?, .composer(_, let problem, let mark, _)?:
      .invalidLayout(file: file, line: mark.line, column: mark.column, message: "invalid YAML: \(LayoutChecks.excerpt(problem))")
    case .duplicatedKeysInMapping(let duplicates, let context)?:
      duplicateKey(duplicates.sorted().first ?? "", firstAt: context.mark, file: file, text: text)
    case .reader(let problem, _, _, _)?:
      .invalidLayout(file: file, line: nil, column: nil, message: "invalid YAML: \(LayoutChecks.excerpt(problem))")
    default:
      .invalidLayout(file: file, line: nil, column: nil, message: "invalid YAML: \(LayoutChecks.excerpt("\(error)"))")
    }
  }

  /// A key written twice, at its second occurrence: the next line after the first one that
  /// starts with the key at the same column (Yams names only the first).
  private static func duplicateKey(_ key: String, firstAt first: Mark, file: String, text: String) -> BriefingError {
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    var second = (line: first.line, column: first.column)
    for index in first.line..<lines.count {
      let line = lines[index]
      let indent = line.prefix { $0 == " " }.count
      let rest = line.dropFirst(indent).drop { $0 == "-" || $0 == " " }
      let column = line.count - rest.count + 1
      if column == first.column, rest.hasPrefix(key + ":") || rest.hasPrefix("\"\(key)\":") {
        second = (index + 1, column)
        break
      }
    }
    return .invalidLayout(
      file: file, line: second.line, column: second.column,
      message: "the key “\(LayoutChecks.excerpt(key))” is written a second time here (first at line \(first.line)); keep one")
  }

  static func describe(_ error: DecodingError) -> String {
    // Blocks are counted from 1, as the composer's messages count them: “block 2: table.change”.
    func path(_ codingPath: [any CodingKey]) -> String {
      var parts = codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }
      if codingPath.count >= 2, codingPath[0].stringValue == "blocks", let index = codingPath[1].intValue {
        parts.replaceSubrange(0..<2, with: ["block \(index + 1):"])
        if parts.count > 1 { parts[1] = " " + parts[1].dropFirst() }
      }
      return parts.joined().trimmingCharacters(in: CharacterSet(charactersIn: "."))
    }
    switch error {
    case .keyNotFound(let key, let context):
      let at = path(context.codingPath)
      return "expected the key “\(key.stringValue)”\(at.isEmpty ? " at the top level" : " in \(at)"), found none"
    case .typeMismatch(let type, let context):
      return "\(path(context.codingPath)): expected \(type), \(context.debugDescription)"
    case .valueNotFound(let type, let context):
      return "\(path(context.codingPath)): expected \(type), found nothing"
    case .dataCorrupted(let context):
      let at = path(context.codingPath)
      // “Cannot initialize ChangeStyle from invalid String value relative” → the allowed words.
      if let found = context.debugDescription.components(separatedBy: "invalid String value ").dropFirst().first,
        let allowed = allowedWords(for: context.codingPath)
      {
        return "\(at): expected one of \(allowed.joined(separator: ", ")), found “\(found)”"
      }
      return (at.isEmpty ? "" : "\(at): ") + context.debugDescription
    @unknown default:
      return "\(error)"
    }
  }

  private static func codingPath(of error: DecodingError) -> [any CodingKey] {
    switch error {
    case .keyNotFound(_, let context), .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
      context.codingPath
    @unknown default: []
    }
  }

  /// The words a layout setting at `codingPath` takes, for settings that are a closed list.
  private static func allowedWords(for codingPath: [any CodingKey]) -> [String]? {
    func words<T: CaseIterable & RawRepresentable>(_: T.Type) -> [String] where T.RawValue == String { T.allCases.map(\.rawValue) }
    let inChart = codingPath.contains { $0.stringValue == "chart" }
    switch codingPath.last(where: { $0.intValue == nil })?.stringValue {
    case "change": return words(LayoutSpec.ChangeStyle.self)
    case "overflow": return words(TextOverflow.self)
    case "sort": return LayoutSpec.SortOrder.words
    case "kind": return words(ChartKind.self)
    case "aggregate": return words(Aggregate.self)
    case "size": return words(PaperSize.self)
    case "language": return words(ReportLocale.self)
    case "export": return words(LayoutSpec.ExportFormat.self)
    case "caption": return words(LayoutSpec.CaptionPlacement.self)
    case "svgText": return words(LayoutSpec.SVGTextMode.self)
    case "orientation": return inChart ? words(ChartOrientation.self) : words(LayoutSpec.PageSpec.Orientation.self)
    default: return nil
    }
  }

  /// The base name of a layout's files: its `id` (checked when it was decoded), else its file's
  /// name made into a valid one (`OutputName.slug`).
  public static func outputID(of spec: LayoutSpec, layoutAt path: String) -> String {
    spec.id ?? OutputName.slug(URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent)
  }

  /// Every file a build of the layout writes into the output folder: `<id>.pdf` and each exported
  /// chart's `<id>-<chart>.<format>`.
  public static func outputFileNames(of spec: LayoutSpec, layoutAt path: String) -> [String] {
    let id = outputID(of: spec, layoutAt: path)
    var names = [id + ".pdf"]
    for case .chart(let chart) in spec.blocks {
      for format in chart.export ?? [] { names.append("\(id)-\(chart.id).\(format.rawValue)") }
    }
    return names
  }

  /// A layout composed and laid out, ready to render.
  struct Composition {
    var id: String
    var composer: DocumentComposer
    var measurer: PangoTextMeasurer
    var document: DocumentComposer.Composed
  }

  /// Builds the briefing described by the layout at `path`, with its parameters' defaults; a
  /// layout with `forEach:` is built by `buildAll(layoutAt:settings:)`.
  public func build(layoutAt path: String) throws(BriefingError) -> BuildResult {
    let instances = try Self.instances(ofLayoutAt: path)
    guard instances.count == 1, let instance = instances.first else {
      throw .invalidLayout(file: path, line: nil, column: nil, message: "the layout makes \(instances.count) briefings (forEach); build them all with buildAll(layoutAt:)")
    }
    return try build(instance)
  }

  /// Builds every briefing the layout at `path` makes (one per `forEach` value), `settings`
  /// overriding its parameters.
  public func buildAll(layoutAt path: String, settings: [String: String] = [:]) throws(BriefingError) -> [BuildResult] {
    var results: [BuildResult] = []
    for instance in try Self.instances(ofLayoutAt: path, settings: settings) { results.append(try build(instance)) }
    return results
  }

  /// Builds one briefing of a layout.
  public func build(_ instance: LayoutInstance) throws(BriefingError) -> BuildResult {
    try render(try compose(instance))
  }

  /// Reads the layout at `path` and its data, and lays the briefing out (its only instance).
  func compose(layoutAt path: String) throws(BriefingError) -> Composition {
    let instances = try Self.instances(ofLayoutAt: path)
    guard let instance = instances.first else {
      throw .invalidLayout(file: path, line: nil, column: nil, message: "the layout makes no briefing")
    }
    return try compose(instance)
  }

  /// Reads an instance's data, and lays the briefing out.
  func compose(_ instance: LayoutInstance) throws(BriefingError) -> Composition {
    try compose(
      instance.spec, id: instance.id, file: instance.file, base: URL(fileURLWithPath: instance.file).deletingLastPathComponent(),
      root: instance.root)
  }

  /// Reads a layout's data and lays the briefing out: the one path from a spec to pages and
  /// charts, for a layout file (`build`) and for a spec made in memory (`briefing chart`).
  ///
  /// - Parameters:
  ///   - id: the base name of the briefing's files, for messages.
  ///   - file: the name errors give (the layout file).
  ///   - base: the folder the spec's relative paths (data, names) are relative to.
  ///   - root: the spec's YAML, for the line and column of errors; nil for none.
  ///   - standardInput: whether a data file `-` is standard input (else a file of that name).
  ///   - paginating: whether the blocks are laid out on pages (false: only the chart exports).
  func compose(
    _ spec: LayoutSpec, id: String, file path: String, base: URL, root: Node?, standardInput: Bool = false, paginating: Bool = true
  ) throws(BriefingError) -> Composition {
    func resolve(_ relative: String) -> String {
      if standardInput, relative == "-" { return relative }
      return relative.hasPrefix("/") ? relative : base.appendingPathComponent(relative).standardizedFileURL.path
    }
    func located(_ message: String, _ keys: LayoutPath...) -> BriefingError {
      let mark = root.flatMap { LayoutKeys.mark(of: keys, in: $0) }
      return .invalidLayout(file: path, line: mark?.line, column: mark?.column, message: message)
    }
    guard !spec.data.isEmpty else { throw located("expected at least one file under “data”, found none", LayoutPath("data")) }
    let table: any DataSource
    if let database = spec.data.firstIndex(where: \.isDatabase) {
      // A database answers in place, pushing filters and groups down as SQL.
      guard spec.data.count == 1 else {
        throw located("a database is a layout's only data source; list it alone under “data” (import files into it with briefing import)", LayoutPath("data"), LayoutPath(database))
      }
      let entry = spec.data[database]
      guard entry.table == nil || entry.query == nil else {
        throw located("give a database either “table” or “query”, not both", LayoutPath("data"), LayoutPath(database))
      }
      table = RememberingSource(SQLiteSource(
        path: resolve(entry.path), table: entry.table ?? (entry.query == nil ? "metrics" : nil), query: entry.query,
        columnNames: entry.columns ?? [:]))
    } else {
      // Files are read once, into a table every block queries; large ones are streamed per block.
      var dataFiles: [(path: String, options: ReadOptions)] = []
      for (index, source) in spec.data.enumerated() {
        switch source.readOptions() {
        case .success(let options): dataFiles.append((resolve(source.path), options))
        case .failure(let problem): throw located(problem.message, LayoutPath("data"), LayoutPath(index))
        }
      }
      let size = dataFiles.reduce(0) { total, file in
        var status = stat()
        return total &+ (stat(file.path, &status) == 0 ? Int(status.st_size) : 0)
      }
      if size > options.streamingThreshold {
        table = RememberingSource(FileSource(files: dataFiles))
      } else {
        do {
          table = try tables.table(of: dataFiles)
        } catch {
          throw .data(error)
        }
      }
    }
    var names: [String: [String: String]] = [:]
    var references: [String: ReferenceTable] = [:]
    for (dimension, file) in spec.names ?? [:] {
      do {
        let table = try ReferenceTable.load(csv: resolve(file))
        references[dimension] = table
        if spec.language != .en { names[dimension] = table.mapping(from: "name_en", to: "name_\(spec.language.rawValue)") }
      } catch {
        throw .data(error)
      }
    }
    // The reference tables of metrics and of source documents: read, then read as such.
    func referenceTable<T>(_ relative: String?, key: String, columns: String, _ parse: (ReferenceTable) -> T?) throws(BriefingError) -> T? {
      guard let relative else { return nil }
      let rows: ReferenceTable
      do {
        rows = try ReferenceTable.load(csv: resolve(relative))
      } catch {
        throw .data(error)
      }
      guard let parsed = parse(rows) else {
        throw located("\(key): \(relative) needs the columns \(columns) (seeds/\(key).csv), found \(rows.header.joined(separator: ", "))", LayoutPath(key))
      }
      return parsed
    }
    let metricTable = try referenceTable(spec.metrics, key: "metrics", columns: "metric, name_en and name_ru") { MetricTable($0) }
    let sourceTable = try referenceTable(spec.sources, key: "sources", columns: "source, title, publisher and published") { SourceTable($0, file: spec.sources ?? "") }
    // A names table for a dimension the data does not have (a typo: `regoin`) would leave every
    // name untranslated without a word.
    let columns: [String]
    do {
      columns = try table.columns()
    } catch {
      throw .data(error)
    }
    let dimensions = Set(columns)
    for dimension in (spec.names ?? [:]).keys.sorted() where !dimensions.contains(dimension) {
      let attributeOfAnother = references.contains { $0.key != dimension && $0.value.header.contains(dimension) }
      guard attributeOfAnother else {
        let known = columns.filter { $0 != "value" && $0 != "unit" }
        throw located(
          "names: “\(dimension)” is neither a dimension of the data (\(known.joined(separator: ", "))) nor a column of another names table",
          LayoutPath("names"), LayoutPath(dimension))
      }
    }
    var composer = DocumentComposer(
      spec: spec, layoutFile: path, layoutRoot: root, source: table, names: names, references: references,
      creationDate: creationDate(spec: spec), dataColumns: dimensions, metricTable: metricTable, sourceTable: sourceTable)
    // The figures texts quote, answered by the data: filled in, and the layout decoded again.
    if let root, !(spec.figures ?? [:]).isEmpty || Placeholders.hasEscapedBraces(root) {
      let figures = try composer.figureTexts()
      // A documented figure in running text cites its source at the foot of the page; elsewhere
      // (a title, a caption) it is only its number.
      var citations: [[Citation]] = []
      let filled = try Placeholders.filling(root, skipping: LayoutParameters.declarationKeys.union(["figures"]), final: true) {
        (name, attribute, position, context) throws(BriefingError) in
        guard let figure = figures[name] else { return nil }
        if let attribute {
          throw .invalidLayout(
            file: path, line: position?.line, column: position?.column, message: "“{\(name).\(attribute)}”: a figure has no attributes; write “{\(name)}”")
        }
        guard !figure.citations.isEmpty, context == "paragraph" || context == "note" else { return figure.text }
        citations.append(figure.citations)
        return figure.text + FootnoteMark.written(citations.count - 1)
      }
      let figured = try Self.decodeLayout(filled, file: path, text: "")
      composer = DocumentComposer(
        spec: figured, layoutFile: path, layoutRoot: filled, source: table, names: names, references: references,
        creationDate: creationDate(spec: figured), dataColumns: dimensions, metricTable: metricTable, sourceTable: sourceTable,
        figureCitations: citations)
    }
    let measurer: PangoTextMeasurer
    do {
      // Only the theme's fonts and the fallbacks: the same files on every machine.
      measurer = try PangoTextMeasurer(families: composer.theme.families)
    } catch {
      throw .rendering(error)
    }
    // Before anything is measured with them; a family the layout's theme names is its mistake,
    // at its line, and a missing default font the machine's (exit 70).
    do {
      try measurer.verifyFamilies(composer.theme.families)
    } catch {
      if case .fontUnavailable(let family, _) = error {
        for key in ["sans", "serif"] where (key == "sans" ? spec.theme?.sans : spec.theme?.serif) == family {
          throw located("theme.\(key): \(error)", LayoutPath("theme"), LayoutPath(key))
        }
      }
      throw .rendering(error)
    }
    let document = try composer.compose(measuring: measurer, paginating: paginating)
    if let problem = document.colorProblems.first, !options.allowLowContrast { throw problem }
    for problem in document.colorProblems { options.warn("warning: \(id): \(problem) (--allow-low-contrast)") }
    return Composition(id: id, composer: composer, measurer: measurer, document: document)
  }

  /// A briefing rendered in memory: its files by name (relative to the output folder, inside the
  /// layout's `folder`), the PDF's page count and the font files it was drawn with.
  struct RenderedBriefing {
    var files: [(name: String, bytes: [UInt8])]
    var pdfName: String
    var pageCount: Int
    var fonts: [String]
  }

  /// Renders a composed briefing into memory: the PDF, then each exported chart.
  func renderFiles(_ composition: Composition) throws(BriefingError) -> RenderedBriefing {
    let (id, measurer, document) = (composition.id, composition.measurer, composition.document)
    // A `folder` was checked when the layout was read: names joined by “/”, never leaving --out.
    let prefix = composition.composer.spec.folder.map { $0 + "/" } ?? ""
    var files: [(name: String, bytes: [UInt8])] = []
    do {
      do {
        try Self.checkGlyphs(in: document.laidOut.pages, charts: document.charts, origins: document.origins, measurer: measurer)
      } catch {
        guard options.allowMissingGlyphs else { throw error }
        options.warn("warning: \(id): \(error)")
      }
      files.append((prefix + id + ".pdf", try renderPDF(document.laidOut, measurer: measurer)))
      for chart in document.charts {
        for format in chart.formats {
          let bytes = try ChartRendering(measurer: measurer, pngScale: options.pngScale).bytes(of: chart, as: format)
          files.append(("\(prefix)\(id)-\(chart.id).\(format.rawValue)", bytes))
        }
      }
    } catch let error as CairoError {
      throw .rendering(error)
    } catch let error as BriefingError {
      throw error
    } catch {
      throw .output(file: prefix + id + ".pdf", reason: "\(error)")
    }
    return RenderedBriefing(
      files: files, pdfName: prefix + id + ".pdf", pageCount: document.laidOut.pages.count,
      fonts: FontSet.files(families: composition.composer.theme.families))
  }

  /// Renders a composed briefing and writes its files, all or none.
  private func render(_ composition: Composition) throws(BriefingError) -> BuildResult {
    let rendered = try renderFiles(composition)
    let folder = composition.composer.spec.folder.map { "/" + $0 } ?? ""
    let prefixLength = folder.isEmpty ? 0 : folder.count
    var files = OutputFiles(directory: options.outputDirectory + folder)
    var written: [String] = []
    do {
      for (name, bytes) in rendered.files {
        let leaf = String(name.dropFirst(prefixLength))
        try files.stage(bytes, named: leaf)
        written.append(files.path(of: leaf))
      }
      try files.commit()
    } catch {
      files.discard()
      throw error
    }
    return BuildResult(pdf: files.path(of: String(rendered.pdfName.dropFirst(prefixLength))), charts: Array(written.dropFirst()), pageCount: rendered.pageCount)
  }

  /// Fails on text that no installed font can draw, instead of printing empty boxes: names the
  /// characters, the font and the first places they occur: page or chart, the layout block and
  /// table row the text comes from, and the text.
  static func checkGlyphs(in pages: [Page], charts: [ChartExport], origins: TextOrigins, measurer: PangoTextMeasurer) throws(CairoError) {
    var seen: Set<TextStyleKey> = []
    var missing: Set<Unicode.Scalar> = []
    var family = ""
    var places: [String] = []
    let where_ = pages.enumerated().map { ("page \($0.offset + 1)", $0.element) } + charts.map { ("chart “\($0.id)”", $0.page) }
    for (place, page) in where_ {
      for item in page.frame.flattenedTextRuns() {
        let key = TextStyleKey(text: item.text, family: item.style.family, bold: item.style.weight == .bold)
        guard seen.insert(key).inserted else { continue }
        guard measurer.unknownGlyphCount(in: item.text, style: item.style) > 0 else { continue }
        let here = Set(item.text.unicodeScalars.filter { measurer.unknownGlyphCount(in: String($0), style: item.style) > 0 })
        missing.formUnion(here)
        if family.isEmpty { family = item.style.family }
        // The characters themselves would print as nothing or as boxes: show their code points.
        let shown = item.text.unicodeScalars.map { here.contains($0) ? "<\(code($0))>" : String($0) }.joined()
        let origin = origins.place(of: item.text).map { ", \($0)" } ?? ""
        if places.count < 5 { places.append("\(place)\(origin): “\(shown)”") }
      }
    }
    guard !missing.isEmpty else { return }
    func code(_ scalar: Unicode.Scalar) -> String { "U+" + String(scalar.value, radix: 16, uppercase: true).leftPadded(to: 4) }
    let codes = missing.sorted { $0.value < $1.value }.map(code)
    throw .missingGlyphs(family: family, codePoints: codes, places: places)
  }

  private struct TextStyleKey: Hashable {
    var text: String
    var family: String
    var bold: Bool
  }

  private func renderPDF(_ document: LaidOutDocument, measurer: PangoTextMeasurer) throws(CairoError) -> [UInt8] {
    guard let first = document.pages.first else { return [] }
    var pdf = try PDFDocument(pageSize: first.size, metadata: document.metadata, measurer: measurer)
    for page in document.pages { try pdf.render(page: page) }
    pdf.addOutline(document.outline)
    return try pdf.finish()
  }

  /// `SOURCE_DATE_EPOCH` if given, else the layout's `date`, else none: never the wall clock.
  func creationDate(spec: LayoutSpec) -> String? {
    if let epoch = options.sourceDateEpoch {
      return Self.isoDate(epoch: epoch)
    }
    guard let date = spec.date else { return nil }
    return date.count == 10 ? date + "T00:00:00Z" : date
  }

  static func isoDate(epoch: Int) -> String {
    let formatter = ISO8601DateFormatter()
    formatter.timeZone = TimeZone(identifier: "UTC")
    formatter.formatOptions = [.withInternetDateTime]
    return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(epoch)))
  }
}

extension String {
  fileprivate func leftPadded(to width: Int) -> String {
    String(repeating: "0", count: max(0, width - count)) + self
  }
}

/// Data files loaded into memory, kept for the other briefings of a build that read the same files
/// unchanged (89 regional briefings over one panel load it once): keyed by each file's path, read
/// options and stat stamp, so a file changed in between is loaded again.
final class LoadedTables: @unchecked Sendable {
  private struct Key: Hashable {
    var files: [String]
    var options: [ReadOptions]
    var stamps: [FileStamp?]
  }

  private let condition = NSCondition()
  private var loaded: [Key: MemoryTable] = [:]
  /// Keys a worker is loading now: the others wait for it rather than load the file again.
  private var loading: Set<Key> = []

  func table(of files: [(path: String, options: ReadOptions)]) throws(DataError) -> MemoryTable {
    let key = Key(files: files.map(\.path), options: files.map(\.options), stamps: files.map { FileStamp(path: $0.path) })
    // Standard input and files that cannot be stamped are not kept.
    guard !key.stamps.contains(nil), !key.files.contains("-") else { return try MemoryTable(files: files) }
    condition.lock()
    while loading.contains(key) { condition.wait() }
    if let known = loaded[key] {
      condition.unlock()
      return known
    }
    loading.insert(key)
    condition.unlock()
    defer {
      condition.lock()
      loading.remove(key)
      condition.broadcast()
      condition.unlock()
    }
    let table = try MemoryTable(files: files)
    condition.lock()
    loaded[key] = table
    condition.unlock()
    return table
  }
}
