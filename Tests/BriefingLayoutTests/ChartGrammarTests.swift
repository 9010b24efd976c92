import BriefingTestSupport
import Testing

@testable import BriefingLayout

/// The parts of the chart grammar one by one: scales, the bar mark's positions, label fitting,
/// value-label placement, legend, highlight and reference lines.
@Suite struct ChartGrammarTests {
  let measurer = FixedAdvanceMeasurer()

  func plan(_ chart: Chart, width: Double = 400) -> ChartPlan {
    chart.plan(size: Size(width: width, height: chart.preferredHeight(width: width, measuring: measurer)), measuring: measurer)
  }

  // MARK: Scales

  @Test func countsGetWholeTicks() {
    let scale = LinearScale(covering: [3], range: Span(0, 300), integerSteps: true)
    #expect(scale.ticks(count: 5) == [0, 1, 2, 3])
    let fractional = LinearScale(covering: [3], range: Span(0, 300))
    #expect(fractional.ticks(count: 5).contains(0.5))
  }

  @Test func tickDecimalsFollowTheStep() {
    #expect(LinearScale(domain: 0...0.014, range: Span(0, 1)).tickDigits(count: 7) == 3)
    #expect(LinearScale(domain: 0...1, range: Span(0, 1)).tickDigits(count: 4) == 1)  // 0.2
    #expect(LinearScale(domain: 0...0.05, range: Span(0, 1)).tickDigits(count: 2) == 2)  // 0.02
    #expect(LinearScale(domain: 0...60_000, range: Span(0, 1)).tickDigits(count: 6) == 0)
  }

  @Test func aDomainNeedNotIncludeZero() {
    let scale = LinearScale(covering: [95, 105], range: Span(0, 100), includingZero: false)
    #expect(scale.domain.lowerBound >= 90 && scale.domain.upperBound <= 110)
    #expect(!scale.ticks().contains(0))
  }

  // MARK: Bar positions

  @Test func stackedSegmentsStartWhereTheLastEnded() {
    let mark = BarMark(values: [[10, -5], [20, 5], [nil, -2]], position: .stack)
    let segments = mark.segments.map { [$0.category, $0.series, Int($0.start), Int($0.end)] }
    #expect(segments == [[0, 0, 0, 10], [0, 1, 10, 30], [1, 0, 0, -5], [1, 1, 0, 5], [1, 2, -5, -7]])
    #expect(mark.extent == -7...30)
  }

  @Test func filledStacksAddUpToAHundred() {
    let mark = BarMark(values: [[10, 1], [20, 3], [30, 0]], position: .fill)
    for category in 0..<2 {
      let parts = mark.segments.filter { $0.category == category }
      #expect(abs(parts.map(\.value).reduce(0, +) - 100) < 1e-9)
      #expect(abs((parts.last?.end ?? 0) - 100) < 1e-9)
    }
    #expect(abs(mark.segments[0].value - 100.0 / 6) < 1e-9)
  }

  @Test func dodgedBarsShareTheirBandWithoutTouching() {
    let bands = BandScale(categories: ["a", "b"], range: 0...100)
    let mark = BarMark(values: [[1, 2], [3, 4], [5, 6]], position: .dodge)
    let slots = mark.segments.filter { $0.category == 0 }.map { mark.across($0, bands: bands) }
    #expect(slots.count == 3)
    for (a, b) in zip(slots, slots.dropFirst()) { #expect(a.upperBound < b.lowerBound) }
    #expect(slots[0].lowerBound == bands.start(at: 0))
    #expect(abs((slots[2].upperBound) - (bands.start(at: 0) + bands.bandwidth)) < 1.6)
  }

  // MARK: Numbers

  @Test func smallFiguresKeepTwoSignificantDigitsAlike() {
    // Every figure below one: all take the decimals the smallest needs.
    var tiny = ChartNumbers.plain
    tiny.fitSmallDigits(to: [0.0131, 0.0093, 0.0042, 0.0007])
    #expect([0.0131, 0.0093, 0.0007].map(tiny.valueLabel) == ["0.0131", "0.0093", "0.0007"])
    // Large figures keep their decimals; only those that would show as 0 take more.
    var mixed = ChartNumbers.plain
    mixed.fitSmallDigits(to: [24_082, 310, 0.004])
    #expect([24_082, 310, 0.004].map(mixed.valueLabel) == ["24082", "310", "0.004"])
    var whole = ChartNumbers.plain
    whole.fitSmallDigits(to: [12, 3])
    #expect(whole.smallDigits == nil && whole.valueLabel(3) == "3")
  }

  // MARK: Labels

  @Test func categoryLabelsWrapEllipsizeTurnOrThin() {
    let names = ["North West", "South East Region", "Centre"]
    let style = Theme.bulletin.style(.axisLabel)
    let labels = names  // 0.55 × 8.075 ≈ 4.44 pt per character
    func fit(_ slot: Double, _ labels: [String] = labels) -> ChartPlan.LabelFit {
      CategoryLabels(labels: labels, style: style, measuring: measurer).under(slot: slot, maxLength: 100).fit
    }
    #expect(fit(100) == .oneLine)
    if case .wrapped(let lines) = fit(60) { #expect(lines == 2) } else { Issue.record("expected wrapping, got \(fit(60))") }
    #expect(fit(62, ["Kabardino-Balkarian", "Karachay-Cherkessia"]) == .ellipsized)
    #expect(fit(14, ["Kabardino-Balkarian", "Karachay-Cherkessia"]) == .turned)
    if case .thinned(let every) = fit(4, ["Kabardino-Balkarian", "Karachay-Cherkessia"]) { #expect(every >= 2) } else {
      Issue.record("expected thinning")
    }
  }

  @Test func autoOrientationTurnsBarsWhenLabelsDoNotFitUpright() {
    let years = Chart(categories: ["2022", "2023", "2024", "2025"], values: [1, 2, 3, 4])
    #expect(plan(years).orientation == .vertical)
    let regions = Chart(
      categories: (1...12).map { "Khanty-Mansi Autonomous Okrug \($0)" }, values: (1...12).map(Double.init))
    #expect(plan(regions).orientation == .horizontal)
    var forced = regions
    forced.orientation = .vertical
    #expect(plan(forced).orientation == .vertical)
  }

  @Test func valueLabelsGoInsideOrAreDroppedWhenThereIsNoRoomOutside() {
    // Thirty narrow upright columns: labels wider than a column are left out, the axis stays.
    let chart = Chart(
      categories: (1...30).map(String.init), values: (1...30).map { Double($0) * 1_000_003 }, orientation: .vertical)
    let laid = plan(chart)
    #expect(laid.droppedValueLabels > 0)
    #expect(!laid.tickLabels.isEmpty)
    let boxes = laid.valueLabels.map(\.run.frame)
    for i in boxes.indices { for j in boxes.indices where j > i { #expect(!boxes[i].overlaps(boxes[j])) } }
  }

  @Test func negativeBarsAreLabelledOnTheirOwnSide() {
    var chart = Chart(categories: ["Up", "Down"], values: [120, -80], orientation: .horizontal)
    chart.kind = .diverging
    let laid = plan(chart)
    let zero = laid.bars.first { $0.value < 0 }?.rect.maxX ?? 0
    guard let down = laid.valueLabels.first(where: { $0.category == 1 }) else {
      Issue.record("the negative bar has no label")
      return
    }
    #expect(down.run.frame.maxX <= zero + 0.01)
    #expect(laid.bars.first { $0.value < 0 }?.fill == Theme.bulletin.decreaseColor)
    #expect(laid.bars.first { $0.value > 0 }?.fill != Theme.bulletin.decreaseColor)
  }

  @Test func stackedLabelsSitInsideTheirSegmentsAndTotalsBeyond() {
    let chart = Chart(
      categories: ["A", "B"],
      series: [ChartSeries(name: "x", values: [400, 300]), ChartSeries(name: "y", values: [500, 50])], kind: .stacked,
      orientation: .horizontal)
    let laid = plan(chart, width: 500)
    for label in laid.valueLabels where label.series != nil {
      #expect(label.isInside)
      let bar = laid.bars.first { $0.category == label.category && $0.series == label.series }
      #expect(bar.map { $0.rect.contains(label.run.frame) } == true)
    }
    let totals = laid.valueLabels.filter { $0.series == nil }
    #expect(totals.map(\.run.text) == ["900", "350"])
    for total in totals {
      let stackEnd = laid.bars.filter { $0.category == total.category }.map(\.rect.maxX).max() ?? 0
      #expect(total.run.frame.minX >= stackEnd)
    }
  }

  @Test func legendIsOneRowInSeriesOrderWhenItFits() {
    let chart = Chart(
      categories: ["A", "B"],
      series: [ChartSeries(name: "2023", values: [1, 2]), ChartSeries(name: "2024", values: [2, 3]), ChartSeries(name: "2025", values: [3, 4])])
    let laid = plan(chart)
    #expect(laid.legend.map(\.run.text) == ["2023", "2024", "2025"])
    #expect(Set(laid.legend.map(\.run.frame.minY)).count == 1)
    #expect(laid.legend.map(\.swatch.minX) == laid.legend.map(\.swatch.minX).sorted())
  }

  @Test func highlightMutesTheOthers() {
    var chart = Chart(categories: ["A", "B", "C"], values: [3, 2, 1], orientation: .horizontal)
    chart.highlighted = [1]
    let fills = plan(chart).bars.map(\.fill)
    #expect(fills[1] == Theme.bulletin.highlightFill)
    #expect(fills[0] == chart.mutedFill && fills[2] == chart.mutedFill)
  }

  @Test func aReferenceLineWidensTheScaleAndKeepsItsLabelClear() {
    var chart = Chart(categories: ["A", "B"], values: [30, 20], orientation: .horizontal)
    chart.references = [ReferenceLine(value: 100, label: "target")]
    let laid = plan(chart)
    #expect(laid.frozen.domain.upperBound >= 100)
    guard let label = laid.otherTexts.first(where: { $0.text == "target" }) else {
      Issue.record("no reference label")
      return
    }
    #expect(laid.plot.contains(label.frame))
    for other in laid.valueLabels { #expect(!other.run.frame.overlaps(label.frame)) }
  }

  @Test func aTallChartSplitsBetweenCategoriesOnOneScale() {
    let chart = Chart(
      title: "All", categories: (1...89).map { "Region \($0)" }, values: (1...89).map { Double($0 * 37 % 89 + 1) },
      orientation: .horizontal)
    let block = ChartBlock(chart)
    guard let split = block.split(width: 400, height: 300, measuring: measurer),
      let head = split.head as? ChartBlock, let tail = split.tail as? ChartBlock
    else {
      Issue.record("no split")
      return
    }
    #expect(head.height(width: 400, measuring: measurer) <= 300)
    #expect(head.chart.categories.count >= 3 && tail.chart.categories.count == 89 - head.chart.categories.count)
    #expect(head.chart.frozen?.domain == tail.chart.frozen?.domain)
    #expect(tail.chart.isContinuation && !head.chart.isContinuation)
    // A fixed height is the layout's word: no split.
    #expect(ChartBlock(chart, height: 900).split(width: 400, height: 300, measuring: measurer) == nil)
  }
}

@Suite struct SequentialPaletteTests {
  @Test(arguments: 2...8) func shadesOfOrderedSeriesStayApart(count: Int) {
    let shades = Palette.sequential(count)
    #expect(shades.count == count)
    let named = shades.enumerated().map { ("\($0.offset)", $0.element) }
    let problems = ColorCheck.problems(series: named)
    #expect(problems.isEmpty, "\(problems)")
    // Darker with each step, and a bar still stands out on white paper.
    let luminance = shades.map(\.relativeLuminance)
    #expect(luminance == luminance.sorted(by: >))
    #expect(shades.allSatisfy { $0.contrastRatio(with: .white) >= 1.5 })
  }

  @Test func labRoundTrip() {
    for hex: UInt32 in [0x2F6D9E, 0xA67E35, 0x000000, 0xFFFFFF, 0x8C8C8C] {
      let color = Color(hex: hex)
      let back = LabColor(color).color
      #expect(abs(back.red - color.red) < 1e-6 && abs(back.green - color.green) < 1e-6 && abs(back.blue - color.blue) < 1e-6)
    }
  }
}
