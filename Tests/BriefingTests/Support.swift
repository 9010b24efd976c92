import Foundation

/// The repository's root, found from this file's path.
let projectRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// A fresh temporary folder, removed by the caller.
func temporaryFolder() throws -> URL {
  let url = FileManager.default.temporaryDirectory.appendingPathComponent("briefing-test-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  return url
}

/// The `briefing` executable built beside the test bundle.
func briefingExecutable() -> URL {
  let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("briefing")
  if FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
  return projectRoot.appendingPathComponent(".build/debug/briefing")
}

struct ToolResult {
  var status: Int32
  var output: String
  var error: String
}

/// Runs a program and collects its output.
func run(_ executable: URL, _ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:]) throws -> ToolResult {
  let process = Process()
  process.executableURL = executable
  process.arguments = arguments
  if let directory { process.currentDirectoryURL = directory }
  var env = ProcessInfo.processInfo.environment
  env.removeValue(forKey: "SOURCE_DATE_EPOCH")
  for (key, value) in environment { env[key] = value }
  process.environment = env
  let out = Pipe()
  let err = Pipe()
  process.standardOutput = out
  process.standardError = err
  try process.run()
  let outData = out.fileHandleForReading.readDataToEndOfFile()
  let errData = err.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  return ToolResult(status: process.terminationStatus, output: String(decoding: outData, as: UTF8.self), error: String(decoding: errData, as: UTF8.self))
}

/// Runs a tool from PATH.
func tool(_ name: String, _ arguments: [String]) throws -> ToolResult {
  try run(URL(fileURLWithPath: "/usr/bin/env"), [name] + arguments)
}

/// Writes `d.csv` (a tidy header and the given rows) and `l.yaml` (an English layout with one table of
/// `tableMetric` by region) into `folder`; returns the layout's URL.
func writeScenario(in folder: URL, data rows: String, tableMetric: String) throws -> URL {
  try ("region,programme,period,metric,value,unit\n" + rows + "\n")
    .write(to: folder.appendingPathComponent("d.csv"), atomically: true, encoding: .utf8)
  let yaml = folder.appendingPathComponent("l.yaml")
  try "title: T\nlanguage: en\ndata: [d.csv]\nblocks:\n  - table: { query: { metric: \(tableMetric), by: region } }\n"
    .write(to: yaml, atomically: true, encoding: .utf8)
  return yaml
}

/// Runs `briefing` with its standard output on `/dev/full` (a full disk); returns its exit status
/// and standard error, nil where the device is missing.
func runOnFullDevice(_ arguments: [String]) throws -> (status: Int32, error: String)? {
  guard let full = FileHandle(forWritingAtPath: "/dev/full") else { return nil }
  let process = Process()
  process.executableURL = briefingExecutable()
  process.arguments = arguments
  process.standardOutput = full
  let err = Pipe()
  process.standardError = err
  try process.run()
  let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
  process.waitUntilExit()
  return (process.terminationStatus, message)
}
