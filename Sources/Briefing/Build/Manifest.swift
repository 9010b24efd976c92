internal import BriefingAnalytics
internal import Foundation

/// `manifest.json` of an output folder: every briefing built into it, what it was built from and
/// what it wrote (documented in docs/manifest.md).
///
/// A build reads it to skip briefings whose inputs are unchanged and to remove the files a
/// briefing no longer writes (it never removes a file the manifest does not list); shards'
/// manifests merge into one (`briefing manifest merge`).
public struct Manifest: Codable, Equatable, Sendable {
  /// The version of this format; a reader refuses a higher one.
  public static let currentVersion = 1

  /// The format's version (`currentVersion` when written).
  public var version: Int
  /// The program that last wrote the manifest (`briefing 0.1.0 (build …)`).
  public var tool: String
  /// One entry per briefing, sorted by layout, then parameters.
  public var briefings: [Entry]

  public init(tool: String = ToolIdentity.current, briefings: [Entry] = []) {
    self.version = Self.currentVersion
    self.tool = tool
    self.briefings = briefings
  }

  /// One briefing: a layout file with one set of parameter values.
  public struct Entry: Codable, Equatable, Sendable {
    /// The layout file, as the build was given it (relative to the folder the build ran in).
    public var layout: String
    /// The parameters' values (`region`), empty for a layout without parameters.
    public var parameters: [String: String]
    /// The base name of its files.
    public var id: String
    /// SHA-256 over everything the outputs depend on: the tool, the build's options, the
    /// parameters and every input's digest. Equal keys mean the same files.
    public var key: String
    /// When it was built (UTC, ISO 8601).
    public var built: String
    /// The program that built it.
    public var tool: String
    /// Rendering options that change the files (`SOURCE_DATE_EPOCH`, PNG scale, …).
    public var options: [String: String]
    /// Every file read: the layout, data, names, metrics and sources tables, and font files.
    public var inputs: [Input]
    /// Every file written, relative to the output folder.
    public var outputs: [Output]

    /// What the manifest calls the briefing: its layout and parameters.
    var identity: BriefingIdentity { BriefingIdentity(layout: layout, parameters: parameters) }
  }

  /// A file a briefing was built from.
  public struct Input: Codable, Equatable, Sendable {
    /// `layout`, `data`, `names`, `metrics`, `sources` or `font`.
    public var role: String
    /// The path as the build read it (relative to the folder the build ran in, or absolute).
    public var path: String
    public var sha256: String
  }

  /// A file a briefing wrote.
  public struct Output: Codable, Equatable, Sendable {
    /// Relative to the output folder (`regions/region-tatarstan.pdf`).
    public var path: String
    public var sha256: String
    /// In bytes.
    public var size: Int
    /// Pages of a PDF; nil for a chart.
    public var pages: Int?
  }

  /// The manifest as written: sorted keys, two-space indents, one final newline, so that equal
  /// manifests are equal files.
  func encoded() -> [UInt8] {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    // A manifest of Codable strings and integers always encodes.
    let data = (try? encoder.encode(self)) ?? Data("{}".utf8)
    return Array(data) + [0x0A]
  }

  /// Reads a manifest; nil for no file, an error naming the file when it is not one this program
  /// can read.
  static func read(_ bytes: [UInt8]?, file: String) throws(BriefingError) -> Manifest? {
    guard let bytes else { return nil }
    let manifest: Manifest
    do {
      manifest = try JSONDecoder().decode(Manifest.self, from: Data(bytes))
    } catch {
      throw .output(file: file, reason: "not a manifest this version can read (\(error)); move it away to build afresh")
    }
    guard manifest.version <= currentVersion else {
      throw .output(file: file, reason: "written by a newer briefing (manifest version \(manifest.version), this one reads up to \(currentVersion))")
    }
    return manifest
  }

  /// Sorts the entries by layout, then parameters.
  mutating func sort() {
    briefings.sort { $0.identity < $1.identity }
  }
}

/// A briefing's identity across builds: its layout file and its parameters' values.
struct BriefingIdentity: Hashable, Comparable, Sendable {
  var layout: String
  var parameters: [String: String]

  /// `layouts/region.yaml (region = Republic of Tatarstan)`.
  var description: String {
    parameters.isEmpty ? layout : layout + " (" + parameters.sorted { $0.key < $1.key }.map { "\($0.key) = \($0.value)" }.joined(separator: ", ") + ")"
  }

  private var sortKey: [String] { [layout] + parameters.sorted { $0.key < $1.key }.flatMap { [$0.key, $0.value] } }

  static func < (left: BriefingIdentity, right: BriefingIdentity) -> Bool {
    left.sortKey.lexicographicallyPrecedes(right.sortKey)
  }
}

extension Manifest {
  /// The manifests of shard folders (`files`, read) as one: every briefing of each, refusing a
  /// briefing listed twice with different entries and a file two briefings claim.
  public static func merging(_ files: [String]) throws(BriefingError) -> Manifest {
    var merged = Manifest()
    var byIdentity: [BriefingIdentity: (entry: Entry, file: String)] = [:]
    var owners: [String: (BriefingIdentity, String)] = [:]
    for file in files {
      guard let bytes = FileManager.default.contents(atPath: file).map(Array.init) else {
        throw .output(file: file, reason: "cannot read it: \(String(cString: strerror(errno)))")
      }
      guard let manifest = try read(bytes, file: file) else { continue }
      for entry in manifest.briefings {
        if let known = byIdentity[entry.identity] {
          guard known.entry == entry else {
            throw .invalidLayout(file: file, line: nil, column: nil, message: "\(entry.identity.description) is also in \(known.file), built differently; merge the manifests of one build's shards")
          }
          continue
        }
        for output in entry.outputs {
          if let (owner, ownerFile) = owners[output.path], owner != entry.identity {
            throw .invalidLayout(file: file, line: nil, column: nil, message: "\(output.path) is written by \(entry.identity.description) and by \(owner.description) in \(ownerFile)")
          }
          owners[output.path] = (entry.identity, file)
        }
        byIdentity[entry.identity] = (entry, file)
        merged.briefings.append(entry)
      }
    }
    merged.sort()
    return merged
  }

  /// Every way the folder `folder` differs from what this manifest lists: a missing output, or one
  /// whose size or SHA-256 differ.
  public func mismatches(inFolder folder: String) -> [String] {
    var problems: [String] = []
    for entry in briefings {
      for output in entry.outputs {
        let path = folder + "/" + output.path
        guard let bytes = FileManager.default.contents(atPath: path) else {
          problems.append("\(path): missing (listed for \(entry.identity.description))")
          continue
        }
        if bytes.count != output.size || Digest.sha256(Array(bytes)) != output.sha256 {
          problems.append("\(path): not the file the manifest lists (size \(bytes.count), expected \(output.size) bytes with SHA-256 \(output.sha256))")
        }
      }
    }
    return problems
  }

  /// Writes the manifest to `path`: a temporary file beside it, synced, renamed over it.
  public func write(to path: String) throws(BriefingError) {
    let temporary = path + ".partial-\(getpid())"
    unlink(temporary)
    if let problem = OutputTarget.writeNewFile(encoded(), at: temporary) { throw .output(file: path, reason: problem) }
    guard rename(temporary, path) == 0 else {
      let reason = String(cString: strerror(errno))
      unlink(temporary)
      throw .output(file: path, reason: reason)
    }
  }

  /// Reads the manifest at `path`.
  public static func read(at path: String) throws(BriefingError) -> Manifest {
    guard let bytes = FileManager.default.contents(atPath: path).map(Array.init) else {
      throw .output(file: path, reason: "cannot read it: \(String(cString: strerror(errno)))")
    }
    return try read(bytes, file: path) ?? Manifest()
  }
}
