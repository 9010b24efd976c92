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
///
/// Loading the system's configuration parses some fifty XML files (about 10 ms, a fifth of a
/// one-chart run): `prepare()` starts it on a thread of its own at process start, and it is the
/// process's current configuration, so Pango's own start-up thread finds it loaded instead of
/// parsing the files a second time.
public enum FontSet {
  /// Families every build may fall back to for characters the theme's fonts lack.
  public static let fallbacks = ["DejaVu Sans", "DejaVu Serif"]

  /// Whether builds use only the pinned set (the default).
  static var isPinned: Bool { ProcessInfo.processInfo.environment["BRIEFING_FONTS"] != "system" }

  /// Configurations made so far, by family list: each is made once per process and kept, since
  /// font maps hold references to it.
  nonisolated(unsafe) private static var made: [[String]: (config: OpaquePointer, files: [String])] = [:]
  private static let lock = NSLock()
  private static let system = SystemConfiguration()

  /// Starts loading the system's font configuration in the background, so that the first
  /// measurer need not wait for all of it, and then the pinned configuration of `families` (the
  /// default theme's, which most charts and briefings use: 7 M instructions the first measurer
  /// otherwise spends on the main thread). Calling it again, or never, is harmless.
  public static func prepare(families: [String] = []) {
    guard !families.isEmpty, isPinned else { return system.startLoading() }
    system.startLoading { _ = configuration(families: families) }
  }

  /// A fontconfig configuration with just the font files of `families` and the fallbacks, or nil
  /// when pinning is off or fontconfig finds none of them (the font map then keeps the system's).
  /// The caller does not own it.
  static func configuration(families: [String]) -> OpaquePointer? {
    guard isPinned else {
      // Loaded before the font map exists, so that Pango's thread does not load it again.
      _ = system.loaded()
      return nil
    }
    let key = unique(families + fallbacks)
    lock.lock()
    defer { lock.unlock() }
    if let known = made[key] { return known.config }
    guard let installed = system.loaded(), let pinned = makeConfiguration(families: key, from: installed) else {
      return nil
    }
    made[key] = pinned
    return pinned.config
  }

  /// The font files a build with `families` draws with, sorted: what an incremental build
  /// records as the fonts it used. Empty when pinning is off (every installed font may be used).
  public static func files(families: [String]) -> [String] {
    guard configuration(families: families) != nil else { return [] }
    lock.lock()
    defer { lock.unlock() }
    return made[unique(families + fallbacks)]?.files ?? []
  }

  private static func makeConfiguration(families: [String], from installed: OpaquePointer) -> (config: OpaquePointer, files: [String])? {
    var files: [String] = []
    for family in families {
      for file in Self.files(of: family, in: installed) where !files.contains(file) { files.append(file) }
    }
    guard !files.isEmpty, let pinned = FcConfigCreate() else { return nil }
    // Sorted: the order fonts are added decides ties, and must not depend on the file system.
    files.sort()
    if loadFromCaches(files, into: pinned, cacheDirectories: cacheDirectories(of: installed)) { return (pinned, files) }
    FcConfigDestroy(pinned)
    // Scanning each file (FreeType opens every face): about 8 ms, against under 1 ms from the caches.
    guard let scanned = FcConfigCreate() else { return nil }
    for file in files { _ = FcConfigAppFontAddFile(scanned, file) }
    return (scanned, files)
  }

  /// Fills `config` with `files` as fontconfig's caches describe them: the folders that hold them,
  /// every other file in those folders rejected. False when a folder has no valid cache (it would be
  /// scanned, and its other fonts counted), or when a path cannot be written as a glob.
  private static func loadFromCaches(_ files: [String], into config: OpaquePointer, cacheDirectories: [String]) -> Bool {
    guard !cacheDirectories.isEmpty, files.allSatisfy({ !$0.contains(where: { "*?[\\".contains($0) }) }) else {
      return false
    }
    let folders = Array(Set(files.map { ($0 as NSString).deletingLastPathComponent })).sorted()
    guard folders.allSatisfy({ hasValidCache(folder: $0) }) else { return false }
    var xml = "<?xml version=\"1.0\"?>\n<fontconfig>\n"
    for directory in cacheDirectories { xml += "<cachedir>\(escaped(directory))</cachedir>\n" }
    for folder in folders { xml += "<dir>\(escaped(folder))</dir>\n" }
    xml += "<selectfont><acceptfont>\n"
    for file in files { xml += "<glob>\(escaped(file))</glob>\n" }
    xml += "</acceptfont><rejectfont><glob>*</glob></rejectfont></selectfont>\n</fontconfig>\n"
    guard FcConfigParseAndLoadFromMemory(config, xml, FcFalse) == FcTrue, FcConfigBuildFonts(config) == FcTrue else {
      return false
    }
    // The caches must hold exactly the files asked for (a stale or partial cache would not).
    guard let loaded = FcConfigGetFonts(config, FcSetSystem) else { return false }
    var found: Set<String> = []
    for index in 0..<Int(loaded.pointee.nfont) {
      guard let font = loaded.pointee.fonts[index] else { continue }
      var file: UnsafeMutablePointer<FcChar8>? = nil
      if FcPatternGetString(font, FC_FILE, 0, &file) == FcResultMatch, let file { found.insert(String(cString: file)) }
    }
    return found == Set(files)
  }

  private static func hasValidCache(folder: String) -> Bool {
    FcDirCacheValid(folder) == FcTrue
  }

  private static func cacheDirectories(of config: OpaquePointer) -> [String] {
    guard let list = FcConfigGetCacheDirs(config) else { return [] }
    defer { FcStrListDone(list) }
    var directories: [String] = []
    while let directory = FcStrListNext(list) { directories.append(String(cString: directory)) }
    return directories
  }

  private static func escaped(_ text: String) -> String {
    text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
      .replacingOccurrences(of: ">", with: "&gt;")
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

/// The system's font configuration, loaded once per process: on a background thread when
/// `FontSet.prepare()` asked for it early, else by the first caller, who then waits for it.
private final class SystemConfiguration: @unchecked Sendable {
  private enum State {
    case idle
    case loading
    case loaded(OpaquePointer?)
  }

  private let condition = NSCondition()
  private var state = State.idle

  /// Loads the configuration on a thread of its own, which then runs `next`.
  func startLoading(then next: (@Sendable () -> Void)? = nil) {
    condition.lock()
    defer { condition.unlock() }
    guard case .idle = state else { return }
    state = .loading
    let thread = Thread { [self] in
      finish(with: Self.load())
      next?()
    }
    thread.name = "briefing fontconfig"
    thread.start()
  }

  /// The configuration (owned by fontconfig: it is the process's current one), or nil when
  /// fontconfig could not load one.
  func loaded() -> OpaquePointer? {
    condition.lock()
    defer { condition.unlock() }
    while true {
      switch state {
      case .loaded(let config):
        return config
      case .loading:
        condition.wait()
      case .idle:
        state = .loading
        condition.unlock()
        let config = Self.load()
        condition.lock()
        state = .loaded(config)
        condition.broadcast()
        return config
      }
    }
  }

  private func finish(with config: OpaquePointer?) {
    condition.lock()
    state = .loaded(config)
    condition.broadcast()
    condition.unlock()
  }

  private static func load() -> OpaquePointer? {
    guard FcInit() == FcTrue else { return nil }
    return FcConfigGetCurrent()
  }
}
