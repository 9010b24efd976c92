internal import Foundation
internal import Glibc

/// Where input bytes come from: a file read with `pread` (so threads can share the descriptor)
/// or bytes already in memory.
final class ByteSource: @unchecked Sendable {
  /// The name errors are reported against.
  let name: String
  let size: Int
  private let descriptor: Int32
  private let memory: [UInt8]?

  /// Opens a file for reading; `-` is standard input.
  convenience init(path: String) throws(DataError) {
    if path == "-" {
      try self.init(path: "/dev/stdin", name: "standard input")
    } else {
      try self.init(path: path, name: path)
    }
  }

  private init(path: String, name: String) throws(DataError) {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else {
      let reason = errno == ENOENT ? "no such file" : String(cString: strerror(errno))
      throw .unreadable(file: name, reason: reason)
    }
    var info = stat()
    guard fstat(fd, &info) == 0 else {
      let reason = String(cString: strerror(errno))
      close(fd)
      throw .unreadable(file: name, reason: reason)
    }
    if (info.st_mode & S_IFMT) == S_IFDIR {
      close(fd)
      throw .unreadable(file: name, reason: "it is a directory")
    }
    if (info.st_mode & S_IFMT) != S_IFREG {
      // A pipe or terminal (`-`, `/dev/stdin`, `<(…)`) has no size and cannot be read twice (the
      // header, the splits and error locations all read again): it is copied to an unlinked
      // temporary file first, so memory stays bounded whatever its length.
      defer { close(fd) }
      let spooled = try Self.spool(fd, name: name)
      self.name = name
      memory = nil
      descriptor = spooled.descriptor
      size = spooled.size
      return
    }
    self.name = name
    memory = nil
    descriptor = fd
    size = Int(info.st_size)
  }

  /// Copies a stream into an unlinked temporary file (in `TMPDIR`, else /tmp) and returns its
  /// descriptor and size. Binary input (`/dev/zero`, `/dev/urandom`: a NUL byte, or bytes that are
  /// not UTF-8 at the start) is refused at once, before it can fill the disk; text goes on as long
  /// as the stream does, and its records are checked when they are read.
  private static func spool(_ fd: Int32, name: String) throws(DataError) -> (descriptor: Int32, size: Int) {
    let folder = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
    var template = Array((folder + "/briefing-input-XXXXXX").utf8CString)
    let spool = template.withUnsafeMutableBufferPointer { buffer in buffer.baseAddress.map { mkstemp($0) } ?? -1 }
    guard spool >= 0, fcntl(spool, F_SETFD, FD_CLOEXEC) == 0 else {
      throw .unwritable(file: folder, reason: "cannot keep a copy of \(name) there (set TMPDIR to a writable folder): \(String(cString: strerror(errno)))")
    }
    template.withUnsafeBufferPointer { buffer in _ = buffer.baseAddress.map { unlink($0) } }
    var chunk = [UInt8](repeating: 0, count: 1 << 20)
    var size = 0
    var lines = 1
    while true {
      let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
      if n < 0, errno == EINTR { continue }
      guard n >= 0 else {
        close(spool)
        throw .unreadable(file: name, reason: String(cString: strerror(errno)))
      }
      if n == 0 { return (spool, size) }
      if let problem = binaryProblem(chunk[0..<n], atStart: size == 0) {
        close(spool)
        throw .binaryInput(
          SourceLocation(file: name, line: lines + chunk[0..<problem.offset].count { $0 == 0x0A }, column: 1), found: problem.found)
      }
      lines += chunk[0..<n].count { $0 == 0x0A }
      size += n
      if let problem = OutputTarget.writeAll(Array(chunk[0..<n]), to: spool) {
        close(spool)
        throw .unwritable(file: folder, reason: "cannot keep a copy of \(name) there: \(problem)")
      }
    }
  }

  /// Where a chunk of a stream shows it is not text: a NUL byte anywhere, or, in the first chunk,
  /// bytes that are not UTF-8 (a character cut at the chunk's end is allowed).
  private static func binaryProblem(_ bytes: ArraySlice<UInt8>, atStart: Bool) -> (offset: Int, found: String)? {
    if let nul = bytes.firstIndex(of: 0) { return (nul - bytes.startIndex, "a NUL byte (binary data)") }
    guard atStart else { return nil }
    var end = bytes.endIndex
    // Up to three bytes of a character the next read completes.
    var back = 0
    while back < 3, end > bytes.startIndex, bytes[end - 1] & 0xC0 == 0x80 || bytes[end - 1] >= 0xC0 {
      end -= 1
      back += 1
      if bytes[end] >= 0xC0 { break }
    }
    if String(validating: bytes[bytes.startIndex..<end], as: UTF8.self) == nil { return (0, "bytes that are not UTF-8 text (binary data)") }
    return nil
  }

  /// Wraps bytes in memory; `name` is used in errors.
  init(bytes: [UInt8], name: String) {
    self.name = name
    memory = bytes
    descriptor = -1
    size = bytes.count
  }

  deinit {
    if descriptor >= 0 { close(descriptor) }
  }

  /// Reads up to `count` bytes at `offset` into `buffer`; 0 at the end of the input.
  func read(into buffer: UnsafeMutablePointer<UInt8>, count: Int, at offset: Int) throws(DataError) -> Int {
    guard offset < size, count > 0 else { return 0 }
    if let memory {
      let n = min(count, memory.count - offset)
      memory.withUnsafeBufferPointer { bytes in _ = bytes.baseAddress.map { buffer.update(from: $0 + offset, count: n) } }
      return n
    }
    while true {
      let n = pread(descriptor, buffer, count, off_t(offset))
      if n >= 0 { return n }
      if errno == EINTR { continue }
      throw .unreadable(file: name, reason: String(cString: strerror(errno)))
    }
  }

  /// The 1-based line and column (in characters) of a byte offset; a byte-order mark at the
  /// start of the first line is not counted.
  func location(ofByte offset: Int) -> SourceLocation {
    var line = 1
    var column = 1
    let chunk = 1 << 16
    let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: chunk)
    defer { buffer.deallocate() }
    var position = 0
    var skipBOM = true
    while position < offset {
      guard let n = try? read(into: buffer, count: min(chunk, offset - position), at: position), n > 0 else { break }
      var i = 0
      if skipBOM, position == 0, n >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF { i = 3 }
      skipBOM = false
      while i < n {
        let b = buffer[i]
        if b == 0x0A {
          line += 1
          column = 1
        } else if b & 0xC0 != 0x80 {
          column += 1
        }
        i += 1
      }
      position += n
    }
    return SourceLocation(file: name, line: line, column: column)
  }
}

/// A reusable input buffer with the padding that `ByteSpan` promises.
final class ChunkBuffer: @unchecked Sendable {
  private(set) var base: UnsafeMutablePointer<UInt8>
  private(set) var capacity: Int

  init(capacity: Int) {
    self.capacity = max(capacity, 16)
    base = .allocate(capacity: self.capacity + wordPadding)
    base.initialize(repeating: 0, count: self.capacity + wordPadding)
  }

  deinit { base.deallocate() }

  /// Keeps the unfinished record at `cursor` (moved to the front) and reads more input behind
  /// it, growing when one record fills the buffer; false at the end of the input.
  func refill(from source: ByteSource, offset: inout Int, filled: inout Int, cursor: inout Int) throws(DataError) -> Bool {
    if cursor > 0 {
      memmove(base, base + cursor, filled - cursor)
      offset += cursor
      filled -= cursor
      cursor = 0
    }
    if filled == capacity { try grow(keeping: filled, recordAt: offset, in: source) }
    let n = try source.read(into: base + filled, count: capacity - filled, at: offset + filled)
    filled += n
    return n > 0
  }

  /// The longest record read: beyond it the input is not lines of data (`/dev/zero`, a binary
  /// file), and memory must not grow with it.
  static let maximumRecordBytes = 64 << 20

  /// Doubles the capacity, keeping the first `keeping` bytes: one record (starting at byte
  /// `recordAt` of `source`) fills the buffer. Refuses to grow beyond `maximumRecordBytes`.
  func grow(keeping: Int, recordAt offset: Int, in source: ByteSource) throws(DataError) {
    guard capacity < Self.maximumRecordBytes else {
      throw .recordTooLong(source.location(ofByte: offset), limit: Self.maximumRecordBytes)
    }
    let newCapacity = capacity * 2
    let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity + wordPadding)
    grown.initialize(repeating: 0, count: newCapacity + wordPadding)
    grown.update(from: base, count: keeping)
    base.deallocate()
    base = grown
    capacity = newCapacity
  }
}
