/// A formatted figure cut at its decimal separator, so that a column can line its separators up.
///
/// The separator is the last occurrence of the column's separator that a digit follows: "1 600,5"
/// (ru) gives "1 600" and ",5"; "12.5" (en) gives "12" and ".5"; "—", "более 1 600" and "n.a." have
/// no fraction, so the whole text is the integer part and its right edge sits at the separator.
struct DecimalFigure: Hashable, Sendable {
  /// The text before the separator (the whole text when there is no fraction).
  var integer: Substring
  /// The separator and what follows it; empty when there is no fraction.
  var fraction: Substring

  init(_ text: String, separator: String) {
    var cut: String.Index? = nil
    if !separator.isEmpty {
      var index = text.startIndex
      while index < text.endIndex {
        let rest = text[index...]
        if rest.hasPrefix(separator) {
          let after = text.index(index, offsetBy: separator.count)
          if after < text.endIndex, text[after].isNumber { cut = index }
        }
        index = text.index(after: index)
      }
    }
    if let cut {
      integer = text[..<cut]
      fraction = text[cut...]
    } else {
      integer = text[...]
      fraction = ""
    }
  }
}

/// The measured extent of one figure either side of its decimal separator.
struct FigureExtent: Hashable, Sendable {
  /// The width of the integer part (the whole text when there is no fraction).
  var integer: Double
  /// The width from the separator to the end of the text; 0 without a fraction.
  var fraction: Double

  init(integer: Double, fraction: Double) {
    self.integer = integer
    self.fraction = fraction
  }

  /// Measures `text` in `style`. The fraction is measured on its own and as the whole text less the
  /// integer part, whichever is wider, so that a box `integer + fraction` wide always holds the text.
  init(_ text: String, separator: String, style: TextStyle, measuring: any TextMeasuring) {
    let figure = DecimalFigure(text, separator: separator)
    let whole = measuring.measure(text, style: style, maxWidth: nil).width
    guard !figure.fraction.isEmpty else {
      integer = whole
      fraction = 0
      return
    }
    integer = measuring.measure(String(figure.integer), style: style, maxWidth: nil).width
    fraction = max(measuring.measure(String(figure.fraction), style: style, maxWidth: nil).width, whole - integer)
  }
}
