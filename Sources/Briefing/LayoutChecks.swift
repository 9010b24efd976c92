internal import Foundation
internal import Yams

/// Checks the numbers and dates of a decoded layout where they were written: a number that is not
/// finite or out of its range (a body size of 1e9, margins of NaN, a chart height of -100) would
/// otherwise crash the layout or draw off the page.
enum LayoutChecks {
  /// A setting's allowed range, as the error states it.
  private struct Range {
    var lower: Double
    var upper: Double
    var unit: String

    func problem(_ value: Double) -> String? {
      guard !value.isFinite || value < lower || value > upper else { return nil }
      let shown = value.isNaN ? "NaN" : value.isInfinite ? (value < 0 ? "-infinity" : "infinity") : "\(value)".replacingOccurrences(of: ".0", with: "")
      return "expected a number from \(format(lower)) to \(format(upper))\(unit), found \(shown)"
    }

    private func format(_ value: Double) -> String {
      value == value.rounded() ? String(Int(value)) : String(value)
    }
  }

  private static let bodySize = Range(lower: 4, upper: 36, unit: " pt")
  private static let margins = Range(lower: 0, upper: 60, unit: " mm")
  private static let chartHeight = Range(lower: 40, upper: 2000, unit: " pt")
  private static let top = Range(lower: 1, upper: 100_000, unit: "")

  static func check(_ spec: LayoutSpec, root: Node, file: String) throws(BriefingError) {
    func fail(_ message: String, _ path: [LayoutPath]) -> BriefingError {
      let mark = LayoutKeys.mark(of: path, in: root)
      // Named as decoding errors name them: “block 2: chart.height”.
      var name = path.map(\.stringValue).joined(separator: ".")
      if path.count > 2, path[0].stringValue == "blocks", let index = path[1].intValue {
        name = "block \(index + 1): " + path.dropFirst(2).map(\.stringValue).joined(separator: ".")
      }
      return .invalidLayout(file: file, line: mark?.line, column: mark?.column, message: "\(name): \(message)")
    }
    if let size = spec.theme?.bodySize, let problem = bodySize.problem(size) {
      throw fail(problem, [LayoutPath("theme"), LayoutPath("bodySize")])
    }
    if let value = spec.page?.margins, let problem = margins.problem(value) {
      throw fail(problem, [LayoutPath("page"), LayoutPath("margins")])
    }
    if let date = spec.date, !isRealDate(date) {
      throw fail("expected a date that exists, as YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ, found “\(date)”", [LayoutPath("date")])
    }
    for (index, block) in spec.blocks.enumerated() {
      let at = [LayoutPath("blocks"), LayoutPath(index)]
      switch block {
      case .chart(let chart):
        if let height = chart.height, let problem = chartHeight.problem(height) {
          throw fail(problem, at + [LayoutPath("chart"), LayoutPath("height")])
        }
        if let count = chart.query.top, let problem = top.problem(Double(count)) {
          throw fail(problem, at + [LayoutPath("chart"), LayoutPath("query"), LayoutPath("top")])
        }
      case .table(let table):
        if let count = table.query.top, let problem = top.problem(Double(count)) {
          throw fail(problem, at + [LayoutPath("table"), LayoutPath("query"), LayoutPath("top")])
        }
      default: break
      }
    }
  }

  /// Whether `text` is an ISO 8601 date (or UTC date and time) of a day the calendar has:
  /// `2026-02-30` is not one.
  static func isRealDate(_ text: String) -> Bool {
    let parts = text.prefix(10).split(separator: "-", omittingEmptySubsequences: false)
    guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
      let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]), (1970...9999).contains(year), (1...12).contains(month)
    else { return false }
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
    guard let first = calendar.date(from: DateComponents(year: year, month: month, day: 1)),
      let days = calendar.range(of: .day, in: .month, for: first), days.contains(day)
    else { return false }
    let rest = text.dropFirst(10)
    if rest.isEmpty { return true }
    let formatter = ISO8601DateFormatter()
    return formatter.date(from: text) != nil
  }
}
