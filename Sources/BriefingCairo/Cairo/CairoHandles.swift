internal import CCairo

/// Turns a cairo status into a thrown `CairoError`.
@inline(__always)
func check(_ status: cairo_status_t, _ operation: String) throws(CairoError) {
  guard status == CAIRO_STATUS_SUCCESS else {
    throw .failed(operation: operation, status: String(cString: cairo_status_to_string(status)))
  }
}

/// Collects what a cairo stream surface writes.
final class ByteSink {
  var bytes: [UInt8] = []
}

/// The write callback for stream surfaces; `closure` is an unretained `ByteSink`.
let writeToSink: cairo_write_func_t = { closure, data, length in
  guard let closure, let data else { return CAIRO_STATUS_WRITE_ERROR }
  Unmanaged<ByteSink>.fromOpaque(closure).takeUnretainedValue()
    .bytes.append(contentsOf: UnsafeBufferPointer(start: data, count: Int(length)))
  return CAIRO_STATUS_SUCCESS
}

/// Owns a cairo surface and the drawing context on it; both are released when this object goes.
///
/// The sink a stream surface writes into is held here too, so it outlives every write.
final class CanvasHandle {
  let surface: OpaquePointer
  let context: OpaquePointer
  let sink: ByteSink

  /// Takes ownership of `surface` (released even when this initializer throws).
  init(surface: OpaquePointer, sink: ByteSink, operation: String) throws(CairoError) {
    do {
      try check(cairo_surface_status(surface), operation)
    } catch {
      cairo_surface_destroy(surface)
      throw error
    }
    guard let context = cairo_create(surface) else {
      cairo_surface_destroy(surface)
      throw .failed(operation: "cairo_create", status: "no context")
    }
    if cairo_status(context) != CAIRO_STATUS_SUCCESS {
      let status = String(cString: cairo_status_to_string(cairo_status(context)))
      cairo_destroy(context)
      cairo_surface_destroy(surface)
      throw .failed(operation: "cairo_create", status: status)
    }
    self.surface = surface
    self.context = context
    self.sink = sink
  }

  /// Finishes the surface (writing the PDF trailer or the whole SVG) and returns what was written.
  func finish() throws(CairoError) -> [UInt8] {
    try check(cairo_status(context), "drawing")
    cairo_surface_finish(surface)
    try check(cairo_surface_status(surface), "cairo_surface_finish")
    return sink.bytes
  }

  deinit {
    cairo_destroy(context)
    cairo_surface_destroy(surface)
  }
}
