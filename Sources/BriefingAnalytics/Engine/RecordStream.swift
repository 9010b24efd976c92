internal import Foundation

/// Where a record sits, for locating a problem in it.
struct RecordPosition {
  /// The record's first byte in the buffer.
  var start: UnsafePointer<UInt8>
  /// One past its last byte.
  var end: UnsafePointer<UInt8>
  /// The file offset of `start`.
  var offset: Int
}

extension RecordPosition {
  /// The file offset where field `k` of this record starts: from the offsets a JSON reader
  /// recorded, or by walking a CSV record to its `k`th delimiter (only when a problem needs it).
  func offset(ofField k: Int, delimiter: UInt8?, fieldOffsets: UnsafePointer<Int>?) -> Int {
    if let fieldOffsets { return fieldOffsets[k] }
    guard let delimiter else { return offset }
    return offset + (CSVStream.fieldStart(k, from: start, end: end, delimiter: delimiter) - start)
  }

  /// The file offset where `field`, field `k` of this record, starts. A plain CSV field's bytes are
  /// the record's own, right after a delimiter or at the record's start, so its offset is where
  /// they lie, without walking the record (a load asks it for every new value: 5 M instructions
  /// on the seed panel); anything else as `offset(ofField:delimiter:fieldOffsets:)`.
  func offset(of field: ByteSpan, k: Int, delimiter: UInt8?, fieldOffsets: UnsafePointer<Int>?) -> Int {
    if fieldOffsets == nil, let delimiter, field.base >= start, field.base <= end,
      field.base == start ? k == 0 : field.base[-1] == delimiter
    {
      return offset + (field.base - start)
    }
    return offset(ofField: k, delimiter: delimiter, fieldOffsets: fieldOffsets)
  }

  /// The file offset of the byte `within` bytes into field `k`'s text: exact for a plain CSV
  /// field, whose text is its bytes; the field's start for a quoted one or a JSON string, whose
  /// text was unescaped.
  func offset(ofField k: Int, within: Int, delimiter: UInt8?, fieldOffsets: UnsafePointer<Int>?) -> Int {
    let field = offset(ofField: k, delimiter: delimiter, fieldOffsets: fieldOffsets)
    guard fieldOffsets == nil, delimiter != nil else { return field }
    let raw = start + (field - offset)
    return raw < end && raw.pointee == UInt8(ascii: "\"") ? field : field + within
  }
}

/// A problem found in the input, located by byte offset (turned into line and column only when
/// it is reported, so the hot path never counts lines).
struct LocatedIssue {
  enum Kind {
    case wrongFieldCount(expected: Int, found: Int)
    case invalidNumber(column: String, found: String)
    case nonFiniteNumber(column: String, found: String)
    case invalidUTF8
    /// A control character (`controlCharacterName`) in a text field of `column`.
    case controlCharacter(column: String, scalar: UInt32)
    case unterminatedQuote
    case unexpectedQuote
    /// Text follows a closing quote whose field began on an earlier line, at this offset: most
    /// likely that earlier quote was never closed.
    case quoteClosedOnLaterLine(opening: Int)
    case invalidJSON(expected: String, found: String)
  }

  var offset: Int
  var kind: Kind

  /// Text after a closing quote at `at`: when the quoted field ran over a line break, the likely
  /// fault is its opening quote, so that is where the problem is reported.
  static func afterQuote(at: Int, opening: Int, spansLines: Bool) -> LocatedIssue {
    spansLines ? LocatedIssue(offset: at, kind: .quoteClosedOnLaterLine(opening: opening)) : LocatedIssue(offset: at, kind: .unexpectedQuote)
  }

  func error(in source: ByteSource) -> DataError {
    let at = source.location(ofByte: offset)
    return switch kind {
    case .wrongFieldCount(let expected, let found): .wrongFieldCount(at, expected: expected, found: found)
    case .invalidNumber(let column, let found): .invalidNumber(at, column: column, found: found)
    case .nonFiniteNumber(let column, let found): .nonFiniteNumber(at, column: column, found: found)
    case .invalidUTF8: .invalidUTF8(at)
    case .controlCharacter(let column, let scalar):
      .controlCharacter(at, column: column, character: controlCharacterName(scalar))
    case .unterminatedQuote: .unterminatedQuote(at)
    case .unexpectedQuote: .unexpectedQuote(at)
    case .quoteClosedOnLaterLine(let opening): .quoteClosedOnLaterLine(source.location(ofByte: opening), textAfterQuote: at)
    case .invalidJSON(let expected, let found): .invalidJSON(at, expected: expected, found: found)
    }
  }
}

/// Receives the records of a stream.
protocol RecordHandler: AnyObject {
  /// Handles one record; returns false to stop the stream.
  func handle(_ fields: UnsafePointer<ByteSpan>, count: Int, at position: RecordPosition) -> Bool
  /// Handles a record the scanner could not split (it was never passed to `handle`); returns
  /// false to stop.
  func reject(_ issue: LocatedIssue) -> Bool
  /// For JSON input: the file offset of each field of the record being handled.
  var fieldOffsets: UnsafePointer<Int>? { get set }
}

/// How a stream ended.
enum StreamEnd: Equatable {
  /// The next record would start at or after the limit (or the input ended): its offset.
  case reachedLimit(at: Int)
  /// The handler asked to stop.
  case halted
}

/// The header of a CSV input and where its data starts.
struct CSVHeader {
  var names: [String]
  var delimiter: UInt8
  var dataStart: Int
}

/// Reads CSV records from a byte source in chunks, handing each to a handler.
enum CSVStream {
  /// Reads the header row (after an optional byte-order mark) and picks the delimiter.
  static func header(of source: ByteSource, delimiter: UInt8?, columnNames: [String: String]) throws(DataError) -> CSVHeader {
    let buffer = ChunkBuffer(capacity: 1 << 16)
    var filled = 0
    var atEnd = false
    var start = 0
    var scanner: CSVScanner? = nil
    defer { scanner?.release() }
    while true {
      if !atEnd {
        if filled == buffer.capacity { try buffer.grow(keeping: filled, recordAt: 0, in: source) }
        let n = try source.read(into: buffer.base + filled, count: buffer.capacity - filled, at: filled)
        if n == 0 { atEnd = true } else { filled += n }
      }
      let head = UnsafePointer(buffer.base)
      if filled >= 3, buffer.base[0] == 0xEF, buffer.base[1] == 0xBB, buffer.base[2] == 0xBF { start = 3 }
      // Blank lines before the header are skipped.
      var skip = start
      while skip < filled, buffer.base[skip] == 0x0A || buffer.base[skip] == 0x0D { skip += 1 }
      if skip == filled {
        if atEnd { throw .emptyFile(file: source.name) }
        continue
      }
      let chosen = delimiter ?? CSVScanner.detectDelimiter(in: UnsafeBufferPointer(start: head + skip, count: filled - skip))
      var current = scanner ?? CSVScanner(delimiter: chosen)
      let outcome = current.scan(from: head + skip, end: head + filled, atEndOfInput: atEnd)
      // Stored back at once: the scan may have grown its buffers, which the defer releases.
      scanner = current
      switch outcome {
      case .incomplete: continue
      case .unterminatedQuote(let at): throw LocatedIssue(offset: at - head, kind: .unterminatedQuote).error(in: source)
      case .unexpectedQuote(let at, let opening):
        throw LocatedIssue.afterQuote(at: at - head, opening: opening - head, spansLines: spansLines(opening, at)).error(in: source)
      case .record(let next):
        var names: [String] = []
        var originals: [String] = []
        var seen: Set<String> = []
        for k in 0..<current.fieldCount {
          let span = current.fields[k]
          let fieldOffset = fieldStart(k, from: head + skip, end: next, delimiter: chosen) - head
          guard let raw = span.validatedString() else {
            throw LocatedIssue(offset: fieldOffset, kind: .invalidUTF8).error(in: source)
          }
          let trimmed = raw.trimmingSpaces()
          originals.append(trimmed)
          let name = columnNames[trimmed] ?? trimmed
          guard seen.insert(name).inserted else {
            throw DataError.duplicateColumn(source.location(ofByte: fieldOffset), column: name)
          }
          names.append(name)
        }
        for original in columnNames.keys.sorted() where !originals.contains(original) {
          throw DataError.missingColumn(file: source.name, column: original, header: originals)
        }
        return CSVHeader(names: names, delimiter: chosen, dataStart: next - head)
      }
    }
  }

  /// Streams the records that start in `start..<limit` (a record may run past the limit).
  static func run<Handler: RecordHandler>(
    _ source: ByteSource, delimiter: UInt8, from start: Int, limit: Int, buffer: ChunkBuffer, fieldsToKeep: Int = .max, handler: Handler
  ) throws(DataError) -> StreamEnd {
    var scanner = CSVScanner(delimiter: delimiter, fieldsToKeep: fieldsToKeep)
    defer { scanner.release() }
    var bufferOffset = start
    var filled = 0
    var cursor = 0
    var atEnd = false
    // After a refused record: walks to its end, through any quoted line breaks it still has.
    var skipping: RecordWalker? = nil

    while true {
      let base = UnsafePointer(buffer.base)
      if var walker = skipping {
        var q = base + cursor
        let end = base + filled
        var ended = false
        while q < end, !ended {
          ended = walker.step(q.pointee)
          q += 1
        }
        cursor = q - base
        skipping = ended ? nil : walker
        if ended { continue }
        if atEnd { return .reachedLimit(at: bufferOffset + cursor) }
      } else {
        let recordOffset = bufferOffset + cursor
        if recordOffset >= limit || (cursor == filled && atEnd) { return .reachedLimit(at: recordOffset) }
        if cursor < filled || atEnd {
          switch scanner.scan(from: base + cursor, end: base + filled, atEndOfInput: atEnd) {
          case .record(let next):
            let position = RecordPosition(start: base + cursor, end: next, offset: recordOffset)
            cursor = next - base
            if scanner.fieldCount == 1, scanner.fields[0].isEmpty { continue }
            if !handler.handle(scanner.fields.base, count: scanner.fieldCount, at: position) { return .halted }
            continue
          case .incomplete:
            break
          case .unterminatedQuote(let at):
            if !handler.reject(LocatedIssue(offset: bufferOffset + (at - base), kind: .unterminatedQuote)) { return .halted }
            return .reachedLimit(at: source.size)
          case .unexpectedQuote(let at, let opening):
            let issue = LocatedIssue.afterQuote(
              at: bufferOffset + (at - base), opening: bufferOffset + (opening - base), spansLines: spansLines(opening, at))
            if !handler.reject(issue) { return .halted }
            cursor = at - base
            skipping = RecordWalker(delimiter: delimiter, atFieldStart: false)
            continue
          }
        }
      }
      if try !buffer.refill(from: source, offset: &bufferOffset, filled: &filled, cursor: &cursor) { atEnd = true }
    }
  }

  private static func spansLines(_ from: UnsafePointer<UInt8>, _ to: UnsafePointer<UInt8>) -> Bool {
    memchr(from, 0x0A, to - from) != nil
  }

  /// The first byte of field `k` (its opening quote if quoted) in a record, found by re-reading
  /// the record; used only to locate problems.
  static func fieldStart(_ k: Int, from start: UnsafePointer<UInt8>, end: UnsafePointer<UInt8>, delimiter: UInt8) -> UnsafePointer<UInt8> {
    var q = start
    var walker = RecordWalker(delimiter: delimiter)
    while q < end, walker.field < k {
      _ = walker.step(q.pointee)
      q += 1
    }
    return q
  }
}

/// Reads a record byte by byte as the scanner does — a quote opens a quoted field only at the
/// start of a field, and `""` inside one is an escaped quote — to find where a field starts, or
/// where a refused record ends. Keeps its state between buffers.
struct RecordWalker {
  let delimiter: UInt8
  /// The fields begun so far, less one.
  private(set) var field = 0
  private var inQuotes = false
  /// Inside quotes, the last byte was a quote: it closes the field unless another follows.
  private var quotePending = false
  private var atFieldStart: Bool

  init(delimiter: UInt8, atFieldStart: Bool = true) {
    self.delimiter = delimiter
    self.atFieldStart = atFieldStart
  }

  /// Takes the next byte; true when it is the line feed that ends the record.
  mutating func step(_ b: UInt8) -> Bool {
    if inQuotes {
      guard quotePending else {
        if b == 0x22 { quotePending = true }
        return false
      }
      quotePending = false
      if b == 0x22 { return false }
      inQuotes = false
    }
    if b == 0x0A { return true }
    if b == delimiter {
      field += 1
      atFieldStart = true
      return false
    }
    if b == 0x22, atFieldStart {
      inQuotes = true
      atFieldStart = false
      return false
    }
    atFieldStart = false
    return false
  }
}
