/// One page of a laid-out document.
public struct Page: Hashable, Sendable, Codable {
  /// The page's frame: its size is the paper size.
  public var frame: Frame

  public init(frame: Frame) {
    self.frame = frame
  }

  public var size: Size { frame.size }
}

/// An entry of the PDF outline (bookmarks).
public struct OutlineEntry: Hashable, Sendable, Codable {
  public var title: String
  /// The anchor the entry points at.
  public var destination: String
  /// 1 for top-level entries; deeper levels nest under the previous shallower entry.
  public var level: Int
  /// The zero-based page the destination is on.
  public var pageIndex: Int

  public init(title: String, destination: String, level: Int, pageIndex: Int) {
    self.title = title
    self.destination = destination
    self.level = level
    self.pageIndex = pageIndex
  }
}

/// Descriptive metadata written into the output file.
public struct DocumentMetadata: Hashable, Sendable, Codable {
  public var title: String
  public var author: String
  public var subject: String
  public var keywords: [String]
  public var creator: String
  /// The creation date as ISO 8601 (`2025-01-15T10:00:00Z`); nil writes no date.
  public var creationDate: String?

  public init(
    title: String, author: String = "", subject: String = "", keywords: [String] = [],
    creator: String = "", creationDate: String? = nil
  ) {
    self.title = title
    self.author = author
    self.subject = subject
    self.keywords = keywords
    self.creator = creator
    self.creationDate = creationDate
  }
}

/// A whole laid-out document: pages of frames plus what the backends write beside them.
public struct LaidOutDocument: Hashable, Sendable, Codable {
  public var pages: [Page]
  public var outline: [OutlineEntry]
  public var metadata: DocumentMetadata
  /// How full each page is and what ended it, one per page (empty when the document was not
  /// paginated by `Paginator`).
  public var pageSummaries: [PageSummary]

  public init(pages: [Page], outline: [OutlineEntry] = [], metadata: DocumentMetadata, pageSummaries: [PageSummary] = []) {
    self.pages = pages
    self.outline = outline
    self.metadata = metadata
    self.pageSummaries = pageSummaries
  }
}

/// What ended a page.
public enum PageEnding: String, Hashable, Sendable, Codable {
  /// The next block (or piece of one) did not fit.
  case flow
  /// A page break of the layout.
  case pageBreak
  /// The next block goes on pages turned the other way (a landscape table).
  case orientation
  /// The end of the document.
  case end
}

/// How much of a page's content area its blocks and footnotes take, in points.
public struct PageSummary: Hashable, Sendable, Codable {
  /// The height of the content area (the sheet less its margins).
  public var contentHeight: Double
  /// The height the blocks take from the top of the content area.
  public var bodyHeight: Double
  /// The height of the footnotes at the foot of the content area, their rule and the space
  /// above it; 0 without footnotes.
  public var footnoteHeight: Double
  /// The markers of the footnotes at the foot, in order.
  public var footnoteMarkers: [String]
  public var ending: PageEnding

  public init(contentHeight: Double, bodyHeight: Double, footnoteHeight: Double, footnoteMarkers: [String], ending: PageEnding) {
    self.contentHeight = contentHeight
    self.bodyHeight = bodyHeight
    self.footnoteHeight = footnoteHeight
    self.footnoteMarkers = footnoteMarkers
    self.ending = ending
  }

  /// The part of the content area in use, from 0 to 1.
  public var fill: Double { contentHeight > 0 ? (bodyHeight + footnoteHeight) / contentHeight : 1 }
}

/// Something that draws pages of frames: a PDF document, an SVG or PNG image, a test recorder.
public protocol FrameRenderer: ~Copyable {
  associatedtype Failure: Error
  /// Draws one page.
  mutating func render(page: Page) throws(Failure)
}
