internal import Foundation

/// What each layout file made at the last build — its briefings' parameters, ids, output names and
/// input files — kept in the output folder's state (`.briefing/layouts.json`), so that a build
/// that changes nothing does not read and decode every layout again (89 decodings of region.yaml
/// cost most of a second).
///
/// A plan holds while its key does: the program, the working folder, the layout's path and
/// SHA-256, the `--set` values and the digests of its names tables (which `forEach` expands over).
/// Anything else a plan records follows from these.
struct LayoutPlans {
  private struct Plan: Codable {
    var key: String
    var names: [String]
    var briefings: [Briefing]

    struct Briefing: Codable {
      var parameters: [String: String]
      var id: String
      var outputs: [String]
      var inputs: [[String]]
      /// Its theme's font families (nil in a plan from before they were kept: read again).
      var families: [String]?
    }
  }

  private var plans: [String: Plan] = [:]
  private var changed = false
  private static let fileName = "layouts.json"

  /// No plans, kept nowhere (`briefing validate` reads every layout).
  init() {}

  init(folder: ReportFolder) {
    plans = folder.state([String: Plan].self, named: Self.fileName) ?? [:]
  }

  /// The briefings of the layout at `file` as the last build planned them, or nil when its plan
  /// is missing or no longer holds.
  mutating func briefings(of file: String, layout: String, settings: [String: String], digests: inout DigestCache) -> [ReportBuild.Planned]? {
    guard let plan = plans[layout], plan.briefings.allSatisfy({ $0.families != nil }),
      let key = Self.key(layout: layout, file: file, names: plan.names, settings: settings, digests: &digests), key == plan.key
    else { return nil }
    return plan.briefings.map { briefing in
      ReportBuild.Planned(
        file: file, identity: BriefingIdentity(layout: layout, parameters: briefing.parameters), id: briefing.id,
        outputNames: briefing.outputs, inputs: briefing.inputs.compactMap { $0.count == 2 ? ($0[0], $0[1]) : nil },
        families: briefing.families ?? [], instance: nil)
    }
  }

  /// Records the briefings a layout made.
  mutating func remember(_ briefings: [ReportBuild.Planned], of file: String, layout: String, settings: [String: String], digests: inout DigestCache) {
    let names = Array(Set(briefings.flatMap { $0.inputs.filter { $0.role == "names" }.map(\.path) })).sorted()
    // A layout that makes no briefing names no table its forEach read: it is read again each time.
    guard !briefings.isEmpty, let key = Self.key(layout: layout, file: file, names: names, settings: settings, digests: &digests) else {
      if plans.removeValue(forKey: layout) != nil { changed = true }
      return
    }
    plans[layout] = Plan(
      key: key, names: names,
      briefings: briefings.map {
        Plan.Briefing(
          parameters: $0.identity.parameters, id: $0.id, outputs: $0.outputNames, inputs: $0.inputs.map { [$0.role, $0.path] },
          families: $0.families)
      })
    changed = true
  }

  mutating func save(to folder: ReportFolder) {
    guard changed else { return }
    folder.writeState(plans, named: Self.fileName)
    changed = false
  }

  private static func key(layout: String, file: String, names: [String], settings: [String: String], digests: inout DigestCache) -> String? {
    var lines = ["tool \(ToolIdentity.current)", "folder \(FileManager.default.currentDirectoryPath)", "layout \(layout)"]
    guard case .success(let sha) = digests.digest(ofFileAt: ReportBuild.absolute(file)) else { return nil }
    lines.append("sha \(sha)")
    lines += settings.sorted { $0.key < $1.key }.map { "set \($0.key)=\($0.value)" }
    for name in names {
      guard case .success(let sha) = digests.digest(ofFileAt: ReportBuild.absolute(name)) else { return nil }
      lines.append("names \(name) \(sha)")
    }
    return Digest.sha256(lines.joined(separator: "\n"))
  }
}
