internal import CCairo
internal import Foundation

/// The fonts a build may draw with: the theme's families and the declared fallbacks, and no other
/// font the machine happens to have.
///
/// Left to the system's fontconfig, one more installed font (LibreOffice's OpenSymbol covers the
/// private-use area) can change which glyph a fallback draws, so the same layout would give
/// different files on two machines. Instead each measurer's font map gets a configuration of its
/// own holding only the files of these families, found through the system's configuration (which
/// `FONTCONFIG_FILE` still directs). `BRIEFING_FONTS=system` turns the pinning off and uses every
/// installed font.
public enum FontSet {
  /// Families every build may fall back to for characters the theme's fonts lack.
  public static let fallbacks = ["DejaVu Sans", "DejaVu Serif"]

  /// Whether builds use only the pinned set (the default).
  static var isPinned: Bool { ProcessInfo.processInfo.environment["BRIEFING_FONTS"] != "system" }

  /// Configurations made so far, by family list: each is made once per process (scanning the
  /// fonts costs about 25 ms) and kept, since font maps hold references to it.
  nonisolated(unsafe) private static var made: [[String]: OpaquePointer] = [:]
  private static let lock = NSLock()

  /// A fontconfig configuration with just the font files of `families` and the fallbacks, or nil
  /// when pinning is off or fontconfig finds none of them (the font map then keeps the system's).
  /// The caller does not own it.
  static func configuration(families: [String]) -> OpaquePointer? {
    guard isPinned else { return nil }
    let key = unique(families + fallbacks)
    lock.lock()
    defer { lock.unlock() }
    if let known = made[key] { return known }
    guard let pinned = makeConfiguration(families: key) else { return nil }
    made[key] = pinned
    return pinned
  }

  private static func makeConfiguration(families: [String]) -> OpaquePointer? {
    guard let system = FcInitLoadConfigAndFonts() else { return nil }
    defer { FcConfigDestroy(system) }
    var files: [String] = []
    for family in families {
      for file in Self.files(of: family, in: system) where !files.contains(file) { files.append(file) }
    }
    guard !files.isEmpty, let pinned = FcConfigCreate() else { return nil }
    // Sorted: the order fonts are added decides ties, and must not depend on the file system.
    for file in files.sorted() { _ = FcConfigAppFontAddFile(pinned, file) }
    return pinned
  }

  private static func unique(_ families: [String]) -> [String] {
    var seen: Set<String> = []
    return families.filter { seen.insert($0.lowercased()).inserted }
  }

  /// The files fontconfig lists for `family` (every style of it).
  private static func files(of family: String, in config: OpaquePointer) -> [String] {
    guard let pattern = FcPatternCreate() else { return [] }
    defer { FcPatternDestroy(pattern) }
    _ = FcPatternAddString(pattern, FC_FAMILY, family)
    guard let objects = FcObjectSetCreate() else { return [] }
    defer { FcObjectSetDestroy(objects) }
    _ = FcObjectSetAdd(objects, FC_FILE)
    guard let list = FcFontList(config, pattern, objects) else { return [] }
    defer { FcFontSetDestroy(list) }
    var files: [String] = []
    for index in 0..<Int(list.pointee.nfont) {
      guard let font = list.pointee.fonts[index] else { continue }
      var file: UnsafeMutablePointer<FcChar8>? = nil
      if FcPatternGetString(font, FC_FILE, 0, &file) == FcResultMatch, let file {
        files.append(String(cString: file))
      }
    }
    return files
  }
}
