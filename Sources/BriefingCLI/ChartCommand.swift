public import ArgumentParser
import Briefing
import BriefingAnalytics
import BriefingLayout
import Foundation

extension ChartKind: ExpressibleByArgument {}
extension ChartOrientation: ExpressibleByArgument {}
extension ReportLocale: ExpressibleByArgument {}
extension LayoutSpec.ChangeStyle: ExpressibleByArgument {}
extension LayoutSpec.CaptionPlacement: ExpressibleByArgument {}
extension LayoutSpec.SVGTextMode: ExpressibleByArgument {}

struct ChartCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "chart",
    abstract: "Draw one chart from data, without a layout, into a standalone file (SVG, PNG, …) or standard output.",
    discussion: """
      The chart is the one a layout's `- chart:` block with the same settings exports (the same \
      bytes): every setting of that block has a flag here, and every check of a layout applies (a \
      metric or value the data lacks is an error that names the flag and the nearest name the data \
      has). --spec reads the settings from a YAML file instead: the keys of a layout's chart block \
      (id optional, no export) plus data, names, language, source, theme, author and date; flags \
      override it, and its errors give its line and column. A PDF's creation date comes from \
      SOURCE_DATE_EPOCH, else from the spec's date, as in `build`.

      The format comes from --out's extension, or from --format (required with --out -). The file \
      is written to a temporary name and renamed into place only when complete; a folder, symlink \
      or FIFO at --out is never replaced.

      Filters (--where, all must hold; as `briefing query` writes them):
        COL=VALUE          equal; repeat for the same column to allow several values
        COL!=VALUE         not equal
        COL=FROM..TO       between, inclusive; either side may be empty
        COL>=VALUE, COL<=VALUE

      Examples:
        briefing chart seeds/panel.csv --metric students_trained --by region --where period=2025 --top 10 --out top.svg
        briefing chart seeds/panel.csv --metric funding --by programme --series period --format png --out - > f.png
        briefing chart - --spec chart.yaml --compare 2024 --out change.png < panel.csv
      """)

  @Argument(help: "CSV or JSON files, read as one table (- is standard input); default: the spec's data.")
  var files: [String] = []

  @Option(name: .shortAndLong, help: ArgumentHelp("The file to write, or - for standard output.", valueName: "file"))
  var out: String

  @Option(help: ArgumentHelp("The format: \(formatList) (default: --out's extension).", valueName: "format"))
  var format: String?

  @Option(help: ArgumentHelp("A YAML file with the chart's settings (flags override it).", valueName: "file"))
  var spec: String?

  @Option(help: "The metric to chart.")
  var metric: String?

  @Option(help: ArgumentHelp("The dimension of the bars (region, programme, period, …).", valueName: "dimension"))
  var by: String?

  @Option(name: .customLong("where"), help: ArgumentHelp("A filter: COL=VALUE, COL!=VALUE, COL=FROM..TO, COL>=VALUE or COL<=VALUE.", valueName: "filter"))
  var filters: [String] = []

  @Option(parsing: .unconditional, help: "Keep the N largest bars; the rest become one «Прочие»/Other bar (see --no-other).")
  var top: Int?

  @Option(help: "How the values of a bar are combined (default: sum).")
  var aggregate: Aggregate?

  @Option(help: ArgumentHelp(
    "value (largest first, the default), valueAscending, key, or the bars in order (repeat the option: --sort 2023 --sort 2025).",
    valueName: "order"))
  var sort: [String] = []

  @Option(help: ArgumentHelp("A second dimension whose values are the series (period).", valueName: "dimension"))
  var series: String?

  @Option(help: "The kind of chart (default: bar; grouped with --series, diverging with --compare).")
  var kind: ChartKind?

  @Option(help: "How the bars stand (default: auto: upright columns when every label fits under its column).")
  var orientation: ChartOrientation?

  @Option(help: "The chart's title.")
  var title: String?

  @Option(help: "The line under the title (default: the metric and its unit).")
  var subtitle: String?

  @Option(help: "The note under the chart (default: --source).")
  var note: String?

  @Option(help: ArgumentHelp("A bar to draw in the highlight colour, the others muted (repeatable).", valueName: "category"))
  var highlight: [String] = []

  @Option(help: ArgumentHelp("A labelled line across the plot: VALUE:LABEL (repeatable).", valueName: "value:label"))
  var reference: [String] = []

  @Option(help: ArgumentHelp("An earlier period: the bars show each category's change against it.", valueName: "period"))
  var compare: String?

  @Option(help: "How --compare shows the change (default: percent).")
  var change: LayoutSpec.ChangeStyle?

  @Flag(inversion: .prefixedNo, help: "Whether the rest of a --top cut is one «Прочие»/Other bar (default: yes).")
  var other: Bool?

  @Flag(inversion: .prefixedNo, help: "Whether bars carry value labels (default: yes).")
  var values: Bool?

  @Option(help: ArgumentHelp("The file's width: 170mm, 16cm, 6.5in, 480pt, a number of points, or text (the A4 text width).", valueName: "length"))
  var width: String?

  @Option(help: "Whether the title is drawn in the file (default: inside) or left to the document around it.")
  var caption: LayoutSpec.CaptionPlacement?

  @Option(help: "How an SVG file carries its text (default: text, real text; outlines: glyph shapes).")
  var svgText: LayoutSpec.SVGTextMode?

  @Option(help: "The language of labels and number formats (default: the spec's, else en).")
  var language: ReportLocale?

  @Option(name: .customLong("names"), help: ArgumentHelp("A names table for a dimension: DIMENSION=FILE.csv (repeatable).", valueName: "dimension=file"))
  var names: [String] = []

  @Option(help: "The source line, the chart's note unless --note gives another.")
  var source: String?

  @Option(help: "The chart's id, a PDF's title when the chart has none (default: the spec's, else --out's file name).")
  var id: String?

  @OptionGroup var reading: ReadingOptions

  @OptionGroup var rendering: RenderingOptions

  /// The formats a chart can be written in, for help and errors.
  static var formatList: String { LayoutSpec.ExportFormat.allCases.map(\.rawValue).joined(separator: ", ") }

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
        sourceDateEpoch: epoch, pngScale: rendering.pngScale, allowMissingGlyphs: rendering.allowMissingGlyphs, allowLowContrast: rendering.allowLowContrast,
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
        throw ValidationError("--format must be one of \(Self.formatList), found “\(format)”")
      }
      if let implied = LayoutSpec.ExportFormat(rawValue: fileExtension), implied != known {
        throw ValidationError("--format \(known.rawValue) does not match --out \(out), whose extension says \(implied.rawValue)")
      }
      return known
    }
    if out == "-" { throw ValidationError("--out - writes to standard output: say the format with --format (\(Self.formatList))") }
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
