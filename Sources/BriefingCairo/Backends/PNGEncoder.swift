internal import CCairo

/// Encodes a drawn image surface as a PNG file, with its resolution.
///
/// Written here on libdeflate rather than through `cairo_surface_write_to_png_stream` for speed:
/// libpng's adaptive filtering tries all five row filters on every row and then deflates at
/// zlib's level 6, which cost four times as long as drawing the chart (230 M instructions for a
/// 1104 × 474 chart, more than the whole rest of `briefing chart`). Charts are flat colour and
/// antialiased text: unfiltered rows compress best (the "Up" or "Sub" filters, or choosing per
/// row, made the 13 charts `make report` exports larger). libdeflate at level 1 deflates that
/// chart's 1.6 MB of rows in 21 M instructions into 40.9 KB, where zlib at level 3 took 50 M for
/// 45.8 KB (`benchmarks/README.md`). libpng itself is not called directly because its errors
/// `longjmp`, which Swift frames cannot survive.
///
/// The pixels are the ones cairo would write: opaque images as 8-bit RGB, others as 8-bit RGBA with
/// cairo's premultiplied alpha undone; a white `bKGD` as cairo writes it, and a `pHYs` chunk so
/// that documents place the image at its size in points (a 552-pt chart drawn at 2 pixels per point
/// says 144 dpi, and LaTeX or Word shows it 552 pt wide).
enum PNGEncoder {
  /// The deflate level (libdeflate's 0–12).
  static let compressionLevel: Int32 = 1

  /// The PNG file of `surface`, an ARGB32 image surface cairo has finished drawing on.
  static func encode(_ surface: OpaquePointer, pixelsPerPoint: Double) throws(CairoError) -> [UInt8] {
    cairo_surface_flush(surface)
    guard cairo_image_surface_get_format(surface) == CAIRO_FORMAT_ARGB32, let data = cairo_image_surface_get_data(surface) else {
      throw .failed(operation: "PNG encoding", status: "not an ARGB32 image")
    }
    let width = Int(cairo_image_surface_get_width(surface))
    let height = Int(cairo_image_surface_get_height(surface))
    let stride = Int(cairo_image_surface_get_stride(surface))
    guard width > 0, height > 0 else { throw .failed(operation: "PNG encoding", status: "an empty image") }
    let pixels = UnsafeRawPointer(data).assumingMemoryBound(to: UInt32.self)
    let opaque = isOpaque(pixels, width: width, height: height, stride: stride)
    let filtered = filteredRows(pixels, width: width, height: height, stride: stride, opaque: opaque)
    let compressed = try deflated(filtered)

    var png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    png.reserveCapacity(compressed.count + 128)
    var header = bigEndian(UInt32(width)) + bigEndian(UInt32(height))
    header += [8, opaque ? 2 : 6, 0, 0, 0]  // 8 bits, RGB or RGBA, deflate, per-row filters, no interlace
    append(chunk: "IHDR", header, to: &png)
    let perMetre = UInt32((pixelsPerPoint * 72 / 0.0254).rounded())
    append(chunk: "pHYs", bigEndian(perMetre) + bigEndian(perMetre) + [1], to: &png)  // unit: the metre
    append(chunk: "bKGD", [0, 255, 0, 255, 0, 255], to: &png)
    append(chunk: "IDAT", compressed, to: &png)
    append(chunk: "IEND", [], to: &png)
    return png
  }

  /// The CRC-32 of a chunk's type and data (ISO 3309, as PNG uses it).
  static func crc32(_ bytes: [UInt8]) -> UInt32 {
    bytes.withUnsafeBufferPointer { libdeflate_crc32(0, $0.baseAddress, $0.count) }
  }

  private static func isOpaque(_ pixels: UnsafePointer<UInt32>, width: Int, height: Int, stride: Int) -> Bool {
    for y in 0..<height {
      let row = pixels + y * (stride / 4)
      for x in 0..<width where row[x] >> 24 != 0xFF { return false }
    }
    return true
  }

  /// The image as PNG scanlines, unfiltered (each starts with filter type 0).
  private static func filteredRows(
    _ pixels: UnsafePointer<UInt32>, width: Int, height: Int, stride: Int, opaque: Bool
  ) -> [UInt8] {
    let channels = opaque ? 3 : 4
    let lineLength = 1 + width * channels
    return [UInt8](unsafeUninitializedCapacity: lineLength * height) { buffer, count in
      guard let base = buffer.baseAddress else { return }
      for y in 0..<height {
        let row = pixels + y * (stride / 4)
        var at = base + y * lineLength
        at.pointee = 0
        at += 1
        if opaque {
          for x in 0..<width {
            let pixel = row[x]
            at[0] = UInt8(truncatingIfNeeded: pixel >> 16)
            at[1] = UInt8(truncatingIfNeeded: pixel >> 8)
            at[2] = UInt8(truncatingIfNeeded: pixel)
            at += 3
          }
        } else {
          for x in 0..<width {
            let pixel = row[x]
            let alpha = pixel >> 24
            // cairo's own unpremultiplying, rounded the same way.
            let unpremultiplied = { (channel: UInt32) -> UInt8 in
              alpha == 0 ? 0 : UInt8(truncatingIfNeeded: ((channel & 0xFF) * 255 + alpha / 2) / alpha)
            }
            at[0] = unpremultiplied(pixel >> 16)
            at[1] = unpremultiplied(pixel >> 8)
            at[2] = unpremultiplied(pixel)
            at[3] = UInt8(truncatingIfNeeded: alpha)
            at += 4
          }
        }
      }
      count = lineLength * height
    }
  }

  /// `bytes` in the zlib format PNG's IDAT holds.
  private static func deflated(_ bytes: [UInt8]) throws(CairoError) -> [UInt8] {
    guard let compressor = libdeflate_alloc_compressor(compressionLevel) else {
      throw .failed(operation: "libdeflate_alloc_compressor", status: "out of memory")
    }
    defer { libdeflate_free_compressor(compressor) }
    let bound = libdeflate_zlib_compress_bound(compressor, bytes.count)
    var written = 0
    let out = [UInt8](unsafeUninitializedCapacity: bound) { output, count in
      written = bytes.withUnsafeBufferPointer { input in
        libdeflate_zlib_compress(compressor, input.baseAddress, input.count, output.baseAddress, output.count)
      }
      count = written
    }
    // The bound is libdeflate's own for this input, so 0 (did not fit) cannot happen.
    guard written > 0 else { throw .failed(operation: "deflate", status: "libdeflate wrote nothing") }
    return out
  }

  private static func append(chunk type: String, _ data: [UInt8], to png: inout [UInt8]) {
    let typed = Array(type.utf8) + data
    png += bigEndian(UInt32(data.count))
    png += typed
    png += bigEndian(crc32(typed))
  }

  private static func bigEndian(_ value: UInt32) -> [UInt8] {
    [UInt8(value >> 24 & 0xFF), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
  }
}
