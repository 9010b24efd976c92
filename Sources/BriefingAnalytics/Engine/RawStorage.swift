/// A run of bytes inside one of the engine's buffers.
///
/// Invariant kept by every buffer that hands out spans: at least 8 readable bytes follow the
/// span's end, so hashing and comparing may load whole 64-bit words and mask off the excess.
struct ByteSpan {
  var base: UnsafePointer<UInt8>
  var count: Int

  var isEmpty: Bool { count == 0 }

  /// The bytes as a String, or nil when they are not valid UTF-8.
  func validatedString() -> String? {
    String(validating: UnsafeBufferPointer(start: base, count: count), as: UTF8.self)
  }
}

/// Extra bytes allocated past the end of every engine buffer (see `ByteSpan`).
let wordPadding = 8

/// A growable array of trivial values in manually managed memory.
///
/// The hot loops of the engine index these without bounds or uniqueness checks; the owner
/// calls `release()` exactly once (the engine's owning classes do it in `deinit`).
struct RawVector<Element: BitwiseCopyable> {
  private(set) var base: UnsafeMutablePointer<Element>
  private(set) var count = 0
  private(set) var capacity: Int
  /// The byte alignment of `base`.
  let alignment: Int

  /// - Parameter alignment: of the storage, in bytes (a power of two); 64 puts records whose size
  ///   divides 64 each in one cache line.
  init(capacity: Int = 16, alignment: Int = MemoryLayout<Element>.alignment) {
    self.capacity = max(capacity, 1)
    self.alignment = max(alignment, MemoryLayout<Element>.alignment)
    base = Self.allocate(self.capacity + wordPadding, alignment: self.alignment)
  }

  private static func allocate(_ count: Int, alignment: Int) -> UnsafeMutablePointer<Element> {
    UnsafeMutableRawPointer.allocate(byteCount: count * MemoryLayout<Element>.stride, alignment: alignment)
      .bindMemory(to: Element.self, capacity: count)
  }

  @inline(__always) subscript(index: Int) -> Element {
    get { base[index] }
    nonmutating set { base[index] = newValue }
  }

  @inline(__always) mutating func append(_ element: Element) {
    if count == capacity { reserve(capacity * 2) }
    base[count] = element
    count += 1
  }

  /// Makes room for at least `minimum` elements (plus the padding), keeping the contents.
  mutating func reserve(_ minimum: Int) {
    guard minimum > capacity else { return }
    let grown = Self.allocate(minimum + wordPadding, alignment: alignment)
    grown.initialize(from: base, count: count)
    UnsafeMutableRawPointer(base).deallocate()
    base = grown
    capacity = minimum
  }

  mutating func removeAll() { count = 0 }

  mutating func resize(to newCount: Int, filling value: Element) {
    if newCount > capacity { reserve(max(newCount, capacity * 2)) }
    if newCount > count { (base + count).update(repeating: value, count: newCount - count) }
    count = newCount
  }

  func release() { UnsafeMutableRawPointer(base).deallocate() }

  var elements: [Element] { Array(UnsafeBufferPointer(start: base, count: count)) }
}

extension RawVector where Element == UInt8 {
  mutating func append(bytes: UnsafePointer<UInt8>, count n: Int) {
    if count + n > capacity { reserve(max(count + n, capacity * 2)) }
    (base + count).update(from: bytes, count: n)
    count += n
  }
}

// MARK: - Word-at-a-time helpers (little-endian, as on x86-64 and arm64)

@inline(__always) func loadWord(_ p: UnsafePointer<UInt8>) -> UInt64 {
  UnsafeRawPointer(p).loadUnaligned(as: UInt64.self)
}

/// 0x80 in every byte of `x` that is zero, 0 elsewhere: exact, no false positives.
@inline(__always) func zeroByteMask(_ x: UInt64) -> UInt64 {
  ~(((x & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x7F7F_7F7F_7F7F_7F7F) | x | 0x7F7F_7F7F_7F7F_7F7F)
}

/// The low `n` bytes set (0 ≤ n ≤ 8). Without a branch: two shifts by 4n bits, as one shift by 64
/// would wrap to 0 and give no bytes instead of all eight.
@inline(__always) func lowBytesMask(_ n: Int) -> UInt64 {
  let half = UInt64(truncatingIfNeeded: n &* 4)
  return (((1 as UInt64) &<< half) &<< half) &- 1
}

/// A fast hash of `n` bytes, reading whole words (the padding makes the tail read safe).
///
/// Values of up to 16 bytes (most keys: years, metrics, units, short names) take no loop: their
/// first and last words are multiplied independently and folded once, so the hash costs a few
/// cycles of latency instead of a multiply chain per word. Every byte counts, and the length is
/// mixed in, so values of different lengths or with any byte changed hash apart (collisions only
/// cost a comparison: callers compare the bytes).
@inline(__always) func hashBytes(_ p: UnsafePointer<UInt8>, _ n: Int) -> UInt64 {
  var h = UInt64(truncatingIfNeeded: n) &* 0x9E37_79B9_7F4A_7C15
  var i = 0
  // Whole 16-byte blocks while more than 16 bytes remain.
  while n &- i > 16 {
    h = mixWords(loadWord(p + i) ^ h, loadWord(p + (i &+ 8)))
    i &+= 16
  }
  // The last 1...16 bytes (0 for an empty value), without a branch on the length: when there
  // are 8 or fewer, `second` re-reads the first word and masks all of it away. (An empty span
  // still has its 8 padding bytes to read.)
  let rest = n &- i
  let first = loadWord(p + i) & lowBytesMask(min(rest, 8))
  let second = loadWord(p + (rest > 8 ? i &+ 8 : i)) & lowBytesMask(max(rest &- 8, 0))
  h = mixWords(first ^ h, second)
  let folded = (h ^ 0x2D35_8DCC_AA6C_78A5).multipliedFullWidth(by: 0x8BB8_4B93_962E_ACC9)
  return folded.high ^ folded.low
}

/// Two words into one: each multiplied by an odd constant (a bijection), so no word's bits are
/// lost before they are combined.
@inline(__always) private func mixWords(_ a: UInt64, _ b: UInt64) -> UInt64 {
  let x = a &* 0xBF58_476D_1CE4_E5B9
  let y = b &* 0x94D0_49BB_1331_11EB
  return ((x &<< 29) | (x &>> 35)) ^ y ^ (y &>> 32)
}

/// Whether `n` bytes at `a` and `b` are equal, compared a word at a time (up to 16 bytes as two
/// masked words, without a loop, like `hashBytes`).
@inline(__always) func bytesEqual(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ n: Int) -> Bool {
  var i = 0
  while n &- i > 16 {
    if loadWord(a + i) != loadWord(b + i) { return false }
    if loadWord(a + (i &+ 8)) != loadWord(b + (i &+ 8)) { return false }
    i &+= 16
  }
  let rest = n &- i
  let firstMask = lowBytesMask(min(rest, 8))
  let secondMask = lowBytesMask(max(rest &- 8, 0))
  let second = rest > 8 ? i &+ 8 : i
  let firstDiffers = (loadWord(a + i) ^ loadWord(b + i)) & firstMask
  let secondDiffers = (loadWord(a + second) ^ loadWord(b + second)) & secondMask
  return firstDiffers | secondDiffers == 0
}
