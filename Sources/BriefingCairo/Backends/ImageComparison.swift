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

  /// How far another renderer's drawing of an image is from the image: the mean difference over
  /// all pixels, and the worst small square of differences that antialiasing cannot explain, where
  /// one wrong glyph or a missing bar shows even on a large image.
  public struct Difference: Sendable, Equatable {
    /// The mean absolute difference of the red, green and blue channels (0–255) over all pixels.
    public var mean: Double
    /// The largest mean over any `window`×`window` square of pixels of the unexplained
    /// difference: how far (0–255, in the channel where it is farthest) a pixel's colour lies
    /// outside what the other image has within one pixel of it, less `tolerance`. What the other
    /// image has is the range of its colours there, widened by the range's own width at both
    /// ends: a soft edge may be a sharper one drawn elsewhere within the pixel. So edges a pixel
    /// apart, sharp or soft, and colours off by up to `tolerance` (antialiasing, glyph positions,
    /// text gamma) count as nothing, while ink that one image has where the other is plain (a
    /// wrong glyph, another picture's part) counts nearly in full.
    public var worstSquare: Double
    /// The top-left corner of that square, in pixels.
    public var worstX: Int
    public var worstY: Int
  }

  /// Compares `candidate` (another renderer's drawing) with `reference` over the reference's
  /// pixels. The candidate may be one pixel wider or taller (a browser window of whole CSS pixels
  /// at two device pixels each, for an image of an odd number of pixels); its extra column or row
  /// is left out. Nil when either file cannot be read or the sizes differ by more.
  public static func difference(
    _ candidate: String, _ reference: String, window: Int = 4, tolerance: Int = 32
  ) -> Difference? {
    guard let a = pixels(candidate), let b = pixels(reference), !b.data.isEmpty,
      (0...1).contains(a.width - b.width), (0...1).contains(a.height - b.height)
    else { return nil }
    let (width, height) = (b.width, b.height)
    let candidatePixels = (0..<height).flatMap { y in a.data[(y * a.width)..<(y * a.width + width)] }
    let first = Channels(candidatePixels, width: width, height: height)
    let second = Channels(b.data, width: width, height: height)
    var absolute = 0
    // sums[(y * (width + 1)) + x]: the unexplained difference summed over the pixels above and
    // left of (x, y).
    var sums = [Int](repeating: 0, count: (width + 1) * (height + 1))
    for y in 0..<height {
      var row = 0
      for x in 0..<width {
        let i = y * width + x
        var unexplained = 0
        for c in 0..<3 {
          let (p, q) = (Int(first.values[c][i]), Int(second.values[c][i]))
          absolute += abs(p - q)
          let outside = max(
            Int(second.low[c][i]) - p, p - Int(second.high[c][i]), Int(first.low[c][i]) - q, q - Int(first.high[c][i]))
          unexplained = max(unexplained, outside - tolerance)
        }
        row += unexplained
        sums[(y + 1) * (width + 1) + x + 1] = sums[y * (width + 1) + x + 1] + row
      }
    }
    let side = max(1, min(window, width, height))
    var worst = (sum: -1, x: 0, y: 0)
    for y in 0...(height - side) {
      for x in 0...(width - side) {
        let sum =
          sums[(y + side) * (width + 1) + x + side] - sums[y * (width + 1) + x + side]
          - sums[(y + side) * (width + 1) + x] + sums[y * (width + 1) + x]
        if sum > worst.sum { worst = (sum, x, y) }
      }
    }
    return Difference(
      mean: Double(absolute) / Double(width * height * 3), worstSquare: Double(worst.sum) / Double(side * side),
      worstX: worst.x, worstY: worst.y)
  }

  /// The red, green and blue values of an image, with the range each takes within one pixel (a
  /// 3×3 neighbourhood, clipped at the image's edges) widened by its width at both ends.
  private struct Channels {
    var values: [[UInt8]]
    var low: [[UInt8]] = []
    var high: [[UInt8]] = []

    init(_ data: [UInt32], width: Int, height: Int) {
      values = [16, 8, 0].map { shift in data.map { UInt8(truncatingIfNeeded: $0 >> shift) } }
      for plane in values {
        let lowest = Channels.neighbourhood(plane, width: width, height: height, min)
        let highest = Channels.neighbourhood(plane, width: width, height: height, max)
        low.append(zip(lowest, highest).map { UInt8(max(0, 2 * Int($0) - Int($1))) })
        high.append(zip(lowest, highest).map { UInt8(min(255, 2 * Int($1) - Int($0))) })
      }
    }

    /// `pick` over each pixel's 3×3 neighbourhood: along rows, then along columns.
    static func neighbourhood(_ plane: [UInt8], width: Int, height: Int, _ pick: (UInt8, UInt8) -> UInt8) -> [UInt8] {
      var rows = plane
      for y in 0..<height {
        for x in 0..<width {
          let i = y * width + x
          var value = plane[i]
          if x > 0 { value = pick(value, plane[i - 1]) }
          if x + 1 < width { value = pick(value, plane[i + 1]) }
          rows[i] = value
        }
      }
      var out = rows
      for y in 0..<height {
        for x in 0..<width {
          let i = y * width + x
          var value = rows[i]
          if y > 0 { value = pick(value, rows[i - width]) }
          if y + 1 < height { value = pick(value, rows[i + width]) }
          out[i] = value
        }
      }
      return out
    }
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
