import BriefingCairo
import BriefingLayout
import Foundation
import Testing

/// ImageComparison.difference, which scripts/check-embed.sh (through Tools/png-diff) uses to compare
/// Chromium's drawing of a chart with the chart's PNG: edges a pixel apart and text a little darker
/// count as nothing, a wrong digit does.
@Suite struct ImageComparisonTests {
  let measurer: PangoTextMeasurer
  let folder: URL

  init() throws {
    measurer = try PangoTextMeasurer()
    folder = FileManager.default.temporaryDirectory.appendingPathComponent("briefing-compare-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
  }

  /// A label, a figure and a bar drawn at 2 pixels per point into `name`.png; returns its path.
  func draw(
    _ name: String, figure: String = "340", barX: Double = 120, bar: Color = theme.barFill, width: Double = 300
  ) throws -> String {
    var frame = Frame(size: Size(width: width, height: 60))
    frame.append(.rect(Rect(x: 0, y: 0, width: width, height: 60), .filled(Color(hex: 0xFFFFFF))))
    frame.append(.text(TextRun(text: "Республика Татарстан", style: theme.style(.tableCell), frame: Rect(x: 10, y: 10, width: 110, height: 14))))
    frame.append(.rect(Rect(x: barX, y: 12, width: 120, height: 10), .filled(bar)))
    frame.append(.text(TextRun(text: figure, style: theme.style(.valueLabel), frame: Rect(x: 250, y: 10, width: 40, height: 14))))
    var png = try PNGImage(size: frame.size, pixelsPerPoint: 2, measurer: measurer)
    try png.render(page: Page(frame: frame))
    let path = folder.appendingPathComponent("\(name).png").path
    try Data(try png.finish()).write(to: URL(fileURLWithPath: path))
    return path
  }

  @Test func theSameImageDiffersInNothing() throws {
    defer { try? FileManager.default.removeItem(at: folder) }
    let difference = try #require(ImageComparison.difference(try draw("a"), try draw("b")))
    #expect(difference.mean == 0 && difference.worstSquare == 0)
  }

  @Test func edgesAPixelApartAndSlightlyOtherColoursAreExplained() throws {
    defer { try? FileManager.default.removeItem(at: folder) }
    let reference = try draw("reference")
    // Half a point is one pixel.
    let moved = try #require(ImageComparison.difference(try draw("moved", barX: 120.5), reference))
    #expect(moved.mean > 0 && moved.worstSquare == 0)
    // 27 lighter in each channel (the tolerance is 32).
    let lighter = try #require(ImageComparison.difference(try draw("lighter", bar: Color(hex: 0x4A88B9)), reference))
    #expect(lighter.mean > 0 && lighter.worstSquare == 0)
    // Moved by more than a pixel, or in another colour, the bar is not explained.
    let far = try #require(ImageComparison.difference(try draw("far", barX: 122), reference))
    #expect(far.worstSquare > 30)
    let other = try #require(ImageComparison.difference(try draw("other", bar: Color(hex: 0x6A9ED0)), reference))
    #expect(other.worstSquare > 10)
  }

  @Test func aWrongDigitIsFoundWhereItIs() throws {
    defer { try? FileManager.default.removeItem(at: folder) }
    let difference = try #require(ImageComparison.difference(try draw("wrong", figure: "348"), try draw("right")))
    #expect(difference.worstSquare > 10, "\(difference)")
    // Where the last digit is: x between 250 and 290 pt, y between 10 and 24 pt (2 pixels a point).
    #expect((500..<580).contains(difference.worstX) && (20..<48).contains(difference.worstY), "\(difference)")
    #expect(difference.mean < 1, "one digit is a small part of the image")
  }

  @Test func aCandidateOnePixelLargerIsCroppedLargerStillIsRefused() throws {
    defer { try? FileManager.default.removeItem(at: folder) }
    let reference = try draw("reference", width: 300)
    // 300.5 pt are 601 pixels: a browser window of 301 CSS pixels at two device pixels each, say.
    let wider = try #require(ImageComparison.difference(try draw("wider", width: 300.5), reference))
    #expect(wider.worstSquare == 0)
    #expect(ImageComparison.difference(try draw("wider-still", width: 301), reference) == nil)
    #expect(ImageComparison.difference(reference, try draw("wider", width: 300.5)) == nil, "the reference is the smaller")
    #expect(ImageComparison.difference(folder.appendingPathComponent("none.png").path, reference) == nil)
  }
}
