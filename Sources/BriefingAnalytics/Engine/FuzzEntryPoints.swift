internal import Foundation

/// Entry points for the libFuzzer harnesses under `Fuzz/` (built only when `BRIEFING_FUZZ` is set;
/// see `scripts/fuzz.sh`).
///
/// Each runs a reader over arbitrary bytes and checks what the reader's documentation promises:
/// the same records and the same answer whatever the buffer size or the number of threads, field
/// spans inside their record, a number read exactly as `strtod` reads it. A broken promise stops
/// the process through `precondition`, which libFuzzer reports as a crash together with the input.
/// Errors thrown as `DataError` are expected answers to bad input, never findings.
package enum EngineFuzzing {
  // MARK: - CSV

  /// Splits `input` into CSV records three ways (the scanner over the whole buffer, a stream with a
  /// tiny buffer and one with a large buffer) and queries it through the streaming engine (one
  /// thread and two) and the in-memory table, which must all agree.
  package static func csv(_ input: [UInt8]) {
    checkRecordSplitting(input)
    checkStreaming(input)
    let source = ByteSource(bytes: input, name: "fuzz.csv")
    guard let header = try? CSVStream.header(of: source, delimiter: nil, columnNames: [:]) else { return }
    checkQueries(input, header: header.names, format: .csv)
  }

  /// The scanner keeping every field and one keeping two find the same records; every field of
  /// the record lies inside it, and `CSVStream.fieldStart` (used to locate errors) finds it.
  private static func checkRecordSplitting(_ input: [UInt8]) {
    let padded = UnsafeMutablePointer<UInt8>.allocate(capacity: input.count + wordPadding)
    defer { padded.deallocate() }
    padded.initialize(repeating: 0, count: input.count + wordPadding)
    input.withUnsafeBufferPointer { if let base = $0.baseAddress { padded.update(from: base, count: $0.count) } }
    let start = UnsafePointer(padded)
    let end = start + input.count
    let delimiter = CSVScanner.detectDelimiter(in: UnsafeBufferPointer(start: start, count: input.count))
    var all = CSVScanner(delimiter: delimiter)
    var firstTwo = CSVScanner(delimiter: delimiter, fieldsToKeep: 2)
    defer {
      all.release()
      firstTwo.release()
    }
    var p = start
    while p < end {
      switch (all.scan(from: p, end: end, atEndOfInput: true), firstTwo.scan(from: p, end: end, atEndOfInput: true)) {
      case (.record(let next), .record(let alsoNext)):
        precondition(next > p && next <= end, "a record must move forward and end inside the input")
        precondition(next == alsoNext, "keeping two fields changed where the record ends")
        precondition(all.fieldCount >= 1 && all.fieldCount == all.fields.count, "field count and kept fields disagree")
        precondition(firstTwo.fieldCount == all.fieldCount, "keeping two fields changed the field count")
        for k in 0..<min(2, all.fieldCount) {
          precondition(bytes(all.fields[k]) == bytes(firstTwo.fields[k]), "keeping two fields changed field \(k)")
        }
        for k in 0..<all.fieldCount {
          let span = all.fields[k]
          // Fields with `""` escapes live in the scanner's scratch space; the rest point into the record.
          guard span.base >= p, span.base <= next else { continue }
          precondition(span.base + span.count <= next, "field \(k) runs past its record")
          let located = CSVStream.fieldStart(k, from: p, end: next, delimiter: delimiter)
          precondition(located == span.base || located == span.base - 1, "fieldStart(\(k)) does not find the field")
        }
        p = next
      case (.unterminatedQuote(let at), .unterminatedQuote(let alsoAt)):
        precondition(at == alsoAt && at >= p && at < end, "unterminated quote reported outside the record")
        return
      case (.unexpectedQuote(let at, let opening), .unexpectedQuote(let alsoAt, let alsoOpening)):
        precondition(at == alsoAt && opening == alsoOpening, "keeping two fields changed the quote error")
        precondition(p <= opening && opening < at && at < end, "quote error reported outside the record")
        // A stream skips to the end of such a record; `checkStreaming` covers that.
        return
      case (.incomplete, _), (_, .incomplete):
        preconditionFailure("a record reported incomplete at the end of the input")
      default:
        preconditionFailure("the scanner keeping two fields and the one keeping all disagree")
      }
    }
  }

  /// The records (and refusals) a stream hands on do not depend on the buffer size or on how
  /// many fields are kept.
  private static func checkStreaming(_ input: [UInt8]) {
    let source = ByteSource(bytes: input, name: "fuzz.csv")
    guard let header = try? CSVStream.header(of: source, delimiter: nil, columnNames: [:]) else { return }
    func stream(capacity: Int, keep: Int) -> Result<[CollectedRecord], DataError> {
      let collector = RecordCollector(keep: keep)
      return Result { () throws(DataError) in
        _ = try CSVStream.run(
          source, delimiter: header.delimiter, from: header.dataStart, limit: source.size, buffer: ChunkBuffer(capacity: capacity),
          fieldsToKeep: keep, handler: collector)
        return collector.records
      }
    }
    let reference = stream(capacity: 1 << 16, keep: .max)
    precondition(stream(capacity: 16, keep: .max) == reference, "a 16-byte buffer changed the records")
    let two = stream(capacity: 16, keep: 2)
    if case .success(let all) = reference, case .success(let kept) = two {
      precondition(all.count == kept.count, "keeping two fields changed the number of records")
      for (a, b) in zip(all, kept) {
        precondition(a.offset == b.offset && a.fieldCount == b.fieldCount, "keeping two fields changed a record")
        precondition(Array(a.fields.prefix(2)) == Array(b.fields.prefix(2)), "keeping two fields changed a kept field")
      }
    }
  }

  // MARK: - JSON

  /// Reads `input` as JSON records with a tiny and a large buffer (the same records or the same
  /// error), then queries it as `checkQueries` does.
  package static func json(_ input: [UInt8]) {
    let source = ByteSource(bytes: input, name: "fuzz.json")
    func records(chunkSize: Int) -> Result<[CollectedRecord], DataError> {
      var collector: RecordCollector? = nil
      return Result { () throws(DataError) in
        let reader = JSONRecordReader(source: source, columnNames: [:], chunkSize: chunkSize)
        try reader.read { header throws(DataError) -> any RecordHandler in
          let made = RecordCollector(keep: .max, header: header)
          collector = made
          return made
        }
        return collector?.records ?? []
      }
    }
    let reference = records(chunkSize: 1 << 16)
    precondition(records(chunkSize: 16) == reference, "a 16-byte buffer changed the JSON records")
    guard case .success(let all) = reference, let first = all.first else { return }
    for record in all {
      precondition(record.fieldCount == first.fieldCount, "JSON records must be aligned to the first record's keys")
      for offset in record.fieldOffsets where offset != 0 {
        precondition(offset >= 0 && offset < input.count, "a JSON field offset lies outside the input")
      }
    }
    checkQueries(input, header: first.header, format: .json)
  }

  // MARK: - Queries

  /// Groups by the first column and sums `value` (or the last column): the streaming engine with
  /// one thread and a large buffer, with two threads and tiny buffers, and the in-memory table must
  /// give the same groups, counts and problems, or the same error.
  private static func checkQueries(_ input: [UInt8], header: [String], format: ReadOptions.Format) {
    guard let first = header.first else { return }
    let value = header.contains("value") ? "value" : header[header.count - 1]
    let name = format == .csv ? "fuzz.csv" : "fuzz.json"
    for lenient in [false, true] {
      let query = Query(groupBy: [first], value: value)
      func run(threads: Int, chunkSize: Int) -> Result<QueryResult, DataError> {
        let options = ReadOptions(format: format, lenient: lenient, threads: threads, chunkSize: chunkSize)
        return Result { () throws(DataError) in try QueryEngine.run(query, bytes: input, name: name, options: options) }
      }
      let reference = run(threads: 1, chunkSize: 1 << 16)
      let split = run(threads: 2, chunkSize: 16)
      precondition(agree(split, reference), "two threads and 16-byte buffers changed the answer (lenient: \(lenient)): \(split) against \(reference)")
      // The in-memory table refuses a row the stream keeps when a column the query does not read
      // is not UTF-8, so only answers both gave in strict mode are compared.
      guard !lenient, case .success(let streamed) = reference else { continue }
      guard let table = try? memoryTable(input, format: format), let held = try? table.aggregate(query) else { continue }
      precondition(agree(held.groups, streamed.groups), "the in-memory table and the stream disagree: \(held.groups) against \(streamed.groups)")
    }
  }

  /// Loads `input` through a temporary file, as `MemoryTable` reads only files.
  private static func memoryTable(_ input: [UInt8], format: ReadOptions.Format) throws(DataError) -> MemoryTable {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("briefing-fuzz-\(getpid()).\(format.rawValue)").path
    // Plain stdio: FileManager.createFile syncs to disk, which made each input cost tens of ms.
    guard let file = fopen(path, "wb") else { throw .unreadable(file: path, reason: "cannot write the temporary file") }
    let written = fwrite(input, 1, input.count, file)
    fclose(file)
    defer { unlink(path) }
    guard written == input.count else { throw .unreadable(file: path, reason: "cannot write the temporary file") }
    return try MemoryTable(files: [path], options: ReadOptions(format: format))
  }

  private static func agree(_ a: Result<QueryResult, DataError>, _ b: Result<QueryResult, DataError>) -> Bool {
    switch (a, b) {
    case (.failure(let x), .failure(let y)): return x == y
    case (.success(let x), .success(let y)):
      return agree(x.groups, y.groups) && x.rowsRead == y.rowsRead && x.rowsMatched == y.rowsMatched
        && x.rowsSkipped == y.rowsSkipped && x.problems == y.problems
    default: return false
    }
  }

  /// Equal groups; sums may differ in the last bits, as parts are added in another order.
  private static func agree(_ a: [GroupedValue], _ b: [GroupedValue]) -> Bool {
    guard a.count == b.count else { return false }
    for (x, y) in zip(a, b) {
      guard x.keys == y.keys, x.count == y.count, x.unit == y.unit, x.qualifier == y.qualifier else { return false }
      switch (x.value, y.value) {
      case (nil, nil): continue
      case (let u?, let v?):
        if u == v || (u.isNaN && v.isNaN) { continue }
        guard u.isFinite, v.isFinite, abs(u - v) <= 1e-9 * max(abs(u), abs(v)) else { return false }
      default: return false
      }
    }
    return true
  }

  // MARK: - Numbers

  /// Reads `input` as a number with a decimal point and with a decimal comma, and checks the
  /// result against `strtod` and against `NumberText` (the entry point other sources use).
  package static func number(_ input: [UInt8]) {
    let point = scan(input, decimalMark: 0x2E)
    let comma = scan(input, decimalMark: 0x2C)
    for (outcome, decimalComma) in [(point, false), (comma, true)] {
      if case .number(let value) = outcome { precondition(value.isFinite, "a number outcome must be finite") }
      if let text = String(validating: input, as: UTF8.self) {
        precondition(reading(outcome) == NumberText.read(text, decimalComma: decimalComma), "NumberText disagrees with the scanner")
      }
    }
    // What the scanner trims before reading.
    var trimmed = ArraySlice(input)
    while let b = trimmed.first, b == 0x20 || b == 0x09 { trimmed.removeFirst() }
    while let b = trimmed.last, b == 0x20 || b == 0x09 { trimmed.removeLast() }
    if case .number(let value) = point {
      // The fast path claims a correctly rounded result: exactly strtod's.
      guard let reference = strtodWhole(Array(trimmed)) else { preconditionFailure("read a number strtod does not read whole") }
      precondition(reference.bitPattern == value.bitPattern, "read \(value), strtod reads \(reference)")
    } else if NumberScanner.isPlainNumber(trimmed), let reference = strtodWhole(Array(trimmed)), reference.isFinite {
      preconditionFailure("refused a plain number strtod reads as \(reference)")
    }
    // Without group separators or points, a decimal comma reads as a point does.
    let grouping: Set<UInt8> = [0x20, 0x09, 0x27, 0x2E, 0xC2, 0xE2]
    if !input.contains(where: grouping.contains) {
      let swapped = input.map { $0 == 0x2C ? 0x2E : $0 }
      precondition(reading(comma) == reading(scan(swapped, decimalMark: 0x2E)), "a decimal comma reads differently from a point")
    }
  }

  private static func scan(_ input: [UInt8], decimalMark: UInt8) -> NumberScanner.Outcome {
    // Spans promise readable padding after their end.
    let padded = input + [UInt8](repeating: 0, count: wordPadding)
    return padded.withUnsafeBufferPointer { buffer in
      guard let base = buffer.baseAddress else { return .missing }
      return NumberScanner(decimalMark: decimalMark).scan(ByteSpan(base: base, count: input.count))
    }
  }

  private static func reading(_ outcome: NumberScanner.Outcome) -> NumberReading {
    switch outcome {
    case .missing: .missing
    case .number(let value): .number(value)
    case .invalid: .invalid
    case .nonFinite: .nonFinite
    }
  }

  /// strtod's value when it reads every byte (no NUL inside), else nil.
  private static func strtodWhole(_ bytes: [UInt8]) -> Double? {
    guard !bytes.isEmpty, !bytes.contains(0) else { return nil }
    let terminated = bytes.map { CChar(bitPattern: $0) } + [0]
    return terminated.withUnsafeBufferPointer { buffer -> Double? in
      guard let base = buffer.baseAddress else { return nil }
      var stop: UnsafeMutablePointer<CChar>? = nil
      let value = strtod(base, &stop)
      guard let stop, stop - UnsafeMutablePointer(mutating: base) == bytes.count else { return nil }
      return value
    }
  }

  private static func bytes(_ span: ByteSpan) -> [UInt8] {
    Array(UnsafeBufferPointer(start: span.base, count: span.count))
  }
}

/// One record as a stream handed it on, copied out of the buffer.
private struct CollectedRecord: Equatable {
  var offset: Int
  var fieldCount: Int
  var fields: [[UInt8]]
  var fieldOffsets: [Int]
  var header: [String]
}

/// Copies each record (and each refusal, as a located issue) out of the stream.
private final class RecordCollector: RecordHandler {
  let keep: Int
  let header: [String]
  var fieldOffsets: UnsafePointer<Int>? = nil
  var records: [CollectedRecord] = []

  init(keep: Int, header: [String] = []) {
    self.keep = keep
    self.header = header
  }

  func handle(_ fields: UnsafePointer<ByteSpan>, count: Int, at position: RecordPosition) -> Bool {
    precondition(position.start <= position.end, "a record ends before it starts")
    let kept = min(count, keep)
    let copied = (0..<kept).map { Array(UnsafeBufferPointer(start: fields[$0].base, count: fields[$0].count)) }
    let offsets = fieldOffsets.map { offsets in (0..<count).map { offsets[$0] } } ?? []
    records.append(CollectedRecord(offset: position.offset, fieldCount: count, fields: copied, fieldOffsets: offsets, header: header))
    return true
  }

  func reject(_ issue: LocatedIssue) -> Bool {
    records.append(CollectedRecord(offset: issue.offset, fieldCount: -1, fields: [], fieldOffsets: [], header: ["\(issue.kind)"]))
    return true
  }
}
