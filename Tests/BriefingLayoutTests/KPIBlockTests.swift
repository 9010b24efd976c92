import BriefingLayout
import BriefingTestSupport
import Testing

/// A row of key figures at narrow and wide widths: everything inside the block, nothing
/// overlapping or cut, tiles in the order given and of one height, long labels and figures tamed.
@Suite struct KPIBlockTests {
  let measurer = FixedAdvanceMeasurer()
  let theme = Theme.bulletin
  let minus = "\u{2212}"

  func tile(_ number: Int) -> KPIBlock.KPITile {
    let directions: [KPIBlock.KPITile.Direction] = [.increase, .decrease, .neutral, .increase]
    let direction = directions[(number - 1) % directions.count]
    return KPIBlock.KPITile(
      label: number == 2 ? "Enterprises taking part in the programme" : "Label \(number)",
      figure: ["1,600", "215.4", "over 42", "7"][(number - 1) % 4],
      unit: ["persons", "RUB bn", "number", "%"][(number - 1) % 4],
      footnote: number == 1 ? "1" : nil,
      change: direction == .neutral ? "—" : direction == .increase ? "+12.5%" : "\(minus)3.0%",
      direction: direction, comparison: "vs 2024")
  }

  /// The block laid out `width` wide, as a page of its own for the geometry checks.
  func page(_ block: KPIBlock, width: Double) -> Page {
    Page(frame: block.layout(width: width, measuring: measurer))
  }

  /// Checks every rule the layout must keep at `width`, and returns the page.
  @discardableResult
  func checkGeometry(_ block: KPIBlock, width: Double, sourceLocation: SourceLocation = #_sourceLocation) -> Page {
    let height = block.height(width: width, measuring: measurer)
    let page = page(block, width: width)
    let area = Rect(x: 0, y: 0, width: width, height: height)
    let what = "\(block.tiles.count) tiles at \(width) pt"
    #expect(page.size == Size(width: width, height: height), "\(what): the frame is as tall as the block says", sourceLocation: sourceLocation)
    #expect(GeometryCheck.textOutside(area, on: page).isEmpty, "\(what): \(GeometryCheck.textOutside(area, on: page))", sourceLocation: sourceLocation)
    #expect(GeometryCheck.overlappingText(on: page).isEmpty, "\(what): \(GeometryCheck.overlappingText(on: page))", sourceLocation: sourceLocation)
    #expect(
      GeometryCheck.overflowingText(on: page, measuring: measurer).isEmpty,
      "\(what): \(GeometryCheck.overflowingText(on: page, measuring: measurer))", sourceLocation: sourceLocation)
    // One panel per tile, all as tall as the block, side by side in order with a gap between.
    let panels = page.placedItems().compactMap { placed -> Rect? in
      if case .rect(_, let paint) = placed.item, paint.fill == theme.zebraFill { return placed.bounds }
      return nil
    }
    #expect(panels.count == block.tiles.count, sourceLocation: sourceLocation)
    #expect(panels.allSatisfy { abs($0.height - height) < 0.01 && $0.minY == 0 }, "\(what): every tile is as tall as the tallest", sourceLocation: sourceLocation)
    #expect(zip(panels, panels.dropFirst()).allSatisfy { $0.maxX < $1.minX }, sourceLocation: sourceLocation)
    #expect(abs((panels.last?.maxX ?? 0) - width) < 0.01, "\(what): the tiles span the width", sourceLocation: sourceLocation)
    #expect(Set(panels.map { ($0.width * 100).rounded() }).count == 1, "\(what): tiles of equal width", sourceLocation: sourceLocation)
    // Each tile's text stays in its own tile.
    for (index, tile) in block.tiles.enumerated() {
      let panel = panels[index]
      for run in page.textRuns() where [tile.label, tile.figure, tile.unit].contains(run.run.text) {
        #expect(panel.contains(run.bounds), "\(what): “\(run.run.text)” stays in tile \(index + 1)", sourceLocation: sourceLocation)
      }
    }
    return page
  }

  // From a narrow column (the narrowest in which the longest word of a label fits a quarter of
  // it: this measurer, unlike Pango, never breaks inside a word) to a landscape page.
  @Test(arguments: [2, 3, 4], [320.0, 482.0, 760.0])
  func tilesFitTheirWidthInOrderWithoutOverlap(count: Int, width: Double) throws {
    let block = KPIBlock(tiles: (1...count).map(tile), theme: theme)
    let page = checkGeometry(block, width: width)
    // In the order given, left to right.
    let labels = page.textRuns().filter { $0.run.text.hasPrefix("Label ") || $0.run.text.hasPrefix("Enterprises") }
    #expect(labels.count == count)
    #expect(zip(labels, labels.dropFirst()).allSatisfy { $0.bounds.minX < $1.bounds.minX })
    let figures = page.textRuns().filter { $0.run.style.weight == .bold }
    #expect(figures.map(\.run.text) == (1...count).map { tile($0).figure })
    // The parts line up across the row: every figure starts at the same height.
    #expect(Set(figures.map(\.bounds.minY)).count == 1)
    // One size for every figure of the row, between the body size and 2.2 times it.
    let sizes = Set(figures.map(\.run.style.size))
    #expect(sizes.count == 1)
    #expect(sizes.allSatisfy { $0 >= theme.bodySize && $0 <= 2.2 * theme.bodySize + 1e-9 })
  }

  @Test func aRowWithRoomShowsItsFiguresAtTheFullSizeAndUnitsBesideThem() throws {
    let block = KPIBlock(tiles: (1...2).map(tile), theme: theme)
    let page = checkGeometry(block, width: 482)
    let figure = try #require(page.textRuns().first { $0.run.text == "1,600" })
    let unit = try #require(page.textRuns().first { $0.run.text == "persons" })
    #expect(figure.run.style.size == 2.2 * theme.bodySize)
    // Beside the figure, on its baseline.
    #expect(unit.bounds.minX > figure.bounds.maxX)
    let baseline = { (run: TextRun, bounds: Rect) in bounds.minY + measurer.measure(run.text, style: run.style, maxWidth: nil).baseline }
    #expect(abs(baseline(unit.run, unit.bounds) - baseline(figure.run, figure.bounds)) < 0.01)
    // The footnote marker sits right after the figure, small and raised.
    let marker = try #require(page.textRuns().first { $0.run.text == "1" })
    #expect(marker.bounds.minX >= figure.bounds.maxX && marker.bounds.maxX <= unit.bounds.minX)
    #expect(marker.run.style.size < figure.run.style.size && marker.bounds.minY < baseline(figure.run, figure.bounds) - 0.3 * figure.run.style.size)
  }

  @Test func changesCarryATriangleOfTheirDirectionAndColour() throws {
    let block = KPIBlock(tiles: (1...3).map(tile), theme: theme)
    let page = checkGeometry(block, width: 482)
    let triangles = page.placedItems().compactMap { placed -> (Rect, Color?)? in
      if case .path(let points, true, let paint) = placed.item, points.count == 3 { return (placed.bounds, paint.fill) }
      return nil
    }
    // Tile 1 rises, tile 2 falls, tile 3 has nothing to compare: no triangle.
    #expect(triangles.map(\.1) == [theme.increaseColor, theme.decreaseColor])
    let up = try #require(page.textRuns().first { $0.run.text == "+12.5%" })
    let down = try #require(page.textRuns().first { $0.run.text == "\(minus)3.0%" })
    let none = try #require(page.textRuns().first { $0.run.text == "—" })
    #expect(up.run.style.color == theme.increaseColor && down.run.style.color == theme.decreaseColor && none.run.style.color == theme.mutedInk)
    #expect(triangles[0].0.maxX <= up.bounds.minX && triangles[1].0.maxX <= down.bounds.minX)
    // Each triangle stands on its change line.
    #expect(triangles[0].0.minY >= up.bounds.minY && triangles[0].0.maxY <= up.bounds.maxY)
    // The comparison follows the change on its line.
    let against = page.textRuns().filter { $0.run.text == "vs 2024" }
    #expect(against.count == 3)
    #expect(against.allSatisfy { $0.bounds.minY == up.bounds.minY })
  }

  @Test func aVeryLongLabelWrapsToThreeLinesAndEndsWithAnEllipsis() throws {
    let long = (1...40).map { "word\($0)" }.joined(separator: " ")
    var tiles = (1...3).map(tile)
    tiles[1].label = long
    let block = KPIBlock(tiles: tiles, theme: theme)
    for width in [320.0, 482.0, 760.0] {
      let page = checkGeometry(block, width: width)
      let label = try #require(page.textRuns().first { $0.run.text.hasPrefix("word1 ") })
      #expect(label.run.text.hasSuffix("…"))
      #expect(long.hasPrefix(String(label.run.text.dropLast())), "the label is cut at a word, not changed")
      let lines = measurer.measure(label.run.text, style: label.run.style, maxWidth: label.bounds.width).lineCount
      #expect(lines == KPIBlock.maximumLabelLines)
    }
    // A label that fits keeps every word.
    let page = checkGeometry(KPIBlock(tiles: (1...3).map(tile), theme: theme), width: 482)
    #expect(page.textRuns().contains { $0.run.text == "Enterprises taking part in the programme" })
  }

  @Test func aVeryLongFigureStepsTheRowDownToFitAndNeverBelowTheBodySize() throws {
    var tiles = (1...4).map(tile)
    tiles[2].figure = "around 1,234,567,890"
    let block = KPIBlock(tiles: tiles, theme: theme)
    let page = checkGeometry(block, width: 482)
    let figures = page.textRuns().filter { $0.run.style.weight == .bold }
    let size = try #require(figures.first?.run.style.size)
    #expect(size < 2.2 * theme.bodySize && size >= theme.bodySize)
    // The long one fits its tile on one line at that size, and the next step up would not.
    let long = try #require(figures.first { $0.run.text == tiles[2].figure })
    #expect(measurer.measure(long.run.text, style: long.run.style, maxWidth: nil).lineCount == 1)
    let larger = long.run.style.with { $0.size += 0.1 * theme.bodySize }
    let inner = (482 - 3 * 10) / 4 - 16.0
    #expect(measurer.measure(long.run.text, style: larger, maxWidth: nil).width > inner)
    // Units that no longer fit beside every figure all go under them.
    let units = page.textRuns().filter { ["persons", "RUB bn", "number", "%"].contains($0.run.text) }
    #expect(units.count == 4)
    #expect(zip(units, figures).allSatisfy { $0.bounds.minY >= $1.bounds.maxY })
  }

  @Test func aFigureTooLongEvenAtTheBodySizeWrapsInsteadOfOverflowing() throws {
    var tiles = (1...4).map(tile)
    tiles[0].figure = "more than 1 234 567 890 123 456 789 thousand million"
    let block = KPIBlock(tiles: tiles, theme: theme)
    for width in [320.0, 482.0] {
      let page = checkGeometry(block, width: width)
      let long = try #require(page.textRuns().first { $0.run.text == tiles[0].figure })
      #expect(long.run.style.size == theme.bodySize)
      #expect(measurer.measure(long.run.text, style: long.run.style, maxWidth: long.bounds.width).lineCount > 1)
      // Its footnote marker still follows it, inside the tile.
      let marker = try #require(page.textRuns().first { $0.run.text == "1" })
      #expect(marker.bounds.minX >= long.bounds.maxX)
      // It breaks between its words, never inside a number: the composer asks first.
      #expect(block.overwideFigures(width: width, measuring: measurer).isEmpty)
    }
  }

  @Test func aQualifiedFigureThatMustWrapBreaksAfterItsQualifier() throws {
    var tiles = (1...4).map(tile)
    tiles[1].figure = "more\u{00A0}than\u{00A0}1\u{202F}600\u{202F}000"
    let block = KPIBlock(tiles: tiles, theme: theme)
    let page = checkGeometry(block, width: 320)
    let figure = try #require(page.textRuns().first { $0.run.text.hasPrefix("more") })
    // The no-break spaces after the qualifier become breakable; the digit groups stay together.
    #expect(figure.run.text == "more than 1\u{202F}600\u{202F}000")
    let m = measurer.measure(figure.run.text, style: figure.run.style, maxWidth: figure.bounds.width)
    #expect(m.lineCount > 1)
    #expect(block.overwideFigures(width: 320, measuring: measurer).isEmpty)
  }

  @Test func aNumberWiderThanItsTileAtTheBodySizeIsReported() throws {
    var tiles = (1...4).map(tile)
    tiles[3].figure = "over\u{00A0}123\u{202F}456\u{202F}789\u{202F}012"
    let block = KPIBlock(tiles: tiles, theme: theme)
    let overwide = block.overwideFigures(width: 320, measuring: measurer)
    #expect(overwide.map(\.tile) == [3])
    let inner = (320 - 3 * 10) / 4 - 16.0
    #expect(overwide.first.map { $0.available == inner && $0.needed > inner } == true)
    // Wider, it fits, and nothing is reported.
    #expect(block.overwideFigures(width: 760, measuring: measurer).isEmpty)
    #expect(KPIBlock(tiles: (1...4).map(tile), theme: theme).overwideFigures(width: 320, measuring: measurer).isEmpty)
  }

  @Test func aTileWithoutAChangeOrUnitIsAsTallAsItsNeighbours() throws {
    let plain = KPIBlock.KPITile(label: "Colleges", figure: "411")
    let block = KPIBlock(tiles: [plain, tile(1)], theme: theme)
    checkGeometry(block, width: 300)
    let page = page(block, width: 300)
    #expect(!page.textRuns().contains { $0.run.text.isEmpty })
  }

  @Test func theRowNeverSplitsAcrossPages() throws {
    let block = KPIBlock(tiles: (1...4).map(tile), theme: theme)
    let height = block.height(width: 482, measuring: measurer)
    #expect(block.split(width: 482, height: height / 2, measuring: measurer) == nil)
    #expect(block.minimumHeadHeight(width: 482, measuring: measurer) == height)
    // On a page it starts below whatever fills the first page, whole.
    let filler = Paragraph(String(repeating: "word ", count: 1750), style: theme.style(.body))
    let document = try Paginator(geometry: PageGeometry(paper: PaperSize.a4.portrait), furniture: PageFurniture(headerLeft: "T"))
      .paginate([filler, block], metadata: DocumentMetadata(title: "T"), measuring: measurer)
    let pagesWithFigures = document.pages.enumerated().filter { $0.element.textRuns().contains { $0.run.text == "1,600" } }.map(\.offset)
    let pagesWithChanges = document.pages.enumerated().filter { $0.element.textRuns().contains { $0.run.text == "vs 2024" } }.map(\.offset)
    #expect(pagesWithFigures.count == 1 && pagesWithFigures == Array(Set(pagesWithChanges)))
  }
}
