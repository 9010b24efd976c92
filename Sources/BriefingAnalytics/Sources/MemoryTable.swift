/// Where a value of a `MemoryTable` first appears: a byte of a file, turned into a line and
/// column only when an error reports it (most values never need one).
enum Origin: Sendable {
  case byte(String, Int)
  case located(SourceLocation)

  var location: SourceLocation {
    switch self {
    case .located(let location): location
    case .byte(let path, let offset):
      (try? ByteSource(path: path).location(ofByte: offset)) ?? SourceLocation(file: path, line: 1, column: 1)
    }
  }
}

/// Data loaded once and queried by many blocks: every column held as small integer ids into its
/// distinct values, so a query filters by looking up a flag per distinct value and groups by id
/// tuples, never comparing strings row by row.
///
/// Files with different columns are read as one table; a column a file lacks reads as empty in
/// its rows.
public struct MemoryTable: DataSource, Sendable {
  /// One column: the distinct values in order of first appearance, and each row's id.
  struct Column: Sendable {
    var name: String
    var values: [String] = []
    var slots: [String: Int32] = [:]
    /// Where each distinct value first appears, for errors about it.
    var firstSeen: [Origin] = []
    var ids: [Int32] = []
    /// The first control character in the column: an error for any query that reads it.
    var controlCharacter: DataError?

    mutating func append(_ text: String, at location: Origin) {
      ids.append(id(of: text, at: location))
    }

    /// The id of `text`, adding it (first seen at `location`) when new.
    mutating func id(of text: String, at location: Origin) -> Int32 {
      // A column a file started holds its values without the index; it is built on first need.
      if slots.count != values.count {
        slots = Dictionary(values.enumerated().map { ($1, Int32($0)) }, uniquingKeysWith: { first, _ in first })
      }
      if let id = slots[text] { return id }
      let id = Int32(values.count)
      slots[text] = id
      values.append(text)
      firstSeen.append(location)
      return id
    }

    /// Adds `count` rows holding `text`.
    mutating func fill(_ count: Int, with text: String, at location: Origin) {
      guard count > 0 else { return }
      let id = id(of: text, at: location)
      ids += repeatElement(id, count: count)
    }
  }

  public let name: String
  var columnList: [Column]
  var columnIndex: [String: Int]
  public private(set) var rowCount = 0
  /// Each row's `value` as a number, read when the row was loaded, in its file's number style.
  private var rowValues: [Double?] = []

  /// Loads CSV or JSON files (each with its own reading options).
  public init(files: [(path: String, options: ReadOptions)]) throws(DataError) {
    name = files.map(\.path).joined(separator: ", ")
    columnList = []
    columnIndex = [:]
    for file in files { try load(file.path, options: file.options) }
  }

  /// Loads CSV or JSON files read with the same options.
  public init(files: [String], options: ReadOptions = ReadOptions()) throws(DataError) {
    try self.init(files: files.map { ($0, options) })
  }

  /// The column names, in order of first appearance.
  public func columns() -> [String] { columnList.map(\.name) }

  private mutating func load(_ path: String, options: ReadOptions) throws(DataError) {
    let source = try ByteSource(path: path)
    var loader: TableLoader? = nil
    switch options.format(of: path) {
    case .csv:
      let header = try CSVStream.header(of: source, delimiter: options.delimiter, columnNames: options.columnNames)
      let made = TableLoader(
        source: source, header: header.names, delimiter: header.delimiter, lenient: options.lenient, decimalComma: options.decimalComma)
      loader = made
      _ = try CSVStream.run(
        source, delimiter: header.delimiter, from: header.dataStart, limit: source.size, buffer: ChunkBuffer(capacity: 1 << 20),
        handler: made)
    case .json:
      let reader = JSONRecordReader(source: source, columnNames: options.columnNames, chunkSize: 1 << 20, decimalComma: options.decimalComma)
      try reader.read { header throws(DataError) -> any RecordHandler in
        let made = TableLoader(source: source, header: header, delimiter: nil, lenient: options.lenient, decimalComma: options.decimalComma)
        loader = made
        return made
      }
    }
    guard let loader else { throw .emptyFile(file: path) }
    if let failure = loader.failure { throw failure }
    // The file's ids become the table's: each distinct value is looked up once.
    let added = loader.rowCount
    if let k = loader.header.firstIndex(of: "value") {
      let numbers = loader.valueNumbers
      rowValues.reserveCapacity(rowCount + added)
      for id in loader.ids(ofColumn: k) { rowValues.append(Int(id) < numbers.count ? numbers[Int(id)] : nil) }
    } else {
      rowValues += repeatElement(nil, count: added)
    }
    let distinct = loader.distinctValues()
    var filled = Set<Int>()
    for (k, name) in loader.header.enumerated() {
      if columnIndex[name] == nil {
        columnIndex[name] = columnList.count
        var column = Column(name: name)
        column.fill(rowCount, with: "", at: .located(SourceLocation(file: path, line: 1, column: 1)))
        columnList.append(column)
      }
      let position = columnIndex[name] ?? 0
      filled.insert(position)
      if columnList[position].controlCharacter == nil { columnList[position].controlCharacter = loader.controlIssues[k] }
      let origins = loader.firstOffsets(ofColumn: k)
      if columnList[position].values.isEmpty, !options.lenient {
        // A column this file starts: the file's ids are the table's (no row was refused, so
        // every distinct value is used).
        columnList[position].values = distinct[k]
        columnList[position].firstSeen = origins.map { .byte(path, $0) }
        columnList[position].ids = Array(loader.ids(ofColumn: k))
        continue
      }
      // Mapped on first use, so a value only a refused row had never enters the table.
      var global = [Int32?](repeating: nil, count: distinct[k].count)
      columnList[position].ids.reserveCapacity(rowCount + added)
      for id in loader.ids(ofColumn: k) {
        let local = Int(id)
        if global[local] == nil {
          global[local] = columnList[position].id(of: distinct[k][local], at: .byte(path, origins[local]))
        }
        columnList[position].ids.append(global[local] ?? 0)
      }
    }
    for position in columnList.indices where !filled.contains(position) {
      columnList[position].fill(added, with: "", at: .located(SourceLocation(file: path, line: 1, column: 1)))
    }
    rowCount += added
  }

  public func values(of column: String) throws(DataError) -> [String] {
    guard let index = columnIndex[column] else { throw .missingColumn(file: name, column: column, header: columns()) }
    if let problem = columnList[index].controlCharacter { throw problem }
    return columnList[index].values
  }

  /// The column named `name`; nil for an optional column the data lacks.
  private func column(_ name: String, optional: Bool = false) throws(DataError) -> Column? {
    guard let index = columnIndex[name] else {
      if optional { return nil }
      throw .missingColumn(file: self.name, column: name, header: columns())
    }
    if let problem = columnList[index].controlCharacter { throw problem }
    return columnList[index]
  }

  /// Each distinct value of the value column as a number (nil when missing).
  private func numbers(of column: Column) throws(DataError) -> [Double?] {
    var parsed: [Double?] = []
    parsed.reserveCapacity(column.values.count)
    var reader = NumberText.Reader()
    for (id, text) in column.values.enumerated() {
      let outcome = reader.read(text)
      switch outcome {
      case .missing: parsed.append(nil)
      case .number(let value): parsed.append(value)
      case .invalid: throw .invalidNumber(column.firstSeen[id].location, column: column.name, found: text)
      case .nonFinite: throw .nonFiniteNumber(column.firstSeen[id].location, column: column.name, found: text)
      }
    }
    return parsed
  }

  public func aggregate(_ query: Query) throws(DataError) -> QueryResult {
    // Every column first, so a misspelt one is reported before any work.
    var filterColumns: [(Column, [Bool])] = []
    for dimension in Set(query.filters.map(\.dimension)).sorted() {
      guard let column = try column(dimension) else { continue }
      let filters = query.filters.filter { $0.dimension == dimension }
      filterColumns.append((column, column.values.map { value in filters.allSatisfy { $0.matches(value) } }))
    }
    var keyColumns: [Column] = []
    for dimension in query.groupBy { if let column = try column(dimension) { keyColumns.append(column) } }
    guard let valueColumn = try column(query.value) else { throw .missingColumn(file: name, column: query.value, header: columns()) }
    let numeric = query.aggregate.isNumeric
    let unitColumn = numeric ? try column(query.unitColumn, optional: true) : nil
    let qualifierColumn = numeric ? try column(query.qualifierColumn, optional: true) : nil
    // A number per row (the tidy `value`, read at load) or per distinct value of another column.
    let byRow = numeric && query.value == "value" && rowValues.count == rowCount
    let values: [Double?]
    if byRow {
      values = rowValues
    } else if !numeric {
      values = valueColumn.values.map { $0.isEmpty ? nil : 1 }
    } else {
      values = try numbers(of: valueColumn)
    }

    // The rows that pass, filter by filter: each is a flag looked up by the row's id.
    var matching = Array(0..<rowCount)
    for (column, passes) in filterColumns {
      column.ids.withUnsafeBufferPointer { ids in
        passes.withUnsafeBufferPointer { passes in
          matching.removeAll { !passes[Int(ids[$0])] }
        }
      }
    }

    if let qualifierColumn, qualifierColumn.values.count > 32 {
      throw .beyondLimit("the column “\(qualifierColumn.name)” has \(qualifierColumn.values.count) different qualifiers; at most 32 are supported")
    }
    // The query kernel's group table and accumulators, fed ids instead of bytes.
    var table = GroupTable(arity: keyColumns.count)
    defer { table.release() }
    let key = UnsafeMutablePointer<Int32>.allocate(capacity: max(keyColumns.count, 1))
    defer { key.deallocate() }
    let tracksExtremes = query.aggregate == .min || query.aggregate == .max
    var accumulators: [Accumulator] = []
    var extremes: [Extremes] = []
    var otherUnits: [Int: Set<Int32>] = [:]
    var distinct: [Set<Int32>] = []
    let keyIDs = keyColumns.map(\.ids)
    let unitOf = unitColumn?.ids
    let qualifierOf = qualifierColumn?.ids
    let valueOf = valueColumn.ids
    for row in matching {
      for c in keyIDs.indices { key[c] = keyIDs[c][row] }
      let unit = unitOf?[row] ?? -1
      let group = Int(table.group(for: key))
      if group == accumulators.count {
        accumulators.append(Accumulator(unit: unit))
        if tracksExtremes { extremes.append(Extremes()) }
        distinct.append([])
      }
      if unit != accumulators[group].unit { otherUnits[group, default: []].insert(unit) }
      let valueID = valueOf[row]
      guard let value = values[byRow ? row : Int(valueID)] else { continue }
      if query.aggregate == .countDistinct { distinct[group].insert(valueID) }
      let bit: UInt32 = 1 &<< UInt32(qualifierOf?[row] ?? 0)
      accumulators[group].add(value, qualifiers: bit)
      if tracksExtremes { extremes[group].add(value, qualifiers: bit) }
    }
    let matched = matching.count
    let word = { (id: Int) -> String in qualifierColumn?.values[id] ?? "" }
    func unitName(_ id: Int32) -> String { id >= 0 ? unitColumn?.values[Int(id)] ?? "" : "" }
    var groups: [GroupedValue] = []
    groups.reserveCapacity(accumulators.count)
    for g in accumulators.indices {
      let keys = keyColumns.indices.map { c in keyColumns[c].values[Int(table.id(ofGroup: g, column: c))] }
      let name = keys.isEmpty ? "(all rows)" : keys.joined(separator: " / ")
      let unit = unitName(accumulators[g].unit)
      if numeric, let others = otherUnits[g] {
        throw .mixedUnits(group: name, units: [unit] + others.map(unitName).sorted())
      }
      var partial = GroupCombiner.Partial(accumulators[g], extremes: tracksExtremes ? extremes[g] : nil, unit: unit, word: word)
      if query.aggregate == .countDistinct { partial.distinct = distinct[g].count }
      groups.append(try GroupCombiner.figure(of: partial, aggregate: query.aggregate, keys: keys, name: name))
    }
    return QueryResult(columns: query.groupBy, groups: groups, aggregate: query.aggregate, rowsRead: rowCount, rowsMatched: matched)
  }
}

extension MemoryTable {
  /// A table of observations made in code (tests, the library), with the tidy columns and every
  /// extra one.
  public init(_ observations: [Observation], name: String = "(observations)") {
    self.name = name
    columnList = []
    columnIndex = [:]
    let extra = Set(observations.flatMap(\.extra.keys)).sorted()
    let names = Dataset.requiredColumns + Dataset.optionalColumns + extra
    for (index, column) in names.enumerated() {
      columnIndex[column] = index
      columnList.append(Column(name: column))
    }
    for (row, observation) in observations.enumerated() {
      let texts = [
        observation.region, observation.programme, observation.period, observation.metric,
        observation.value == nil ? "" : NumberFormat.machine(observation.value), observation.unit, observation.status, observation.qualifier,
        observation.source, observation.quote,
      ] + extra.map { observation.extra[$0] ?? "" }
      for (index, text) in texts.enumerated() {
        columnList[index].append(text, at: .located(SourceLocation(file: name, line: observation.line > 0 ? observation.line : row + 2, column: 1)))
      }
    }
    rowCount = observations.count
    rowValues = observations.map(\.value)
  }
}
