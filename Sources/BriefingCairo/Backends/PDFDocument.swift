public import BriefingLayout
internal import CCairo

/// A PDF being written: pages go in one at a time, `finish` returns the file's bytes.
///
/// Non-copyable, so nothing can draw after `finish`; the cairo surface and context are released
/// when the document goes away, finished or not.
public struct PDFDocument: FrameRenderer, ~Copyable {
  private let canvas: CanvasHandle
  private let resources: FrameDrawer.Resources
  private let measurer: PangoTextMeasurer
  private let creationDate: String?
  private var pageCount = 0

  /// Starts a PDF whose first page is `pageSize`, with the document's metadata.
  public init(pageSize: Size, metadata: DocumentMetadata, measurer: PangoTextMeasurer) throws(CairoError) {
    let sink = ByteSink()
    guard
      let surface = cairo_pdf_surface_create_for_stream(
        writeToSink, Unmanaged.passUnretained(sink).toOpaque(), pageSize.width, pageSize.height)
    else { throw .failed(operation: "cairo_pdf_surface_create_for_stream", status: "no surface") }
    let canvas = try CanvasHandle(surface: surface, sink: sink, operation: "cairo_pdf_surface_create_for_stream")
    self.resources = try FrameDrawer.makeResources(cairo: canvas.context, measurer: measurer)
    self.canvas = canvas
    self.measurer = measurer
    self.creationDate = metadata.creationDate
    cairo_pdf_surface_restrict_to_version(surface, CAIRO_PDF_VERSION_1_5)
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, PangoTextMeasurer.neutralized(metadata.title))
    if !metadata.author.isEmpty { cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_AUTHOR, PangoTextMeasurer.neutralized(metadata.author)) }
    if !metadata.subject.isEmpty { cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_SUBJECT, PangoTextMeasurer.neutralized(metadata.subject)) }
    if !metadata.keywords.isEmpty {
      cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_KEYWORDS, PangoTextMeasurer.neutralized(metadata.keywords.joined(separator: ", ")))
    }
    if !metadata.creator.isEmpty { cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, PangoTextMeasurer.neutralized(metadata.creator)) }
    // An empty date is unparsable to cairo, which then writes no /CreationDate at all (never "now").
    // Given with an explicit +00:00 offset, cairo writes a date long enough to patch in place (see PDFDateFix).
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE, metadata.creationDate.flatMap(PDFDateFix.utcWithOffset) ?? "")
  }

  public mutating func render(page: Page) throws(CairoError) {
    cairo_pdf_surface_set_size(canvas.surface, page.size.width, page.size.height)
    FrameDrawer(cairo: canvas.context, measurer: measurer, resources: resources, supportsTags: true).draw(page.frame)
    cairo_show_page(canvas.context)
    try check(cairo_status(canvas.context), "drawing page \(pageCount + 1)")
    pageCount += 1
  }

  /// Adds the outline (bookmarks); entries nest by level under the previous shallower entry.
  public mutating func addOutline(_ entries: [OutlineEntry]) {
    var parents: [(level: Int, id: Int32)] = []
    for entry in entries {
      while let last = parents.last, last.level >= entry.level { parents.removeLast() }
      let parent = parents.last?.id ?? Int32(CAIRO_PDF_OUTLINE_ROOT)
      let flags = entry.level == 1 ? CAIRO_PDF_OUTLINE_FLAG_OPEN : cairo_pdf_outline_flags_t(0)
      let id = cairo_pdf_surface_add_outline(
        canvas.surface, parent, PangoTextMeasurer.neutralized(entry.title), "dest='\(FrameDrawer.escape(entry.destination))'", flags)
      parents.append((entry.level, id))
    }
  }

  /// Writes the trailer and returns the whole file.
  public consuming func finish() throws(CairoError) -> [UInt8] {
    var bytes = try canvas.finish()
    if let creationDate { PDFDateFix.addPrefix(to: &bytes, for: creationDate) }
    return bytes
  }
}

/// cairo 1.16 writes a pinned creation date without the `D:` prefix the PDF specification requires.
enum PDFDateFix {
  /// Rewrites `/CreationDate (YYYYMMDDHHmmSS±HH'mm')` as `/CreationDate (D:YYYYMMDDHHmmSSZ)` padded to
  /// the same length, so every cross-reference offset stays valid.
  static func addPrefix(to bytes: inout [UInt8], for isoDate: String) {
    let key = Array("/CreationDate (".utf8)
    guard let start = firstEnd(of: key, in: bytes),
      let close = bytes[start...].firstIndex(of: UInt8(ascii: ")"))
    else { return }
    let old = bytes[start..<close]
    guard old.first != UInt8(ascii: "D"), let utc = utcDigits(isoDate) else { return }
    var replacement = Array("D:\(utc)Z".utf8)
    guard replacement.count <= old.count else { return }
    // Pad inside the string with nothing visible: move the ")" left and fill with spaces after it.
    replacement.append(UInt8(ascii: ")"))
    while replacement.count < old.count + 1 { replacement.append(UInt8(ascii: " ")) }
    bytes.replaceSubrange(start...close, with: replacement)
  }

  /// The index just past the first occurrence of `key` in `bytes`: memchr to each candidate first
  /// byte (the generic `firstRange(of:)` took 6 % of a whole build on a 100 KB PDF).
  static func firstEnd(of key: [UInt8], in bytes: [UInt8]) -> Int? {
    guard let first = key.first else { return nil }
    return bytes.withUnsafeBufferPointer { buffer -> Int? in
      guard let base = buffer.baseAddress else { return nil }
      var offset = 0
      while offset + key.count <= buffer.count {
        guard let found = memchr(base + offset, Int32(first), buffer.count - offset - key.count + 1) else { return nil }
        let index = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
        if memcmp(base + index, key, key.count) == 0 { return index + key.count }
        offset = index + 1
      }
      return nil
    }
  }

  /// `2025-01-15T10:00:00+03:00` → `2025-01-15T07:00:00+00:00`; nil when the text is not such a date.
  static func utcWithOffset(_ iso: String) -> String? {
    guard let d = utcDigits(iso) else { return nil }
    let c = Array(d)
    return "\(String(c[0..<4]))-\(String(c[4..<6]))-\(String(c[6..<8]))T\(String(c[8..<10])):\(String(c[10..<12])):\(String(c[12..<14]))+00:00"
  }

  /// `2025-01-15T10:00:00+03:00` → `20250115070000` (UTC); nil when the text is not such a date.
  static func utcDigits(_ iso: String) -> String? {
    let digits = iso.unicodeScalars
    let chars = Array(digits)
    func number(_ from: Int, _ count: Int) -> Int? {
      guard from + count <= chars.count else { return nil }
      var value = 0
      for c in chars[from..<(from + count)] {
        guard let d = Int(String(c)) else { return nil }
        value = value * 10 + d
      }
      return value
    }
    guard var year = number(0, 4), var month = number(5, 2), var day = number(8, 2) else { return nil }
    var hour = number(11, 2) ?? 0
    var minute = number(14, 2) ?? 0
    let second = number(17, 2) ?? 0
    if chars.count >= 25, chars[19] == "+" || chars[19] == "-", let oh = number(20, 2), let om = number(23, 2) {
      let sign = chars[19] == "+" ? -1 : 1
      var total = ((day - 1) * 24 + hour) * 60 + minute + sign * (oh * 60 + om)
      // Carry across day boundaries within the month; month and year roll are handled below.
      let daysIn: (Int, Int) -> Int = { y, m in
        [31, (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]
      }
      if total < 0 {
        month -= 1
        if month == 0 { month = 12; year -= 1 }
        total += daysIn(year, month) * 24 * 60
      } else if total >= daysIn(year, month) * 24 * 60 {
        total -= daysIn(year, month) * 24 * 60
        month += 1
        if month == 13 { month = 1; year += 1 }
      }
      day = total / (24 * 60) + 1
      hour = (total / 60) % 24
      minute = total % 60
    }
    func pad(_ v: Int, _ n: Int) -> String { String(repeating: "0", count: max(0, n - String(v).count)) + String(v) }
    return pad(year, 4) + pad(month, 2) + pad(day, 2) + pad(hour, 2) + pad(minute, 2) + pad(second, 2)
  }
}
