public import BriefingAnalytics
internal import Foundation

/// Labels for metrics, units and dimensions in the report's language.
public struct Vocabulary: Sendable {
  public var locale: ReportLocale
  /// Names and units of metrics from a reference table (`metrics:` in a layout, seeds/metrics.csv),
  /// which take precedence over the built-in ones.
  public var metricTable: MetricTable?

  public init(locale: ReportLocale, metricTable: MetricTable? = nil) {
    self.locale = locale
    self.metricTable = metricTable
  }

  /// Whether the metrics table, when the report has one, names `metric` (without one, the built-in
  /// names or the code made readable serve).
  public func knows(metric: String) -> Bool {
    metricTable.map { $0.entries[metric] != nil } ?? true
  }

  private static let metrics: [String: (en: String, ru: String)] = [
    "students_trained": ("Students trained", "Обучено студентов"),
    "graduates": ("Graduates", "Выпускники"),
    "enterprises_participating": ("Participating enterprises", "Предприятия-участники"),
    "funding": ("Funding", "Финансирование"),
    "private_investment": ("Private investment", "Частные инвестиции"),
    "jobs_created": ("Jobs created", "Создано рабочих мест"),
    "colleges": ("Colleges", "Колледжи"),
    "schools": ("Schools", "Школы"),
    "revenue": ("Revenue", "Выручка"),
    "agreements": ("Agreements", "Соглашения"),
    "vacancy_share": ("Unfilled vacancies", "Доля незакрытых вакансий"),
    "balance": ("Programme balance", "Сальдо программы"),
  ]

  private static let dimensions: [String: (en: String, ru: String)] = [
    "region": ("Region", "Регион"),
    "programme": ("Programme", "Программа"),
    "period": ("Year", "Год"),
    "metric": ("Metric", "Показатель"),
    "status": ("Status", "Статус"),
    "federal_district": ("Federal district", "Федеральный округ"),
  ]

  /// The metric's name for headers and titles ("Students trained"); unknown metrics are made readable.
  public func metric(_ name: String) -> String {
    if let entry = metricTable?.entries[name] {
      let named = locale == .ru ? entry.nameRU : entry.nameEN
      if !named.isEmpty { return named }
    }
    if let known = Self.metrics[name] { return locale == .ru ? known.ru : known.en }
    let words = name.split(separator: "_").joined(separator: " ")
    return words.prefix(1).uppercased() + words.dropFirst()
  }

  /// The dimension's name for a column header ("Region").
  public func dimension(_ name: String) -> String {
    if let known = Self.dimensions[name] { return locale == .ru ? known.ru : known.en }
    return name.prefix(1).uppercased() + name.dropFirst()
  }

  /// How values of a unit are shown: the divisor that keeps figures short and the unit's label.
  public func display(unit: String, largest: Double) -> (divisor: Double, label: String, fractionDigits: Int) {
    let chosen = unitDisplay(unit: unit, largest: largest)
    // Figures all below one would print as «0,0»: show the largest with two significant digits.
    let shown = largest / chosen.divisor
    guard shown > 0, shown < 1 else { return chosen }
    let needed = Int((-log10(shown)).rounded(.down)) + 2
    return (chosen.divisor, chosen.label, min(max(chosen.fractionDigits, needed), 6))
  }

  /// How `values` of a unit are shown: as `display(unit:largest:)`, and with no decimals when
  /// every value shown is a whole number (no «,0» after each).
  public func display(unit: String, values: [Double]) -> (divisor: Double, label: String, fractionDigits: Int) {
    let chosen = display(unit: unit, largest: values.map(abs).max() ?? 0)
    guard chosen.fractionDigits > 0 else { return chosen }
    let whole = values.allSatisfy { value in
      let shown = value / chosen.divisor
      return shown == shown.rounded()
    }
    return whole ? (chosen.divisor, chosen.label, 0) : chosen
  }

  private func unitDisplay(unit: String, largest: Double) -> (divisor: Double, label: String, fractionDigits: Int) {
    switch unit {
    case "RUB":
      if largest >= 1e13 { return (1e12, locale == .ru ? "трлн руб." : "RUB tn", 1) }
      if largest >= 1e10 { return (1e9, locale == .ru ? "млрд руб." : "RUB bn", 1) }
      if largest >= 1e7 { return (1e6, locale == .ru ? "млн руб." : "RUB mn", 1) }
      if largest >= 1e4 { return (1e3, locale == .ru ? "тыс. руб." : "RUB thousand", 1) }
      return (1, locale == .ru ? "руб." : "RUB", 0)
    case "persons": return (1, locale == .ru ? "чел." : "persons", 0)
    case "count": return (1, locale == .ru ? "ед." : "number", 0)
    case "percent": return (1, "%", 1)
    default:
      // A unit the table names in the report's language («роботов на 1 000 занятых»).
      let named = metricTable?.unitLabels[unit].map { locale == .ru ? $0.ru : $0.en } ?? ""
      return (1, named.isEmpty ? unit : named, 0)
    }
  }

  public var total: String { locale == .ru ? "Итого" : "Total" }
  /// The default title of the list of sources.
  public var sources: String { locale == .ru ? "Источники" : "Sources" }

  /// What a figure that is not a sum is: «среднее», "maximum".
  public func aggregate(_ aggregate: Aggregate) -> String {
    switch aggregate {
    case .sum: locale == .ru ? "сумма" : "sum"
    case .mean: locale == .ru ? "среднее" : "mean"
    case .min: locale == .ru ? "минимум" : "minimum"
    case .max: locale == .ru ? "максимум" : "maximum"
    case .count: locale == .ru ? "число значений" : "number of values"
    case .countDistinct: locale == .ru ? "число различных значений" : "distinct values"
    }
  }
  public var share: String { locale == .ru ? "Доля" : "Share" }
  /// The unit line of a chart of parts of a whole.
  public var shareOfTotal: String { locale == .ru ? "доля в общем итоге, %" : "share of the total, %" }
  /// «2025 год» / "2025": the period a figure is for.
  public func period(_ period: String) -> String {
    locale == .ru && Int(period) != nil ? "\(period) год" : period
  }

  /// «изменение к 2024 г.» / "change since 2024".
  public func change(since period: String) -> String {
    locale == .ru ? "изменение к\u{00A0}\(period)\u{00A0}г." : "change since \(period)"
  }
  /// The header of a change column.
  public var change: String { locale == .ru ? "Изменение" : "Change" }
  /// What a key figure's change is against: «к 2024» / "vs 2024" (kept on one line).
  public func against(_ period: String) -> String {
    (locale == .ru ? "к" : "vs") + "\u{00A0}" + period
  }
  /// The unit of a difference between two percentages.
  public var percentagePoints: String { locale == .ru ? "п.\u{00A0}п." : "pp" }
  /// The label of a group's subtotal row.
  public var subtotal: String { locale == .ru ? "Итого по группе" : "Subtotal" }
  /// The group of rows whose group the reference table does not give.
  public var notSpecified: String { locale == .ru ? "Не указано" : "Not specified" }
  public var contents: String { locale == .ru ? "Содержание" : "Contents" }
  public var continued: String { locale == .ru ? "(продолжение)" : "(continued)" }
  /// The caption of a table's continuation on a later page: «Продолжение табл. 2», "Table 2 (continued)".
  public func continuedTable(_ number: String) -> String {
    locale == .ru ? "Продолжение табл.\u{00A0}\(number)" : "Table\u{00A0}\(number) (continued)"
  }
  public var syntheticWarning: String { locale == .ru ? "Иллюстративные синтетические данные" : "Illustrative synthetic data" }

  /// "Other (12 regions)" / «Прочие (12)».
  public func other(count: Int, dimension: String) -> String {
    locale == .ru ? "Прочие (\(count))" : "Other (\(count) \(dimension == "region" ? "regions" : "groups"))"
  }

  /// "Page 2 of 5" / «Стр. 2 из 5».
  public func pageLabel(_ page: Int, _ count: Int) -> String {
    locale == .ru ? "Стр. \(page) из \(count)" : "Page \(page) of \(count)"
  }

  /// "15 January 2025" / «15 января 2025 г.»; the text as given when it is not a date.
  public func longDate(_ isoDate: String) -> String {
    let parts = isoDate.prefix(10).split(separator: "-").compactMap { Int($0) }
    guard parts.count == 3, (1...12).contains(parts[1]) else { return isoDate }
    let months =
      locale == .ru
      ? ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября", "декабря"]
      : ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
    return locale == .ru ? "\(parts[2]) \(months[parts[1] - 1]) \(parts[0]) г." : "\(parts[2]) \(months[parts[1] - 1]) \(parts[0])"
  }

  /// "Built 2025-01-15" / «Сформировано 15.01.2025».
  public func built(on isoDate: String) -> String {
    let day = String(isoDate.prefix(10))
    guard locale == .ru else { return "Built \(day)" }
    let parts = day.split(separator: "-")
    guard parts.count == 3 else { return "Сформировано \(day)" }
    return "Сформировано \(parts[2]).\(parts[1]).\(parts[0])"
  }
}

/// The metrics reference table (seeds/metrics.csv): each metric's English and Russian names and
/// the labels of its unit.
public struct MetricTable: Sendable {
  public struct Entry: Sendable {
    public var nameEN: String
    public var nameRU: String
    public var unit: String
    public var unitEN: String
    public var unitRU: String
  }

  public var entries: [String: Entry]
  /// Each unit's labels, from the first metric that has the unit.
  public var unitLabels: [String: (en: String, ru: String)]

  /// The table of `rows` (columns `metric`, `name_en`, `name_ru`, `unit`, `unit_en`, `unit_ru`);
  /// nil when it lacks `metric` or both names.
  public init?(_ table: ReferenceTable) {
    guard table.header.contains("metric"), table.header.contains("name_en") || table.header.contains("name_ru") else { return nil }
    var entries: [String: Entry] = [:]
    var units: [String: (en: String, ru: String)] = [:]
    for row in table.rows {
      guard let metric = row["metric"], !metric.isEmpty else { continue }
      let entry = Entry(
        nameEN: row["name_en"] ?? "", nameRU: row["name_ru"] ?? "", unit: row["unit"] ?? "", unitEN: row["unit_en"] ?? "",
        unitRU: row["unit_ru"] ?? "")
      entries[metric] = entry
      if !entry.unit.isEmpty, units[entry.unit] == nil { units[entry.unit] = (entry.unitEN, entry.unitRU) }
    }
    self.entries = entries
    unitLabels = units
  }
}
