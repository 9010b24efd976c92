import ArgumentParser
import Briefing
import BriefingAnalytics
import BriefingLayout
import Foundation

/// Everything `briefing chart` is told, as plain values: what a parsed `ChartCommand` holds, and
/// what `ChartArgumentScanner` reads without the argument parser. Checked and run the same way
/// whichever filled it.
struct ChartArguments: Equatable {
  var files: [String] = []
  var out = ""
  var format: String?
  var spec: String?
  var metric: String?
  var by: String?
  var filters: [String] = []
  var top: Int?
  var aggregate: Aggregate?
  var sort: [String] = []
  var series: String?
  var kind: ChartKind?
  var orientation: ChartOrientation?
  var title: String?
  var subtitle: String?
  var note: String?
  var highlight: [String] = []
  var reference: [String] = []
  var compare: String?
  var change: LayoutSpec.ChangeStyle?
  var other: Bool?
  var values: Bool?
  var width: String?
  var caption: LayoutSpec.CaptionPlacement?
  var svgText: LayoutSpec.SVGTextMode?
  var language: ReportLocale?
  var names: [String] = []
  var source: String?
  var id: String?
  var reading = ReadingSettings()
  var pngScale = 2.0
  var allowMissingGlyphs = false
  var allowLowContrast = false

  func validate() throws {
    // A folder or FIFO at --out is refused as `build` refuses it (exit 73), in `run`.
    if out == "-" || (try? BriefingBuilder.checkOutputFile(out)) != nil { _ = try outputFormat() }
    if let top, top < 1 { throw ValidationError("--top must be at least 1, found \(top)") }
    if files.isEmpty, spec == nil {
      throw ValidationError("give the data: one or more CSV or JSON files (- for standard input), or data: in a --spec file")
    }
    if spec == nil, metric == nil { throw ValidationError("--metric is required (or query: { metric: … } in a --spec file)") }
    if spec == nil, by == nil { throw ValidationError("--by is required (or query: { by: … } in a --spec file)") }
    _ = try whereConditions()
    _ = try referenceLines()
    _ = try namesTables()
    _ = try reading.readOptions()
    try RenderingOptions.check(pngScale: pngScale)
  }

  func run() throws {
    // A closed pipe (`| head -c 10`) is then a write error with its message and exit 73.
    signal(SIGPIPE, SIG_IGN)
    do {
      if out != "-" { try BriefingBuilder.checkOutputFile(out) }
    } catch {
      throw fail(error)
    }
    let format = try outputFormat()
    var request = ChartRequest(format: format)
    request.specFile = spec
    let columns = try reading.columnNames()
    request.data = files.map { file in
      var entry = LayoutSpec.DataSpec(path: absolute(file))
      entry.format = reading.inputFormat
      entry.delimiter = reading.delimiter
      entry.decimalComma = reading.decimalComma ? true : nil
      entry.columns = columns.isEmpty ? nil : columns
      return entry
    }
    request.names = try namesTables().map { ($0.dimension, absolute($0.file)) }
    request.language = language
    request.source = source
    request.id = id
    request.outputName = out == "-" ? nil : out
    request.metric = metric
    request.by = by
    request.filters = try whereConditions()
    request.top = top
    request.aggregate = aggregate
    if sort.count == 1, let word = ["value": LayoutSpec.SortOrder.value, "valueAscending": .valueAscending, "key": .key][sort[0]] {
      request.sort = word
    } else if !sort.isEmpty {
      request.sort = .listed(sort)
    }
    request.series = series
    request.kind = kind
    request.orientation = orientation
    request.title = title
    request.subtitle = subtitle
    request.note = note
    request.highlight = highlight.isEmpty ? nil : highlight.count == 1 ? .one(highlight[0]) : .many(highlight)
    request.references = try referenceLines()
    request.compare = compare.map { .one($0) }
    request.change = change
    request.other = other
    request.values = values
    request.width = width
    request.caption = caption
    request.svgText = svgText
    do {
      let epoch = try BuildOptions.sourceDateEpochFromEnvironment()
      let builder = BriefingBuilder(options: BuildOptions(
        sourceDateEpoch: epoch, pngScale: pngScale, allowMissingGlyphs: allowMissingGlyphs, allowLowContrast: allowLowContrast,
        warn: { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }))
      let bytes = try builder.chart(request)
      if out == "-" {
        if let problem = OutputTarget.writeAll(bytes, to: 1) { throw DataError.unwritable(file: "standard output", reason: problem) }
      } else {
        try BriefingBuilder.writeFile(bytes, to: out)
      }
    } catch {
      throw fail(error)
    }
  }

  /// The format to write: --format, else --out's extension.
  func outputFormat() throws -> LayoutSpec.ExportFormat {
    let fileExtension = out == "-" ? "" : URL(fileURLWithPath: out).pathExtension.lowercased()
    if let format {
      guard let known = LayoutSpec.ExportFormat(rawValue: format.lowercased()) else {
        throw ValidationError("--format must be one of \(ChartCommand.formatList), found “\(format)”")
      }
      if let implied = LayoutSpec.ExportFormat(rawValue: fileExtension), implied != known {
        throw ValidationError("--format \(known.rawValue) does not match --out \(out), whose extension says \(implied.rawValue)")
      }
      return known
    }
    if out == "-" { throw ValidationError("--out - writes to standard output: say the format with --format (\(ChartCommand.formatList))") }
    guard let implied = LayoutSpec.ExportFormat(rawValue: fileExtension) else {
      throw ValidationError(
        "--out \(out): expected a file name ending in \(LayoutSpec.ExportFormat.allCases.map { "." + $0.rawValue }.joined(separator: " or ")), or give --format")
    }
    return implied
  }

  /// The --where filters as a layout's `where:` writes them, one condition per column; repeated
  /// equalities on one column are a list of allowed values.
  func whereConditions() throws -> [(dimension: String, value: LayoutSpec.FilterValue)] {
    var conditions: [(dimension: String, value: LayoutSpec.FilterValue)] = []
    for text in filters {
      guard let equals = text.firstIndex(of: "=") else {
        throw ValidationError("--where expects COL=VALUE, COL!=VALUE, COL=FROM..TO, COL>=VALUE or COL<=VALUE, found “\(text)”")
      }
      var columnEnd = equals
      var value = String(text[text.index(after: equals)...])
      var plain = true
      let before = equals > text.startIndex ? text.index(before: equals) : equals
      if before < equals, ["!", ">", "<"].contains(text[before]) {
        columnEnd = before
        value = String(text[before]) + "=" + value
        plain = false
      } else if value.contains("..") {
        plain = false
      }
      let column = String(text[..<columnEnd]).trimmingCharacters(in: .whitespaces)
      guard !column.isEmpty, !value.isEmpty else {
        throw ValidationError("--where expects COL=VALUE, COL!=VALUE, COL=FROM..TO, COL>=VALUE or COL<=VALUE, found “\(text)”")
      }
      if let index = conditions.firstIndex(where: { $0.dimension == column }) {
        switch conditions[index].value {
        case .one(let first) where plain && !Self.isCondition(first): conditions[index].value = .many([first, value])
        case .many(let earlier) where plain: conditions[index].value = .many(earlier + [value])
        default:
          throw ValidationError(
            "--where: “\(column)” has a condition already; repeat COL=VALUE only to allow several values, and give a range as COL=FROM..TO")
        }
      } else {
        conditions.append((column, .one(value)))
      }
    }
    return conditions
  }

  /// Whether a layout's filter value is a condition (`!=X`, `>=X`, `<=X`, `A..B`), not one value.
  private static func isCondition(_ value: String) -> Bool {
    ["!=", ">=", "<="].contains { value.hasPrefix($0) } || value.contains("..")
  }

  /// The --reference lines: VALUE:LABEL.
  func referenceLines() throws -> [(value: Double, label: String)] {
    try reference.map { text in
      guard let colon = text.firstIndex(of: ":"),
        let value = Double(text[..<colon].trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "_", with: "")),
        value.isFinite
      else {
        throw ValidationError("--reference expects VALUE:LABEL (30000:\"цель 2028\"), found “\(text)”")
      }
      return (value, String(text[text.index(after: colon)...]))
    }
  }

  /// The --names tables: DIMENSION=FILE.
  func namesTables() throws -> [(dimension: String, file: String)] {
    try names.map { text in
      guard let equals = text.firstIndex(of: "="), equals != text.startIndex, text.index(after: equals) != text.endIndex else {
        throw ValidationError("--names expects DIMENSION=FILE (region=seeds/regions.csv), found “\(text)”")
      }
      return (String(text[..<equals]), String(text[text.index(after: equals)...]))
    }
  }

  /// A path from the command line made absolute against the working directory (a spec file's
  /// own paths are relative to its folder); `-` stays standard input.
  private func absolute(_ path: String) -> String {
    if path == "-" || path.hasPrefix("/") { return path }
    return FileManager.default.currentDirectoryPath + "/" + path
  }
}
