@testable import Briefing
import Foundation
import Testing

/// Builds left to run unattended (`briefing build` as cron, systemd or CI runs it): incremental by
/// content, recorded in manifest.json, all or nothing after a kill or a failed system call, one at
/// a time per folder, going on past a bad layout, parallel and sharded with the same bytes, and
/// `briefing validate`. Each test works in a folder of its own with three small layouts over the
/// seed reference tables: `a.yaml` (three regions by forEach, charts exported), `b.yaml` and `c.yaml`.
@Suite(.serialized) struct ScheduledBuildTests {
  static let epoch = ["SOURCE_DATE_EPOCH": "1767225600"]
  /// Rounds of the kill and concurrency tests (scripts/sanitize.sh skips both).
  static let rounds = (kills: 30, concurrent: 10)

  /// A project folder: data files, three layouts; returns its URL.
  func project() throws -> URL {
    let folder = try temporaryFolder()
    try data(scale: 1).write(to: folder.appendingPathComponent("d1.csv"), atomically: true, encoding: .utf8)
    try data(scale: 3).write(to: folder.appendingPathComponent("d2.csv"), atomically: true, encoding: .utf8)
    let names = "names: { region: \(projectRoot.path)/seeds/regions.csv }"
    try """
      id: "a-{region.slug}"
      title: "Студенты: {region.name_ru}"
      language: ru
      date: "2026-01-15"
      data: [d1.csv]
      \(names)
      forEach: { region: [Republic of Tatarstan, Ulyanovsk Oblast, Vladimir Oblast] }
      blocks:
        - table: { query: { metric: students, by: region } }
        - chart: { id: bars, title: "Рисунок 1. Студенты", query: { metric: students, by: region }, export: [svg, png] }
      """.write(to: folder.appendingPathComponent("a.yaml"), atomically: true, encoding: .utf8)
    try """
      id: b
      title: "Бюджет"
      language: ru
      date: "2026-01-15"
      data: [d2.csv]
      \(names)
      blocks:
        - table: { query: { metric: students, by: region } }
        - chart: { id: bars, title: "Рисунок 1. Студенты", query: { metric: students, by: region }, export: [svg] }
      """.write(to: folder.appendingPathComponent("b.yaml"), atomically: true, encoding: .utf8)
    try """
      id: c
      title: "Сводка"
      language: ru
      date: "2026-01-15"
      data: [d1.csv]
      \(names)
      blocks:
        - table: { query: { metric: students, by: region } }
      """.write(to: folder.appendingPathComponent("c.yaml"), atomically: true, encoding: .utf8)
    return folder
  }

  func data(scale: Int) -> String {
    let regions = ["Republic of Tatarstan", "Ulyanovsk Oblast", "Vladimir Oblast", "Chelyabinsk Oblast", "Moscow"]
    var lines = ["region,programme,period,metric,value,unit"]
    for (index, region) in regions.enumerated() {
      lines.append("\(region),P,2025,students,\((index + 1) * 1000 * scale),persons")
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// Runs `briefing` in `folder` with a pinned date.
  @discardableResult
  func briefing(_ arguments: [String], in folder: URL) throws -> ToolResult {
    try run(briefingExecutable(), arguments, in: folder, environment: Self.epoch)
  }

  /// Every file under `folder` (not the build's state folder), with its inode, modification time
  /// and bytes.
  func snapshot(_ folder: URL) throws -> [String: (inode: UInt64, modified: Int, bytes: Data)] {
    var result: [String: (UInt64, Int, Data)] = [:]
    guard let walker = FileManager.default.enumerator(atPath: folder.path) else { return [:] }
    for case let path as String in walker where !path.hasPrefix(".briefing") {
      let full = folder.appendingPathComponent(path).path
      var status = stat()
      guard lstat(full, &status) == 0, status.st_mode & S_IFMT == S_IFREG else { continue }
      let modified = Int(status.st_mtim.tv_sec) * 1_000_000_000 + Int(status.st_mtim.tv_nsec)
      result[path] = (UInt64(status.st_ino), modified, try Data(contentsOf: URL(fileURLWithPath: full)))
    }
    return result
  }

  func summary(_ result: ToolResult) throws -> [String: Any] {
    let object = try JSONSerialization.jsonObject(with: Data(result.output.utf8))
    return try #require(object as? [String: Any], "\(result.output)")
  }

  /// What the state folder holds that a finished build must not leave: staged files, a journal.
  func strays(_ folder: URL) -> [String] {
    var found: [String] = []
    let state = folder.appendingPathComponent(".briefing")
    let staging = (try? FileManager.default.contentsOfDirectory(atPath: state.appendingPathComponent("staging").path)) ?? []
    found += staging.map { "staging/" + $0 }
    for name in ["journal.json", "journal.tmp"] where FileManager.default.fileExists(atPath: state.appendingPathComponent(name).path) {
      found.append(name)
    }
    let everything = FileManager.default.enumerator(atPath: folder.path)?.allObjects as? [String] ?? []
    found += everything.filter { $0.contains(".partial-") || $0.hasSuffix(".tmp") && !$0.hasPrefix(".briefing") }
    return found
  }

  // MARK: Incremental

  @Test func aNoOpRebuildTouchesNothingAndSaysSo() throws {
    let folder = try project()
    defer { try? FileManager.default.removeItem(at: folder) }
    let first = try briefing(["build", "a.yaml", "b.yaml", "c.yaml", "--out", "out", "--json"], in: folder)
    #expect(first.status == 0, "\(first.error)")
    #expect(try summary(first)["built"] as? Int == 5)
    let out = folder.appendingPathComponent("out")
    let before = try snapshot(out)
    #expect(before.keys.contains("manifest.json"))
    #expect(before.count == 1 + 3 * 3 + 2 + 1)  // the manifest, a-*: PDF, SVG, PNG; b: PDF, SVG; c: PDF
    let again = try briefing(["build", "a.yaml", "b.yaml", "c.yaml", "--out", "out", "--json"], in: folder)
    #expect(again.status == 0, "\(again.error)")
    let counts = try summary(again)
    #expect(counts["built"] as? Int == 0)
    #expect(counts["skipped"] as? Int == 5)
    let after = try snapshot(out)
    #expect(after.keys.sorted() == before.keys.sorted())
    for (path, file) in before {
      #expect(after[path]?.inode == file.inode, "\(path) was replaced")
      #expect(after[path]?.modified == file.modified, "\(path) was touched")
    }
    // The human summary says the same.
    let plain = try briefing(["build", "a.yaml", "b.yaml", "c.yaml", "--out", "out"], in: folder)
    #expect(plain.output.contains("0 built, 5 unchanged, 0 failed"), "\(plain.output)")
    // Standard output is a pipe here, not a terminal: each line carries its UTC time, as a log does.
    for line in plain.output.split(separator: "\n") {
      #expect(line.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ .+/) != nil, "\(line)")
    }
    let quiet = try briefing(["build", "a.yaml", "b.yaml", "c.yaml", "--out", "out", "--quiet"], in: folder)
    #expect(quiet.status == 0 && quiet.output.isEmpty && quiet.error.isEmpty, "\(quiet)")
    // --force rebuilds all, and still replaces no file whose bytes are the same.
    let forced = try briefing(["build", "a.yaml", "b.yaml", "c.yaml", "--out", "out", "--json", "--force"], in: folder)
    #expect(try summary(forced)["built"] as? Int == 5)
    let afterForce = try snapshot(out)
    for (path, file) in before where path != "manifest.json" {
      #expect(afterForce[path]?.inode == file.inode, "\(path) was replaced by an identical file")
    }
  }

  /// A font file added to a family the theme draws with rebuilds its briefing, as a font package
  /// upgrade would: fontconfig lists it now, and the briefing was drawn without it.
  @Test func aFontAddedToTheThemesFamilyRebuildsItsBriefing() throws {
    let folder = try project()
    defer { try? FileManager.default.removeItem(at: folder) }
    let system = "/usr/share/fonts/truetype/dejavu"
    let fonts = folder.appendingPathComponent("fonts")
    try FileManager.default.createDirectory(at: fonts, withIntermediateDirectories: true)
    try FileManager.default.copyItem(atPath: "\(system)/DejaVuSans.ttf", toPath: fonts.appendingPathComponent("DejaVuSans.ttf").path)
    // A machine whose only fonts are in `fonts`.
    let configuration = folder.appendingPathComponent("fonts.conf")
    try """
      <?xml version="1.0"?>
      <fontconfig><dir>\(fonts.path)</dir><cachedir>\(folder.appendingPathComponent("fc-cache").path)</cachedir></fontconfig>
      """.write(to: configuration, atomically: true, encoding: .utf8)
    try """
      id: d
      title: "Студенты"
      language: ru
      date: "2026-01-15"
      theme: { sans: DejaVu Sans, serif: DejaVu Sans }
      data: [d1.csv]
      blocks:
        - table: { query: { metric: students, by: region } }
      """.write(to: folder.appendingPathComponent("d.yaml"), atomically: true, encoding: .utf8)
    let environment = Self.epoch.merging(["FONTCONFIG_FILE": configuration.path]) { $1 }
    func build() throws -> [String: Any] {
      let result = try run(briefingExecutable(), ["build", "d.yaml", "--out", "out", "--json"], in: folder, environment: environment)
      #expect(result.status == 0, "\(result.error)")
      return try summary(result)
    }
    func fontsOfD() throws -> [String] {
      let manifest = try Manifest.read(at: folder.appendingPathComponent("out/manifest.json").path)
      return manifest.briefings.first { $0.id == "d" }?.inputs.filter { $0.role == "font" }.map(\.path) ?? []
    }
    #expect(try build()["built"] as? Int == 1)
    #expect(try fontsOfD() == [fonts.appendingPathComponent("DejaVuSans.ttf").path])
    let again = try build()
    #expect(again["built"] as? Int == 0 && again["skipped"] as? Int == 1, "\(again)")
    try FileManager.default.copyItem(atPath: "\(system)/DejaVuSans-Bold.ttf", toPath: fonts.appendingPathComponent("DejaVuSans-Bold.ttf").path)
    #expect(try build()["built"] as? Int == 1)
    #expect(try fontsOfD() == ["DejaVuSans-Bold.ttf", "DejaVuSans.ttf"].map { fonts.appendingPathComponent($0).path })
  }

  @Test func changingOneDataFileRebuildsExactlyTheBriefingsThatReadIt() throws {
    let folder = try project()
    defer { try? FileManager.default.removeItem(at: folder) }
    #expect(try briefing(["build", "a.yaml", "b.yaml", "c.yaml", "--out", "out"], in: folder).status == 0)
    let out = folder.appendingPathComponent("out")
    let before = try snapshot(out)
    // `touch` alone changes no byte: nothing is rebuilt.
    let d2 = folder.appendingPathComponent("d2.csv")
    try FileManager.default.setAttributes([.modificationDate: Date()], ofItemAtPath: d2.path)
    let touched = try summary(try briefing(["build", "a.yaml", "b.yaml", "c.yaml", "--out", "out", "--json"], in: folder))
    #expect(touched["built"] as? Int == 0)
    // New bytes in d2.csv: only b (the one layout reading it) is rebuilt, and only its files change.
    try data(scale: 5).write(to: d2, atomically: true, encoding: .utf8)
    let changed = try summary(try briefing(["build", "a.yaml", "b.yaml", "c.yaml", "--out", "out", "--json"], in: folder))
    #expect(changed["built"] as? Int == 1)
    #expect(changed["skipped"] as? Int == 4)
    let outputs = try #require(changed["outputs"] as? [String])
    #expect(outputs.map { ($0 as NSString).lastPathComponent }.sorted() == ["b-bars.svg", "b.pdf"])
    let after = try snapshot(out)
    for (path, file) in before {
      let expectChange = path.hasPrefix("b") || path == "manifest.json"
      #expect((after[path]?.bytes != file.bytes) == expectChange, "\(path)")
      if !expectChange { #expect(after[path]?.inode == file.inode, "\(path)") }
    }
    // The manifest records the new digest of d2.csv.
    let manifest = try Manifest.read(at: out.appendingPathComponent("manifest.json").path)
    let b = try #require(manifest.briefings.first { $0.id == "b" })
    let input = try #require(b.inputs.first { $0.path.hasSuffix("d2.csv") })
    #expect(input.sha256 == Digest.sha256(Array(try Data(contentsOf: d2))))
    #expect(b.inputs.contains { $0.role == "font" })
    #expect(b.outputs.first { $0.path == "b.pdf" }?.pages == 1)
  }

  @Test func aFileNoBriefingWritesIsRemovedAndNoOtherEver() throws {
    let folder = try project()
    defer { try? FileManager.default.removeItem(at: folder) }
    #expect(try briefing(["build", "a.yaml", "b.yaml", "c.yaml", "--out", "out"], in: folder).status == 0)
    let out = folder.appendingPathComponent("out")
    try "mine".write(to: out.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)
    // The chart renamed: its old SVG goes; the forEach shrinks: the region dropped goes.
    let a = folder.appendingPathComponent("a.yaml")
    try String(contentsOf: a, encoding: .utf8).replacingOccurrences(of: "id: bars", with: "id: students")
      .replacingOccurrences(of: ", Vladimir Oblast]", with: "]").write(to: a, atomically: true, encoding: .utf8)
    let result = try briefing(["build", "a.yaml", "b.yaml", "c.yaml", "--out", "out", "--json"], in: folder)
    #expect(result.status == 0, "\(result.error)")
    let files = Set(try snapshot(out).keys)
    #expect(!files.contains { $0.contains("-bars.") && $0.hasPrefix("a-") })
    #expect(!files.contains { $0.contains("vladimir") })
    #expect(files.filter { $0.hasPrefix("a-") && $0.hasSuffix("-students.svg") }.count == 2)
    #expect(files.contains("notes.txt"))
    // The two regions' old SVG and PNG, and the dropped region's PDF, SVG and PNG.
    let removed = try #require(try summary(result)["removed"] as? [String])
    #expect(removed.count == 2 * 2 + 3, "\(removed)")
    #expect(removed.allSatisfy { !FileManager.default.fileExists(atPath: folder.appendingPathComponent($0).path) })
    #expect(try briefing(["manifest", "check", "out"], in: folder).status == 0)
  }

  @Test func refusedNarrowedAndRenamedLayoutsKeepTheReport() throws {
    let folder = try project()
    defer { try? FileManager.default.removeItem(at: folder) }
    #expect(try briefing(["build", "a.yaml", "b.yaml", "c.yaml", "--out", "out"], in: folder).status == 0)
    let out = folder.appendingPathComponent("out")
    let before = try snapshot(out)
    func entries() throws -> [Manifest.Entry] { try Manifest.read(at: out.appendingPathComponent("manifest.json").path).briefings }
    // --set narrows a.yaml's forEach to one region: the other two regions are not gone.
    let narrowed = try briefing(["build", "a.yaml", "--set", "region=Ulyanovsk Oblast", "--out", "out", "--json"], in: folder)
    #expect(narrowed.status == 0, "\(narrowed.error)")
    #expect(try summary(narrowed)["removed"] as? [String] == [])
    #expect(try entries().count == 5)
    #expect(Set(try snapshot(out).keys) == Set(before.keys))
    // A new layout whose id clashes with c.yaml's: both refused, and c keeps its files and entry.
    try "id: c\ntitle: T\nlanguage: ru\ndata: [d1.csv]\nblocks: [{ paragraph: m }]\n".write(to: folder.appendingPathComponent("m.yaml"), atomically: true, encoding: .utf8)
    let clash = try briefing(["build", "a.yaml", "b.yaml", "c.yaml", "m.yaml", "--out", "out"], in: folder)
    #expect(clash.status == 65)
    #expect(try snapshot(out)["c.pdf"]?.bytes == before["c.pdf"]?.bytes)
    #expect(try entries().contains { $0.layout == "c.yaml" })
    #expect(try briefing(["manifest", "check", "out"], in: folder).status == 0)
    // c.yaml renamed d.yaml (same id): the new layout takes c.pdf over, the old entry goes, nothing is lost.
    try FileManager.default.removeItem(at: folder.appendingPathComponent("m.yaml"))
    try FileManager.default.moveItem(at: folder.appendingPathComponent("c.yaml"), to: folder.appendingPathComponent("d.yaml"))
    let renamed = try briefing(["build", "a.yaml", "b.yaml", "d.yaml", "--out", "out"], in: folder)
    #expect(renamed.status == 0, "\(renamed.error)")
    #expect(try entries().map(\.layout).sorted() == ["a.yaml", "a.yaml", "a.yaml", "b.yaml", "d.yaml"])
    #expect(try snapshot(out)["c.pdf"]?.inode == before["c.pdf"]?.inode)
    #expect(try briefing(["manifest", "check", "out"], in: folder).status == 0)
  }

  @Test func aDatabaseWritingAheadIsReadAsItsWriteAheadLogChanges() throws {
    let folder = try project()
    defer { try? FileManager.default.removeItem(at: folder) }
    #expect(try briefing(["import", "d1.csv", "--into", "stats.sqlite"], in: folder).status == 0)
    try "id: db\ntitle: T\nlanguage: ru\ndata: [{ path: stats.sqlite, table: metrics }]\nblocks:\n  - table: { query: { metric: students, by: region } }\n"
      .write(to: folder.appendingPathComponent("db.yaml"), atomically: true, encoding: .utf8)
    func build() throws -> Int? {
      let result = try briefing(["build", "db.yaml", "--out", "out", "--json"], in: folder)
      #expect(result.status == 0, "\(result.error)")
      return try summary(result)["built"] as? Int
    }
    #expect(try build() == 1)
    #expect(try build() == 0)
    // A writer in WAL mode commits and stays open: the new rows are in stats.sqlite-wal, the
    // database file itself unchanged until a checkpoint.
    let writer = Process()
    writer.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
    writer.arguments = ["-c", """
      import sqlite3, sys, time
      c = sqlite3.connect('stats.sqlite')
      c.execute('PRAGMA journal_mode=WAL'); c.execute('PRAGMA wal_autocheckpoint=0')
      c.execute('UPDATE metrics SET value = value * 2'); c.commit()
      print('committed', flush=True); sys.stdin.read(); c.close()
      """]
    writer.currentDirectoryURL = folder
    let input = Pipe()
    let output = Pipe()
    writer.standardInput = input
    writer.standardOutput = output
    try writer.run()
    _ = output.fileHandleForReading.availableData  // “committed”
    #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("stats.sqlite-wal").path))
    #expect(try build() == 1)
    #expect(try build() == 0)
    // The writer closes: the log is checkpointed into the database and removed; once rebuilt
    // (same figures), the briefing is stable again, not rebuilt every night.
    try input.fileHandleForWriting.close()
    writer.waitUntilExit()
    #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("stats.sqlite-wal").path))
    _ = try build()
    #expect(try build() == 0)
    let text = try #require(String(data: try Data(contentsOf: folder.appendingPathComponent("out/manifest.json")), encoding: .utf8))
    #expect(text.contains("\"role\" : \"wal\""))
  }

  // MARK: All or nothing

  /// The old set of files, the new one, and the folder after a fault: equal to one of them.
  func expectOldOrNew(_ out: URL, old: [String: Data], new: [String: Data], _ comment: String) throws {
    let now = try snapshot(out).mapValues(\.bytes)
    #expect(now == old || now == new, "\(comment): neither the old nor the new set: \(Set(now.keys).symmetricDifference(old.keys).sorted()) \(now.filter { old[$0.key] != $0.value && new[$0.key] != $0.value }.keys.sorted())")
  }

  @Test func aFailedSystemCallAtEachStepOfACommitEndsInTheOldOrTheNewSet() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let old: [String: Data] = ["a.pdf": Data("old a".utf8), "sub/b.svg": Data("old b".utf8), "gone.png": Data("gone".utf8), "manifest.json": Data("m1".utf8)]
    let new: [String: Data] = ["a.pdf": Data("new a".utf8), "sub/b.svg": Data("new b".utf8), "c.pdf": Data("new c".utf8), "manifest.json": Data("m2".utf8)]
    func change() -> ReportFolder.Change {
      ReportFolder.Change(
        writes: new.sorted { $0.key < $1.key }.map { ($0.key, Array($0.value)) }, removals: ["gone.png"])
    }
    // Not 0: other suites start processes meanwhile, and a child between fork and exec briefly
    // shares the lock's open file (O_CLOEXEC closes it only at exec), so a lock just released
    // can still read as held for a moment.
    let wait = 10.0
    func prepared(_ index: Int) throws -> URL {
      let out = folder.appendingPathComponent("out-\(index)")
      let reportFolder = try ReportFolder(out.path, wait: wait)
      try reportFolder.commit(ReportFolder.Change(writes: old.sorted { $0.key < $1.key }.map { ($0.key, Array($0.value)) }))
      return out
    }
    // Every step a commit takes, counted.
    var steps: [String] = []
    do {
      let out = try prepared(0)
      let reportFolder = try ReportFolder(out.path, wait: wait)
      reportFolder.faults = { steps.append($0); return nil }
      try reportFolder.commit(change())
      try expectOldOrNew(out, old: [:], new: new, "no fault")
      #expect(try snapshot(out).mapValues(\.bytes) == new)
    }
    #expect(steps.count >= 10, "\(steps)")
    for (index, step) in steps.enumerated() {
      for code in [EIO, ENOSPC] {
        let out = try prepared(index + 1 + (code == EIO ? 0 : 1000))
        do {
          let reportFolder = try ReportFolder(out.path, wait: wait)
          reportFolder.faults = { $0 == step ? code : nil }
          #expect(throws: BriefingError.self, "\(step)") { try reportFolder.commit(change()) }
        }
        // The next command to open the folder completes or discards the transaction.
        let next = try ReportFolder(out.path, wait: wait)
        try next.recover()
        try expectOldOrNew(out, old: old, new: new, "fault at \(step)")
        #expect(strays(out).isEmpty, "\(step): \(strays(out))")
      }
    }
  }

  @Test func killedBuildsLeaveTheWholeOldOrTheWholeNewReport() throws {
    let folder = try project()
    defer { try? FileManager.default.removeItem(at: folder) }
    let layouts = ["a.yaml", "b.yaml", "c.yaml"]
    // The two sets: every file built from d1 and d2 as they are, and from them swapped.
    let d1 = try String(contentsOf: folder.appendingPathComponent("d1.csv"), encoding: .utf8)
    let d2 = try String(contentsOf: folder.appendingPathComponent("d2.csv"), encoding: .utf8)
    func write(swapped: Bool) throws {
      try (swapped ? d2 : d1).write(to: folder.appendingPathComponent("d1.csv"), atomically: true, encoding: .utf8)
      try (swapped ? d1 : d2).write(to: folder.appendingPathComponent("d2.csv"), atomically: true, encoding: .utf8)
    }
    var sets: [[String: Data]] = []
    for swapped in [false, true] {
      try write(swapped: swapped)
      let result = try briefing(["build"] + layouts + ["--out", "ref-\(swapped)"], in: folder)
      #expect(result.status == 0, "\(result.error)")
      var files = try snapshot(folder.appendingPathComponent("ref-\(swapped)")).mapValues(\.bytes)
      files.removeValue(forKey: "manifest.json")
      sets.append(files)
    }
    let out = folder.appendingPathComponent("out")
    try write(swapped: false)
    #expect(try briefing(["build"] + layouts + ["--out", "out"], in: folder).status == 0)
    // How long a build that changes every briefing takes here, now (the suite runs in parallel):
    // kills fall anywhere from its start to past its commit.
    try write(swapped: true)
    let started = Date()
    #expect(try briefing(["build"] + layouts + ["--out", "out", "--jobs", "1"], in: folder).status == 0)
    let duration = Date().timeIntervalSince(started) * 1.3
    var generator = SystemRandomNumberGenerator()
    var swapped = true
    var outcomes: [Bool: Int] = [:]
    for round in 0..<Self.rounds.kills {
      swapped.toggle()
      try write(swapped: swapped)
      let process = Process()
      process.executableURL = briefingExecutable()
      process.arguments = ["build"] + layouts + ["--out", "out", "--jobs", "1"]
      process.currentDirectoryURL = folder
      process.environment = ProcessInfo.processInfo.environment.merging(Self.epoch) { $1 }
      process.standardOutput = FileHandle.nullDevice
      process.standardError = FileHandle.nullDevice
      try process.run()
      usleep(UInt32(Double.random(in: 0...duration, using: &generator) * 1_000_000))
      kill(process.processIdentifier, SIGKILL)
      process.waitUntilExit()
      // The next command on the folder: it rolls any committed journal forward first.
      let check = try briefing(["manifest", "check", "out"], in: folder)
      #expect(check.status == 0, "round \(round): \(check.error)")
      var now = try snapshot(out).mapValues(\.bytes)
      now.removeValue(forKey: "manifest.json")
      // A build is one transaction: the folder is the whole old report or the whole new one.
      #expect(now == sets[0] || now == sets[1], "round \(round): a mix of two builds: \(now.filter { sets[0][$0.key] != $0.value }.keys.sorted())")
      #expect(strays(out).isEmpty, "round \(round): \(strays(out))")
      outcomes[now == sets[swapped ? 1 : 0], default: 0] += 1
      // Start the next round from a complete set.
      swapped = now == sets[1]
    }
    // Kills before the commit leave the old report, after it the new one: both happen.
    #expect(outcomes.count == 2, "\(outcomes)")
  }

  // MARK: One at a time

  @Test func aSecondBuildWaitsOrExits75() throws {
    let folder = try project()
    defer { try? FileManager.default.removeItem(at: folder) }
    let out = folder.appendingPathComponent("out")
    let holder = try ReportFolder(out.path, wait: 0)
    let busy = try briefing(["build", "c.yaml", "--out", "out", "--wait", "0.3"], in: folder)
    #expect(busy.status == 75, "\(busy.error)")
    #expect(busy.error.contains("another build is writing into this folder"), "\(busy.error)")
    // --json still prints its object, with the failure and its exit code.
    let json = try briefing(["build", "c.yaml", "--out", "out", "--wait", "0", "--json"], in: folder)
    #expect(json.status == 75)
    let failed = try #require(try summary(json)["failed"] as? [[String: Any]])
    #expect(failed.first?["exitCode"] as? Int == 75)
    _ = holder
  }

  @Test func concurrentBuildsEndConsistent() throws {
    let folder = try project()
    defer { try? FileManager.default.removeItem(at: folder) }
    let layouts = ["a.yaml", "b.yaml", "c.yaml"]
    for round in 0..<Self.rounds.concurrent {
      // Each round builds new data, twice at once.
      try data(scale: round + 2).write(to: folder.appendingPathComponent("d1.csv"), atomically: true, encoding: .utf8)
      let processes = try (0..<2).map { _ in
        let process = Process()
        process.executableURL = briefingExecutable()
        process.arguments = ["build"] + layouts + ["--out", "out", "--quiet"]
        process.currentDirectoryURL = folder
        process.environment = ProcessInfo.processInfo.environment.merging(Self.epoch) { $1 }
        try process.run()
        return process
      }
      for process in processes {
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "round \(round)")
      }
      let check = try briefing(["manifest", "check", "out"], in: folder)
      #expect(check.status == 0, "round \(round): \(check.error)")
      #expect(strays(folder.appendingPathComponent("out")).isEmpty)
    }
    let reference = try briefing(["build"] + layouts + ["--out", "ref"], in: folder)
    #expect(reference.status == 0)
    var built = try snapshot(folder.appendingPathComponent("out")).mapValues(\.bytes)
    var expected = try snapshot(folder.appendingPathComponent("ref")).mapValues(\.bytes)
    built.removeValue(forKey: "manifest.json")
    expected.removeValue(forKey: "manifest.json")
    #expect(built == expected)
  }

  @Test func sigtermStopsBetweenBriefingsAndLeavesNoPartialFiles() throws {
    let folder = try project()
    defer { try? FileManager.default.removeItem(at: folder) }
    let process = Process()
    process.executableURL = briefingExecutable()
    process.arguments = ["build", "a.yaml", "b.yaml", "c.yaml", "--out", "out", "--jobs", "1"]
    process.currentDirectoryURL = folder
    process.environment = ProcessInfo.processInfo.environment.merging(Self.epoch) { $1 }
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    // The signal once the first briefing is staged: the build is under way, four briefings to go.
    let staging = folder.appendingPathComponent("out/.briefing/staging")
    for _ in 0..<400 {
      let transactions = (try? FileManager.default.contentsOfDirectory(atPath: staging.path)) ?? []
      if transactions.contains(where: { !((try? FileManager.default.contentsOfDirectory(atPath: staging.appendingPathComponent($0).path)) ?? []).isEmpty }) { break }
      usleep(5_000)
    }
    kill(process.processIdentifier, SIGTERM)
    process.waitUntilExit()
    #expect(process.terminationStatus == 143, "\(process.terminationStatus)")
    let out = folder.appendingPathComponent("out")
    #expect(strays(out).isEmpty)
    // What was made before the signal is committed, whole; the rest is left for the next build.
    let manifest = try Manifest.read(at: out.appendingPathComponent("manifest.json").path)
    #expect((1..<5).contains(manifest.briefings.count), "\(manifest.briefings.count)")
    #expect(try briefing(["manifest", "check", "out"], in: folder).status == 0)
    let next = try briefing(["build", "a.yaml", "b.yaml", "c.yaml", "--out", "out", "--json"], in: folder)
    #expect(try summary(next)["built"] as? Int == 5 - manifest.briefings.count)
  }

  // MARK: Keep going, names

  @Test func oneBadLayoutAmongThreeStillBuildsTheOtherTwo() throws {
    let folder = try project()
    defer { try? FileManager.default.removeItem(at: folder) }
    let b = folder.appendingPathComponent("b.yaml")
    try String(contentsOf: b, encoding: .utf8).replacingOccurrences(of: "metric: students, by: region } }\n  - chart", with: "metric: studnets, by: region } }\n  - chart")
      .write(to: b, atomically: true, encoding: .utf8)
    let result = try briefing(["build", "a.yaml", "b.yaml", "c.yaml", "--out", "out"], in: folder)
    #expect(result.status == 65, "\(result.error)")
    #expect(result.error.contains("b.yaml"), "\(result.error)")
    #expect(result.error.contains("3 built, 0 unchanged, 1 failed") || result.error.contains("4 built, 0 unchanged, 1 failed"), "\(result.error)")
    let files = Set(try snapshot(folder.appendingPathComponent("out")).keys)
    #expect(files.contains("c.pdf"))
    #expect(files.filter { $0.hasPrefix("a-") && $0.hasSuffix(".pdf") }.count == 3)
    #expect(!files.contains("b.pdf"))
    // --fail-fast stops at the first.
    let fast = try briefing(["build", "b.yaml", "c.yaml", "--out", "fast", "--fail-fast", "--jobs", "1"], in: folder)
    #expect(fast.status == 65)
    #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("fast/c.pdf").path))
  }

  @Test func duplicateNamesAndEscapingIdsWriteNothing() throws {
    let folder = try project()
    defer { try? FileManager.default.removeItem(at: folder) }
    // Layout “x-y” with chart “z” and layout “x” with chart “y-z” both write x-y-z.svg.
    let chart = "data: [d1.csv]\nblocks:\n  - chart: { id: CHART, title: T, query: { metric: students, by: region }, export: [svg] }\n"
    try ("id: x-y\ntitle: T\nlanguage: ru\n" + chart.replacingOccurrences(of: "CHART", with: "z")).write(to: folder.appendingPathComponent("x1.yaml"), atomically: true, encoding: .utf8)
    try ("id: x\ntitle: T\nlanguage: ru\n" + chart.replacingOccurrences(of: "CHART", with: "y-z")).write(to: folder.appendingPathComponent("x2.yaml"), atomically: true, encoding: .utf8)
    let clash = try briefing(["build", "x1.yaml", "x2.yaml", "--out", "out"], in: folder)
    #expect(clash.status == 65)
    #expect(clash.error.contains("x-y-z.svg"), "\(clash.error)")
    #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("out/x.pdf").path))
    // One layout with two charts of one id.
    try ("id: d\ntitle: T\nlanguage: ru\n" + chart.replacingOccurrences(of: "CHART", with: "same") + "  - chart: { id: same, title: T, query: { metric: students, by: region }, export: [svg] }\n")
      .write(to: folder.appendingPathComponent("dup.yaml"), atomically: true, encoding: .utf8)
    let duplicate = try briefing(["build", "dup.yaml", "--out", "dup"], in: folder)
    #expect(duplicate.status == 65, "\(duplicate.error)")
    #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("dup").path))
    // A chart id leaving the folder.
    try ("id: e\ntitle: T\nlanguage: ru\n" + chart.replacingOccurrences(of: "CHART", with: "\"../../x\"")).write(to: folder.appendingPathComponent("esc.yaml"), atomically: true, encoding: .utf8)
    let escaping = try briefing(["build", "esc.yaml", "--out", "esc"], in: folder)
    #expect(escaping.status == 65, "\(escaping.error)")
    #expect(escaping.error.contains("esc.yaml:"), "\(escaping.error)")
    #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("esc").path))
    #expect(!FileManager.default.fileExists(atPath: folder.deletingLastPathComponent().appendingPathComponent("x.svg").path))
  }

  // MARK: Parallel, shards

  @Test func jobsAndShardsGiveTheBytesOfOneSerialBuild() throws {
    let folder = try project()
    defer { try? FileManager.default.removeItem(at: folder) }
    let layouts = ["a.yaml", "b.yaml", "c.yaml"]
    #expect(try briefing(["build"] + layouts + ["--out", "serial", "--jobs", "1"], in: folder).status == 0)
    #expect(try briefing(["build"] + layouts + ["--out", "parallel", "--jobs", "3"], in: folder).status == 0)
    let serial = try snapshot(folder.appendingPathComponent("serial")).mapValues(\.bytes)
    #expect(try snapshot(folder.appendingPathComponent("parallel")).mapValues(\.bytes) == serial)
    // Under a sanitizer the parallel build above is the point (its threads); the shards are not.
    guard ProcessInfo.processInfo.environment["BRIEFING_SANITIZER"] == nil else { return }
    // Two shards: disjoint files, together the serial build's; their manifests merge into its manifest.
    var union: [String: Data] = [:]
    for index in 1...2 {
      let shard = try briefing(["build"] + layouts + ["--out", "shard-\(index)", "--shard", "\(index)/2"], in: folder)
      #expect(shard.status == 0, "\(shard.error)")
      for (path, file) in try snapshot(folder.appendingPathComponent("shard-\(index)")) where path != "manifest.json" {
        #expect(union[path] == nil, "\(path) is in both shards")
        union[path] = file.bytes
        let target = folder.appendingPathComponent("merged/" + path)
        try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        try file.bytes.write(to: target)
      }
    }
    var withoutManifest = serial
    withoutManifest.removeValue(forKey: "manifest.json")
    #expect(union == withoutManifest)
    let merge = try briefing(["manifest", "merge", "shard-1/manifest.json", "shard-2/manifest.json", "--out", "merged/manifest.json", "--verify"], in: folder)
    #expect(merge.status == 0, "\(merge.error)")
    #expect(try Data(contentsOf: folder.appendingPathComponent("merged/manifest.json")) == serial["manifest.json"])
    // A shard listed twice with different entries is refused.
    let bad = try briefing(["manifest", "merge", "shard-1/manifest.json", "shard-1/manifest.json", "--out", "again.json"], in: folder)
    #expect(bad.status == 0)
    // A shard's folder kept while the split changes holds exactly its new part afterwards.
    #expect(try briefing(["build"] + layouts + ["--out", "shard-1", "--shard", "1/3"], in: folder).status == 0)
    #expect(try briefing(["build"] + layouts + ["--out", "fresh", "--shard", "1/3"], in: folder).status == 0)
    #expect(try snapshot(folder.appendingPathComponent("shard-1")).mapValues(\.bytes) == snapshot(folder.appendingPathComponent("fresh")).mapValues(\.bytes))
    let wrong = try briefing(["build", "--shard", "3/2", "c.yaml"], in: folder)
    #expect(wrong.status == 64)
  }

  // MARK: validate, usage

  @Test func validateReportsEveryProblemAtItsLineWithoutWriting() throws {
    let folder = try project()
    defer { try? FileManager.default.removeItem(at: folder) }
    let good = try briefing(["validate", "a.yaml", "b.yaml", "c.yaml"], in: folder)
    #expect(good.status == 0, "\(good.error)")
    #expect(good.output.contains("3 layouts, 5 briefings checked: no problems"), "\(good.output)")
    let b = folder.appendingPathComponent("b.yaml")
    try String(contentsOf: b, encoding: .utf8).replacingOccurrences(of: "date: \"2026-01-15\"", with: "date: \"2026-02-30\"")
      .write(to: b, atomically: true, encoding: .utf8)
    let c = folder.appendingPathComponent("c.yaml")
    try String(contentsOf: c, encoding: .utf8).replacingOccurrences(of: "metric: students", with: "metric: studnets")
      .write(to: c, atomically: true, encoding: .utf8)
    let bad = try briefing(["validate", "a.yaml", "b.yaml", "c.yaml"], in: folder)
    #expect(bad.status == 65)
    #expect(bad.error.contains("b.yaml:4:"), "\(bad.error)")
    #expect(bad.error.contains("c.yaml:"), "\(bad.error)")
    #expect(bad.error.contains("2 problems"), "\(bad.error)")
    let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
    #expect(!files.contains("reports"))
    // A misspelt subcommand is a usage error, not a missing layout.
    let misspelt = try briefing(["validat", "a.yaml"], in: folder)
    #expect(misspelt.status == 64, "\(misspelt.error)")
    #expect(misspelt.error.contains("did you mean “validate”?"), "\(misspelt.error)")
  }
}
