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
    subcommands: [Build.self, Validate.self, ChartCommand.self, QueryCommand.self, ImportCommand.self, ManifestCommand.self, Seed.self],
    defaultSubcommand: Build.self)

  /// Subcommands and flags that never draw, and so need no fonts.
  private static let drawsNothing: Set<String> = ["query", "import", "seed", "manifest", "help", "-h", "--help", "--version"]

  /// Loads the fonts in the background while the arguments are parsed and the data is read (a
  /// fifth of a one-chart run otherwise), then runs the command.
  static func main() {
    let arguments = CommandLine.arguments.dropFirst()
    if !drawsNothing.contains(arguments.first ?? "") { BriefingBuilder.prepareFonts() }
    // One chart is meant to take well under 50 ms: a plain `chart` command line skips the argument
    // parser's reflection (see `ChartArgumentScanner`); anything else, and every usage error, is
    // the parser's.
    if arguments.first == "chart", let chart = ChartArgumentScanner.scan(arguments.dropFirst()), (try? chart.validate()) != nil {
      do {
        try chart.run()
      } catch {
        exit(withError: error)
      }
      return
    }
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
  return exitCode(for: error)
}

/// The exit code of a failure (sysexits.h): 64 usage, 65 data or layout, 70 internal, 73 output,
/// 75 try again later.
func exitCode(for error: any Error) -> ExitCode {
  switch error {
  case BriefingError.busy: return ExitCode(75)  // EX_TEMPFAIL
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

struct Seed: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "seed",
    abstract: "Generate seed data.", subcommands: [Panel.self])

  struct Panel: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "panel",
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
