import Foundation
import Testing

/// The corpus of hostile layouts and data in `Tests/Hostile` (see its README): each builds to the
/// exit code and message its first line names, never crashes, and writes nothing outside `out/`.
@Suite struct HostileInputTests {
  static let corpus = projectRoot.appendingPathComponent("Tests/Hostile")

  static var layouts: [String] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: corpus.appendingPathComponent("layouts").path)) ?? []
    return names.filter { $0.hasSuffix(".yaml") }.sorted()
  }

  /// What a case's first line asks for.
  struct Expectation {
    var status: Int32
    var location: String?
    var fragment: String?
    var environment: [String: String] = [:]

    init(line: String) throws {
      var rest = Substring(line)
      guard rest.hasPrefix("# expect: ") else { throw Failure("the first line must be “# expect: …”, found “\(line)”") }
      rest = rest.dropFirst("# expect: ".count)
      let status = rest.prefix { $0.isNumber }
      guard let code = Int32(status) else { throw Failure("no exit code in “\(line)”") }
      self.status = code
      rest = rest.dropFirst(status.count).drop { $0 == " " }
      if rest.hasPrefix("at ") {
        let place = rest.dropFirst(3).prefix { $0 != " " }
        location = String(place)
        rest = rest.dropFirst(3 + place.count).drop { $0 == " " }
      }
      if rest.hasPrefix("\""), let end = rest.dropFirst().firstIndex(of: "\"") {
        fragment = String(rest[rest.index(after: rest.startIndex)..<end])
        rest = rest[rest.index(after: end)...].drop { $0 == " " }
      }
      if rest.hasPrefix("env ") {
        for pair in rest.dropFirst(4).split(separator: " ") {
          let parts = pair.split(separator: "=", maxSplits: 1)
          if parts.count == 2 { environment[String(parts[0])] = String(parts[1]) }
        }
      }
    }
  }

  struct Failure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
  }

  /// Every regular file under `folder` with its size and modification time, and every folder.
  static func snapshot(_ folder: URL) -> [String: String] {
    var files: [String: String] = [:]
    let keys: [URLResourceKey] = [.fileSizeKey, .contentModificationDateKey, .isRegularFileKey]
    let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: keys)
    while let url = enumerator?.nextObject() as? URL {
      let values = try? url.resourceValues(forKeys: Set(keys))
      files[url.path] = values?.isRegularFile == true
        ? "\(values?.fileSize ?? -1) bytes, modified \(values?.contentModificationDate?.timeIntervalSince1970 ?? 0)" : "folder"
    }
    return files
  }

  @Test(arguments: layouts) func buildsAsItsFirstLineSays(_ name: String) throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    // The case runs two folders down, so an escape with “../..” would still land inside `folder`.
    let work = folder.appendingPathComponent("a/case")
    try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
    for part in ["layouts", "data"] {
      try FileManager.default.copyItem(at: Self.corpus.appendingPathComponent(part), to: work.appendingPathComponent(part))
    }
    try FileManager.default.copyItem(at: projectRoot.appendingPathComponent("seeds"), to: work.appendingPathComponent("seeds"))
    if name == "data-long-record.yaml" {
      // 65 MiB without a line break: made here rather than kept in the repository.
      var bytes = Array("region,programme,period,metric,value,unit\n".utf8)
      bytes += [UInt8](repeating: UInt8(ascii: "a"), count: 65 << 20)
      try Data(bytes).write(to: work.appendingPathComponent("data/long-record.csv"))
    }
    let layout = "layouts/\(name)"
    let text = try String(contentsOf: work.appendingPathComponent(layout), encoding: .utf8)
    let expected = try Expectation(line: String(text.prefix { $0 != "\n" }))
    let before = Self.snapshot(folder)

    let result = try run(briefingExecutable(), ["build", layout, "--out", "out"], in: work, environment: expected.environment)

    #expect(![132, 134, 139].contains(result.status), "\(name) crashed: \(result.error)")
    #expect(result.status == expected.status, "\(name): exit \(result.status): \(result.error)")
    if let fragment = expected.fragment {
      #expect(result.error.contains(fragment), "\(name): expected “\(fragment)” in: \(result.error)")
    }
    if let location = expected.location {
      let file = location.split(separator: ":").count == 3 ? "" : layout + ":"
      #expect(result.error.contains(file + location + ":"), "\(name): expected \(file + location) in: \(result.error)")
    }
    // A message quotes at most a short excerpt of its input.
    #expect(result.error.utf8.count < 2_000, "\(name): \(result.error.utf8.count) bytes of message")
    // Nothing written outside out/, and no out/ at all when the build failed.
    let out = work.appendingPathComponent("out")
    let after = Self.snapshot(folder).filter { $0.key != out.path && !$0.key.hasPrefix(out.path + "/") }
    let changed = Set(after.keys).union(before.keys).filter { after[$0] != before[$0] }.sorted()
    #expect(changed.isEmpty, "\(name) changed files outside out/: \(changed)")
    if expected.status == 0 {
      let written = (try? FileManager.default.contentsOfDirectory(atPath: out.path)) ?? []
      #expect(written.contains { $0.hasSuffix(".pdf") }, "\(name): wrote \(written)")
      #expect(!written.contains { $0.contains(".partial-") }, "\(name): left \(written)")
    } else {
      #expect(!FileManager.default.fileExists(atPath: out.path), "\(name) failed but created out/")
    }
  }
}

/// Hostile command lines and output targets: each a clear error with its exit code, never a
/// crash, and no device, FIFO, folder or symlink replaced by a file.
@Suite struct HostileCommandTests {
  let panel = projectRoot.appendingPathComponent("seeds/panel.csv").path
  let layout = projectRoot.appendingPathComponent("layouts/regional-overview.yaml").path

  @Test func writersRefuseTargetsThatAreNotRegularFiles() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let fifo = folder.appendingPathComponent("fifo").path
    #expect(mkfifo(fifo, 0o644) == 0)
    let link = folder.appendingPathComponent("link").path
    let victim = folder.appendingPathComponent("victim.txt")
    try "keep me".write(to: victim, atomically: true, encoding: .utf8)
    try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: victim.path)
    // A device node of its own (as root), so that a regression cannot replace the host's /dev/null.
    let device = folder.appendingPathComponent("null").path
    let hasDevice = mknod(device, S_IFCHR | 0o666, dev_t((1 << 8) | 3)) == 0  // major 1, minor 3, as /dev/null
    for target in [fifo, link, folder.path] + (hasDevice ? [device] : []) {
      let seed = try run(briefingExecutable(), ["seed", "panel", "--out", target])
      #expect(seed.status == 73, "seed → \(target): \(seed.error)")
      #expect(seed.error.contains("will not replace it"), "\(seed.error)")
      let imported = try run(briefingExecutable(), ["import", panel, "--into", target])
      #expect(imported.status == 73, "import → \(target): \(imported.error)")
    }
    var status = stat()
    #expect(lstat(fifo, &status) == 0 && status.st_mode & S_IFMT == S_IFIFO)
    #expect(lstat(link, &status) == 0 && status.st_mode & S_IFMT == S_IFLNK)
    if hasDevice { #expect(lstat(device, &status) == 0 && status.st_mode & S_IFMT == S_IFCHR) }
    #expect(try String(contentsOf: victim, encoding: .utf8) == "keep me")
    // A build whose PDF would replace a FIFO writes nothing at all (not even its charts).
    let out = folder.appendingPathComponent("out")
    try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
    #expect(mkfifo(out.appendingPathComponent("regional-overview.pdf").path, 0o644) == 0)
    let build = try run(briefingExecutable(), ["build", layout, "--out", out.path])
    #expect(build.status == 73, "\(build.error)")
    #expect(build.error.contains("regional-overview.pdf: cannot write: will not replace it: it is a FIFO"), "\(build.error)")
    // The build's state folder (its lock) aside.
    #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).filter { $0 != ".briefing" } == ["regional-overview.pdf"])
  }

  @Test func aLayoutWithoutAnIdIsNamedBySluggingItsFileName() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let seeds = projectRoot.appendingPathComponent("seeds").path
    let file = folder.appendingPathComponent("Справка по региону (черновик).yaml")
    try "language: en\ntitle: T\ndata: [\(seeds)/panel.csv]\nblocks: [{ paragraph: a }]\n".write(to: file, atomically: true, encoding: .utf8)
    let result = try run(briefingExecutable(), ["build", file.path, "--out", folder.appendingPathComponent("out").path])
    #expect(result.status == 0, "\(result.error)")
    let written = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("out").path)
    #expect(written.filter { $0 != ".briefing" && $0 != "manifest.json" } == ["Справка-по-региону-черновик.pdf"])
  }

  @Test func twoLayoutsWithOneIdAreRefusedBeforeEitherIsBuilt() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let out = folder.appendingPathComponent("out").path
    let copy = folder.appendingPathComponent("copy.yaml")
    let text = try String(contentsOfFile: layout, encoding: .utf8).replacingOccurrences(of: "../seeds/", with: projectRoot.path + "/seeds/")
    try text.write(to: copy, atomically: true, encoding: .utf8)
    let result = try run(briefingExecutable(), ["build", layout, copy.path, "--out", out])
    #expect(result.status == 65)
    #expect(result.error.contains("it would write “regional-overview.pdf”, which"), "\(result.error)")
    #expect(!FileManager.default.fileExists(atPath: out))
  }

  @Test(arguments: [
    (["query", "/dev/zero", "--group-by", "region"], Int32(65), "/dev/zero:1:1: expected CSV or JSON text, found a NUL byte"),
    (["query", "/dev/urandom", "--group-by", "region"], Int32(65), "/dev/urandom:"),
    (["query", "PANEL", "--group-by", "region", "--top", "-3"], 64, "--top must be at least 1, found -3"),
    (["query", "PANEL", "--group-by", "region", "--threads", "-2"], 64, "--threads must be at least 1, found -2"),
    (["seed", "panel", "--rows", "-5", "--out", "/tmp/never-written.csv"], 64, "--rows must be at least 8393"),
    (["build", "--png-scale", "0"], 64, "--png-scale must be between 0 and 8"),
    (["build", "/dev/zero"], 65, "/dev/zero: expected a layout of at most 4 MiB"),
  ])
  func badCommandLinesAndInputsFailClearly(arguments: [String], status: Int32, message: String) throws {
    let result = try run(briefingExecutable(), arguments.map { $0 == "PANEL" ? panel : $0 })
    #expect(result.status == status, "\(arguments): \(result.error)")
    #expect(result.error.contains(message), "\(arguments): \(result.error)")
    #expect(result.error.utf8.count < 2_000)
  }

  @Test func aBidiOverrideCannotReorderTheFiguresShown() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let yaml = folder.appendingPathComponent("bidi.yaml")
    // U+202E (right-to-left override) would show “123 456” as “654 321”.
    try "language: en\ntitle: T\ndata: [\(panel)]\nblocks: [{ paragraph: \"Total: \u{202E}123 456\u{202C} RUB\" }]\n"
      .write(to: yaml, atomically: true, encoding: .utf8)
    let result = try run(briefingExecutable(), ["build", yaml.path, "--out", folder.appendingPathComponent("out").path])
    #expect(result.status == 0, "\(result.error)")
    let text = try tool("pdftotext", [folder.appendingPathComponent("out/bidi.pdf").path, "-"]).output
    #expect(text.contains("Total: 123 456 RUB") || text.contains("Total: \u{2060}123 456\u{2060} RUB"), "\(text)")
    #expect(!text.contains("654"), "\(text)")
  }

  @Test func extremeNumbersPrintInQueryTablesWithoutATrap() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("big.csv")
    try "region,metric,value\nA,m,1e308\nB,m,12345678901234567890\nC,m,-1.7976931348623157e308\n".write(to: file, atomically: true, encoding: .utf8)
    let result = try run(briefingExecutable(), ["query", file.path, "--group-by", "region"])
    #expect(result.status == 0, "\(result.error)")
    #expect(result.output.contains("12,345,678,901,234,567,000"), "\(result.output)")
    #expect(result.output.contains("\u{2212}179,769,313,486,231,570,000"), "\(result.output)")
  }
}

@Suite struct StandardInputTests {
  /// Runs `briefing query - ARGS` with `input` on standard input.
  func query(_ input: String, _ arguments: [String]) throws -> ToolResult {
    let process = Process()
    process.executableURL = briefingExecutable()
    process.arguments = ["query", "-"] + arguments
    let (stdin, out, err) = (Pipe(), Pipe(), Pipe())
    process.standardInput = stdin
    process.standardOutput = out
    process.standardError = err
    try process.run()
    stdin.fileHandleForWriting.write(Data(input.utf8))
    try stdin.fileHandleForWriting.close()
    let output = out.fileHandleForReading.readDataToEndOfFile()
    let error = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return ToolResult(status: process.terminationStatus, output: String(decoding: output, as: UTF8.self), error: String(decoding: error, as: UTF8.self))
  }

  @Test func aDashReadsStandardInputThroughATemporaryCopy() throws {
    let answer = try query("region,value\nB,2\nA,1\nB,3\n", ["--group-by", "region", "--format", "csv"])
    #expect(answer.status == 0, "\(answer.error)")
    #expect(answer.output == "region,value\nA,1\nB,5\n")
    // Errors name it and say where.
    let bad = try query("region,value\nA,x\n", ["--group-by", "region"])
    #expect(bad.status == 65)
    #expect(bad.error == "error: standard input:2:3: expected a number in column “value”, found “x”\n")
  }
}
