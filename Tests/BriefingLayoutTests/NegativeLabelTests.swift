import BriefingLayout
import BriefingTestSupport
import Testing

/// A negative bar's value label has room of its own: it never runs into a category name.
@Suite struct NegativeLabelTests {
  let measurer = FixedAdvanceMeasurer()

  func runs(_ orientation: ChartOrientation) -> (categories: [Rect], values: [Rect]) {
    let categories = ["A long region name", "Other (54)", "Short"]
    let chart = Chart(categories: categories, values: [156, -1890, 42], orientation: orientation)
    let texts = chart.layout(size: Size(width: 480, height: 260), measuring: measurer).flattenedTextRuns()
    return (
      texts.filter { categories.contains($0.text) }.map(\.frame),
      texts.filter { ["156", "-1890", "42"].contains($0.text) }.map(\.frame)
    )
  }

  @Test(arguments: [ChartOrientation.horizontal, .vertical])
  func valueLabelsStayOffTheCategoryNames(_ orientation: ChartOrientation) {
    let (categories, values) = runs(orientation)
    #expect(categories.count == 3 && values.count == 3)
    for value in values {
      for category in categories { #expect(!value.overlaps(category), "\(orientation): \(value) over \(category)") }
    }
  }
}
