import ArgumentParser
import Briefing
import BriefingAnalytics
import Foundation

struct Build: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "build",
    abstract: "Render briefings from layout files, rebuilding only what changed.",
    discussion: """
      Each layout (layouts/*.yaml) names its data and blocks; the PDF lands in the output folder as \
      <id>.pdf and every chart marked for export as <id>-<chart>.svg, .png or .pdf.

      Incremental: a briefing whose inputs (layout, data, names and sources tables, fonts, this \
      program, its options and parameters) are unchanged is skipped and its files are not touched; \
      a rebuilt one replaces only the files whose bytes changed. <out>/manifest.json lists every \
      briefing with its inputs and outputs (docs/manifest.md). A file no briefing writes any more \
      is removed, and only files the manifest lists are ever removed.

      All or nothing: files are staged and swapped in under a journal; after a crash or kill the \
      next build completes or discards the swap, so the folder holds the old or the new files, \
      never a mix. One build at a time per folder: a second one waits (--wait) or exits 75.

      Every layout is attempted; the failures are listed at the end, and the exit code is that of \
      the gravest (73 output, then 70 internal, then 65 layout or data; 75 folder busy; 130/143 \
      stopped by SIGINT/SIGTERM between briefings).

      The PDF's creation date comes from SOURCE_DATE_EPOCH when set, else from the layout's `date`; \
      the same inputs give byte-identical files.

      Examples:
        briefing build                                  # every layout in layouts/
        briefing build layouts/regional-overview.yaml --out /tmp/out
        briefing build --shard 2/4 --out shard-2        # the second quarter of the briefings
        briefing build --quiet --json > summary.json    # for a scheduler
      """)

  @Argument(help: "Layout files to build (default: every .yaml file in layouts/).")
  var layouts: [String] = []

  @Option(name: .shortAndLong, help: "The folder the briefings are written to.")
  var out: String = "reports"

  @Option(
    name: .customLong("set"),
    help: ArgumentHelp("A parameter's value, overriding its default and a forEach over it (repeatable).", valueName: "name=value"))
  var settings: [String] = []

  @OptionGroup var rendering: RenderingOptions

  @Flag(help: "Rebuild every briefing, even those whose inputs are unchanged.")
  var force = false

  @Option(name: .shortAndLong, help: "Briefings built at once (default: the number of cores).")
  var jobs: Int = max(1, ProcessInfo.processInfo.activeProcessorCount)

  @Option(help: ArgumentHelp("Build only part I of N of the briefings (a deterministic split, for CI matrices).", valueName: "I/N"))
  var shard: String?

  @Option(help: ArgumentHelp("Seconds to wait for another build writing into the same folder, then exit 75.", valueName: "seconds"))
  var wait: Double = 300

  @Flag(help: "Stop at the first failure instead of building every other briefing.")
  var failFast = false

  @Flag(name: .shortAndLong, help: "Print only errors.")
  var quiet = false

  @Flag(help: "Print one JSON summary (built, skipped, failed, outputs, removed) on standard output.")
  var json = false

  func validate() throws {
    guard jobs >= 1, jobs <= 256 else { throw ValidationError("--jobs must be between 1 and 256, found \(jobs)") }
    guard wait >= 0, wait.isFinite else { throw ValidationError("--wait must be a number of seconds, 0 or more, found \(wait)") }
    _ = try shardParts()
    try Subcommands.refuseMisspelt(layouts)
  }

  /// `--shard I/N` as numbers.
  func shardParts() throws -> (index: Int, count: Int)? {
    guard let shard else { return nil }
    let parts = shard.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]), count >= 1, (1...count).contains(index) else {
      throw ValidationError("--shard expects I/N with 1 ≤ I ≤ N (--shard 2/4), found “\(shard)”")
    }
    return (index, count)
  }

  /// `--set` as a dictionary.
  func parameterSettings() throws -> [String: String] {
    var result: [String: String] = [:]
    for setting in settings {
      guard let equals = setting.firstIndex(of: "="), equals != setting.startIndex else {
        throw ValidationError("--set expects name=value (--set region=\"Republic of Tatarstan\"), found “\(setting)”")
      }
      let name = String(setting[..<equals])
      guard result[name] == nil else { throw ValidationError("--set \(name) is given twice") }
      result[name] = String(setting[setting.index(after: equals)...])
    }
    return result
  }

  func run() throws {
    let files = try Subcommands.layoutFiles(layouts)
    let log = BuildLog(quiet: quiet, json: json)
    let stop = StopSignals.install()
    let summary: ReportBuild.Summary
    do {
      let epoch = try BuildOptions.sourceDateEpochFromEnvironment()
      let settings = try parameterSettings()
      if let unknown = BriefingBuilder.unknownSettings(settings, in: files).first {
        throw ValidationError("--set \(unknown)=…: no layout given declares a parameter “\(unknown)” (under params or forEach)")
      }
      var options = ReportBuildOptions(build: BuildOptions(
        outputDirectory: out, sourceDateEpoch: epoch, pngScale: rendering.pngScale, allowMissingGlyphs: rendering.allowMissingGlyphs,
        allowLowContrast: rendering.allowLowContrast,
        warn: { message in log.warning(message) }))
      options.force = force
      options.jobs = jobs
      options.shard = try shardParts()
      options.failFast = failFast
      options.wait = wait
      options.settings = settings
      options.allLayouts = layouts.isEmpty
      options.report = { event in log.report(event) }
      options.shouldStop = { stop.requested != nil }
      summary = try ReportBuild(options: options).run(layouts: files)
    } catch {
      // A scheduler reading --json gets its object even when the folder could not be used.
      if json, let failure = error as? BriefingError {
        var failed = ReportBuild.Summary(failed: [(out, failure)])
        failed.stopped = stop.requested != nil
        log.finish(failed)
      }
      if let signal = stop.requested {
        FileHandle.standardError.write(Data("stopped by signal \(signal) before building: \(error)\n".utf8))
        throw ExitCode(128 + signal)
      }
      throw fail(error)
    }
    log.finish(summary)
    if let signal = stop.requested { throw ExitCode(128 + signal) }
    // The gravest failure decides: an output that could not be written (nothing was published)
    // before an internal error, before a layout or data error (the other briefings were built).
    let codes = summary.failed.map { BriefingCLI.exitCode(for: $0.error).rawValue }
    if let worst = [73, 70, 65].first(where: codes.contains) ?? codes.first { throw ExitCode(worst) }
  }
}

/// What `briefing build` prints: a line per briefing built, errors as they happen, a progress line
/// on a terminal, a closing count; or only errors (`--quiet`), or one JSON object (`--json`).
/// Lines carry a UTC timestamp when standard output is not a terminal (a log file, journald).
final class BuildLog: @unchecked Sendable {
  private let quiet: Bool
  private let json: Bool
  private let timestamps = isatty(1) == 0
  private let progressShown = isatty(2) != 0
  private let started = Date()
  private var progressVisible = false
  private let lock = NSLock()

  init(quiet: Bool, json: Bool) {
    self.quiet = quiet
    self.json = json
  }

  func warning(_ message: String) {
    lock.withLock { writeError(message) }
  }

  func report(_ event: ReportBuild.Event) {
    lock.withLock {
      switch event {
      case .waiting(let folder):
        if !quiet { writeError("waiting for another build writing into \(folder) (--wait)") }
      case .built(_, let files, let pages):
        guard !quiet, !json, let pdf = files.first else { return }
        writeOutput("\(pdf) (\(pages) page\(pages == 1 ? "" : "s"))")
        for chart in files.dropFirst() { writeOutput(chart) }
      case .skipped:
        break
      case .failed(let briefing, let error):
        let text = "\(error)"
        writeError("error: " + (text.contains(briefing) ? text : "\(briefing): \(text)"))
      case .removed(let file):
        if !quiet, !json { writeOutput("removed \(file) (no briefing writes it any more)") }
      case .progress(let done, let total):
        guard progressShown, !quiet, Date().timeIntervalSince(started) > 1 else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K[\(done)/\(total)] briefings".utf8))
        progressVisible = done < total
        if done == total { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
      }
    }
  }

  func finish(_ summary: ReportBuild.Summary) {
    lock.withLock {
      clearProgress()
      if json {
        var object: [String: Any] = [
          "built": summary.built.count, "skipped": summary.skipped.count, "outputs": summary.outputs, "removed": summary.removed,
          "stopped": summary.stopped,
        ]
        object["failed"] = summary.failed.map { ["briefing": $0.briefing, "error": "\($0.error)", "exitCode": Int(exitCode(for: $0.error).rawValue)] }
        if let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) {
          FileHandle.standardOutput.write(data + Data("\n".utf8))
        }
        return
      }
      guard !quiet || !summary.failed.isEmpty else { return }
      let counts = "\(summary.built.count) built, \(summary.skipped.count) unchanged, \(summary.failed.count) failed"
      let line = summary.stopped ? "stopped early: \(counts)" : counts
      if summary.failed.isEmpty { writeOutput(line) } else { writeError(line) }
    }
  }

  private func clearProgress() {
    guard progressVisible else { return }
    FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    progressVisible = false
  }

  private func stamped(_ line: String) -> String {
    guard timestamps else { return line }
    let formatter = ISO8601DateFormatter()
    formatter.timeZone = TimeZone(identifier: "UTC")
    return formatter.string(from: Date()) + " " + line
  }

  private func writeOutput(_ line: String) {
    clearProgress()
    FileHandle.standardOutput.write(Data((stamped(line) + "\n").utf8))
  }

  private func writeError(_ line: String) {
    clearProgress()
    FileHandle.standardError.write(Data((stamped(line) + "\n").utf8))
  }
}

/// SIGINT and SIGTERM during a build: noted, so that the build stops between briefings and commits
/// what is complete, instead of dying mid-write.
final class StopSignals: @unchecked Sendable {
  private let lock = NSLock()
  private var signal: Int32?
  private var sources: [any DispatchSourceSignal] = []

  /// The signal received, if any.
  var requested: Int32? { lock.withLock { signal } }

  static func install() -> StopSignals {
    let stop = StopSignals()
    for number in [SIGINT, SIGTERM] {
      Foundation.signal(number, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
      source.setEventHandler { [stop] in
        stop.lock.withLock { if stop.signal == nil { stop.signal = number } }
      }
      source.resume()
      stop.sources.append(source)
    }
    return stop
  }
}

/// The layout arguments shared by `build` and `validate`.
enum Subcommands {
  static let names = ["build", "validate", "chart", "query", "import", "manifest", "seed", "help"]

  /// Refuses a first argument that is not a file and reads as a misspelt subcommand
  /// (`briefing validat x.yaml`): `build` is the default subcommand, so it would otherwise be
  /// taken as a layout that does not exist.
  static func refuseMisspelt(_ arguments: [String]) throws {
    guard let first = arguments.first, !first.contains("/"), !first.contains("."), !FileManager.default.fileExists(atPath: first) else { return }
    let nearest = names.min { distance(first.lowercased(), $0) < distance(first.lowercased(), $1) } ?? "build"
    let hint = distance(first.lowercased(), nearest) <= max(2, nearest.count / 3) ? "; did you mean “\(nearest)”?" : ""
    throw ValidationError("“\(first)” is neither a subcommand (\(names.joined(separator: ", "))) nor a layout file\(hint)")
  }

  /// The layout files given, or every .yaml file of layouts/.
  static func layoutFiles(_ arguments: [String]) throws -> [String] {
    guard arguments.isEmpty else { return arguments }
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "layouts")) ?? []
    let files = entries.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted().map { "layouts/\($0)" }
    guard !files.isEmpty else { throw ValidationError("no layout given and no .yaml file in ./layouts") }
    return files
  }

  private static func distance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    var row = Array(0...b.count)
    for i in 1...max(1, a.count) where !a.isEmpty {
      var previous = row[0]
      row[0] = i
      for j in 1...max(1, b.count) where !b.isEmpty {
        let current = row[j]
        row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
        previous = current
      }
    }
    return row[b.count]
  }
}
