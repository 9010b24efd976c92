import ArgumentParser
import Briefing
import BriefingAnalytics
import Foundation

@main
struct BriefingCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "briefing",
    abstract: "Turns metrics on industrial personnel training into PDF briefings and SVG/PNG charts.",
    version: briefingVersion,
    subcommands: [Build.self, ChartCommand.self, QueryCommand.self, ImportCommand.self, Seed.self],
    defaultSubcommand: Build.self)

  /// Subcommands and flags that never draw, and so need no fonts.
  private static let drawsNothing: Set<String> = ["query", "import", "seed", "help", "-h", "--help", "--version"]

  /// Loads the fonts in the background while the arguments are parsed and the data is read (a
  /// fifth of a one-chart run otherwise), then runs the command.
  static func main() {
    if !drawsNothing.contains(CommandLine.arguments.dropFirst().first ?? "") { BriefingBuilder.prepareFonts() }
    main(nil)
  }
}

/// Writes `text` to standard output; a full disk or a closed pipe is an error that says so, not a
/// crash (FileHandle's non-throwing `write` traps on a failed write).
func writeStandardOutput(_ text: String) throws(DataError) {
  if let problem = OutputTarget.writeAll(Array(text.utf8), to: 1) {
    throw .unwritable(file: "standard output", reason: problem)
  }
}

/// Maps a failure to a message on standard error and a distinct exit code.
func fail(_ error: any Error) -> ExitCode {
  FileHandle.standardError.write(Data("error: \(error)\n".utf8))
  switch error {
  // A file or standard output that cannot be written: disk full, closed pipe, not a regular file.
  case DataError.unwritable, BriefingError.data(.unwritable): return ExitCode(73)  // EX_CANTCREAT
  case DataError.invalidOption, is ValidationError: return ExitCode(64)  // EX_USAGE, as the argument parser's own
  case BriefingError.data, BriefingError.query, is DataError: return ExitCode(65)  // EX_DATAERR
  case BriefingError.invalidLayout, BriefingError.layout: return ExitCode(65)
  case BriefingError.output: return ExitCode(73)  // EX_CANTCREAT
  case BriefingError.rendering: return ExitCode(70)  // EX_SOFTWARE
  default: return ExitCode.failure
  }
}

struct Build: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Render briefings from layout files.",
    discussion: """
      Each layout (layouts/*.yaml) names its data and blocks; the PDF lands in the output folder as \
      <id>.pdf and every chart marked for export as <id>-<chart>.svg and .png. Files are written \
      to temporary names and renamed into place only when all of them are complete.

      The PDF's creation date comes from SOURCE_DATE_EPOCH when set, else from the layout's `date`; \
      the same inputs give byte-identical files.

      Examples:
        briefing build                                  # every layout in layouts/
        briefing build layouts/regional-overview.yaml --out /tmp/out
      """)

  @Argument(help: "Layout files to build (default: every .yaml file in layouts/).")
  var layouts: [String] = []

  @Option(name: .shortAndLong, help: "The folder the briefings are written to.")
  var out: String = "reports"

  @Option(
    name: .customLong("set"),
    help: ArgumentHelp("A parameter's value, overriding its default and a forEach over it (repeatable).", valueName: "name=value"))
  var settings: [String] = []

  @OptionGroup var rendering: RenderingOptions

  /// `--set` as a dictionary.
  func parameterSettings() throws -> [String: String] {
    var result: [String: String] = [:]
    for setting in settings {
      guard let equals = setting.firstIndex(of: "="), equals != setting.startIndex else {
        throw ValidationError("--set expects name=value (--set region=\"Republic of Tatarstan\"), found “\(setting)”")
      }
      let name = String(setting[..<equals])
      guard result[name] == nil else { throw ValidationError("--set \(name) is given twice") }
      result[name] = String(setting[setting.index(after: equals)...])
    }
    return result
  }

  func run() throws {
    var files = layouts
    if files.isEmpty {
      let entries = (try? FileManager.default.contentsOfDirectory(atPath: "layouts")) ?? []
      files = entries.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted().map { "layouts/\($0)" }
      guard !files.isEmpty else { throw ValidationError("no layout given and no .yaml file in ./layouts") }
    }
    do {
      let epoch = try BuildOptions.sourceDateEpochFromEnvironment()
      let builder = BriefingBuilder(options: BuildOptions(
        outputDirectory: out, sourceDateEpoch: epoch, pngScale: rendering.pngScale, allowMissingGlyphs: rendering.allowMissingGlyphs,
        allowLowContrast: rendering.allowLowContrast,
        warn: { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }))
      let settings = try parameterSettings()
      if let unknown = BriefingBuilder.unknownSettings(settings, in: files).first {
        throw ValidationError("--set \(unknown)=…: no layout given declares a parameter “\(unknown)” (under params or forEach)")
      }
      // Two briefings writing one file (the same id, layout “a” with chart “b-c” and layout “a-b”
      // with chart “c”, or a forEach whose id does not name its parameter) would overwrite each
      // other: every layout is read, and every name checked, before anything is built.
      var instances: [LayoutInstance] = []
      var claimed: [String: String] = [:]
      for file in files {
        for instance in try BriefingBuilder.instances(ofLayoutAt: file, settings: settings) {
          for name in instance.outputFileNames {
            if let earlier = claimed[name] {
              let which = instance.parameters.isEmpty ? "" : " (with " + instance.parameters.sorted { $0.key < $1.key }.map { "\($0.key) = \($0.value)" }.joined(separator: ", ") + ")"
              throw BriefingError.invalidLayout(
                file: file, line: nil, column: nil,
                message: "it would write “\(name)”\(which), which \(earlier) writes too; give one of them another id (a forEach's id names its parameter: id: \"region-{region.slug}\")")
            }
            claimed[name] = instance.parameters.isEmpty ? file : "\(file) with " + instance.parameters.sorted { $0.key < $1.key }.map { "\($0.key) = \($0.value)" }.joined(separator: ", ")
          }
          instances.append(instance)
        }
      }
      for instance in instances {
        let result = try builder.build(instance)
        print("\(result.pdf) (\(result.pageCount) page\(result.pageCount == 1 ? "" : "s"))")
        for chart in result.charts { print(chart) }
      }
    } catch {
      throw fail(error)
    }
  }
}

struct Seed: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Generate seed data.", subcommands: [Panel.self])

  struct Panel: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Generate the illustrative national panel (synthetic data).",
      discussion: """
        Every region of the reference table × the federal training programmes × years 2019–2026 × \
        4–5 metrics, with magnitudes anchored on the documented figures and scaled by each region's \
        `population` column (regions without one get a median size). Deterministic: the same \
        seed gives a byte-identical file. Every row is status=synthetic, source=generated.

        With --rows, each observation is spread over several raw records whose values add up to it, \
        so a file of any size has the same totals (for scale tests and benchmarks).

        Examples:
          briefing seed panel                                   # seeds/panel.csv
          briefing seed panel --rows 1000000 --out /tmp/panel-1m.csv
        """)

    @Option(help: "The generator's seed.")
    var seed: UInt64 = 2026

    @Option(parsing: .unconditional, help: "Write exactly this many data rows (at least one per observation).")
    var rows: Int?

    @Option(help: "The reference table of regions.")
    var regions: String = "seeds/regions.csv"

    @Option(name: .shortAndLong, help: "The file to write.")
    var out: String = "seeds/panel.csv"

    func run() throws {
      do {
        let table = try ReferenceTable.load(csv: regions)
        // Each region's figures scale with its `population` column; regions without one (and tables
        // without the column) are drawn at a random size around the median.
        let populations = table.mapping(from: "name_en", to: "population").compactMapValues(Double.init)
        let generator = PanelGenerator(regions: table.column("name_en"), populations: populations, seed: seed)
        var writer = try CSVWriter(path: out)
        try generator.write(to: &writer, rows: rows)
        try writer.commit()
      } catch {
        throw fail(error)
      }
    }
  }
}
