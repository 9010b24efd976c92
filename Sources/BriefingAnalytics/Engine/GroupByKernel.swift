internal import CEngineSupport

/// Which fields of one input file the kernel reads: its positions for the query's columns.
struct FieldPlan {
  /// The number of fields every record must have (nil for JSON, where keys may be left out).
  var fieldCount: Int?
  /// The field position of each interned column slot; -1 for a unit column the file lacks
  /// (its rows read as having no unit).
  var slotFields: [Int]
  /// The field position of the value column.
  var valueField: Int
}

/// The columns a query interns, in slot order, and what each slot is for.
struct SlotLayout: Sendable {
  var columns: [String]
  /// The filters on each slot's column (all must pass).
  var filters: [[Filter]]
  /// The slot of each group-by column, in the order asked for.
  var keySlots: [Int]
  var unitSlot: Int?
  /// The slot of the qualifier column, for aggregates whose figures carry the source's wording.
  var qualifierSlot: Int?
  /// The slot that interns the value column, for `count_distinct`.
  var distinctSlot: Int?

  /// The slots do not depend on a file's header, so kernels of files with and without a unit
  /// column merge slot by slot.
  init(query: Query) {
    var columns: [String] = []
    func slot(_ name: String) -> Int {
      if let known = columns.firstIndex(of: name) { return known }
      columns.append(name)
      return columns.count - 1
    }
    // Filter columns first, so a row that fails is dropped before the rest is hashed.
    for filter in query.filters { _ = slot(filter.dimension) }
    keySlots = query.groupBy.map(slot)
    unitSlot = query.aggregate.isNumeric ? slot(query.unitColumn) : nil
    qualifierSlot = query.aggregate.isNumeric ? slot(query.qualifierColumn) : nil
    distinctSlot = query.aggregate == .countDistinct ? slot(query.value) : nil
    filters = columns.map { name in query.filters.filter { $0.dimension == name } }
    self.columns = columns
  }
}

/// A row the kernel refused, and which field was at fault.
enum RowIssue {
  case wrongFieldCount(found: Int)
  case invalidNumber(field: Int)
  case nonFiniteNumber(field: Int)
  case invalidUTF8(field: Int)
  case controlCharacter(field: Int)
}

/// Folds records into per-group accumulators: the hot loop of `briefing query`.
///
/// One kernel per thread. State sits in manually managed buffers reached through one pointer, so
/// the per-row path has no reference counting, bounds checks or exclusivity checks; the class
/// owns the memory and frees it in `deinit`.
final class GroupByKernel: @unchecked Sendable {
  struct State {
    var interners: UnsafeMutablePointer<ByteInterner>
    /// Per slot and id: bit 0 valid UTF-8, bit 1 passes the slot's filters.
    var flags: UnsafeMutablePointer<RawVector<UInt8>>
    var slotCount: Int
    var groups: GroupTable
    var key: UnsafeMutablePointer<Int32>
    var ids: UnsafeMutablePointer<Int32>
    /// One record per group: a row in random key order then touches one cache line, not one
    /// per accumulator (aligned so that no 32-byte record straddles two lines).
    var accumulators = RawVector<Accumulator>(capacity: 1024, alignment: 64)
    /// Per group, only for min and max: kept apart so a sum touches half a cache line per row.
    var extremes = RawVector<Extremes>(capacity: 1024, alignment: 64)
    var mixedUnits: [Int32: Set<Int32>] = [:]
    var distinct: [Set<Int32>] = []
    var rowsRead = 0
    var rowsMatched = 0
    /// Matched rows on their way into the accumulators (see `RowPipeline`).
    var pipeline: RowPipeline
  }

  let layout: SlotLayout
  /// `layout.keySlots` where the hot loop reads it without retaining an array.
  private let keySlots: UnsafeMutablePointer<Int>
  private let keyCount: Int
  let aggregate: Aggregate
  let numbers: NumberScanner
  let state: UnsafeMutablePointer<State>
  /// A padded empty value, for a column a file lacks.
  private let empty: UnsafeMutablePointer<UInt8>

  init(layout: SlotLayout, aggregate: Aggregate, numbers: NumberScanner) {
    self.layout = layout
    self.aggregate = aggregate
    self.numbers = numbers
    let slots = layout.columns.count
    let interners = UnsafeMutablePointer<ByteInterner>.allocate(capacity: max(slots, 1))
    let flags = UnsafeMutablePointer<RawVector<UInt8>>.allocate(capacity: max(slots, 1))
    for s in 0..<slots {
      (interners + s).initialize(to: ByteInterner())
      (flags + s).initialize(to: RawVector(capacity: 64))
    }
    keyCount = layout.keySlots.count
    keySlots = .allocate(capacity: max(keyCount, 1))
    for (c, slot) in layout.keySlots.enumerated() { keySlots[c] = slot }
    let key = UnsafeMutablePointer<Int32>.allocate(capacity: max(layout.keySlots.count, 1))
    let ids = UnsafeMutablePointer<Int32>.allocate(capacity: max(slots, 1))
    empty = .allocate(capacity: wordPadding)
    empty.initialize(repeating: 0, count: wordPadding)
    state = .allocate(capacity: 1)
    state.initialize(to: State(
      interners: interners, flags: flags, slotCount: slots, groups: GroupTable(arity: layout.keySlots.count),
      key: key, ids: ids, pipeline: RowPipeline(arity: keyCount)))
  }

  deinit {
    let s = state.pointee
    for i in 0..<s.slotCount {
      s.interners[i].release()
      s.flags[i].release()
    }
    s.interners.deallocate()
    s.flags.deallocate()
    s.groups.release()
    s.key.deallocate()
    s.ids.deallocate()
    keySlots.deallocate()
    empty.deallocate()
    s.accumulators.release()
    s.extremes.release()
    s.pipeline.release()
    state.deinitialize(count: 1)
    state.deallocate()
  }

  /// Validates one record and folds it in; a refused row leaves every accumulator untouched.
  @inline(__always)
  func consume(_ fields: UnsafePointer<ByteSpan>, count: Int, plan: borrowing FieldPlan) -> RowIssue? {
    let s = state
    s.pointee.rowsRead &+= 1
    if let expected = plan.fieldCount, count != expected { return .wrongFieldCount(found: count) }
    var value: Double? = nil
    let valueSpan = fields[plan.valueField]
    if aggregate.isNumeric {
      switch numbers.scan(valueSpan) {
      case .missing: value = nil
      case .number(let v): value = v
      case .invalid: return .invalidNumber(field: plan.valueField)
      case .nonFinite: return .nonFiniteNumber(field: plan.valueField)
      }
    } else if !valueSpan.isEmpty {
      value = 1
    }
    let slotCount = s.pointee.slotCount
    let ids = s.pointee.ids
    for slot in 0..<slotCount {
      let field = plan.slotFields[slot]
      let id = s.pointee.interners[slot].intern(field >= 0 ? fields[field] : ByteSpan(base: empty, count: 0))
      var flag: UInt8
      if Int(id) == s.pointee.flags[slot].count {
        flag = classify(slot: slot, id: id)
      } else {
        flag = s.pointee.flags[slot][Int(id)]
      }
      if flag != 3 {
        // Rare: text that is not valid UTF-8 or holds a control character, or a value the filters drop.
        if flag & 1 == 0 { return .invalidUTF8(field: field) }
        if flag & 4 != 0 { return .controlCharacter(field: field) }
        return nil
      }
      ids[slot] = id
    }
    s.pointee.rowsMatched &+= 1
    // Into the pipeline: the row's group is looked up and its value added a few rows later.
    let (row, key) = s.pointee.pipeline.enter()
    for c in 0..<keyCount { key[c] = ids[keySlots[c]] }
    var generation = -1
    let packed = s.pointee.groups.pack(key)
    if let packed {
      s.pointee.groups.prefetch(packed: packed)
      generation = s.pointee.groups.generation
    }
    row.initialize(to: RowPipeline.Row(
      packed: packed ?? 0, generation: generation, value: value ?? .nan, group: -1,
      unit: layout.unitSlot.map { ids[$0] } ?? -1, qualifier: layout.qualifierSlot.map { ids[$0] } ?? 0,
      distinct: layout.distinctSlot.map { ids[$0] } ?? -1, hasValue: value != nil))
    if s.pointee.pipeline.unresolved > RowPipeline.lag { resolveOldest() }
    if s.pointee.pipeline.unapplied > RowPipeline.lag { applyOldest() }
    return nil
  }

  /// Finds (or adds) the group of the oldest row not yet resolved, and prefetches its accumulator.
  @inline(__always) private func resolveOldest() {
    let s = state
    let (row, key) = s.pointee.pipeline.resolveNext()
    // The key packed on entry holds unless the table changed its widths since.
    let group =
      row.pointee.generation == s.pointee.groups.generation
      ? s.pointee.groups.group(packed: row.pointee.packed, key: key) : s.pointee.groups.group(for: key)
    row.pointee.group = group
    if Int(group) == s.pointee.accumulators.count { appendGroup(unit: row.pointee.unit) }
    briefing_prefetch_write(s.pointee.accumulators.base + Int(group))
    if tracksExtremes { briefing_prefetch_write(s.pointee.extremes.base + Int(group)) }
    if layout.distinctSlot != nil, row.pointee.hasValue { s.pointee.distinct[Int(group)].insert(row.pointee.distinct) }
  }

  /// Adds the oldest resolved row to its group (its unit checked against the group's).
  @inline(__always) private func applyOldest() {
    let s = state
    let row = s.pointee.pipeline.applyNext().pointee
    let group = Int(row.group)
    if layout.unitSlot != nil, s.pointee.accumulators[group].unit != row.unit {
      s.pointee.mixedUnits[Int32(group), default: []].insert(row.unit)
    }
    guard row.hasValue else { return }
    add(row.value, to: group, qualifier: row.qualifier)
  }

  /// Folds in every row still in the pipeline, in order. Called before the accumulators are read.
  func flush() {
    while state.pointee.pipeline.unresolved > 0 { resolveOldest() }
    while state.pointee.pipeline.unapplied > 0 { applyOldest() }
  }

  /// Validates and filters a newly interned value (once per distinct value and slot).
  private func classify(slot: Int, id: Int32) -> UInt8 {
    let span = state.pointee.interners[slot].bytes(of: id)
    var flag: UInt8 = 0
    if let text = span.validatedString() {
      flag = 1
      if span.firstControlCharacter() != nil {
        flag |= 4
      } else if layout.filters[slot].allSatisfy({ $0.matches(text) }) {
        flag |= 2
      }
    }
    state.pointee.flags[slot].append(flag)
    return flag
  }

  private func appendGroup(unit: Int32) {
    let s = state
    s.pointee.accumulators.append(Accumulator(unit: unit))
    if tracksExtremes { s.pointee.extremes.append(Extremes()) }
    if layout.distinctSlot != nil { s.pointee.distinct.append([]) }
  }

  /// Adds one value: Neumaier's compensated sum, the count, minimum and maximum, and which
  /// qualifiers the values, the minimum and the maximum carry.
  @inline(__always) private func add(_ value: Double, to group: Int, qualifier: Int32) {
    // Qualifier words are a handful; ids past 31 share the last bit and are reported by `results`.
    let bit: UInt32 = 1 &<< UInt32(min(qualifier, 31))
    state.pointee.accumulators.base[group].add(value, qualifiers: bit)
    if tracksExtremes { state.pointee.extremes.base[group].add(value, qualifiers: bit) }
  }

  /// Whether the aggregate needs each group's extremes and the qualifiers that reach them.
  private var tracksExtremes: Bool { aggregate == .min || aggregate == .max }

  /// Folds another kernel's groups into this one (ids are matched by their bytes).
  func merge(_ other: GroupByKernel) {
    flush()
    other.flush()
    let s = state
    let o = other.state
    var maps: [[Int32]] = []
    for slot in 0..<s.pointee.slotCount {
      var map: [Int32] = []
      map.reserveCapacity(o.pointee.interners[slot].count)
      for id in 0..<Int32(o.pointee.interners[slot].count) {
        let mapped = s.pointee.interners[slot].intern(o.pointee.interners[slot].bytes(of: id))
        if Int(mapped) == s.pointee.flags[slot].count { s.pointee.flags[slot].append(o.pointee.flags[slot][Int(id)]) }
        map.append(mapped)
      }
      maps.append(map)
    }
    s.pointee.rowsRead += o.pointee.rowsRead
    s.pointee.rowsMatched += o.pointee.rowsMatched
    let keySlots = layout.keySlots
    let key = s.pointee.key
    for g in 0..<o.pointee.groups.count {
      for (c, slot) in keySlots.enumerated() { key[c] = maps[slot][Int(o.pointee.groups.id(ofGroup: g, column: c))] }
      let theirs = o.pointee.accumulators[g]
      let unit = layout.unitSlot.map { theirs.unit >= 0 ? maps[$0][Int(theirs.unit)] : -1 } ?? -1
      let group = Int(s.pointee.groups.group(for: key))
      if group == s.pointee.accumulators.count { appendGroup(unit: unit) }
      if let unitSlot = layout.unitSlot {
        // Other units than the group's own, as `consume` keeps them: their other units may be ours.
        let own = s.pointee.accumulators[group].unit
        if own != unit { s.pointee.mixedUnits[Int32(group), default: []].insert(unit) }
        for other in o.pointee.mixedUnits[Int32(g)] ?? [] where maps[unitSlot][Int(other)] != own {
          s.pointee.mixedUnits[Int32(group), default: []].insert(maps[unitSlot][Int(other)])
        }
      }
      if let distinctSlot = layout.distinctSlot {
        s.pointee.distinct[group].formUnion(o.pointee.distinct[g].map { maps[distinctSlot][Int($0)] })
      }
      if theirs.count > 0 {
        let remap = { (mask: UInt32) -> UInt32 in
          guard let slot = self.layout.qualifierSlot else { return mask }
          var mapped: UInt32 = 0
          for bit in 0..<32 where mask & (1 << UInt32(bit)) != 0 {
            mapped |= 1 &<< UInt32(min(maps[slot][bit], 31))
          }
          return mapped
        }
        var incoming = theirs
        incoming.qualifiers = remap(theirs.qualifiers)
        s.pointee.accumulators.base[group].merge(incoming)
        if tracksExtremes {
          var extremes = o.pointee.extremes[g]
          extremes.minimumQualifiers = remap(extremes.minimumQualifiers)
          extremes.maximumQualifiers = remap(extremes.maximumQualifiers)
          s.pointee.extremes.base[group].merge(extremes)
        }
      }
    }
  }

  var rowsRead: Int { state.pointee.rowsRead }
  var rowsMatched: Int { state.pointee.rowsMatched }

  /// The groups in order of first appearance, with their figure, unit and qualifier, by the
  /// rules of `GroupCombiner`.
  func results() throws(DataError) -> [GroupedValue] {
    flush()
    let s = state.pointee
    if let slot = layout.qualifierSlot, s.interners[slot].count > 32 {
      throw .beyondLimit("the column “\(layout.columns[slot])” has \(s.interners[slot].count) different qualifiers; at most 32 are supported")
    }
    // One String per distinct value of the key, unit and qualifier columns, shared by every
    // group that has it (tens of thousands of groups share a few hundred values). Not for a
    // filter-only or `count_distinct` column, which may hold millions of values no group shows.
    let shown = Set(layout.keySlots + [layout.unitSlot, layout.qualifierSlot].compactMap { $0 })
    var strings: [[String]] = []
    for slot in 0..<s.slotCount {
      let count = shown.contains(slot) ? Int32(s.interners[slot].count) : 0
      strings.append((0..<count).map { s.interners[slot].string(of: $0) })
    }
    let word = { (id: Int) -> String in self.layout.qualifierSlot.map { strings[$0][id] } ?? "" }
    // Qualifier masks repeat from group to group: their word sets are made once each.
    var wordSets: [UInt32: Set<String>] = [:]
    let words = { (mask: UInt32) -> Set<String> in
      if let known = wordSets[mask] { return known }
      var made: Set<String> = []
      for bit in 0..<32 where mask & (1 << UInt32(bit)) != 0 { made.insert(word(bit)) }
      wordSets[mask] = made
      return made
    }
    var out: [GroupedValue] = []
    out.reserveCapacity(s.groups.count)
    for g in 0..<s.groups.count {
      let keys = layout.keySlots.enumerated().map { c, slot in strings[slot][Int(s.groups.id(ofGroup: g, column: c))] }
      // Only errors name the group.
      let name = { keys.isEmpty ? "(all rows)" : keys.joined(separator: " / ") }
      let group = s.accumulators[g]
      let unit = layout.unitSlot.map { group.unit >= 0 ? strings[$0][Int(group.unit)] : "" } ?? ""
      if let unitSlot = layout.unitSlot, let others = s.mixedUnits[Int32(g)] {
        let names = others.map { strings[unitSlot][Int($0)] }.sorted()
        throw .mixedUnits(group: name(), units: [unit] + names)
      }
      var partial = GroupCombiner.Partial(group, extremes: tracksExtremes ? s.extremes[g] : nil, unit: unit, words: words)
      if aggregate == .countDistinct { partial.distinct = s.distinct[g].count }
      out.append(try GroupCombiner.figure(of: partial, aggregate: aggregate, keys: keys, name: name()))
    }
    return out
  }
}

/// The last matched rows of a kernel, between being read and being added to their groups.
///
/// In random key order a row's group slot and its accumulator are each a likely cache miss, and
/// the loop would wait for both. So a row goes in three steps, `lag` rows apart: its key ids are
/// stored and its group slot prefetched; `lag` rows later its group is looked up (the slot now in
/// cache) and its accumulator prefetched; `lag` rows after that its value is added. Rows are
/// resolved and added in input order, so group numbers (first appearance) and every sum are
/// exactly those of a row-at-a-time loop; `GroupByKernel.flush()` drains the rest.
struct RowPipeline {
  /// How many rows each step runs ahead of the next: enough rows of scanning to cover a miss.
  static let lag = 8
  /// Ring capacity, a power of two above the 2 × `lag` rows in flight.
  static let capacity = 32

  /// What the later steps need of a row (its key ids are kept apart, `arity` per row).
  struct Row {
    /// The key as packed on entry, valid while the group table's generation is `generation`.
    var packed: UInt64
    /// -1 when the key could not be packed on entry.
    var generation: Int
    var value: Double
    /// Set when resolved.
    var group: Int32
    var unit: Int32
    var qualifier: Int32
    var distinct: Int32
    var hasValue: Bool
  }

  let arity: Int
  private let rows: UnsafeMutablePointer<Row>
  private let keys: UnsafeMutablePointer<Int32>
  /// Rows entered, resolved and applied since the start (ring position = count % capacity).
  private var entered = 0
  private var resolved = 0
  private var applied = 0

  init(arity: Int) {
    self.arity = arity
    rows = .allocate(capacity: Self.capacity)
    keys = .allocate(capacity: Self.capacity * max(arity, 1))
  }

  func release() {
    rows.deallocate()
    keys.deallocate()
  }

  var unresolved: Int { entered &- resolved }
  var unapplied: Int { resolved &- applied }

  @inline(__always) private func slot(_ count: Int) -> (UnsafeMutablePointer<Row>, UnsafeMutablePointer<Int32>) {
    let i = count & (Self.capacity - 1)
    return (rows + i, keys + i * arity)
  }

  /// The next free row and its key ids, for the caller to fill in.
  @inline(__always) mutating func enter() -> (UnsafeMutablePointer<Row>, UnsafeMutablePointer<Int32>) {
    let r = slot(entered)
    entered &+= 1
    return r
  }

  @inline(__always) mutating func resolveNext() -> (UnsafeMutablePointer<Row>, UnsafeMutablePointer<Int32>) {
    let r = slot(resolved)
    resolved &+= 1
    return r
  }

  @inline(__always) mutating func applyNext() -> UnsafeMutablePointer<Row> {
    let r = slot(applied).0
    applied &+= 1
    return r
  }
}

/// What the kernel keeps of one group for every aggregate: a compensated sum, the count, the
/// unit, and which qualifiers (bit i: qualifier id i) its values carry. 32 bytes.
struct Accumulator {
  var sum = 0.0
  var compensation = 0.0
  var count: Int64 = 0
  var unit: Int32
  var qualifiers: UInt32 = 0

  init(unit: Int32) { self.unit = unit }

  @inline(__always) mutating func add(_ value: Double, qualifiers bit: UInt32) {
    addToSum(value)
    count &+= 1
    qualifiers |= bit
  }

  /// Neumaier's step. Past the largest double the compensation turns NaN; `results` reports the
  /// overflow from the sum alone.
  @inline(__always) mutating func addToSum(_ value: Double) {
    let t = sum + value
    if abs(sum) >= abs(value) {
      compensation += (sum - t) + value
    } else {
      compensation += (value - t) + sum
    }
    sum = t
  }

  /// Folds in another kernel's accumulator of the same group (qualifier ids already matched).
  mutating func merge(_ other: Accumulator) {
    addToSum(other.sum)
    addToSum(other.compensation)
    count += other.count
    qualifiers |= other.qualifiers
  }
}

/// A group's minimum and maximum, and which qualifiers the values that reach them carry.
struct Extremes {
  var minimum = Double.infinity
  var maximum = -Double.infinity
  var minimumQualifiers: UInt32 = 0
  var maximumQualifiers: UInt32 = 0

  @inline(__always) mutating func add(_ value: Double, qualifiers bit: UInt32) {
    if value < minimum {
      minimum = value
      minimumQualifiers = bit
    } else if value == minimum {
      minimumQualifiers |= bit
    }
    if value > maximum {
      maximum = value
      maximumQualifiers = bit
    } else if value == maximum {
      maximumQualifiers |= bit
    }
  }

  mutating func merge(_ other: Extremes) {
    if other.minimum < minimum {
      minimum = other.minimum
      minimumQualifiers = other.minimumQualifiers
    } else if other.minimum == minimum {
      minimumQualifiers |= other.minimumQualifiers
    }
    if other.maximum > maximum {
      maximum = other.maximum
      maximumQualifiers = other.maximumQualifiers
    } else if other.maximum == maximum {
      maximumQualifiers |= other.maximumQualifiers
    }
  }
}

extension GroupCombiner.Partial {
  /// A group as the kernel (or the in-memory table) accumulated it, with its qualifier bits read
  /// as words through `word` (bit i: qualifier id i).
  init(_ accumulator: Accumulator, extremes: Extremes?, unit: String, word: (Int) -> String) {
    self.init(accumulator, extremes: extremes, unit: unit) { mask in
      var words: Set<String> = []
      for bit in 0..<32 where mask & (1 << UInt32(bit)) != 0 { words.insert(word(bit)) }
      return words
    }
  }

  /// A group as the kernel accumulated it, with each qualifier mask read as its set of words
  /// through `words`.
  init(_ accumulator: Accumulator, extremes: Extremes?, unit: String, words: (UInt32) -> Set<String>) {
    self.init(unit: unit)
    sum = CompensatedSum(sum: accumulator.sum, compensation: accumulator.compensation)
    count = Int(accumulator.count)
    qualifiers = words(accumulator.qualifiers).subtracting([""])
    if let extremes {
      minimum = extremes.minimum
      maximum = extremes.maximum
      minimumQualifiers = words(extremes.minimumQualifiers)
      maximumQualifiers = words(extremes.maximumQualifiers)
    }
  }
}
