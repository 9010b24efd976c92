import BriefingAnalytics
import Foundation
import Testing

/// The seed corpora of the fuzz harnesses (Tests/Fuzz/<harness>/), replayed through the same
/// checks the harnesses run, and each finding of the fuzzers pinned as a plain test.
@Suite struct FuzzFindingTests {
  private static let corpora = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fuzz")

  /// Every file of one harness's corpus, in name order.
  private static func corpus(_ harness: String) throws -> [[UInt8]] {
    let folder = corpora.appendingPathComponent(harness)
    let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
    return try names.map { Array(try Data(contentsOf: folder.appendingPathComponent($0))) }
  }

  // A broken check stops the process (a `precondition`), naming the check.
  @Test func csvCorpusPassesTheHarnessChecks() throws {
    let inputs = try Self.corpus("csv")
    #expect(inputs.count >= 20)
    for input in inputs { EngineFuzzing.csv(input) }
  }

  @Test func jsonCorpusPassesTheHarnessChecks() throws {
    let inputs = try Self.corpus("json")
    #expect(inputs.count >= 20)
    for input in inputs { EngineFuzzing.json(input) }
  }

  @Test func numberCorpusPassesTheHarnessChecks() throws {
    let inputs = try Self.corpus("numbers")
    #expect(inputs.count >= 20)
    for input in inputs { EngineFuzzing.number(input) }
  }

  // MARK: - Findings

  /// Found by the CSV fuzzer: when two threads read a group whose units differ, merging the
  /// second part added that part's other units without leaving out the group's own, so the error
  /// named a unit twice (“persons and count and persons”) and differed from one thread's.
  @Test func mixedUnitsAreNamedOnceWhateverTheSplit() {
    let text = "region,value,unit\nA,1,persons\nA,2,persons\nA,3,count\nA,4,persons\n"
    func error(threads: Int) -> DataError? {
      do {
        _ = try QueryEngine.run(
          Query(groupBy: ["region"]), bytes: Array(text.utf8), name: "t.csv", options: ReadOptions(threads: threads, chunkSize: 16))
        return nil
      } catch {
        return error
      }
    }
    #expect(error(threads: 1) == .mixedUnits(group: "A", units: ["persons", "count"]))
    #expect(error(threads: 2) == .mixedUnits(group: "A", units: ["persons", "count"]))
  }

  /// Found by the JSON fuzzer: the text an error quotes was cut at the end of the read buffer, so
  /// the same file gave another message when a buffer ended just after the fault.
  @Test func aJSONErrorQuotesTheSameTextWhateverTheBufferSize() {
    let text = "[{\"region\":\"a\u{0}\",\"value\":1}]"
    func error(chunkSize: Int) -> DataError? {
      do {
        _ = try QueryEngine.run(Query(groupBy: ["region"]), bytes: Array(text.utf8), name: "t.json", options: ReadOptions(chunkSize: chunkSize))
        return nil
      } catch {
        return error
      }
    }
    let whole = error(chunkSize: 1 << 16)
    // Up to eight characters from the fault (a control character shows as “�” in messages).
    #expect(whole?.description.contains("“\u{FFFD}\",\"valu”") == true, "\(String(describing: whole))")
    #expect(error(chunkSize: 16) == whole)
  }
}
