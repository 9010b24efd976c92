import ArgumentParser
import BriefingAnalytics

/// How input files are read: the options `briefing query`, `briefing import` and `briefing chart`
/// share.
struct ReadingOptions: ParsableArguments {
  @Option(help: ArgumentHelp("The input format: csv or json (default: by file extension).", valueName: "format"))
  var inputFormat: String?

  @Option(help: "The CSV delimiter: , ; or tab (default: detected from the header).")
  var delimiter: String?

  @Flag(help: "Numbers use a decimal comma (1 600,5); digit groups may be separated by spaces.")
  var decimalComma = false

  @Option(name: .customLong("map"), help: ArgumentHelp("Rename a column as it is read: FILE_NAME=NAME (repeatable).", valueName: "mapping"))
  var mappings: [String] = []

  /// The options as plain values.
  var settings: ReadingSettings {
    ReadingSettings(inputFormat: inputFormat, delimiter: delimiter, decimalComma: decimalComma, mappings: mappings)
  }

  /// The renamed columns: name in the file → name used.
  func columnNames() throws -> [String: String] { try settings.columnNames() }

  func readOptions(lenient: Bool = false, threads: Int? = nil) throws -> ReadOptions {
    try settings.readOptions(lenient: lenient, threads: threads)
  }
}

/// The reading options as plain values, checked and turned into the engine's `ReadOptions`.
struct ReadingSettings: Equatable {
  var inputFormat: String?
  var delimiter: String?
  var decimalComma = false
  var mappings: [String] = []

  /// The renamed columns: name in the file → name used.
  func columnNames() throws -> [String: String] {
    var names: [String: String] = [:]
    for mapping in mappings {
      guard let equals = mapping.firstIndex(of: "="), equals != mapping.startIndex, mapping.index(after: equals) != mapping.endIndex else {
        throw ValidationError("--map expects FILE_NAME=NAME, found “\(mapping)”")
      }
      names[String(mapping[..<equals])] = String(mapping[mapping.index(after: equals)...])
    }
    return names
  }

  func readOptions(lenient: Bool = false, threads: Int? = nil) throws -> ReadOptions {
    var separator: UInt8? = nil
    if let delimiter {
      guard let byte = ReadOptions.delimiter(named: delimiter) else {
        throw ValidationError("--delimiter must be , ; or tab, found “\(delimiter)”")
      }
      separator = byte
    }
    var kind: ReadOptions.Format? = nil
    if let inputFormat {
      guard let known = ReadOptions.Format(rawValue: inputFormat) else {
        throw ValidationError("--input-format must be csv or json, found “\(inputFormat)”")
      }
      kind = known
    }
    return ReadOptions(
      format: kind, delimiter: separator, decimalComma: decimalComma, columnNames: try columnNames(), lenient: lenient, threads: threads)
  }
}
