/// How sure a figure is: exact, or a bound or an estimate as the source worded it ("over 40").
///
/// Tidy files carry the source's word in the `qualifier` column. Adding figures carries the words
/// along: an exact figure plus "over 40" is still "over" something, two lower bounds make a lower
/// bound, and bounds that point different ways leave only an approximate figure.
public enum Qualifier {
  /// Words that mean the true value is at least the figure.
  static let lowerBounds: Set<String> = ["over", "at least", "more than", "from", "around from"]
  /// Words that mean the true value is at most the figure.
  static let upperBounds: Set<String> = ["up to", "under", "almost", "less than", "to", "around to"]

  /// Whether `words` hold both bounds of a stated range, which must never be added together.
  public static func holdsBothRangeBounds(_ words: Set<String>) -> Bool {
    !words.isDisjoint(with: ["from", "around from"]) && !words.isDisjoint(with: ["to", "around to"])
  }

  /// The qualifier of a sum or mean of figures qualified by `words` ("" for exact ones).
  ///
  /// Approximate figures added to bounds that all point one way keep that direction ("over 1 000"
  /// plus "around 160" is at least about 1 160, not merely about it); only bounds pointing both ways
  /// leave an approximate figure.
  public static func combining<S: Sequence>(_ words: S) -> String where S.Element == String {
    var distinct: Set<String> = []
    for word in words where !word.isEmpty { distinct.insert(word) }
    guard let first = distinct.first else { return "" }
    if distinct.count == 1 { return first }
    let lower = !distinct.isDisjoint(with: lowerBounds)
    let upper = !distinct.isDisjoint(with: upperBounds)
    switch (lower, upper) {
    case (true, false): return "at least"
    case (false, true): return "up to"
    default: return "around"
    }
  }
}
