public import BriefingLayout

/// What an SVG says about itself, for screen readers and search: its title, a summary of what it
/// shows, and its language.
public struct SVGDescription: Hashable, Sendable {
  /// The chart's title; nil when the document around the image gives it.
  public var title: String?
  /// What is shown: measure, unit, period, source, and the figures in reading order.
  public var summary: String
  /// The language of the text (`ru`, `en`).
  public var language: String

  public init(title: String?, summary: String, language: String) {
    self.title = title
    self.summary = summary
    self.language = language
  }
}

/// One page written as SVG elements directly — `<rect>`, `<line>`, `<path>` and real `<text>` —
/// so the text can be selected, searched, translated and read aloud.
///
/// Each line of text is placed where Pango sets it and given its measured width with
/// `textLength` and `lengthAdjust="spacingAndGlyphs"`: a viewer without the font draws the line
/// with another one squeezed or stretched to the same width, so no line runs into its neighbour.
/// Every id is derived from a hash of the image's content: two different images never share one,
/// and the same input gives the same bytes.
public struct SVGTextImage {
  public let size: Size
  public let description: SVGDescription
  private let measurer: PangoTextMeasurer

  public init(size: Size, description: SVGDescription, measurer: PangoTextMeasurer) {
    self.size = size
    self.description = description
    self.measurer = measurer
  }

  /// The SVG document of `page`.
  public func render(page: Page) -> [UInt8] {
    var body = ""
    var writer = Writer(measurer: measurer)
    writer.write(page.frame, into: &body)
    let placeholder = SVGMarkup.placeholder
    var head = ""
    if let title = description.title, !title.isEmpty {
      head += "<title id=\"\(placeholder)-title\">\(SVGMarkup.escape(title))</title>\n"
    }
    head += "<desc id=\"\(placeholder)-desc\">\(SVGMarkup.escape(description.summary))</desc>\n"
    let labelledBy = (description.title?.isEmpty == false ? "\(placeholder)-title " : "") + "\(placeholder)-desc"
    let language = SVGMarkup.escape(description.language)
    let (w, h) = (SVGMarkup.number(size.width), SVGMarkup.number(size.height))
    let document = """
      <?xml version="1.0" encoding="UTF-8"?>
      <svg xmlns="http://www.w3.org/2000/svg" width="\(w)pt" height="\(h)pt" viewBox="0 0 \(w) \(h)" \
      role="img" aria-labelledby="\(labelledBy)" lang="\(language)" xml:lang="\(language)">
      \(head)<g font-family="\(SVGMarkup.fontFamily(writer.mainFamily))">
      \(body)</g>
      </svg>

      """
    return SVGMarkup.identify(Array(document.utf8))
  }

  /// Writes frame items as elements.
  private struct Writer {
    let measurer: PangoTextMeasurer
    /// The family most text uses, set once on the group around everything.
    var mainFamily = "sans-serif"
    private var familyChosen = false

    init(measurer: PangoTextMeasurer) { self.measurer = measurer }

    mutating func write(_ frame: Frame, into out: inout String) {
      if !familyChosen, let first = frame.flattenedTextRuns().first {
        mainFamily = first.style.family
        familyChosen = true
      }
      for item in frame.items { write(item, into: &out) }
    }

    mutating func write(_ item: FrameItem, into out: inout String) {
      let n = SVGMarkup.number
      switch item {
      case .rect(let rect, let paint):
        out += "<rect x=\"\(n(rect.minX))\" y=\"\(n(rect.minY))\" width=\"\(n(rect.width))\" height=\"\(n(rect.height))\"\(SVGMarkup.paint(paint))/>\n"
      case .line(let from, let to, let paint):
        let stroke = Paint(fill: nil, stroke: paint.stroke ?? paint.fill, lineWidth: paint.lineWidth, dash: paint.dash)
        out += "<line x1=\"\(n(from.x))\" y1=\"\(n(from.y))\" x2=\"\(n(to.x))\" y2=\"\(n(to.y))\"\(SVGMarkup.paint(stroke))/>\n"
      case .path(let points, let closed, let paint):
        guard let first = points.first else { return }
        var d = "M\(n(first.x)) \(n(first.y))"
        for point in points.dropFirst() { d += "L\(n(point.x)) \(n(point.y))" }
        if closed { d += "Z" }
        out += "<path d=\"\(d)\"\(SVGMarkup.paint(paint))/>\n"
      case .group(let origin, let frame):
        out += "<g transform=\"translate(\(n(origin.x)) \(n(origin.y)))\">\n"
        write(frame, into: &out)
        out += "</g>\n"
      case .text(let run):
        write(run, into: &out)
      case .link, .anchor:
        break
      }
    }

    mutating func write(_ run: TextRun, into out: inout String) {
      let n = SVGMarkup.number
      let style = run.style
      var attributes = " font-size=\"\(n(style.size))\" fill=\"\(style.color.hexString)\""
      if style.color.alpha < 1 { attributes += " fill-opacity=\"\(n(style.color.alpha))\"" }
      if style.family != mainFamily { attributes += " font-family=\"\(SVGMarkup.fontFamily(style.family))\"" }
      if style.weight == .bold { attributes += " font-weight=\"bold\"" }
      if style.italic { attributes += " font-style=\"italic\"" }
      if style.tabularFigures { attributes += " style=\"font-variant-numeric:tabular-nums\"" }
      let (originX, originY) = run.readsUpward ? (0.0, 0.0) : (run.frame.minX, run.frame.minY)
      if run.readsUpward { out += "<g transform=\"translate(\(n(run.frame.minX)) \(n(run.frame.maxY))) rotate(-90)\">\n" }
      for line in measurer.lines(of: run) where !line.text.isEmpty {
        var element = "<text x=\"\(n(originX + line.x))\" y=\"\(n(originY + line.baseline))\"\(attributes)"
        if line.text.count > 1 { element += " textLength=\"\(n(line.width))\" lengthAdjust=\"spacingAndGlyphs\"" }
        out += element + ">\(SVGMarkup.escape(line.text))</text>\n"
      }
      if run.readsUpward { out += "</g>\n" }
    }
  }
}

/// The pieces of SVG both writers share: escaping, numbers, paints, fonts and content-hash ids.
enum SVGMarkup {
  /// Stands for the image's id prefix until the content is known.
  static let placeholder = "\u{1}id"

  /// Text safe in an attribute or element: `&`, `<`, `>` and quotes escaped; control characters
  /// dropped; bidi embeddings, overrides and isolates made word joiners, as Pango draws them.
  static func escape(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    for scalar in text.unicodeScalars {
      switch scalar {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&#39;"
      case "\t", "\n": out += " "
      case "\u{202A}"..."\u{202E}", "\u{2066}"..."\u{2069}": out += "\u{2060}"
      default:
        let value = scalar.value
        // C0, DEL and C1 controls are not allowed in XML 1.0 (or mean nothing to a reader).
        if value < 0x20 || (0x7F...0x9F).contains(value) || value == 0xFFFE || value == 0xFFFF { continue }
        out.unicodeScalars.append(scalar)
      }
    }
    return out
  }

  /// A coordinate with at most two decimals and no trailing zeros.
  static func number(_ value: Double) -> String {
    guard value.isFinite else { return "0" }
    let hundredths = (value * 100).rounded()
    if hundredths == 0 { return "0" }
    let negative = hundredths < 0
    let magnitude = Int64(abs(hundredths))
    var text = String(magnitude / 100)
    let fraction = magnitude % 100
    if fraction != 0 {
      text += fraction % 10 == 0 ? ".\(fraction / 10)" : (fraction < 10 ? ".0\(fraction)" : ".\(fraction)")
    }
    return negative ? "-" + text : text
  }

  static func paint(_ paint: Paint) -> String {
    var out = ""
    if let fill = paint.fill {
      out += " fill=\"\(fill.hexString)\""
      if fill.alpha < 1 { out += " fill-opacity=\"\(number(fill.alpha))\"" }
    } else {
      out += " fill=\"none\""
    }
    if let stroke = paint.stroke {
      out += " stroke=\"\(stroke.hexString)\" stroke-width=\"\(number(paint.lineWidth))\""
      if stroke.alpha < 1 { out += " stroke-opacity=\"\(number(stroke.alpha))\"" }
      if !paint.dash.isEmpty { out += " stroke-dasharray=\"\(paint.dash.map(number).joined(separator: " "))\"" }
    }
    return out
  }

  /// A font-family list: the theme's family, the fallback the build uses, and a generic family.
  static func fontFamily(_ family: String) -> String {
    let generic = family.lowercased().contains("serif") && !family.lowercased().contains("sans") ? "serif" : "sans-serif"
    let fallback = generic == "serif" ? "DejaVu Serif" : "DejaVu Sans"
    let names = [family, fallback].filter { !$0.isEmpty }.map { "'\(escape($0).replacingOccurrences(of: "'", with: ""))'" }
    return (names + [generic]).joined(separator: ", ")
  }

  /// Replaces the placeholder with `b` and the first 16 hex digits of the FNV-1a hash of the
  /// document: the same content gives the same ids, different content different ones.
  static func identify(_ document: [UInt8]) -> [UInt8] {
    let prefix = Array(("b" + hash(document)).utf8)
    let marker = Array(placeholder.utf8)
    var out: [UInt8] = []
    out.reserveCapacity(document.count + 64)
    var i = 0
    while i < document.count {
      if document[i] == marker[0], i + marker.count <= document.count, document[i..<(i + marker.count)].elementsEqual(marker) {
        out += prefix
        i += marker.count
      } else {
        out.append(document[i])
        i += 1
      }
    }
    return out
  }

  /// 64-bit FNV-1a, as 16 hex digits.
  static func hash(_ bytes: [UInt8]) -> String {
    var value: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in bytes {
      value ^= UInt64(byte)
      value = value &* 0x0000_0100_0000_01B3
    }
    let digits = String(value, radix: 16)
    return String(repeating: "0", count: 16 - digits.count) + digits
  }
}
