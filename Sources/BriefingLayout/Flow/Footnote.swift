/// A note at the foot of the page: the marker that refers to it (a number, set as a superscript
/// in the text, table cell or key figure it annotates) and its text («Источник: …»).
///
/// A block carries the footnotes of its markers (`Block.footnotes`); the paginator sets them at
/// the foot of the page where the marker lands, under a short rule, and keeps their room when it
/// decides what fits. A footnote is printed on every page that shows its marker, and only there.
public struct Footnote: Hashable, Sendable, Codable {
  /// What the text shows where the note is referred to, and before the note: "1", "2", …
  public var marker: String
  /// The note itself; it wraps to the text width.
  public var text: String

  public init(marker: String, text: String) {
    self.marker = marker
    self.text = text
  }
}

/// Numbers footnotes 1, 2, 3 … through a document, in the order they are made.
///
/// ```swift
/// var notes = FootnoteNumbering()
/// let source = notes.next("Источник: …")          // marker "1"
/// let paragraph = Paragraph([.text("Обучено 1 600 человек"), .footnote(source), .text(".")], style: body)
/// ```
public struct FootnoteNumbering: Sendable {
  /// The number the next footnote gets.
  public private(set) var nextNumber: Int

  public init(startingAt first: Int = 1) {
    nextNumber = first
  }

  /// A footnote with `text` and the next number as its marker.
  public mutating func next(_ text: String) -> Footnote {
    defer { nextNumber += 1 }
    return Footnote(marker: String(nextNumber), text: text)
  }
}

/// A piece of running text: plain words, or the marker of a footnote set as a superscript.
public enum InlineText: Hashable, Sendable {
  case text(String)
  case footnote(Footnote)
}

/// Text with footnote markers: the string as drawn, the bytes of each marker, and the footnotes
/// in order of their markers.
struct MarkedText: Hashable, Sendable {
  var text: String
  /// UTF-8 byte ranges of `text` that are markers, in order.
  var superscripts: [Range<Int>]
  /// The footnotes of the markers, in order.
  var notes: [Footnote]
  /// Where each of `notes` has its marker: a UTF-8 byte offset into `text`.
  var noteOffsets: [Int]

  init(_ parts: [InlineText]) {
    var text = ""
    var superscripts: [Range<Int>] = []
    var notes: [Footnote] = []
    var offsets: [Int] = []
    for part in parts {
      switch part {
      case .text(let words):
        text += words
      case .footnote(let note):
        // Two markers side by side are told apart by a comma, as «¹,²».
        if let last = superscripts.last, last.upperBound == text.utf8.count {
          text += ","
          superscripts[superscripts.count - 1] = last.lowerBound..<text.utf8.count
        }
        let start = text.utf8.count
        text += note.marker
        superscripts.append(start..<text.utf8.count)
        notes.append(note)
        offsets.append(start)
      }
    }
    self.text = text
    self.superscripts = Self.merged(superscripts)
    self.notes = notes
    self.noteOffsets = offsets
  }

  init(text: String, superscripts: [Range<Int>] = [], notes: [Footnote] = [], noteOffsets: [Int] = []) {
    self.text = text
    self.superscripts = superscripts
    self.notes = notes
    self.noteOffsets = noteOffsets
  }

  /// The text before UTF-8 offset `cut` (trailing spaces dropped) and the text from it, each with
  /// its markers and footnotes.
  func split(at cut: Int) -> (MarkedText, MarkedText) {
    let utf8 = Array(text.utf8)
    let head = String(decoding: utf8[..<cut], as: UTF8.self).trimmingTrailingWhitespace()
    let tail = String(decoding: utf8[cut...], as: UTF8.self)
    let headLength = head.utf8.count
    let before = superscripts.compactMap { range -> Range<Int>? in
      let clipped = range.clamped(to: 0..<headLength)
      return clipped.isEmpty ? nil : clipped
    }
    let after = superscripts.compactMap { range -> Range<Int>? in
      let clipped = range.clamped(to: cut..<utf8.count)
      return clipped.isEmpty ? nil : (clipped.lowerBound - cut)..<(clipped.upperBound - cut)
    }
    let pairs = zip(noteOffsets, notes)
    return (
      MarkedText(text: head, superscripts: before, notes: pairs.filter { $0.0 < cut }.map(\.1), noteOffsets: pairs.filter { $0.0 < cut }.map(\.0)),
      MarkedText(
        text: tail, superscripts: after, notes: pairs.filter { $0.0 >= cut }.map(\.1), noteOffsets: pairs.filter { $0.0 >= cut }.map { $0.0 - cut })
    )
  }

  /// Adjacent ranges joined into one.
  static func merged(_ ranges: [Range<Int>]) -> [Range<Int>] {
    var result: [Range<Int>] = []
    for range in ranges {
      if let last = result.last, last.upperBound >= range.lowerBound {
        result[result.count - 1] = last.lowerBound..<max(last.upperBound, range.upperBound)
      } else {
        result.append(range)
      }
    }
    return result
  }

  /// `text` followed by the markers of `notes` as one superscript («12,3¹,²»).
  static func appending(_ notes: [Footnote], to text: String) -> MarkedText {
    guard !notes.isEmpty else { return MarkedText(text: text) }
    let start = text.utf8.count
    let marked = text + notes.map(\.marker).joined(separator: ",")
    return MarkedText(text: marked, superscripts: [start..<marked.utf8.count], notes: notes, noteOffsets: notes.map { _ in start })
  }
}

extension Array where Element == Footnote {
  /// The footnotes without repeats (the first of each marker and text), in order.
  func uniqued() -> [Footnote] {
    var seen = Set<Footnote>()
    return filter { seen.insert($0).inserted }
  }
}
