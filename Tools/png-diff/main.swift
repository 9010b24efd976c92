// png-diff: how far another renderer's drawing of a chart is from the chart's PNG export.
//
//   png-diff [--window N] [--tolerance T] [--max-mean M] [--max-square S] CANDIDATE.png REFERENCE.png
//
// Prints `mean=… worst=… at=X,Y`: the mean absolute difference per colour channel (0–255) over
// the reference's pixels, and the worst N×N square (default 4) of differences that antialiasing
// cannot explain, less T (default 32), with its corner (see ImageComparison.Difference). Exits 1
// when a given limit is exceeded, 2 when a file cannot be read or the sizes differ (the candidate
// may be one pixel wider or taller), 64 on a wrong command line.
// Used by scripts/check-embed.sh; not part of the `briefing` tool.
import BriefingCairo
import Foundation

func fail(_ message: String, _ code: Int32) -> Never {
  FileHandle.standardError.write(Data("png-diff: \(message)\n".utf8))
  exit(code)
}

var window = 4
var tolerance = 32
var maxMean: Double?
var maxSquare: Double?
var files: [String] = []
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
  switch argument {
  case "--window", "--tolerance", "--max-mean", "--max-square":
    guard let text = arguments.popFirst(), let value = Double(text), value.isFinite, value >= 0 else {
      fail("\(argument) takes a number", 64)
    }
    switch argument {
    case "--window":
      guard value >= 1, value <= 1000, value == value.rounded() else { fail("--window takes a whole number 1–1000", 64) }
      window = Int(value)
    case "--tolerance":
      guard value <= 255, value == value.rounded() else { fail("--tolerance takes a whole number 0–255", 64) }
      tolerance = Int(value)
    case "--max-mean": maxMean = value
    default: maxSquare = value
    }
  default:
    files.append(argument)
  }
}
guard files.count == 2 else {
  fail("usage: png-diff [--window N] [--tolerance T] [--max-mean M] [--max-square S] CANDIDATE.png REFERENCE.png", 64)
}
guard let difference = ImageComparison.difference(files[0], files[1], window: window, tolerance: tolerance) else {
  fail("cannot compare \(files[0]) with \(files[1]): unreadable, or not the same size", 2)
}

func rounded(_ value: Double) -> String { String(format: "%.2f", value) }
var line = "mean=\(rounded(difference.mean)) worst=\(rounded(difference.worstSquare)) at=\(difference.worstX),\(difference.worstY)"
var over = false
if let maxMean, difference.mean > maxMean {
  line += " (mean over \(rounded(maxMean)))"
  over = true
}
if let maxSquare, difference.worstSquare > maxSquare {
  line += " (worst over \(rounded(maxSquare)))"
  over = true
}
print(line)
exit(over ? 1 : 0)
