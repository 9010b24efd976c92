import BriefingAnalytics

/// Prints query results as CSV, JSON or an aligned terminal table.
enum QueryOutput {
  /// A column computed from the groups (share, change, rank), one value per group.
  struct DerivedColumn {
    enum Kind {
      /// 0…1, shown as a percentage.
      case fraction
      case integer
      case signed
      /// Already in percent.
      case signedPercent
    }

    var name: String
    var kind: Kind
    var values: [Double?]

    func formatted(_ index: Int, with format: NumberFormat) -> String {
      let value = values[index]
      return switch kind {
      case .fraction: format.percent(value.map { $0 * 100 })
      case .integer: format.decimal(value)
      case .signed: format.signed(value, fractionDigits: value.map { $0 == $0.rounded() } ?? true ? 0 : 2)
      case .signedPercent: format.signed(value, fractionDigits: 1, percent: true)
      }
    }
  }

  static func csv(columns: [String], groups: [GroupedValue], derived: [DerivedColumn] = []) -> String {
    // Built as bytes: appending tens of thousands of short Strings one by one costs more than
    // the answer took to compute.
    var out = Array(((columns + ["value"] + derived.map(\.name)).map(csvField).joined(separator: ",") + "\n").utf8)
    out.reserveCapacity(groups.count * 64)
    for (index, group) in groups.enumerated() {
      for key in group.keys {
        appendCSVField(key, to: &out)
        out.append(0x2C)
      }
      out.append(contentsOf: NumberFormat.machine(group.value).utf8)
      for column in derived {
        out.append(0x2C)
        out.append(contentsOf: NumberFormat.machine(column.values[index]).utf8)
      }
      out.append(0x0A)
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// Appends `csvField(text)`, copying the bytes directly when no quoting is needed.
  private static func appendCSVField(_ text: String, to out: inout [UInt8]) {
    let plain = text.utf8.withContiguousStorageIfAvailable { bytes -> Bool in
      guard !bytes.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) else { return false }
      out.append(contentsOf: bytes)
      return true
    }
    if plain != true { out.append(contentsOf: csvField(text).utf8) }
  }

  static func json(columns: [String], groups: [GroupedValue], derived: [DerivedColumn] = []) -> String {
    var out = "[\n"
    for (index, group) in groups.enumerated() {
      var fields = zip(columns, group.keys).map { "\(jsonString($0)): \(jsonString($1))" }
      fields.append("\"value\": \(jsonNumber(group.value))")
      for column in derived {
        fields.append("\(jsonString(column.name)): \(jsonNumber(column.values[index]))")
      }
      out += "  {" + fields.joined(separator: ", ") + "}" + (index + 1 < groups.count ? "," : "") + "\n"
    }
    return out + "]\n"
  }

  static func table(columns: [String], groups: [GroupedValue], derived: [DerivedColumn] = [], result: QueryResult, format: NumberFormat) -> String {
    let unit = Set(groups.map(\.unit)).count == 1 ? groups.first?.unit ?? "" : ""
    let valueHeader = result.aggregate == .sum ? "value" : "\(result.aggregate.rawValue)(value)"
    let headers = columns + [unit.isEmpty || !result.aggregate.isNumeric ? valueHeader : "\(valueHeader), \(unit)"] + derived.map(\.name)
    let integral = groups.allSatisfy { ($0.value ?? 0) == ($0.value ?? 0).rounded() }
    let rows = groups.enumerated().map { index, group in
      group.keys + [format.decimal(group.value, fractionDigits: integral ? 0 : 2)] + derived.map { $0.formatted(index, with: format) }
    }
    let numeric = columns.count
    var widths = headers.map(\.count)
    for row in rows { for (c, cell) in row.enumerated() { widths[c] = max(widths[c], cell.count) } }
    func line(_ cells: [String]) -> String {
      cells.enumerated().map { c, cell in
        let pad = String(repeating: " ", count: widths[c] - cell.count)
        return c >= numeric ? pad + cell : cell + pad
      }.joined(separator: "  ")
    }
    var out = line(headers) + "\n" + widths.map { String(repeating: "─", count: $0) }.joined(separator: "  ") + "\n"
    for row in rows { out += line(row) + "\n" }
    out += "\(groups.count) group\(groups.count == 1 ? "" : "s") · \(result.rowsMatched) of \(result.rowsRead) rows matched\n"
    return out
  }

  /// Quotes a field that holds a comma, quote or line break (looked for byte by byte: as
  /// Characters, `"\r\n"` or a comma followed by a combining accent would not compare equal).
  static func csvField(_ text: String) -> String {
    guard text.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) else { return text }
    var out = "\""
    for scalar in text.unicodeScalars {
      if scalar == "\"" { out += "\"" }
      out.unicodeScalars.append(scalar)
    }
    return out + "\""
  }

  /// A JSON number, or `null` for a missing or non-finite value (JSON has no NaN or infinity).
  static func jsonNumber(_ value: Double?) -> String {
    guard let value, value.isFinite else { return "null" }
    return NumberFormat.machine(value)
  }

  static func jsonString(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      case _ where scalar.value < 0x20:
        let hex = String(scalar.value, radix: 16)
        out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out + "\""
  }
}
