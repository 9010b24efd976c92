/// Reads one CSV or JSON file into interned columns for `MemoryTable`: each field's bytes are
/// looked up in its column's interner, and a `String` is made only once per distinct value, so
/// a file of many rows and few distinct keys costs a hash per field, not an allocation.
final class TableLoader: RecordHandler {
  let source: ByteSource
  let header: [String]
  /// The CSV delimiter, to locate a field; nil for JSON, whose field offsets are given.
  let delimiter: UInt8?
  let lenient: Bool
  var fieldOffsets: UnsafePointer<Int>? = nil
  private(set) var failure: DataError?
  /// The first control character in each column (by header position), reported only when a query
  /// reads that column.
  private(set) var controlIssues: [Int: DataError] = [:]
  /// Per column: its interner, each row's id, and the file offset where each id first appears.
  /// Manually managed, like the query kernel's state, so the per-field path has no reference
  /// counting or uniqueness checks.
  private let interners: UnsafeMutablePointer<ByteInterner>
  private let columnIDs: UnsafeMutablePointer<RawVector<Int32>>
  private var firstOffsets: [[Int]]
  /// Per column, how many ids `firstOffsets` holds (read per field without touching the arrays).
  private let known: UnsafeMutablePointer<Int>
  /// Scratch for one row: its ids, and the columns whose value is new.
  private let row: UnsafeMutablePointer<Int32>
  private let fresh: UnsafeMutablePointer<Int>
  /// A padded empty value, for a key a record leaves out.
  private let empty: UnsafeMutablePointer<UInt8>
  private(set) var rowCount = 0

  /// The position of the `value` column, read as numbers as the query engine reads them.
  private let valueColumn: Int?
  private let numbers: NumberScanner
  /// The number of each id of the value column (nil: missing).
  private(set) var valueNumbers: [Double?] = []

  init(source: ByteSource, header: [String], delimiter: UInt8?, lenient: Bool, decimalComma: Bool) {
    self.source = source
    self.header = header
    self.delimiter = delimiter
    self.lenient = lenient
    valueColumn = header.firstIndex(of: "value")
    numbers = NumberScanner(decimalMark: decimalComma ? 0x2C : 0x2E)
    let width = max(header.count, 1)
    interners = .allocate(capacity: width)
    columnIDs = .allocate(capacity: width)
    for k in 0..<header.count {
      (interners + k).initialize(to: ByteInterner())
      (columnIDs + k).initialize(to: RawVector(capacity: 1024))
    }
    firstOffsets = header.map { _ in [] }
    known = .allocate(capacity: width)
    known.initialize(repeating: 0, count: width)
    row = .allocate(capacity: width)
    fresh = .allocate(capacity: width)
    empty = .allocate(capacity: wordPadding)
    empty.initialize(repeating: 0, count: wordPadding)
  }

  deinit {
    for k in 0..<header.count {
      interners[k].release()
      columnIDs[k].release()
    }
    interners.deallocate()
    columnIDs.deallocate()
    row.deallocate()
    known.deallocate()
    fresh.deallocate()
    empty.deallocate()
  }

  /// Each row's id in column `k`.
  func ids(ofColumn k: Int) -> UnsafeBufferPointer<Int32> {
    UnsafeBufferPointer(start: columnIDs[k].base, count: columnIDs[k].count)
  }

  func handle(_ fields: UnsafePointer<ByteSpan>, count: Int, at position: RecordPosition) -> Bool {
    func offset(_ k: Int) -> Int { position.offset(ofField: k, delimiter: delimiter, fieldOffsets: fieldOffsets) }
    if delimiter != nil, count != header.count {
      return reject(LocatedIssue(
        offset: offset(count > header.count ? header.count : count - 1), kind: .wrongFieldCount(expected: header.count, found: count)))
    }
    // The whole row is checked before any of it is kept, so a refused row leaves no trace.
    var freshCount = 0
    for k in 0..<header.count {
      // A record may leave out trailing keys (JSON): they read as empty.
      let field = k < count ? fields[k] : ByteSpan(base: empty, count: 0)
      let id = interners[k].intern(field)
      // New to this column (a refused row may have interned values no kept row has).
      if Int(id) >= known[k] {
        guard Self.isValidUTF8(field) else { return reject(LocatedIssue(offset: offset(k), kind: .invalidUTF8)) }
        if let control = field.firstControlCharacter() {
          let at = position.offset(ofField: k, within: control.offset, delimiter: delimiter, fieldOffsets: fieldOffsets)
          let issue = LocatedIssue(offset: at, kind: .controlCharacter(column: header[k], scalar: control.scalar))
          // As the streaming engine: an error when a query reads the column, not at load.
          if lenient { return reject(issue) }
          if controlIssues[k] == nil { controlIssues[k] = issue.error(in: source) }
        }
        if k == valueColumn {
          // Each distinct value is read once, in the file's own number style.
          let number: Double?
          switch numbers.scan(field) {
          case .missing: number = nil
          case .number(let value): number = value
          case .invalid: return reject(LocatedIssue(offset: offset(k), kind: .invalidNumber(column: header[k], found: Self.text(field))))
          case .nonFinite: return reject(LocatedIssue(offset: offset(k), kind: .nonFiniteNumber(column: header[k], found: Self.text(field))))
          }
          if valueNumbers.count <= Int(id) { valueNumbers += repeatElement(nil, count: Int(id) + 1 - valueNumbers.count) }
          valueNumbers[Int(id)] = number
        }
        fresh[freshCount] = k
        freshCount += 1
      }
      row[k] = id
    }
    for i in 0..<freshCount {
      let column = fresh[i]
      let at = column < count ? position.offset(of: fields[column], k: column, delimiter: delimiter, fieldOffsets: fieldOffsets) : position.offset
      while firstOffsets[column].count < interners[column].count { firstOffsets[column].append(at) }
      known[column] = firstOffsets[column].count
    }
    for k in 0..<header.count { columnIDs[k].append(row[k]) }
    rowCount += 1
    return true
  }

  private static func text(_ span: ByteSpan) -> String {
    String(decoding: UnsafeBufferPointer(start: span.base, count: span.count), as: UTF8.self)
  }

  /// Whether the bytes are UTF-8: ASCII at once, anything else by decoding.
  @inline(__always) private static func isValidUTF8(_ span: ByteSpan) -> Bool {
    var i = 0
    while i < span.count {
      if span.base[i] >= 0x80 { return span.validatedString() != nil }
      i += 1
    }
    return true
  }

  func reject(_ issue: LocatedIssue) -> Bool {
    if lenient { return true }
    failure = issue.error(in: source)
    return false
  }

  /// Each column's distinct values in id order (values only a refused row had are never
  /// referred to by the ids).
  func distinctValues() -> [[String]] {
    (0..<header.count).map { k in (0..<interners[k].count).map { interners[k].string(of: Int32($0)) } }
  }

  /// Where each id of column `k` first appears.
  func firstOffsets(ofColumn k: Int) -> [Int] { firstOffsets[k] }
}
