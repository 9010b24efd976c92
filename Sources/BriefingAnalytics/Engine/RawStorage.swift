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

  init(capacity: Int = 16) {
    self.capacity = max(capacity, 1)
    base = .allocate(capacity: self.capacity + wordPadding)
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
    let grown = UnsafeMutablePointer<Element>.allocate(capacity: minimum + wordPadding)
    grown.update(from: base, count: count)
    base.deallocate()
    base = grown
    capacity = minimum
  }

  mutating func removeAll() { count = 0 }

  mutating func resize(to newCount: Int, filling value: Element) {
    if newCount > capacity { reserve(max(newCount, capacity * 2)) }
    if newCount > count { (base + count).update(repeating: value, count: newCount - count) }
    count = newCount
  }

  func release() { base.deallocate() }

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

/// The low `n` bytes set (0 < n ≤ 8).
@inline(__always) func lowBytesMask(_ n: Int) -> UInt64 {
  n >= 8 ? ~0 : (1 &<< UInt64(n &* 8)) &- 1
}

/// A fast hash of `n` bytes, reading whole words (the padding makes the tail read safe).
@inline(__always) func hashBytes(_ p: UnsafePointer<UInt8>, _ n: Int) -> UInt64 {
  var h = UInt64(truncatingIfNeeded: n) &* 0x9E37_79B9_7F4A_7C15
  var i = 0
  while i &+ 8 <= n {
    h = (h ^ loadWord(p + i)) &* 0xBF58_476D_1CE4_E5B9
    h ^= h &>> 31
    i &+= 8
  }
  if i < n {
    h = (h ^ (loadWord(p + i) & lowBytesMask(n &- i))) &* 0x94D0_49BB_1331_11EB
  }
  h ^= h &>> 29
  h = h &* 0xBF58_476D_1CE4_E5B9
  return h ^ (h &>> 32)
}

/// Whether `n` bytes at `a` and `b` are equal, compared a word at a time.
@inline(__always) func bytesEqual(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ n: Int) -> Bool {
  var i = 0
  while i &+ 8 <= n {
    if loadWord(a + i) != loadWord(b + i) { return false }
    i &+= 8
  }
  if i < n {
    let m = lowBytesMask(n &- i)
    return (loadWord(a + i) & m) == (loadWord(b + i) & m)
  }
  return true
}
