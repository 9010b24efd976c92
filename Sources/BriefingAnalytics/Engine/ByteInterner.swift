/// Gives each distinct byte string of a column a small integer id, in order of first appearance.
///
/// Open addressing keyed by the raw bytes: no `String` is made for a value already seen, so a
/// column of ten million rows with a hundred distinct values costs a hash and one compare per row.
struct ByteInterner {
  private struct Slot {
    var hash: UInt64
    /// -1 for an empty slot.
    var id: Int32
    /// The value's length, here so that a probe rejects a different length without a lookup.
    var length: Int32
  }

  private var slots: UnsafeMutablePointer<Slot>
  private var mask: Int
  private var offsets: RawVector<Int>
  private var lengths: RawVector<Int32>
  private var hashes: RawVector<UInt64>
  private var arena: RawVector<UInt8>
  /// The last id returned, and where its bytes are: sorted or clustered input repeats a value
  /// row after row. Kept as a pointer and a length so the check needs no lookup.
  private var lastID: Int32 = -1
  private var lastBytes: UnsafePointer<UInt8>?
  private var lastLength = -1

  init() {
    let capacity = 64
    slots = .allocate(capacity: capacity)
    slots.initialize(repeating: Slot(hash: 0, id: -1, length: 0), count: capacity)
    mask = capacity - 1
    offsets = RawVector(capacity: 32)
    lengths = RawVector(capacity: 32)
    hashes = RawVector(capacity: 32)
    arena = RawVector(capacity: 1024)
  }

  func release() {
    slots.deallocate()
    offsets.release()
    lengths.release()
    hashes.release()
    arena.release()
  }

  /// The number of distinct values.
  var count: Int { offsets.count }

  /// The id of the value's bytes, adding it when new (then `id == count - 1` afterwards).
  @inline(__always) mutating func intern(_ value: ByteSpan) -> Int32 {
    if lastLength == value.count, let last = lastBytes, bytesEqual(last, value.base, value.count) { return lastID }
    return internSlowly(value)
  }

  /// `intern` past the repeated-value check: kept out of line so that the check itself stays
  /// small enough to be inlined into the kernel's loop.
  @inline(never) private mutating func internSlowly(_ value: ByteSpan) -> Int32 {
    let id = lookUp(value)
    lastID = id
    // After `lookUp`, which may have grown the arena.
    lastBytes = UnsafePointer(arena.base + offsets[Int(id)])
    lastLength = value.count
    return id
  }

  @inline(__always) private mutating func lookUp(_ value: ByteSpan) -> Int32 {
    let h = hashBytes(value.base, value.count)
    var i = Int(truncatingIfNeeded: h) & mask
    while true {
      let slot = slots[i]
      if slot.id < 0 { break }
      if slot.hash == h, Int(slot.length) == value.count, bytesEqual(arena.base + offsets[Int(slot.id)], value.base, value.count) {
        return slot.id
      }
      i = (i &+ 1) & mask
    }
    return add(value, hash: h, at: i)
  }

  /// Stores a new value at empty slot `i`; kept out of line, as it runs once per distinct value.
  @inline(never) private mutating func add(_ value: ByteSpan, hash h: UInt64, at i: Int) -> Int32 {
    let id = Int32(count)
    slots[i] = Slot(hash: h, id: id, length: Int32(value.count))
    offsets.append(arena.count)
    lengths.append(Int32(value.count))
    hashes.append(h)
    arena.append(bytes: value.base, count: value.count)
    if count * 2 > mask + 1 { grow() }
    return id
  }

  /// The bytes of an id (with the padding the engine's spans promise).
  func bytes(of id: Int32) -> ByteSpan {
    ByteSpan(base: UnsafePointer(arena.base + offsets[Int(id)]), count: Int(lengths[Int(id)]))
  }

  /// The text of an id; invalid UTF-8 is repaired (callers validate when a value first appears).
  func string(of id: Int32) -> String {
    let span = bytes(of: id)
    return String(decoding: UnsafeBufferPointer(start: span.base, count: span.count), as: UTF8.self)
  }

  private mutating func grow() {
    let capacity = (mask + 1) * 2
    slots.deallocate()
    slots = .allocate(capacity: capacity)
    slots.initialize(repeating: Slot(hash: 0, id: -1, length: 0), count: capacity)
    mask = capacity - 1
    for id in 0..<count {
      let h = hashes[id]
      var i = Int(truncatingIfNeeded: h) & mask
      while slots[i].id >= 0 { i = (i &+ 1) & mask }
      slots[i] = Slot(hash: h, id: Int32(id), length: lengths[id])
    }
  }
}
