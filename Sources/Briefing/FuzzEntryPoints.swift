internal import BriefingAnalytics
package import BriefingLayout
internal import Foundation

/// The entry point of the layout fuzz harness under `Fuzz/` (built only when `BRIEFING_FUZZ` is
/// set; see `scripts/fuzz.sh`).
package enum LayoutFuzzing {
  /// A tiny tidy dataset for composing fuzzed layouts: two regions, two programmes, two periods,
  /// two metrics in different units, one missing value and one qualified figure.
  private static let sampleTable: MemoryTable = {
    var rows: [Observation] = []
    for (r, region) in ["Republic of Tatarstan", "Moscow"].enumerated() {
      for (p, programme) in ["Professionalism", "Industrial Clusters"].enumerated() {
        for period in ["2024", "2025"] {
          let base = Double(100 * (r + 1) + 10 * p) + (period == "2025" ? 7 : 0)
          rows.append(Observation(
            region: region, programme: programme, period: period, metric: "students_trained", value: base, unit: "persons",
            status: "synthetic"))
          rows.append(Observation(
            region: region, programme: programme, period: period, metric: "funding", value: r == 1 && p == 1 ? nil : base / 100,
            unit: "billion roubles", status: "synthetic"))
        }
      }
    }
    rows.append(Observation(
      region: "Moscow", programme: "Professionalism", period: "2025", metric: "enterprises_participating", value: 40, unit: "count",
      qualifier: "over"))
    return MemoryTable(rows, name: "sample")
  }()

  /// Decodes and checks the layout in `yaml`, then composes it against `sampleTable` (pagination
  /// included, no rendering): it must succeed or throw `BriefingError`, never trap.
  ///
  /// The text goes through a temporary file, as layouts are read from files.
  package static func compose(yaml: [UInt8], measuring: some TextMeasuring) throws(BriefingError) {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("briefing-fuzz-\(getpid()).yaml").path
    // Plain stdio: FileManager.createFile syncs to disk, which made each input cost tens of ms.
    guard let file = fopen(path, "wb") else { throw .output(file: path, reason: "cannot write the temporary file") }
    let written = fwrite(yaml, 1, yaml.count, file)
    fclose(file)
    defer { unlink(path) }
    guard written == yaml.count else { throw .output(file: path, reason: "cannot write the temporary file") }
    // Through the parameters, as a build reads a layout (placeholders filled, forEach expanded).
    guard let instance = try BriefingBuilder.instances(ofLayoutAt: path).first else { return }
    let (spec, root) = (instance.spec, instance.root)
    // The data entries are checked as a build checks them, but the data is `sampleTable`.
    for source in spec.data {
      if case .failure(let problem) = source.readOptions() {
        throw .invalidLayout(file: path, line: nil, column: nil, message: problem.message)
      }
    }
    let composer = DocumentComposer(
      spec: spec, layoutFile: path, layoutRoot: root, source: sampleTable, names: [:], creationDate: BriefingBuilder(options: BuildOptions())
        .creationDate(spec: spec))
    _ = try composer.compose(measuring: measuring)
  }
}
