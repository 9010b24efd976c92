import Foundation
import Testing

/// Builds draw only with the pinned font set (the theme's families and the fallbacks), so a
/// machine with one more font installed gives byte-identical files.
@Suite struct FontSetTests {
  /// The folders of the theme's and the fallback fonts on this machine, from fontconfig.
  func pinnedFontFolders() throws -> [String] {
    let listed = try tool("fc-list", [":", "family", "file"]).output
    let folders = listed.split(separator: "\n").compactMap { line -> String? in
      guard line.contains("PT Sans") || line.contains("PT Serif") || line.contains("DejaVu") else { return nil }
      let file = line.split(separator: ":").first.map(String.init) ?? ""
      return (file as NSString).deletingLastPathComponent
    }
    return Array(Set(folders)).sorted()
  }

  /// A fontconfig file that exposes `folders` and nothing else.
  func fontconfig(exposing folders: [String], in folder: URL) throws -> String {
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let file = folder.appendingPathComponent("fonts.conf")
    let dirs = folders.map { "<dir>\($0)</dir>" }.joined()
    try """
      <?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd">
      <fontconfig>\(dirs)<cachedir>\(folder.path)/cache</cachedir></fontconfig>
      """.write(to: file, atomically: true, encoding: .utf8)
    return file.path
  }

  @Test func anExtraInstalledFontChangesNoByteOfABuild() throws {
    let extra = try tool("fc-list", [":charset=e001", "file"]).output.split(separator: ":").first.map(String.init) ?? ""
    // install-system-deps.sh installs fonts-opensymbol, LibreOffice's symbol font, for this test.
    try #require(!extra.isEmpty, "no installed font covers U+E001: install fonts-opensymbol")
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    // Symbols the theme's PT fonts lack: each is drawn by a fallback, which the extra font offers too.
    let symbols = folder.appendingPathComponent("symbols.yaml")
    try """
      id: symbols
      language: en
      title: "Symbols ▲▼ ★ ✓ → ∑"
      data: [\(projectRoot.path)/seeds/panel.csv]
      blocks:
        - paragraph: "Arrows → ⇒ ↑ ★ ✓ ✔ ✗ ☎ ♦ ● ◆ ■ □ ∞ ≈ ≠ ≤ ≥ ∑ ∏ √"
      """.write(to: symbols, atomically: true, encoding: .utf8)
    let layouts = [projectRoot.appendingPathComponent("layouts/regional-overview.yaml").path, symbols.path]
    // A machine with only the pinned fonts, and this one, which also has the extra font.
    let bare = try fontconfig(exposing: try pinnedFontFolders(), in: folder.appendingPathComponent("bare"))
    let withExtra = try fontconfig(
      exposing: try pinnedFontFolders() + [(extra as NSString).deletingLastPathComponent], in: folder.appendingPathComponent("extra"))
    func build(_ config: String, fonts: String = "pinned") throws -> [String: Data] {
      let out = folder.appendingPathComponent(UUID().uuidString)
      let result = try run(
        briefingExecutable(), ["build"] + layouts + ["--out", out.path],
        environment: ["FONTCONFIG_FILE": config, "SOURCE_DATE_EPOCH": "1767225600", "BRIEFING_FONTS": fonts])
      #expect(result.status == 0, "\(result.error)")
      var files: [String: Data] = [:]
      // The build's state folder aside; manifest.json, which lists the font files used, is compared too.
      for name in try FileManager.default.contentsOfDirectory(atPath: out.path) where name != ".briefing" {
        files[name] = try Data(contentsOf: out.appendingPathComponent(name))
      }
      return files
    }
    let (without, with) = (try build(bare), try build(withExtra))
    #expect(without.count == 7 && without.keys.sorted() == with.keys.sorted(), "\(without.keys.sorted())")
    for (name, bytes) in without { #expect(with[name] == bytes, "\(name) differs when one more font is installed") }
    // The test can fail: with every installed font, the extra one changes the symbols page.
    #expect(try build(bare, fonts: "system")["symbols.pdf"] != build(withExtra, fonts: "system")["symbols.pdf"])
  }

  @Test func aCharacterOnlyAnUnpinnedFontHasStillFailsTheBuild() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let yaml = try writeScenario(in: folder, data: "B \u{E001},P,2025,m,2,u", tableMetric: "m")
    let pinned = try run(briefingExecutable(), ["build", yaml.path, "--out", folder.appendingPathComponent("out").path])
    #expect(pinned.status == 70, "\(pinned.error)")
    #expect(pinned.error.contains("no installed font can draw U+E001"), "\(pinned.error)")
    // With every installed font (BRIEFING_FONTS=system), the extra font draws it: the pinning is
    // what kept it out.
    let extra = try tool("fc-list", [":charset=e001", "file"]).output
    guard !extra.isEmpty else { return }
    let system = try run(
      briefingExecutable(), ["build", yaml.path, "--out", folder.appendingPathComponent("out").path], environment: ["BRIEFING_FONTS": "system"])
    #expect(system.status == 0, "\(system.error)")
  }
}
