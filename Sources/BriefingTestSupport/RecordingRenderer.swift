public import BriefingLayout

/// A renderer that draws nothing and keeps every page, with every item's absolute position.
public struct RecordingRenderer: FrameRenderer {
  public private(set) var pages: [Page] = []

  public init() {}

  public mutating func render(page: Page) throws(Never) {
    pages.append(page)
  }
}

/// An item with its position on the page.
public struct PlacedItem: Sendable {
  public var item: FrameItem
  /// The item's bounds on the page.
  public var bounds: Rect
}

extension Page {
  /// Every leaf item (text, rect, line, path) with absolute bounds, groups flattened.
  public func placedItems() -> [PlacedItem] {
    var result: [PlacedItem] = []
    func walk(_ frame: Frame, _ origin: Point) {
      for item in frame.items {
        switch item {
        case .text(let run):
          result.append(PlacedItem(item: item, bounds: run.frame.offsetBy(dx: origin.x, dy: origin.y)))
        case .rect(let rect, _):
          result.append(PlacedItem(item: item, bounds: rect.offsetBy(dx: origin.x, dy: origin.y)))
        case .line(let from, let to, _):
          let r = Rect(x: min(from.x, to.x), y: min(from.y, to.y), width: abs(to.x - from.x), height: abs(to.y - from.y))
          result.append(PlacedItem(item: item, bounds: r.offsetBy(dx: origin.x, dy: origin.y)))
        case .path(let points, _, _):
          guard let first = points.first else { continue }
          var r = Rect(origin: first, size: .zero)
          for p in points { r = r.union(Rect(origin: p, size: .zero)) }
          result.append(PlacedItem(item: item, bounds: r.offsetBy(dx: origin.x, dy: origin.y)))
        case .group(let offset, let child):
          walk(child, Point(x: origin.x + offset.x, y: origin.y + offset.y))
        case .link(let rect, _):
          result.append(PlacedItem(item: item, bounds: rect.offsetBy(dx: origin.x, dy: origin.y)))
        case .anchor(_, let at):
          result.append(PlacedItem(item: item, bounds: Rect(origin: at.offsetBy(dx: origin.x, dy: origin.y), size: .zero)))
        }
      }
    }
    walk(frame, .zero)
    return result
  }

  /// The text runs with absolute bounds.
  public func textRuns() -> [(run: TextRun, bounds: Rect)] {
    placedItems().compactMap { placed in
      if case .text(let run) = placed.item { return (run, placed.bounds) }
      return nil
    }
  }
}

/// Geometry checks shared by layout tests; each returns a list of readable problems (empty = fine).
public enum GeometryCheck {
  /// Text boxes that leave `area`.
  public static func textOutside(_ area: Rect, on page: Page) -> [String] {
    page.textRuns().filter { !area.contains($0.bounds) }.map { "“\($0.run.text)” at \($0.bounds) leaves \(area)" }
  }

  /// Pairs of text boxes that overlap.
  public static func overlappingText(on page: Page) -> [String] {
    let runs = page.textRuns()
    var problems: [String] = []
    for i in runs.indices {
      for j in runs.indices where j > i && runs[i].bounds.overlaps(runs[j].bounds) {
        problems.append("“\(runs[i].run.text)” \(runs[i].bounds) overlaps “\(runs[j].run.text)” \(runs[j].bounds)")
      }
    }
    return problems
  }

  /// Text whose measured width (by `measuring`) is wider than its box, for text that must not be cut.
  public static func overflowingText(on page: Page, measuring: any TextMeasuring) -> [String] {
    page.textRuns().compactMap { run, bounds in
      guard run.style.overflow == .wrap else { return nil }
      // Upward text runs along the box's height.
      let (long, short) = run.readsUpward ? (bounds.height, bounds.width) : (bounds.width, bounds.height)
      let m = measuring.measure(run.text, style: run.style, maxWidth: long, superscripts: run.superscripts)
      return m.width > long + 0.01 || m.height > short + 0.01
        ? "“\(run.text)” needs \(m.width)×\(m.height) in \(long)×\(short)" : nil
    }
  }
}

extension LaidOutDocument {
  /// The outline entries whose anchor is not on the page the entry names; empty when every entry
  /// points where its heading landed.
  public func misplacedOutlineEntries() -> [OutlineEntry] {
    outline.filter { entry in
      guard pages.indices.contains(entry.pageIndex) else { return true }
      return !pages[entry.pageIndex].placedItems().contains { placed in
        if case .anchor(let name, _) = placed.item { return name == entry.destination }
        return false
      }
    }
  }
}
