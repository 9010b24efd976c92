import BriefingAnalytics
import Foundation
import Testing

/// Each finding of the fuzzers (scripts/fuzz.sh) pinned as a plain test.
@Suite struct FuzzFindingTests {
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
}
