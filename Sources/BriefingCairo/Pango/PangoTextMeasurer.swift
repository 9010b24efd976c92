public import BriefingLayout
internal import CCairo

/// Measures text with Pango exactly as the Cairo backend draws it, and makes the layouts it draws with.
///
/// One instance owns a private font map, a Pango context set to 72 dpi with hinting and glyph
/// rounding off (so PDF, SVG and PNG break lines identically), one reused layout, and cached font
/// descriptions. It is not thread-safe: use one per thread (Pango font maps must not be shared).
public final class PangoTextMeasurer: TextMeasuring {
  private let fontMap: UnsafeMutablePointer<PangoFontMap>
  private let context: OpaquePointer
  let layout: OpaquePointer
  private var descriptions: [FontKey: OpaquePointer] = [:]
  private var verifiedFamilies: [String: String] = [:]
  private var cache: [MeasureKey: TextMetrics] = [:]

  private struct FontKey: Hashable {
    var family: String
    var size: Double
    var weight: FontWeight
    var italic: Bool
  }

  private struct MeasureKey: Hashable {
    var text: String
    var style: TextStyle
    var maxWidth: Double?
    var superscripts: [Range<Int>]
  }

  /// Creates a measurer with its own font map, limited to the `FontSet` of `families` (the
  /// theme's) and the fallbacks.
  public init(families: [String] = Theme.bulletin.families) throws(CairoError) {
    // Before the font map: the first font map starts Pango's own fontconfig thread.
    let fonts = FontSet.configuration(families: families)
    guard let fontMap = pango_cairo_font_map_new() else {
      throw .failed(operation: "pango_cairo_font_map_new", status: "no font map")
    }
    if let fonts {
      // The font map takes its own reference; FontSet keeps the configuration for the process.
      pango_fc_font_map_set_config(OpaquePointer(fontMap), fonts)
    }
    pango_cairo_font_map_set_resolution(OpaquePointer(fontMap), 72)
    guard let context = pango_font_map_create_context(fontMap) else {
      g_object_unref(UnsafeMutableRawPointer(fontMap))
      throw .failed(operation: "pango_font_map_create_context", status: "no context")
    }
    Self.configure(context: context)
    guard let layout = pango_layout_new(context) else {
      g_object_unref(UnsafeMutableRawPointer(context))
      g_object_unref(UnsafeMutableRawPointer(fontMap))
      throw .failed(operation: "pango_layout_new", status: "no layout")
    }
    self.fontMap = fontMap
    self.context = context
    self.layout = layout
  }

  deinit {
    for description in descriptions.values { pango_font_description_free(description) }
    g_object_unref(UnsafeMutableRawPointer(layout))
    g_object_unref(UnsafeMutableRawPointer(context))
    g_object_unref(UnsafeMutableRawPointer(fontMap))
  }

  /// Settings shared by the measuring context and every drawing context.
  static func configure(context: OpaquePointer) {
    pango_cairo_context_set_resolution(context, 72)
    if let options = cairo_font_options_create() {
      cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE)
      cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF)
      cairo_font_options_set_antialias(options, CAIRO_ANTIALIAS_GRAY)
      pango_cairo_context_set_font_options(context, options)
      cairo_font_options_destroy(options)
    }
    pango_context_set_round_glyph_positions(context, 0)
  }

  // MARK: - Fonts

  private func description(for style: TextStyle) -> OpaquePointer? {
    let key = FontKey(family: style.family, size: style.size, weight: style.weight, italic: style.italic)
    if let cached = descriptions[key] { return cached }
    guard let description = pango_font_description_new() else { return nil }
    pango_font_description_set_family(description, style.family)
    pango_font_description_set_absolute_size(description, style.size * Double(PANGO_SCALE))
    pango_font_description_set_weight(description, style.weight == .bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL)
    pango_font_description_set_style(description, style.italic ? PANGO_STYLE_ITALIC : PANGO_STYLE_NORMAL)
    descriptions[key] = description
    return description
  }

  /// The family fontconfig actually loads for `family`.
  public func resolvedFamily(for family: String) -> String {
    if let known = verifiedFamilies[family] { return known }
    let probe = TextStyle(family: family, size: 10)
    var resolved = ""
    if let font = pango_font_map_load_font(fontMap, context, description(for: probe)),
      let loaded = pango_font_describe(font)
    {
      if let name = pango_font_description_get_family(loaded) { resolved = String(cString: name) }
      pango_font_description_free(loaded)
      g_object_unref(UnsafeMutableRawPointer(font))
    }
    verifiedFamilies[family] = resolved
    return resolved
  }

  /// Throws when any of `families` is not installed, instead of letting fontconfig substitute another.
  public func verifyFamilies(_ families: [String]) throws(CairoError) {
    for family in families {
      let resolved = resolvedFamily(for: family)
      if resolved.lowercased() != family.lowercased() {
        throw .fontUnavailable(family: family, substitute: resolved.isEmpty ? "nothing" : resolved)
      }
    }
  }

  /// The number of characters of `text` that no font can draw in `style` (shown as empty boxes).
  public func unknownGlyphCount(in text: String, style: TextStyle) -> Int {
    apply(text: text, style: style, width: nil, to: layout)
    return Int(pango_layout_get_unknown_glyphs_count(layout))
  }

  // MARK: - Layouts

  /// Sets text, font, width, wrapping, alignment and spacing on `layout` for `style`.
  func apply(text: String, style: TextStyle, width: Double?, superscripts: [Range<Int>] = [], to layout: OpaquePointer) {
    pango_layout_set_font_description(layout, description(for: style))
    if let width {
      pango_layout_set_width(layout, Int32((width * Double(PANGO_SCALE)).rounded(.up)))
    } else {
      pango_layout_set_width(layout, -1)
    }
    switch style.overflow {
    case .wrap:
      pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR)
      if let maxLines = style.maxLines, maxLines > 0, width != nil {
        // A negative height counts lines: Pango wraps into at most that many and ellipsizes the last.
        pango_layout_set_height(layout, -Int32(clamping: maxLines))
        pango_layout_set_ellipsize(layout, PANGO_ELLIPSIZE_END)
      } else {
        pango_layout_set_height(layout, -1)
        pango_layout_set_ellipsize(layout, PANGO_ELLIPSIZE_NONE)
      }
    case .ellipsize:
      pango_layout_set_height(layout, -1)
      pango_layout_set_ellipsize(layout, width == nil ? PANGO_ELLIPSIZE_NONE : PANGO_ELLIPSIZE_END)
    }
    switch style.alignment {
    case .leading: pango_layout_set_alignment(layout, PANGO_ALIGN_LEFT)
    case .center: pango_layout_set_alignment(layout, PANGO_ALIGN_CENTER)
    case .trailing: pango_layout_set_alignment(layout, PANGO_ALIGN_RIGHT)
    }
    pango_layout_set_line_spacing(layout, Float(style.lineSpacing ?? 0))
    let attributes = pango_attr_list_new()
    // No hyphen inserted when a word has to break inside (Pango ≥ 1.44 adds one by default).
    pango_attr_list_insert(attributes, pango_attr_insert_hyphens_new(0))
    if style.tabularFigures { pango_attr_list_insert(attributes, pango_attr_font_features_new("tnum")) }
    // Footnote markers: smaller and raised, over their bytes only.
    let length = text.utf8.count
    for range in superscripts where range.lowerBound >= 0 && range.upperBound <= length && !range.isEmpty {
      for attribute in [
        pango_attr_scale_new(superscriptScale), pango_attr_rise_new(Int32((superscriptRise * style.size * Double(PANGO_SCALE)).rounded())),
      ] {
        guard let attribute else { continue }
        attribute.pointee.start_index = UInt32(range.lowerBound)
        attribute.pointee.end_index = UInt32(range.upperBound)
        pango_attr_list_insert(attributes, attribute)
      }
    }
    pango_layout_set_attributes(layout, attributes)
    pango_attr_list_unref(attributes)
    var bytes = Array(text.utf8)
    Self.neutralizeControls(&bytes)
    bytes.withUnsafeBufferPointer { buffer in
      buffer.withMemoryRebound(to: CChar.self) { pango_layout_set_text(layout, $0.baseAddress, Int32(clamping: $0.count)) }
    }
  }

  /// Makes text safe to lay out without changing its byte length (line starts are byte offsets
  /// into the caller's text): a control character other than tab and line feed becomes a space
  /// (a NUL would end the text early), and a bidi embedding, override or isolate (U+202A–U+202E,
  /// U+2066–U+2069) becomes a word joiner (U+2060), so a label cannot reorder what is shown
  /// around it. Layouts and data are checked for controls before this; it is the last guard.
  /// `text` with `neutralizeControls` applied, for text that does not go through Pango (the PDF's
  /// metadata and bookmarks).
  static func neutralized(_ text: String) -> String {
    var bytes = Array(text.utf8)
    neutralizeControls(&bytes)
    return String(decoding: bytes, as: UTF8.self)
  }

  static func neutralizeControls(_ bytes: inout [UInt8]) {
    var i = 0
    while i < bytes.count {
      let byte = bytes[i]
      if byte < 0x20, byte != 0x09, byte != 0x0A {
        bytes[i] = 0x20
      } else if byte == 0x7F {
        bytes[i] = 0x20
      } else if byte == 0xE2, i + 2 < bytes.count,
        (bytes[i + 1] == 0x80 && (0xAA...0xAE).contains(bytes[i + 2])) || (bytes[i + 1] == 0x81 && (0xA6...0xA9).contains(bytes[i + 2]))
      {
        bytes[i + 1] = 0x81
        bytes[i + 2] = 0xA0
        i += 2
      }
      i += 1
    }
  }

  public func measure(_ text: String, style: TextStyle, maxWidth: Double?) -> TextMetrics {
    measure(text, style: style, maxWidth: maxWidth, superscripts: [])
  }

  public func measure(_ text: String, style: TextStyle, maxWidth: Double?, superscripts: [Range<Int>]) -> TextMetrics {
    let key = MeasureKey(text: text, style: style, maxWidth: maxWidth, superscripts: superscripts)
    if let cached = cache[key] { return cached }
    apply(text: text, style: style, width: maxWidth, superscripts: superscripts, to: layout)
    let metrics = Self.metrics(of: layout)
    if cache.count > 50_000 { cache.removeAll(keepingCapacity: true) }
    cache[key] = metrics
    return metrics
  }

  static func metrics(of layout: OpaquePointer) -> TextMetrics {
    var logical = PangoRectangle()
    pango_layout_get_extents(layout, nil, &logical)
    let scale = Double(PANGO_SCALE)
    var starts: [Int] = []
    var heights: [Double] = []
    if let iterator = pango_layout_get_iter(layout) {
      repeat {
        if let line = pango_layout_iter_get_line_readonly(iterator) {
          starts.append(Int(line.pointee.start_index))
        }
        var y0: Int32 = 0
        var y1: Int32 = 0
        pango_layout_iter_get_line_yrange(iterator, &y0, &y1)
        heights.append(Double(y1 - y0) / scale)
      } while pango_layout_iter_next_line(iterator) != 0
      pango_layout_iter_free(iterator)
    }
    return TextMetrics(
      width: Double(logical.width) / scale, height: Double(logical.height) / scale,
      baseline: Double(pango_layout_get_baseline(layout)) / scale, lineStarts: starts, lineHeights: heights)
  }

  /// Makes a Pango context for drawing on `cairo`, sharing this measurer's font map and settings.
  func makeDrawingContext(for cairo: OpaquePointer) -> OpaquePointer? {
    guard let drawing = pango_font_map_create_context(fontMap) else { return nil }
    Self.configure(context: drawing)
    pango_cairo_update_context(cairo, drawing)
    return drawing
  }
}
