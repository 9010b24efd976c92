import BriefingLayout
import Testing

@Suite struct ScaleTests {
  @Test func niceDomainAndRoundTicks() {
    let scale = LinearScale(covering: [54_271, 24_082, 15_161], range: Span(0, 400))
    #expect(scale.domain == 0...60_000)
    #expect(scale.ticks(count: 5) == [0, 10_000, 20_000, 30_000, 40_000, 50_000, 60_000])
    #expect(scale.map(30_000) == 200)
  }

  @Test func ticksHaveNoFloatingPointDust() {
    #expect(LinearScale(domain: 0...0.3, range: Span(0, 1)).ticks(count: 3) == [0, 0.1, 0.2, 0.3])
    #expect(LinearScale(domain: 0...1, range: Span(0, 1)).ticks(count: 5) == [0, 0.2, 0.4, 0.6, 0.8, 1])
    #expect(LinearScale(domain: -1...1, range: Span(0, 1)).ticks(count: 4) == [-1, -0.5, 0, 0.5, 1])
  }

  @Test func negativeValuesIncludeZero() {
    let scale = LinearScale(covering: [-35, 80], range: Span(0, 100))
    #expect(scale.domain.lowerBound <= -35 && scale.domain.upperBound >= 80)
    #expect(scale.ticks().contains(0))
  }

  @Test func reversedRangeForVerticalAxes() {
    let scale = LinearScale(domain: 0...100, range: Span(300, 100))
    #expect(scale.map(0) == 300)
    #expect(scale.map(100) == 100)
  }

  @Test func allZeroOrEmptyDataStillHasADomain() {
    let scale = LinearScale(covering: [], range: Span(0, 100))
    #expect(scale.domain.upperBound > scale.domain.lowerBound)
  }

  @Test func bandsFillTheRangeInOrder() {
    let bands = BandScale(categories: ["a", "b", "c"], range: 0...100)
    #expect(bands.start(at: 0) > 0)
    #expect(bands.start(at: 2) + bands.bandwidth < 100)
    #expect(bands.start(at: 1) - bands.start(at: 0) == bands.step)
  }
}
