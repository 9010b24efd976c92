internal import CEngineSupport

/// Maps a tuple of interned column ids to a dense group index, in order of first appearance.
///
/// The ids are packed into one key with a bit width per column. While the packed keys fit in
/// `directBits` bits the key is itself the index into a flat array of group numbers (89 regions ×
/// 10 programmes × 8 years × 4 metrics: 16 bits, a 256 KiB array that stays in cache however
/// randomly the rows come); past that the table hashes the 64-bit key into 16-byte slots. When a
/// column outgrows its width the widths are re-balanced and the table rebuilt; if the tuple no
/// longer fits in 64 bits the table falls back to a dictionary keyed by the id arrays (slower,
/// but for key spaces that large the hashing is not the cost).
struct GroupTable {
  private struct Slot {
    var key: UInt64
    /// -1 for an empty slot.
    var group: Int32
  }

  /// The number of key columns.
  let arity: Int
  private var slots: UnsafeMutablePointer<Slot>
  private var mask: Int
  /// Per column: where its id goes in the packed key, and the first id that no longer fits.
  private var shifts: UnsafeMutablePointer<UInt64>
  private var limits: UnsafeMutablePointer<Int32>
  /// Changes whenever the widths do, so that a key packed earlier can be told stale.
  private(set) var generation = 0
  /// Every group's ids, `arity` per group.
  private(set) var ids: RawVector<Int32>
  private(set) var count = 0
  private var wide: [[Int32]: Int32]?
  /// Group by packed key (-1: none yet), while the keys fit in `directBits` bits.
  private var direct: UnsafeMutablePointer<Int32>?
  /// The largest direct array: 2^18 groups numbers, 1 MiB.
  static let directBits = 18

  init(arity: Int) {
    self.arity = arity
    let capacity = 1024
    slots = .allocate(capacity: capacity)
    slots.initialize(repeating: Slot(key: 0, group: -1), count: capacity)
    mask = capacity - 1
    ids = RawVector(capacity: 1024 * max(arity, 1))
    // Every column starts with room for one id (0 bits): the first keys re-balance the widths to
    // exactly what the ids need, and the table starts direct.
    shifts = .allocate(capacity: max(arity, 1))
    shifts.initialize(repeating: 0, count: max(arity, 1))
    limits = .allocate(capacity: max(arity, 1))
    limits.initialize(repeating: 1, count: max(arity, 1))
    direct = .allocate(capacity: 1)
    direct?.initialize(to: -1)
  }

  func release() {
    shifts.deallocate()
    limits.deallocate()
    slots.deallocate()
    direct?.deallocate()
    ids.release()
  }

  /// The group of the id tuple at `key` (`arity` ids), adding a group when it is new.
  @inline(__always) mutating func group(for key: UnsafePointer<Int32>) -> Int32 {
    guard wide == nil else { return wideGroup(for: key) }
    guard let packed = pack(key) else {
      rebalance(fitting: key)
      return group(for: key)
    }
    return group(packed: packed, key: key)
  }

  /// The id tuple at `key` packed for the current widths (valid while `generation` stays the
  /// same); nil when an id outgrows its column's width or the table has gone wide.
  @inline(__always) func pack(_ key: UnsafePointer<Int32>) -> UInt64? {
    guard wide == nil else { return nil }
    var packed: UInt64 = 0
    for c in 0..<arity {
      let id = key[c]
      if id >= limits[c] { return nil }
      packed |= UInt64(UInt32(bitPattern: id)) &<< shifts[c]
    }
    return packed
  }

  /// The group of the id tuple at `key`, already packed by `pack` in the current generation.
  @inline(__always) mutating func group(packed: UInt64, key: UnsafePointer<Int32>) -> Int32 {
    if let direct {
      let known = direct[Int(packed)]
      if known >= 0 { return known }
      let group = Int32(count)
      direct[Int(packed)] = group
      appendIDs(key)
      return group
    }
    var i = Int(truncatingIfNeeded: mix(packed)) & mask
    while true {
      let slot = slots[i]
      if slot.group < 0 { break }
      if slot.key == packed { return slot.group }
      i = (i &+ 1) & mask
    }
    let group = Int32(count)
    slots[i] = Slot(key: packed, group: group)
    appendIDs(key)
    if count * 2 > mask + 1 { rehash(capacity: (mask + 1) * 2) }
    return group
  }

  /// Starts loading the slot that `group(packed:key:)` will read, so that a lookup a few rows
  /// later finds it in cache (only a hint: a stale key costs just the wasted load).
  @inline(__always) func prefetch(packed: UInt64) {
    if let direct {
      briefing_prefetch_read(direct + Int(packed))
    } else {
      briefing_prefetch_read(slots + (Int(truncatingIfNeeded: mix(packed)) & mask))
    }
  }

  /// The id of column `column` in group `group`.
  func id(ofGroup group: Int, column: Int) -> Int32 { ids[group * arity + column] }

  private mutating func appendIDs(_ key: UnsafePointer<Int32>) {
    for c in 0..<arity { ids.append(key[c]) }
    count += 1
  }

  @inline(__always) private func mix(_ x: UInt64) -> UInt64 {
    var h = x &* 0x9E37_79B9_7F4A_7C15
    h ^= h &>> 32
    return h
  }

  private func packedKey(ofGroup group: Int) -> UInt64 {
    var packed: UInt64 = 0
    for c in 0..<arity { packed |= UInt64(UInt32(bitPattern: ids[group * arity + c])) &<< shifts[c] }
    return packed
  }

  private mutating func rehash(capacity: Int) {
    slots.deallocate()
    slots = .allocate(capacity: capacity)
    slots.initialize(repeating: Slot(key: 0, group: -1), count: capacity)
    mask = capacity - 1
    for g in 0..<count {
      let key = packedKey(ofGroup: g)
      var i = Int(truncatingIfNeeded: mix(key)) & mask
      while slots[i].group >= 0 { i = (i &+ 1) & mask }
      slots[i] = Slot(key: key, group: Int32(g))
    }
  }

  /// Gives each column the bits that its stored ids and the incoming `key` need, with room to
  /// double, or goes wide.
  ///
  /// The incoming key counts: an interner also numbers values from rows a filter dropped, so a
  /// new key can exceed every stored id in several columns at once, and sizing from stored ids
  /// alone would shrink one column while widening another, forever.
  private mutating func rebalance(fitting key: UnsafePointer<Int32>) {
    var maxima = (0..<arity).map { key[$0] }
    for g in 0..<count {
      for c in 0..<arity { maxima[c] = max(maxima[c], ids[g * arity + c]) }
    }
    for c in 0..<arity where key[c] >= limits[c] { maxima[c] = max(maxima[c], limits[c]) }
    // Exactly the bits the ids need while the packed key can index an array directly.
    let exact = maxima.map { 64 - UInt64($0).leadingZeroBitCount }
    if exact.reduce(0, +) <= Self.directBits {
      setWidths(exact)
      direct?.deallocate()
      let size = 1 << exact.reduce(0, +)
      let table = UnsafeMutablePointer<Int32>.allocate(capacity: size)
      table.initialize(repeating: -1, count: size)
      for g in 0..<count { table[Int(packedKey(ofGroup: g))] = Int32(g) }
      direct = table
      return
    }
    direct?.deallocate()
    direct = nil
    // Hashed: each column gets room to double, so growing ids rarely re-balance.
    let widths = exact.map { $0 + 1 }
    if widths.reduce(0, +) <= 64 {
      setWidths(widths)
      rehash(capacity: max(mask + 1, 1 << (64 - UInt64(count * 2 + 1).leadingZeroBitCount)))
    } else {
      var table: [[Int32]: Int32] = [:]
      table.reserveCapacity(count * 2)
      for g in 0..<count { table[(0..<arity).map { ids[g * arity + $0] }] = Int32(g) }
      wide = table
      generation &+= 1
    }
  }

  private mutating func setWidths(_ widths: [Int]) {
    generation &+= 1
    var shift: UInt64 = 0
    for c in 0..<arity {
      shifts[c] = shift
      limits[c] = widths[c] >= 31 ? Int32.max : Int32(1 << widths[c])
      shift += UInt64(widths[c])
    }
  }

  private mutating func wideGroup(for key: UnsafePointer<Int32>) -> Int32 {
    let tuple = Array(UnsafeBufferPointer(start: key, count: arity))
    if let known = wide?[tuple] { return known }
    let group = Int32(count)
    wide?[tuple] = group
    appendIDs(key)
    return group
  }
}
