public import BriefingAnalytics
public import BriefingCairo
public import BriefingLayout

/// Why a build failed, with enough context to fix it.
public enum BriefingError: Error, CustomStringConvertible {
  /// The layout file could not be read or does not describe a valid layout.
  case invalidLayout(file: String, line: Int?, column: Int?, message: String)
  /// A data or reference file is malformed.
  case data(DataError)
  /// A block's query cannot combine the data it selects (mixed units, both bounds of a range…).
  case query(file: String, block: String, DataError)
  /// The content does not fit the page; `block` names the layout block when one is to blame.
  case layout(file: String, block: String? = nil, LayoutError)
  /// cairo, Pango or the fonts failed.
  case rendering(CairoError)
  /// An output file could not be written; nothing was replaced.
  case output(file: String, reason: String)
  /// Another build holds the output folder's lock, and did not let go within `waited` seconds.
  case busy(folder: String, waited: Double)

  public var description: String {
    switch self {
    case .invalidLayout(let file, let line, let column, let message):
      if let line { return "\(file):\(line):\(column ?? 1): \(message)" }
      return "\(file): \(message)"
    case .data(let error): return error.description
    case .query(let file, let block, let error): return "\(file): \(block): \(error)"
    case .layout(let file, let block, let error): return "\(file): " + (block.map { "\($0): " } ?? "") + "\(error)"
    case .rendering(let error): return error.description
    case .output(let file, let reason): return "\(file): cannot write: \(reason)"
    case .busy(let folder, let waited):
      return "\(folder): another build is writing into this folder (it holds \(folder)/.briefing/lock); waited \(waited.formatted(.number.precision(.fractionLength(0...1)))) s (--wait SECONDS to wait longer)"
    }
  }
}
