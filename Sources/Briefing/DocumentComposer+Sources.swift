internal import BriefingAnalytics
internal import BriefingLayout
internal import Foundation

/// The source documents of documented figures (seeds/sources.csv): the `source` column of the data
/// names a row of this table.
struct SourceTable {
  struct Entry: Equatable {
    var id: String
    var title: String
    var publisher: String
    /// ISO 8601 (`2024-02-16`), or empty when the document gives none.
    var published: String
  }

  /// The table's file, as the layout names it.
  var file: String
  var entries: [String: Entry]

  /// The table of `rows` (columns `source`, `title`, `publisher`, `published`; `title_en` serves
  /// when `title` is empty); nil when it lacks `source`.
  init?(_ rows: ReferenceTable, file: String) {
    guard rows.header.contains("source") else { return nil }
    self.file = file
    var entries: [String: Entry] = [:]
    for row in rows.rows {
      guard let id = row["source"], !id.isEmpty else { continue }
      let title = (row["title"] ?? "").isEmpty ? row["title_en"] ?? "" : row["title"] ?? ""
      entries[id] = Entry(id: id, title: title, publisher: row["publisher"] ?? "", published: row["published"] ?? "")
    }
    self.entries = entries
  }
}

/// Where a documented figure comes from: its document and the words that state it.
struct Citation: Hashable {
  var source: String
  var quote: String
}

/// The footnotes of one document as its blocks are made: numbered 1, 2, 3 … in the order made,
/// and the documents they cite in the order first cited (for the list of sources).
///
/// Markers read «1)», «2)» as statistical yearbooks print them: a bare superscript digit after a
/// figure («16 000⁶») reads as one more digit. The same citation keeps its footnote: shown again on
/// a later page, once on a page that has it twice.
final class FootnoteLedger {
  private var count = 0
  private(set) var cited: [String] = []
  private var made: [Citation: Footnote] = [:]

  /// The source the last new footnote cited.
  private var lastSource: String?

  /// A footnote for each citation (the one it already has, else the next number), its text from
  /// `text` (given whether the footnote just before cites the same document: «Там же»).
  func footnotes(
    for citations: [Citation], text: (Citation, _ sameAsBefore: Bool) throws(BriefingError) -> String
  ) throws(BriefingError) -> [Footnote] {
    var notes: [Footnote] = []
    for citation in citations {
      if let known = made[citation] {
        notes.append(known)
        continue
      }
      if !cited.contains(citation.source) { cited.append(citation.source) }
      count += 1
      let note = Footnote(marker: "\(count))", text: try text(citation, lastSource == citation.source))
      made[citation] = note
      notes.append(note)
      lastSource = citation.source
    }
    return notes
  }
}

extension DocumentComposer {
  /// A paragraph of `text`, whose quoted figures (`FootnoteMark`) cite their sources in footnotes.
  func paragraph(_ text: String, style: TextStyle, notes: FootnoteLedger) throws(BriefingError) -> Paragraph {
    let pieces = FootnoteMark.pieces(of: text)
    guard pieces.contains(where: { $0.citation != nil }) else { return Paragraph(text, style: style) }
    var parts: [InlineText] = []
    for piece in pieces {
      if let index = piece.citation, index < figureCitations.count {
        for note in try footnotes(for: figureCitations[index], in: notes) { parts.append(.footnote(note)) }
      } else if !piece.text.isEmpty {
        parts.append(.text(piece.text))
      }
    }
    return Paragraph(parts, style: style)
  }

  /// The footnotes of `citations`, numbered by `ledger` (none without one).
  func footnotes(for citations: [Citation]?, in ledger: FootnoteLedger?) throws(BriefingError) -> [Footnote] {
    guard let ledger, let citations, !citations.isEmpty else { return [] }
    return try ledger.footnotes(for: citations) { (citation, sameAsBefore) throws(BriefingError) in
      try footnoteText(for: citation, sameAsBefore: sameAsBefore)
    }
  }

  /// The citations of the rows `question` selects that come from documents (a `source` other
  /// than `generated`), by the group they fall in (the group's keys; `[]` for a query of one
  /// figure), in the order the data gives them. Empty when the layout names no sources table
  /// (`sources:`) or the data has no `source` column.
  func citations(of question: Query, at place: BlockPlace) throws(BriefingError) -> [[String]: [Citation]] {
    guard sourceTable != nil, dataColumns.contains("source") else { return [:] }
    let traced = Query(
      filters: question.filters, groupBy: question.groupBy + ["source"] + (dataColumns.contains("quote") ? ["quote"] : []),
      aggregate: .count)
    let result: QueryResult
    do {
      result = try source.aggregate(traced)
    } catch {
      throw .query(file: layoutFile, block: place.name, error)
    }
    var found: [[String]: [Citation]] = [:]
    let width = question.groupBy.count
    for row in result.rows where row.keys.count > width {
      let id = row.keys[width]
      guard !id.isEmpty, id != "generated" else { continue }
      let citation = Citation(source: id, quote: row.keys.count > width + 1 ? row.keys[width + 1] : "")
      let group = Array(row.keys.prefix(width))
      if !(found[group] ?? []).contains(citation) { found[group, default: []].append(citation) }
    }
    return found
  }

  /// A footnote's text for `citation`: «Источник: <title>, <publisher>, 16.02.2024. Цитата: «…»»,
  /// or «Там же. Цитата: «…»» right after a footnote citing the same document (GOST R 7.0.5's
  /// repeated reference). A source the layout's sources table lacks is an error naming the data
  /// row that cites it.
  func footnoteText(for citation: Citation, sameAsBefore: Bool = false) throws(BriefingError) -> String {
    let ru = spec.language == .ru
    let quote = citation.quote.isEmpty ? "" : (ru ? " Цитата: «\(citation.quote)»" : " Quote: “\(citation.quote)”")
    if sameAsBefore { return (ru ? "Там же." : "Ibid.") + quote }
    var said = citation.source
    if let sources = sourceTable {
      guard let entry = sources.entries[citation.source] else {
        let (file, line) = dataRow(citing: citation)
        throw .invalidLayout(
          file: file, line: line, column: nil,
          message: "the source “\(citation.source)” of this documented figure has no row in the sources table \(sources.file); add one (title, publisher, date)")
      }
      let parts = [entry.title, entry.publisher, Self.spokenDate(entry.published, ru: ru)].filter { !$0.isEmpty }
      if !parts.isEmpty { said = parts.joined(separator: ", ") }
    }
    return (ru ? "Источник: " : "Source: ") + said + "." + quote
  }

  /// `2024-02-16` as «16.02.2024» (or 16 February 2024 in English); other text as it is.
  static func spokenDate(_ iso: String, ru: Bool) -> String {
    let parts = iso.split(separator: "-")
    guard parts.count == 3, parts.allSatisfy({ Int($0) != nil }) else { return iso }
    if ru { return "\(parts[2]).\(parts[1]).\(parts[0])" }
    let months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
    guard let month = Int(parts[1]), (1...12).contains(month), let day = Int(parts[2]) else { return iso }
    return "\(day) \(months[month - 1]) \(parts[0])"
  }

  /// The data file and line of the first row citing `citation`, for an error about it.
  private func dataRow(citing citation: Citation) -> (file: String, line: Int?) {
    let base = URL(fileURLWithPath: layoutFile).deletingLastPathComponent()
    for entry in spec.data where !entry.isDatabase {
      let path = entry.path.hasPrefix("/") ? entry.path : base.appendingPathComponent(entry.path).standardizedFileURL.path
      guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { continue }
      let probe = String(citation.quote.prefix(40))
      for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
      where line.contains(citation.source) && (probe.isEmpty || line.contains(probe)) {
        return (path, index + 1)
      }
    }
    return (layoutFile, nil)
  }
}

extension DocumentComposer {
  /// The «Источники» section: a heading and one numbered entry per document `cited`, in the order
  /// first cited: its title, publisher and date as the sources table gives them.
  func sourceListBlocks(title: String, citing cited: [String], index: Int) throws(BriefingError) -> [any Block] {
    guard !cited.isEmpty else {
      throw problem(
        "block \(index + 1): sources: lists the documents the footnotes cite, but no figure of this layout comes from a document (a row whose source is not “generated”)",
        at: [LayoutPath("blocks"), LayoutPath(index), LayoutPath("sources")])
    }
    var blocks: [any Block] = [Heading(title, level: 1, anchor: "sources", theme: theme)]
    for (number, id) in cited.enumerated() {
      var words = id
      if let entry = sourceTable?.entries[id] {
        let parts = [entry.title, entry.publisher, Self.spokenDate(entry.published, ru: spec.language == .ru)].filter { !$0.isEmpty }
        if !parts.isEmpty { words = parts.joined(separator: ", ") }
      }
      blocks.append(Paragraph("\(number + 1). \(words).", style: theme.style(.note)))
    }
    return blocks
  }
}
