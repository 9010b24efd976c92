internal import Yams

/// `{name}`, `{name.attribute}` and `{name.attribute.attribute}` in a layout's texts: parameters (`{region}`,
/// `{region.name_ru}`), filled in before the layout is decoded, and figures (`{students_2025}`),
/// filled in once the data has answered them. `{{` and `}}` are a literal brace; any other brace
/// (`{ x }`, `{2025}`) is text.
enum Placeholders {
  /// One piece of a text.
  enum Piece: Equatable {
    case text(String)
    /// `offset`: in Unicode scalars from the text's start, as libYAML counts columns.
    case placeholder(name: String, attribute: String?, offset: Int)
    /// `{{` or `}}`.
    case escapedBrace(Character)
  }

  /// The pieces of `text`.
  static func pieces(of text: String) -> [Piece] {
    guard text.contains("{") || text.contains("}") else { return [.text(text)] }
    var pieces: [Piece] = []
    var literal = ""
    let characters = Array(text)
    var index = 0
    func flush() {
      if !literal.isEmpty { pieces.append(.text(literal)) }
      literal = ""
    }
    while index < characters.count {
      let character = characters[index]
      if (character == "{" || character == "}"), index + 1 < characters.count, characters[index + 1] == character {
        flush()
        pieces.append(.escapedBrace(character))
        index += 2
        continue
      }
      if character == "{", let close = characters[(index + 1)...].firstIndex(of: "}"),
        let (name, attribute) = reference(String(characters[(index + 1)..<close]))
      {
        flush()
        let offset = characters[..<index].reduce(0) { $0 + $1.unicodeScalars.count }
        pieces.append(.placeholder(name: name, attribute: attribute, offset: offset))
        index = close + 1
        continue
      }
      literal.append(character)
      index += 1
    }
    flush()
    return pieces
  }

  /// Whether a scalar of `node` holds `{{` or `}}`.
  static func hasEscapedBraces(_ node: Node) -> Bool {
    switch node {
    case .scalar(let scalar): scalar.string.contains("{{") || scalar.string.contains("}}")
    case .mapping(let mapping): mapping.contains { hasEscapedBraces($0.key) || hasEscapedBraces($0.value) }
    case .sequence(let sequence): sequence.contains(where: hasEscapedBraces)
    case .alias: false
    }
  }

  /// `name`, `name.attribute` or `name.attribute.attribute` (an attribute of the value the first
  /// one names: `{region.federal_district.name_ru}`), each a letter or `_` followed by letters,
  /// digits and `_`; the attributes come back joined by `.`.
  private static func reference(_ inside: String) -> (String, String?)? {
    let parts = inside.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    guard (1...3).contains(parts.count), parts.allSatisfy(isIdentifier) else { return nil }
    return (parts[0], parts.count > 1 ? parts.dropFirst().joined(separator: ".") : nil)
  }

  static func isIdentifier(_ word: String) -> Bool {
    guard let first = word.unicodeScalars.first, first == "_" || first.properties.isAlphabetic else { return false }
    return word.unicodeScalars.allSatisfy { $0 == "_" || $0.properties.isAlphabetic || ("0"..."9").contains($0) }
  }

  /// What a placeholder becomes: its text, or nil to leave it as it is written (a figure, while
  /// parameters are filled in).
  /// `context`: the key of the innermost mapping the text is a value of (`paragraph`, `title`).
  typealias Resolver = (_ name: String, _ attribute: String?, _ at: Position?, _ context: String?) throws(BriefingError) -> String?

  /// A line and column of the layout file, from 1.
  struct Position: Equatable {
    var line: Int
    var column: Int
  }

  /// `root` with every placeholder of its scalars (keys and values) resolved, except in the
  /// top-level mappings named in `skipping`. With `final`, escaped braces become braces; before,
  /// they stay escaped for the second pass.
  static func filling(
    _ root: Node, skipping: Set<String> = [], final: Bool, resolve: Resolver
  ) throws(BriefingError) -> Node {
    try fill(root, skipping: skipping, topLevel: true, context: nil, final: final, resolve: resolve)
  }

  private static func fill(
    _ node: Node, skipping: Set<String>, topLevel: Bool, context: String?, final: Bool, resolve: Resolver
  ) throws(BriefingError) -> Node {
    switch node {
    case .scalar(let scalar):
      let filled = try fill(scalar.string, at: scalar.mark, style: scalar.style, context: context, final: final, resolve: resolve)
      guard filled != scalar.string else { return node }
      return .scalar(Node.Scalar(filled, scalar.tag, scalar.style, scalar.mark))
    case .mapping(let mapping):
      var pairs: [(Node, Node)] = []
      for (key, value) in mapping {
        if topLevel, let name = key.string, skipping.contains(name) {
          pairs.append((key, value))
        } else {
          pairs.append((
            try fill(key, skipping: skipping, topLevel: false, context: context, final: final, resolve: resolve),
            try fill(value, skipping: skipping, topLevel: false, context: key.string, final: final, resolve: resolve)
          ))
        }
      }
      return .mapping(Node.Mapping(pairs, mapping.tag, mapping.style, mapping.mark))
    case .sequence(let sequence):
      var nodes: [Node] = []
      for item in sequence {
        nodes.append(try fill(item, skipping: skipping, topLevel: false, context: context, final: final, resolve: resolve))
      }
      return .sequence(Node.Sequence(nodes, sequence.tag, sequence.style, sequence.mark))
    case .alias:
      return node
    }
  }

  /// `text` with its placeholders resolved.
  static func fill(
    _ text: String, at mark: Mark?, style: Node.Scalar.Style = .any, context: String? = nil, final: Bool, resolve: Resolver
  ) throws(BriefingError) -> String {
    let pieces = pieces(of: text)
    if pieces == [.text(text)] { return text }
    var out = ""
    for piece in pieces {
      switch piece {
      case .text(var literal):
        // «… 1,5 млн руб.» ending a sentence takes no second full stop.
        if FootnoteMark.stripped(out).hasSuffix("."), literal.hasPrefix("."), !literal.hasPrefix("..") { literal.removeFirst() }
        out += literal
      case .escapedBrace(let brace):
        out += final ? String(brace) : String([brace, brace])
      case .placeholder(let name, let attribute, let offset):
        if let value = try resolve(name, attribute, position(of: offset, in: text, from: mark, style: style), context) {
          out += value
        } else {
          out += "{" + name + (attribute.map { "." + $0 } ?? "") + "}"
        }
      }
    }
    return out
  }

  /// Where the character at `offset` of a scalar starting at `mark` is: exact for a scalar on
  /// one line written plain or in quotes, else the scalar's own start.
  private static func position(of offset: Int, in text: String, from mark: Mark?, style: Node.Scalar.Style) -> Position? {
    guard let mark else { return nil }
    let start = Position(line: mark.line, column: mark.column)
    guard !text.contains("\n") else { return start }
    switch style {
    case .plain, .any: return Position(line: mark.line, column: mark.column + offset)
    case .singleQuoted, .doubleQuoted: return Position(line: mark.line, column: mark.column + 1 + offset)
    case .literal, .folded: return start
    }
  }
}

/// Where a figure's footnotes go in a paragraph: the figure's text is followed by
/// `FootnoteMark.opening`, the index of its citations and `FootnoteMark.closing` (private-use
/// characters no layout text may hold), which the composer turns into numbered markers.
enum FootnoteMark {
  static let opening: Character = "\u{E000}"
  static let closing: Character = "\u{E001}"

  /// `index` as it is written into a text.
  static func written(_ index: Int) -> String { "\(opening)\(index)\(closing)" }

  /// `text` split into plain pieces and citation indexes.
  static func pieces(of text: String) -> [(text: String, citation: Int?)] {
    guard text.contains(opening) else { return [(text, nil)] }
    var pieces: [(text: String, citation: Int?)] = []
    var rest = Substring(text)
    while let open = rest.firstIndex(of: opening), let close = rest[open...].firstIndex(of: closing) {
      if open > rest.startIndex { pieces.append((String(rest[..<open]), nil)) }
      if let index = Int(rest[rest.index(after: open)..<close]) { pieces.append(("", index)) }
      rest = rest[rest.index(after: close)...]
    }
    if !rest.isEmpty { pieces.append((String(rest), nil)) }
    return pieces
  }

  /// `text` without its marks.
  static func stripped(_ text: String) -> String {
    pieces(of: text).map(\.text).joined()
  }
}
