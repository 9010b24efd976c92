import BriefingLayout
import BriefingTestSupport
import Testing

@Suite struct TableBlockTests {
  let measurer = FixedAdvanceMeasurer()
  let theme = Theme.bulletin
  let width = 420.0

  // MARK: - Helpers

  func width(of text: some StringProtocol, _ style: TextStyle) -> Double {
    measurer.measure(String(text), style: style, maxWidth: nil).width
  }

  /// The content box of each column, from the public column widths.
  func cellBoxes(_ table: TableBlock) throws -> [(left: Double, right: Double)] {
    var x = 0.0
    return try table.columnWidths(width: width, measuring: measurer).map { w in
      defer { x += w + 2 * theme.cellPaddingX }
      return (x + theme.cellPaddingX, x + theme.cellPaddingX + w)
    }
  }

  func run(_ text: String, in frame: Frame) throws -> TextRun {
    try #require(frame.flattenedTextRuns().first { $0.text == text }, "no run “\(text)”")
  }

  func paths(in frame: Frame) -> [(points: [Point], paint: Paint)] {
    frame.items.compactMap { item in
      if case .path(let points, _, let paint) = item { return (points, paint) }
      return nil
    }
  }

  func bars(in frame: Frame) -> [Rect] {
    frame.items.compactMap { item in
      if case .rect(let rect, let paint) = item, paint.fill == theme.barFill { return rect }
      return nil
    }
  }

  /// Groups of a header, `size` indented rows and a subtotal, then a total.
  func groupedTable(groups: Int, size: Int, pageHeight: Double? = nil) -> TableBlock {
    var rows: [TableRow] = []
    for g in 1...groups {
      rows.append(.groupHeader("District \(g)"))
      for r in 1...size { rows.append(TableRow(["Region \(g).\(r)", "\(g * 100 + r),5"], indent: 1)) }
      rows.append(.subtotal(["Итого по группе \(g)", "\(g * 1000),0"]))
    }
    rows.append(TableRow(["Итого", "99 999,0"], kind: .total))
    return TableBlock(
      caption: "Grouped", columns: [TableColumn("Region"), TableColumn("Value", kind: .number, decimalSeparator: ",")],
      rows: rows, continuedLabel: "(продолжение)", pageHeight: pageHeight)
  }

  func pieces(_ split: BlockSplit?) throws -> (head: TableBlock, tail: TableBlock) {
    let split = try #require(split)
    return (try #require(split.head as? TableBlock), try #require(split.tail as? TableBlock))
  }

  // MARK: - Decimal alignment

  @Test func decimalSeparatorsShareOneXAndIntegersAlignRight() throws {
    let table = TableBlock(
      caption: "Funding",
      columns: [
        TableColumn("Region"), TableColumn("F", kind: .number, decimalSeparator: ","),
        TableColumn("Count", kind: .number, decimalSeparator: ","), TableColumn("Share", kind: .number),
      ],
      rows: [
        TableRow(["A", "1 600,5", "12", "12.5"]),
        TableRow(["B", "12,25", "3 400", "7.25"]),
        TableRow(["C", "—", "7", "100"]),
        TableRow(["D", "более 1 600", "45", "n.a."]),
        TableRow(["Итого", "3 212,75", "3 464", "100.0"], kind: .total),
      ])
    let frame = table.layout(width: width, measuring: measurer)
    let boxes = try cellBoxes(table)

    // Column 1, separator ",": every separator at one x; cells without a fraction end there.
    let fractions = ["1 600,5", "12,25", "3 212,75"]
    let separators = try fractions.map { text -> Double in
      let r = try run(text, in: frame)
      return r.frame.minX + width(of: text.split(separator: ",")[0], r.style)
    }
    let ends = try ["—", "более 1 600"].map { text -> Double in
      let r = try run(text, in: frame)
      return r.frame.minX + width(of: text, r.style)
    }
    for x in separators + ends { #expect(abs(x - separators[0]) < 0.01, "\(separators) \(ends)") }
    // Its width is the widest integer part plus the widest fraction, measured in each cell's style.
    let styles = try fractions.map { try run($0, in: frame).style }
    let integer = try (fractions + ["—", "более 1 600"]).map { t in
      width(of: t.split(separator: ",")[0], try run(t, in: frame).style)
    }.max() ?? 0
    let fraction = zip(fractions, styles).map { width(of: "," + $0.0.split(separator: ",")[1], $0.1) }.max() ?? 0
    #expect(abs(try table.columnWidths(width: width, measuring: measurer)[1] - (integer + fraction)) < 0.01)
    #expect(abs(separators[0] - (boxes[1].right - fraction)) < 0.01)

    // Column 2 has no fractions: plain right alignment on the column's right edge.
    for text in ["12", "3 400", "7", "45", "3 464"] {
      let r = try run(text, in: frame)
      #expect(abs(r.frame.minX + width(of: text, r.style) - boxes[2].right) < 0.01, "\(text)")
    }

    // Column 3 uses ".": "12.5", "7.25", "100.0" share a separator; "100" and "n.a." end at it.
    let dots = try ["12.5", "7.25", "100.0"].map { text -> Double in
      let r = try run(text, in: frame)
      return r.frame.minX + width(of: text.split(separator: ".")[0], r.style)
    }
    let plain = try ["100", "n.a."].map { text -> Double in
      let r = try run(text, in: frame)
      return r.frame.minX + width(of: text, r.style)
    }
    for x in dots + plain { #expect(abs(x - dots[0]) < 0.01, "\(dots) \(plain)") }
    #expect(dots[0] < boxes[3].right - 1, "the fraction sits right of the separator")
  }

  // MARK: - Boxes

  @Test func noTextRunOverflowsItsCellOrTheTable() throws {
    let table = TableBlock(
      caption: "Everything at once",
      columns: [
        TableColumn("Region"), TableColumn("Funding", unit: "RUB mn", kind: .number, decimalSeparator: ","),
        TableColumn("Change", unit: "%", kind: .change, decimalSeparator: ","),
        TableColumn("", kind: .bar, barSource: 1),
      ],
      rows: ([
        .groupHeader("Central Federal District with a long name that wraps across the whole table width easily"),
        TableRow(["Moscow region, a long name for a region", "1 600,5", "+12,5"], indent: 1, values: [1: 1600.5, 2: 12.5]),
        TableRow(["Tula", "12,25", "−3,0"], indent: 2, values: [1: 12.25, 2: -3]),
        .subtotal(["Итого по группе", "1 612,75", "0,0"], values: [1: 1612.75, 2: 0]),
        TableRow(["Итого", "1 612,75", "—"], kind: .total),
      ] as [TableRow]).map { row in
        var row = row
        if row.kind != .groupHeader { row.cells += [""] }
        return row
      })
    try table.validate()
    let frame = table.layout(width: width, measuring: measurer)
    let boxes = try cellBoxes(table)
    let runs = frame.flattenedTextRuns()
    #expect(runs.count > 10)
    for run in runs {
      let measured = measurer.measure(run.text, style: run.style, maxWidth: run.style.overflow == .wrap ? run.frame.width : nil)
      #expect(measured.width <= run.frame.width + 0.01 && measured.height <= run.frame.height + 0.01, "“\(run.text)” overflows its box")
      #expect(run.frame.minX >= -0.01 && run.frame.maxX <= width + 0.01, "“\(run.text)” leaves the table")
      if run.text.hasPrefix("Central") || run.text == "Everything at once" { continue }
      #expect(
        boxes.contains { run.frame.minX >= $0.left - 0.01 && run.frame.maxX <= $0.right + 0.01 },
        "“\(run.text)” \(run.frame) leaves its cell")
    }
    // Indented rows start one step per level right of the column's edge.
    #expect(abs(try run("Tula", in: frame).frame.minX - (boxes[0].left + 2 * theme.indentStep)) < 0.01)
    #expect(abs(try run("Итого по группе", in: frame).frame.minX - boxes[0].left) < 0.01)
    // Triangles and bars stay in their own cells.
    for path in paths(in: frame) {
      #expect(path.points.allSatisfy { $0.x >= boxes[2].left - 0.01 && $0.x <= boxes[2].right + 0.01 })
    }
    for bar in bars(in: frame) { #expect(bar.minX >= boxes[3].left - 0.01 && bar.maxX <= boxes[3].right + 0.01) }
    // A subtotal has a thin rule above it.
    let subtotalTop = try run("Итого по группе", in: frame).frame.minY - theme.cellPaddingY
    let rules = frame.items.compactMap { item -> Rect? in
      if case .rect(let r, let paint) = item, paint.fill == theme.ruleColor { return r }
      return nil
    }
    #expect(rules.contains { abs($0.minY - subtotalTop) < 0.01 && abs($0.height - theme.subtotalRule) < 0.001 })
  }

  // MARK: - Groups across pages

  @Test func splitKeepsAGroupTogetherAndRepeatsTheHeader() throws {
    let table = groupedTable(groups: 4, size: 5)
    // Room for group 1 and the first three rows of group 2: group 2 would straddle.
    var probe = table
    probe.rows = Array(table.rows[..<(7 + 4)])
    let height = probe.height(width: width, measuring: measurer)
    let (head, tail) = try pieces(table.split(width: width, height: height, measuring: measurer))
    #expect(head.rows == Array(table.rows[..<7]), "the head ends with group 1's subtotal")
    #expect(tail.rows.first == .groupHeader("District 2"))
    #expect(head.height(width: width, measuring: measurer) <= height)
    #expect(head.rows.count + tail.rows.count == table.rows.count)

    // The continued piece repeats the caption, marked, and the header.
    let texts = tail.layout(width: width, measuring: measurer).flattenedTextRuns().map(\.text)
    #expect(texts.contains("Grouped (продолжение)") && texts.contains("Region") && texts.contains("Value"))
    #expect(!head.layout(width: width, measuring: measurer).flattenedTextRuns().map(\.text).contains("Grouped (продолжение)"))
  }

  @Test func groupHeaderNeverEndsAndSubtotalNeverStartsAPiece() throws {
    // Groups taller than the heights tried, so the split must fall inside them.
    let table = groupedTable(groups: 3, size: 12)
    var tried = 0
    for height in stride(from: 60.0, through: 400, by: 1) {
      guard let split = table.split(width: width, height: height, measuring: measurer) else { continue }
      let (head, tail) = try pieces(split)
      tried += 1
      #expect(head.rows.last?.kind != .groupHeader, "height \(height)")
      #expect(tail.rows.first?.kind != .subtotal && tail.rows.first?.kind != .total, "height \(height)")
      #expect(head.height(width: width, measuring: measurer) <= height + 0.001, "no row is cut")
    }
    #expect(tried > 200)
  }

  @Test func aGroupBrokenByThePageIsNamedAgainOnTheNext() throws {
    // One group taller than the room: it must split, and its rows on the next piece need a name.
    let table = groupedTable(groups: 2, size: 30)
    let (head, tail) = try pieces(table.split(width: width, height: 300, measuring: measurer))
    #expect(head.rows.first?.cells == ["District 1"])
    #expect(tail.rows.first?.kind == .groupHeader)
    #expect(tail.rows.first?.cells == ["District 1 (продолжение)"])
    #expect(tail.rows.first?.indent == 0)
    // Broken again on the next page, the group is still "(продолжение)" once.
    let (_, third) = try pieces(tail.split(width: width, height: 200, measuring: measurer))
    #expect(third.rows.first?.cells == ["District 1 (продолжение)"])
    // Every data row still appears exactly once across the pieces.
    let bodies = (head.rows + tail.rows).filter { $0.kind == .body }.map { $0.cells[0] }
    #expect(bodies == table.rows.filter { $0.kind == .body }.map { $0.cells[0] })
    // A break between groups reopens nothing.
    let between = try #require(table.rows.firstIndex { $0.cells == ["District 2"] })
    var first = table
    first.rows = Array(table.rows[..<between])
    let (_, next) = try pieces(table.split(width: width, height: first.height(width: width, measuring: measurer) + 0.5, measuring: measurer))
    #expect(next.rows.first?.cells == ["District 2"])
  }

  @Test func aGroupThatFitsAPageMovesWholeToTheNext() throws {
    let page = 500.0
    let table = groupedTable(groups: 3, size: 8, pageHeight: page)
    var first = table
    first.rows = Array(table.rows[..<10])
    let groupHeight = first.height(width: width, measuring: measurer)
    // Less room than group 1 needs: the table moves on instead of splitting the group.
    #expect(table.split(width: width, height: groupHeight - 1, measuring: measurer) == nil)
    #expect(abs(table.minimumHeadHeight(width: width, measuring: measurer) - groupHeight) < 0.001)

    // Through the paginator, every group's header, rows and subtotal share a page.
    let geometry = PageGeometry(paper: PaperSize.a4.portrait)
    var long = groupedTable(groups: 9, size: 8, pageHeight: geometry.content.height)
    long.caption = "Grouped"
    let filler = Paragraph(String(repeating: "word ", count: 700), style: theme.style(.body))
    let document = try Paginator(geometry: geometry, furniture: PageFurniture())
      .paginate([filler, long], metadata: DocumentMetadata(title: "T"), measuring: measurer)
    #expect(document.pages.count >= 3)
    var seen = 0
    var tablePages = 0
    for page in document.pages {
      let texts = page.textRuns().map(\.run.text)
      for g in 1...9 where texts.contains("District \(g)") {
        seen += 1
        #expect((1...8).allSatisfy { texts.contains("Region \(g).\($0)") } && texts.contains("Итого по группе \(g)"), "group \(g)")
      }
      if texts.contains("Region") {
        #expect(texts.contains(tablePages == 0 ? "Grouped" : "Grouped (продолжение)"), "caption on page \(tablePages + 1) of the table")
        tablePages += 1
      }
    }
    #expect(seen == 9 && tablePages >= 2)
  }

  // MARK: - Change column

  @Test func trianglesPointWithTheSignAndAreAbsentForZeroOrMissing() throws {
    let table = TableBlock(
      columns: [TableColumn("Region"), TableColumn("Change", unit: "%", kind: .change, decimalSeparator: ",")],
      rows: [
        TableRow(["Up", "+3,2"], values: [1: 3.2]),
        TableRow(["Down", "−1,5"], values: [1: -1.5]),
        TableRow(["Flat", "0,0"], values: [1: 0]),
        TableRow(["Missing", "—"]),
        // The text is never parsed: the value decides.
        TableRow(["Text says down", "−7,0"], values: [1: 7]),
      ])
    let frame = table.layout(width: width, measuring: measurer)
    let marks = paths(in: frame)
    #expect(marks.count == 3)
    func mark(for label: String, figure: String) throws -> (up: Bool, paint: Paint)? {
      let row = try run(label, in: frame).frame
      let number = try run(figure, in: frame)
      guard let path = marks.first(where: { $0.points.allSatisfy { $0.y >= row.minY && $0.y <= row.maxY } }) else { return nil }
      #expect(path.points.count == 3)
      #expect(path.points.allSatisfy { $0.x < number.frame.minX }, "the triangle comes before the figure")
      let ys = path.points.map(\.y).sorted()
      let up = ys[0] < ys[1] - 0.1 && abs(ys[1] - ys[2]) < 0.001
      let down = abs(ys[0] - ys[1]) < 0.001 && ys[1] < ys[2] - 0.1
      #expect(up != down, "a triangle points one way")
      return (up, path.paint)
    }
    let up = try #require(try mark(for: "Up", figure: "+3,2"))
    #expect(up.up && up.paint.fill == theme.increaseColor)
    let down = try #require(try mark(for: "Down", figure: "−1,5"))
    #expect(!down.up && down.paint.fill == theme.decreaseColor)
    #expect(try mark(for: "Flat", figure: "0,0")?.up == nil)
    #expect(try mark(for: "Missing", figure: "—")?.up == nil)
    #expect(try mark(for: "Text says down", figure: "−7,0")?.up == true)
    #expect(theme.increaseColor != theme.decreaseColor)
  }

  // MARK: - Inline bars

  @Test func barsAreProportionalOnOneScaleAcrossSplitPieces() throws {
    let values = (1...40).map { Double($0 * 25) }
    let table = TableBlock(
      caption: "Bars",
      columns: [TableColumn("Region"), TableColumn("Value", kind: .number), TableColumn("", kind: .bar, barSource: 1)],
      rows: values.enumerated().map { TableRow(["Region \($0.offset + 1)", "\(Int($0.element))", ""], values: [1: $0.element]) }
        + [TableRow(["Total", "20 500", ""], kind: .total, values: [1: 20_500])])
    let boxes = try cellBoxes(table)
    let (head, tail) = try pieces(table.split(width: width, height: 300, measuring: measurer))
    let headBars = bars(in: head.layout(width: width, measuring: measurer))
    let tailBars = bars(in: tail.layout(width: width, measuring: measurer))
    #expect(headBars.count == head.rows.count && tailBars.count == tail.rows.count - 1, "no bar on the total row")
    let all = headBars + tailBars
    #expect(all.count == values.count)
    // One scale: the largest body value fills the cell, on every piece.
    for (bar, value) in zip(all, values) {
      #expect(abs(bar.width - (boxes[2].right - boxes[2].left) * value / 1000) < 0.001, "\(value)")
      #expect(abs(bar.minX - boxes[2].left) < 0.001, "bars start at the cell's left edge")
    }
    // About 60% of the text line, centred on it.
    let line = measurer.measure("0", style: theme.style(.tableCell), maxWidth: nil).height
    #expect(all.allSatisfy { abs($0.height - line * theme.inlineBarHeight) < 0.001 })
  }

  @Test func negativeBarsRunLeftOfTheZeroLine() throws {
    let table = TableBlock(
      columns: [TableColumn("Region"), TableColumn("Change", kind: .change), TableColumn("", kind: .bar, barSource: 1)],
      rows: [TableRow(["A", "+30", ""], values: [1: 30]), TableRow(["B", "-10", ""], values: [1: -10])])
    let boxes = try cellBoxes(table)
    let found = bars(in: table.layout(width: width, measuring: measurer))
    #expect(found.count == 2)
    let cell = boxes[2].right - boxes[2].left
    let zero = boxes[2].left + cell * 10 / 40
    #expect(abs(found[0].minX - zero) < 0.001 && abs(found[0].width - cell * 30 / 40) < 0.001)
    #expect(abs(found[1].maxX - zero) < 0.001 && abs(found[1].width - cell * 10 / 40) < 0.001)
  }
}
