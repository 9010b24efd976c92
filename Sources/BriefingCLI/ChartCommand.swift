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

  /// What the command was told, as plain values.
  var arguments: ChartArguments {
    ChartArguments(
      files: files, out: out, format: format, spec: spec, metric: metric, by: by, filters: filters, top: top,
      aggregate: aggregate, sort: sort, series: series, kind: kind, orientation: orientation, title: title,
      subtitle: subtitle, note: note, highlight: highlight, reference: reference, compare: compare, change: change,
      other: other, values: values, width: width, caption: caption, svgText: svgText, language: language, names: names,
      source: source, id: id, reading: reading.settings, pngScale: rendering.pngScale,
      allowMissingGlyphs: rendering.allowMissingGlyphs, allowLowContrast: rendering.allowLowContrast)
  }

  func validate() throws { try arguments.validate() }

  func run() throws { try arguments.run() }
}
