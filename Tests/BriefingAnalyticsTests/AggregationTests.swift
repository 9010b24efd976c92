import BriefingAnalytics
import Foundation
import Testing

@Suite struct AggregationTests {
  private func obs(_ region: String, _ programme: String, _ period: String, _ value: Double?, unit: String = "persons") -> Observation {
    Observation(region: region, programme: programme, period: period, metric: "students_trained", value: value, unit: unit)
  }

  @Test func sumsByRegionAgainstHandComputedTotals() throws {
    let data = Dataset(observations: [
      obs("A", "P1", "2024", 100), obs("A", "P2", "2024", 50), obs("B", "P1", "2024", 70),
      obs("A", "P1", "2025", 120), obs("B", "P2", "2025", nil), obs("C", "P1", "2025", 5),
    ])
    let byRegion = try data.aggregate(.sum, by: ["region"])
    #expect(byRegion.map(\.keys) == [["A"], ["B"], ["C"]])
    #expect(byRegion.map(\.value) == [270, 70, 5])
    #expect(byRegion.map(\.count) == [3, 1, 1])
    let in2025 = try data.aggregate(.sum, where: [Filter("period", equals: "2025")], by: ["region"])
    #expect(in2025.map(\.value) == [120, nil, 5])
    let mean = try data.aggregate(.mean, by: ["programme"])
    let expectedMean: Double = (100.0 + 70.0 + 120.0 + 5.0) / 4.0
    #expect(mean.map(\.value) == [expectedMean, 50])
    #expect(try data.aggregate(.min, by: ["region"]).map(\.value) == [50, 70, 5])
    #expect(try data.aggregate(.max, by: ["region"]).map(\.value) == [120, 70, 5])
    #expect(try data.aggregate(.count, by: ["region"]).map(\.value) == [3, 1, 1])
  }

  @Test func groupsByTwoDimensions() throws {
    let data = Dataset(observations: [obs("A", "P1", "2024", 1), obs("A", "P1", "2025", 2), obs("A", "P2", "2025", 4)])
    let groups = try data.aggregate(.sum, by: ["region", "programme"])
    #expect(groups.map(\.keys) == [["A", "P1"], ["A", "P2"]])
    #expect(groups.map(\.value) == [3, 4])
  }

  @Test func mixingUnitsIsAnError() {
    let data = Dataset(observations: [obs("A", "P", "2025", 1), obs("A", "P", "2025", 2, unit: "RUB")])
    #expect(throws: DataError.mixedUnits(group: "A", units: ["persons", "RUB"])) {
      try data.aggregate(.sum, by: ["region"])
    }
  }

  @Test func compensatedSumStaysExact() {
    var sum = CompensatedSum()
    for _ in 0..<1_000_000 { sum.add(0.1) }
    #expect(abs(sum.value - 100_000) < 1e-9)
    var big = CompensatedSum()
    big.add(1e15)
    for _ in 0..<10_000 { big.add(0.125) }
    big.add(-1e15)
    #expect(big.value == 1250)
    var naive = 0.0
    for _ in 0..<1_000_000 { naive += 0.1 }
    #expect(abs(naive - 100_000) > 1e-9, "the naive sum drifts, which is why compensation is needed")
  }

  @Test func sortsByValueWithMissingLast() throws {
    let data = Dataset(observations: [obs("A", "P", "1", 5), obs("B", "P", "1", nil), obs("C", "P", "1", 9), obs("D", "P", "1", 5)])
    let sorted = try data.aggregate(by: ["region"]).sortedByValueDescending()
    #expect(sorted.map { $0.keys[0] } == ["C", "A", "D", "B"])
  }
}

@Suite struct FormattingTests {
  let en = NumberFormat(locale: .en)
  let ru = NumberFormat(locale: .ru)

  @Test func numbersBeyondTwoToThe53PrintNoInventedDigits() {
    // Stored as 12345678901234567168; the input's digits were …567890.
    #expect(en.decimal(12_345_678_901_234_567_890) == "12,345,678,901,234,567,000")
    #expect(en.decimal(9_007_199_254_740_993, fractionDigits: 1) == "9,007,199,254,740,992.0")
    #expect(en.decimal(-1e17, fractionDigits: 2) == "\u{2212}100,000,000,000,000,000.00")
  }

  @Test func largeFiguresWithDecimalsRoundTheDigitsThatWereRead() {
    // Above 2^53 / 100 the binary product value × 100 is no longer exact: these came out as
    // …684.00, …495.64 and …345.68.
    #expect(en.decimal(7_168_554_380_817_685, fractionDigits: 2) == "7,168,554,380,817,685.00")
    #expect(en.decimal(4_503_599_627_370_495.5, fractionDigits: 2) == "4,503,599,627,370,495.50")
    #expect(en.decimal(123_456_789_012_345.67, fractionDigits: 2) == "123,456,789,012,345.67")
    #expect(en.decimal(-99_999_999_999_999.995, fractionDigits: 2) == "\u{2212}100,000,000,000,000.00")
    // Against Foundation's Decimal, on the shortest text of each value, over the whole range.
    var random = SystemRandomNumberGenerator()
    for _ in 0..<20_000 {
      let value = Double.random(in: 1e9...9e15, using: &random).rounded() / [1, 10, 100, 1000][Int.random(in: 0..<4, using: &random)]
      for digits in [0, 1, 2] {
        var exact = Decimal(string: "\(value)") ?? 0
        var rounded = Decimal()
        NSDecimalRound(&rounded, &exact, digits, .plain)
        let reference = NSDecimalNumber(decimal: rounded).stringValue
        let expected = digits == 0 || reference.contains(".")
          ? reference : reference + "." + String(repeating: "0", count: digits)
        let padded = expected.contains(".") && digits > 0
          ? expected + String(repeating: "0", count: digits - (expected.split(separator: ".").last?.count ?? 0)) : expected
        let found = en.decimal(value, fractionDigits: digits).replacingOccurrences(of: ",", with: "")
        #expect(found == padded, "\(value) with \(digits) decimals")
        if found != padded { return }
      }
    }
  }

  @Test func theLargestDoublesFormatWithoutATrap() {
    let text = en.decimal(1e308, fractionDigits: 2)
    #expect(text.hasPrefix("100,000,000,000,"))
    #expect(text.hasSuffix(",000.00"))
    #expect(text.filter(\.isNumber).count == 309 + 2)
    #expect(ru.decimal(-Double.greatestFiniteMagnitude).hasPrefix("\u{2212}179\u{202F}769\u{202F}313"))
    #expect(en.compact(1.7e308).hasSuffix(" tn"))
    #expect(en.percent(1e308).hasSuffix("%"))
  }

  @Test func groupsThousands() {
    #expect(en.decimal(1600) == "1,600")
    #expect(en.decimal(1234567.891, fractionDigits: 2) == "1,234,567.89")
    #expect(ru.decimal(16000) == "16\u{202F}000")
    #expect(ru.decimal(1600) == "1\u{202F}600")
    #expect(ru.decimal(1234567.5, fractionDigits: 1) == "1\u{202F}234\u{202F}567,5")
    #expect(en.decimal(999.5) == "1,000")
    #expect(en.decimal(0.05, fractionDigits: 1) == "0.1")
  }

  @Test func negativeUsesTrueMinus() {
    #expect(en.decimal(-3) == "\u{2212}3")
    #expect(en.decimal(-0.01) == "0")
  }

  @Test func missingIsDash() {
    #expect(en.decimal(nil) == "—")
    #expect(ru.percent(.nan) == "—")
  }

  @Test func percentAndSigned() {
    #expect(en.percent(12.5) == "12.5%")
    #expect(ru.percent(12.5) == "12,5\u{00A0}%")
    #expect(en.signed(12.5, fractionDigits: 1, percent: true) == "+12.5%")
    #expect(en.signed(-3) == "\u{2212}3")
    #expect(en.signed(0) == "0")
  }

  @Test func compactForms() {
    #expect(en.compact(169_000_000_000) == "169 bn")
    #expect(ru.compact(169_000_000_000) == "169\u{00A0}млрд")
    #expect(en.compact(16_000) == "16K")
    #expect(ru.compact(16_000) == "16\u{00A0}тыс.")
    #expect(en.compact(1_500_000) == "1.5M")
    #expect(ru.compact(1_500_000) == "1,5\u{00A0}млн")
    #expect(en.compact(169_000_000_000, unit: "RUB") == "169 bn RUB")
    #expect(ru.compact(169_000_000_000, unit: "RUB") == "169\u{00A0}млрд\u{00A0}₽")
    #expect(ru.compact(16_000, unit: "persons") == "16\u{00A0}тыс.")
    #expect(en.compact(nil, unit: "RUB") == "—")
    #expect(en.compact(950) == "950")
  }

  @Test func qualifiers() {
    #expect(en.qualified(en.decimal(1600), qualifier: "over") == "over\u{00A0}1,600")
    #expect(ru.qualified(ru.decimal(1600), qualifier: "over") == "более\u{00A0}1\u{202F}600")
    #expect(en.qualified("5", qualifier: "") == "5")
    #expect(ru.qualified("47", qualifier: "from") == "от\u{00A0}47")
  }

  @Test func qualifiersCarryThroughSums() throws {
    #expect(Qualifier.combining(["", "", ""]) == "")
    #expect(Qualifier.combining(["over", "", "over"]) == "over")
    #expect(Qualifier.combining(["over", "at least"]) == "at least")
    #expect(Qualifier.combining(["up to", "under"]) == "up to")
    #expect(Qualifier.combining(["over", "under"]) == "around")
    // An approximate figure added to a lower bound still leaves a lower bound.
    #expect(Qualifier.combining(["over", "around", ""]) == "at least")
    #expect(Qualifier.combining(["around", "up to"]) == "up to")
    let data = Dataset(observations: [
      Observation(region: "A", programme: "P", period: "1", metric: "m", value: 40, unit: "count", qualifier: "over"),
      Observation(region: "A", programme: "P", period: "2", metric: "m", value: 10, unit: "count"),
      Observation(region: "B", programme: "P", period: "1", metric: "m", value: 5, unit: "count"),
    ])
    let sums = try data.aggregate(.sum, by: ["region"])
    #expect(sums.map(\.qualifier) == ["over", ""])
    #expect(sums.map(\.value) == [50, 5])
    // A minimum or maximum is as exact as the figure that gives it.
    #expect(try data.aggregate(.min, by: ["region"]).map(\.qualifier) == ["", ""])
    #expect(try data.aggregate(.max, by: ["region"]).map(\.qualifier) == ["over", ""])
    // A count is exact whatever the counted figures say.
    #expect(try data.aggregate(.count, by: ["region"]).map(\.qualifier) == ["", ""])
  }
}
