internal import BriefingAnalytics
internal import BriefingCairo
internal import Foundation
internal import Yams

/// How a scheduled build runs: which briefings, how many at once, how long to wait for the folder.
public struct ReportBuildOptions: Sendable {
  /// The options of every briefing (output folder, `SOURCE_DATE_EPOCH`, PNG scale …).
  public var build: BuildOptions
  /// Rebuild every briefing, even those whose inputs are unchanged.
  public var force = false
  /// Briefings built at once.
  public var jobs = max(1, ProcessInfo.processInfo.activeProcessorCount)
  /// Build only the `index`-th (from 1) of `count` deterministic parts of the briefings.
  public var shard: (index: Int, count: Int)?
  /// Stop at the first failure instead of building every other briefing.
  public var failFast = false
  /// Seconds to wait for another build's lock on the folder.
  public var wait: Double = 300
  /// `--set` values of parameters.
  public var settings: [String: String] = [:]
  /// Whether the layouts are every layout of a folder (`briefing build` without arguments): the
  /// briefings of a layout file that no longer exists are then removed too.
  public var allLayouts = false
  /// Receives what happens, as it happens (from the calling thread).
  public var report: @Sendable (ReportBuild.Event) -> Void = { _ in }
  /// Asked between briefings: true stops the build (SIGTERM, SIGINT) after the briefings under way.
  public var shouldStop: @Sendable () -> Bool = { false }

  public init(build: BuildOptions) {
    self.build = build
  }
}

/// A build of many briefings into one output folder that can run unattended: incremental by
/// content, recorded in `manifest.json`, all or nothing (the whole build), one at a time per folder,
/// parallel, shardable, and going on past a briefing that fails.
///
/// A briefing is one layout file with one set of parameter values. Its **key** is the SHA-256 of
/// the program (version and build id), the options that change files, the parameter values and
/// every input's digest: the layout, data files (a database's file and its write-ahead log), names,
/// metrics and sources tables, and the font files it was drawn with. A briefing whose key and
/// outputs match the manifest is skipped and nothing of it is touched; otherwise it is rebuilt and
/// only the files whose bytes changed are replaced, in a `ReportFolder` transaction with the new
/// manifest.
public struct ReportBuild {
  public var options: ReportBuildOptions

  public init(options: ReportBuildOptions) {
    self.options = options
  }

  /// What a build reports while it runs.
  public enum Event: Sendable {
    /// The lock is held by another build; waiting for it.
    case waiting(folder: String)
    /// A briefing was built; its files (paths in the output folder) and the PDF's pages.
    case built(briefing: String, files: [String], pages: Int)
    /// A briefing's inputs were unchanged.
    case skipped(briefing: String)
    /// A briefing (or a whole layout file) failed.
    case failed(briefing: String, error: BriefingError)
    /// A file a briefing no longer writes was removed.
    case removed(file: String)
    /// `done` of `total` briefings are finished (built, skipped or failed).
    case progress(done: Int, total: Int)
  }

  /// What a build did.
  public struct Summary: Sendable {
    /// Briefings built, and skipped as unchanged.
    public var built: [String] = []
    public var skipped: [String] = []
    /// Briefings (or layout files) that failed, with their errors.
    public var failed: [(briefing: String, error: BriefingError)] = []
    /// Files written or left unchanged by the briefings built, in the output folder.
    public var outputs: [String] = []
    /// Files removed because no briefing writes them any more.
    public var removed: [String] = []
    /// Whether the build stopped early (a signal, or `failFast`).
    public var stopped = false

    public init(failed: [(briefing: String, error: BriefingError)] = []) {
      self.failed = failed
    }
  }

  /// One briefing of a layout file: who it is, what it reads and writes, and its instance when the
  /// layout was read (a layout whose plan is known from an earlier build is read only when one of
  /// its briefings must be built).
  struct Planned {
    var file: String
    var identity: BriefingIdentity
    var id: String
    var outputNames: [String]
    var inputs: [(role: String, path: String)]
    /// The font families of its theme: the fonts it is drawn with are theirs (and the fallbacks').
    var families: [String]
    var instance: LayoutInstance?

    /// The briefing's instance: the one read with its layout, else this briefing's alone, read now
    /// (on a worker: decoding is a good part of a briefing's work).
    func instance(settings: [String: String]) throws(BriefingError) -> LayoutInstance {
      if let instance { return instance }
      let read = try BriefingBuilder.instances(ofLayoutAt: file, settings: settings, only: [identity.parameters])
      guard let instance = read.first else {
        throw .invalidLayout(file: file, line: nil, column: nil, message: "changed while it was built: \(identity.description) is no longer one of its briefings")
      }
      return instance
    }
  }

  /// Builds the briefings of the layout files `files` into the output folder. Throws only when the
  /// folder itself cannot be used (its lock, its journal, its manifest); a briefing's failure is in
  /// the summary.
  public func run(layouts files: [String]) throws(BriefingError) -> Summary {
    let folderPath = options.build.outputDirectory
    let folder = try ReportFolder(
      folderPath, wait: options.wait, waiting: { options.report(.waiting(folder: folderPath)) }, shouldStop: options.shouldStop)
    defer { folder.removeIfUnused() }
    try folder.recover()
    var manifest = try Manifest.read(folder.contents(of: "manifest.json"), file: folderPath + "/manifest.json") ?? Manifest()
    let previousManifest = manifest
    var digests = DigestCache(folder: folder)
    defer { digests.save(to: folder) }
    var summary = Summary()

    // Every layout is read, and every name checked, before anything is built: two briefings
    // writing one file would overwrite each other.
    let layouts = files.map(Self.displayPath)
    var claimed: [String: BriefingIdentity] = [:]
    // Files of briefings of other layouts are theirs, unless that layout file is gone (a renamed
    // layout then takes its files over).
    for entry in manifest.briefings where !layouts.contains(entry.layout) && FileManager.default.fileExists(atPath: entry.layout) {
      for output in entry.outputs { claimed[output.path] = entry.identity }
    }
    var plans = LayoutPlans(folder: folder)
    let expansion = Self.expand(
      files, settings: options.settings, claimed: &claimed, failFast: options.failFast, plans: &plans, digests: &digests
    ) { options.report(.failed(briefing: $0, error: $1)) }
    plans.save(to: folder)
    summary.failed = expansion.failures
    if options.failFast, !summary.failed.isEmpty { summary.stopped = true; return summary }
    let expanded = expansion.layouts
    let failedLayouts = expansion.failures.count
    var planned = expansion.briefings
    planned.sort { $0.identity < $1.identity }
    // Every briefing the layouts make now, in any shard, and those refused for a name another writes.
    let known = Set(planned.map(\.identity))
    let refused = expansion.refused
    // Layouts a `--set` narrows to some of their briefings: the others are not gone.
    let narrowed = Set(planned.filter { !Set($0.identity.parameters.keys).isDisjoint(with: options.settings.keys) }.map(\.identity.layout))
    if let shard = options.shard {
      planned = planned.enumerated().filter { $0.offset % shard.count == shard.index - 1 }.map(\.element)
    }

    // Which briefings changed.
    let previous = Dictionary(manifest.briefings.map { ($0.identity, $0) }, uniquingKeysWith: { first, _ in first })
    let total = planned.count + failedLayouts
    var done = failedLayouts
    var toBuild: [(planned: Planned, inputs: [Manifest.Input])] = []
    for item in planned {
      let (inputs, readable) = digested(item.inputs, cache: &digests)
      if !options.force, readable, let entry = previous[item.identity],
        entry.key == key(of: item.identity, inputs: inputs + fonts(FontSet.files(families: item.families), cache: &digests)),
        entry.outputs.allSatisfy({ digests.digest(ofOutput: $0.path, in: folder) == $0.sha256 })
      {
        summary.skipped.append(item.identity.description)
        options.report(.skipped(briefing: item.identity.description))
        done += 1
        options.report(.progress(done: done, total: total))
        continue
      }
      toBuild.append((item, inputs))
    }

    // Built in parallel; staged on this thread as each finishes, committed together at the end.
    let builder = BriefingBuilder(options: options.build)
    let work = toBuild.map { UncheckedBox($0.planned) }
    let settings = options.settings
    let failFast = options.failFast
    let queue = WorkQueue<Result<BriefingBuilder.RenderedBriefing, BriefingError>>(
      count: work.count, workers: options.jobs, stopsAfter: { result in
        guard failFast, case .failure = result else { return false }
        return true
      }
    ) { index in
      return Result { () throws(BriefingError) in
        try builder.renderFiles(try builder.compose(try work[index].value.instance(settings: settings)))
      }
    }
    let built = Self.timestamp(epoch: options.build.sourceDateEpoch)
    // The whole build is one transaction: each briefing's new files are staged as it is made (so
    // memory holds one briefing at a time), and all of them, the removals and the manifest are
    // swapped in together at the end. A reader of the folder never sees the overview of one build
    // beside regional briefings of another, and a build killed midway leaves the old report whole.
    var removals: [String] = []
    var staged: [(identity: BriefingIdentity, files: [String], pages: Int, digests: [String: String])] = []
    var stop = false
    queue.start(stop: { [options] in options.shouldStop() })
    while let (index, result) = queue.next() {
      let (item, declaredInputs) = toBuild[index]
      done += 1
      defer {
        options.report(.progress(done: done, total: total))
        if stop { queue.stopTaking() }
      }
      let rendered: BriefingBuilder.RenderedBriefing
      switch result {
      case .failure(let error):
        summary.failed.append((item.identity.description, error))
        options.report(.failed(briefing: item.identity.description, error: error))
        if options.failFast { stop = true }
        continue
      case .success(let success):
        rendered = success
      }
      let fontInputs = fonts(rendered.fonts, cache: &digests)
      var outputs: [Manifest.Output] = []
      var written: [String: String] = [:]
      var changed: [(path: String, bytes: [UInt8])] = []
      for (name, bytes) in rendered.files {
        let sha = Digest.sha256(bytes)
        outputs.append(Manifest.Output(path: name, sha256: sha, size: bytes.count, pages: name == rendered.pdfName ? rendered.pageCount : nil))
        // Only files whose bytes change are replaced: the others keep their inode and time.
        if digests.digest(ofOutput: name, in: folder) != sha {
          changed.append((name, bytes))
          written[name] = sha
        }
      }
      do {
        try folder.stage(changed)
      } catch {
        summary.failed.append((item.identity.description, error))
        options.report(.failed(briefing: item.identity.description, error: error))
        if options.failFast { stop = true }
        continue
      }
      let kept = Set(outputs.map(\.path))
      if let old = previous[item.identity] {
        removals += old.outputs.map(\.path).filter { !kept.contains($0) && (claimed[$0] == item.identity || claimed[$0] == nil) }
      }
      let entry = Manifest.Entry(
        layout: item.identity.layout, parameters: item.identity.parameters, id: item.id,
        key: key(of: item.identity, inputs: declaredInputs + fontInputs), built: built, tool: ToolIdentity.current,
        options: optionValues, inputs: declaredInputs + fontInputs, outputs: outputs)
      manifest.briefings.removeAll { $0.identity == item.identity }
      manifest.briefings.append(entry)
      staged.append((item.identity, outputs.map(\.path), rendered.pageCount, written))
    }
    summary.stopped = stop || queue.wasStopped

    // Briefings no longer made here: a forEach value gone from a layout built now (unless a --set
    // narrowed it), a layout file gone (when building every layout), a briefing whose files a
    // briefing made now writes (a renamed layout), or one now in another shard. A briefing refused
    // for a clash, or one of a layout that failed to read, keeps its files.
    if !summary.stopped {
      let mine = Set(planned.map(\.identity))
      for entry in manifest.briefings where !mine.contains(entry.identity) && !refused.contains(entry.identity) {
        let superseded = entry.outputs.contains { output in claimed[output.path].map { $0 != entry.identity && mine.contains($0) } ?? false }
        let gone: Bool
        if known.contains(entry.identity) {
          gone = options.shard != nil
        } else if expanded.contains(entry.layout) {
          gone = !narrowed.contains(entry.layout) || superseded
        } else if !FileManager.default.fileExists(atPath: entry.layout) {
          gone = (options.allLayouts && options.shard == nil) || superseded
        } else {
          gone = superseded
        }
        guard gone else { continue }
        removals += entry.outputs.map(\.path).filter { claimed[$0] == nil || claimed[$0] == entry.identity }
        manifest.briefings.removeAll { $0.identity == entry.identity }
      }
    }
    manifest.tool = ToolIdentity.current
    manifest.sort()
    do {
      if manifest != previousManifest || folder.hasStaged || !removals.isEmpty {
        try folder.stage([("manifest.json", manifest.encoded())])
        try folder.remove(removals)
      }
      try folder.commitStaged()
      for item in staged {
        for (path, sha) in item.digests { digests.remember(output: path, sha256: sha, in: folder) }
        summary.built.append(item.identity.description)
        summary.outputs += item.files.map { folderPath + "/" + $0 }
        options.report(.built(briefing: item.identity.description, files: item.files.map { folderPath + "/" + $0 }, pages: item.pages))
      }
      for removal in removals {
        summary.removed.append(folderPath + "/" + removal)
        options.report(.removed(file: folderPath + "/" + removal))
      }
    } catch {
      folder.discardStaged()
      for item in staged {
        summary.failed.append((item.identity.description, error))
        options.report(.failed(briefing: item.identity.description, error: error))
      }
      if staged.isEmpty { summary.failed.append((folderPath, error)) }
    }
    return summary
  }

  /// The briefings of the layout files `files`, each checked to write no file another writes
  /// (`claimed`: file → briefing, filled as it goes); the layout files read (as the manifest
  /// names them), and every failure, also handed to `failed` as it is found. With `plans`, a
  /// layout whose bytes, names tables and settings are those of an earlier build is not read again.
  static func expand(
    _ files: [String], settings: [String: String], claimed: inout [String: BriefingIdentity], failFast: Bool,
    plans: inout LayoutPlans, digests: inout DigestCache, failed: (String, BriefingError) -> Void
  ) -> (briefings: [Planned], layouts: Set<String>, failures: [(briefing: String, error: BriefingError)], refused: Set<BriefingIdentity>) {
    var refused: Set<BriefingIdentity> = []
    var briefings: [Planned] = []
    var layouts: Set<String> = []
    var failures: [(briefing: String, error: BriefingError)] = []
    func failure(_ briefing: String, _ error: BriefingError) {
      failures.append((briefing, error))
      failed(briefing, error)
    }
    for file in files {
      let layout = displayPath(file)
      var planned: [Planned]
      if let known = plans.briefings(of: file, layout: layout, settings: settings, digests: &digests) {
        planned = known
      } else {
        do {
          planned = try BriefingBuilder.instances(ofLayoutAt: file, settings: settings).map { instance in
            Planned(
              file: file, identity: BriefingIdentity(layout: layout, parameters: instance.parameters), id: instance.id,
              outputNames: instance.outputFileNames, inputs: inputs(of: instance, layout: layout),
              families: instance.spec.resolvedTheme.families, instance: instance)
          }
        } catch {
          failure(layout, error)
          if failFast { break }
          continue
        }
        plans.remember(planned, of: file, layout: layout, settings: settings, digests: &digests)
      }
      // A layout whose own briefings write one file twice (a forEach whose id does not name its
      // parameter, two charts of one id) is wrong as a whole.
      var own: [String: BriefingIdentity] = [:]
      var clash: (String, BriefingIdentity, BriefingIdentity)?
      for item in planned {
        for name in item.outputNames {
          if let earlier = own[name], earlier != item.identity, clash == nil { clash = (name, item.identity, earlier) }
          own[name] = item.identity
        }
      }
      if let (name, second, first) = clash {
        failure(layout, .invalidLayout(
          file: file, line: nil, column: nil,
          message: "\(second.description) would write “\(name)”, which \(first.description) writes too; give each briefing its own id (a forEach's id names its parameter: id: \"region-{region.slug}\")"))
        if failFast { break }
        continue
      }
      layouts.insert(layout)
      for item in planned {
        let identity = item.identity
        if let name = item.outputNames.first(where: { claimed[$0] != nil && claimed[$0] != identity }), let earlier = claimed[name] {
          // Neither of two briefings writing one file is built: which one is meant is not known.
          refused.insert(identity)
          refused.insert(earlier)
          if let index = briefings.firstIndex(where: { $0.identity == earlier }) {
            briefings.remove(at: index)
            failure(earlier.description, .invalidLayout(
              file: earlier.layout, line: nil, column: nil,
              message: "\(earlier.parameters.isEmpty ? "it" : earlier.description) would write “\(name)”, which \(identity.description) writes too; give one of them another id"))
          }
          failure(identity.description, .invalidLayout(
            file: file, line: nil, column: nil,
            message: "\(identity.parameters.isEmpty ? "it" : identity.description) would write “\(name)”, which \(earlier.description) writes too; give one of them another id"))
          if failFast { return (briefings, layouts, failures, refused) }
          continue
        }
        for name in item.outputNames { claimed[name] = identity }
        briefings.append(item)
      }
    }
    return (briefings, layouts, failures, refused)
  }

  /// The output folder `folder` checked against its manifest: the manifest, and every way the
  /// folder differs from it. Like every command on an output folder, it first completes or discards
  /// the commit a killed build left, and it holds the folder's lock while it reads (waiting up to
  /// `wait` seconds for a build under way), so a build's commit is never seen half done.
  public static func check(folder path: String, wait: Double) throws(BriefingError) -> (manifest: Manifest, mismatches: [String]) {
    var isFolder: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue else {
      throw .output(file: path, reason: "no such folder")
    }
    let folder = try ReportFolder(path, wait: wait)
    try folder.recover()
    let manifest = try Manifest.read(folder.contents(of: "manifest.json"), file: path + "/manifest.json") ?? Manifest()
    return (manifest, manifest.mismatches(inFolder: path))
  }

  /// The options that change a briefing's files, as the manifest records them.
  private var optionValues: [String: String] {
    var values = ["pngScale": "\(options.build.pngScale)"]
    if let epoch = options.build.sourceDateEpoch { values["SOURCE_DATE_EPOCH"] = "\(epoch)" }
    if options.build.allowMissingGlyphs { values["allowMissingGlyphs"] = "true" }
    if options.build.allowLowContrast { values["allowLowContrast"] = "true" }
    return values
  }

  /// The key of a briefing: SHA-256 over the program, the options, the parameters and the inputs.
  private func key(of identity: BriefingIdentity, inputs: [Manifest.Input]) -> String {
    var lines = ["tool \(ToolIdentity.current)"]
    lines += optionValues.sorted { $0.key < $1.key }.map { "option \($0.key)=\($0.value)" }
    lines += identity.parameters.sorted { $0.key < $1.key }.map { "parameter \($0.key)=\($0.value)" }
    lines += inputs.sorted { ($0.role, $0.path) < ($1.role, $1.path) }.map { "\($0.role) \($0.path) \($0.sha256)" }
    return Digest.sha256(lines.joined(separator: "\n"))
  }

  /// Font files as a briefing's inputs, digested (a file that cannot be read is left out). A
  /// briefing is skipped only when the files fontconfig now lists for its theme's families are
  /// those it was drawn with, byte for byte: a file added to an installed family, removed or
  /// changed rebuilds it.
  private func fonts(_ files: [String], cache: inout DigestCache) -> [Manifest.Input] {
    files.compactMap { path in
      guard case .success(let sha) = cache.digest(ofFileAt: path) else { return nil }
      return Manifest.Input(role: "font", path: path, sha256: sha)
    }
  }

  /// Digests of a briefing's declared inputs, and whether every one could be read (else the briefing
  /// is built, and says why it cannot be). A write-ahead log that is not there, or empty, is
  /// `absent`: its coming or going with pages in it changes the key.
  private func digested(_ inputs: [(role: String, path: String)], cache: inout DigestCache) -> (inputs: [Manifest.Input], readable: Bool) {
    var result: [Manifest.Input] = []
    var readable = true
    for input in inputs {
      let path = Self.absolute(input.path)
      let sha: String
      // An empty log holds no pages (SQLite leaves one behind a reader): the same as none.
      if input.role == "wal", FileStamp(path: path).map({ $0.size == 0 }) ?? !FileManager.default.fileExists(atPath: path) {
        result.append(Manifest.Input(role: input.role, path: input.path, sha256: "absent"))
        continue
      }
      switch cache.digest(ofFileAt: path) {
      case .success(let digest): sha = digest
      case .failure(let problem):
        sha = "unreadable: \(problem.reason)"
        readable = false
      }
      result.append(Manifest.Input(role: input.role, path: input.path, sha256: sha))
    }
    return (result, readable)
  }

  /// The files a briefing reads besides fonts: its layout, data, names, metrics and sources.
  static func inputs(of instance: LayoutInstance, layout: String) -> [(role: String, path: String)] {
    let base = URL(fileURLWithPath: instance.file).deletingLastPathComponent()
    func resolved(_ relative: String) -> String {
      displayPath(relative.hasPrefix("/") ? relative : base.appendingPathComponent(relative).standardizedFileURL.path)
    }
    var inputs: [(role: String, path: String)] = [("layout", layout)]
    for data in instance.spec.data {
      let path = resolved(data.path)
      inputs.append(("data", path))
      // A database in WAL mode keeps its latest pages beside it, in a file that comes and goes.
      if data.isDatabase { inputs.append(("wal", path + "-wal")) }
    }
    for (_, file) in (instance.spec.names ?? [:]).sorted(by: { $0.key < $1.key }) { inputs.append(("names", resolved(file))) }
    if let metrics = instance.spec.metrics { inputs.append(("metrics", resolved(metrics))) }
    if let sources = instance.spec.sources { inputs.append(("sources", resolved(sources))) }
    var seen: Set<String> = []
    return inputs.filter { seen.insert($0.role + " " + $0.path).inserted }
  }

  /// A path as the manifest records it: relative to the working folder when inside it, without
  /// `./` or doubled separators.
  static func displayPath(_ path: String) -> String {
    let standard = URL(fileURLWithPath: path).standardizedFileURL.path
    let here = FileManager.default.currentDirectoryPath
    if standard.hasPrefix(here + "/") { return String(standard.dropFirst(here.count + 1)) }
    return standard
  }

  static func absolute(_ path: String) -> String {
    path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
  }

  /// When the briefings were built: `SOURCE_DATE_EPOCH` when set (a reproducible manifest), else now.
  private static func timestamp(epoch: Int?) -> String {
    let formatter = ISO8601DateFormatter()
    formatter.timeZone = TimeZone(identifier: "UTC")
    formatter.formatOptions = [.withInternetDateTime]
    return formatter.string(from: epoch.map { Date(timeIntervalSince1970: TimeInterval($0)) } ?? Date())
  }
}

/// A value handed to exactly one worker thread.
private struct UncheckedBox<Value>: @unchecked Sendable {
  var value: Value
  init(_ value: Value) { self.value = value }
}

/// Runs `count` jobs on `workers` threads and hands their results back, in the order they finish,
/// to the thread that asks (`next()`).
private final class WorkQueue<Output>: @unchecked Sendable {
  private let condition = NSCondition()
  private let count: Int
  private let workers: Int
  private let job: @Sendable (Int) -> Output
  private let stopsAfter: @Sendable (Output) -> Bool
  private var taken = 0
  private var finished: [(Int, Output)] = []
  private var running = 0
  private var stopTakingJobs = false
  private var delivered = 0
  private var stop: @Sendable () -> Bool = { false }
  private(set) var wasStopped = false

  /// `stopsAfter` says whether a job's output stops the queue taking further jobs (`--fail-fast`).
  init(count: Int, workers: Int, stopsAfter: @escaping @Sendable (Output) -> Bool, job: @escaping @Sendable (Int) -> Output) {
    self.count = count
    self.workers = max(1, min(workers, count))
    self.stopsAfter = stopsAfter
    self.job = job
  }

  func start(stop: @escaping @Sendable () -> Bool) {
    self.stop = stop
    guard count > 0 else { return }
    running = workers
    for number in 0..<workers {
      let thread = Thread { [self] in work() }
      thread.name = "briefing build \(number + 1)"
      // Composition recurses through YAML trees and flowables: the main thread's stack size.
      thread.stackSize = 8 << 20
      thread.start()
    }
  }

  /// Takes no further jobs; those under way finish.
  func stopTaking() {
    condition.lock()
    stopTakingJobs = true
    condition.unlock()
  }

  private func work() {
    while true {
      condition.lock()
      if !stopTakingJobs, stop() {
        stopTakingJobs = true
        wasStopped = true
      }
      guard !stopTakingJobs, taken < count else {
        running -= 1
        condition.broadcast()
        condition.unlock()
        return
      }
      let index = taken
      taken += 1
      condition.unlock()
      let output = job(index)
      let stops = stopsAfter(output)
      condition.lock()
      if stops { stopTakingJobs = true }
      finished.append((index, output))
      condition.broadcast()
      condition.unlock()
    }
  }

  /// The next finished job, waiting for one; nil when every job taken has been handed back.
  func next() -> (Int, Output)? {
    condition.lock()
    defer { condition.unlock() }
    while finished.isEmpty {
      if running == 0 { return nil }
      condition.wait()
    }
    delivered += 1
    return finished.removeFirst()
  }
}
