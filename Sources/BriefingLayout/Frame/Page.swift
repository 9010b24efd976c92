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

  public init(pages: [Page], outline: [OutlineEntry] = [], metadata: DocumentMetadata) {
    self.pages = pages
    self.outline = outline
    self.metadata = metadata
  }
}

/// Something that draws pages of frames: a PDF document, an SVG or PNG image, a test recorder.
public protocol FrameRenderer: ~Copyable {
  associatedtype Failure: Error
  /// Draws one page.
  mutating func render(page: Page) throws(Failure)
}
