import Foundation
import Testing

/// `briefing import` as a user runs it.
@Suite struct ImportCommandTests {
  @Test func importsThenRefusesThenReplaces() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try "Регион;Значение;unit\nA;1 600,5;x\nB;;x\n".write(to: folder.appendingPathComponent("d.csv"), atomically: true, encoding: .utf8)
    let arguments = ["import", "d.csv", "--into", "stats.sqlite", "--decimal-comma", "--map", "Регион=region", "--map", "Значение=value"]
    let first = try run(briefingExecutable(), arguments, in: folder)
    #expect(first.status == 0, "\(first.error)")
    #expect(first.output == "imported 2 rows into table “metrics” of stats.sqlite\n")
    let again = try run(briefingExecutable(), arguments, in: folder)
    #expect(again.status == 65)
    #expect(again.error == "error: stats.sqlite: table “metrics” already exists (use --replace to overwrite it)\n")
    let replaced = try run(briefingExecutable(), arguments + ["--replace", "--table", "metrics"], in: folder)
    #expect(replaced.status == 0, "\(replaced.error)")
  }

  @Test func aBadNumberWritesNothing() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try "region,value\nA,1\nB,two\n".write(to: folder.appendingPathComponent("d.csv"), atomically: true, encoding: .utf8)
    let result = try run(briefingExecutable(), ["import", "d.csv", "--into", "stats.sqlite"], in: folder)
    #expect(result.status == 65)
    #expect(result.error == "error: d.csv:3:3: expected a number in column “value”, found “two”\n")
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["d.csv"])
  }

  @Test func aDatabaseImportedFromTheSeedsAnswersAsTheSeedsDo() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let seeds = ["panel.csv", "documented.csv"].map { projectRoot.appendingPathComponent("seeds/\($0)").path }
    let imported = try run(briefingExecutable(), ["import"] + seeds + ["--into", "stats.sqlite"], in: folder)
    #expect(imported.status == 0, "\(imported.error)")

    // briefing query: the database and the files it came from give the same rows.
    let question = ["--metric", "funding", "--where", "status=synthetic", "--group-by", "region", "--with", "share,rank", "--format", "csv"]
    let fromFiles = try run(briefingExecutable(), ["query"] + seeds + question)
    let fromDatabase = try run(briefingExecutable(), ["query", "stats.sqlite", "--table", "metrics"] + question, in: folder)
    #expect(fromFiles.status == 0 && fromDatabase.status == 0, "\(fromFiles.error) \(fromDatabase.error)")
    #expect(fromDatabase.output == fromFiles.output)
    #expect(fromFiles.output.split(separator: "\n").count == 90)

    // A layout reading the database prints the same briefing as the default one reading the files.
    let layout = try String(contentsOf: projectRoot.appendingPathComponent("layouts/regional-overview.yaml"), encoding: .utf8)
      .replacingOccurrences(of: "data: [../seeds/panel.csv, ../seeds/documented.csv]", with: "data: [{ path: stats.sqlite, table: metrics }]")
      .replacingOccurrences(of: "../seeds/", with: projectRoot.appendingPathComponent("seeds").path + "/")
    #expect(layout.contains("path: stats.sqlite"))
    try layout.write(to: folder.appendingPathComponent("regional-overview.yaml"), atomically: true, encoding: .utf8)
    let fromSQL = try run(briefingExecutable(), ["build", "regional-overview.yaml", "--out", "sql"], in: folder)
    let fromCSV = try run(briefingExecutable(), ["build", projectRoot.appendingPathComponent("layouts/regional-overview.yaml").path, "--out", folder.appendingPathComponent("csv").path])
    #expect(fromSQL.status == 0 && fromCSV.status == 0, "\(fromSQL.error) \(fromCSV.error)")
    let sqlText = try tool("pdftotext", ["-layout", folder.appendingPathComponent("sql/regional-overview.pdf").path, "-"]).output
    let csvText = try tool("pdftotext", ["-layout", folder.appendingPathComponent("csv/regional-overview.pdf").path, "-"]).output
    #expect(sqlText == csvText)
    #expect(sqlText.contains("623"))

    // A typo in a layout reading the database is found as it is for files: at its key, with the
    // nearest column.
    try "title: T\nlanguage: en\ndata: [{ path: stats.sqlite, table: metrics }]\nblocks:\n  - table: { query: { metric: funding, by: regoin } }\n"
      .write(to: folder.appendingPathComponent("typo.yaml"), atomically: true, encoding: .utf8)
    let typo = try run(briefingExecutable(), ["build", "typo.yaml", "--out", "typo"], in: folder)
    #expect(typo.status == 65)
    #expect(typo.error.contains("typo.yaml:5:44: table 1: the data has no column “regoin” (did you mean “region”?)"), "\(typo.error)")
  }

  @Test func aBrokenDatabaseIsAClearError() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 37) }).write(to: folder.appendingPathComponent("broken.sqlite"))
    let result = try run(briefingExecutable(), ["query", "broken.sqlite", "--group-by", "region"], in: folder)
    #expect(result.status == 65)
    #expect(result.error.contains("broken.sqlite") && result.error.contains("not a database"), "\(result.error)")
    #expect(result.output.isEmpty)
    try "title: T\nlanguage: en\ndata: [{ path: broken.sqlite, table: metrics }]\nblocks:\n  - table: { query: { metric: m, by: region } }\n"
      .write(to: folder.appendingPathComponent("l.yaml"), atomically: true, encoding: .utf8)
    let build = try run(briefingExecutable(), ["build", "l.yaml", "--out", "out"], in: folder)
    #expect(build.status == 65)
    #expect(build.error.contains("broken.sqlite") && build.error.contains("not a database"), "\(build.error)")
    #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("out/l.pdf").path))
  }
}
