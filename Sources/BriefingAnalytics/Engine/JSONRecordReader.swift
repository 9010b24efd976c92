internal import Foundation

/// Reads flat JSON records — an array of objects, or JSON Lines (one object per line) — in
/// chunks, handing each record's values to a handler as fields aligned to a header.
///
/// The header is the first record's keys, in order (renamed by the column mapping). A later
/// record may leave a key out (the field is empty, as `null` is) and its unknown keys are
/// ignored. Values must be strings, numbers, `true`, `false` or `null`: numbers arrive as their
/// text, so `2024` and `"2024"` group together. A key may appear only once in a record.
final class JSONRecordReader {
  let source: ByteSource
  let columnNames: [String: String]
  let chunkSize: Int
  /// Whether strings hold decimal-comma numbers: number literals (always written with a point)
  /// are then handed on with a comma, so one number scanner reads both.
  let decimalComma: Bool

  init(source: ByteSource, columnNames: [String: String], chunkSize: Int, decimalComma: Bool = false) {
    self.source = source
    self.columnNames = columnNames
    self.chunkSize = chunkSize
    self.decimalComma = decimalComma
  }

  private enum Outcome {
    case record(next: UnsafePointer<UInt8>)
    case endOfInput
    case incomplete
    case malformed(at: UnsafePointer<UInt8>, expected: String)
  }

  private enum Mode {
    case unknown
    case array
    case lines
  }

  private var mode = Mode.unknown
  private var arrayClosed = false
  /// The keys of the first record as written in the file, and their field positions.
  private var fileKeys: [[UInt8]] = []
  private var keyIndex: [[UInt8]: Int] = [:]
  /// The current record's keys and values as spans into the buffer or the scratch space.
  private var pairs: [(key: ByteSpan, value: ByteSpan, keyOffset: Int, offset: Int)] = []
  private var scratch = RawVector<UInt8>(capacity: 1024)
  private var fields = RawVector<ByteSpan>(capacity: 16)
  private var offsets = RawVector<Int>(capacity: 16)
  /// The record in which each field was last filled, to catch a key given twice.
  private var filledIn = RawVector<Int>(capacity: 16)
  private var recordNumber = 0
  private var recordIsFirst = true
  private let empty = UnsafeMutablePointer<UInt8>.allocate(capacity: wordPadding)

  deinit {
    scratch.release()
    fields.release()
    offsets.release()
    filledIn.release()
    empty.deallocate()
  }

  /// Reads every record; `makeHandler` is called once with the header, before the first record.
  func read(_ makeHandler: ([String]) throws(DataError) -> any RecordHandler) throws(DataError) {
    empty.initialize(repeating: 0, count: wordPadding)
    let buffer = ChunkBuffer(capacity: chunkSize)
    var handler: (any RecordHandler)? = nil
    var bufferOffset = 0
    var filled = 0
    var cursor = 0
    var atEnd = false
    while true {
      let base = UnsafePointer(buffer.base)
      if cursor < filled || atEnd {
        if bufferOffset == 0, cursor == 0, filled >= 3, base[0] == 0xEF, base[1] == 0xBB, base[2] == 0xBF { cursor = 3 }
        let start = base + cursor
        switch parse(from: start, end: base + filled, atEnd: atEnd, base: base) {
        case .endOfInput:
          if handler == nil { throw .emptyFile(file: source.name) }
          return
        case .malformed(let at, let expected):
          let offset = bufferOffset + (at - base)
          let found = at < base + filled ? describe(offset: offset) : "the end of the input"
          throw LocatedIssue(offset: offset, kind: .invalidJSON(expected: expected, found: found)).error(in: source)
        case .record(let next):
          let recordOffset = bufferOffset + (start - base)
          let recordHandler: any RecordHandler
          if let handler {
            recordHandler = handler
          } else {
            let keys = fileKeys.map { String(decoding: $0, as: UTF8.self) }
            var header: [String] = []
            for (k, key) in keys.enumerated() {
              let name = columnNames[key] ?? key
              if header.contains(name) {
                throw DataError.duplicateKey(source.location(ofByte: bufferOffset + pairs[k].keyOffset), key: name)
              }
              header.append(name)
            }
            for original in columnNames.keys.sorted() where !keys.contains(original) {
              throw DataError.missingColumn(file: source.name, column: original, header: keys)
            }
            recordHandler = try makeHandler(header)
            handler = recordHandler
          }
          if let repeated = fill(bufferOffset: bufferOffset) {
            let key = String(decoding: UnsafeBufferPointer(start: pairs[repeated].key.base, count: pairs[repeated].key.count), as: UTF8.self)
            throw DataError.duplicateKey(source.location(ofByte: bufferOffset + pairs[repeated].keyOffset), key: key)
          }
          recordHandler.fieldOffsets = UnsafePointer(offsets.base)
          let position = RecordPosition(start: start, end: next, offset: recordOffset)
          if !recordHandler.handle(fields.base, count: fields.count, at: position) { return }
          cursor = next - base
          continue
        case .incomplete:
          break
        }
      }
      if try !buffer.refill(from: source, offset: &bufferOffset, filled: &filled, cursor: &cursor) { atEnd = true }
    }
  }

  /// Lays the parsed pairs out as fields in header order; returns the pair whose key the record
  /// already had, if any.
  private func fill(bufferOffset: Int) -> Int? {
    fields.removeAll()
    offsets.removeAll()
    recordNumber += 1
    for _ in 0..<fileKeys.count {
      fields.append(ByteSpan(base: UnsafePointer(empty), count: 0))
      offsets.append(0)
      if filledIn.count < fileKeys.count { filledIn.append(0) }
    }
    for (k, pair) in pairs.enumerated() {
      let index: Int
      let key = UnsafeBufferPointer(start: pair.key.base, count: pair.key.count)
      // Records usually repeat the first record's key order: compare in place before hashing.
      if k < fileKeys.count, fileKeys[k].elementsEqual(key) {
        index = k
      } else if let known = keyIndex[Array(key)] {
        index = known
      } else {
        continue
      }
      if filledIn[index] == recordNumber { return k }
      filledIn[index] = recordNumber
      fields[index] = pair.value
      offsets[index] = bufferOffset + pair.offset
    }
    return nil
  }

  /// The text at `offset`, for an error. Read from the source, not the buffer: the buffer may end
  /// just after `offset`, and the message must not depend on where it does.
  private func describe(offset: Int) -> String {
    var bytes = [UInt8](repeating: 0, count: 12)
    let n = bytes.withUnsafeMutableBufferPointer { space in
      space.baseAddress.flatMap { try? source.read(into: $0, count: space.count, at: offset) } ?? 0
    }
    let text = String(decoding: bytes.prefix(n), as: UTF8.self)
    return "“\(text.prefix(8))”"
  }

  // MARK: - Parsing one record

  private func skipSpace(_ p: inout UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) {
    while p < end, p.pointee == 0x20 || p.pointee == 0x0A || p.pointee == 0x0D || p.pointee == 0x09 { p += 1 }
  }

  /// Parses one record (with the array punctuation around it); value offsets in `pairs` are
  /// relative to the buffer's `base` until `fill` adds the buffer's file offset.
  private func parse(from start: UnsafePointer<UInt8>, end: UnsafePointer<UInt8>, atEnd: Bool, base: UnsafePointer<UInt8>) -> Outcome {
    var p = start
    // The mode is committed only with a whole record: an incomplete one is scanned again.
    var mode = self.mode
    skipSpace(&p, end)
    if p == end { return atEnd ? (mode == .array && !arrayClosed ? .malformed(at: p, expected: "“,” or “]”") : .endOfInput) : .incomplete }
    switch mode {
    case .unknown:
      if p.pointee == 0x5B {
        mode = .array
        p += 1
        skipSpace(&p, end)
        if p == end { return atEnd ? .malformed(at: p, expected: "a record or “]”") : .incomplete }
        if p.pointee == 0x5D {
          self.mode = mode
          arrayClosed = true
          return .endOfInput
        }
      } else if p.pointee == 0x7B {
        mode = .lines
      } else {
        return .malformed(at: p, expected: "“[” or “{” (an array of records or JSON Lines)")
      }
    case .array:
      if arrayClosed { return .malformed(at: p, expected: "nothing after the closing “]”") }
    case .lines:
      break
    }
    guard p.pointee == 0x7B else { return .malformed(at: p, expected: "“{” (a record)") }
    scratch.removeAll()
    scratch.reserve(end - start + 1)
    pairs.removeAll(keepingCapacity: true)
    p += 1
    skipSpace(&p, end)
    if p == end { return atEnd ? .malformed(at: p, expected: "a key or “}”") : .incomplete }
    if p.pointee != 0x7D {
      while true {
        skipSpace(&p, end)
        if p == end { return atEnd ? .malformed(at: p, expected: "a key") : .incomplete }
        guard p.pointee == 0x22 else { return .malformed(at: p, expected: "a key in double quotes") }
        let keyStart = p
        let key: ByteSpan
        switch string(&p, end, atEnd) {
        case .success(let span): key = span
        case .failure(let box): return box.outcome
        }
        skipSpace(&p, end)
        if p == end { return atEnd ? .malformed(at: p, expected: "“:”") : .incomplete }
        guard p.pointee == 0x3A else { return .malformed(at: p, expected: "“:” after the key") }
        p += 1
        skipSpace(&p, end)
        if p == end { return atEnd ? .malformed(at: p, expected: "a value") : .incomplete }
        let valueStart = p
        let value: ByteSpan
        switch self.value(&p, end, atEnd) {
        case .success(let span): value = span
        case .failure(let box): return box.outcome
        }
        pairs.append((key, value, keyStart - base, valueStart - base))
        skipSpace(&p, end)
        if p == end { return atEnd ? .malformed(at: p, expected: "“,” or “}”") : .incomplete }
        if p.pointee == 0x2C {
          p += 1
          continue
        }
        guard p.pointee == 0x7D else { return .malformed(at: p, expected: "“,” or “}”") }
        break
      }
    }
    p += 1
    if mode == .array {
      skipSpace(&p, end)
      if p == end { return atEnd ? .malformed(at: p, expected: "“,” or “]”") : .incomplete }
      if p.pointee == 0x2C {
        p += 1
      } else if p.pointee == 0x5D {
        p += 1
        arrayClosed = true
      } else {
        return .malformed(at: p, expected: "“,” or “]”")
      }
    }
    self.mode = mode
    if recordIsFirst {
      recordIsFirst = false
      fileKeys = pairs.map { Array(UnsafeBufferPointer(start: $0.key.base, count: $0.key.count)) }
      for (index, key) in fileKeys.enumerated() where keyIndex[key] == nil { keyIndex[key] = index }
    }
    return .record(next: p)
  }

  private func value(_ p: inout UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>, _ atEnd: Bool) -> Result<ByteSpan, OutcomeBox> {
    let b = p.pointee
    if b == 0x22 { return string(&p, end, atEnd) }
    if b == 0x7B || b == 0x5B {
      return .failure(OutcomeBox(.malformed(at: p, expected: "a string, number, true, false or null (records must be flat)")))
    }
    let start = p
    while p < end {
      let c = p.pointee
      if c == 0x2C || c == 0x7D || c == 0x5D || c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 { break }
      p += 1
    }
    if p == end, !atEnd { return .failure(OutcomeBox(.incomplete)) }
    let span = ByteSpan(base: start, count: p - start)
    let bytes = UnsafeBufferPointer(start: start, count: span.count)
    if bytes.elementsEqual("null".utf8) { return .success(ByteSpan(base: UnsafePointer(empty), count: 0)) }
    if bytes.elementsEqual("true".utf8) || bytes.elementsEqual("false".utf8) { return .success(span) }
    guard let first = bytes.first, first == 0x2D || (first &- 0x30) < 10, NumberScanner.isPlainNumber(bytes) else {
      return .failure(OutcomeBox(.malformed(at: start, expected: "a string, number, true, false or null")))
    }
    if decimalComma, bytes.contains(0x2E) {
      let copied = scratch.count
      for b in bytes { scratch.append(b == 0x2E ? 0x2C : b) }
      return .success(ByteSpan(base: UnsafePointer(scratch.base + copied), count: span.count))
    }
    return .success(span)
  }

  private struct OutcomeBox: Error, @unchecked Sendable {
    var outcome: Outcome
    init(_ outcome: Outcome) { self.outcome = outcome }
  }

  /// A string starting at the quote under `p`; escapes are decoded into the scratch space.
  private func string(_ p: inout UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>, _ atEnd: Bool) -> Result<ByteSpan, OutcomeBox> {
    let open = p
    p += 1
    let contentStart = p
    var escaped = false
    while p < end, p.pointee != 0x22 {
      if p.pointee == 0x5C {
        escaped = true
        p += 2
      } else if p.pointee < 0x20 {
        return .failure(OutcomeBox(.malformed(at: p, expected: "a control character to be escaped in a string")))
      } else {
        p += 1
      }
    }
    if p >= end { return .failure(OutcomeBox(atEnd ? .malformed(at: open, expected: "a closing quote for the string that starts here") : .incomplete)) }
    let contentEnd = p
    p += 1
    guard escaped else { return .success(ByteSpan(base: contentStart, count: contentEnd - contentStart)) }
    let decodedStart = scratch.count
    var q = contentStart
    while q < contentEnd {
      if q.pointee != 0x5C {
        scratch.append(q.pointee)
        q += 1
        continue
      }
      let e = (q + 1).pointee
      q += 2
      switch e {
      case 0x22, 0x5C, 0x2F: scratch.append(e)
      case 0x62: scratch.append(0x08)
      case 0x66: scratch.append(0x0C)
      case 0x6E: scratch.append(0x0A)
      case 0x72: scratch.append(0x0D)
      case 0x74: scratch.append(0x09)
      case 0x75:
        guard var scalar = hex4(q, contentEnd) else {
          return .failure(OutcomeBox(.malformed(at: q - 2, expected: "four hex digits after \\u")))
        }
        q += 4
        if (0xD800..<0xDC00).contains(scalar), q + 6 <= contentEnd, q.pointee == 0x5C, (q + 1).pointee == 0x75,
          let low = hex4(q + 2, contentEnd), (0xDC00..<0xE000).contains(low)
        {
          scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
          q += 6
        }
        for byte in String(Character(Unicode.Scalar(scalar) ?? "\u{FFFD}")).utf8 { scratch.append(byte) }
      default:
        return .failure(OutcomeBox(.malformed(at: q - 2, expected: "a valid escape (\\\", \\\\, \\/, \\b, \\f, \\n, \\r, \\t or \\u)")))
      }
    }
    return .success(ByteSpan(base: UnsafePointer(scratch.base + decodedStart), count: scratch.count - decodedStart))
  }

  private func hex4(_ q: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) -> UInt32? {
    guard end - q >= 4 else { return nil }
    var v: UInt32 = 0
    for i in 0..<4 {
      let c = q[i]
      let d: UInt32
      switch c {
      case 0x30...0x39: d = UInt32(c - 0x30)
      case 0x41...0x46: d = UInt32(c - 0x41 + 10)
      case 0x61...0x66: d = UInt32(c - 0x61 + 10)
      default: return nil
      }
      v = v << 4 | d
    }
    return v
  }
}
