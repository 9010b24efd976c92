import BriefingAnalytics
import Foundation
import Testing

/// The in-memory table layouts query: loaded once from CSV or JSON, with the file engine's
/// errors (file, line, column) and answers.
@Suite struct MemoryTableTests {
  private func files(_ contents: [String: String]) throws -> (folder: URL, paths: [String]) {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("briefing-memory-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    var paths: [String] = []
    for (name, text) in contents.sorted(by: { $0.key < $1.key }) {
      let url = folder.appendingPathComponent(name)
      try Data(text.utf8).write(to: url)
      paths.append(url.path)
    }
    return (folder, paths)
  }

  private func failure(_ contents: [String: String], options: ReadOptions = ReadOptions()) throws -> String {
    let (folder, paths) = try files(contents)
    defer { try? FileManager.default.removeItem(at: folder) }
    do {
      let table = try MemoryTable(files: paths, options: options)
      _ = try table.aggregate(Query(groupBy: ["region"]))
      return ""
    } catch {
      return "\(error)".replacingOccurrences(of: folder.path + "/", with: "")
    }
  }

  @Test func errorsNameFileLineAndColumn() throws {
    #expect(try failure(["a.csv": "region,value,unit\nA,1,x\nB,two,x\n"]) == "a.csv:3:3: expected a number in column “value”, found “two”")
    #expect(try failure(["a.csv": "\u{FEFF}region,value\nA,1\nB,2,3\n"]) == "a.csv:3:5: expected 2 fields as in the header, found 3")
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("briefing-memory-\(UUID().uuidString).csv")
    defer { try? FileManager.default.removeItem(at: folder) }
    try Data(Array("region,value\nA,1\n".utf8) + [0xFF] + Array("B,2\n".utf8)).write(to: folder)
    #expect(throws: DataError.invalidUTF8(SourceLocation(file: folder.path, line: 3, column: 1))) { try MemoryTable(files: [folder.path]) }
    #expect(try failure(["a.json": #"[{"region": "A", "value": 1}, {"region": "B", "value": "x"}]"#]).contains("a.json:1:"))
  }

  @Test func filesWithDifferentColumnsAreOneTable() throws {
    let (folder, paths) = try files(["a.csv": "region,value,unit\nA,1,x\nB,2,x\n", "b.json": #"[{"region": "A", "value": 4, "programme": "P"}]"#])
    defer { try? FileManager.default.removeItem(at: folder) }
    let table = try MemoryTable(files: paths)
    #expect(table.rowCount == 3)
    #expect(table.columns() == ["region", "value", "unit", "programme"])
    // The CSV rows have no programme; the JSON record has no unit.
    #expect(try table.values(of: "programme") == ["", "P"])
    let groups = try table.aggregate(Query(groupBy: ["programme"], aggregate: .count)).groups
    #expect(groups.map(\.keys) == [[""], ["P"]] && groups.map(\.value) == [2, 1])
  }

  @Test func lenientLoadingSkipsBadRowsAndKeepsNoTraceOfThem() throws {
    let (folder, paths) = try files(["a.csv": "region,value\nA,1\nQ,2,extra\nB,3\n"])
    defer { try? FileManager.default.removeItem(at: folder) }
    let table = try MemoryTable(files: paths, options: ReadOptions(lenient: true))
    #expect(table.rowCount == 2)
    #expect(try table.values(of: "region") == ["A", "B"])
  }

  @Test func eachFileReadsNumbersInItsOwnStyleAndLenientLoadingSkipsBadNumbers() throws {
    let (folder, paths) = try files([
      "a.csv": "region;value;unit\nA;1 600,5;x\nB;oops;x\n", "b.csv": "region,value,unit\nA,0.5,x\nC,,x\n",
    ])
    defer { try? FileManager.default.removeItem(at: folder) }
    let table = try MemoryTable(files: [
      (paths[0], ReadOptions(decimalComma: true, lenient: true)), (paths[1], ReadOptions()),
    ])
    #expect(table.rowCount == 3)
    let groups = try table.aggregate(Query(groupBy: ["region"])).groups
    #expect(groups.map(\.keys) == [["A"], ["C"]])
    #expect(groups.map(\.value) == [1601, nil])
    #expect(throws: DataError.self) { try MemoryTable(files: [(paths[0], ReadOptions(decimalComma: true))]) }
  }

  @Test func answersAsTheFileEngineDoesOnThePanel() throws {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let seeds = ["seeds/panel.csv", "seeds/documented.csv"].map { root.appendingPathComponent($0).path }
    let table = try MemoryTable(files: seeds)
    for query in [
      Query(filters: [Filter("metric", equals: "funding"), Filter("status", equals: "synthetic")], groupBy: ["region", "period"]),
      Query(filters: [Filter("metric", equals: "enterprises_participating")], groupBy: ["programme"], aggregate: .max),
      Query(groupBy: ["metric", "status"], aggregate: .count),
    ] {
      #expect(try table.aggregate(query).groups == QueryEngine.run(query, files: seeds).groups)
    }
  }
}

/// Parts of a file read by different threads are merged without losing a qualifier or an extreme.
@Suite struct KernelMergeTests {
  @Test func twoThreadsAgreeWithOneOnQualifiedExtremesAndSums() throws {
    var text = "region,programme,value,unit,qualifier\n"
    let words = ["", "over", "around", "up to", ""]
    for i in 0..<20_000 {
      // Random-looking order; the extremes recur with different words in both halves.
      let key = (i &* 7919) % 97
      let value = Double((i &* 104_729) % 1000)
      text += "R\(key % 13),P\(key % 7),\(value),u,\(words[(i / 3) % words.count])\n"
    }
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("briefing-merge-\(UUID().uuidString).csv")
    try Data(text.utf8).write(to: url)
    defer { try? FileManager.default.removeItem(at: url) }
    for aggregate in [Aggregate.sum, .mean, .min, .max, .count] {
      let query = Query(groupBy: ["region", "programme"], aggregate: aggregate)
      let one = try QueryEngine.run(query, files: [url.path], options: ReadOptions(threads: 1, chunkSize: 4096))
      let two = try QueryEngine.run(query, files: [url.path], options: ReadOptions(threads: 2, chunkSize: 4096))
      let memory = try MemoryTable(files: [url.path]).aggregate(query)
      func sorted(_ groups: [GroupedValue]) -> [GroupedValue] { groups.sorted { $0.keys.lexicographicallyPrecedes($1.keys) } }
      #expect(sorted(two.groups).map(\.keys) == sorted(one.groups).map(\.keys))
      #expect(sorted(two.groups).map(\.qualifier) == sorted(one.groups).map(\.qualifier), "\(aggregate)")
      #expect(sorted(memory.groups).map(\.qualifier) == sorted(one.groups).map(\.qualifier), "\(aggregate)")
      for (a, b) in zip(sorted(two.groups), sorted(one.groups)) {
        #expect(abs((a.value ?? 0) - (b.value ?? 0)) <= 1e-9 * abs(b.value ?? 1), "\(aggregate) \(a.keys)")
      }
      #expect(one.groups.contains { !$0.qualifier.isEmpty } || aggregate == .count)
    }
  }
}
