/// A column of a table.
public struct TableColumn: Hashable, Sendable {
  public enum Kind: String, Hashable, Sendable {
    /// Left-aligned text that wraps.
    case text
    /// Figures in tabular digits, never wrapped, aligned on the decimal separator (right-aligned when
    /// no cell of the column has a fraction).
    case number
    /// Figures of a change, laid out like `.number`, each preceded by a small triangle pointing up for
    /// an increase and down for a decrease. The sign comes from the row's `values`, never from the
    /// formatted text; the triangle's direction carries the meaning, its colour only reinforces it.
    case change
    /// A small horizontal bar in its own cell, its length proportional to a value in the row's
    /// `values` (at `barSource`, or at this column's own index), on one scale for the whole table.
    /// The cells' text is not drawn.
    case bar
  }

  public var title: String
  /// The unit, shown in the header after a comma ("Funding, RUB mn").
  public var unit: String?
  public var kind: Kind
  /// The decimal separator figures are aligned on: "." for English, "," for Russian. Empty turns
  /// decimal alignment off (plain right alignment).
  public var decimalSeparator: String
  /// For a `.bar` column, the index of the column whose value the bar shows; nil takes the value
  /// stored at the bar column's own index.
  public var barSource: Int?
  /// What a `.text` cell too long for its column does: wrap onto more lines, or end with "…".
  public var overflow: TextOverflow

  public init(
    _ title: String, unit: String? = nil, kind: Kind = .text, decimalSeparator: String = ".",
    barSource: Int? = nil, overflow: TextOverflow = .wrap
  ) {
    self.title = title
    self.unit = unit
    self.kind = kind
    self.decimalSeparator = decimalSeparator
    self.barSource = barSource
    self.overflow = overflow
  }

  /// The header text with the unit.
  public var header: String {
    // A unit is never broken across lines ("млрд / руб.").
    unit.map { "\(title), \($0.replacingOccurrences(of: " ", with: "\u{00A0}"))" } ?? title
  }

  /// Whether the column holds figures aligned on the decimal separator (`.number` and `.change`).
  public var holdsFigures: Bool { kind == .number || kind == .change }
}
