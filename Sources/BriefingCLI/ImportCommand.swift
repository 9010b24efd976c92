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

  @Argument(help: "CSV or JSON files, imported in order into one table (.json, .jsonl and .ndjson are JSON).")
  var files: [String]

  @Option(help: ArgumentHelp("The database to write (created when absent).", valueName: "database"))
  var into: String

  @Option(help: "The table to create.")
  var table: String = "metrics"

  @Flag(help: "Replace a table of that name instead of refusing.")
  var replace = false

  @Option(help: ArgumentHelp("The input format: csv or json (default: by file extension).", valueName: "format"))
  var inputFormat: String?

  @Option(help: "The CSV delimiter: , ; or tab (default: detected from the header).")
  var delimiter: String?

  @Flag(help: "Numbers use a decimal comma (1 600,5); digit groups may be separated by spaces.")
  var decimalComma = false

  @Option(name: .customLong("map"), help: ArgumentHelp("Rename a column as it is read: FILE_NAME=NAME (repeatable).", valueName: "mapping"))
  var mappings: [String] = []

  func validate() throws {
    guard !table.isEmpty else { throw ValidationError("--table must not be empty") }
  }

  func run() throws {
    do {
      let importer = SQLiteImporter(table: table, replace: replace, options: try makeOptions())
      let summary = try importer.run(files: files, into: into)
      print(summary)
    } catch let error as ValidationError {
      throw error
    } catch {
      throw fail(error)
    }
  }

  // The same reading options as `briefing query` (kept in step with QueryCommand.makeOptions).
  func makeOptions() throws -> ReadOptions {
    var names: [String: String] = [:]
    for mapping in mappings {
      guard let equals = mapping.firstIndex(of: "="), equals != mapping.startIndex, mapping.index(after: equals) != mapping.endIndex else {
        throw ValidationError("--map expects FILE_NAME=NAME, found “\(mapping)”")
      }
      names[String(mapping[..<equals])] = String(mapping[mapping.index(after: equals)...])
    }
    var separator: UInt8? = nil
    if let delimiter {
      switch delimiter {
      case ",": separator = UInt8(ascii: ",")
      case ";": separator = UInt8(ascii: ";")
      case "tab", "\\t", "\t": separator = UInt8(ascii: "\t")
      default: throw ValidationError("--delimiter must be , ; or tab, found “\(delimiter)”")
      }
    }
    var kind: ReadOptions.Format? = nil
    if let inputFormat {
      guard let known = ReadOptions.Format(rawValue: inputFormat) else {
        throw ValidationError("--input-format must be csv or json, found “\(inputFormat)”")
      }
      kind = known
    }
    return ReadOptions(format: kind, delimiter: separator, decimalComma: decimalComma, columnNames: names)
  }
}
