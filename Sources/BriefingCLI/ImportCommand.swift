import ArgumentParser
import BriefingAnalytics
import BriefingSQLite
import Foundation

struct ImportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "import",
    abstract: "Copy tidy CSV or JSON files into a table of an SQLite database.",
    discussion: """
      Every column becomes TEXT except `value`, which is REAL (an empty value is NULL). A value that \
      is not a number stops the import with its file, line and column, and nothing is written. The \
      rows go in one transaction into a copy of the database written beside it, which replaces the \
      database only when complete. An existing table is refused unless --replace is given.

      Examples:
        briefing import seeds/panel.csv seeds/documented.csv --into stats.sqlite
        briefing import export.csv --decimal-comma --map Регион=region --into stats.sqlite --table exports --replace
      """)

  @Argument(help: "CSV or JSON files, imported in order into one table (.json, .jsonl and .ndjson are JSON; - is standard input).")
  var files: [String]

  @Option(help: ArgumentHelp("The database to write (created when absent).", valueName: "database"))
  var into: String

  @Option(help: "The table to create.")
  var table: String = "metrics"

  @Flag(help: "Replace a table of that name instead of refusing.")
  var replace = false

  @OptionGroup var reading: ReadingOptions

  func validate() throws {
    guard !table.isEmpty else { throw ValidationError("--table must not be empty") }
  }

  func run() throws {
    do {
      let importer = SQLiteImporter(table: table, replace: replace, options: try reading.readOptions())
      let summary = try importer.run(files: files, into: into)
      print(summary)
    } catch let error as ValidationError {
      throw error
    } catch {
      throw fail(error)
    }
  }
}
