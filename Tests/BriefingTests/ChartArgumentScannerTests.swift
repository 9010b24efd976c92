import ArgumentParser
import Briefing
import BriefingAnalytics
import BriefingLayout
import Foundation
import Testing

@testable import BriefingCLI

/// `briefing chart` reads a plain command line with `ChartArgumentScanner` instead of the argument
/// parser: it must read every command line it takes exactly as the parser does, and leave every
/// other one (help, errors) to the parser.
@Suite struct ChartArgumentScannerTests {
  static let base = ["data.csv", "--metric", "students_trained", "--by", "region", "--out", "chart.svg"]

  /// `base` without the option that sets what `option` sets (-o and --out are one setting), so
  /// that the sample is not a repeat.
  static func base(without option: String) -> [String] {
    let setting = ChartArgumentScanner.aliases[option] ?? option
    var arguments: [String] = []
    var rest = base[...]
    while let argument = rest.popFirst() {
      if argument == setting, !rest.isEmpty { rest.removeFirst() } else { arguments.append(argument) }
    }
    return arguments
  }

  /// The parser's reading of `arguments`, or the error it gives.
  func parsed(_ arguments: [String]) -> Result<ChartArguments, any Error> {
    Result { try ChartCommand.parse(arguments).arguments }
  }

  /// What the parser says about a command line the scanner took: the same arguments when they
  /// pass `validate()`, an error when they do not.
  func expectSameReading(_ arguments: [String], _ scanned: ChartArguments, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    let validates = (try? scanned.validate()) != nil
    switch parsed(arguments) {
    case .success(let expected):
      #expect(validates, "the parser took \(arguments), the scanner's reading failed validate()", sourceLocation: sourceLocation)
      #expect(scanned == expected, "\(arguments)", sourceLocation: sourceLocation)
    case .failure(let error):
      #expect(!validates, "the parser refused \(arguments) (\(error)) but the scanner's reading validates", sourceLocation: sourceLocation)
    }
  }

  @Test func scansEveryOptionTheCommandDeclares() {
    let help = ChartCommand.helpMessage(columns: 400)
    let options = help.components(separatedBy: "OPTIONS:").last ?? ""
    let declared = Set(
      options.split(whereSeparator: { " ,\n/".contains($0) || $0 == "\t" })
        .map { String($0) }
        .filter { $0.hasPrefix("-") && $0.count > 1 && $0.dropFirst().allSatisfy { $0.isLetter || $0 == "-" } })
      .subtracting(["-h", "--help"])
    #expect(declared.count > 35, "\(declared.sorted())")
    #expect(declared == Set(ChartArgumentScanner.options.keys), "declared but not scanned: \(declared.subtracting(ChartArgumentScanner.options.keys).sorted()); scanned but not declared: \(Set(ChartArgumentScanner.options.keys).subtracting(declared).sorted())")
  }

  /// A value each option takes, as a user writes it.
  static func sampleValues(of option: String) -> [String] {
    switch option {
    case "--kind": return ChartKind.allCases.map(\.rawValue)
    case "--orientation": return ChartOrientation.allCases.map(\.rawValue)
    case "--aggregate": return Aggregate.allCases.map(\.rawValue)
    case "--change": return LayoutSpec.ChangeStyle.allCases.map(\.rawValue)
    case "--caption": return LayoutSpec.CaptionPlacement.allCases.map(\.rawValue)
    case "--svg-text": return LayoutSpec.SVGTextMode.allCases.map(\.rawValue)
    case "--language": return ReportLocale.allCases.map(\.rawValue)
    case "--top": return ["10", "1", "-3", "0", "x"]
    case "--png-scale": return ["2", "1.5", "-1", "9", "nan"]
    case "--out", "-o": return ["top.png", "-", "out/chart.pdf", "chart"]
    case "--where": return ["period=2025", "period=2023..2025", "region!=Moscow", "period>=2020", "broken"]
    case "--reference": return ["30000:цель 2028", "1e3:x", "nope"]
    case "--names": return ["region=seeds/regions.csv", "region="]
    case "--map": return ["Регион=region", "=x"]
    case "--delimiter": return [";", "tab", "|"]
    case "--input-format": return ["csv", "json", "xml"]
    default: return ["Ханты-Мансийский автономный округ — Югра", "2024", "a=b", "-", ""]
    }
  }

  @Test func readsEachOptionAsTheParserDoes() throws {
    for (option, kind) in ChartArgumentScanner.options {
      if case .flag = kind {
        let arguments = Self.base(without: option) + [option]
        let scanned = try #require(ChartArgumentScanner.scan(arguments), "\(arguments)")
        expectSameReading(arguments, scanned)
        continue
      }
      let base = Self.base(without: option)
      for value in Self.sampleValues(of: option) {
        var spellings = [base + [option, value], [option, value] + base]
        if option.hasPrefix("--") { spellings.append(base + ["\(option)=\(value)"]) }
        for arguments in spellings {
          guard let scanned = ChartArgumentScanner.scan(arguments) else {
            // Left to the parser: a line it refuses, or a value that could be read as an option.
            if case .success = parsed(arguments) {
              #expect(ChartArgumentScanner.looksLikeOption(value), "the scanner declined \(arguments), which the parser takes")
            }
            continue
          }
          expectSameReading(arguments, scanned)
        }
      }
    }
  }

  @Test func repeatedOptionsKeepTheirOrder() throws {
    let arguments = Self.base + ["--where", "period=2024", "--sort", "2025", "--where", "period=2025", "--sort", "2023", "b.csv", "--highlight", "Пермский край"]
    let scanned = try #require(ChartArgumentScanner.scan(arguments))
    #expect(scanned.filters == ["period=2024", "period=2025"])
    #expect(scanned.sort == ["2025", "2023"])
    #expect(scanned.files == ["data.csv", "b.csv"])
    expectSameReading(arguments, scanned)
  }

  @Test(arguments: [
    ["--help"], ["-h"], ["--titel", "x"], ["--top"], ["--title"], ["--title", "--top", "3"], ["--kind", "pie"],
    ["--other", "--no-other"], ["--values", "--values"], ["--title", "a", "--title", "b"], ["-o", "a.svg"],
    ["--", "-file.csv"], ["--other=yes"], ["-x"], ["--top", "ten"], ["--png-scale", "two"], ["--generate-completion-script", "bash"],
  ])
  func leavesEverythingElseToTheParser(extra: [String]) {
    #expect(ChartArgumentScanner.scan(Self.base + extra) == nil, "\(extra)")
  }

  @Test func withoutOutTheParserSaysSo() {
    #expect(ChartArgumentScanner.scan(["data.csv", "--metric", "m", "--by", "region"]) == nil)
  }

  /// Random command lines from the options and hostile values: whatever the scanner takes, the
  /// parser reads the same way.
  @Test func randomCommandLinesReadAlike() throws {
    // Seeded, so that the command lines are the same in every run.
    var generator = SplitMix64(seed: 20261202)
    let names = ChartArgumentScanner.options.keys.sorted()
    let hostile = ["-", "--", "-5", "--top", "=", "a=b", "", " ", "<script>", "Ä", "data.csv", "--out=x.svg", "chart.png", "-o"]
    var taken = 0
    for _ in 0..<600 {
      var arguments: [String] = []
      for _ in 0..<Int.random(in: 0...7, using: &generator) {
        switch Int.random(in: 0..<10, using: &generator) {
        case 0: arguments.append(hostile.randomElement(using: &generator) ?? "")
        case 1: arguments.append("file\(Int.random(in: 0..<3, using: &generator)).csv")
        default:
          let name = names.randomElement(using: &generator) ?? "--title"
          let values = Self.sampleValues(of: name) + [hostile.randomElement(using: &generator) ?? ""]
          let value = values.randomElement(using: &generator) ?? ""
          if case .flag = ChartArgumentScanner.options[name] {
            arguments.append(name)
          } else if name.hasPrefix("--"), Bool.random(using: &generator) {
            arguments.append("\(name)=\(value)")
          } else {
            arguments += [name, value]
          }
        }
      }
      if Bool.random(using: &generator) { arguments = Self.base + arguments }
      guard let scanned = ChartArgumentScanner.scan(arguments) else { continue }
      taken += 1
      expectSameReading(arguments, scanned)
    }
    #expect(taken > 100, "only \(taken) of 600 random command lines were scanned: the test says little")
  }
}
