internal import Foundation

/// The rules every writer (build, chart exports, `seed`, `import`) follows before it replaces a
/// file: the target is absent or a regular file, never a folder, symlink, FIFO, socket or device
/// (as root, renaming over `/dev/null` would replace the device with a file).
public enum OutputTarget {
  /// Why `path` must not be replaced, or nil when it is absent or a regular file.
  public static func refusal(of path: String) -> String? {
    var status = stat()
    guard lstat(path, &status) == 0 else {
      return errno == ENOENT ? nil : "cannot inspect it: \(String(cString: strerror(errno)))"
    }
    switch status.st_mode & S_IFMT {
    case S_IFREG: return nil
    case S_IFDIR: return "it is a folder"
    case S_IFLNK: return "it is a symbolic link (write to the file it points to, or remove the link)"
    case S_IFIFO: return "it is a FIFO"
    case S_IFSOCK: return "it is a socket"
    case S_IFCHR, S_IFBLK: return "it is a device"
    default: return "it is not a regular file"
    }
  }

  /// Throws when `path` exists and is not a regular file.
  public static func check(_ path: String) throws(DataError) {
    if let reason = refusal(of: path) { throw .unwritable(file: path, reason: "will not replace it: \(reason)") }
  }

  /// Creates `path` as a new file (never following a symlink, never reusing an existing file),
  /// writes all of `bytes` and syncs it; returns the system's message on failure, after removing
  /// what was written.
  public static func writeNewFile(_ bytes: [UInt8], at path: String) -> String? {
    let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else { return String(cString: strerror(errno)) }
    var problem = writeAll(bytes, to: descriptor)
    if problem == nil, fsync(descriptor) != 0 { problem = String(cString: strerror(errno)) }
    if close(descriptor) != 0, problem == nil { problem = String(cString: strerror(errno)) }
    if problem != nil { unlink(path) }
    return problem
  }

  /// Writes all of `bytes` to `descriptor`, retrying short writes and interrupts; returns the
  /// system's message (“No space left on device”) on failure.
  public static func writeAll(_ bytes: [UInt8], to descriptor: Int32) -> String? {
    var offset = 0
    while offset < bytes.count {
      let written = bytes.withUnsafeBytes { buffer in
        Foundation.write(descriptor, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
      }
      if written < 0 {
        if errno == EINTR { continue }
        return String(cString: strerror(errno))
      }
      offset += written
    }
    return nil
  }
}
