import BriefingAnalytics
import Foundation
@testable import BriefingSQLite

let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// The seed files the comparisons read, in import order.
let seedFiles = ["seeds/panel.csv", "seeds/documented.csv"].map { packageRoot.appendingPathComponent($0).path }

/// A fresh empty folder for one test's files.
func temporaryFolder() throws -> String {
  let path = FileManager.default.temporaryDirectory.appendingPathComponent("briefing-sqlite-\(UUID().uuidString)").path
  try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  return path
}

/// Imports the seed files into table `metrics` of a new database and returns its path.
func importedSeeds() throws -> String {
  let path = try temporaryFolder() + "/stats.sqlite"
  _ = try SQLiteImporter(table: "metrics").run(files: seedFiles, into: path)
  return path
}

/// One import of the seed files shared by the tests that only read it.
let sharedSeeds = Result { try importedSeeds() }

/// Writes a database from SQL statements (values inline: test fixtures only).
func makeDatabase(_ statements: [String]) throws -> String {
  let path = try temporaryFolder() + "/made.sqlite"
  let database = try SQLiteDatabase(path: path, mode: .readWriteCreate)
  for sql in statements { try database.execute(sql, context: "fixture") }
  return path
}

/// The error `body` throws, or nil.
func dataError(_ body: () throws(DataError) -> Void) -> DataError? {
  do {
    try body()
    return nil
  } catch {
    return error
  }
}

/// Writes a temporary text file and returns its path.
func temporaryFile(_ contents: String, name: String = "t.csv") throws -> String {
  let path = try temporaryFolder() + "/" + name
  try contents.write(toFile: path, atomically: true, encoding: .utf8)
  return path
}
