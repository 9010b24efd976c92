@testable import BriefingCairo
import CCairo
import Foundation
import Testing

/// The PNG encoder against cairo's own libpng writer: the same pixels, whatever the transparency.
@Suite struct PNGEncoderTests {
  /// A 37 × 23 image (odd sizes, so rows have padding) with a gradient, a translucent stroke and,
  /// unless `opaque`, fully transparent corners.
  private func drawnSurface(opaque: Bool) throws -> OpaquePointer {
    let surface = try #require(cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 37, 23))
    let context = try #require(cairo_create(surface))
    defer { cairo_destroy(context) }
    if opaque {
      cairo_set_source_rgb(context, 1, 1, 1)
      cairo_paint(context)
    }
    for x in 0..<37 {
      cairo_set_source_rgba(context, Double(x) / 36, 0.3, 1 - Double(x) / 36, opaque ? 1 : Double(x % 7) / 6)
      cairo_rectangle(context, Double(x), 4, 1, 15)
      cairo_fill(context)
    }
    cairo_set_source_rgba(context, 0.8, 0.1, 0.2, 0.5)
    cairo_set_line_width(context, 2.5)
    cairo_move_to(context, 0, 0)
    cairo_line_to(context, 37, 23)
    cairo_stroke(context)
    cairo_surface_flush(surface)
    return surface
  }

  private func decoded(_ png: [UInt8]) throws -> [UInt32] {
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("briefing-png-\(UUID().uuidString).png")
    try Data(png).write(to: file)
    defer { try? FileManager.default.removeItem(at: file) }
    let image = try #require(ImageComparison.pixels(file.path))
    return image.data
  }

  private func cairoEncoding(_ surface: OpaquePointer) throws -> [UInt8] {
    let sink = ByteSink()
    let status = cairo_surface_write_to_png_stream(surface, writeToSink, Unmanaged.passUnretained(sink).toOpaque())
    #expect(status == CAIRO_STATUS_SUCCESS)
    return sink.bytes
  }

  @Test(arguments: [true, false]) func samePixelsAsCairosWriter(opaque: Bool) throws {
    let surface = try drawnSurface(opaque: opaque)
    defer { cairo_surface_destroy(surface) }
    let ours = try PNGEncoder.encode(surface, pixelsPerPoint: 2)
    let theirs = try cairoEncoding(surface)
    // RGB when opaque, RGBA otherwise, as cairo chooses.
    #expect(ours[25] == (opaque ? 2 : 6))
    #expect(ours[25] == theirs[25])
    #expect(try decoded(ours) == decoded(theirs))
    // And other decoders agree that the file is valid: the IEND chunk closes it.
    #expect(Array(ours.suffix(8)) == [0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82])
  }
}
