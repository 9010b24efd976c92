import Foundation

extension Color {
  /// Creates a colour from layout text: `#RRGGBB` or `#RGB` (the `#` optional, hex digits in any
  /// case) or one of the 148 CSS Color Module 4 names (`steelblue`, `RebeccaPurple`), ignoring case.
  ///
  /// Surrounding spaces are ignored. The colour is opaque.
  /// - Parameter text: The colour as written in the layout.
  /// - Throws: `ColorParseError` naming the text, with the nearest colour name when it is within
  ///   two edits of one.
  public init(parsing text: String) throws(ColorParseError) {
    let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
    let lowered = trimmed.lowercased()
    if let value = cssNamedColors[lowered] {
      self.init(hex: value)
      return
    }
    if let value = Self.hexValue(of: lowered) {
      self.init(hex: value)
      return
    }
    throw ColorParseError(found: trimmed, suggestion: Self.nearestColorName(to: lowered))
  }

  /// The colour as `#RRGGBB` in uppercase hex, each component rounded to the nearest of 256 steps
  /// (alpha is left out), such as `#1F4E79`.
  public var hexString: String {
    let digits = [red, green, blue].map { component -> String in
      let byte = Int((min(max(component, 0), 1) * 255).rounded())
      let hex = String(byte, radix: 16, uppercase: true)
      return hex.count == 1 ? "0" + hex : hex
    }
    return "#" + digits.joined()
  }

  /// The 24-bit value of `#RRGGBB`, `RRGGBB`, `#RGB` or `RGB` (lowercase), or nil.
  ///
  /// Each character is checked to be a hex digit, because `UInt32(_:radix:)` alone also accepts a
  /// leading `+` or `-`.
  static func hexValue(of text: String) -> UInt32? {
    let digits = text.hasPrefix("#") ? text.dropFirst() : Substring(text)
    guard digits.count == 3 || digits.count == 6, digits.allSatisfy({ $0.isASCII && $0.isHexDigit }) else { return nil }
    let full = digits.count == 3 ? String(digits.flatMap { [$0, $0] }) : String(digits)
    return UInt32(full, radix: 16)
  }

  /// The CSS colour name nearest to `text` by edit distance (insertions, deletions, substitutions
  /// and swaps of adjacent letters), when at most two edits away and fewer edits than `text` has
  /// letters; ties go to the alphabetically first name. Nil for text that starts with `#`.
  static func nearestColorName(to text: String) -> String? {
    guard !text.isEmpty, !text.hasPrefix("#") else { return nil }
    let limit = min(2, text.count - 1)
    var best: (name: String, distance: Int)?
    for name in cssNamedColors.keys.sorted() {
      let distance = editDistance(Array(text), Array(name))
      if distance <= limit, distance < (best?.distance ?? Int.max) { best = (name, distance) }
    }
    return best?.name
  }
}

/// The optimal-string-alignment distance between `a` and `b`: the fewest insertions, deletions,
/// substitutions and swaps of two adjacent characters that turn one into the other.
func editDistance(_ a: [Character], _ b: [Character]) -> Int {
  if a.isEmpty { return b.count }
  if b.isEmpty { return a.count }
  // distances[i][j] is the distance between a's first i and b's first j characters.
  var distances = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
  for i in 0...a.count { distances[i][0] = i }
  for j in 0...b.count { distances[0][j] = j }
  for i in 1...a.count {
    for j in 1...b.count {
      let cost = a[i - 1] == b[j - 1] ? 0 : 1
      var distance = min(distances[i - 1][j] + 1, distances[i][j - 1] + 1, distances[i - 1][j - 1] + cost)
      if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
        distance = min(distance, distances[i - 2][j - 2] + 1)
      }
      distances[i][j] = distance
    }
  }
  return distances[a.count][b.count]
}
