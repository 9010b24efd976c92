/// A row of key figures ("KPI tiles"): tiles of equal width across the text width, each with a
/// label, a big figure, its unit, an optional footnote marker and an optional change line
/// ("▲ +12.5% vs 2024").
///
/// The tiles hold text already formatted in the report's language: the block never formats a
/// number. Every tile takes the height of the tallest, and the parts of the tiles line up across
/// the row (labels, figures, change lines). All figures of a row share one size: the body size
/// × 2.2, stepped down until the widest figure fits its tile, never below the body size (a figure
/// that still does not fit then wraps; nothing is clipped). A label longer than three lines ends
/// with "…" on the third. The block never splits across pages.
public struct KPIBlock: Block {
  /// One key figure, as it is shown.
  public struct KPITile: Hashable, Sendable {
    /// Which way the figure moved against the compared period.
    public enum Direction: String, Hashable, Sendable, Codable {
      /// An increase: a triangle pointing up, in the theme's increase colour.
      case increase
      /// A decrease: a triangle pointing down, in the theme's decrease colour.
      case decrease
      /// Unchanged, or not comparable: no triangle, muted text.
      case neutral
    }

    /// What the figure is ("Students trained").
    public var label: String
    /// The figure, formatted and qualified ("42.2", "over 1,600").
    public var figure: String
    /// The unit the figure is in ("RUB bn", "persons"); empty for none.
    public var unit: String
    /// A marker printed small after the figure, pointing at a note ("1", "*").
    public var footnote: String?
    /// The change, formatted with its sign ("+12.5%", "−3", "—"); nil shows no change line.
    public var change: String?
    /// The direction of `change`, which sets its triangle and colour.
    public var direction: Direction
    /// What the change is against ("vs 2024"), printed after it in muted text.
    public var comparison: String?
    /// The footnotes of the figure, set at the foot of the page the row lands on; without a
    /// `footnote` of its own the tile shows their markers ("1", "1,2").
    public var notes: [Footnote]

    /// Creates a tile from already formatted text.
    public init(
      label: String, figure: String, unit: String = "", footnote: String? = nil, change: String? = nil,
      direction: Direction = .neutral, comparison: String? = nil, notes: [Footnote] = []
    ) {
      self.label = label
      self.figure = figure
      self.unit = unit
      self.footnote = footnote ?? (notes.isEmpty ? nil : notes.map(\.marker).joined(separator: ","))
      self.change = change
      self.direction = direction
      self.comparison = comparison
      self.notes = notes
    }
  }

  /// The tiles, left to right.
  public var tiles: [KPITile]
  public var theme: Theme

  public var footnotes: [Footnote] { tiles.flatMap(\.notes).uniqued() }
  /// A row of key figures is a figure: it may wait for the next page while text fills this one.
  public var isFloat: Bool { true }

  /// The most lines a label takes; a longer one ends with "…" on the last.
  public static let maximumLabelLines = 3

  /// The colour behind every text of a tile (for the colour check).
  public var panelFill: Color { theme.zebraFill }

  /// Creates a row of `tiles`, left to right.
  public init(tiles: [KPITile], theme: Theme = .bulletin) {
    self.tiles = tiles
    self.theme = theme
  }

  // MARK: - Geometry

  /// The space between two tiles, in points.
  static let tileGap = 10.0
  /// The accent rule along a tile's top edge, in points.
  static let ruleHeight = 2.0
  static let paddingX = 8.0
  static let paddingTop = 7.0
  static let paddingBottom = 8.0
  /// The space between the label and the figure, and between the figure and the change line.
  static let sectionGap = 4.0
  /// How much the figure's size steps down at a time, as a fraction of the body size.
  static let sizeStep = 0.1

  public func height(width: Double, measuring: any TextMeasuring) -> Double {
    arrangement(width: width, measuring: measuring).height
  }

  public func layout(width: Double, measuring: any TextMeasuring) -> Frame {
    let plan = arrangement(width: width, measuring: measuring)
    var frame = Frame(size: Size(width: width, height: plan.height))
    for (index, tile) in plan.tiles.enumerated() {
      let x = Double(index) * (plan.tileWidth + Self.tileGap)
      frame.place(layout(tile, source: tiles[index], plan: plan), at: Point(x: x, y: 0))
    }
    return frame
  }

  /// Where everything of every tile goes, for one width.
  struct Arrangement {
    var tileWidth: Double
    /// The width inside a tile's padding.
    var inner: Double
    var figureStyle: TextStyle
    var footnoteStyle: TextStyle
    var tiles: [TilePlan]
    /// The top of each section, common to every tile so that the parts line up across the row.
    var labelTop: Double
    var figureTop: Double
    var unitTop: Double
    var changeTop: Double
    var height: Double
  }

  /// One tile's measured pieces, with positions relative to their section's top.
  struct TilePlan {
    var label: String
    var labelHeight: Double
    /// The figure as drawn (with breakable spaces when it must wrap).
    var figureText: String
    var figure: Rect
    var footnote: Rect?
    /// The unit's box: beside the figure (relative to the figure section) or under it (relative
    /// to the unit section).
    var unit: Rect?
    var unitBeside: Bool
    var change: Rect?
    var comparison: Rect?
    /// The height of the change section (one or two lines).
    var changeHeight: Double
    var figureHeight: Double
    var unitHeight: Double
    /// The baseline of the change line, from the change section's top.
    var changeBaseline: Double
  }

  func arrangement(width: Double, measuring: any TextMeasuring) -> Arrangement {
    let count = max(tiles.count, 1)
    let tileWidth = max((width - Self.tileGap * Double(count - 1)) / Double(count), 0)
    let inner = max(tileWidth - 2 * Self.paddingX, 1)
    let (figureStyle, footnoteStyle) = figureStyles(inner: inner, measuring: measuring)
    let labelStyle = theme.style(.kpiLabel)
    let unitStyle = theme.style(.kpiUnit)
    let changeStyle = theme.style(.kpiChange)
    // Units go beside their figures only when every one of the row fits there, so that the
    // tiles of a row look alike.
    let unitsBeside = tiles.allSatisfy { tile in
      tile.unit.isEmpty || unitBesideFits(tile, figureStyle: figureStyle, footnoteStyle: footnoteStyle, inner: inner, measuring: measuring)
    }
    var plans: [TilePlan] = []
    for tile in tiles {
      let label = fittedLabel(tile.label, style: labelStyle, width: inner, measuring: measuring)
      let labelHeight = label.isEmpty ? 0 : measuring.measure(label, style: labelStyle, maxWidth: inner).height

      // The figure, its footnote marker just after its top, and the unit beside on its baseline
      // (or under it when the line has no room).
      let footnote = tile.footnote.flatMap { $0.isEmpty ? nil : $0 }
      let footMetrics = footnote.map { measuring.measure($0, style: footnoteStyle, maxWidth: nil) }
      let footRoom = footMetrics.map { $0.width + 1 } ?? 0
      let single = measuring.measure(tile.figure, style: figureStyle, maxWidth: nil)
      var figureText = tile.figure
      let figureMetrics: TextMetrics
      let figureBox: Rect
      if single.width + footRoom <= inner + 1e-9 {
        figureMetrics = single
        figureBox = Rect(x: 0, y: 0, width: single.width, height: single.height)
      } else {
        // Too wide even at the body size: it wraps, at a space if it has one (a qualifier goes
        // above its number: its no-break space becomes a plain one), and the marker goes to the
        // right edge. The composer refuses figures whose number alone cannot fit
        // (`overwideFigures`): a number broken between its digits would be misread.
        figureText = Self.breakable(tile.figure)
        let wrapWidth = max(inner - footRoom, 1)
        figureMetrics = measuring.measure(figureText, style: figureStyle, maxWidth: wrapWidth)
        figureBox = Rect(x: 0, y: 0, width: wrapWidth, height: figureMetrics.height)
      }
      var figureHeight = figureBox.height
      var footBox: Rect?
      if let footMetrics {
        let x = min(figureBox.maxX + 1, inner - footMetrics.width)
        // Raised like a superscript: its baseline near the figure's x-height.
        let y = max(0, figureMetrics.baseline - 0.42 * figureStyle.size - footMetrics.baseline)
        footBox = Rect(x: x, y: y, width: footMetrics.width, height: footMetrics.lineHeights.first ?? footMetrics.height)
        figureHeight = max(figureHeight, y + (footBox?.height ?? 0))
      }
      var unitBox: Rect?
      var unitBeside = false
      var unitHeight = 0.0
      if !tile.unit.isEmpty {
        let gap = 0.3 * unitStyle.size
        let lineEnd = max(figureBox.maxX, footBox?.maxX ?? 0)
        let oneLine = measuring.measure(tile.unit, style: unitStyle, maxWidth: nil)
        if unitsBeside, figureMetrics.lineCount == 1, lineEnd + gap + oneLine.width <= inner + 1e-9 {
          unitBeside = true
          let y = max(0, figureMetrics.baseline - oneLine.baseline)
          unitBox = Rect(x: lineEnd + gap, y: y, width: oneLine.width, height: oneLine.lineHeights.first ?? oneLine.height)
          figureHeight = max(figureHeight, y + (unitBox?.height ?? 0))
        } else {
          let wrapped = measuring.measure(tile.unit, style: unitStyle, maxWidth: inner)
          unitBox = Rect(x: 0, y: 0, width: inner, height: wrapped.height)
          unitHeight = wrapped.height
        }
      }

      // The change line: triangle, signed change, then what it is against; the comparison goes
      // to a second line when the first has no room.
      var changeBox: Rect?
      var comparisonBox: Rect?
      var changeHeight = 0.0
      var changeBaseline = 0.0
      if let change = tile.change {
        let marker = tile.direction == .neutral ? 0 : 1.5 * theme.changeMarkerSize
        let room = max(inner - marker, 1)
        let m = measuring.measure(change, style: changeStyle, maxWidth: nil)
        let changeMetrics = m.width <= room + 1e-9 ? m : measuring.measure(change, style: changeStyle, maxWidth: room)
        changeBox = Rect(x: marker, y: 0, width: min(changeMetrics.width, room), height: changeMetrics.height)
        if changeMetrics.lineCount > 1 { changeBox?.size.width = room }
        changeBaseline = changeMetrics.baseline
        changeHeight = changeMetrics.height
        if let comparison = tile.comparison, !comparison.isEmpty {
          let space = 0.3 * changeStyle.size
          let c = measuring.measure(comparison, style: changeStyle, maxWidth: nil)
          if changeMetrics.lineCount == 1, marker + changeMetrics.width + space + c.width <= inner + 1e-9 {
            comparisonBox = Rect(x: marker + changeMetrics.width + space, y: 0, width: c.width, height: c.height)
          } else {
            let wrapped = c.width <= room + 1e-9 ? c : measuring.measure(comparison, style: changeStyle, maxWidth: room)
            let width = wrapped.lineCount > 1 ? room : wrapped.width
            comparisonBox = Rect(x: marker, y: changeHeight, width: width, height: wrapped.height)
            changeHeight += wrapped.height
          }
        }
      }
      plans.append(TilePlan(
        label: label, labelHeight: labelHeight, figureText: figureText, figure: figureBox, footnote: footBox, unit: unitBox, unitBeside: unitBeside,
        change: changeBox, comparison: comparisonBox, changeHeight: changeHeight, figureHeight: figureHeight,
        unitHeight: unitHeight, changeBaseline: changeBaseline))
    }
    let labelHeight = plans.map(\.labelHeight).max() ?? 0
    let figureHeight = plans.map(\.figureHeight).max() ?? 0
    let unitHeight = plans.map(\.unitHeight).max() ?? 0
    let changeHeight = plans.map(\.changeHeight).max() ?? 0
    let labelTop = Self.ruleHeight + Self.paddingTop
    let figureTop = labelTop + labelHeight + (labelHeight > 0 ? Self.sectionGap : 0)
    let unitTop = figureTop + figureHeight
    let changeTop = unitTop + unitHeight + (changeHeight > 0 ? Self.sectionGap : 0)
    let height = tiles.isEmpty ? 0 : changeTop + changeHeight + Self.paddingBottom
    return Arrangement(
      tileWidth: tileWidth, inner: inner, figureStyle: figureStyle, footnoteStyle: footnoteStyle, tiles: plans,
      labelTop: labelTop, figureTop: figureTop, unitTop: unitTop, changeTop: changeTop, height: height)
  }

  /// The figures' style at the largest size, from 2.2 × the body size down to the body size, at
  /// which every figure (with its footnote marker) fits `inner` on one line; and the markers' style.
  func figureStyles(inner: Double, measuring: any TextMeasuring) -> (TextStyle, TextStyle) {
    let base = theme.style(.kpiValue)
    let body = theme.bodySize
    func footnote(_ figure: TextStyle) -> TextStyle {
      figure.with {
        $0.size = max(0.45 * figure.size, 0.75 * body)
        $0.weight = .regular
        $0.tabularFigures = false
      }
    }
    var step = 0.0
    while true {
      // Counted in whole steps, so that the last one lands on the body size exactly.
      let size = max(base.size - step * Self.sizeStep * body, body)
      let figure = base.with { $0.size = size }
      let marker = footnote(figure)
      let fits = tiles.allSatisfy { tile in
        let room = tile.footnote.map { $0.isEmpty ? 0 : measuring.measure($0, style: marker, maxWidth: nil).width + 1 } ?? 0
        return measuring.measure(tile.figure, style: figure, maxWidth: nil).width + room <= inner + 1e-9
      }
      if fits || size <= body { return (figure, marker) }
      step += 1
    }
  }

  /// A figure that cannot be shown whole in its tile.
  public struct OverwideFigure: Hashable, Sendable {
    /// The tile's position in the row, from 0.
    public var tile: Int
    /// The width of the figure's widest unbreakable part (a number with its digit groups) at the
    /// body size, in points.
    public var needed: Double
    /// The width a tile has for it, in points.
    public var available: Double
  }

  /// The figures that would have to break inside a number at `width`: a part of them between
  /// spaces is wider than their tile even at the body size. Empty when every figure can be shown.
  public func overwideFigures(width: Double, measuring: any TextMeasuring) -> [OverwideFigure] {
    let plan = arrangement(width: width, measuring: measuring)
    var found: [OverwideFigure] = []
    for (index, tile) in tiles.enumerated() {
      let footRoom = tile.footnote.map { $0.isEmpty ? 0 : measuring.measure($0, style: plan.footnoteStyle, maxWidth: nil).width + 1 } ?? 0
      let parts = Self.breakable(tile.figure).split(separator: " ").map(String.init)
      let needed = parts.map { measuring.measure($0, style: plan.figureStyle, maxWidth: nil).width }.max() ?? 0
      let available = plan.inner - footRoom
      if needed > available + 1e-9 { found.append(OverwideFigure(tile: index, needed: needed, available: available)) }
    }
    return found
  }

  /// `figure` with its no-break spaces (between a qualifier and its number) made plain spaces;
  /// the narrow no-break spaces between digit groups stay.
  static func breakable(_ figure: String) -> String {
    String(figure.map { $0 == "\u{00A0}" ? " " : $0 })
  }

  /// Whether `tile`'s unit fits beside its figure (and footnote marker) on one line.
  func unitBesideFits(
    _ tile: KPITile, figureStyle: TextStyle, footnoteStyle: TextStyle, inner: Double, measuring: any TextMeasuring
  ) -> Bool {
    let unitStyle = theme.style(.kpiUnit)
    let footRoom = tile.footnote.map { $0.isEmpty ? 0 : measuring.measure($0, style: footnoteStyle, maxWidth: nil).width + 1 } ?? 0
    let figure = measuring.measure(tile.figure, style: figureStyle, maxWidth: nil).width
    let unit = measuring.measure(tile.unit, style: unitStyle, maxWidth: nil).width
    return figure + footRoom + 0.3 * unitStyle.size + unit <= inner + 1e-9
  }

  /// `text` cut to `maximumLabelLines` lines at `width`, ending with "…" when it was longer.
  func fittedLabel(_ text: String, style: TextStyle, width: Double, measuring: any TextMeasuring) -> String {
    let lines = Self.maximumLabelLines
    let m = measuring.measure(text, style: style, maxWidth: width)
    guard m.lineCount > lines else { return text }
    var kept = String(decoding: Array(text.utf8)[..<m.lineStarts[lines]], as: UTF8.self).trimmingTrailingWhitespace()
    while true {
      let candidate = kept + "…"
      if kept.isEmpty || measuring.measure(candidate, style: style, maxWidth: width).lineCount <= lines { return candidate }
      // Drop the last word (or, in a word with no space, the last character) and try again.
      if let space = kept.lastIndex(where: \.isWhitespace) {
        kept = String(kept[..<space]).trimmingTrailingWhitespace()
      } else {
        kept.removeLast()
      }
    }
  }

  /// One tile's frame, `plan.height` tall.
  private func layout(_ tile: TilePlan, source: KPITile, plan: Arrangement) -> Frame {
    var frame = Frame(size: Size(width: plan.tileWidth, height: plan.height))
    frame.append(.rect(Rect(x: 0, y: 0, width: plan.tileWidth, height: plan.height), .filled(panelFill)))
    frame.append(.rect(Rect(x: 0, y: 0, width: plan.tileWidth, height: Self.ruleHeight), .filled(theme.accent)))
    let x = Self.paddingX
    func place(_ box: Rect, top: Double) -> Rect { box.offsetBy(dx: x, dy: top) }
    if !tile.label.isEmpty {
      frame.append(.text(TextRun(
        text: tile.label, style: theme.style(.kpiLabel),
        frame: Rect(x: x, y: plan.labelTop, width: plan.inner, height: tile.labelHeight))))
    }
    frame.append(.text(TextRun(text: tile.figureText, style: plan.figureStyle, frame: place(tile.figure, top: plan.figureTop))))
    if let box = tile.footnote, let footnote = source.footnote {
      frame.append(.text(TextRun(text: footnote, style: plan.footnoteStyle, frame: place(box, top: plan.figureTop))))
    }
    if let box = tile.unit {
      frame.append(.text(TextRun(
        text: source.unit, style: theme.style(.kpiUnit), frame: place(box, top: tile.unitBeside ? plan.figureTop : plan.unitTop))))
    }
    if let box = tile.change, let change = source.change {
      let changeStyle = theme.style(.kpiChange)
      let colour: Color? =
        switch source.direction {
        case .increase: theme.increaseColor
        case .decrease: theme.decreaseColor
        case .neutral: nil
        }
      frame.append(.text(TextRun(
        text: change, style: changeStyle.with { if let colour { $0.color = colour } }, frame: place(box, top: plan.changeTop))))
      if let colour {
        appendTriangle(
          up: source.direction == .increase, colour: colour, centreX: x + theme.changeMarkerSize / 2,
          centreY: plan.changeTop + tile.changeBaseline - 0.36 * changeStyle.size, into: &frame)
      }
      if let box = tile.comparison, let comparison = source.comparison {
        frame.append(.text(TextRun(text: comparison, style: changeStyle, frame: place(box, top: plan.changeTop))))
      }
    }
    return frame
  }

  /// A triangle pointing up (an increase) or down (a decrease), drawn as the tables draw theirs.
  private func appendTriangle(up: Bool, colour: Color, centreX: Double, centreY: Double, into frame: inout Frame) {
    let side = theme.changeMarkerSize
    let half = side * 0.866 / 2
    let tipY = up ? centreY - half : centreY + half
    let baseY = up ? centreY + half : centreY - half
    frame.append(.path(
      [Point(x: centreX - side / 2, y: baseY), Point(x: centreX + side / 2, y: baseY), Point(x: centreX, y: tipY)],
      closed: true, .filled(colour)))
  }
}
