import BriefingAnalytics
import Testing

private let header = "region,programme,period,metric,value,unit\n"

private func load(_ text: String) throws(DataError) -> Dataset {
  try Dataset.parse(csv: Array(text.utf8), file: "t.csv")
}

private func loadError(_ bytes: [UInt8]) -> DataError? {
  do {
    _ = try Dataset.parse(csv: bytes, file: "t.csv")
    return nil
  } catch {
    return error
  }
}

private func loadError(_ text: String) -> DataError? { loadError(Array(text.utf8)) }

@Suite struct LoadingTests {
  @Test func readsPlainRows() throws {
    let data = try load(header + "Moscow,Professionalism,2025,students_trained,1600,persons\n")
    #expect(data.observations.count == 1)
    #expect(data.observations[0].region == "Moscow")
    #expect(data.observations[0].value == 1600)
    #expect(data.observations[0].status == "actual")
  }

  @Test func handlesBOMAndCRLFAndNoTrailingNewline() throws {
    let text = "\u{FEFF}" + header.replacingOccurrences("\n", "\r\n") + "A,P,2025,m,1,u\r\nB,P,2025,m,2,u"
    let data = try load(text)
    #expect(data.observations.map(\.region) == ["A", "B"])
    #expect(data.observations.map(\.unit) == ["u", "u"])
    #expect(data.observations.map(\.value) == [1, 2])
  }

  @Test func handlesQuotesEscapesEmbeddedDelimitersAndNewlines() throws {
    let text = header + "\"Kemerovo Oblast, Kuzbass\",\"The \"\"Big\"\" One\",2025,m,3,u\n\"Line\nbreak\",P,2025,m,4,u\n"
    let data = try load(text)
    #expect(data.observations[0].region == "Kemerovo Oblast, Kuzbass")
    #expect(data.observations[0].programme == "The \"Big\" One")
    #expect(data.observations[1].region == "Line\nbreak")
    #expect(data.observations[1].line == 3)
  }

  @Test func detectsSemicolonAndTabDelimiters() throws {
    let semicolon = try load("region;programme;period;metric;value;unit\nA;P;2025;m;5;u\n")
    #expect(semicolon.observations[0].value == 5)
    let tab = try load("region\tprogramme\tperiod\tmetric\tvalue\tunit\nA\tP\t2025\tm\t6\tu\n")
    #expect(tab.observations[0].value == 6)
  }

  @Test func emptyValueIsMissingNotZero() throws {
    let data = try load(header + "A,P,2025,m,,u\n")
    #expect(data.observations[0].value == nil)
  }

  @Test func keepsExtraColumnsAsDimensions() throws {
    let data = try load("region,programme,period,metric,value,unit,college\nA,P,2025,m,1,u,No. 5\n")
    #expect(data.observations[0][dimension: "college"] == "No. 5")
  }

  @Test func emptyFileIsAnError() {
    #expect(loadError("") == .emptyFile(file: "t.csv"))
    #expect(loadError("\u{FEFF}") == .emptyFile(file: "t.csv"))
  }

  @Test func missingColumnNamesTheColumnAndHeader() {
    let error = loadError("region,programme,period,metric,unit\n")
    #expect(error == .missingColumn(file: "t.csv", column: "value", header: ["region", "programme", "period", "metric", "unit"]))
    #expect(error?.description.contains("expected a column named “value”") == true)
  }

  @Test func textInValueColumnGivesLineAndColumn() {
    let error = loadError(header + "A,P,2025,m,1600,u\nМосква,P,2025,m,много,u\n")
    #expect(error == .invalidNumber(SourceLocation(file: "t.csv", line: 3, column: 17), column: "value", found: "много"))
    #expect(error?.description == "t.csv:3:17: expected a number in column “value”, found “много”")
  }

  @Test func nanAndInfinityAreRejected() {
    #expect(loadError(header + "A,P,2025,m,NaN,u\n") == .nonFiniteNumber(SourceLocation(file: "t.csv", line: 2, column: 12), column: "value", found: "NaN"))
    #expect(loadError(header + "A,P,2025,m,-inf,u\n") == .nonFiniteNumber(SourceLocation(file: "t.csv", line: 2, column: 12), column: "value", found: "-inf"))
    #expect(loadError(header + "A,P,2025,m,1e999,u\n") == .nonFiniteNumber(SourceLocation(file: "t.csv", line: 2, column: 12), column: "value", found: "1e999"))
    #expect(loadError(header + "A,P,2025,m,0x10,u\n") == .invalidNumber(SourceLocation(file: "t.csv", line: 2, column: 12), column: "value", found: "0x10"))
  }

  @Test func acceptsNegativeAndHugeValues() throws {
    let data = try load(header + "A,P,2025,m,-3.5,u\nB,P,2025,m,1.5e15,u\n")
    #expect(data.observations.map(\.value) == [-3.5, 1.5e15])
  }

  @Test func unterminatedQuoteNamesWhereItOpened() {
    let error = loadError(header + "A,\"P,2025,m,1,u\nB,P,2025,m,2,u\n")
    #expect(error == .unterminatedQuote(SourceLocation(file: "t.csv", line: 2, column: 3)))
  }

  @Test func wrongFieldCount() {
    #expect(loadError(header + "A,P,2025,m,1\n") == .wrongFieldCount(SourceLocation(file: "t.csv", line: 2, column: 12), expected: 6, found: 5))
    #expect(loadError(header + "A,P,2025,m,1,u,extra\n") == .wrongFieldCount(SourceLocation(file: "t.csv", line: 2, column: 16), expected: 6, found: 7))
  }

  @Test func invalidUTF8IsLocated() {
    var bytes = Array((header + "A,P,2025,m,1,u\nB").utf8)
    bytes += [0xFF, 0xFE]
    bytes += Array(",P,2025,m,1,u\n".utf8)
    #expect(loadError(bytes) == .invalidUTF8(SourceLocation(file: "t.csv", line: 3, column: 1)))
  }

  @Test func textAfterClosingQuoteIsAnError() {
    #expect(loadError(header + "\"A\"x,P,2025,m,1,u\n") == .unexpectedQuote(SourceLocation(file: "t.csv", line: 2, column: 4)))
  }

  @Test func unreadableFileSaysSo() {
    do {
      _ = try Dataset.load(csv: "/nonexistent/file.csv")
      Issue.record("expected an error")
    } catch {
      #expect(error == .unreadable(file: "/nonexistent/file.csv", reason: "no such file"))
    }
  }
}

extension String {
  func replacingOccurrences(_ target: String, _ replacement: String) -> String {
    split(separator: Character(target), omittingEmptySubsequences: false).joined(separator: replacement)
  }
}
