public import BriefingAnalytics
public import BriefingCairo
public import BriefingLayout

/// Why a build failed, with enough context to fix it.
public enum BriefingError: Error, CustomStringConvertible {
  /// The layout file could not be read or does not describe a valid layout.
  case invalidLayout(file: String, line: Int?, column: Int?, message: String)
  /// A data or reference file is malformed.
  case data(DataError)
  /// The content does not fit the page.
  case layout(file: String, LayoutError)
  /// cairo, Pango or the fonts failed.
  case rendering(CairoError)
  /// An output file could not be written; nothing was replaced.
  case output(file: String, reason: String)
  /// A query selected nothing to show.
  case emptySelection(file: String, block: String, detail: String)

  public var description: String {
    switch self {
    case .invalidLayout(let file, let line, let column, let message):
      if let line { return "\(file):\(line):\(column ?? 1): \(message)" }
      return "\(file): \(message)"
    case .data(let error): return error.description
    case .layout(let file, let error): return "\(file): \(error)"
    case .rendering(let error): return error.description
    case .output(let file, let reason): return "\(file): cannot write: \(reason)"
    case .emptySelection(let file, let block, let detail): return "\(file): \(block) selects no data: \(detail)"
    }
  }
}
