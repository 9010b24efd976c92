import BriefingLayout
import BriefingTestSupport
import Testing

@Suite struct ContentsBlockTests {
  let measurer = FixedAdvanceMeasurer()
  let geometry = PageGeometry(paper: PaperSize.a4.portrait)

  func paginate(_ blocks: [any Block]) throws -> LaidOutDocument {
    try Paginator(geometry: geometry, furniture: PageFurniture(headerLeft: "Short title", footerLeft: "Source: test"))
      .paginate(blocks, metadata: DocumentMetadata(title: "T"), measuring: measurer)
  }

  func text(_ words: Int) -> Paragraph {
    Paragraph(String(repeating: "Running text that fills the page. ", count: words), style: Theme.bulletin.style(.body))
  }

  /// The page each anchor lands on, read from the laid-out pages themselves.
  func anchorPages(_ document: LaidOutDocument) -> [String: Int] {
    var pages: [String: Int] = [:]
    for (index, page) in document.pages.enumerated() {
      for placed in page.placedItems() {
        if case .anchor(let name, _) = placed.item { pages[name] = index + 1 }
      }
    }
    return pages
  }

  @Test func listsEveryHeadingWithThePageItLandsOnAndLinksToIt() throws {
    let blocks: [any Block] = [
      TitleBlock(title: "Briefing"),
      ContentsBlock(title: "Contents", excludedAnchors: ["title"]),
      Heading("First section", anchor: "s1"), text(200),
      Heading("A subsection", level: 2, anchor: "s1a"), text(300),
      Heading("Second section", anchor: "s2"), text(40),
      Heading("Deep", level: 3, anchor: "deep"),
    ]
    let document = try paginate(blocks)
    let landed = anchorPages(document)
    #expect(landed["s2"]! > landed["s1"]!, "the sections are on different pages")
    let first = document.pages[0]
    let texts = first.textRuns().map(\.run.text)
    #expect(texts.contains("Contents"))
    #expect(!texts.contains("Deep"), "level 3 is deeper than the default maxLevel")
    for (title, anchor) in [("First section", "s1"), ("A subsection", "s1a"), ("Second section", "s2")] {
      let entry = try #require(first.textRuns().first { $0.run.text == title && $0.bounds.minY < 300 })
      // The page number is on the entry's line, at the right edge of the content area.
      let number = try #require(first.textRuns().first { abs($0.bounds.minY - entry.bounds.minY) < 0.01 && $0.run.text == String(landed[anchor]!) })
      #expect(abs(number.bounds.maxX - geometry.content.maxX) < 0.01)
      let link = first.placedItems().first {
        if case .link(_, .destination(anchor)) = $0.item { return true }
        return false
      }
      let area = try #require(link, "a link to \(anchor)").bounds
      #expect(area.contains(entry.bounds))
    }
    // The subsection is indented under its section.
    let section = first.textRuns().first { $0.run.text == "First section" && $0.bounds.minY < 300 }!
    let subsection = first.textRuns().first { $0.run.text == "A subsection" && $0.bounds.minY < 300 }!
    #expect(subsection.bounds.minX > section.bounds.minX)
    #expect(document.outline.map(\.destination).contains("contents"))
  }

  @Test func aLongContentsListSplitsAndStaysRight() throws {
    var blocks: [any Block] = [ContentsBlock(title: "Contents")]
    for i in 1...80 {
      blocks.append(Heading("Section number \(i)", anchor: "s\(i)"))
      blocks.append(text(30))
    }
    let document = try paginate(blocks)
    let landed = anchorPages(document)
    var listed: [String: String] = [:]
    for page in document.pages.prefix(3) {
      let runs = page.textRuns()
      for entry in runs where entry.run.text.hasPrefix("Section number ") {
        guard let number = runs.first(where: { abs($0.bounds.minY - entry.bounds.minY) < 0.01 && $0.run.text.allSatisfy(\.isNumber) }) else { continue }
        listed[entry.run.text] = number.run.text
      }
    }
    #expect(listed.count == 80, "every heading listed once across the contents pages")
    for i in 1...80 { #expect(listed["Section number \(i)"] == String(landed["s\(i)"]!)) }
    for page in document.pages {
      #expect(GeometryCheck.overlappingText(on: page).isEmpty)
      #expect(GeometryCheck.overflowingText(on: page, measuring: measurer).isEmpty)
      let body = page.textRuns().filter { !["Short title", "Source: test"].contains($0.run.text) && !$0.run.text.hasPrefix("Page ") }
      #expect(body.allSatisfy { geometry.content.contains($0.bounds) })
    }
  }
}
