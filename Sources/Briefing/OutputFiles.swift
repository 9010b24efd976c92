internal import BriefingAnalytics
internal import Foundation

/// Writes a set of files into one output folder so that either all of them land or none does:
/// each goes to a temporary file beside its destination, and only when every one is written are
/// they renamed into place.
///
/// Every file lands directly inside the folder: a name with a separator is refused, the folder's
/// real path (symlinks resolved) is checked again for each file, and a destination that exists
/// and is not a regular file (a folder, symlink, FIFO or device) is never replaced.
struct OutputFiles {
  /// The output folder as given, and its real path once it exists.
  let directory: String
  private var resolvedDirectory: String?
  /// Whether this build created the folder (it is removed again when nothing lands in it).
  private var createdDirectory = false
  private var pending: [(temporary: String, final: String)] = []

  init(directory: String) {
    self.directory = directory.isEmpty ? "." : directory
  }

  /// Creates the output folder when needed (on the first file, so a failed build leaves none)
  /// and returns its real path.
  private mutating func folder() throws(BriefingError) -> String {
    if let resolvedDirectory { return resolvedDirectory }
    var isFolder: ObjCBool = false
    createdDirectory = !FileManager.default.fileExists(atPath: directory, isDirectory: &isFolder)
    do {
      try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    } catch {
      throw .output(file: directory, reason: "cannot create the folder: \(Self.reason(of: error))")
    }
    guard let resolved = Self.realPath(directory) else {
      throw .output(file: directory, reason: "cannot resolve the folder: \(String(cString: strerror(errno)))")
    }
    resolvedDirectory = resolved
    return resolved
  }

  /// The path a file called `name` gets in the folder.
  func path(of name: String) -> String { directory + "/" + name }

  /// Writes `bytes` to a temporary file for the file `name` in the folder.
  mutating func stage(_ bytes: [UInt8], named name: String) throws(BriefingError) {
    let final = path(of: name)
    guard !name.isEmpty, name != ".", name != "..", !name.contains("/"), !name.utf8.contains(0) else {
      throw .output(file: final, reason: "“\(name)” is not a file name inside the output folder")
    }
    let resolved = try folder()
    // The folder may have been replaced by a symlink since it was resolved.
    guard Self.realPath(directory) == resolved else {
      throw .output(file: final, reason: "the output folder \(directory) changed while the briefing was built")
    }
    if let refusal = OutputTarget.refusal(of: final) { throw .output(file: final, reason: "will not replace it: \(refusal)") }
    let temporary = final + ".partial-\(getpid())"
    unlink(temporary)  // left by an earlier run with the same process id that was killed
    if let problem = OutputTarget.writeNewFile(bytes, at: temporary) {
      throw .output(file: final, reason: problem)
    }
    pending.append((temporary, final))
  }

  /// Renames every staged file into place.
  mutating func commit() throws(BriefingError) {
    if let resolvedDirectory, Self.realPath(directory) != resolvedDirectory {
      discard()
      throw .output(file: directory, reason: "the output folder changed while the briefing was built")
    }
    for (_, final) in pending {
      if let refusal = OutputTarget.refusal(of: final) {
        discard()
        throw .output(file: final, reason: "will not replace it: \(refusal)")
      }
    }
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
    // A folder this build made and left empty goes too: a failed build leaves nothing.
    if createdDirectory { rmdir(directory) }
  }

  private static func realPath(_ path: String) -> String? {
    guard let resolved = realpath(path, nil) else { return nil }
    defer { free(resolved) }
    return String(cString: resolved)
  }

  /// The system's message inside a Foundation error (“Permission denied”), not its domain and code.
  private static func reason(of error: any Error) -> String {
    if let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
      return String(cString: strerror(Int32(underlying.code)))
    }
    return error.localizedDescription
  }
}
