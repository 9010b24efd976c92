import ArgumentParser

/// How charts and briefings are drawn: the options `briefing build` and `briefing chart` share.
struct RenderingOptions: ParsableArguments {
  @Option(parsing: .unconditional, help: "Pixels per point of PNG charts (2 = 144 dpi).")
  var pngScale: Double = 2

  @Flag(help: "Warn about characters no installed font can draw (they print as empty boxes) instead of failing.")
  var allowMissingGlyphs = false

  @Flag(help: "Warn about chart colours that are hard to tell apart (also for colour-blind readers) or text with too little contrast, instead of failing.")
  var allowLowContrast = false

  func validate() throws { try Self.check(pngScale: pngScale) }

  static func check(pngScale: Double) throws {
    guard pngScale > 0, pngScale <= 8 else { throw ValidationError("--png-scale must be between 0 and 8, found \(pngScale)") }
  }
}
