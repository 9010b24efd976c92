internal import CCairo
internal import Foundation

/// SHA-256 digests of bytes and files, as lowercase hex: GLib's implementation (already linked
/// through Pango), so no crypto package is built for it.
enum Digest {
  /// The SHA-256 of `bytes`.
  static func sha256(_ bytes: [UInt8]) -> String {
    let hasher = Hasher256()
    bytes.withUnsafeBufferPointer { hasher.update($0) }
    return hasher.finish()
  }

  /// The SHA-256 of `text`'s UTF-8.
  static func sha256(_ text: String) -> String { sha256(Array(text.utf8)) }

  /// The SHA-256 of the file at `path`, read in blocks; the system's message when it cannot be read.
  static func sha256(fileAt path: String) -> Result<String, FileProblem> {
    // Non-blocking, then only a regular file: a FIFO would block, or be drained before the build reads it.
    let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
    guard descriptor >= 0 else { return .failure(FileProblem(path: path, reason: String(cString: strerror(errno)))) }
    defer { close(descriptor) }
    var status = stat()
    guard fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG else {
      return .failure(FileProblem(path: path, reason: "not a regular file"))
    }
    let hasher = Hasher256()
    var buffer = [UInt8](repeating: 0, count: 1 << 20)
    while true {
      let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
      if count < 0 {
        if errno == EINTR { continue }
        return .failure(FileProblem(path: path, reason: String(cString: strerror(errno))))
      }
      if count == 0 { break }
      buffer.withUnsafeBufferPointer { hasher.update(UnsafeBufferPointer(rebasing: $0[0..<count])) }
    }
    return .success(hasher.finish())
  }

  /// A file that could not be read, and why.
  struct FileProblem: Error {
    var path: String
    var reason: String
  }

  /// An incremental SHA-256 (GLib's GChecksum), owned by this value's single use.
  private struct Hasher256: ~Copyable {
    private let checksum: OpaquePointer?

    init() { checksum = g_checksum_new(G_CHECKSUM_SHA256) }

    func update(_ bytes: UnsafeBufferPointer<UInt8>) {
      guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
      g_checksum_update(checksum, base, bytes.count)
    }

    consuming func finish() -> String {
      defer { g_checksum_free(checksum) }
      guard let text = g_checksum_get_string(checksum) else { return "" }
      return String(cString: text)
    }
  }
}
