internal import Foundation

/// SHA-256 digests of files, remembered with each file's stamp in the output folder's state
/// (`.briefing/digests.json`), so that a build that changes nothing reads no file twice: an
/// unchanged stamp means the digest computed before still holds.
struct DigestCache {
  private struct Known: Codable {
    var stamp: FileStamp
    var sha256: String
  }

  private var known: [String: Known]
  private var changed = false
  private static let fileName = "digests.json"

  /// An empty cache, kept nowhere.
  init() {
    known = [:]
  }

  init(folder: ReportFolder) {
    known = folder.state([String: Known].self, named: Self.fileName) ?? [:]
  }

  /// The digest of the file at `path` (absolute), or the reason it cannot be read.
  mutating func digest(ofFileAt path: String) -> Result<String, Digest.FileProblem> {
    guard let stamp = FileStamp(path: path) else {
      return .failure(Digest.FileProblem(path: path, reason: String(cString: strerror(errno))))
    }
    if let entry = known[path], entry.stamp == stamp { return .success(entry.sha256) }
    let result = Digest.sha256(fileAt: path)
    // A file changed while it was read gets no entry: its next stamp will differ anyway. Nor does
    // one modified in the last two seconds: a same-size rewrite within the file system's timestamp
    // tick (SQLite updating a page in place) would keep this stamp with other bytes (git's "racily
    // clean" entries).
    let recent = Int64(Date().timeIntervalSince1970 * 1e9) - 2_000_000_000
    if case .success(let sha) = result, stamp.modified < recent, FileStamp(path: path) == stamp {
      known[path] = Known(stamp: stamp, sha256: sha)
      changed = true
    }
    return result
  }

  /// The digest of the output at `relative` in `folder`, or nil when there is no such file.
  mutating func digest(ofOutput relative: String, in folder: ReportFolder) -> String? {
    let key = "output:" + relative
    guard let stamp = folder.stamp(of: relative) else { return nil }
    if let entry = known[key], entry.stamp == stamp { return entry.sha256 }
    guard let bytes = folder.contents(of: relative) else { return nil }
    let sha = Digest.sha256(bytes)
    if folder.stamp(of: relative) == stamp {
      known[key] = Known(stamp: stamp, sha256: sha)
      changed = true
    }
    return sha
  }

  /// Records the digest of an output just written.
  mutating func remember(output relative: String, sha256: String, in folder: ReportFolder) {
    guard let stamp = folder.stamp(of: relative) else { return }
    known["output:" + relative] = Known(stamp: stamp, sha256: sha256)
    changed = true
  }

  /// Writes the cache back when it changed.
  mutating func save(to folder: ReportFolder) {
    guard changed else { return }
    folder.writeState(known, named: Self.fileName)
    changed = false
  }
}
