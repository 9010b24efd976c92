internal import Foundation

/// Writes a set of files so that either all of them land or none does: each goes to a temporary
/// file beside its destination, and only when every one is written are they renamed into place.
struct OutputFiles {
  private var pending: [(temporary: String, final: String)] = []

  /// Writes `bytes` to a temporary file for `path`.
  mutating func stage(_ bytes: [UInt8], at path: String) throws(BriefingError) {
    let directory = (path as NSString).deletingLastPathComponent
    do {
      try FileManager.default.createDirectory(atPath: directory.isEmpty ? "." : directory, withIntermediateDirectories: true)
    } catch {
      throw .output(file: path, reason: "cannot create the folder \(directory): \(error.localizedDescription)")
    }
    let temporary = path + ".partial-\(getpid())"
    guard FileManager.default.createFile(atPath: temporary, contents: Data(bytes)) else {
      throw .output(file: path, reason: "cannot create \(temporary)")
    }
    pending.append((temporary, path))
  }

  /// Renames every staged file into place.
  mutating func commit() throws(BriefingError) {
    for (temporary, final) in pending {
      guard rename(temporary, final) == 0 else {
        let reason = String(cString: strerror(errno))
        discard()
        throw .output(file: final, reason: reason)
      }
    }
    pending.removeAll()
  }

  /// Removes every staged file that was not committed.
  mutating func discard() {
    for (temporary, _) in pending { unlink(temporary) }
    pending.removeAll()
  }
}
