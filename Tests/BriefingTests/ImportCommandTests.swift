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
}
