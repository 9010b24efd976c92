import BriefingAnalytics
import Foundation
import Testing

private let header = "region,programme,period,metric,value,unit\n"

private func run(_ text: String, _ query: Query, options: ReadOptions = ReadOptions(format: .csv)) throws(DataError) -> QueryResult {
  try QueryEngine.run(query, bytes: Array(text.utf8), name: "t.csv", options: options)
}

private func runError(_ bytes: [UInt8], _ query: Query = Query(groupBy: ["region"]), options: ReadOptions = ReadOptions(format: .csv)) -> DataError? {
  do {
    _ = try QueryEngine.run(query, bytes: bytes, name: "t.csv", options: options)
    return nil
  } catch {
    return error
  }
}

private func runError(_ text: String, _ query: Query = Query(groupBy: ["region"]), options: ReadOptions = ReadOptions(format: .csv)) -> DataError? {
  runError(Array(text.utf8), query, options: options)
}

/// Writes a temporary file and returns its path.
private func temporaryFile(_ contents: String, suffix: String = ".csv") throws -> String {
  let path = FileManager.default.temporaryDirectory.appendingPathComponent("briefing-query-\(UUID().uuidString)\(suffix)").path
  try contents.write(toFile: path, atomically: true, encoding: .utf8)
  return path
}

private func values(_ result: QueryResult) -> [String: Double?] {
  Dictionary(uniqueKeysWithValues: result.groups.map { ($0.keys.joined(separator: "/"), $0.value) })
}

@Suite struct QueryEngineTests {
  let sample = header + """
    A,P,2024,students,10,persons
    A,P,2025,students,12.5,persons
    B,P,2025,students,,persons
    B,Q,2025,students,7,persons
    A,Q,2025,funding,1000000,RUB
    C,"Q, the second",2025,students,3,persons

    """

  @Test func groupsAndSumsInOrderOfFirstAppearance() throws {
    let result = try run(sample, Query(filters: [Filter("metric", equals: "students")], groupBy: ["region"]))
    #expect(result.groups.map(\.keys) == [["A"], ["B"], ["C"]])
    #expect(result.groups.map(\.value) == [22.5, 7, 3])
    #expect(result.groups.map(\.count) == [2, 1, 1])
    #expect(result.groups.map(\.unit) == ["persons", "persons", "persons"])
    #expect(result.rowsRead == 6)
    #expect(result.rowsMatched == 5)
  }

  @Test func everyAggregate() throws {
    let students = [Filter("metric", equals: "students")]
    func agg(_ a: Aggregate) throws -> [String: Double?] {
      values(try run(sample, Query(filters: students, groupBy: ["region"], aggregate: a)))
    }
    #expect(try agg(.mean) == ["A": 11.25, "B": 7, "C": 3])
    #expect(try agg(.min) == ["A": 10, "B": 7, "C": 3])
    #expect(try agg(.max) == ["A": 12.5, "B": 7, "C": 3])
    #expect(try agg(.count) == ["A": 2, "B": 1, "C": 1])
    let distinct = try run(sample, Query(groupBy: ["programme"], value: "region", aggregate: .countDistinct))
    #expect(values(distinct) == ["P": 2, "Q": 2, "Q, the second": 1])
  }

  @Test func anAllMissingGroupIsMissingNotZero() throws {
    let result = try run(header + "A,P,2025,m,,u\nA,P,2025,m,,u\nB,P,2025,m,0,u\n", Query(groupBy: ["region"]))
    #expect(result.groups.map(\.value) == [nil, 0])
  }

  @Test func filtersByMembershipExclusionAndRange() throws {
    let years = header + (2018...2026).map { "A,P,\($0),m,\($0 - 2000),u\n" }.joined() + "A,P,2024-Q1,m,100,u\n"
    #expect(try run(years, Query(filters: [Filter("period", from: "2020", to: "2024")])).groups[0].value == 20 + 21 + 22 + 23 + 24)
    #expect(try run(years, Query(filters: [Filter("period", from: "2025", to: nil)])).groups[0].value == 25 + 26 + 100)
    #expect(try run(years, Query(filters: [Filter("period", in: ["2019", "2021"])])).groups[0].value == 40)
    #expect(try run(years, Query(filters: [Filter("period", notIn: ["2024-Q1"])])).groups[0].value == (18...26).reduce(0, +).asDouble)
    #expect(try run(years, Query(filters: [Filter(parsing: "period=..2019")])).groups[0].value == 37)
    #expect(try run(years, Query(filters: [Filter(parsing: "period>=2026")])).groups[0].value == 126)
    #expect(throws: DataError.self) { try Filter(parsing: "no operator") }
  }

  @Test func groupsByExtraColumnsAndWithoutGrouping() throws {
    let text = "region,college,value\nA,No. 1,5\nA,No. 2,6\nB,No. 1,7\n"
    #expect(values(try run(text, Query(groupBy: ["college"]))) == ["No. 1": 12, "No. 2": 6])
    let all = try run(text, Query())
    #expect(all.groups.count == 1 && all.groups[0].value == 18 && all.groups[0].keys.isEmpty)
  }

  @Test func mixedUnitsInOneGroupIsAnErrorNamingBoth() {
    let error = runError(sample, Query(groupBy: ["region"]))
    #expect(error == .mixedUnits(group: "A", units: ["persons", "RUB"]))
    #expect(error?.description == "cannot combine values in different units in group A: persons and RUB")
  }

  @Test func compensatedSumsOfLargeAndManySmallValues() throws {
    let big = header + "A,P,2025,m,1e15,u\n" + String(repeating: "A,P,2025,m,0.1,u\n", count: 10)
    #expect(try run(big, Query()).groups[0].value == 1_000_000_000_000_001)
    let many = header + String(repeating: "A,P,2025,m,0.1,u\n", count: 100_000)
    #expect(try run(many, Query()).groups[0].value == 10_000)
  }

  // MARK: Malformed input, each with its location

  @Test func malformedInputIsLocated() {
    #expect(runError("") == .emptyFile(file: "t.csv"))
    #expect(runError("\u{FEFF}\n\n") == .emptyFile(file: "t.csv"))
    #expect(runError("region,period\nA,1\n") == .missingColumn(file: "t.csv", column: "value", header: ["region", "period"]))
    #expect(runError(header + "A,P,2025,m,1,u\nМосква,P,2025,m,много,u\n")
      == .invalidNumber(SourceLocation(file: "t.csv", line: 3, column: 17), column: "value", found: "много"))
    #expect(runError(header + "A,P,2025,m,NaN,u\n") == .nonFiniteNumber(SourceLocation(file: "t.csv", line: 2, column: 12), column: "value", found: "NaN"))
    #expect(runError(header + "A,P,2025,m,1e999,u\n") == .nonFiniteNumber(SourceLocation(file: "t.csv", line: 2, column: 12), column: "value", found: "1e999"))
    #expect(runError(header + "A,\"P,2025,m,1,u\nB,P,2025,m,2,u\n") == .unterminatedQuote(SourceLocation(file: "t.csv", line: 2, column: 3)))
    #expect(runError(header + "\"A\"x,P,2025,m,1,u\n") == .unexpectedQuote(SourceLocation(file: "t.csv", line: 2, column: 4)))
    #expect(runError(header + "A,P,2025,m,1\n") == .wrongFieldCount(SourceLocation(file: "t.csv", line: 2, column: 12), expected: 6, found: 5))
    #expect(runError(header + "A,P,2025,m,1,u,extra\n") == .wrongFieldCount(SourceLocation(file: "t.csv", line: 2, column: 16), expected: 6, found: 7))
    var bytes = Array((header + "A,P,2025,m,1,u\nB").utf8)
    bytes += [0xFF, 0xFE]
    bytes += Array(",P,2025,m,1,u\n".utf8)
    #expect(runError(bytes) == .invalidUTF8(SourceLocation(file: "t.csv", line: 3, column: 1)))
    #expect(runError("region,region,value\n") == .duplicateColumn(SourceLocation(file: "t.csv", line: 1, column: 8), column: "region"))
  }

  @Test func errorLinesCountQuotedLineBreaksAndCRLF() {
    let text = header.replacingOccurrences(of: "\n", with: "\r\n") + "\"Two\r\nlines\",P,2025,m,1,u\r\nB,P,2025,m,x,u\r\n"
    #expect(runError(text) == .invalidNumber(SourceLocation(file: "t.csv", line: 4, column: 12), column: "value", found: "x"))
  }

  @Test func unreadableFileSaysSo() {
    #expect(throws: DataError.unreadable(file: "/nonexistent/x.csv", reason: "no such file")) {
      try QueryEngine.run(Query(), files: ["/nonexistent/x.csv"])
    }
  }

  @Test func lenientModeSkipsCountsAndReportsBadRows() throws {
    let text = header + "A,P,2025,m,1,u\nA,P,2025,m,oops,u\nA,P,2025,m\n\"A\"x,P,2025,m,1,u\nB,P,2025,m,2,u\n"
    let result = try run(text, Query(groupBy: ["region"]), options: ReadOptions(format: .csv, lenient: true))
    #expect(values(result) == ["A": 1, "B": 2])
    #expect(result.rowsSkipped == 3)
    #expect(result.problems.map(\.description) == [
      "t.csv:3:12: expected a number in column “value”, found “oops”",
      "t.csv:4:10: expected 6 fields as in the header, found 4",
      "t.csv:5:4: expected a delimiter or the end of the line after a closing quote, found more text",
    ])
  }

  // MARK: Dialects

  @Test func decimalCommaWithGroupSpaces() throws {
    let text = "region;value\nA;1 600,5\nA;\"2\u{00A0}000,25\"\nA;3\u{202F}000\nB;-0,5\n"
    let result = try run(text, Query(groupBy: ["region"]), options: ReadOptions(format: .csv, decimalComma: true))
    #expect(values(result) == ["A": 6600.75, "B": -0.5])
    #expect(runError("region;value\nA;1.600\n", options: ReadOptions(format: .csv, decimalComma: true))
      == .invalidNumber(SourceLocation(file: "t.csv", line: 2, column: 3), column: "value", found: "1.600"))
  }

  @Test func columnMappingRenamesRussianHeaders() throws {
    let text = "Регион,Год,Значение\nМосква,2025,5\nМосква,2024,6\n"
    let options = ReadOptions(format: .csv, columnNames: ["Регион": "region", "Значение": "value"])
    #expect(values(try run(text, Query(groupBy: ["region"]), options: options)) == ["Москва": 11])
    let missing = ReadOptions(format: .csv, columnNames: ["Область": "region"])
    #expect(runError(text, Query(), options: missing) == .missingColumn(file: "t.csv", column: "Область", header: ["Регион", "Год", "Значение"]))
  }

  @Test func tabAndSemicolonAreDetected() throws {
    #expect(try run("region\tvalue\nA\t5\n", Query()).groups[0].value == 5)
    #expect(try run("region;value\nA;6\n", Query()).groups[0].value == 6)
  }

  // MARK: JSON

  @Test func jsonArraysAndLines() throws {
    let array = #"[{"region": "A", "value": 1.5, "year": 2025}, {"region": "B\u0301", "value": "2", "year": "2025"}, {"region": "A", "value": null}]"#
    let result = try QueryEngine.run(Query(groupBy: ["region"]), bytes: Array(array.utf8), name: "t.json")
    #expect(values(result) == ["A": 1.5, "B\u{301}": 2])
    let lines = "{\"region\":\"A\",\"value\":1}\n{\"value\":2,\"region\":\"A\",\"extra\":true}\n\n{\"region\":\"C\"}\n"
    let byYear = try QueryEngine.run(Query(groupBy: ["region"]), bytes: Array(lines.utf8), name: "t.jsonl")
    #expect(values(byYear) == ["A": 3, "C": nil])
  }

  @Test func malformedJSONIsLocated() {
    func error(_ text: String) -> String? {
      do {
        _ = try QueryEngine.run(Query(), bytes: Array(text.utf8), name: "t.json")
        return nil
      } catch {
        return error.description
      }
    }
    #expect(error("[{\"value\": 1},\n {\"value\": {\"nested\": 1}}]") == "t.json:2:12: expected a string, number, true, false or null (records must be flat), found “{\"nested”")
    #expect(error("[{\"value\": 1}") == "t.json:1:14: expected “,” or “]”, found the end of the input")
    #expect(error("[{\"value\": tru}]") == "t.json:1:12: expected a string, number, true, false or null, found “tru}]”")
    #expect(error("[{\"value\": \"x\"}]") == "t.json:1:12: expected a number in column “value”, found “x”")
    #expect(error("") == "t.json:1:1: expected a header row, found an empty file")
  }

  // MARK: Files, chunks and threads

  @Test func recordsAcrossChunkBoundariesAndThreadSplits() throws {
    // Quoted line breaks and escaped quotes everywhere, so splits land inside quoted fields.
    var text = header
    var expected: [String: Double] = [:]
    for i in 0..<3000 {
      let region = i % 7 == 0 ? "\"Line\nbreak \"\"\(i % 5)\"\"\"" : "R\(i % 5)"
      let name = i % 7 == 0 ? "Line\nbreak \"\(i % 5)\"" : "R\(i % 5)"
      text += "\(region),P,2025,m,\(i),u\(i % 3 == 0 ? "\r\n" : "\n")"
      expected[name, default: 0] += Double(i)
    }
    let path = try temporaryFile(text)
    defer { try? FileManager.default.removeItem(atPath: path) }
    for threads in [1, 2, 3, 5] {
      for chunk in [64, 1000, 1 << 20] {
        let result = try QueryEngine.run(Query(groupBy: ["region"]), files: [path], options: ReadOptions(threads: threads, chunkSize: chunk))
        #expect(result.rowsRead == 3000, "threads \(threads), chunk \(chunk)")
        #expect(Dictionary(uniqueKeysWithValues: result.groups.map { ($0.keys[0], $0.value!) }) == expected, "threads \(threads), chunk \(chunk)")
      }
    }
  }

  @Test func fieldsAfterTheLastOneReadAreCountedAndQuotesThereStillParse() throws {
    // The query reads region and value only; status and note are counted a word at a time.
    var text = "region,value,status,note\n"
    for i in 0..<500 {
      let note = i % 4 == 0 ? "\"a, \"\"quoted\"\"\nnote\"" : (i % 4 == 1 ? "" : "plain note number \(i)")
      text += "R\(i % 3),\(i),synthetic,\(note)\(i % 5 == 0 ? "\r\n" : "\n")"
    }
    for chunk in [64, 4096] {
      let result = try run(text, Query(groupBy: ["region"]), options: ReadOptions(format: .csv, chunkSize: chunk))
      #expect(result.rowsRead == 500)
      #expect(values(result) == ["R0": 41583, "R1": 41750, "R2": 41417])
    }
    #expect(runError(text + "R0,1,synthetic,note,extra\n")
      == .wrongFieldCount(SourceLocation(file: "t.csv", line: 627, column: 21), expected: 4, found: 5))
    #expect(runError(text + "R0,1,\"synthetic\"x,note\n") == .unexpectedQuote(SourceLocation(file: "t.csv", line: 627, column: 17)))
  }

  @Test func errorsInALaterThreadAreLocatedInTheWholeFile() throws {
    let text = header + String(repeating: "A,P,2025,m,1,u\n", count: 2000) + "A,P,2025,m,bad,u\n" + String(repeating: "A,P,2025,m,1,u\n", count: 10)
    let path = try temporaryFile(text)
    defer { try? FileManager.default.removeItem(atPath: path) }
    #expect(throws: DataError.invalidNumber(SourceLocation(file: path, line: 2002, column: 12), column: "value", found: "bad")) {
      try QueryEngine.run(Query(), files: [path], options: ReadOptions(threads: 2, chunkSize: 256))
    }
  }

  @Test func severalFilesAreOneTable() throws {
    let a = try temporaryFile(header + "A,P,2025,m,1,u\n")
    let b = try temporaryFile("region;value;unit\nA;2;u\nB;3;u\n")
    let c = try temporaryFile(#"[{"region": "B", "value": 4, "unit": "u"}]"#, suffix: ".json")
    defer { for p in [a, b, c] { try? FileManager.default.removeItem(atPath: p) } }
    let result = try QueryEngine.run(Query(groupBy: ["region"]), files: [a, b, c])
    #expect(values(result) == ["A": 3, "B": 7])
    #expect(result.rowsRead == 4)
  }

  @Test func manyDistinctKeysOutgrowThePackedKey() throws {
    // Four columns with thousands of values each need more than 64 bits of ids together.
    var text = "a,b,c,d,value\n"
    for i in 0..<5000 { text += "a\(i),b\(i),c\(i),d\(i % 3),1\n" }
    text += "a0,b0,c0,d0,1\n"
    let result = try run(text, Query(groupBy: ["a", "b", "c", "d"]))
    #expect(result.groups.count == 5000)
    #expect(result.groups[0].value == 2)
    #expect(result.groups.compactMap(\.value).reduce(0, +) == 5001)
  }
}

extension Int {
  fileprivate var asDouble: Double { Double(self) }
}
