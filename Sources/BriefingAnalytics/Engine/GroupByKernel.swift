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
    /// per accumulator.
    var accumulators = RawVector<Accumulator>(capacity: 1024)
    /// Per group, only for min and max: kept apart so a sum touches half a cache line per row.
    var extremes = RawVector<Extremes>(capacity: 1024)
    var mixedUnits: [Int32: Set<Int32>] = [:]
    var distinct: [Set<Int32>] = []
    var rowsRead = 0
    var rowsMatched = 0
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
      key: key, ids: ids))
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
      if flag & 1 == 0 { return .invalidUTF8(field: field) }
      if flag & 2 == 0 { return nil }
      ids[slot] = id
    }
    s.pointee.rowsMatched &+= 1
    let key = s.pointee.key
    for c in 0..<keyCount { key[c] = ids[keySlots[c]] }
    let group = Int(s.pointee.groups.group(for: key))
    if group == s.pointee.accumulators.count { appendGroup(unit: layout.unitSlot.map { ids[$0] } ?? -1) }
    if let unitSlot = layout.unitSlot, s.pointee.accumulators[group].unit != ids[unitSlot] {
      s.pointee.mixedUnits[Int32(group), default: []].insert(ids[unitSlot])
    }
    if let distinctSlot = layout.distinctSlot, value != nil {
      s.pointee.distinct[group].insert(ids[distinctSlot])
    }
    guard let value else { return nil }
    add(value, to: group, qualifier: layout.qualifierSlot.map { ids[$0] } ?? 0)
    return nil
  }

  /// Validates and filters a newly interned value (once per distinct value and slot).
  private func classify(slot: Int, id: Int32) -> UInt8 {
    let span = state.pointee.interners[slot].bytes(of: id)
    var flag: UInt8 = 0
    if let text = span.validatedString() {
      flag = 1
      if layout.filters[slot].allSatisfy({ $0.matches(text) }) { flag |= 2 }
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
    let s = state.pointee
    if let slot = layout.qualifierSlot, s.interners[slot].count > 32 {
      throw .invalidOption("the column “\(layout.columns[slot])” has \(s.interners[slot].count) different qualifiers; at most 32 are supported")
    }
    let word = { (id: Int) -> String in self.layout.qualifierSlot.map { s.interners[$0].string(of: Int32(id)) } ?? "" }
    var out: [GroupedValue] = []
    out.reserveCapacity(s.groups.count)
    for g in 0..<s.groups.count {
      let keys = layout.keySlots.enumerated().map { c, slot in s.interners[slot].string(of: s.groups.id(ofGroup: g, column: c)) }
      let name = keys.isEmpty ? "(all rows)" : keys.joined(separator: " / ")
      let group = s.accumulators[g]
      let unit = layout.unitSlot.map { group.unit >= 0 ? s.interners[$0].string(of: group.unit) : "" } ?? ""
      if let unitSlot = layout.unitSlot, let others = s.mixedUnits[Int32(g)] {
        let names = others.map { s.interners[unitSlot].string(of: $0) }.sorted()
        throw .mixedUnits(group: name, units: [unit] + names)
      }
      var partial = GroupCombiner.Partial(group, extremes: tracksExtremes ? s.extremes[g] : nil, unit: unit, word: word)
      if aggregate == .countDistinct { partial.distinct = s.distinct[g].count }
      out.append(try GroupCombiner.figure(of: partial, aggregate: aggregate, keys: keys, name: name))
    }
    return out
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
    func words(_ mask: UInt32) -> Set<String> {
      var words: Set<String> = []
      for bit in 0..<32 where mask & (1 << UInt32(bit)) != 0 { words.insert(word(bit)) }
      return words
    }
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
