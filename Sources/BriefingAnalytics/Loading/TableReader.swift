/// One row of a table file as text, with where it came from.
public struct TableRow: Sendable {
  /// The fields in header order.
  public var fields: [String]
  /// The 1-based line the row starts on.
  public var line: Int
  /// Each field's location (line and column of its first character).
  public var locations: [SourceLocation]
}

/// Reads whole rows of a CSV or JSON file as text: for reference tables and the tidy data a
/// layout names, where every column is kept. (`QueryEngine` is the streaming path that keeps
/// only aggregates.)
public enum TableReader {
  /// Calls `body` with the header, then each row; errors name file, line and column.
  public static func read(
    _ path: String, options: ReadOptions = ReadOptions(), header: ([String]) throws(DataError) -> Void,
    row body: (TableRow) throws(DataError) -> Void
  ) throws(DataError) {
    try read(try ByteSource(path: path), options: options, header: header, row: body)
  }

  /// Reads bytes in memory; `name` is used in errors.
  public static func read(
    bytes: [UInt8], name: String, options: ReadOptions = ReadOptions(), header: ([String]) throws(DataError) -> Void,
    row body: (TableRow) throws(DataError) -> Void
  ) throws(DataError) {
    try read(ByteSource(bytes: bytes, name: name), options: options, header: header, row: body)
  }

  static func read(
    _ source: ByteSource, options: ReadOptions, header: ([String]) throws(DataError) -> Void, row body: (TableRow) throws(DataError) -> Void
  ) throws(DataError) {
    try withoutActuallyEscaping(body) { (body) throws(DataError) in
      switch options.format(of: source.name) {
      case .csv:
        let top = try CSVStream.header(of: source, delimiter: options.delimiter, columnNames: options.columnNames)
        try header(top.names)
        let collector = RowCollector(source: source, header: top.names, delimiter: top.delimiter, lenient: options.lenient, body: body)
        _ = try CSVStream.run(
          source, delimiter: top.delimiter, from: top.dataStart, limit: source.size, buffer: ChunkBuffer(capacity: 1 << 16),
          handler: collector)
        if let failure = collector.failure { throw failure }
      case .json:
        var collector: RowCollector? = nil
        let reader = JSONRecordReader(source: source, columnNames: options.columnNames, chunkSize: 1 << 16, decimalComma: options.decimalComma)
        try reader.read { names throws(DataError) -> any RecordHandler in
          try header(names)
          let made = RowCollector(source: source, header: names, delimiter: nil, lenient: options.lenient, body: body)
          collector = made
          return made
        }
        if let failure = collector?.failure { throw failure }
      }
    }
  }
}

/// Turns records into `TableRow`s, counting lines as it goes.
private final class RowCollector: RecordHandler {
  let source: ByteSource
  let header: [String]
  let delimiter: UInt8?
  let lenient: Bool
  let body: (TableRow) throws(DataError) -> Void
  var fieldOffsets: UnsafePointer<Int>? = nil
  var failure: DataError?
  private var counter: LineCounter

  init(source: ByteSource, header: [String], delimiter: UInt8?, lenient: Bool, body: @escaping (TableRow) throws(DataError) -> Void) {
    self.source = source
    self.header = header
    self.delimiter = delimiter
    self.lenient = lenient
    self.body = body
    counter = LineCounter(source: source)
  }

  func handle(_ fields: UnsafePointer<ByteSpan>, count: Int, at position: RecordPosition) -> Bool {
    let offsets = (0..<count).map { k in position.offset(ofField: k, delimiter: delimiter, fieldOffsets: fieldOffsets) }
    if delimiter != nil, count != header.count {
      let at = offsets[count > header.count ? header.count : count - 1]
      return reject(LocatedIssue(offset: at, kind: .wrongFieldCount(expected: header.count, found: count)))
    }
    var texts: [String] = []
    texts.reserveCapacity(count)
    for k in 0..<count {
      guard let text = fields[k].validatedString() else {
        return reject(LocatedIssue(offset: offsets[k], kind: .invalidUTF8))
      }
      if let control = fields[k].firstControlCharacter() {
        let column = k < header.count ? header[k] : "#\(k + 1)"
        let at = position.offset(ofField: k, within: control.offset, delimiter: delimiter, fieldOffsets: fieldOffsets)
        return reject(LocatedIssue(offset: at, kind: .controlCharacter(column: column, scalar: control.scalar)))
      }
      texts.append(text)
    }
    let recordLocation = counter.location(ofByte: position.offset)
    let locations = offsets.map { Self.location(ofByte: $0, in: position, startingAt: recordLocation) }
    // A JSON record's bytes start after the previous record (with the array's “[” or a comma):
    // its line is its brace's.
    var first = position.start
    if delimiter == nil {
      while first < position.end, [0x20, 0x0A, 0x0D, 0x09, 0x5B, 0x2C].contains(first.pointee) { first += 1 }
    }
    let line = Self.location(ofByte: position.offset + (first - position.start), in: position, startingAt: recordLocation).line
    do {
      try body(TableRow(fields: texts, line: line, locations: locations))
    } catch {
      if lenient { return true }
      failure = error
      return false
    }
    return true
  }

  /// A field's location, counted from its record's start within the record's bytes (JSON keys
  /// may come in any order, so field offsets are not increasing and the file-wide counter, which
  /// only reads forward, would start over for each).
  private static func location(ofByte offset: Int, in position: RecordPosition, startingAt start: SourceLocation) -> SourceLocation {
    var location = start
    var p = position.start
    let stop = min(position.start + max(offset - position.offset, 0), position.end)
    while p < stop {
      let b = p.pointee
      if b == 0x0A {
        location.line += 1
        location.column = 1
      } else if b & 0xC0 != 0x80 {
        location.column += 1
      }
      p += 1
    }
    return location
  }

  func reject(_ issue: LocatedIssue) -> Bool {
    if lenient { return true }
    failure = issue.error(in: source)
    return false
  }
}

/// Turns increasing byte offsets (record starts) into lines and columns by reading forward once.
private struct LineCounter {
  let source: ByteSource
  private var position = 0
  private var line = 1
  private var lineStart = 0
  /// Characters between `lineStart` and `position`.
  private var column = 1

  init(source: ByteSource) { self.source = source }

  mutating func location(ofByte offset: Int) -> SourceLocation {
    if offset < position { return source.location(ofByte: offset) }
    var buffer = [UInt8](repeating: 0, count: 4096)
    while position < offset {
      let want = min(buffer.count, offset - position)
      let n = buffer.withUnsafeMutableBufferPointer { chunk in chunk.baseAddress.flatMap { try? source.read(into: $0, count: want, at: position) } ?? 0 }
      if n == 0 { break }
      for i in 0..<n {
        let b = buffer[i]
        if b == 0x0A {
          line += 1
          column = 1
        } else if b & 0xC0 != 0x80, !(position + i < 3 && isBOM(at: position + i)) {
          column += 1
        }
      }
      position += n
    }
    return SourceLocation(file: source.name, line: line, column: column)
  }

  private func isBOM(at offset: Int) -> Bool {
    var head = [UInt8](repeating: 0, count: 3)
    let n = head.withUnsafeMutableBufferPointer { bytes in bytes.baseAddress.flatMap { try? source.read(into: $0, count: 3, at: 0) } ?? 0 }
    return n == 3 && head == [0xEF, 0xBB, 0xBF] && offset < 3
  }
}
