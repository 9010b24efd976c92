import BriefingAnalytics
import Foundation
import Testing

/// Every documented seed figure must come from its source article: the quote occurs there verbatim,
/// and the value is a number the quote states.
@Suite struct SeedProvenanceTests {
  static let documentsFolder = projectRoot.deletingLastPathComponent().appendingPathComponent("shared/seed-documents")
  static var documentsPresent: Bool { FileManager.default.fileExists(atPath: documentsFolder.path) }

  let documented = projectRoot.appendingPathComponent("seeds/documented.csv").path

  @Test(.enabled(if: documentsPresent, "the seed documents are not beside the project (expected ../shared/seed-documents): provenance cannot be checked"))
  func everyQuoteOccursVerbatimInItsSource() throws {
    let data = try Dataset.load(csv: documented)
    #expect(data.observations.count >= 50)
    var texts: [String: String] = [:]
    for observation in data.observations {
      #expect(!observation.source.isEmpty && !observation.quote.isEmpty, "line \(observation.line) has no source or quote")
      #expect(observation.quote.count <= 300, "line \(observation.line): quote longer than 300 characters")
      if texts[observation.source] == nil {
        let url = Self.documentsFolder.appendingPathComponent(observation.source)
        texts[observation.source] = try #require(try? String(contentsOf: url, encoding: .utf8), "line \(observation.line): no document \(observation.source)")
      }
      #expect(texts[observation.source]?.contains(observation.quote) == true, "line \(observation.line): quote not found verbatim in \(observation.source): “\(observation.quote)”")
    }
  }

  @Test func everyValueIsANumberItsQuoteStates() throws {
    let data = try Dataset.load(csv: documented)
    for observation in data.observations {
      let value = try #require(observation.value, "line \(observation.line) has no value")
      let stated = QuotedNumbers.candidates(in: observation.quote)
      #expect(stated.contains { abs($0 - value) <= 1e-9 * max(1, abs(value)) },
        "line \(observation.line): value \(value) is not among the numbers in “\(observation.quote)”: \(stated.sorted())")
    }
  }

  @Test func everyRegionAndProgrammeIsInTheReferenceTables() throws {
    let data = try Dataset.load(csv: documented)
    let regions = Set(try ReferenceTable.load(csv: projectRoot.appendingPathComponent("seeds/regions.csv").path).column("name_en"))
    let programmes = Set(try ReferenceTable.load(csv: projectRoot.appendingPathComponent("seeds/programmes.csv").path).column("name_en"))
    for o in data.observations {
      #expect(regions.contains(o.region) || o.region == "Russian Federation", "line \(o.line): unknown region \(o.region)")
      #expect(programmes.contains(o.programme), "line \(o.line): unknown programme \(o.programme)")
      #expect(["actual", "target", "plan"].contains(o.status), "line \(o.line): status \(o.status)")
    }
    for programme in PanelGenerator.federalProgrammes {
      #expect(programmes.contains(programme.name), "the panel's programme \(programme.name) is in programmes.csv")
    }
  }

  @Test func regionsTableListsAll89FederalSubjectsWithRussianNames() throws {
    let table = try ReferenceTable.load(csv: projectRoot.appendingPathComponent("seeds/regions.csv").path)
    #expect(table.rows.count == 89)
    #expect(Set(table.column("name_en")).count == 89)
    let types = Dictionary(grouping: table.column("type"), by: { $0 }).mapValues(\.count)
    #expect(types == ["republic": 24, "krai": 9, "oblast": 48, "federal_city": 3, "autonomous_oblast": 1, "autonomous_okrug": 4])
    for name in table.column("name_ru") {
      #expect(name.unicodeScalars.contains { (0x0410...0x044F).contains($0.value) }, "Russian name “\(name)” is in Cyrillic")
    }
    #expect(table.mapping(from: "name_en", to: "name_ru")["Republic of Tatarstan"] == "Республика Татарстан")
  }

  @Test func everyRegionsFederalDistrictHasARussianName() throws {
    let regions = try ReferenceTable.load(csv: projectRoot.appendingPathComponent("seeds/regions.csv").path)
    let districts = try ReferenceTable.load(csv: projectRoot.appendingPathComponent("seeds/federal-districts.csv").path)
    #expect(Set(regions.column("federal_district")) == Set(districts.column("name_en")))
    #expect(districts.rows.count == 8)
    for name in districts.column("name_ru") { #expect(name.hasSuffix("федеральный округ")) }
  }

  @Test func numberReaderUnderstandsTheDocumentsWording() {
    #expect(QuotedNumbers.candidates(in: "169 billion rubles").contains(169e9))
    #expect(QuotedNumbers.candidates(in: "over 1,600 students").contains(1600))
    #expect(QuotedNumbers.candidates(in: "over three thousand students").contains(3000))
    #expect(QuotedNumbers.candidates(in: "A\u{00A0}million people").contains(1e6))
    #expect(QuotedNumbers.candidates(in: "up to half a\u{00A0}billion rubles").contains(5e8))
    #expect(QuotedNumbers.candidates(in: "around 230–240 million rubles").isSuperset(of: [230e6, 240e6]))
    #expect(QuotedNumbers.candidates(in: "starting from the fifth grade").contains(5))
    #expect(QuotedNumbers.candidates(in: "12.5 percent").contains(12.5))
    #expect(!QuotedNumbers.candidates(in: "169 billion rubles").contains(170e9))
  }
}

/// Reads every number an English sentence states, with the scales that apply to it.
enum QuotedNumbers {
  static let words: [String: Double] = [
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "dozen": 12, "hundred": 100, "thousand": 1000, "a": 1, "an": 1,
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9,
    "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14, "fifteenth": 15, "sixteenth": 16,
    "seventeenth": 17, "eighteenth": 18, "nineteenth": 19, "twentieth": 20, "half": 0.5,
  ]
  static let scales: [String: Double] = [
    "thousand": 1e3, "k": 1e3, "million": 1e6, "mln": 1e6, "mn": 1e6, "billion": 1e9, "bln": 1e9, "bn": 1e9, "trillion": 1e12,
  ]

  enum Token: Equatable {
    case number(Double, spelled: Bool)
    case word(String)
    case dash
  }

  static func tokens(_ quote: String) -> [Token] {
    let text = quote.replacingOccurrences(of: "\u{00A0}", with: " ").replacingOccurrences(of: "\u{202F}", with: " ")
    var result: [Token] = []
    var i = text.startIndex
    while i < text.endIndex {
      let c = text[i]
      if c.isNumber, c.isASCII {
        var j = i
        var digits = ""
        while j < text.endIndex {
          let d = text[j]
          if d.isASCII, d.isNumber {
            digits.append(d)
            j = text.index(after: j)
          } else if d == "," || d == " ", text.index(after: j) < text.endIndex {
            // A thousands separator only when exactly three digits follow.
            let rest = text[text.index(after: j)...].prefix(4)
            if rest.prefix(3).allSatisfy({ $0.isASCII && $0.isNumber }) && rest.count >= 3 && !(rest.count == 4 && rest.last?.isNumber == true) {
              j = text.index(after: j)
            } else { break }
          } else if d == ".", text.index(after: j) < text.endIndex, text[text.index(after: j)].isNumber {
            digits.append(".")
            j = text.index(after: j)
          } else { break }
        }
        if let value = Double(digits) { result.append(.number(value, spelled: false)) }
        i = j
      } else if c.isLetter {
        var j = i
        while j < text.endIndex, text[j].isLetter { j = text.index(after: j) }
        result.append(.word(text[i..<j].lowercased()))
        i = j
      } else {
        if c == "–" || c == "-" || c == "—" { result.append(.dash) }
        i = text.index(after: i)
      }
    }
    return result
  }

  /// Every value the quote can be read as stating: each number, times the scale word after it
  /// (or after the far end of a range it opens), and spelled-out numbers.
  static func candidates(in quote: String) -> Set<Double> {
    let tokens = tokens(quote)
    var found: Set<Double> = []
    func scale(at index: Int) -> Double? {
      guard index < tokens.count, case .word(let w) = tokens[index] else { return nil }
      return scales[w]
    }
    for (index, token) in tokens.enumerated() {
      var base: Double
      switch token {
      case .number(let value, _): base = value
      case .word(let w):
        guard let value = words[w] else { continue }
        base = value
        // "half a billion": half then a then the scale.
        if w == "half", index + 2 < tokens.count, tokens[index + 1] == .word("a"), let s = scale(at: index + 2) {
          found.insert(0.5 * s)
          continue
        }
        if w == "a" || w == "an" {
          if let s = scale(at: index + 1) { found.insert(s) }
          continue
        }
      case .dash: continue
      }
      found.insert(base)
      if let s = scale(at: index + 1) { found.insert(base * s) }
      // "230–240 million": the scale after the range's far end applies to its near end too.
      if index + 3 < tokens.count, tokens[index + 1] == .dash, case .number = tokens[index + 2], let s = scale(at: index + 3) {
        found.insert(base * s)
      }
    }
    return found
  }
}
