internal import Foundation

/// What identifies the program that builds: its version and the GNU build id the linker wrote into
/// the running executable, so that a rebuilt binary (a changed renderer under the same version
/// number) rebuilds every briefing, and the same binary never does.
public enum ToolIdentity {
  /// `briefing 0.1.0 (build 63bc0e29…)`, or the version alone when the executable has no build id.
  public static let current: String = {
    guard let id = buildID(ofExecutableAt: "/proc/self/exe") else { return "briefing \(briefingVersion)" }
    return "briefing \(briefingVersion) (build \(id))"
  }()

  /// The hex GNU build id of a 64-bit little-endian ELF file: the `NT_GNU_BUILD_ID` note of one of
  /// its `PT_NOTE` segments.
  static func buildID(ofExecutableAt path: String) -> String? {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { return nil }
    defer { close(descriptor) }
    func bytes(at offset: Int, count: Int) -> [UInt8]? {
      guard count > 0, count <= 1 << 20 else { return nil }
      var buffer = [UInt8](repeating: 0, count: count)
      let read = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, count, off_t(offset)) }
      return read == count ? buffer : nil
    }
    func integer(_ bytes: [UInt8], _ offset: Int, _ size: Int) -> Int {
      (0..<size).reduce(0) { $0 | Int(bytes[offset + $1]) << (8 * $1) }
    }
    // ELF magic, 64-bit, little-endian.
    guard let header = bytes(at: 0, count: 64), header[0..<4].elementsEqual([0x7F, 0x45, 0x4C, 0x46]), header[4] == 2, header[5] == 1
    else { return nil }
    let programHeaders = integer(header, 32, 8)
    let entrySize = integer(header, 54, 2)
    let entries = integer(header, 56, 2)
    guard entrySize >= 56, let table = bytes(at: programHeaders, count: entrySize * entries) else { return nil }
    for index in 0..<entries {
      let entry = index * entrySize
      guard integer(table, entry, 4) == 4 else { continue }  // PT_NOTE
      guard let notes = bytes(at: integer(table, entry + 8, 8), count: integer(table, entry + 32, 8)) else { continue }
      // Each note: name size, descriptor size, type (4 bytes each), then the name and the
      // descriptor, each padded to 4 bytes.
      var offset = 0
      while offset + 12 <= notes.count {
        let nameSize = integer(notes, offset, 4)
        let descriptorSize = integer(notes, offset + 4, 4)
        let type = integer(notes, offset + 8, 4)
        let name = offset + 12
        let descriptor = name + (nameSize + 3) & ~3
        guard descriptor + descriptorSize <= notes.count else { break }
        if type == 3, nameSize == 4, notes[name..<name + 3].elementsEqual(Array("GNU".utf8)) {
          return notes[descriptor..<descriptor + descriptorSize].map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
        }
        offset = descriptor + (descriptorSize + 3) & ~3
      }
    }
    return nil
  }
}
