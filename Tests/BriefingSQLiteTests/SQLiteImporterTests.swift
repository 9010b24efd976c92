import BriefingAnalytics
import Foundation
import Testing
@testable import BriefingSQLite

@Suite struct SQLiteImporterTests {
  @Test func importsEveryRowAndSaysSo() throws {
    let path = try temporaryFolder() + "/stats.sqlite"
    let summary = try SQLiteImporter().run(files: seedFiles, into: path)
    let expected = try QueryEngine.run(Query(aggregate: .count), files: seedFiles).rowsRead
    #expect(summary.rows == expected)
    #expect(summary.description == "imported \(expected) rows into table “metrics” of \(path)")
    let database = try SQLiteDatabase(path: path, mode: .readOnly(busyTimeout: 1000))
    let types = try database.prepare("SELECT name, type FROM pragma_table_info('metrics')", context: "test")
    var columns: [String: String] = [:]
    while try types.step() { columns[types.text(0)] = types.text(1) }
    #expect(columns["value"] == "REAL")
    #expect(columns["period"] == "TEXT")
    #expect(columns.count == 10)
  }

  @Test func anExistingTableNeedsReplace() throws {
    let path = try temporaryFolder() + "/stats.sqlite"
    _ = try SQLiteImporter().run(files: seedFiles, into: path)
    let refused = dataError { () throws(DataError) in _ = try SQLiteImporter().run(files: [seedFiles[1]], into: path) }
    #expect(refused?.description == "\(path): table “metrics” already exists (use --replace to overwrite it)")
    let summary = try SQLiteImporter(replace: true).run(files: [seedFiles[1]], into: path)
    let count = try SQLiteSource(path: path, table: "metrics", query: nil).aggregate(Query(aggregate: .count))
    #expect(count.rowsRead == summary.rows)
    #expect(summary.rows == 55)
  }

  @Test func anotherTableKeepsTheFirst() throws {
    let path = try temporaryFolder() + "/stats.sqlite"
    _ = try SQLiteImporter().run(files: [seedFiles[0]], into: path)
    _ = try SQLiteImporter(table: "documented").run(files: [seedFiles[1]], into: path)
    let database = try SQLiteDatabase(path: path, mode: .readOnly(busyTimeout: 1000))
    #expect(try database.tables(context: "test").map(\.name) == ["documented", "metrics"])
  }

  @Test func aBadNumberLeavesNoFile() throws {
    let folder = try temporaryFolder()
    let csv = try temporaryFile("region,value\nA,1\nB,1.2.3\n")
    let path = folder + "/stats.sqlite"
    let error = dataError { () throws(DataError) in _ = try SQLiteImporter().run(files: [csv], into: path) }
    #expect(error == .invalidNumber(SourceLocation(file: csv, line: 3, column: 3), column: "value", found: "1.2.3"))
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty)
  }

  @Test func aBadNumberLeavesAnExistingDatabaseAlone() throws {
    let folder = try temporaryFolder()
    let path = folder + "/stats.sqlite"
    _ = try SQLiteImporter().run(files: [seedFiles[1]], into: path)
    let before = try Data(contentsOf: URL(fileURLWithPath: path))
    let csv = try temporaryFile("region,value\nA,x\n")
    #expect(dataError { () throws(DataError) in _ = try SQLiteImporter(replace: true).run(files: [csv], into: path) } != nil)
    #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["stats.sqlite"])
  }

  @Test func aTargetInAMissingFolderIsNamed() throws {
    let path = try temporaryFolder() + "/absent/stats.sqlite"
    let error = dataError { () throws(DataError) in _ = try SQLiteImporter().run(files: [seedFiles[1]], into: path) }
    #expect(error?.description == "\(path): cannot open the database: unable to open database file")
  }

  @Test func aTargetThatIsNotAFileIsRefused() throws {
    let folder = try temporaryFolder()
    let error = dataError { () throws(DataError) in _ = try SQLiteImporter().run(files: seedFiles, into: folder) }
    #expect(error == .unwritable(file: folder, reason: "will not replace it: it is a folder"))
  }

  @Test func readingOptionsApply() throws {
    let csv = try temporaryFile("Регион;Значение;unit\nA;1 600,5;x\nB;;x\n")
    let path = try temporaryFolder() + "/stats.sqlite"
    let options = ReadOptions(decimalComma: true, columnNames: ["Регион": "region", "Значение": "value"])
    _ = try SQLiteImporter(options: options).run(files: [csv], into: path)
    let result = try SQLiteSource(path: path, table: "metrics", query: nil).aggregate(Query(groupBy: ["region"]))
    #expect(result.groups == [
      GroupedValue(keys: ["A"], value: 1600.5, count: 1, unit: "x"), GroupedValue(keys: ["B"], value: nil, count: 0, unit: "x"),
    ])
  }

  @Test func laterFilesMayAddOrLackColumns() throws {
    let first = try temporaryFile("region,value\nA,1\n", name: "a.csv")
    let second = try temporaryFile("value,region,unit\n2,B,x\n", name: "b.csv")
    let path = try temporaryFolder() + "/stats.sqlite"
    _ = try SQLiteImporter().run(files: [first, second], into: path)
    let result = try SQLiteSource(path: path, table: "metrics", query: nil).aggregate(Query(groupBy: ["region"]))
    #expect(result.groups == [
      GroupedValue(keys: ["A"], value: 1, count: 1, unit: ""), GroupedValue(keys: ["B"], value: 2, count: 1, unit: "x"),
    ])
  }
}
