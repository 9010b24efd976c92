internal import BriefingLayout
internal import CCairo
internal import Foundation

/// Draws frames onto one cairo context: the single exhaustive switch over `FrameItem` that serves
/// the PDF, SVG and PNG surfaces alike.
struct FrameDrawer {
  let cairo: OpaquePointer
  let measurer: PangoTextMeasurer
  /// Whether the surface understands PDF tags (links, destinations).
  let supportsTags: Bool
  private let pangoContext: OpaquePointer
  private let layout: OpaquePointer

  /// Wraps the Pango objects made for drawing; released with the drawer's owner.
  final class Resources {
    let context: OpaquePointer
    let layout: OpaquePointer
    init(context: OpaquePointer, layout: OpaquePointer) {
      self.context = context
      self.layout = layout
    }
    deinit {
      g_object_unref(UnsafeMutableRawPointer(layout))
      g_object_unref(UnsafeMutableRawPointer(context))
    }
  }

  static func makeResources(cairo: OpaquePointer, measurer: PangoTextMeasurer) throws(CairoError) -> Resources {
    guard let context = measurer.makeDrawingContext(for: cairo) else {
      throw .failed(operation: "pango_font_map_create_context", status: "no context")
    }
    guard let layout = pango_layout_new(context) else {
      g_object_unref(UnsafeMutableRawPointer(context))
      throw .failed(operation: "pango_layout_new", status: "no layout")
    }
    return Resources(context: context, layout: layout)
  }

  init(cairo: OpaquePointer, measurer: PangoTextMeasurer, resources: Resources, supportsTags: Bool) {
    self.cairo = cairo
    self.measurer = measurer
    self.pangoContext = resources.context
    self.layout = resources.layout
    self.supportsTags = supportsTags
  }

  func draw(_ frame: Frame) {
    for item in frame.items { draw(item) }
  }

  private func setColor(_ color: Color) {
    cairo_set_source_rgba(cairo, color.red, color.green, color.blue, color.alpha)
  }

  private func paint(_ paint: Paint) {
    if let fill = paint.fill {
      setColor(fill)
      if paint.stroke != nil { cairo_fill_preserve(cairo) } else { cairo_fill(cairo) }
    }
    if let stroke = paint.stroke {
      setColor(stroke)
      cairo_set_line_width(cairo, paint.lineWidth)
      if paint.dash.isEmpty {
        cairo_set_dash(cairo, nil, 0, 0)
      } else {
        paint.dash.withUnsafeBufferPointer { cairo_set_dash(cairo, $0.baseAddress, Int32($0.count), 0) }
      }
      cairo_stroke(cairo)
    }
    cairo_new_path(cairo)
  }

  private func draw(_ item: FrameItem) {
    switch item {
    case .text(let run):
      measurer.apply(text: run.text, style: run.style, width: run.lineWidth, superscripts: run.superscripts, to: layout)
      setColor(run.style.color)
      if run.readsUpward {
        cairo_save(cairo)
        cairo_translate(cairo, run.frame.minX, run.frame.maxY)
        cairo_rotate(cairo, -Double.pi / 2)
        // Metrics are unhinted (see PangoTextMeasurer.configure), so the layout's glyph positions
        // hold under the turned matrix as they are.
        cairo_move_to(cairo, 0, 0)
        pango_cairo_show_layout(cairo, layout)
        cairo_new_path(cairo)
        cairo_restore(cairo)
      } else {
        cairo_move_to(cairo, run.frame.minX, run.frame.minY)
        pango_cairo_show_layout(cairo, layout)
        cairo_new_path(cairo)
      }
    case .rect(let rect, let style):
      cairo_rectangle(cairo, rect.minX, rect.minY, rect.width, rect.height)
      paint(style)
    case .line(let from, let to, let style):
      cairo_move_to(cairo, from.x, from.y)
      cairo_line_to(cairo, to.x, to.y)
      paint(Paint(fill: nil, stroke: style.stroke ?? style.fill, lineWidth: style.lineWidth, dash: style.dash))
    case .path(let points, let closed, let style):
      guard let first = points.first else { return }
      cairo_move_to(cairo, first.x, first.y)
      for point in points.dropFirst() { cairo_line_to(cairo, point.x, point.y) }
      if closed { cairo_close_path(cairo) }
      paint(style)
    case .group(let origin, let frame):
      cairo_save(cairo)
      cairo_translate(cairo, origin.x, origin.y)
      draw(frame)
      cairo_restore(cairo)
    case .link(let rect, let target):
      guard supportsTags else { return }
      var x = rect.minX
      var y = rect.minY
      cairo_user_to_device(cairo, &x, &y)
      let area = "rect=[\(x) \(y) \(rect.width) \(rect.height)]"
      let attributes: String
      switch target {
      case .destination(let name): attributes = "dest='\(Self.escape(name))' \(area)"
      case .uri(let uri): attributes = "uri='\(Self.escape(uri))' \(area)"
      }
      // cairo 1.16 writes a damaged PDF for a bare link tag; inside a structure tag it is sound.
      cairo_tag_begin(cairo, "Span", nil)
      cairo_tag_begin(cairo, CAIRO_TAG_LINK, attributes)
      cairo_tag_end(cairo, CAIRO_TAG_LINK)
      cairo_tag_end(cairo, "Span")
    case .anchor(let name, let point):
      guard supportsTags else { return }
      var x = point.x
      var y = point.y
      cairo_user_to_device(cairo, &x, &y)
      cairo_tag_begin(cairo, CAIRO_TAG_DEST, "name='\(Self.escape(name))' x=\(x) y=\(y)")
      cairo_tag_end(cairo, CAIRO_TAG_DEST)
    }
  }

  /// Escapes a value for cairo's tag attribute syntax (single-quoted strings).
  static func escape(_ value: String) -> String {
    value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'")
  }
}
