public import BriefingLayout
internal import CCairo

/// One page drawn as a standalone SVG image with its text as glyph outlines (the exact look,
/// without the fonts); `SVGTextImage` writes real text.
///
/// Element ids are derived from a hash of the image's content, so the same input gives the same
/// bytes in any process and several images can be inlined in one HTML page without their glyphs
/// colliding; glyph symbols nothing uses (cairo's `.notdef`) are left out.
public struct SVGImage: ~Copyable {
  private let canvas: CanvasHandle
  private let resources: FrameDrawer.Resources
  private let measurer: PangoTextMeasurer
  private let description: SVGDescription

  /// Starts an SVG of `size` points that describes itself with `description`.
  public init(size: Size, description: SVGDescription, measurer: PangoTextMeasurer) throws(CairoError) {
    let sink = ByteSink()
    guard
      let surface = cairo_svg_surface_create_for_stream(
        writeToSink, Unmanaged.passUnretained(sink).toOpaque(), size.width, size.height)
    else { throw .failed(operation: "cairo_svg_surface_create_for_stream", status: "no surface") }
    let canvas = try CanvasHandle(surface: surface, sink: sink, operation: "cairo_svg_surface_create_for_stream")
    cairo_svg_surface_restrict_to_version(surface, CAIRO_SVG_VERSION_1_1)
    self.resources = try FrameDrawer.makeResources(cairo: canvas.context, measurer: measurer)
    self.canvas = canvas
    self.measurer = measurer
    self.description = description
  }

  /// Draws the image's only page.
  public mutating func render(page: Page) throws(CairoError) {
    FrameDrawer(cairo: canvas.context, measurer: measurer, resources: resources, supportsTags: false).draw(page.frame)
    try check(cairo_status(canvas.context), "drawing SVG")
  }

  /// Returns the finished SVG document.
  public consuming func finish() throws(CairoError) -> [UInt8] {
    let drawn = SVGIdentifiers.droppingUnusedSymbols(try canvas.finish())
    let renamed = SVGIdentifiers.normalize(drawn, prefix: SVGMarkup.placeholder)
    return SVGMarkup.identify(SVGIdentifiers.describing(renamed, with: description))
  }
}

/// One page drawn as a PNG image.
public struct PNGImage: ~Copyable {
  private let canvas: CanvasHandle
  private let resources: FrameDrawer.Resources
  private let measurer: PangoTextMeasurer
  private let pixelsPerPoint: Double

  /// Starts a PNG of `size` points drawn at `pixelsPerPoint` (2 gives 144 dpi) on a white background.
  public init(size: Size, pixelsPerPoint: Double = 2, measurer: PangoTextMeasurer) throws(CairoError) {
    let width = Int32((size.width * pixelsPerPoint).rounded(.up))
    let height = Int32((size.height * pixelsPerPoint).rounded(.up))
    guard let surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, width, height) else {
      throw .failed(operation: "cairo_image_surface_create", status: "no surface")
    }
    let canvas = try CanvasHandle(surface: surface, sink: ByteSink(), operation: "cairo_image_surface_create(\(width)×\(height))")
    cairo_scale(canvas.context, pixelsPerPoint, pixelsPerPoint)
    cairo_set_source_rgb(canvas.context, 1, 1, 1)
    cairo_paint(canvas.context)
    // Made after the scale, so Pango shapes for the final resolution.
    self.resources = try FrameDrawer.makeResources(cairo: canvas.context, measurer: measurer)
    self.canvas = canvas
    self.measurer = measurer
    self.pixelsPerPoint = pixelsPerPoint
  }

  /// Draws the image's only page.
  public mutating func render(page: Page) throws(CairoError) {
    FrameDrawer(cairo: canvas.context, measurer: measurer, resources: resources, supportsTags: false).draw(page.frame)
    try check(cairo_status(canvas.context), "drawing PNG")
  }

  /// Returns the PNG file's bytes.
  public consuming func finish() throws(CairoError) -> [UInt8] {
    try check(cairo_status(canvas.context), "drawing PNG")
    return try PNGEncoder.encode(canvas.surface, pixelsPerPoint: pixelsPerPoint)
  }
}

/// Rewrites the ids cairo puts in an SVG.
///
/// cairo numbers `surfaceN` and `imageN` with a counter global to the process, so the same drawing
/// gets different ids depending on what was drawn before; and every document starts its glyphs at
/// `glyph0-0`, so two inlined SVGs pick up each other's glyphs. cairo emits no user text, so a blind
/// byte-level rewrite of `id="`, `href="#` and `url(#` is safe (and 50× faster than a regex).
enum SVGIdentifiers {
  /// The document without the `<symbol>`s no `href` points at.
  static func droppingUnusedSymbols(_ svg: [UInt8]) -> [UInt8] {
    let text = String(decoding: svg, as: UTF8.self)
    var out = ""
    out.reserveCapacity(text.utf8.count)
    var rest = Substring(text)
    while let open = rest.range(of: "<symbol") {
      guard let close = rest[open.upperBound...].range(of: "</symbol>") else { break }
      let element = rest[open.lowerBound..<close.upperBound]
      out += rest[..<open.lowerBound]
      var used = true
      if let idStart = element.range(of: "id=\""), let idEnd = element[idStart.upperBound...].firstIndex(of: "\"") {
        used = text.contains("#\(element[idStart.upperBound..<idEnd])\"")
      }
      if used { out += element }
      rest = rest[close.upperBound...]
      // The line break after a dropped element goes with it.
      if !used, rest.first == "\n" { rest = rest.dropFirst() }
    }
    out += rest
    return Array(out.utf8)
  }

  /// The document with `role`, `aria-labelledby` and `lang` on its root and a `<title>` and
  /// `<desc>` first inside it (ids carry `SVGMarkup.placeholder`).
  static func describing(_ svg: [UInt8], with description: SVGDescription) -> [UInt8] {
    let text = String(decoding: svg, as: UTF8.self)
    guard let root = text.range(of: "<svg"), let end = text[root.upperBound...].firstIndex(of: ">") else { return svg }
    let placeholder = SVGMarkup.placeholder
    let hasTitle = description.title?.isEmpty == false
    let labelledBy = (hasTitle ? "\(placeholder)-title " : "") + "\(placeholder)-desc"
    let language = SVGMarkup.escape(description.language)
    var head = ""
    if let title = description.title, hasTitle { head += "\n<title id=\"\(placeholder)-title\">\(SVGMarkup.escape(title))</title>" }
    head += "\n<desc id=\"\(placeholder)-desc\">\(SVGMarkup.escape(description.summary))</desc>"
    let attributes = " role=\"img\" aria-labelledby=\"\(labelledBy)\" lang=\"\(language)\" xml:lang=\"\(language)\""
    let selfClosing = text[text.index(before: end)] == "/"
    let tagEnd = selfClosing ? text.index(before: end) : end
    return Array((String(text[..<tagEnd]) + attributes + String(text[tagEnd...end]) + head + String(text[text.index(after: end)...])).utf8)
  }

  static func normalize(_ svg: [UInt8], prefix: String) -> [UInt8] {
    let markers: [[UInt8]] = [Array("id=\"".utf8), Array("href=\"#".utf8), Array("url(#".utf8)]
    let prefixBytes = Array((prefix + "-").utf8)
    var renumbered: [[UInt8]: [UInt8]] = [:]
    var counters: [[UInt8]: Int] = [:]
    var output: [UInt8] = []
    output.reserveCapacity(svg.count + svg.count / 16)
    var i = 0
    let n = svg.count
    while i < n {
      var matched: [UInt8]? = nil
      for marker in markers where i + marker.count <= n && svg[i] == marker[0] {
        if svg[i..<(i + marker.count)].elementsEqual(marker) { matched = marker; break }
      }
      guard let marker = matched else {
        output.append(svg[i])
        i += 1
        continue
      }
      output.append(contentsOf: marker)
      i += marker.count
      var end = i
      while end < n, svg[end] != UInt8(ascii: "\""), svg[end] != UInt8(ascii: ")") { end += 1 }
      let name = Array(svg[i..<end])
      output.append(contentsOf: prefixBytes)
      output.append(contentsOf: stableName(name, renumbered: &renumbered, counters: &counters))
      i = end
    }
    return output
  }

  /// Renumbers process-global `surfaceN` / `imageN` ids in order of first appearance.
  private static func stableName(_ name: [UInt8], renumbered: inout [[UInt8]: [UInt8]], counters: inout [[UInt8]: Int]) -> [UInt8] {
    for kind in [Array("surface".utf8), Array("image".utf8)] {
      guard name.count > kind.count, name.starts(with: kind),
        name[kind.count...].allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
      else { continue }
      if let known = renumbered[name] { return known }
      let next = counters[kind, default: 0] + 1
      counters[kind] = next
      let fresh = kind + Array(String(next).utf8)
      renumbered[name] = fresh
      return fresh
    }
    return name
  }
}
