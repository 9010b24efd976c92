@testable import BriefingAnalytics
import Testing

@Suite struct DerivedFiguresTests {
  /// A group with the given keys; count 1 when there is a value, 0 when it is missing.
  private func group(_ keys: String..., value: Double?, count: Int? = nil, unit: String = "persons") -> GroupedValue {
    GroupedValue(keys: keys, value: value, count: count ?? (value == nil ? 0 : 1), unit: unit)
  }

  // MARK: Shares

  @Test func sharesAddUpToOneInEachPartition() throws {
    let groups = [
      group("A", "P1", value: 1), group("A", "P2", value: 3),
      group("B", "P1", value: 2), group("B", "P2", value: 2), group("B", "P3", value: 4),
    ]
    let shares = try groups.shares(within: [0])
    #expect(shares == [0.25, 0.75, 0.25, 0.25, 0.5])
    let present = shares.map { $0 ?? 0 }
    #expect(present[0] + present[1] == 1)
    #expect(present[2] + present[3] + present[4] == 1)
    // One partition over everything: the total is 12.
    let twelfths: [Double?] = [1.0 / 12, 3.0 / 12, 2.0 / 12, 2.0 / 12, 4.0 / 12]
    #expect(try groups.shares() == twelfths)
    // By programme: P1 = 1 + 2, P2 = 3 + 2, P3 = 4.
    let byProgramme: [Double?] = [1.0 / 3, 3.0 / 5, 2.0 / 3, 2.0 / 5, 1]
    #expect(try groups.shares(within: [1]) == byProgramme)
  }

  @Test func sharesOfMissingValuesAndZeroTotalsAreMissing() throws {
    let groups = [
      group("A", "P1", value: 4), group("A", "P2", value: nil), group("A", "P3", value: 12),
      group("B", "P1", value: 0), group("B", "P2", value: 0),
      group("C", "P1", value: nil),
    ]
    #expect(try groups.shares(within: [0]) == [0.25, nil, 0.75, nil, nil, nil])
    #expect(try [GroupedValue]().shares() == [])
  }

  // MARK: Changes

  @Test func changesSkipAGapYearAndFollowEachSeries() throws {
    let groups = [
      group("A", "2021", value: 150), group("A", "2019", value: 100), group("A", "2022", value: 120),
      group("B", "2021", value: 50),
    ]
    let changes = try groups.changes(along: 1)
    #expect(
      changes == [
        Change(previousKey: "2019", previous: 100, absolute: 50, relative: 0.5),
        .noPrevious,
        Change(previousKey: "2021", previous: 150, absolute: -30, relative: -0.2),
        .noPrevious,
      ])
    #expect(changes[1] == Change(previousKey: nil, previous: nil, absolute: nil, relative: nil))
  }

  @Test func relativeChangeDividesByTheMagnitudeOfThePrevious() throws {
    let groups = [
      group("2020", "A", value: -200), group("2021", "A", value: -100),
      group("2020", "B", value: -50), group("2021", "B", value: -100),
      group("2020", "C", value: 0), group("2021", "C", value: 7),
      group("2020", "D", value: nil), group("2021", "D", value: 7),
      group("2020", "E", value: 7), group("2021", "E", value: nil),
    ]
    let changes = try groups.changes(along: 0)
    #expect(changes[1] == Change(previousKey: "2020", previous: -200, absolute: 100, relative: 0.5))
    #expect(changes[3] == Change(previousKey: "2020", previous: -50, absolute: -50, relative: -1))
    #expect(changes[5] == Change(previousKey: "2020", previous: 0, absolute: 7, relative: nil))
    #expect(changes[7] == Change(previousKey: "2020", previous: nil, absolute: nil, relative: nil))
    #expect(changes[9] == Change(previousKey: "2020", previous: 7, absolute: nil, relative: nil))
    #expect([0, 2, 4, 6, 8].allSatisfy { changes[$0] == .noPrevious })
  }

  @Test func periodsOrderAsNumbersWhenBothAreNumbersElseAsText() throws {
    // As text "10" < "9"; as numbers 9 comes first, so 10's previous period is 9.
    let numeric = try [group("A", "10", value: 12), group("A", "9", value: 10)].changes(along: 1)
    #expect(numeric == [Change(previousKey: "9", previous: 10, absolute: 2, relative: 0.2), .noPrevious])
    let quarters = try [group("2024-Q2", value: 30), group("2024-Q1", value: 20)].changes(along: 0)
    #expect(quarters == [Change(previousKey: "2024-Q1", previous: 20, absolute: 10, relative: 0.5), .noPrevious])

    #expect(["10", "2024", "9", "2019", "1.5", "-3"].sorted(by: GroupedValue.periodOrder) == ["-3", "1.5", "9", "10", "2019", "2024"])
    #expect(["2024-Q2", "2023-Q4", "2024-Q1"].sorted(by: GroupedValue.periodOrder) == ["2023-Q4", "2024-Q1", "2024-Q2"])
    // Numbers come before the rest, which keeps the order consistent ("9" < "10" < "1a").
    #expect(["1a", "10", "9"].sorted(by: GroupedValue.periodOrder) == ["9", "10", "1a"])
    #expect(GroupedValue.periodOrder("01", "1") && !GroupedValue.periodOrder("1", "01"))
    #expect(!GroupedValue.periodOrder("2024", "2024"))
  }

  // MARK: Ranks

  @Test func ranksShareTheBetterRankOnTies() {
    let groups = [group("A", value: 5), group("B", value: 3), group("C", value: 5), group("D", value: 1)]
    #expect(groups.ranks() == [1, 3, 1, 4])
    #expect(groups.ranks(descending: false) == [3, 2, 3, 1])
  }

  @Test func missingValuesTakeNoRank() {
    let groups = [
      group("A", "P1", value: nil), group("A", "P2", value: 2), group("A", "P3", value: 9),
      group("B", "P1", value: 4), group("B", "P2", value: nil),
    ]
    #expect(groups.ranks(within: [0]) == [nil, 2, 1, 1, nil])
    #expect(groups.ranks() == [nil, 3, 1, 2, nil])
  }

  // MARK: Top N

  @Test func topFoldsTheRestIntoOneOtherGroupPerPartition() throws {
    let groups = [
      group("A", "P1", value: 10, count: 2), group("B", "P1", value: 3), group("A", "P2", value: 40, count: 4),
      group("A", "P3", value: 5, count: 1), group("A", "P4", value: nil), group("A", "P5", value: 20, count: 3),
      group("B", "P2", value: 7),
    ]
    let top = try groups.top(2, within: [0])
    #expect(
      top == [
        group("A", "P2", value: 40, count: 4), group("A", "P5", value: 20, count: 3),
        group("A", "Other", value: 15, count: 3),
        group("B", "P2", value: 7), group("B", "P1", value: 3),
      ])
    // Every partition keeps its total and count: A = 10 + 40 + 5 + 20 = 75 from 2 + 4 + 1 + 3 = 10
    // observations, B = 3 + 7 = 10 from 2.
    for (region, value, count) in [("A", 75.0, 10), ("B", 10.0, 2)] {
      let before = try groups.filter { $0.keys[0] == region }.total()
      let after = try top.filter { $0.keys[0] == region }.total()
      #expect(before?.value == value && before?.count == count)
      #expect(after?.value == value && after?.count == count)
    }
    // Default partition: everything ranked together; every key of the Other group is the label.
    #expect(
      try groups.top(1, otherLabel: "Rest")
        == [group("A", "P2", value: 40, count: 4), group("Rest", "Rest", value: 45, count: 8)])
  }

  @Test func tiesAtTheCutAreBrokenByKeyOrder() throws {
    let groups = [group("P3", value: 5), group("P1", value: 5), group("P2", value: 9), group("P4", value: 5)]
    #expect(
      try groups.top(2) == [group("P2", value: 9), group("P1", value: 5), group("Other", value: 10, count: 2)])
    #expect(try groups.top(0) == [group("Other", value: 24, count: 4)])
  }

  @Test func topWithoutEnoughGroupsAddsNoOther() throws {
    let groups = [group("P1", value: 1), group("P2", value: nil), group("P3", value: 3)]
    let sorted = [group("P3", value: 3), group("P1", value: 1), group("P2", value: nil)]
    #expect(try groups.top(3) == sorted)
    #expect(try groups.top(10) == sorted)
    #expect(try [GroupedValue]().top(2) == [])
  }

  @Test func foldingOnlyMissingValuesGivesAMissingOther() throws {
    let groups = [group("P1", value: nil), group("P2", value: 5), group("P3", value: nil), group("P4", value: 3)]
    #expect(
      try groups.top(2) == [group("P2", value: 5), group("P4", value: 3), group("Other", value: nil, count: 0)])
  }

  // MARK: Subtotals and totals

  @Test func subtotalsFollowEachPrefixAndTheGrandTotalAddsEverything() throws {
    let groups = [
      group("A", "P1", value: 1, count: 2), group("B", "P1", value: 2, count: 5), group("A", "P2", value: 3, count: 1),
      group("B", "P2", value: nil), group("C", "P1", value: nil),
    ]
    #expect(
      try groups.subtotals(by: 1) == [
        group("A", "P1", value: 1, count: 2), group("A", "P2", value: 3, count: 1), group("A", "Total", value: 4, count: 3),
        group("B", "P1", value: 2, count: 5), group("B", "P2", value: nil), group("B", "Total", value: 2, count: 5),
        group("C", "P1", value: nil), group("C", "Total", value: nil, count: 0),
      ])
    #expect(
      try groups.subtotals(by: 0, label: "All")
        == groups + [group("All", "All", value: 6, count: 8)])
    #expect(try groups.total() == group("Total", "Total", value: 6, count: 8))
    #expect(try groups.total(label: "Итого") == group("Итого", "Итого", value: 6, count: 8))
    #expect(try [group("A", value: nil)].total() == group("Total", value: nil, count: 0))
    #expect(try [GroupedValue]().total() == nil)
    #expect(try [GroupedValue]().subtotals(by: 1) == [])
  }

  // MARK: Pivot

  @Test func pivotAddsDuplicateCellsAndLeavesMissingCellsEmpty() throws {
    let groups = [
      group("A", "2024", "P1", value: 1), group("A", "2024", "P2", value: 2), group("B", "2025", "P1", value: 8),
      group("A", "2025", "P1", value: 4), group("C", "2023", "P1", value: nil), group("B", "9", "P1", value: 16),
    ]
    let pivot = try Pivot(groups, rows: 0, columns: 1)
    #expect(pivot.rowKeys == ["A", "B", "C"])
    #expect(pivot.columnKeys == ["9", "2023", "2024", "2025"])
    #expect(
      pivot.cells == [
        [nil, nil, 3, 4],
        [16, nil, nil, 8],
        [nil, nil, nil, nil],
      ])
    #expect(pivot.rowTotals == [7, 24, nil])
    #expect(pivot.columnTotals == [16, nil, 3, 12])
    #expect(pivot.grandTotal == 31)
    #expect(pivot.unit == "persons")

    let transposed = try Pivot(groups, rows: 2, columns: 0)
    #expect(transposed.rowKeys == ["P1", "P2"])
    #expect(transposed.columnKeys == ["A", "B", "C"])
    #expect(transposed.cells == [[5, 24, nil], [2, nil, nil]])
    #expect(transposed.rowTotals == [29, 2])
    #expect(transposed.columnTotals == [7, 24, nil])

    let empty = try Pivot([], rows: 0, columns: 1)
    #expect(empty.cells == [] && empty.grandTotal == nil && empty.unit == "")
  }

  // MARK: Units

  @Test func mixingUnitsIsAnErrorNamingTheGroupAndBothUnits() throws {
    let groups = [group("A", "P1", value: 1), group("A", "P2", value: 2, unit: "RUB"), group("B", "P1", value: 3)]
    let error = #expect(throws: DataError.self) { try groups.total() }
    #expect(error == .mixedUnits(group: "Total", units: ["persons", "RUB"]))
    #expect(error?.description == "cannot combine values in different units in group Total: persons and RUB")

    #expect(throws: DataError.mixedUnits(group: "A / Total", units: ["persons", "RUB"])) {
      try groups.subtotals(by: 1)
    }
    #expect(throws: DataError.mixedUnits(group: "A / Other", units: ["persons", "RUB"])) {
      try groups.top(1, within: [0])
    }
    #expect(throws: DataError.mixedUnits(group: "A", units: ["persons", "RUB"])) {
      try groups.shares(within: [0])
    }
    #expect(throws: DataError.mixedUnits(group: "all groups", units: ["persons", "RUB"])) {
      try groups.shares()
    }
    #expect(throws: DataError.mixedUnits(group: "A / P2", units: ["persons", "RUB"])) {
      try Pivot(groups, rows: 0, columns: 1)
    }
    let series = [group("A", "2024", value: 1), group("A", "2025", value: 2, unit: "RUB")]
    #expect(throws: DataError.mixedUnits(group: "A / 2025", units: ["persons", "RUB"])) {
      try series.changes(along: 1)
    }
    // Partitions that are not added up may differ from each other.
    #expect(try groups.shares(within: [1]) == [0.25, 1, 0.75])
    #expect(try groups.top(2, within: [0]).count == 3)
  }

  // MARK: Large sums

  @Test func totalsOfLargeAndSmallValuesAreCompensated() throws {
    let tenths = (0..<10).map { group("A", "small \($0)", value: 0.1) }
    let groups = [group("A", "big", value: 1e15)] + tenths
    let exact = 1_000_000_000_000_001.0
    // Adding one at a time drifts: each 0.1 rounds to a multiple of 0.125 next to 1e15.
    #expect(groups.compactMap(\.value).reduce(0, +) != exact)

    #expect(try groups.total()?.value == exact)
    #expect(try groups.subtotals(by: 1).last?.value == exact)
    let pivot = try Pivot(groups, rows: 0, columns: 1)
    #expect(pivot.grandTotal == exact)
    #expect(pivot.rowTotals == [exact])
    let top = try groups.top(1, within: [0])
    #expect(top.map(\.value) == [1e15, 1])
    #expect(try top.total()?.value == exact)
    let shares = try groups.shares()
    #expect(shares[0] == 1e15 / exact)
  }
}

/// The derivations of a query, worked out by hand on a few groups.
@Suite struct DerivationTests {
  let groups = [
    GroupedValue(keys: ["A"], value: 10, count: 2, unit: "u"), GroupedValue(keys: ["B"], value: 40, count: 1, unit: "u", qualifier: "over"),
    GroupedValue(keys: ["C"], value: 5, count: 1, unit: "u"), GroupedValue(keys: ["D"], value: nil, count: 0, unit: "u"),
    GroupedValue(keys: ["E"], value: 45, count: 3, unit: "u"),
  ]

  func rows(_ derivations: [Derivation], aggregate: Aggregate = .sum) throws -> [ResultRow] {
    var result = QueryResult(columns: ["k"], groups: groups, aggregate: aggregate, rowsRead: 7, rowsMatched: 7)
    result.aggregate = aggregate
    return try result.deriving(Query(groupBy: ["k"], aggregate: aggregate, derivations: derivations)).rows
  }

  @Test func topFoldsTheRestAndRankSkipsIt() throws {
    let found = try rows([.sort(.value()), .top(2), .total(), .share(), .rank()])
    #expect(found.map(\.keys) == [["E"], ["B"], ["Other"], ["Total"]])
    #expect(found.map(\.value) == [45, 40, 15, 100])
    #expect(found[2].kind == .other(folded: 3) && found[2].figure.count == 3)
    // 40 "over" plus exact figures is still "over"; the share of each row is of 100.
    #expect(found[3].figure.qualifier == "over")
    #expect(found.map(\.share) == [0.45, 0.4, 0.15, 1])
    #expect(found.map(\.rank) == [1, 2, nil, nil])
  }

  @Test func keyOrderKeepsTheTopNInTheirPlace() throws {
    let found = try rows([.sort(.listed(["E", "C", "A", "B"])), .top(3)])
    // The three largest (E, B, A), in the listed order, then the rest.
    #expect(found.map(\.keys) == [["E"], ["A"], ["B"], ["Other"]])
  }

  @Test func aLaterSortLeavesAddedRowsAtTheEnd() throws {
    let found = try rows([.total(), .sort(.value(descending: false))])
    #expect(found.map(\.keys) == [["C"], ["A"], ["B"], ["E"], ["D"], ["Total"]])
  }

  @Test func meansFoldByTheirCounts() throws {
    // (10×2 + 5×1) / 3 and (45×3 + 40 + 10×2 + 5) / 7.
    let found = try rows([.top(2), .total()], aggregate: .mean)
    #expect(found.map(\.value) == [45, 40, 25.0 / 3, 200.0 / 7])
    #expect(throws: DataError.self) { try rows([.share()], aggregate: .mean) }
  }

  @Test func groupsCloseWithSubtotals() throws {
    let found = try rows([
      .group(.attribute("half", values: ["A": "first", "B": "first", "C": "second", "E": "second"], order: ["second", "first"])),
      .sort(.key), .subtotals(label: "Sub"), .total(),
    ])
    // Listed group order; D has no group and comes last.
    #expect(found.map(\.keys) == [["C"], ["E"], ["Sub"], ["A"], ["B"], ["Sub"], ["D"], ["Sub"], ["Total"]])
    #expect(found.map(\.value) == [5, 45, 50, 10, 40, 50, nil, nil, 100])
    #expect(found.map(\.group) == ["second", "second", "second", "first", "first", "first", "", "", nil])
  }
}
