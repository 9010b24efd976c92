internal import Dispatch
internal import Foundation

/// Runs queries over CSV and JSON files by streaming: rows are folded into per-group accumulators
/// as they are read, so memory grows with the number of groups, not with the number of rows.
///
/// A large CSV file is split between threads at line breaks; each thread reads its part with
/// `pread` into its own 4 MiB buffer. A part is trusted only when the part before it ended
/// exactly at the split (a quoted line break across the split makes it fail); otherwise the rest
/// of the file is read by the thread before it, so the answer never depends on the split.
public enum QueryEngine {
  /// How many problems a lenient run keeps for its report (all are counted).
  public static let reportedProblems = 20

  /// Runs `query` over the files in order, as if they were one table.
  public static func run(_ query: Query, files: [String], options: ReadOptions = ReadOptions()) throws(DataError) -> QueryResult {
    try run(query, files: files.map { ($0, options) })
  }

  /// Runs `query` over the files in order, each read with its own options, as if they were one
  /// table.
  public static func run(_ query: Query, files: [(path: String, options: ReadOptions)]) throws(DataError) -> QueryResult {
    var sources: [(ByteSource, ReadOptions)] = []
    for (file, options) in files { sources.append((try ByteSource(path: file), options)) }
    return try run(query, sources: sources)
  }

  /// Runs `query` over bytes in memory (`name` is used in errors).
  public static func run(_ query: Query, bytes: [UInt8], name: String, options: ReadOptions = ReadOptions()) throws(DataError) -> QueryResult {
    try run(query, sources: [(ByteSource(bytes: bytes, name: name), options)])
  }

  static func run(_ query: Query, sources: [(ByteSource, ReadOptions)]) throws(DataError) -> QueryResult {
    var total: GroupByKernel? = nil
    var skipped = 0
    var problems: [DataError] = []
    for (source, options) in sources {
      let outcome: (GroupByKernel, RunReport)
      switch options.format(of: source.name) {
      case .csv: outcome = try runCSV(query, source: source, options: options)
      case .json: outcome = try runJSON(query, source: source, options: options)
      }
      let (kernel, report) = outcome
      skipped += report.skipped
      for issue in report.issues where problems.count < reportedProblems { problems.append(issue.error(in: source)) }
      if let total { total.merge(kernel) } else { total = kernel }
    }
    guard let kernel = total else { throw .invalidOption("no input file given") }
    return QueryResult(
      columns: query.groupBy, groups: try kernel.results(), aggregate: query.aggregate, rowsRead: kernel.rowsRead,
      rowsMatched: kernel.rowsMatched, rowsSkipped: skipped, problems: problems)
  }

  /// What a stream over one part of a file found besides its groups.
  struct RunReport {
    var skipped = 0
    var issues: [LocatedIssue] = []
    /// The first problem, in strict mode.
    var failure: LocatedIssue?

    mutating func append(_ other: RunReport) {
      skipped += other.skipped
      issues += other.issues.prefix(max(0, QueryEngine.reportedProblems - issues.count))
      if failure == nil { failure = other.failure }
    }
  }

  /// Resolves the query's columns against a header.
  static func plan(_ query: Query, header: [String], file: String, fieldCount: Int?) throws(DataError) -> (SlotLayout, FieldPlan) {
    let layout = SlotLayout(query: query)
    var slotFields: [Int] = []
    for (slot, column) in layout.columns.enumerated() {
      // The unit and qualifier columns may be left out: no unit, exact figures.
      let onlyForUnits =
        (slot == layout.unitSlot || slot == layout.qualifierSlot) && layout.filters[slot].isEmpty && !layout.keySlots.contains(slot)
      guard let index = header.firstIndex(of: column) else {
        if onlyForUnits {
          slotFields.append(-1)
          continue
        }
        throw .missingColumn(file: file, column: column, header: header)
      }
      slotFields.append(index)
    }
    guard let valueField = header.firstIndex(of: query.value) else {
      throw .missingColumn(file: file, column: query.value, header: header)
    }
    return (layout, FieldPlan(fieldCount: fieldCount, slotFields: slotFields, valueField: valueField))
  }

  static func numberScanner(_ options: ReadOptions) -> NumberScanner {
    NumberScanner(decimalMark: options.decimalComma ? 0x2C : 0x2E)
  }

  // MARK: - CSV

  static func runCSV(_ query: Query, source: ByteSource, options: ReadOptions) throws(DataError) -> (GroupByKernel, RunReport) {
    let header = try CSVStream.header(of: source, delimiter: options.delimiter, columnNames: options.columnNames)
    let (layout, plan) = try plan(query, header: header.names, file: source.name, fieldCount: header.names.count)
    let makeHandler = {
      QueryRecordHandler(
        kernel: GroupByKernel(layout: layout, aggregate: query.aggregate, numbers: numberScanner(options)), plan: plan,
        header: header.names, delimiter: header.delimiter, lenient: options.lenient)
    }
    let splits = try splitPoints(source, from: header.dataStart, options: options)
    let handlers = splits.map { _ in makeHandler() }
    let ends = UnsafeMutablePointer<Result<StreamEnd, DataError>>.allocate(capacity: splits.count)
    defer { ends.deallocate() }
    let box = UncheckedBox(ends)
    let chunkSize = options.chunkSize
    let delimiter = header.delimiter
    // Fields after the last one the query reads are only counted.
    let keep = max(plan.slotFields.max() ?? 0, plan.valueField) + 1
    DispatchQueue.concurrentPerform(iterations: splits.count) { i in
      let limit = i + 1 < splits.count ? splits[i + 1] : source.size
      let buffer = ChunkBuffer(capacity: chunkSize)
      let result = Result { () throws(DataError) -> StreamEnd in
        try CSVStream.run(source, delimiter: delimiter, from: splits[i], limit: limit, buffer: buffer, fieldsToKeep: keep, handler: handlers[i])
      }
      (box.pointer + i).initialize(to: result)
    }
    defer { ends.deinitialize(count: splits.count) }

    // Trust part i only if part i-1 ended exactly where part i began.
    let first = handlers[0]
    var report = RunReport()
    for i in 0..<splits.count {
      let end = try ends[i].get()
      let handler = handlers[i]
      if i > 0 { first.kernel.merge(handler.kernel) }
      report.append(handler.report)
      if report.failure != nil { break }
      guard i + 1 < splits.count else { break }
      if end != .reachedLimit(at: splits[i + 1]) {
        // The split fell inside a quoted field: read the rest of the file after part i, in order.
        guard case .reachedLimit(let resume) = end else { break }
        let rest = QueryRecordHandler(
          kernel: GroupByKernel(layout: layout, aggregate: query.aggregate, numbers: numberScanner(options)), plan: plan,
          header: header.names, delimiter: delimiter, lenient: options.lenient)
        _ = try CSVStream.run(
          source, delimiter: delimiter, from: resume, limit: source.size, buffer: ChunkBuffer(capacity: chunkSize), fieldsToKeep: keep,
          handler: rest)
        first.kernel.merge(rest.kernel)
        report.append(rest.report)
        break
      }
    }
    if let failure = report.failure { throw failure.error(in: source) }
    return (first.kernel, report)
  }

  /// Where each thread starts: just after a line feed near each equal share of the data.
  static func splitPoints(_ source: ByteSource, from dataStart: Int, options: ReadOptions) throws(DataError) -> [Int] {
    let threads = max(1, min(options.threads ?? ProcessInfo.processInfo.activeProcessorCount, 8))
    let length = source.size - dataStart
    let minimumShare = min(options.chunkSize, 1 << 20)
    guard threads > 1, length > threads * minimumShare else { return [dataStart] }
    var splits = [dataStart]
    let window = 1 << 16
    let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: window)
    defer { buffer.deallocate() }
    for i in 1..<threads {
      var position = max(dataStart + length / threads * i - 1, (splits.last ?? dataStart) + 1)
      var split: Int? = nil
      while split == nil, position < source.size {
        let n = try source.read(into: buffer, count: window, at: position)
        if n == 0 { break }
        if let lf = memchr(buffer, 0x0A, n) {
          split = position + (UnsafeMutablePointer(lf.assumingMemoryBound(to: UInt8.self)) - buffer) + 1
        }
        position += n
      }
      guard let split, split < source.size else { break }
      splits.append(split)
    }
    return splits
  }

  // MARK: - JSON

  static func runJSON(_ query: Query, source: ByteSource, options: ReadOptions) throws(DataError) -> (GroupByKernel, RunReport) {
    var handler: QueryRecordHandler? = nil
    let reader = JSONRecordReader(
      source: source, columnNames: options.columnNames, chunkSize: options.chunkSize, decimalComma: options.decimalComma)
    try reader.read { header throws(DataError) -> any RecordHandler in
      let (layout, plan) = try plan(query, header: header, file: source.name, fieldCount: nil)
      let made = QueryRecordHandler(
        kernel: GroupByKernel(layout: layout, aggregate: query.aggregate, numbers: numberScanner(options)), plan: plan,
        header: header, delimiter: nil, lenient: options.lenient)
      handler = made
      return made
    }
    guard let handler else { throw .emptyFile(file: source.name) }
    if let failure = handler.report.failure { throw failure.error(in: source) }
    return (handler.kernel, handler.report)
  }
}

/// Feeds records to a kernel and turns refused rows into located problems.
final class QueryRecordHandler: RecordHandler, @unchecked Sendable {
  let kernel: GroupByKernel
  let plan: FieldPlan
  let header: [String]
  /// The CSV delimiter, for locating a field; nil for JSON, whose field starts are recorded.
  let delimiter: UInt8?
  let lenient: Bool
  var report = QueryEngine.RunReport()
  /// For JSON: each field's file offset in the current record.
  var fieldOffsets: UnsafePointer<Int>? = nil

  init(kernel: GroupByKernel, plan: FieldPlan, header: [String], delimiter: UInt8?, lenient: Bool) {
    self.kernel = kernel
    self.plan = plan
    self.header = header
    self.delimiter = delimiter
    self.lenient = lenient
  }

  @inline(__always)
  func handle(_ fields: UnsafePointer<ByteSpan>, count: Int, at position: RecordPosition) -> Bool {
    guard let issue = kernel.consume(fields, count: count, plan: plan) else { return true }
    let located: LocatedIssue
    switch issue {
    case .wrongFieldCount(let found):
      let expected = header.count
      located = LocatedIssue(offset: offset(ofField: found > expected ? expected : found - 1, fields, position), kind: .wrongFieldCount(expected: expected, found: found))
    case .invalidNumber(let field):
      located = LocatedIssue(offset: offset(ofField: field, fields, position), kind: .invalidNumber(column: header[field], found: text(fields[field])))
    case .nonFiniteNumber(let field):
      located = LocatedIssue(offset: offset(ofField: field, fields, position), kind: .nonFiniteNumber(column: header[field], found: text(fields[field])))
    case .invalidUTF8(let field):
      located = LocatedIssue(offset: offset(ofField: field, fields, position), kind: .invalidUTF8)
    case .controlCharacter(let field):
      let control = fields[field].firstControlCharacter() ?? (offset: 0, scalar: 0)
      located = LocatedIssue(
        offset: position.offset(ofField: field, within: control.offset, delimiter: delimiter, fieldOffsets: fieldOffsets),
        kind: .controlCharacter(column: header[field], scalar: control.scalar))
    }
    return refuse(located)
  }

  func reject(_ issue: LocatedIssue) -> Bool {
    // The scanner could not split this record, so the kernel never counted it as read.
    kernel.state.pointee.rowsRead += 1
    return refuse(issue)
  }

  private func refuse(_ issue: LocatedIssue) -> Bool {
    report.skipped += 1
    if lenient {
      if report.issues.count < QueryEngine.reportedProblems { report.issues.append(issue) }
      return true
    }
    report.failure = issue
    return false
  }

  private func text(_ span: ByteSpan) -> String {
    String(decoding: UnsafeBufferPointer(start: span.base, count: span.count), as: UTF8.self)
  }

  private func offset(ofField field: Int, _ fields: UnsafePointer<ByteSpan>, _ position: RecordPosition) -> Int {
    position.offset(ofField: field, delimiter: delimiter, fieldOffsets: fieldOffsets)
  }
}

/// Hands a pointer to concurrent workers that each write their own element.
struct UncheckedBox<T>: @unchecked Sendable {
  let pointer: UnsafeMutablePointer<T>
  init(_ pointer: UnsafeMutablePointer<T>) { self.pointer = pointer }
}
