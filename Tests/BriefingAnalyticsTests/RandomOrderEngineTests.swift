@testable import BriefingAnalytics
import Foundation
import Testing

/// The engine's paths for raw exports (rows in random key order): the row pipeline that adds each
/// row a few rows after reading it, the loop-free hash and compare of short values, the word-wide
/// number reader, and the integer sort of many groups.
@Suite struct RandomOrderEngineTests {
  /// Bytes in a buffer with `wordPadding` bytes of `filler` after them, as the engine's spans
  /// promise: the padding must never change a hash or a comparison.
  private func withSpan<R>(_ text: [UInt8], filler: UInt8, _ body: (ByteSpan) -> R) -> R {
    let buffer = text + Array(repeating: filler, count: wordPadding)
    return buffer.withUnsafeBufferPointer { body(ByteSpan(base: $0.baseAddress!, count: text.count)) }
  }

  private struct Row {
    var region: String
    var programme: String
    var year: String
    var value: String
  }

  /// Rows over 40 regions (some longer than 16 and 32 bytes) × 6 programmes × 4 years, values in
  /// quarters so that every sum is exact whatever the order of adding.
  private func rows(_ count: Int, seed: UInt64) -> [Row] {
    var random = SplitMix64(seed: seed)
    let regions = (0..<40).map { i in
      i % 3 == 0 ? "Region \(i)" : i % 3 == 1 ? "Autonomous Region Number \(i)" : "The Very Long Autonomous Region Named \(i)"
    }
    let programmes = ["A", "Bee", "Corporate Training", "Digital", "Engineering Schools Programme", "F"]
    return (0..<count).map { _ in
      Row(
        region: regions[Int(random.next() % 40)], programme: programmes[Int(random.next() % 6)],
        year: String(2020 + Int(random.next() % 4)),
        value: random.next() % 50 == 0 ? "" : String(Double(random.next() % 40_000) / 4))
    }
  }

  private func csv(_ rows: [Row]) -> String {
    "region,programme,year,value,unit\n" + rows.map { "\($0.region),\($0.programme),\($0.year),\($0.value),persons\n" }.joined()
  }

  /// The groups as a plain dictionary fold gives them, in order of first appearance.
  private func expected(_ rows: [Row]) -> [([String], Double?)] {
    var order: [[String]] = []
    var sums: [[String]: Double?] = [:]
    for row in rows {
      let key = [row.region, row.programme, row.year]
      if sums[key] == nil {
        order.append(key)
        sums[key] = .some(nil)
      }
      if let value = Double(row.value) {
        let current: Double? = sums[key] ?? nil
        sums[key] = .some((current ?? 0) + value)
      }
    }
    return order.map { ($0, sums[$0] ?? nil) }
  }

  private func run(_ text: String, options: ReadOptions = ReadOptions(format: .csv)) throws -> QueryResult {
    try QueryEngine.run(Query(groupBy: ["region", "programme", "year"]), bytes: Array(text.utf8), name: "t.csv", options: options)
  }

  // MARK: - Pipeline

  /// Rows enter, are resolved and are added `RowPipeline.lag` rows apart: around every multiple
  /// of the lag, and for inputs shorter than it, the groups and their order must be those of a
  /// row-at-a-time fold.
  @Test func everyRowCountAroundThePipelineLagGivesTheRowAtATimeAnswer() throws {
    let lag = RowPipeline.lag
    for count in [0, 1, 2, lag - 1, lag, lag + 1, 2 * lag - 1, 2 * lag, 2 * lag + 1, RowPipeline.capacity + 3, 1000] {
      let input = rows(count, seed: UInt64(count) + 1)
      let result = try run(csv(input))
      let want = expected(input)
      #expect(result.groups.map(\.keys) == want.map(\.0), "\(count) rows")
      #expect(result.groups.map(\.value) == want.map(\.1), "\(count) rows")
      #expect(result.rowsMatched == count)
    }
  }

  @Test func randomAndSortedOrderGiveTheSameGroups() throws {
    let input = rows(5000, seed: 7)
    let sorted = input.sorted { ($0.region, $0.programme, $0.year) < ($1.region, $1.programme, $1.year) }
    var random = try run(csv(input))
    var ordered = try run(csv(sorted))
    random.groups.sort { $0.keys.lexicographicallyPrecedes($1.keys) }
    ordered.groups.sort { $0.keys.lexicographicallyPrecedes($1.keys) }
    #expect(random.groups == ordered.groups)
    #expect(random.groups.count == Set(input.map { [$0.region, $0.programme, $0.year] }).count)
  }

  /// Split between threads (a tiny chunk size makes a small file split), each part through its
  /// own pipeline, then merged: the same groups, in the same order, as one thread.
  @Test func severalThreadsGiveWhatOneThreadGives() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("briefing-random-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("raw.csv").path
    try csv(rows(4000, seed: 11)).write(toFile: path, atomically: true, encoding: .utf8)
    let query = Query(groupBy: ["region", "programme", "year"])
    let one = try QueryEngine.run(query, files: [path], options: ReadOptions(threads: 1))
    for threads in [2, 3, 4] {
      let many = try QueryEngine.run(query, files: [path], options: ReadOptions(threads: threads, chunkSize: 512))
      #expect(many.groups == one.groups, "\(threads) threads")
      #expect(many.rowsRead == 4000)
    }
  }

  /// New key ids make the group table widen its packing while rows packed under the old widths
  /// still wait in the pipeline: they must be looked up again, not with their stale keys.
  @Test func rowsPackedBeforeTheGroupTableWidensLandInTheirOwnGroups() throws {
    var text = "a,b,c,value\n"
    var want: [String: Double] = [:]
    var order: [String] = []
    // Every row brings new ids: 3 columns of up to 700 values (10 bits each) go from the direct
    // array to the hashed table, re-balancing again and again.
    for i in 0..<2100 {
      let key = ["\(i % 700)", "\((i * 7) % 690)", "\((i * 13) % 680)"]
      text += key.joined(separator: ",") + ",\(i % 9)\n"
      let name = key.joined(separator: "/")
      if want[name] == nil { order.append(name) }
      want[name, default: 0] += Double(i % 9)
    }
    let result = try QueryEngine.run(Query(groupBy: ["a", "b", "c"]), bytes: Array(text.utf8), name: "t.csv", options: ReadOptions(format: .csv))
    #expect(result.groups.map { $0.keys.joined(separator: "/") } == order)
    #expect(result.groups.map(\.value) == order.map { want[$0] })
  }

  /// A unit that differs in a later row is caught even though the check now runs when the row
  /// leaves the pipeline.
  @Test func aUnitChangeDeepInRandomRowsIsStillReported() throws {
    let input = rows(300, seed: 3)
    // Then more rows than the pipeline holds, so the odd row is checked in the middle of a run.
    var text = csv(input)
    text += "\(input[0].region),\(input[0].programme),\(input[0].year),5,tonnes\n"
    text += csv(rows(100, seed: 4)).split(separator: "\n").dropFirst().map { $0 + "\n" }.joined()
    #expect(throws: DataError.self) { try run(text) }
  }

  // MARK: - Scanner

  /// The scanner looks at 16 bytes at a time on x86-64 and 8 elsewhere, then at single bytes: a
  /// quoted field (with a delimiter inside), an escaped quote and a CRLF line end at every offset
  /// of a block must split as they do byte by byte.
  @Test func quotesAndLineEndsAtEveryOffsetOfABlockSplitTheSame() throws {
    var text = "pad,key,value\n"
    var want: [String: Double] = [:]
    for offset in 0..<48 {
      let pad = String(repeating: "x", count: offset)
      let (field, key) =
        switch offset % 4 {
        case 0: ("\"k,\(offset % 5)\"", "k,\(offset % 5)")
        case 1: ("\"k\"\"\(offset % 5)\"", "k\"\(offset % 5)")
        default: ("k\(offset % 5)", "k\(offset % 5)")
        }
      text += "\(pad),\(field),\(offset)" + (offset % 3 == 0 ? "\r\n" : "\n")
      want[key, default: 0] += Double(offset)
    }
    for chunk in [64, 4 << 20] {
      let result = try QueryEngine.run(
        Query(groupBy: ["key"]), bytes: Array(text.utf8), name: "t.csv", options: ReadOptions(format: .csv, chunkSize: chunk))
      #expect(Dictionary(uniqueKeysWithValues: result.groups.map { ($0.keys[0], $0.value ?? -1) }) == want, "chunk \(chunk)")
      #expect(result.rowsRead == 48)
    }
  }

  // MARK: - Interner, hash, compare

  /// Values of every length from 0 to 70 bytes (the ≤ 16-byte path, the 16-byte blocks and their
  /// tails), many sharing long prefixes or suffixes, get one id each however they are padded.
  @Test func valuesOfEveryLengthInternToOneIDEach() {
    var interner = ByteInterner()
    defer { interner.release() }
    var values: [[UInt8]] = []
    for length in 0...70 {
      let base = (0..<length).map { UInt8(0x61 + $0 % 26) }
      values.append(base)
      if length > 0 {
        var lastChanged = base
        lastChanged[length - 1] ^= 0x20
        values.append(lastChanged)
      }
      if length > 1 {
        var firstChanged = base
        firstChanged[0] ^= 0x20
        values.append(firstChanged)
      }
    }
    var ids: [Int32] = []
    for (k, value) in values.enumerated() {
      ids.append(withSpan(value, filler: UInt8(k % 256)) { interner.intern($0) })
    }
    #expect(Set(ids).count == values.count)
    #expect(interner.count == values.count)
    // Again, in another order and with other padding: the same ids, nothing new.
    for (k, value) in values.enumerated().reversed() {
      #expect(withSpan(value, filler: 0xFF) { interner.intern($0) } == ids[k], "length \(value.count)")
    }
    #expect(interner.count == values.count)
    for (k, value) in values.enumerated() {
      let span = interner.bytes(of: ids[k])
      #expect(Array(UnsafeBufferPointer(start: span.base, count: span.count)) == value)
    }
  }

  @Test func hashAndCompareIgnoreThePaddingAndSeeEveryByte() {
    for length in 0...48 {
      let value = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
      let h1 = withSpan(value, filler: 0x00) { hashBytes($0.base, $0.count) }
      let h2 = withSpan(value, filler: 0xA5) { hashBytes($0.base, $0.count) }
      #expect(h1 == h2, "length \(length)")
      for position in 0..<length {
        var changed = value
        changed[position] &+= 1
        #expect(withSpan(changed, filler: 0) { hashBytes($0.base, $0.count) } != h1, "length \(length), byte \(position)")
        // Both sides padded, as every span the engine compares is.
        let equal = withSpan(value, filler: 3) { a in
          withSpan(changed, filler: 0) { bytesEqual(a.base, $0.base, length) }
        }
        #expect(!equal, "length \(length), byte \(position)")
      }
      let same = withSpan(value, filler: 1) { a in withSpan(value, filler: 2) { bytesEqual(a.base, $0.base, length) } }
      #expect(same, "length \(length)")
    }
  }

  /// Many values whose hashes share their low bits land in one bucket of the open-addressing
  /// table: every lookup then walks a long probe chain, across the table's end and through its
  /// growth, and must still find exactly its own value.
  @Test func valuesCollidingInOneBucketKeepTheirOwnIDs() {
    // The table has at most 256 slots for 100 values, so equal low 10 bits mean one bucket.
    var colliding: [[UInt8]] = []
    var candidate = 0
    while colliding.count < 100 {
      let value = Array("key-\(candidate)".utf8)
      candidate += 1
      if withSpan(value, filler: 0, { hashBytes($0.base, $0.count) }) & 1023 == 5 { colliding.append(value) }
    }
    var interner = ByteInterner()
    defer { interner.release() }
    let ids = colliding.map { value in withSpan(value, filler: 0) { interner.intern($0) } }
    #expect(ids == (0..<100).map(Int32.init))
    for (k, value) in colliding.enumerated().reversed() {
      #expect(withSpan(value, filler: 9) { interner.intern($0) } == Int32(k))
    }
    #expect(interner.count == 100)
  }

  // MARK: - Numbers

  /// The word-wide reader of short numbers gives exactly what parsing the text does, and leaves
  /// everything that is not digits with at most one mark to the general reader.
  @Test func shortNumbersReadExactlyAsTheirText() {
    var random = SplitMix64(seed: 42)
    var texts = ["0", "7", "00000001", "12345678", "99999999", "1234567.", ".1234567", "1.2", "0.000001", "47816.79"]
    for _ in 0..<5000 {
      let length = Int(random.next() % 8) + 1
      var text = String((0..<length).map { _ in Character(String(random.next() % 10)) })
      if length > 1, random.next() % 2 == 0 {
        let at = text.index(text.startIndex, offsetBy: Int(random.next() % UInt64(length)))
        text.replaceSubrange(at...at, with: ".")
      }
      texts.append(text)
    }
    let numbers = NumberScanner()
    for text in texts where text != "." {
      let outcome = withSpan(Array(text.utf8), filler: 0x35) { numbers.scan($0) }
      guard case .number(let value) = outcome else {
        Issue.record("\(text) was not read as a number")
        continue
      }
      #expect(value == Double(text), "\(text)")
    }
    for text in ["1.2.3", "12a4", "-", "+", ".", "1 2", "1,5", "12:4", "/", "1e5x"] {
      let short = withSpan(Array(text.utf8), filler: 0x30) { NumberScanner.shortNumber($0.base, count: $0.count, mark: 0x2E) }
      #expect(short == nil, "\(text)")
    }
    // Signs and exponents go the general way, with the same answers as before.
    for (text, value) in [("-12.5", -12.5), ("+3", 3.0), ("1e3", 1000.0), ("123456789", 123_456_789.0)] {
      guard case .number(let read) = withSpan(Array(text.utf8), filler: 0, { numbers.scan($0) }) else {
        Issue.record("\(text) was not read as a number")
        continue
      }
      #expect(read == value)
    }
    let comma = NumberScanner(decimalMark: 0x2C)
    guard case .number(let read) = withSpan(Array("1234,5".utf8), filler: 0, { comma.scan($0) }) else {
      Issue.record("1234,5 with a decimal comma was not read")
      return
    }
    #expect(read == 1234.5)
  }

  // MARK: - Sorting many groups

  /// Key order by ranks packed into one integer, and by rank lists when a row lacks a key: the
  /// same order as comparing the keys themselves, periods as numbers.
  @Test func sortingManyGroupsByKeyMatchesComparingTheKeys() throws {
    let input = rows(3000, seed: 5)
    let result = try run(csv(input)).deriving(Query(groupBy: ["region", "programme", "year"], derivations: [.sort(.key)]))
    let keys = result.rows.map(\.keys)
    let want = keys.sorted { $0.lexicographicallyPrecedes($1, by: GroupedValue.periodOrder) }
    #expect(keys == want)
    // Rows of unequal key counts take the rank lists; a shorter row comes before its extensions.
    let uneven = [["b", "2"], ["a"], ["b"], ["a", "10"], ["a", "9"], ["b", "1"]].map {
      GroupedValue(keys: $0, value: 1, count: 1, unit: "")
    }
    let sorted = try QueryResult(columns: ["x", "y"], groups: uneven, aggregate: .sum, rowsRead: 6, rowsMatched: 6)
      .deriving(Query(derivations: [.sort(.key)]))
    #expect(sorted.rows.map(\.keys) == [["a"], ["a", "9"], ["a", "10"], ["b"], ["b", "1"], ["b", "2"]])
  }
}
