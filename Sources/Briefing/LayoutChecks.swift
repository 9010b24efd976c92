internal import Foundation
internal import BriefingAnalytics
internal import Yams

/// Checks the numbers and dates of a decoded layout where they were written: a number that is not
/// finite or out of its range (a body size of 1e9, margins of NaN, a chart height of -100) would
/// otherwise crash the layout or draw off the page.
enum LayoutChecks {
  /// A setting's allowed range, as the error states it (docs/layout.schema.json states the same).
  struct Range {
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

  static let bodySize = Range(lower: 4, upper: 36, unit: " pt")
  static let margins = Range(lower: 0, upper: 60, unit: " mm")
  static let chartHeight = Range(lower: 40, upper: 2000, unit: " pt")
  static let top = Range(lower: 1, upper: 100_000, unit: "")

  /// Checks `spec`; an error is at its line and column in `root` when given.
  static func check(_ spec: LayoutSpec, root: Node?, file: String) throws(BriefingError) {
    func fail(_ message: String, _ path: [LayoutPath]) -> BriefingError {
      let mark = root.flatMap { LayoutKeys.mark(of: path, in: $0) }
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
    if let id = spec.id, let problem = OutputName.problem(id) {
      throw fail(problem, [LayoutPath("id")])
    }
    if let date = spec.date, !isRealDate(date) {
      throw fail("expected a date that exists, as YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ, found “\(date)”", [LayoutPath("date")])
    }
    var chartIDs: [String: Int] = [:]
    for (index, block) in spec.blocks.enumerated() {
      let at = [LayoutPath("blocks"), LayoutPath(index)]
      switch block {
      case .chart(let chart):
        if let problem = OutputName.problem(chart.id) {
          throw fail(problem, at + [LayoutPath("chart"), LayoutPath("id")])
        }
        // Two charts with one id would write the same files.
        if let earlier = chartIDs[chart.id] {
          throw fail("expected an id no other chart has, found “\(chart.id)” again (block \(earlier + 1) has it)", at + [LayoutPath("chart"), LayoutPath("id")])
        }
        chartIDs[chart.id] = index
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
      case .kpis(let figures):
        if let problem = kpiCountProblem(figures.count) {
          // At the `kpis:` key itself (the block's mapping starts there), not at its first figure.
          let mark = root.flatMap { LayoutKeys.mark(of: at, in: $0) }
          throw .invalidLayout(file: file, line: mark?.line, column: mark?.column, message: "block \(index + 1): kpis: \(problem)")
        }
      default: break
      }
    }
  }

  /// Why a `kpis:` row of `count` figures cannot be shown, or nil when it can.
  static func kpiCountProblem(_ count: Int) -> String? {
    LayoutSpec.kpiCount.contains(count)
      ? nil
      : "expected \(LayoutSpec.kpiCount.lowerBound) to \(LayoutSpec.kpiCount.upperBound) figures, found \(count)"
  }

  /// The largest layout file read, in bytes (layouts are settings, not data).
  static let maximumFileBytes = 4 << 20
  /// The most YAML nodes a layout may have once its aliases are expanded.
  static let maximumNodes = 200_000
  /// The most nodes aliases may add: sharing a filter or a style is fine, a "billion laughs"
  /// (aliases of aliases) or thousands of copies of one block are not.
  static let maximumAliasedNodes = 20_000

  /// The layout file's bytes, refusing more than `maximumFileBytes` without reading them all
  /// (`/dev/zero` as a layout ends at the limit, not when memory does).
  static func readLayoutFile(at path: String) throws(BriefingError) -> [UInt8] {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else {
      let reason = errno == ENOENT ? "no such file" : "cannot read the file: \(String(cString: strerror(errno)))"
      throw .invalidLayout(file: path, line: nil, column: nil, message: reason)
    }
    defer { close(descriptor) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
      let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
      if count < 0 {
        if errno == EINTR { continue }
        throw .invalidLayout(file: path, line: nil, column: nil, message: "cannot read the file: \(String(cString: strerror(errno)))")
      }
      if count == 0 { return bytes }
      bytes += chunk[0..<count]
      guard bytes.count <= maximumFileBytes else {
        throw .invalidLayout(
          file: path, line: nil, column: nil,
          message: "expected a layout of at most \(maximumFileBytes >> 20) MiB, found a larger file (data belongs in the files under “data”)")
      }
    }
  }

  /// Checks the composed YAML before anything decodes it: the number of nodes with aliases
  /// expanded (stopping at the first node over a limit, so a "billion laughs" costs nothing), and
  /// that no text holds a control character other than tab and line feed (a NUL would cut a
  /// paragraph short in the PDF without a word).
  static func checkTree(_ root: Node, file: String) throws(BriefingError) {
    struct Place: Hashable { var line: Int, column: Int, kind: Int }
    var written: Set<Place> = []
    var nodes = 0
    var aliased = 0
    func visit(_ node: Node) throws(BriefingError) {
      nodes += 1
      let mark = node.mark
      // Yams copies an alias's anchored node, mark and all: a place seen before is an alias.
      let kind = node.scalar != nil ? 0 : node.mapping != nil ? 1 : 2
      if let mark, !written.insert(Place(line: mark.line, column: mark.column, kind: kind)).inserted {
        aliased += 1
      }
      guard nodes <= maximumNodes, aliased <= maximumAliasedNodes else {
        let what = aliased > maximumAliasedNodes
          ? "its aliases (*name) copy more than \(maximumAliasedNodes) settings; the anchor (&name) of the last copy is here"
          : "it has more than \(maximumNodes) settings"
        throw .invalidLayout(file: file, line: mark?.line, column: mark?.column, message: "expected a layout of reasonable size, but \(what)")
      }
      if let scalar = node.scalar {
        if let problem = controlCharacterProblem(in: scalar.string) {
          throw .invalidLayout(file: file, line: mark?.line, column: mark?.column, message: problem)
        }
      } else if let mapping = node.mapping {
        for (key, value) in mapping {
          try visit(key)
          try visit(value)
        }
      } else if let sequence = node.sequence {
        for item in sequence { try visit(item) }
      }
    }
    try visit(root)
  }

  /// Why `text` is not text a briefing can show: the first control character in it other than tab
  /// and line feed (C0, DEL and C1), with its position; nil when there is none.
  static func controlCharacterProblem(in text: String) -> String? {
    for (index, scalar) in text.unicodeScalars.enumerated() where isControl(scalar) {
      return "expected text without control characters, found \(controlCharacterName(scalar.value)) at character \(index + 1) of “\(excerpt(text, limit: 40))”"
    }
    return nil
  }

  static func isControl(_ scalar: Unicode.Scalar) -> Bool { isControlCharacter(scalar) }

  /// At most `limit` characters of `text` on one line, controls shown as “�”, for quoting in a
  /// message.
  static func excerpt(_ text: String, limit: Int = 200) -> String {
    let shown = String(String.UnicodeScalarView(text.unicodeScalars.prefix(limit + 1).map { $0 == "\n" || $0 == "\t" ? " " : isControl($0) ? "\u{FFFD}" : $0 }))
    return shown.count > limit ? shown.prefix(limit) + "…" : shown
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
