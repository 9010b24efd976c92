public import ArgumentParser
import BriefingAnalytics
import BriefingSQLite
import Foundation

extension Aggregate: ExpressibleByArgument {}

struct QueryCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "query",
    abstract: "Filter, group and aggregate CSV or JSON data, streaming.",
    discussion: """
      Works on any CSV (RFC 4180; `,` `;` or tab) or JSON (an array of records, or JSON Lines) with \
      a header: the measure is the column `value` unless --value names another, and every other \
      column is a dimension to group or filter by. Files are read in a stream and folded into \
      per-group totals, so memory grows with the number of groups, not of rows; a large CSV file \
      is read by one thread per core.

      Filters (--where, all must hold):
        COL=VALUE          equal; repeat for the same column to allow several values
        COL!=VALUE         not equal
        COL=FROM..TO       between, inclusive (numbers by value, else as text); either side may be empty
        COL>=VALUE, COL<=VALUE

      Output: `csv` and `json` print machine values (no digit grouping, `.` decimal, full \
      precision; an empty value when every value of a group is missing); the CSV header is the \
      group-by columns in the order given, then `value`. `table` prints an aligned table with \
      formatted numbers. Rows are ordered by the group keys (periods as numbers) unless --sort value.

      With --top N, each group of the other group-by columns keeps its N largest values of the \
      last group-by column and folds the rest into one “Other” row, so totals stay right.

      Examples:
        briefing query seeds/panel.csv --metric funding --group-by region --top 10
        briefing query seeds/panel.csv --where period=2022..2025 --group-by period,metric --format csv
        briefing query data.csv --value students --agg mean --group-by district
        briefing query export.csv --decimal-comma --map Регион=region --map Значение=value --group-by region
        briefing query panel.jsonl --agg count_distinct --value region --group-by programme
      """)

  @Argument(help: "CSV or JSON files, read as one table (.json, .jsonl and .ndjson are JSON; - is standard input).")
  var files: [String]

  @Option(name: .customLong("where"), help: ArgumentHelp("A filter: COL=VALUE, COL!=VALUE, COL=FROM..TO, COL>=VALUE or COL<=VALUE.", valueName: "filter"))
  var filters: [String] = []

  @Option(help: ArgumentHelp("Columns to group by, comma-separated, in order.", valueName: "columns"))
  var groupBy: String?

  @Option(help: "Shorthand for --where metric=NAME.")
  var metric: String?

  @Option(help: "The measure column.")
  var value: String = "value"

  @Option(help: "sum, mean, min, max, count (non-empty values) or count_distinct (distinct non-empty values).")
  var agg: Aggregate = .sum

  @Option(parsing: .unconditional, help: "Keep the N largest groups of the last group-by column (within the others); fold the rest into Other.")
  var top: Int?

  @Option(help: "The label of the folded row.")
  var otherLabel: String = "Other"

  @Option(help: "table, csv or json.")
  var format: OutputFormat = .table

  @Option(
    name: .customLong("with"),
    help: ArgumentHelp(
      "Derived columns, comma-separated: share (of the total of the other group-by columns' group), change and change_pct (against the previous --along value), rank.",
      valueName: "columns"))
  var derived: String?

  @Option(help: "The period column that change and change_pct compare along.")
  var along: String = "period"

  @Option(help: "Row order: keys or value (largest first).")
  var sort: SortOrder = .keys

  @Option(help: "Number style of the table format: en or ru.")
  var locale: String = "en"

  @OptionGroup var reading: ReadingOptions

  @Option(help: ArgumentHelp("Read this table of the SQLite database given as the input.", valueName: "name"))
  var table: String?

  @Option(help: ArgumentHelp("Read the rows of this SELECT on the SQLite database given as the input.", valueName: "select"))
  var sql: String?

  @Flag(help: "Skip bad rows, count them and report the first ones on standard error, instead of stopping.")
  var lenient = false

  @Option(parsing: .unconditional, help: "Threads for large CSV files (default: one per core).")
  var threads: Int?

  enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, csv, json
  }

  enum SortOrder: String, ExpressibleByArgument, CaseIterable {
    case keys, value
  }

  func validate() throws {
    if let top, top < 1 { throw ValidationError("--top must be at least 1, found \(top)") }
    if top != nil, (groupBy ?? "").isEmpty {
      throw ValidationError("--top keeps the largest groups of the last --group-by column: name one with --group-by")
    }
    if let threads, threads < 1 { throw ValidationError("--threads must be at least 1, found \(threads)") }
    guard ReportLocale(rawValue: locale) != nil else { throw ValidationError("--locale must be en or ru, found “\(locale)”") }
  }

  func run() throws {
    // A closed pipe (`| head -1`) is then a write error with its message and exit 73, not a
    // silent death by SIGPIPE.
    signal(SIGPIPE, SIG_IGN)
    do {
      var query = try makeQuery()
      let derived = try derivedNames()
      // Shares, ranks and the top N are taken within each group of the other group-by columns.
      let partition = Array(query.groupBy.dropLast())
      if let top, !query.groupBy.isEmpty {
        guard agg == .sum || agg == .count else {
          throw DataError.invalidOption("--top folds the rest into one row by adding, so it needs --agg sum or count, found \(agg.rawValue)")
        }
        // Partitions in key order, each by value, its largest N kept and the rest folded.
        query.derivations = [.sort(.key), .sort(.valueWithin(partition)), .top(top, otherLabel: otherLabel, within: partition)]
      } else {
        query.derivations = [.sort(sort == .value ? .value() : .key)]
      }
      for name in derived {
        switch name {
        case "share": query.derivations.append(.share(within: partition))
        case "rank": query.derivations.append(.rank(within: partition))
        case "change", "change_pct":
          guard query.groupBy.contains(along) else {
            throw ValidationError("--with \(name) compares along “\(along)”, so --group-by must include it (or name another column with --along)")
          }
          if !query.derivations.contains(.change(along: along)) { query.derivations.append(.change(along: along)) }
        default:
          throw ValidationError("--with takes share, change, change_pct or rank, found “\(name)”")
        }
      }
      let source = try makeSource()
      let result = try source.run(query)
      if result.rowsSkipped > 0 {
        var report = "warning: skipped \(result.rowsSkipped) bad row\(result.rowsSkipped == 1 ? "" : "s") of \(result.rowsRead)\n"
        for problem in result.problems { report += "  \(problem)\n" }
        if result.rowsSkipped > result.problems.count { report += "  … and \(result.rowsSkipped - result.problems.count) more\n" }
        FileHandle.standardError.write(Data(report.utf8))
      }
      let groups = result.rows.map { GroupedValue(keys: $0.keys, value: $0.value, count: $0.figure.count, unit: $0.unit, qualifier: $0.figure.qualifier) }
      let extras = derived.map { name -> QueryOutput.DerivedColumn in
        switch name {
        case "share": .init(name: "share", kind: .fraction, values: result.rows.map(\.share))
        case "rank": .init(name: "rank", kind: .integer, values: result.rows.map { $0.rank.map(Double.init) })
        case "change": .init(name: "change", kind: .signed, values: result.rows.map { $0.change?.absolute })
        default: .init(name: "change_pct", kind: .signedPercent, values: result.rows.map { $0.change?.relative.map { $0 * 100 } })
        }
      }
      let text =
        switch format {
        case .csv: QueryOutput.csv(columns: query.groupBy, groups: groups, derived: extras)
        case .json: QueryOutput.json(columns: query.groupBy, groups: groups, derived: extras)
        case .table:
          QueryOutput.table(
            columns: query.groupBy, groups: groups, derived: extras, result: result,
            format: NumberFormat(locale: ReportLocale(rawValue: locale) ?? .en))
        }
      try writeStandardOutput(text)
    } catch let error as ValidationError {
      throw error
    } catch {
      throw fail(error)
    }
  }

  /// The derived columns asked for with --with, in the order asked for.
  func derivedNames() throws -> [String] {
    let names = (derived ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    for name in names where !["share", "rank", "change", "change_pct"].contains(name) {
      throw ValidationError("--with takes share, change, change_pct or rank, found “\(name)”")
    }
    return names
  }

  /// The input: CSV or JSON files read in a stream, or an SQLite database (named by --table or
  /// --sql, or by its extension with a single table) queried in place.
  func makeSource() throws -> any DataSource {
    let database = table != nil || sql != nil || files.count == 1 && SQLiteSource.looksLikeDatabase(files[0])
    guard database else { return FileSource(files: files, options: try reading.readOptions(lenient: lenient, threads: threads)) }
    guard files.count == 1 else { throw ValidationError("an SQLite database is queried alone: give one database, found \(files.count) inputs") }
    guard table == nil || sql == nil else { throw ValidationError("--table and --sql each name what to read: give one of them") }
    if reading.inputFormat != nil || reading.delimiter != nil || reading.decimalComma || lenient {
      throw ValidationError("--input-format, --delimiter, --decimal-comma and --lenient read CSV or JSON files; \(files[0]) is read as an SQLite database")
    }
    return SQLiteSource(path: files[0], table: table ?? (sql == nil ? "metrics" : nil), query: sql, columnNames: try reading.columnNames())
  }

  func makeQuery() throws -> Query {
    var parsed: [Filter] = []
    if let metric { parsed.append(Filter("metric", equals: metric)) }
    for text in filters { parsed.append(try Filter(parsing: text)) }
    // Repeated equalities on one column widen the set of allowed values.
    var merged: [Filter] = []
    for filter in parsed {
      if case .oneOf(let values) = filter.predicate,
        let index = merged.firstIndex(where: { if case .oneOf = $0.predicate { $0.dimension == filter.dimension } else { false } }),
        case .oneOf(let existing) = merged[index].predicate
      {
        merged[index].predicate = .oneOf(existing.union(values))
      } else {
        merged.append(filter)
      }
    }
    let columns = (groupBy ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    guard Set(columns).count == columns.count else { throw ValidationError("--group-by names a column twice: \(groupBy ?? "")") }
    return Query(filters: merged, groupBy: columns, value: value, aggregate: agg)
  }
}
