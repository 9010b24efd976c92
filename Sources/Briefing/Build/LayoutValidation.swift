internal import BriefingAnalytics
internal import BriefingLayout
internal import Foundation

/// `briefing validate`: every check a build makes, short of drawing — the YAML's keys and values,
/// parameters and their values, data, names, metrics and sources files readable with the columns
/// they need, every query and figure answered by the data, the blocks laid out on pages, every
/// character drawable by the fonts, and output names that no two briefings share.
public enum LayoutValidation {
  /// The problems of the briefings of the layout files `files`, each with the briefing or layout it
  /// belongs to (an empty list: they build); and how many briefings were checked.
  public static func problems(
    in files: [String], settings: [String: String] = [:], options: BuildOptions = BuildOptions()
  ) -> (checked: Int, problems: [(briefing: String, error: BriefingError)]) {
    var claimed: [String: BriefingIdentity] = [:]
    var plans = LayoutPlans()
    var digests = DigestCache()
    let expansion = ReportBuild.expand(files, settings: settings, claimed: &claimed, failFast: false, plans: &plans, digests: &digests) { _, _ in }
    var problems = expansion.failures
    let builder = BriefingBuilder(options: options)
    for planned in expansion.briefings {
      guard let instance = planned.instance else { continue }
      let identity = planned.identity
      do {
        try builder.check(instance)
      } catch {
        problems.append((identity.description, error))
      }
    }
    return (expansion.briefings.count, problems)
  }
}

extension BriefingBuilder {
  /// Composes a briefing and lays it out, and checks its text can be drawn, without rendering it.
  func check(_ instance: LayoutInstance) throws(BriefingError) {
    let composition = try compose(instance)
    do {
      try Self.checkGlyphs(
        in: composition.document.laidOut.pages, charts: composition.document.charts, origins: composition.document.origins,
        measurer: composition.measurer)
    } catch {
      guard options.allowMissingGlyphs else { throw .rendering(error) }
    }
  }
}
