import BriefingAnalytics
import Foundation
import Testing
@testable import BriefingSQLite

/// Queries whose answers from an imported database must equal the file engine's on the CSV files.
private let comparedQueries: [Query] = [
  Query(filters: [Filter("metric", equals: "funding"), Filter("status", equals: "synthetic")], groupBy: ["region"]),
  Query(filters: [Filter("metric", equals: "students_trained")], groupBy: ["region", "period"], aggregate: .mean),
  Query(filters: [Filter("metric", equals: "graduates")], groupBy: ["programme"], aggregate: .min),
  Query(filters: [Filter("metric", equals: "graduates")], groupBy: ["programme", "region"], aggregate: .max),
  Query(groupBy: ["metric"], aggregate: .count),
  Query(groupBy: ["programme", "period"], aggregate: .count),
  Query(filters: [Filter("metric", equals: "colleges")], aggregate: .countDistinct),
  Query(groupBy: ["programme"], value: "region", aggregate: .countDistinct),
  Query(filters: [Filter("metric", in: ["schools", "colleges"])], groupBy: ["metric", "period"]),
  Query(filters: [Filter("metric", equals: "jobs_created"), Filter("region", notIn: ["Altai Krai", "Republic of Tatarstan"])], groupBy: ["period"]),
  Query(filters: [Filter("metric", equals: "funding"), Filter("period", from: "2020", to: "2023")], groupBy: ["period", "programme"]),
  Query(filters: [Filter("metric", equals: "funding"), Filter("period", from: "2024", to: nil)], groupBy: ["region"], aggregate: .max),
  Query(filters: [Filter("metric", equals: "funding"), Filter("region", notIn: ["Chelyabinsk Oblast"]), Filter("period", from: "2024", to: nil)], groupBy: ["region"], aggregate: .mean),
  Query(filters: [Filter("metric", equals: "funding"), Filter("region", from: "M", to: "S")], groupBy: ["region"]),
  Query(filters: [Filter("metric", equals: "private_investment"), Filter("status", equals: "actual")], groupBy: ["programme"]),
  Query(filters: [Filter("metric", equals: "enterprises_participating"), Filter("status", equals: "actual")], groupBy: ["programme"], aggregate: .max),
  Query(filters: [Filter("metric", equals: "nothing at all")], groupBy: ["region"]),
  Query(filters: [Filter("metric", equals: "students_trained")]),
]

@Suite struct SQLiteSourceTests {
  @Test(arguments: comparedQueries)
  func agreesWithTheFileEngine(_ query: Query) throws {
    let database = try sharedSeeds.get()
    let expected = try QueryEngine.run(query, files: seedFiles)
    let found = try SQLiteSource(path: database, table: "metrics", query: nil).aggregate(query)
    // Both read the rows in file order, so even the order of first appearance agrees.
    #expect(found.groups.map(\.keys) == expected.groups.map(\.keys))
    #expect(found.groups.map(\.value) == expected.groups.map(\.value))
    #expect(found.groups.map(\.count) == expected.groups.map(\.count))
    #expect(found.groups.map(\.unit) == expected.groups.map(\.unit))
    #expect(found.groups.map(\.qualifier) == expected.groups.map(\.qualifier))
    #expect(found.columns == expected.columns)
    #expect(found.rowsRead == expected.rowsRead)
    #expect(found.rowsMatched == expected.rowsMatched)
  }

  @Test func theBoundsOfARangeAreNotAdded() throws {
    let database = try sharedSeeds.get()
    let filters = [Filter("metric", equals: "funding"), Filter("status", equals: "plan")]
    let expected = dataError { () throws(DataError) in _ = try QueryEngine.run(Query(filters: filters, groupBy: ["region"]), files: seedFiles) }
    let found = dataError { () throws(DataError) in
      _ = try SQLiteSource(path: database, table: "metrics", query: nil).aggregate(Query(filters: filters, groupBy: ["region"]))
    }
    #expect(found == .rangeBoundsCombined(group: "Chelyabinsk Oblast"))
    #expect(found == expected)
  }

  @Test func mixedUnitsAreTheSameError() throws {
    let database = try sharedSeeds.get()
    let query = Query(groupBy: ["region"])
    let expected = dataError { () throws(DataError) in _ = try QueryEngine.run(query, files: seedFiles) }
    let found = dataError { () throws(DataError) in _ = try SQLiteSource(path: database, table: "metrics", query: nil).aggregate(query) }
    #expect(expected != nil)
    #expect(found == expected)
  }

  @Test func qualifiersFollowTheCombiningRules() throws {
    let database = try sharedSeeds.get()
    let filters = [Filter("metric", equals: "enterprises_participating"), Filter("status", equals: "actual")]
    let source = SQLiteSource(path: database, table: "metrics", query: nil)
    for aggregate in [Aggregate.sum, .min, .max] {
      let found = try source.aggregate(Query(filters: filters, groupBy: ["programme"], aggregate: aggregate))
      let expected = try QueryEngine.run(Query(filters: filters, groupBy: ["programme"], aggregate: aggregate), files: seedFiles).groups
      #expect(found.groups.map(\.keys) == expected.map(\.keys))
      #expect(found.groups.map(\.value) == expected.map(\.value))
      #expect(found.groups.map(\.qualifier) == expected.map(\.qualifier))
    }
    #expect(try source.aggregate(Query(filters: filters, groupBy: ["programme"])).groups.contains { !$0.qualifier.isEmpty })
  }

  @Test func runAppliesComparisonAndDerivations() throws {
    let database = try sharedSeeds.get()
    let query = Query(
      filters: [Filter("metric", equals: "students_trained"), Filter("period", equals: "2024")], groupBy: ["programme"],
      comparison: Comparison(dimension: "period", value: "2023"))
    let found = try SQLiteSource(path: database, table: "metrics", query: nil).run(query)
    let expected = try FileSource(files: seedFiles).run(query)
    #expect(found.rows == expected.rows)
  }

  @Test func aQuerySourceReadsItsRows() throws {
    let database = try sharedSeeds.get()
    let source = SQLiteSource(
      path: database, table: nil, query: "SELECT region AS area, metric, value, unit FROM metrics WHERE period = '2024' AND status = 'synthetic'; ",
      columnNames: ["area": "region"])
    let query = Query(filters: [Filter("metric", equals: "funding")], groupBy: ["region"])
    var withPeriod = query
    withPeriod.filters.append(Filter("period", equals: "2024"))
    // The documented rows carry a range of funding whose bounds must not be added.
    withPeriod.filters.append(Filter("status", equals: "synthetic"))
    let expected = try QueryEngine.run(withPeriod, files: seedFiles)
    let found = try source.aggregate(query)
    #expect(found.groups == expected.groups)
    let regions = try QueryEngine.run(
      Query(filters: [Filter("period", equals: "2024"), Filter("status", equals: "synthetic")], groupBy: ["region"], aggregate: .count), files: seedFiles)
    #expect(try source.values(of: "region") == regions.groups.map { $0.keys[0] })
  }

  @Test func valuesComeInOrderOfFirstAppearance() throws {
    let database = try sharedSeeds.get()
    let values = try SQLiteSource(path: database, table: "metrics", query: nil).values(of: "metric")
    let observations = try seedFiles.flatMap { (file) throws(DataError) in try Dataset.load(file).observations }
    #expect(values == Dataset(observations: observations).values(of: "metric"))
  }

  @Test func integerKeysReadAsText() throws {
    let path = try makeDatabase([
      "CREATE TABLE t (period INTEGER, value, unit TEXT)",
      "INSERT INTO t VALUES (2025, 1, 'x'), (2024, 2.5, 'x'), (2025, '3', 'x'), (2019, ' ', 'x'), (NULL, NULL, 'x')",
    ])
    let source = SQLiteSource(path: path, table: "t", query: nil)
    let result = try source.aggregate(Query(filters: [Filter("period", from: "2020", to: "2025")], groupBy: ["period"]))
    #expect(result.groups == [
      GroupedValue(keys: ["2025"], value: 4, count: 2, unit: "x"), GroupedValue(keys: ["2024"], value: 2.5, count: 1, unit: "x"),
    ])
    #expect(result.rowsRead == 5)
    #expect(result.rowsMatched == 3)
    let all = try source.aggregate(Query(groupBy: ["period"], aggregate: .count))
    #expect(all.groups.map(\.keys) == [["2025"], ["2024"], ["2019"], [""]])
    #expect(try source.values(of: "period") == ["2025", "2024", "2019", ""])
  }

  @Test func compensatedSumsAgreeWithTheEngine() throws {
    let count = 10_000
    let path = try makeDatabase(["CREATE TABLE t (value REAL)", "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < \(count)) INSERT INTO t SELECT 0.1 FROM n"])
    let csv = "value\n" + String(repeating: "0.1\n", count: count)
    let expected = try QueryEngine.run(Query(), bytes: Array(csv.utf8), name: "t.csv", options: ReadOptions(format: .csv))
    let found = try SQLiteSource(path: path, table: "t", query: nil).aggregate(Query())
    #expect(found.groups.map(\.value) == expected.groups.map(\.value))
  }

  // MARK: - Errors

  @Test func aMissingTableNamesTheTables() throws {
    let database = try sharedSeeds.get()
    let error = dataError { () throws(DataError) in _ = try SQLiteSource(path: database, table: "metrix", query: nil).aggregate(Query()) }
    #expect(error?.description == "\(database): table “metrix” not found (tables: metrics)")
  }

  @Test func aMissingColumnNamesTableAndColumns() throws {
    let path = try makeDatabase(["CREATE TABLE t (region TEXT, value REAL)"])
    let error = dataError { () throws(DataError) in
      _ = try SQLiteSource(path: path, table: "t", query: nil).aggregate(Query(groupBy: ["district"]))
    }
    #expect(error?.description == "\(path): table “t” has no column “district” (columns: “region”, “value”)")
  }

  @Test func aWordInTheValueColumnNamesItsRow() throws {
    let path = try makeDatabase([
      "CREATE TABLE t (region TEXT, value)", "INSERT INTO t VALUES ('A', 12), ('A', '12.5'), ('B', 'twelve')",
    ])
    let source = SQLiteSource(path: path, table: "t", query: nil)
    let error = dataError { () throws(DataError) in _ = try source.aggregate(Query(groupBy: ["region"])) }
    #expect(error?.description == "\(path): table “t”, column “value”, rowid 3: expected a number, found “twelve”")
    // A count takes any text.
    #expect(try source.aggregate(Query(groupBy: ["region"], aggregate: .count)).groups.map(\.value) == [2, 1])
  }

  @Test func numbersWrittenAsTextAreRead() throws {
    let path = try makeDatabase(["CREATE TABLE t (region TEXT, value)", "INSERT INTO t VALUES ('A', 12), ('A', '12.5'), ('A', '')"])
    let result = try SQLiteSource(path: path, table: "t", query: nil).aggregate(Query(groupBy: ["region"]))
    #expect(result.groups == [GroupedValue(keys: ["A"], value: 24.5, count: 2, unit: "")])
  }

  @Test func aLockedDatabaseSaysSo() throws {
    let database = try importedSeeds()
    let writer = try SQLiteDatabase(path: database, mode: .readWriteCreate)
    try writer.execute("BEGIN EXCLUSIVE", context: "test")
    var source = SQLiteSource(path: database, table: "metrics", query: nil)
    source.busyTimeout = 50
    let error = dataError { () throws(DataError) in _ = try source.aggregate(Query()) }
    #expect(error?.description == "\(database): table “metrics”: database is locked")
    try writer.execute("ROLLBACK", context: "test")
    #expect(try source.aggregate(Query(aggregate: .count)).groups.count == 1)
  }

  @Test func aFileThatIsNotADatabaseSaysSo() throws {
    let path = try temporaryFolder() + "/random.sqlite"
    var generator = SystemRandomNumberGenerator()
    let bytes = (0..<4096).map { _ in UInt8.random(in: 0...255, using: &generator) }
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    let error = dataError { () throws(DataError) in _ = try SQLiteSource(path: path, table: "metrics", query: nil).aggregate(Query()) }
    #expect(error?.description == "\(path): table “metrics”: file is not a database")
  }

  @Test func aMissingFileSaysSo() throws {
    let path = try temporaryFolder() + "/absent.sqlite"
    let error = dataError { () throws(DataError) in _ = try SQLiteSource(path: path, table: "metrics", query: nil).aggregate(Query()) }
    #expect(error?.description == "\(path): cannot open the database: no such file")
    #expect(!FileManager.default.fileExists(atPath: path))
  }

  @Test func anSQLErrorInAQueryIsReported() throws {
    let database = try sharedSeeds.get()
    let error = dataError { () throws(DataError) in
      _ = try SQLiteSource(path: database, table: nil, query: "SELECT * FROM metrcs").aggregate(Query())
    }
    #expect(error?.description == "\(database): query: no such table: metrcs")
    let both = dataError { () throws(DataError) in
      _ = try SQLiteSource(path: database, table: "metrics", query: "SELECT 1").aggregate(Query())
    }
    #expect(both?.description.contains("not both") == true)
  }

  @Test func aQueryCannotWrite() throws {
    let database = try sharedSeeds.get()
    let error = dataError { () throws(DataError) in
      _ = try SQLiteSource(path: database, table: nil, query: "DELETE FROM metrics").aggregate(Query())
    }
    #expect(error != nil)
    #expect(try SQLiteSource(path: database, table: "metrics", query: nil).aggregate(Query(aggregate: .count)).rowsRead > 7000)
  }

  @Test func valuesAreBoundNotWritten() throws {
    let database = try sharedSeeds.get()
    let source = SQLiteSource(path: database, table: "metrics", query: nil)
    let result = try source.aggregate(Query(filters: [Filter("region", equals: "x' OR '1'='1")], groupBy: ["region"]))
    #expect(result.groups.isEmpty)
    let quoted = dataError { () throws(DataError) in _ = try source.aggregate(Query(groupBy: ["re\"gion"])) }
    #expect(quoted?.description.contains("has no column “re\"gion”") == true)
  }
}
