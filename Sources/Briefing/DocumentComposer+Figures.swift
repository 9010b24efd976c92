internal import BriefingAnalytics
internal import Foundation

extension DocumentComposer {
  /// The text of each figure of `figures:`, asked, checked and answered as a key figure's query
  /// is, and formatted in the document's language: «48 123», «169 млрд руб.», «более 40», «5»
  /// (a rank), «4,2 %» (a share).
  func figureTexts() throws(BriefingError) -> [String: (text: String, citations: [Citation])] {
    var texts: [String: (text: String, citations: [Citation])] = [:]
    for (name, figure) in (spec.figures ?? [:]).sorted(by: { $0.key < $1.key }) {
      texts[name] = try text(of: figure, named: name)
    }
    return texts
  }

  /// The figure's text, and for a figure of documented rows (its own, or its group's with
  /// `value:`) their citations.
  private func text(of figure: LayoutSpec.TextFigureSpec, named name: String) throws(BriefingError) -> (text: String, citations: [Citation]) {
    let place = BlockPlace(index: 0, kind: "figures", name: "figure “\(name)”", base: [LayoutPath("figures"), LayoutPath(name)])
    let text = try plainText(of: figure, place: place)
    guard figure.rank == nil, figure.share == nil, figure.count != true else { return (text, []) }
    var spec = figure.query.grouped
    if let by = figure.by { spec.by = LayoutSpec.Dimensions([by]) }
    let cited = try citations(of: try query(for: spec, at: place), at: place)
    return (text, cited[figure.value.map { [$0] } ?? []] ?? [])
  }

  private func plainText(of figure: LayoutSpec.TextFigureSpec, place: BlockPlace) throws(BriefingError) -> String {
    let picks = [("rank", figure.rank), ("share", figure.share), ("value", figure.value)].filter { $0.1 != nil }
    guard picks.count + (figure.count == true ? 1 : 0) <= 1 else {
      throw problem("\(place.name): give one of rank, share, value and count", at: place.path())
    }
    var spec = figure.query.grouped
    if let by = figure.by {
      spec.by = LayoutSpec.Dimensions([by])
    } else if let (key, _) = picks.first {
      throw problem("\(place.name): “\(key)” picks one group, so the figure needs “by” (by: region)", at: place.path(key))
    } else if figure.count == true {
      throw problem("\(place.name): “count” counts groups, so the figure needs “by” (by: region)", at: place.path("count"))
    }
    let question = try query(for: spec, at: place)
    var result = try answer(question, spec: spec, at: place, allowingEmpty: figure.otherwise != nil)
    let groups = result.rows.filter { $0.kind == .group && $0.value != nil }
    if figure.count == true { return format.decimal(Double(groups.count)) }
    let conditions = question.filters.map { $0.spoken }.joined(separator: " and ")
    guard let (key, member) = picks.first.map({ ($0.0, $0.1 ?? "") }) else {
      guard figure.by == nil, let row = groups.first, let value = row.value else {
        if figure.by != nil {
          throw problem("\(place.name): with “by” the figure needs rank, share, value or count", at: place.path("by"))
        }
        if let otherwise = figure.otherwise { return otherwise }
        throw problem("\(place.name) selects no data: no row has a value with \(conditions)", at: place.path("query"))
      }
      return shown(value, unit: (spec.aggregate ?? .sum).isNumeric ? row.unit : "", qualifier: row.figure.qualifier)
    }
    do {
      result = try result.deriving(Query(derivations: key == "share" ? [.share()] : key == "rank" ? [.rank()] : []))
    } catch {
      throw .query(file: layoutFile, block: place.name, error)
    }
    guard let row = result.rows.first(where: { $0.kind == .group && $0.keys.first == member }), let value = row.value else {
      // A group the data has, only not here (a region outside the programme): `otherwise`.
      if let otherwise = figure.otherwise, let by = figure.by, (try? source.values(of: by))?.contains(member) == true { return otherwise }
      let known = groups.compactMap(\.keys.first)
      let hint = nearest(member, in: known).map { " (did you mean “\($0)”?)" } ?? ""
      throw problem("\(place.name): \(key): no \(figure.by ?? "") “\(member)” has a value with \(conditions)\(hint)", at: place.path(key))
    }
    switch key {
    case "rank":
      guard let rank = row.rank else { throw problem("\(place.name): the rank could not be taken", at: place.path(key)) }
      return format.decimal(Double(rank))
    case "share":
      guard let share = row.share else { throw problem("\(place.name): the share could not be taken", at: place.path(key)) }
      // A share that rounds to «0,0 %» is not none: «менее 0,1 %».
      if share > 0, share * 100 < 0.05 { return format.qualified(format.percent(0.1, fractionDigits: 1), qualifier: "less than") }
      return format.percent(share * 100, fractionDigits: 1)
    default:
      return shown(value, unit: (spec.aggregate ?? .sum).isNumeric ? row.unit : "", qualifier: row.figure.qualifier)
    }
  }

  /// A figure in a sentence: in the unit that keeps it short, the unit said when it is money or a
  /// percentage (or scaled: «169 млрд руб.»), not for persons and counts, which the sentence names.
  private func shown(_ value: Double, unit: String, qualifier: String) -> String {
    // A year is a name, not a quantity: «2017», never «2 017».
    if unit == "year", value == value.rounded(), abs(value) < 1e6 { return format.qualified(String(Int(value)), qualifier: qualifier) }
    let display = vocabulary.display(unit: unit, values: [value])
    let number = format.decimal(value / display.divisor, fractionDigits: display.fractionDigits)
    let saysUnit = display.divisor != 1 || unit == "RUB" || unit == "percent"
    let text = saysUnit && !display.label.isEmpty ? number + "\u{00A0}" + display.label : number
    return format.qualified(text, qualifier: qualifier)
  }
}
