import Foundation
import Testing

/// `briefing query` as a user runs it: arguments in, text and an exit code out.
@Suite struct QueryCommandTests {
  let data = """
    region,programme,period,metric,value,unit
    Moscow,Professionalism,2024,students_trained,1600,persons
    Moscow,Professionalism,2025,students_trained,2000.5,persons
    "Kemerovo Oblast, Kuzbass",Professionalism,2025,students_trained,700,persons
    Tatarstan,Professionalism,2025,students_trained,900,persons
    Tatarstan,Campus,2025,students_trained,,persons
    Moscow,Professionalism,2025,funding,1000000,RUB

    """

  func query(_ arguments: [String], contents: String? = nil, name: String = "d.csv") throws -> ToolResult {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try (contents ?? data).write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
    return try run(briefingExecutable(), ["query", name] + arguments, in: folder)
  }

  @Test func csvHasTheGroupColumnsThenValueAndMachineNumbers() throws {
    let result = try query(["--metric", "students_trained", "--group-by", "region,period", "--format", "csv"])
    #expect(result.status == 0, "\(result.error)")
    #expect(result.output == """
      region,period,value
      "Kemerovo Oblast, Kuzbass",2025,700
      Moscow,2024,1600
      Moscow,2025,2000.5
      Tatarstan,2025,900

      """)
  }

  @Test func jsonKeepsMissingAsNull() throws {
    let result = try query(["--where", "programme=Campus", "--group-by", "region", "--format", "json"])
    #expect(result.status == 0, "\(result.error)")
    #expect(result.output == "[\n  {\"region\": \"Tatarstan\", \"value\": null}\n]\n")
  }

  @Test func tableFormatsNumbersWithUnitsInEitherLocale() throws {
    let en = try query(["--metric", "students_trained", "--group-by", "period", "--sort", "value"])
    #expect(en.status == 0, "\(en.error)")
    #expect(en.output.contains("period  value, persons"), "\(en.output)")
    #expect(en.output.contains("2025          3,600.50"), "\(en.output)")
    #expect(en.output.contains("2 groups · 5 of 6 rows matched"), "\(en.output)")
    let ru = try query(["--metric", "students_trained", "--group-by", "period", "--locale", "ru"])
    #expect(ru.output.contains("3\u{202F}600,50"), "\(ru.output)")
  }

  @Test func topKeepsTheLargestAndFoldsTheRestIntoOther() throws {
    let result = try query(["--metric", "students_trained", "--group-by", "region", "--top", "1", "--format", "csv"])
    #expect(result.output == "region,value\nMoscow,3600.5\nOther,1600\n", "\(result.output)")
  }

  @Test func topWithinGroupsKeepsKeyOrderAcrossThemAndNeverRanksOther() throws {
    // Per period (key order): the largest region kept, the rest folded; Other takes no rank.
    let result = try query(["--metric", "students_trained", "--group-by", "period,region", "--top", "1", "--with", "rank", "--format", "csv"])
    #expect(result.output == """
      period,region,value,rank
      2024,Moscow,1600,1
      2025,Moscow,2000.5,1
      2025,Other,1600,

      """, "\(result.output)")
  }

  @Test func aggregatesAndRepeatedWhereWidensTheSet() throws {
    let mean = try query(["--metric", "students_trained", "--where", "region=Moscow", "--where", "region=Tatarstan", "--agg", "mean", "--format", "csv"])
    #expect(mean.output == "value\n1500.1666666666667\n", "\(mean.output)")
    let distinct = try query(["--agg", "count_distinct", "--value", "region", "--group-by", "programme", "--format", "csv"])
    #expect(distinct.output == "programme,value\nCampus,1\nProfessionalism,3\n", "\(distinct.output)")
  }

  @Test func derivedColumnsShareChangeAndRank() throws {
    let result = try query(
      ["--metric", "students_trained", "--group-by", "region,period", "--with", "share,change,change_pct,rank", "--format", "csv"])
    #expect(result.status == 0, "\(result.error)")
    // Shares and ranks are within each region; Moscow grew 400.5 (25.03 %) from 2024 to 2025.
    #expect(result.output == """
      region,period,value,share,change,change_pct,rank
      "Kemerovo Oblast, Kuzbass",2025,700,1,,,1
      Moscow,2024,1600,0.44438272462158035,,,2
      Moscow,2025,2000.5,0.5556172753784197,400.5,25.03125,1
      Tatarstan,2025,900,1,,,1

      """)
    let table = try query(["--metric", "students_trained", "--group-by", "period", "--with", "share,change_pct"])
    #expect(table.output.contains("2025          3,600.50  69.2%     +125.0%"), "\(table.output)")
    let noPeriod = try query(["--metric", "students_trained", "--group-by", "region", "--with", "change"])
    #expect(noPeriod.status != 0 && noPeriod.error.contains("--group-by must include it"), "\(noPeriod.error)")
  }

  @Test func badDataFailsWithLocationAndExitCode65() throws {
    let result = try query(["--group-by", "region"], contents: "region,value\nA,1\nB,lots\n")
    #expect(result.status == 65)
    #expect(result.error == "error: d.csv:3:3: expected a number in column “value”, found “lots”\n")
    #expect(result.output.isEmpty)
    let missing = try query(["--group-by", "district"])
    #expect(missing.status == 65)
    #expect(missing.error.contains("expected a column named “district”"), "\(missing.error)")
  }

  @Test func lenientSkipsAndWarns() throws {
    let result = try query(["--group-by", "region", "--format", "csv", "--lenient"], contents: "region,value\nA,1\nB,lots\nA,2\n")
    #expect(result.status == 0)
    #expect(result.output == "region,value\nA,3\n")
    #expect(result.error == "warning: skipped 1 bad row of 3\n  d.csv:3:3: expected a number in column “value”, found “lots”\n")
  }

  @Test func russianExportWithMappingAndDecimalComma() throws {
    let export = "Регион;Год;Значение\nМосква;2025;1 600,5\nМосква;2024;\"2 000,25\"\n"
    let result = try query(
      ["--decimal-comma", "--map", "Регион=region", "--map", "Значение=value", "--group-by", "region", "--format", "csv"],
      contents: export)
    #expect(result.status == 0, "\(result.error)")
    #expect(result.output == "region,value\nМосква,3600.75\n")
  }

  @Test func jsonLinesInput() throws {
    let lines = "{\"region\": \"A\", \"value\": 2}\n{\"region\": \"A\", \"value\": 3.25}\n"
    let result = try query(["--group-by", "region", "--format", "csv"], contents: lines, name: "d.jsonl")
    #expect(result.output == "region,value\nA,5.25\n", "\(result.error)")
  }

  @Test func helpHasExamples() throws {
    let result = try run(briefingExecutable(), ["query", "--help"])
    #expect(result.output.contains("briefing query seeds/panel.csv --metric funding --group-by region --top 10"))
  }

  @Test func csvOutputQuotesLineBreaksAndCommasByteByByte() throws {
    // "\r\n" is one Character, and so is a comma followed by a combining accent.
    let contents = "region,value\n\"a\r\nb\",1\n\"x,\u{301}y\",2\n\"say \"\"\u{301}hi\",3\n"
    let result = try query(["--group-by", "region", "--format", "csv"], contents: contents)
    #expect(result.status == 0, "\(result.error)")
    #expect(result.output == "region,value\n\"a\r\nb\",1\n\"say \"\"\u{301}hi\",3\n\"x,\u{301}y\",2\n")
  }

  @Test func anOverflowingSumFailsInsteadOfPrintingNaN() throws {
    let result = try query(["--format", "json"], contents: "region,value\nA,1e308\nA,1e308\n")
    #expect(result.status != 0)
    #expect(!result.output.contains("nan"))
    #expect(result.error.contains("beyond the largest number"), "\(result.error)")
  }

  @Test func topWithoutGroupByIsRefused() throws {
    let result = try query(["--top", "3"])
    #expect(result.status != 0)
    #expect(result.error.contains("--top keeps the largest groups"), "\(result.error)")
  }

  @Test func readsFromStandardInput() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try data.write(to: folder.appendingPathComponent("d.csv"), atomically: true, encoding: .utf8)
    let result = try run(
      URL(fileURLWithPath: "/bin/sh"), ["-c", "\"$0\" query /dev/stdin --metric funding --format csv < d.csv", briefingExecutable().path],
      in: folder)
    #expect(result.output == "value\n1000000\n", "\(result.error)")
  }
}

@Suite struct QueryOutputFailureTests {
  @Test func aFullDiskIsAnErrorNotACrash() throws {
    guard let (status, message) = try runOnFullDevice(["query", projectRoot.appendingPathComponent("seeds/panel.csv").path, "--metric", "funding", "--group-by", "region"]) else { return }
    #expect(status == 73)
    #expect(message == "error: standard output: cannot write the file: No space left on device\n")
  }
}
