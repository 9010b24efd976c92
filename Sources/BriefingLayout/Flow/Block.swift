/// A piece of a document that knows how much room it needs and, if it can, how to split itself
/// across a page boundary (the flowables of ReportLab's Platypus).
public protocol Block: Sendable {
  /// The height the whole block needs when laid out `width` points wide.
  func height(width: Double, measuring: any TextMeasuring) -> Double

  /// The smallest height of a first piece worth starting on a page (a heading's keep-with-next
  /// check uses it): a table's header and first row, a paragraph's first two lines.
  func minimumHeadHeight(width: Double, measuring: any TextMeasuring) -> Double

  /// Splits the block into a head that fits in `height` and the rest; nil when no useful split
  /// exists (the block then moves to the next page whole).
  func split(width: Double, height: Double, measuring: any TextMeasuring) -> BlockSplit?

  /// Lays the block out `width` points wide; the frame's height equals `height(width:measuring:)`.
  func layout(width: Double, measuring: any TextMeasuring) -> Frame

  /// Whether the block must share a page with the block after it (headings).
  var keepsWithNext: Bool { get }

  /// The outline entry the block adds, if any; its anchor must be in the block's frame.
  var outlineEntry: BlockOutline? { get }

  /// Whether the paginator must start a new page here (unless the page is still empty).
  var startsNewPage: Bool { get }

  /// The orientation of the pages the block must go on; nil takes whatever the document's pages are.
  ///
  /// A block asking for another orientation than the current page's starts a new page turned that
  /// way (a table too wide for a portrait page goes on landscape pages), and the block after it
  /// returns to the document's orientation on a new page. The pieces of a split must keep it.
  var orientation: PageOrientation? { get }

  /// The footnotes whose markers the block shows, in order; the paginator sets them at the foot
  /// of the page the block lands on. A split piece carries only those of its own markers.
  var footnotes: [Footnote] { get }

  /// Whether the block is a figure (a chart, a row of key figures) that may wait for the next
  /// page when it does not fit the room left, while the text after it fills that room (a float).
  var isFloat: Bool { get }

  /// Whether the block is running text that may move up past a figure waiting for the next page
  /// (paragraphs and notes; never a heading, which starts another section).
  var movesAheadOfFigures: Bool { get }

  /// A split for a page that would otherwise be left less than half full: it may give up a rule of
  /// taste (a group of rows kept together) but never one of sense (a lone row or line); nil when
  /// even that is impossible.
  func forcedSplit(width: Double, height: Double, measuring: any TextMeasuring) -> BlockSplit?
}

extension Block {
  public func minimumHeadHeight(width: Double, measuring: any TextMeasuring) -> Double {
    height(width: width, measuring: measuring)
  }
  public func split(width: Double, height: Double, measuring: any TextMeasuring) -> BlockSplit? { nil }
  public var keepsWithNext: Bool { false }
  public var outlineEntry: BlockOutline? { nil }
  public var startsNewPage: Bool { false }
  public var orientation: PageOrientation? { nil }
  public var footnotes: [Footnote] { [] }
  public var isFloat: Bool { false }
  public var movesAheadOfFigures: Bool { false }
  public func forcedSplit(width: Double, height: Double, measuring: any TextMeasuring) -> BlockSplit? {
    split(width: width, height: height, measuring: measuring)
  }
}

/// A block whose content depends on where the document's headings land, such as a contents list.
///
/// The paginator lays the document out twice: first with provisional entries (every heading, page
/// numbers not yet known), then with the outline the first pass produced. A conforming block must
/// take the same height in both passes for the same entries.
public protocol PageReferencing: Block {
  /// This block showing `outline`; `final` is false in the first pass.
  func resolving(_ outline: [OutlineEntry], final: Bool) -> any Block
}

/// Moves what follows to the next page.
public struct PageBreak: Block {
  public init() {}
  public func height(width: Double, measuring: any TextMeasuring) -> Double { 0 }
  public func layout(width: Double, measuring: any TextMeasuring) -> Frame { Frame(size: Size(width: width, height: 0)) }
  public var startsNewPage: Bool { true }
}

/// The two pieces of a split block.
public struct BlockSplit: Sendable {
  public var head: any Block
  public var tail: any Block

  public init(head: any Block, tail: any Block) {
    self.head = head
    self.tail = tail
  }
}

/// What a block contributes to the document outline.
public struct BlockOutline: Hashable, Sendable {
  public var title: String
  public var level: Int
  public var anchor: String

  public init(title: String, level: Int, anchor: String) {
    self.title = title
    self.level = level
    self.anchor = anchor
  }
}
