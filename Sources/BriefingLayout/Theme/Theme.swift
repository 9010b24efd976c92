/// The role a run of text plays, by which the theme picks its style.
public enum TextRole: String, Hashable, Sendable, Codable, CaseIterable {
  case title
  case subtitle
  case heading1
  case heading2
  case body
  case note
  case tableHeader
  case tableCell
  case tableNumber
  case tableTotal
  case chartTitle
  case axisLabel
  case tickLabel
  case valueLabel
  case pageHeader
  case pageFooter
  /// The label above a key figure (`KPIBlock`).
  case kpiLabel
  /// A key figure itself: bold, about twice the body size.
  case kpiValue
  /// The unit beside (or under) a key figure.
  case kpiUnit
  /// The change line under a key figure ("+12.5% vs 2024").
  case kpiChange
  /// A footnote at the foot of a page, under a short rule (its marker is set as a superscript).
  case footnote
}

/// Fonts, sizes, colours, rules and spacing: every visual choice that is not data.
///
/// The default looks like a statistical bulletin: one sans family, a restrained palette with a single
/// accent colour, thin rules, and generous white space.
public struct Theme: Hashable, Sendable, Codable {
  /// The family of headings, tables and charts.
  public var sansFamily: String
  /// The family of running text.
  public var serifFamily: String
  /// The base body size in points; other sizes are set relative to it.
  public var bodySize: Double

  public var ink: Color
  public var mutedInk: Color
  public var accent: Color
  public var barFill: Color
  /// The colours of a chart's series, in order; the first is the colour of a chart of one series.
  public var palette: [Color]
  /// The colour of a series that folds the smallest ones ("Other").
  public var otherFill: Color
  public var highlightFill: Color
  public var ruleColor: Color
  public var gridColor: Color
  public var zebraFill: Color
  /// The colour of an increase in a table's change column (a muted green); the triangle's direction,
  /// not its colour, carries the meaning.
  public var increaseColor: Color
  /// The colour of a decrease in a table's change column (a muted red).
  public var decreaseColor: Color

  /// Thick rules (table top and bottom), in points.
  public var heavyRule: Double
  /// Thin rules (under the table header, axis lines), in points.
  public var lightRule: Double

  /// Vertical space between blocks, in points.
  public var blockSpacing: Double
  /// Padding inside table cells, left and right, in points.
  public var cellPaddingX: Double
  /// Padding inside table cells, above and below, in points.
  public var cellPaddingY: Double
  /// The indentation of a table row's first cell per level, in points.
  public var indentStep: Double
  /// The thin rule above a table's subtotal rows, in points.
  public var subtotalRule: Double
  /// Extra space above a table's group header rows, in points.
  public var groupHeaderSpace: Double
  /// The width of the triangle before a figure in a change column, in points.
  public var changeMarkerSize: Double
  /// The width of a table's inline bar column, in points.
  public var inlineBarWidth: Double
  /// The height of an inline bar as a fraction of the table's text line.
  public var inlineBarHeight: Double

  public init(
    sansFamily: String = "PT Sans", serifFamily: String = "PT Serif", bodySize: Double = 9.5,
    ink: Color = Color(hex: 0x1A1A1A), mutedInk: Color = Color(hex: 0x5B6167),
    accent: Color = Color(hex: 0x1F4E79), barFill: Color = Color(hex: 0x2F6D9E),
    highlightFill: Color = Color(hex: 0xC8553D), ruleColor: Color = Color(hex: 0x1A1A1A),
    gridColor: Color = Color(hex: 0xD9DDE1), zebraFill: Color = Color(hex: 0xF3F5F7),
    heavyRule: Double = 0.9, lightRule: Double = 0.45, blockSpacing: Double = 12,
    cellPaddingX: Double = 5, cellPaddingY: Double = 3,
    increaseColor: Color = Color(hex: 0x3C7D4F), decreaseColor: Color = Color(hex: 0xB0463C),
    indentStep: Double = 10, subtotalRule: Double = 0.3, groupHeaderSpace: Double = 3,
    changeMarkerSize: Double = 4.5, inlineBarWidth: Double = 60, inlineBarHeight: Double = 0.6,
    palette: [Color]? = nil, otherFill: Color = Palette.categorical.other
  ) {
    self.sansFamily = sansFamily
    self.serifFamily = serifFamily
    self.bodySize = bodySize
    self.ink = ink
    self.mutedInk = mutedInk
    self.accent = accent
    self.barFill = barFill
    // A theme's own bar colour leads its series colours.
    self.palette = palette ?? [barFill] + Palette.categorical.colors.dropFirst()
    self.otherFill = otherFill
    self.highlightFill = highlightFill
    self.ruleColor = ruleColor
    self.gridColor = gridColor
    self.zebraFill = zebraFill
    self.heavyRule = heavyRule
    self.lightRule = lightRule
    self.blockSpacing = blockSpacing
    self.cellPaddingX = cellPaddingX
    self.cellPaddingY = cellPaddingY
    self.increaseColor = increaseColor
    self.decreaseColor = decreaseColor
    self.indentStep = indentStep
    self.subtotalRule = subtotalRule
    self.groupHeaderSpace = groupHeaderSpace
    self.changeMarkerSize = changeMarkerSize
    self.inlineBarWidth = inlineBarWidth
    self.inlineBarHeight = inlineBarHeight
  }

  /// The default bulletin theme.
  public static let bulletin = Theme()

  /// The font families this theme draws with, for checking that they are installed.
  public var families: [String] { sansFamily == serifFamily ? [sansFamily] : [sansFamily, serifFamily] }

  /// Returns the text style for a role.
  public func style(_ role: TextRole) -> TextStyle {
    let b = bodySize
    switch role {
    case .title:
      return TextStyle(family: sansFamily, size: b * 2.1, weight: .bold, color: ink, lineSpacing: 1.1)
    case .subtitle:
      return TextStyle(family: sansFamily, size: b * 1.3, color: mutedInk, lineSpacing: 1.15)
    case .heading1:
      return TextStyle(family: sansFamily, size: b * 1.4, weight: .bold, color: accent, lineSpacing: 1.15)
    case .heading2:
      return TextStyle(family: sansFamily, size: b * 1.1, weight: .bold, color: ink, lineSpacing: 1.15)
    case .body:
      return TextStyle(family: serifFamily, size: b, color: ink, lineSpacing: 1.4)
    case .note:
      return TextStyle(family: sansFamily, size: b * 0.8, color: mutedInk, lineSpacing: 1.3)
    case .tableHeader:
      return TextStyle(family: sansFamily, size: b * 0.9, weight: .bold, color: ink, lineSpacing: 1.15)
    case .tableCell:
      return TextStyle(family: sansFamily, size: b * 0.9, color: ink, lineSpacing: 1.15)
    case .tableNumber:
      return TextStyle(
        family: sansFamily, size: b * 0.9, color: ink, alignment: .trailing, overflow: .ellipsize,
        tabularFigures: true)
    case .tableTotal:
      return TextStyle(
        family: sansFamily, size: b * 0.9, weight: .bold, color: ink, overflow: .ellipsize,
        tabularFigures: true)
    case .chartTitle:
      return TextStyle(family: sansFamily, size: b * 1.05, weight: .bold, color: ink, lineSpacing: 1.15)
    case .axisLabel:
      return TextStyle(family: sansFamily, size: b * 0.85, color: mutedInk)
    case .tickLabel:
      return TextStyle(family: sansFamily, size: b * 0.8, color: mutedInk, tabularFigures: true)
    case .valueLabel:
      return TextStyle(family: sansFamily, size: b * 0.8, color: ink, tabularFigures: true)
    case .pageHeader:
      return TextStyle(family: sansFamily, size: b * 0.75, color: mutedInk, overflow: .ellipsize)
    case .pageFooter:
      return TextStyle(family: sansFamily, size: b * 0.75, color: mutedInk, overflow: .ellipsize)
    case .kpiLabel:
      return TextStyle(family: sansFamily, size: b * 0.9, color: ink, lineSpacing: 1.15)
    case .kpiValue:
      return TextStyle(family: sansFamily, size: b * 2.2, weight: .bold, color: accent, tabularFigures: true)
    case .kpiUnit:
      return TextStyle(family: sansFamily, size: b * 0.9, color: mutedInk, lineSpacing: 1.15)
    case .kpiChange:
      return TextStyle(family: sansFamily, size: b * 0.85, color: mutedInk, lineSpacing: 1.15, tabularFigures: true)
    case .footnote:
      return TextStyle(family: sansFamily, size: b * 0.8, color: ink, lineSpacing: 1.2)
    }
  }
}
