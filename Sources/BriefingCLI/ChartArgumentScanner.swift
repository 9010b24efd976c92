import ArgumentParser
import Briefing
import BriefingAnalytics
import BriefingLayout

/// Reads a plain `briefing chart` command line without swift-argument-parser, so that one chart
/// is drawn in well under 50 ms from process start.
///
/// Why not the library: it builds each command's arguments by reflection (`Mirror` over ~40
/// property wrappers, several times per parse), and each first conformance check scans every
/// conformance record of the statically linked standard library and Foundation: 30 M instructions,
/// 5–7 ms, a fifth of a one-chart run. The library stays the definition of the command: help,
/// completion and every error come from it, because this scanner only takes command lines it
/// understands completely (the options `ChartCommand` declares, each at most once unless it is
/// repeatable, values that cannot be mistaken for options) and returns nil for anything else —
/// `--help`, an unknown or misspelt option, a missing or malformed value, `--` — which then goes
/// through the library as before. `ChartArgumentScannerTests` checks that both read every option
/// to the same `ChartArguments`.
enum ChartArgumentScanner {
  /// How an option's value is taken.
  enum Kind: Sendable {
    /// One value, given at most once (a repeat goes to the library, which has its own rule).
    case single(@Sendable (inout ChartArguments, String) -> Bool)
    /// One value that may begin with "-" (the library's `.unconditional`: `--top -3`).
    case unconditional(@Sendable (inout ChartArguments, String) -> Bool)
    /// A value each time it is given, kept in order.
    case repeated(@Sendable (inout ChartArguments, String) -> Void)
    /// No value.
    case flag(@Sendable (inout ChartArguments) -> Void)
  }

  /// The options by their long names (and `-o`), as `ChartCommand`, `ReadingOptions` and
  /// `RenderingOptions` declare them.
  static let options: [String: Kind] = [
    "--out": .single { $0.out = $1; return true },
    "-o": .single { $0.out = $1; return true },
    "--format": .single { $0.format = $1; return true },
    "--spec": .single { $0.spec = $1; return true },
    "--metric": .single { $0.metric = $1; return true },
    "--by": .single { $0.by = $1; return true },
    "--where": .repeated { $0.filters.append($1) },
    "--top": .unconditional { arguments, text in
      guard let value = Int(argument: text) else { return false }
      arguments.top = value
      return true
    },
    "--aggregate": .single { arguments, text in set(&arguments.aggregate, text) },
    "--sort": .repeated { $0.sort.append($1) },
    "--series": .single { $0.series = $1; return true },
    "--kind": .single { arguments, text in set(&arguments.kind, text) },
    "--orientation": .single { arguments, text in set(&arguments.orientation, text) },
    "--title": .single { $0.title = $1; return true },
    "--subtitle": .single { $0.subtitle = $1; return true },
    "--note": .single { $0.note = $1; return true },
    "--highlight": .repeated { $0.highlight.append($1) },
    "--reference": .repeated { $0.reference.append($1) },
    "--compare": .single { $0.compare = $1; return true },
    "--change": .single { arguments, text in set(&arguments.change, text) },
    "--other": .flag { $0.other = true },
    "--no-other": .flag { $0.other = false },
    "--values": .flag { $0.values = true },
    "--no-values": .flag { $0.values = false },
    "--width": .single { $0.width = $1; return true },
    "--caption": .single { arguments, text in set(&arguments.caption, text) },
    "--svg-text": .single { arguments, text in set(&arguments.svgText, text) },
    "--language": .single { arguments, text in set(&arguments.language, text) },
    "--names": .repeated { $0.names.append($1) },
    "--source": .single { $0.source = $1; return true },
    "--id": .single { $0.id = $1; return true },
    "--input-format": .single { $0.reading.inputFormat = $1; return true },
    "--delimiter": .single { $0.reading.delimiter = $1; return true },
    "--decimal-comma": .flag { $0.reading.decimalComma = true },
    "--map": .repeated { $0.reading.mappings.append($1) },
    "--png-scale": .unconditional { arguments, text in
      guard let value = Double(argument: text) else { return false }
      arguments.pngScale = value
      return true
    },
    "--allow-missing-glyphs": .flag { $0.allowMissingGlyphs = true },
    "--allow-low-contrast": .flag { $0.allowLowContrast = true },
  ]

  /// Spellings of one setting, which may be given once between them (`--other --no-other` and
  /// `-o a --out b` go to the library).
  static let aliases: [String: String] = ["--no-other": "--other", "--no-values": "--values", "-o": "--out"]

  /// The arguments after `chart`, or nil when the library must read them.
  static func scan(_ arguments: some Sequence<String>) -> ChartArguments? {
    var result = ChartArguments()
    var given: Set<String> = []
    var iterator = arguments.makeIterator()
    var sawOut = false
    while let argument = iterator.next() {
      guard argument.hasPrefix("-"), argument != "-" else {
        result.files.append(argument)
        continue
      }
      var name = argument
      var inlineValue: String? = nil
      if argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") {
        name = String(argument[..<equals])
        inlineValue = String(argument[argument.index(after: equals)...])
        // `--title=` is a missing value to the library.
        if inlineValue == "" { return nil }
      }
      guard let kind = options[name] else { return nil }
      let setting = aliases[name] ?? name
      switch kind {
      case .flag(let apply):
        guard inlineValue == nil, given.insert(setting).inserted else { return nil }
        apply(&result)
      case .single(let apply), .unconditional(let apply):
        guard given.insert(setting).inserted else { return nil }
        let unconditional: Bool
        if case .unconditional = kind { unconditional = true } else { unconditional = false }
        guard let value = inlineValue ?? iterator.next(), unconditional || inlineValue != nil || !looksLikeOption(value),
          apply(&result, value)
        else { return nil }
        if setting == "--out" { sawOut = true }
      case .repeated(let apply):
        guard let value = inlineValue ?? iterator.next(), inlineValue != nil || !looksLikeOption(value) else { return nil }
        apply(&result, value)
      }
    }
    // --out is required: without it the library says so.
    return sawOut ? result : nil
  }

  /// Whether the library would read `value`, standing after an option, as another option rather
  /// than as its value ("-" alone is standard input, a value).
  static func looksLikeOption(_ value: String) -> Bool {
    value.hasPrefix("-") && value != "-"
  }

  private static func set<Value: ExpressibleByArgument>(_ target: inout Value?, _ text: String) -> Bool {
    guard let value = Value(argument: text) else { return false }
    target = value
    return true
  }
}
