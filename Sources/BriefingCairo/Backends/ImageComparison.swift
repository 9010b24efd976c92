internal import CCairo

/// Compares two PNG files pixel by pixel, for tests that check another renderer against ours.
public enum ImageComparison {
  /// The mean absolute difference of the red, green and blue channels (0–255) over all pixels of
  /// two PNG files of the same size; nil when either cannot be read or the sizes differ.
  public static func meanDifference(_ first: String, _ second: String) -> Double? {
    guard let a = pixels(first), let b = pixels(second), a.width == b.width, a.height == b.height, !a.data.isEmpty else {
      return nil
    }
    var total = 0
    for (x, y) in zip(a.data, b.data) {
      for shift in [0, 8, 16] as [UInt32] {
        total += abs(Int((x >> shift) & 0xFF) - Int((y >> shift) & 0xFF))
      }
    }
    return Double(total) / Double(a.data.count * 3)
  }

  /// The pixels of a PNG file as ARGB words (on white where transparent), with its size.
  public static func pixels(_ path: String) -> (width: Int, height: Int, data: [UInt32])? {
    guard let source = cairo_image_surface_create_from_png(path) else { return nil }
    defer { cairo_surface_destroy(source) }
    guard cairo_surface_status(source) == CAIRO_STATUS_SUCCESS else { return nil }
    let width = Int(cairo_image_surface_get_width(source))
    let height = Int(cairo_image_surface_get_height(source))
    // Flatten onto white in a surface of known format.
    guard let flat = cairo_image_surface_create(CAIRO_FORMAT_RGB24, Int32(width), Int32(height)) else { return nil }
    defer { cairo_surface_destroy(flat) }
    guard let context = cairo_create(flat) else { return nil }
    cairo_set_source_rgb(context, 1, 1, 1)
    cairo_paint(context)
    cairo_set_source_surface(context, source, 0, 0)
    cairo_paint(context)
    cairo_destroy(context)
    cairo_surface_flush(flat)
    guard let base = cairo_image_surface_get_data(flat) else { return nil }
    let stride = Int(cairo_image_surface_get_stride(flat))
    var data: [UInt32] = []
    data.reserveCapacity(width * height)
    for row in 0..<height {
      let line = UnsafeRawPointer(base + row * stride)
      for column in 0..<width { data.append(line.load(fromByteOffset: column * 4, as: UInt32.self)) }
    }
    return (width, height, data)
  }
}
