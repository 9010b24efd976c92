internal import BriefingAnalytics
internal import Foundation

/// An output folder that builds write into one at a time, and whose files change only by whole
/// transactions.
///
/// **Lock.** `open` takes an exclusive `flock` on `.briefing/lock` inside the folder, waiting up to
/// a given time for another build to finish (the lock is released when this object goes away or
/// the process ends, however it ends).
///
/// **Transaction.** `commit` replaces a set of files (several briefings' PDFs and charts, and
/// `manifest.json`) so that after any fault or kill, once the next command has opened the folder,
/// the folder holds exactly the old set or exactly the new one:
/// 1. every new file is written into `.briefing/staging/<transaction>/` and synced, and so is
///    that folder;
/// 2. `.briefing/journal.json` is written, synced and renamed into place (the commit point), and
///    the state folder synced;
/// 3. each staged file is renamed over its target, the files the transaction removes are
///    unlinked, and the folders that changed are synced;
/// 4. the journal is removed.
/// A fault before step 2 leaves the old set (the staging folder is removed then or by the next
/// `open`); after it, `open` rolls the journal forward, renaming whatever step 3 had not. Every
/// path is walked from the folder's own descriptor without following symlinks, so a folder swapped
/// for a link mid-build is never written through.
final class ReportFolder {
  /// The folder of the lock, journal, staging area and digest cache, inside the output folder.
  static let stateName = ".briefing"

  /// The folder as given.
  let path: String
  /// Whether this open created the output folder.
  let created: Bool
  private let folder: Int32
  private let state: Int32
  private let lock: Int32
  private var transactions = 0

  /// Called before each step of a commit with the step's name (`stage 3`, `journal`, `rename 2`,
  /// `sync folders` …); an errno it returns fails that step as the system would. For tests.
  var faults: ((String) -> Int32?)?

  /// Opens (creating it when needed) the folder `path` and takes its lock, waiting up to `wait`
  /// seconds; `waiting` is called once if the lock is held by another process.
  init(_ path: String, wait: Double, waiting: () -> Void = {}, shouldStop: () -> Bool = { false }) throws(BriefingError) {
    self.path = path.isEmpty ? "." : path
    let deadline = Date().addingTimeInterval(max(0, wait))
    var opened = try Self.open(self.path, until: deadline, wait: wait, waiting: waiting, shouldStop: shouldStop)
    // The build that held the lock may have removed the folder it had made and left empty: the lock
    // then guards nothing, and the folder is opened again.
    var attempts = 1
    while !Self.isLinked(opened.state), attempts < 5 {
      close(opened.lock)
      close(opened.state)
      close(opened.folder)
      opened = try Self.open(self.path, until: deadline, wait: wait, waiting: {}, shouldStop: shouldStop)
      attempts += 1
    }
    (folder, state, lock, created) = (opened.folder, opened.state, opened.lock, opened.created)
  }

  private static func isLinked(_ descriptor: Int32) -> Bool {
    var status = stat()
    return fstat(descriptor, &status) == 0 && status.st_nlink > 0
  }

  /// Creates the folder when needed, opens it and its state folder, and takes the lock.
  private static func open(
    _ path: String, until deadline: Date, wait: Double, waiting: () -> Void, shouldStop: () -> Bool
  ) throws(BriefingError) -> (folder: Int32, state: Int32, lock: Int32, created: Bool) {
    var isFolder: ObjCBool = false
    let existed = FileManager.default.fileExists(atPath: path, isDirectory: &isFolder)
    if existed, !isFolder.boolValue { throw .output(file: path, reason: "it is not a folder") }
    if !existed {
      do {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
      } catch {
        throw .output(file: path, reason: "cannot create the folder: \(systemReason(of: error))")
      }
    }
    let folder = Foundation.open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard folder >= 0 else { throw .output(file: path, reason: "cannot open the folder: \(lastError())") }
    if mkdirat(folder, stateName, 0o755) != 0, errno != EEXIST {
      let reason = lastError()
      close(folder)
      throw .output(file: path + "/" + stateName, reason: reason)
    }
    let state = openat(folder, stateName, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
    guard state >= 0 else {
      let reason = lastError()
      close(folder)
      throw .output(file: path + "/" + stateName, reason: "cannot open it: \(reason)")
    }
    do {
      let lock = try takeLock(in: state, folder: path, until: deadline, wait: wait, waiting: waiting, shouldStop: shouldStop)
      return (folder, state, lock, !existed)
    } catch {
      close(state)
      close(folder)
      throw error
    }
  }

  deinit {
    discardStaged()
    close(lock)
    close(state)
    close(folder)
  }

  /// Takes the lock on `lock` in the state folder: the file may have been removed and made again
  /// by the process that held it, so the lock counts only on the file the name still points to.
  private static func takeLock(
    in state: Int32, folder: String, until deadline: Date, wait: Double, waiting: () -> Void, shouldStop: () -> Bool
  ) throws(BriefingError) -> Int32 {
    var told = false
    while true {
      let descriptor = openat(state, "lock", O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o644)
      guard descriptor >= 0 else { throw .output(file: folder + "/.briefing/lock", reason: lastError()) }
      if flock(descriptor, LOCK_EX | LOCK_NB) == 0 {
        var held = stat()
        var named = stat()
        if fstat(descriptor, &held) == 0, fstatat(state, "lock", &named, AT_SYMLINK_NOFOLLOW) == 0, held.st_ino == named.st_ino {
          return descriptor
        }
        close(descriptor)
        continue
      }
      let problem = errno
      close(descriptor)
      guard problem == EWOULDBLOCK || problem == EINTR else { throw .output(file: folder + "/.briefing/lock", reason: String(cString: strerror(problem))) }
      // A signal while waiting (systemctl stop, Ctrl-C) ends the wait at once.
      guard Date() < deadline, !shouldStop() else { throw .busy(folder: folder, waited: wait) }
      if !told {
        waiting()
        told = true
      }
      usleep(50_000)
    }
  }

  // MARK: Reading

  /// The bytes of the file at `relative` (a path inside the folder), or nil when there is none.
  func contents(of relative: String) -> [UInt8]? {
    guard let (parent, leaf) = try? parentFolder(of: relative, creating: false) else { return nil }
    defer { close(parent) }
    return Self.contents(of: leaf, in: parent)
  }

  private static func contents(of name: String, in folder: Int32) -> [UInt8]? {
    // Non-blocking, then only a regular file: a FIFO put where a PDF was would block the read.
    let descriptor = openat(folder, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)
    guard descriptor >= 0 else { return nil }
    defer { close(descriptor) }
    var status = stat()
    guard fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG else { return nil }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    while true {
      let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
      if count < 0, errno == EINTR { continue }
      guard count > 0 else { return count == 0 ? bytes : nil }
      bytes += buffer[0..<count]
    }
  }

  /// The stamp of the file at `relative`, or nil when there is none (or a folder on the way is a link).
  func stamp(of relative: String) -> FileStamp? {
    guard let (parent, leaf) = try? parentFolder(of: relative, creating: false) else { return nil }
    defer { close(parent) }
    return FileStamp(name: leaf, in: parent)
  }

  /// Why the file at `relative` may not be replaced: it exists and is not a regular file, or a
  /// folder on its way is a link or not a folder. Nil when it may.
  func refusal(of relative: String) -> String? {
    let parts = relative.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
    var current = dup(folder)
    defer { close(current) }
    for (index, part) in parts.enumerated() {
      var status = stat()
      guard fstatat(current, part, &status, AT_SYMLINK_NOFOLLOW) == 0 else { return nil }
      let kind = status.st_mode & S_IFMT
      if index == parts.count - 1 {
        return kind == S_IFREG ? nil : OutputTarget.refusal(of: path + "/" + relative)
      }
      guard kind == S_IFDIR else {
        return kind == S_IFLNK ? "the folder \(parts[...index].joined(separator: "/")) is a symbolic link" : "\(parts[...index].joined(separator: "/")) is not a folder"
      }
      let next = openat(current, part, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
      guard next >= 0 else { return "cannot open \(parts[...index].joined(separator: "/")): \(Self.lastError())" }
      close(current)
      current = next
    }
    return nil
  }

  // MARK: State files

  /// The bytes of a file of the state folder (`stamps.json`), or nil.
  func stateFile(_ name: String) -> [UInt8]? { Self.contents(of: name, in: state) }

  /// Replaces a file of the state folder (a cache: not synced, since losing it costs only time).
  func writeStateFile(_ name: String, _ bytes: [UInt8]) {
    let temporary = name + ".tmp"
    unlinkat(state, temporary, 0)
    let descriptor = openat(state, temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else { return }
    let problem = OutputTarget.writeAll(bytes, to: descriptor)
    close(descriptor)
    if problem == nil { renameat(state, temporary, state, name) } else { unlinkat(state, temporary, 0) }
  }

  /// A cache of the state folder (`digests.json`), decoded; nil when absent or unreadable.
  func state<T: Decodable>(_ type: T.Type, named name: String) -> T? {
    stateFile(name).flatMap { try? JSONDecoder().decode(type, from: Data($0)) }
  }

  /// Replaces a cache of the state folder with `value` as JSON.
  func writeState<T: Encodable>(_ value: T, named name: String) {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    if let data = try? encoder.encode(value) { writeStateFile(name, Array(data)) }
  }

  /// Whether the folder holds anything besides the state folder.
  var isEmpty: Bool {
    (try? FileManager.default.contentsOfDirectory(atPath: path))?.allSatisfy { $0 == Self.stateName } ?? false
  }

  /// Removes the folder again when this open created it and nothing was committed into it: a
  /// build that wrote nothing leaves nothing.
  func removeIfUnused() {
    guard created, isEmpty else { return }
    for name in (try? FileManager.default.contentsOfDirectory(atPath: path + "/" + Self.stateName)) ?? [] {
      unlinkat(state, name, 0)
    }
    rmdir(path + "/" + Self.stateName)
    rmdir(path)
  }

  // MARK: Transactions

  /// One transaction's changes: files to write (paths inside the folder) and files to remove.
  struct Change {
    var writes: [(path: String, bytes: [UInt8])] = []
    var removals: [String] = []
    var isEmpty: Bool { writes.isEmpty && removals.isEmpty }
  }

  /// What the journal records: each staged file (relative to the state folder) and its target, and
  /// the files to remove (relative to the output folder).
  private struct Journal: Codable {
    var version = 1
    var transaction: String
    var renames: [Rename]
    var removals: [String]

    struct Rename: Codable {
      var from: String
      var to: String
    }
  }

  /// The transaction under way: its name, its staging folder's descriptor, what it renames and
  /// removes.
  private var pending: (name: String, folder: Int32, journal: Journal)?

  /// Whether files are staged or removals recorded, waiting for `commitStaged()`.
  var hasStaged: Bool { pending.map { !$0.journal.renames.isEmpty || !$0.journal.removals.isEmpty } ?? false }

  /// Writes `files` (paths inside the folder) into the transaction under way, starting one when
  /// none is: each staged and synced now, renamed into place by `commitStaged()`. All or none: on
  /// a failure, what this call staged is dropped and the rest of the transaction stays.
  func stage(_ files: [(path: String, bytes: [UInt8])]) throws(BriefingError) {
    for (target, _) in files {
      if let problem = Self.pathProblem(target) { throw .output(file: path + "/" + target, reason: problem) }
      if let refusal = refusal(of: target) { throw .output(file: path + "/" + target, reason: "will not replace it: \(refusal)") }
    }
    var transaction = try begin()
    let before = transaction.journal.renames.count
    do throws(BriefingError) {
      for (target, bytes) in files {
        let index = transaction.journal.renames.count
        try step("stage \(index)", target)
        let descriptor = openat(transaction.folder, "\(index)", O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw failure(target, "cannot stage it") }
        var problem = OutputTarget.writeAll(bytes, to: descriptor)
        if problem == nil, fsync(descriptor) != 0 { problem = Self.lastError() }
        if close(descriptor) != 0, problem == nil { problem = Self.lastError() }
        if let problem {
          unlinkat(transaction.folder, "\(index)", 0)
          throw .output(file: path + "/" + target, reason: problem)
        }
        transaction.journal.renames.append(Journal.Rename(from: "staging/\(transaction.name)/\(index)", to: target))
      }
    } catch {
      for index in before..<transaction.journal.renames.count { unlinkat(transaction.folder, "\(index)", 0) }
      transaction.journal.renames.removeSubrange(before...)
      pending = transaction
      throw error
    }
    pending = transaction
  }

  /// Records files to remove when the transaction under way commits.
  func remove(_ targets: [String]) throws(BriefingError) {
    for target in targets {
      if let problem = Self.pathProblem(target) { throw .output(file: path + "/" + target, reason: problem) }
    }
    var transaction = try begin()
    transaction.journal.removals += targets
    pending = transaction
  }

  private func begin() throws(BriefingError) -> (name: String, folder: Int32, journal: Journal) {
    if let pending { return pending }
    transactions += 1
    let name = "\(getpid())-\(transactions)"
    let staging = "staging/" + name
    if mkdirat(state, "staging", 0o755) != 0, errno != EEXIST { throw failure("staging", "cannot create it") }
    if mkdirat(state, staging, 0o755) != 0 { throw failure(staging, "cannot create it") }
    let descriptor = openat(state, staging, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
    guard descriptor >= 0 else {
      let problem = failure(staging, "cannot open it")
      unlinkat(state, staging, AT_REMOVEDIR)
      throw problem
    }
    return (name, descriptor, Journal(transaction: name, renames: [], removals: []))
  }

  /// Drops the transaction under way: its staged files are removed, nothing else changes.
  func discardStaged() {
    guard let transaction = pending else { return }
    close(transaction.folder)
    pending = nil
    discardStaging("staging/" + transaction.name)
  }

  /// Commits the transaction under way (see the type's description); nothing when there is none.
  func commitStaged() throws(BriefingError) {
    guard let transaction = pending else { return }
    let staging = "staging/" + transaction.name
    do throws(BriefingError) {
      try step("sync staging", staging)
      guard fsync(transaction.folder) == 0 else { throw failure(staging, "cannot sync it") }
      try writeJournal(transaction.journal)
    } catch {
      discardStaged()
      throw error
    }
    close(transaction.folder)
    pending = nil
    // Past the journal's rename the transaction is committed: a failure from here on leaves the
    // journal and the staged files for the next open to roll forward.
    try step("sync journal", ".briefing")
    guard fsync(state) == 0 else { throw failure(".briefing", "cannot sync it (the next build completes this commit)") }
    try apply(transaction.journal)
  }

  /// Replaces and removes files as one transaction.
  func commit(_ change: Change) throws(BriefingError) {
    guard !change.isEmpty else { return }
    do throws(BriefingError) {
      try stage(change.writes)
      try remove(change.removals)
    } catch {
      discardStaged()
      throw error
    }
    try commitStaged()
  }

  /// Writes the journal: synced, then renamed into place, which is the commit point.
  private func writeJournal(_ journal: Journal) throws(BriefingError) {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    guard let bytes = try? encoder.encode(journal) else { throw .output(file: journalPath, reason: "cannot encode the journal") }
    unlinkat(state, "journal.tmp", 0)
    try step("journal", "journal.tmp")
    let descriptor = openat(state, "journal.tmp", O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else { throw failure(".briefing/journal.tmp", "cannot create it") }
    var problem = OutputTarget.writeAll(Array(bytes), to: descriptor)
    if problem == nil, fsync(descriptor) != 0 { problem = Self.lastError() }
    if close(descriptor) != 0, problem == nil { problem = Self.lastError() }
    if let problem {
      unlinkat(state, "journal.tmp", 0)
      throw .output(file: journalPath, reason: problem)
    }
    do throws(BriefingError) {
      try step("commit journal", "journal.json")
      guard renameat(state, "journal.tmp", state, "journal.json") == 0 else { throw failure(".briefing/journal.json", "cannot rename it into place") }
    } catch {
      unlinkat(state, "journal.tmp", 0)
      throw error
    }
  }

  private var journalPath: String { path + "/" + Self.stateName + "/journal.json" }

  /// Carries a committed journal out: renames, removals, syncs, then the journal removed. Each
  /// step can be done again: a staged file that is no longer there was renamed before.
  private func apply(_ journal: Journal) throws(BriefingError) {
    var touched: [String: Int32] = [:]
    defer { for descriptor in touched.values { close(descriptor) } }
    func parent(of target: String) throws(BriefingError) -> (Int32, String) {
      let parts = target.split(separator: "/").map(String.init)
      let key = parts.dropLast().joined(separator: "/")
      if let known = touched[key], let leaf = parts.last { return (known, leaf) }
      let (descriptor, leaf) = try parentFolder(of: target, creating: true)
      touched[key] = descriptor
      return (descriptor, leaf)
    }
    for (index, rename) in journal.renames.enumerated() {
      let (descriptor, leaf) = try parent(of: rename.to)
      try step("rename \(index)", rename.to)
      if renameat(state, rename.from, descriptor, leaf) != 0, errno != ENOENT {
        throw failure(rename.to, "cannot rename it into place (the next build completes this commit)")
      }
    }
    for (index, removal) in journal.removals.enumerated() {
      try step("remove \(index)", removal)
      // A file whose folder is gone, or is no longer a folder of ours (a link), is gone already:
      // nothing is created or followed to remove it.
      guard let (descriptor, leaf) = try? parentFolder(of: removal, creating: false) else { continue }
      defer { close(descriptor) }
      if unlinkat(descriptor, leaf, 0) != 0, errno != ENOENT {
        throw failure(removal, "cannot remove it (the next build completes this commit)")
      }
      _ = fsync(descriptor)
    }
    try step("sync folders", path)
    for (key, descriptor) in touched where fsync(descriptor) != 0 {
      throw failure(key.isEmpty ? "." : key, "cannot sync it (the next build completes this commit)")
    }
    try step("end journal", "journal.json")
    guard unlinkat(state, "journal.json", 0) == 0 || errno == ENOENT else { throw failure(".briefing/journal.json", "cannot remove it") }
    _ = fsync(state)
    discardStaging("staging/" + journal.transaction)
  }

  /// Rolls forward a transaction a fault or kill interrupted after its commit point, and removes
  /// the staging files of any that did not reach it. Done by every `open`er before anything else.
  func recover() throws(BriefingError) {
    if let bytes = stateFile("journal.json") {
      guard let journal = try? JSONDecoder().decode(Journal.self, from: Data(bytes)),
        journal.renames.allSatisfy({ Self.pathProblem($0.to) == nil && $0.from.hasPrefix("staging/") && !$0.from.contains("..") }),
        journal.removals.allSatisfy({ Self.pathProblem($0) == nil })
      else {
        throw .output(file: journalPath, reason: "the journal of an interrupted build cannot be read; the folder may hold a mix of two builds: remove \(journalPath) and build with --force")
      }
      try apply(journal)
    }
    unlinkat(state, "journal.tmp", 0)
    for name in (try? FileManager.default.contentsOfDirectory(atPath: path + "/" + Self.stateName + "/staging")) ?? [] {
      discardStaging("staging/" + name)
    }
  }

  private func discardStaging(_ relative: String) {
    let descriptor = openat(state, relative, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
    if descriptor >= 0 {
      for name in (try? FileManager.default.contentsOfDirectory(atPath: path + "/" + Self.stateName + "/" + relative)) ?? [] {
        unlinkat(descriptor, name, 0)
      }
      close(descriptor)
    }
    unlinkat(state, relative, AT_REMOVEDIR)
  }

  /// The folder holding `relative` (opened from the output folder without following links,
  /// created when asked) and the file's name in it. The caller closes the descriptor.
  private func parentFolder(of relative: String, creating: Bool) throws(BriefingError) -> (Int32, String) {
    if let problem = Self.pathProblem(relative) { throw .output(file: path + "/" + relative, reason: problem) }
    var parts = relative.split(separator: "/").map(String.init)
    let leaf = parts.removeLast()
    var current = dup(folder)
    for part in parts {
      if creating, mkdirat(current, part, 0o755) != 0, errno != EEXIST {
        let reason = Self.lastError()
        close(current)
        throw .output(file: path + "/" + relative, reason: "cannot create the folder \(part): \(reason)")
      }
      let next = openat(current, part, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
      let reason = Self.lastError()
      close(current)
      guard next >= 0 else { throw .output(file: path + "/" + relative, reason: "cannot open the folder \(part): \(reason)") }
      current = next
    }
    return (current, leaf)
  }

  /// Why `relative` cannot be a path inside the folder: empty, absolute, a `.`/`..` part, a NUL,
  /// or the state folder.
  static func pathProblem(_ relative: String) -> String? {
    let parts = relative.split(separator: "/", omittingEmptySubsequences: false)
    if relative.isEmpty || relative.hasPrefix("/") || relative.utf8.contains(0) || parts.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }) {
      return "“\(relative)” is not a path inside the output folder"
    }
    if parts.first == Substring(stateName) { return "“\(relative)” is inside the build's own state folder" }
    return nil
  }

  /// Runs the fault seam for a step.
  private func step(_ name: String, _ target: String) throws(BriefingError) {
    if let code = faults?(name) {
      throw .output(file: path + "/" + target, reason: "\(name): \(String(cString: strerror(code))) (injected)")
    }
  }

  private func failure(_ target: String, _ what: String) -> BriefingError {
    .output(file: path + "/" + target, reason: "\(what): \(Self.lastError())")
  }

  private static func lastError() -> String { String(cString: strerror(errno)) }

  private static func systemReason(of error: any Error) -> String {
    if let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
      return String(cString: strerror(Int32(underlying.code)))
    }
    return error.localizedDescription
  }
}
