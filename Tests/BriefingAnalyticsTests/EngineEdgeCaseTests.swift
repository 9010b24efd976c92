import BriefingAnalytics
import Foundation
import Testing

/// Inputs a review found to hang the engine, read memory it did not own, print invalid JSON,
/// invent rows or point at the wrong place: each is pinned here.
@Suite struct EngineEdgeCaseTests {
  private func run(_ text: String, _ query: Query, options: ReadOptions = ReadOptions(format: .csv)) throws(DataError) -> QueryResult {
    try QueryEngine.run(query, bytes: Array(text.utf8), name: "t.csv", options: options)
  }

  private func error(_ body: () throws(DataError) -> Void) -> DataError? {
    do {
      try body()
      return nil
    } catch {
      return error
    }
  }

  private func temporaryFolder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("briefing-edge-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  // MARK: - Group table

  /// Filtered rows still get interned ids, so a passing key can exceed every stored id in two
  /// columns at once; sizing the packed key from stored ids alone swapped bits between the two
  /// forever.
  @Test(.timeLimit(.minutes(1))) func aKeyBeyondEveryStoredIDInTwoColumnsIsGrouped() throws {
    let columns = ["a", "b", "c", "d", "e", "f", "g", "h"]
    var text = (columns + ["value"]).joined(separator: ",") + "\n"
    for i in 0..<300 { text += "\(i),0,0,0,0,0,0,0,1\n" }
    text += "999,1,0,0,0,0,0,0,2\n999,7,0,0,0,0,0,0,4\n"
    let query = Query(filters: [try Filter(parsing: "a>=900"), try Filter(parsing: "b>=5")], groupBy: columns)
    let result = try run(text, query)
    #expect(result.groups.map(\.keys) == [["999", "7", "0", "0", "0", "0", "0", "0"]])
    #expect(result.groups.map(\.value) == [4])
  }

  @Test func manyKeyColumnsWithManyValuesFallBackToAWideTableAndStayExact() throws {
    // 8 columns of 300 values each need 9 bits apiece: 72 bits do not pack into 64.
    let columns = ["a", "b", "c", "d", "e", "f", "g", "h"]
    var text = (columns + ["value"]).joined(separator: ",") + "\n"
    for i in 0..<600 { text += Array(repeating: "\(i % 300)", count: 8).joined(separator: ",") + ",\(i)\n" }
    let result = try run(text, Query(groupBy: columns))
    #expect(result.groups.count == 300)
    #expect(result.groups[7].value == Double(7 + 307))
  }

  // MARK: - Several files

  @Test func filesWithAndWithoutAUnitColumnAreCheckedForMixedUnits() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let withUnit = folder.appendingPathComponent("with.csv").path
    let without = folder.appendingPathComponent("without.csv").path
    let alsoWithout = folder.appendingPathComponent("also-without.csv").path
    try "region,value,unit\nA,1,persons\n".write(toFile: withUnit, atomically: true, encoding: .utf8)
    try "region,value\nA,2\nB,3\n".write(toFile: without, atomically: true, encoding: .utf8)
    try "value,region\n4,B\n".write(toFile: alsoWithout, atomically: true, encoding: .utf8)
    let query = Query(groupBy: ["region"])
    let expected = DataError.mixedUnits(group: "A", units: ["persons", ""])
    #expect(error { () throws(DataError) in _ = try QueryEngine.run(query, files: [withUnit, without]) } == expected)
    #expect(error { () throws(DataError) in _ = try QueryEngine.run(query, files: [without, withUnit]) } == .mixedUnits(group: "A", units: ["", "persons"]))
    #expect(expected.description.contains("persons and (no unit)"))
    let plain = try QueryEngine.run(query, files: [without, alsoWithout])
    #expect(plain.groups.map(\.value) == [2, 7])
    #expect(plain.groups.map(\.unit) == ["", ""])
  }

  @Test func aFilterOnTheUnitColumnStillNeedsTheColumn() {
    let failure = error { () throws(DataError) in _ = try run("region,value\nA,1\n", Query(filters: [Filter("unit", equals: "RUB")])) }
    #expect(failure == .missingColumn(file: "t.csv", column: "unit", header: ["region", "value"]))
  }

  // MARK: - Numbers

  @Test func aSumBeyondTheLargestDoubleIsAnErrorNotNaN() throws {
    let failure = error { () throws(DataError) in _ = try run("region,value\nA,1e308\nA,1e308\nB,1\n", Query(groupBy: ["region"])) }
    #expect(failure == .overflow(group: "A"))
    #expect(failure?.description.contains("1.8e308") == true)
    let negative = error { () throws(DataError) in _ = try run("region,value\nA,-1e308\nA,-1e308\n", Query(aggregate: .mean)) }
    #expect(negative == .overflow(group: "(all rows)"))
    // Maximum and count are still fine.
    #expect(try run("region,value\nA,1e308\nA,1e308\n", Query(aggregate: .max)).groups[0].value == 1e308)
  }

  @Test func compensatedSumKeepsInfinityInsteadOfNaN() {
    var sum = CompensatedSum()
    sum.add(1e308)
    sum.add(1e308)
    sum.add(1)
    #expect(sum.value == .infinity)
  }

  // MARK: - Locations and lenient recovery

  @Test func aQuoteInsideAnUnquotedFieldDoesNotShiftTheReportedColumn() {
    let failure = error { () throws(DataError) in _ = try run("g,h,value\n5\"x,h,abc\n", Query(groupBy: ["g"])) }
    #expect(failure == .invalidNumber(SourceLocation(file: "t.csv", line: 2, column: 7), column: "value", found: "abc"))
    let escaped = error { () throws(DataError) in _ = try run("g,h,value\n\"a\"\"b\",\"c,d\",abc\n", Query(groupBy: ["g"])) }
    #expect(escaped == .invalidNumber(SourceLocation(file: "t.csv", line: 2, column: 14), column: "value", found: "abc"))
  }

  @Test func aQuoteLeftOpenIsReportedWhereItOpensNotWhereTheNextQuoteCloses() {
    let text = "g,h,value\nA,\"h,1\nB,h,2\nC,\"x\"y,3\n"
    let failure = error { () throws(DataError) in _ = try run(text, Query(groupBy: ["g"])) }
    let expected = DataError.quoteClosedOnLaterLine(
      SourceLocation(file: "t.csv", line: 2, column: 3), textAfterQuote: SourceLocation(file: "t.csv", line: 4, column: 4))
    #expect(failure == expected)
    #expect(expected.description.hasPrefix("t.csv:2:3: a quoted field starts here and runs over a line break to 4:4"))
  }

  @Test func lenientSkipOfABadRecordHonoursItsQuotedLineBreaks() throws {
    let text = "region,value\n\"A\"x,\"line\nbreak\",1\nB,2\n"
    let result = try run(text, Query(groupBy: ["region"]), options: ReadOptions(format: .csv, lenient: true))
    #expect(result.groups.map(\.keys) == [["B"]])
    #expect(result.rowsSkipped == 1)
    #expect(result.rowsRead == 2)
    #expect(result.problems == [.unexpectedQuote(SourceLocation(file: "t.csv", line: 2, column: 4))])
  }

  @Test func rowsTheScannerRefusesCountAsRead() throws {
    let text = "region,value\nA,1\n\"B\"x,2\nC,3\n\"D,4\n"
    let result = try run(text, Query(), options: ReadOptions(format: .csv, lenient: true))
    #expect(result.rowsRead == 4)
    #expect(result.rowsMatched == 2)
    #expect(result.rowsSkipped == 2)
  }

  // MARK: - Column mapping

  @Test func aMappingFromAColumnTheFileLacksIsAnError() {
    let options = ReadOptions(format: .csv, columnNames: ["nope": "value"])
    let csv = error { () throws(DataError) in _ = try run("region,value\nA,1\n", Query(), options: options) }
    #expect(csv == .missingColumn(file: "t.csv", column: "nope", header: ["region", "value"]))
    var json = options
    json.format = .json
    let fromJSON = error { () throws(DataError) in _ = try run("{\"region\": \"A\", \"value\": 1}\n", Query(), options: json) }
    #expect(fromJSON == .missingColumn(file: "t.csv", column: "nope", header: ["region", "value"]))
  }

  // MARK: - JSON

  @Test func aKeyRepeatedInARecordIsAnError() {
    let json = ReadOptions(format: .json)
    let first = error { () throws(DataError) in _ = try run("{\"region\": \"A\", \"value\": 1, \"value\": 2}\n", Query(), options: json) }
    #expect(first == .duplicateKey(SourceLocation(file: "t.csv", line: 1, column: 29), key: "value"))
    let later = error { () throws(DataError) in
      _ = try run("{\"region\": \"A\", \"value\": 1}\n{\"value\": 2, \"region\": \"B\", \"value\": 3}\n", Query(), options: json)
    }
    #expect(later == .duplicateKey(SourceLocation(file: "t.csv", line: 2, column: 29), key: "value"))
    var mapped = json
    mapped.columnNames = ["Регион": "region"]
    let twice = error { () throws(DataError) in _ = try run("{\"region\": \"A\", \"Регион\": \"B\", \"value\": 1}\n", Query(), options: mapped) }
    #expect(twice == .duplicateKey(SourceLocation(file: "t.csv", line: 1, column: 17), key: "region"))
  }

  @Test func jsonNumberLiteralsReadWithAPointEvenWhenStringsUseADecimalComma() throws {
    let text = "{\"region\": \"A\", \"value\": 1.5}\n{\"region\": \"A\", \"value\": \"1 600,25\"}\n{\"region\": \"A\", \"value\": 2.5e1}\n"
    let result = try run(text, Query(), options: ReadOptions(format: .json, decimalComma: true))
    #expect(result.groups.map(\.value) == [1.5 + 1600.25 + 25])
  }

  @Test func fieldLocationsAreRightWhenJSONKeysComeInAnotherOrder() throws {
    let text = """
      [
        {"region": "A", "value": 1},
        {
          "value": 2,
          "region": "B"
        }
      ]
      """
    var rows: [TableRow] = []
    try TableReader.read(bytes: Array(text.utf8), name: "t.json", options: ReadOptions(format: .json), header: { _ in }) { rows.append($0) }
    #expect(rows.map(\.line) == [2, 3])
    #expect(rows[1].locations.map(\.line) == [5, 4])
    #expect(rows[1].locations.map(\.column) == [15, 14])
    #expect(rows[0].locations.map(\.column) == [14, 28])
  }

  // MARK: - Pipes

  @Test func aPipeIsReadToItsEnd() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let fifo = folder.appendingPathComponent("pipe.csv").path
    #expect(mkfifo(fifo, 0o600) == 0)
    var text = "region,value\n"
    for i in 0..<50_000 { text += "R\(i % 7),\(i)\n" }
    let writer = Thread { [text] in
      let handle = FileHandle(forWritingAtPath: fifo)!
      handle.write(Data(text.utf8))
      try? handle.close()
    }
    writer.start()
    let result = try QueryEngine.run(Query(groupBy: ["region"]), files: [fifo], options: ReadOptions(format: .csv, threads: 2))
    #expect(result.rowsRead == 50_000)
    #expect(result.groups.map(\.value).reduce(0) { $0 + ($1 ?? 0) } == Double(49_999 * 50_000 / 2))
  }
}
