public import BriefingAnalytics
public import BriefingLayout
internal import BriefingSQLite

/// A briefing layout as written in `layouts/*.yaml`: what data to read, and which blocks to show.
///
/// Paths inside a layout are relative to the layout file's folder.
public struct LayoutSpec: Codable, Sendable, Equatable {
  /// The output's base name (`reports/<id>.pdf`); defaults to the layout file's name.
  public var id: String?
  /// The language of labels and number formats: `ru` or `en`.
  public var language: ReportLocale
  public var title: String
  public var subtitle: String?
  /// A line under the title: region, programme, period.
  public var particulars: String?
  /// A short title for the page header; defaults to the title.
  public var shortTitle: String?
  public var author: String?
  public var keywords: [String]?
  /// The tidy data files to read, relative to the layout file, or one SQLite database.
  public var data: [DataSpec]
  /// Reference tables that translate dimension values (e.g. region names) into the report's
  /// language: dimension → CSV with `name_en` and `name_<language>` columns.
  public var names: [String: String]?
  /// The metrics reference table (seeds/metrics.csv): each metric's names and unit labels in
  /// both languages. With it, a metric the table lacks is an error at its query.
  public var metrics: String?
  /// The table of source documents (seeds/sources.csv) that documented figures' `source` column
  /// names: their footnotes give its title, publisher and date with the figure's quote.
  public var sources: String?
  /// The source line printed at the foot of every page.
  public var source: String?
  /// The creation date (`2025-01-15` or ISO 8601); `SOURCE_DATE_EPOCH` overrides it.
  public var date: String?
  public var page: PageSpec?
  /// Whether the first page is a cover (title, particulars, author and date; no running header
  /// or footer) instead of a title block above the first section.
  public var cover: Bool?
  public var theme: ThemeSpec?
  /// Parameters and their default values (`params: { region: "Republic of Tatarstan" }`): every
  /// text, query and id may say `{region}`, or an attribute of its value from the names table of
  /// the dimension of the same name (`{region.name_ru}`, `{region.federal_district}`), or
  /// `{region.slug}` for file names. `briefing build --set region=…` overrides a default.
  public var params: [String: String]?
  /// Builds one briefing per value of a parameter: `all` (every value of its names table), a
  /// list of values, or a filter on the names table's columns (`{ federal_district: Volga }`).
  public var forEach: [String: ForEachSpec]?
  /// Numbers that texts quote by name (`{students_2025}`), each one query answered with the
  /// document's data and formatted in its language.
  public var figures: [String: TextFigureSpec]?
  /// A folder inside the output folder that the briefing's files go to (`regions`).
  public var folder: String?
  public var blocks: [BlockSpec]

  /// The sheet.
  public struct PageSpec: Codable, Sendable, Equatable {
    public var size: PaperSize?
    public var orientation: Orientation?
    /// Margins in millimetres.
    public var margins: Double?

    public enum Orientation: String, Codable, Sendable, CaseIterable { case portrait, landscape }
  }

  /// Overrides of the default theme.
  public struct ThemeSpec: Codable, Sendable, Equatable {
    public var sans: String?
    public var serif: String?
    public var bodySize: Double?
    /// Headings' colour: `#RRGGBB`, `#RGB` or a CSS colour name.
    public var accent: ColorValue?
    /// The colour of a chart of one series, and the first series' colour.
    public var bars: ColorValue?
    /// The series colours, in order (the build checks they stay distinguishable, also for
    /// colour-blind readers); defaults to a palette that is.
    public var palette: [ColorValue]?
  }

  /// A colour written in a layout: `#1F4E79`, `#17A` or a CSS colour name (`steelblue`); anything
  /// else is an error at its line and column.
  public struct ColorValue: Codable, Sendable, Equatable {
    public var color: Color

    public init(_ color: Color) { self.color = color }

    public init(from decoder: any Decoder) throws {
      let container = try decoder.singleValueContainer()
      let text = try container.decode(String.self)
      do {
        color = try Color(parsing: text)
      } catch {
        throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
      }
    }

    public func encode(to encoder: any Encoder) throws {
      var container = encoder.singleValueContainer()
      try container.encode(color.hexString)
    }
  }

  /// Which observations a table or chart shows, and how they are combined.
  public struct QuerySpec: Codable, Sendable, Equatable {
    public var metric: String
    /// The dimension the rows or bars are (`region`, `programme`, `period`, …), or two of them
    /// (`[region, period]`): rows by the first, columns (or series) by the second.
    public var by: Dimensions
    /// Filters: dimension → a value, a list of values, `!=VALUE`, a range `2019..2025` (either
    /// side may be empty), `>=VALUE` or `<=VALUE`.
    public var `where`: [String: FilterValue]?
    public var aggregate: Aggregate?
    /// Keep the largest N groups.
    public var top: Int?
    /// `value` (largest first, the default) or `key` (in the dimension's natural order, e.g. years).
    public var sort: SortOrder?
  }

  /// One dimension, or two (rows, then columns or series).
  public struct Dimensions: Codable, Sendable, Equatable, ExpressibleByStringLiteral {
    public var names: [String]

    public init(_ names: [String]) { self.names = names }
    public init(stringLiteral value: String) { names = [value] }

    public init(from decoder: any Decoder) throws {
      let container = try decoder.singleValueContainer()
      if let list = try? container.decode([String].self) {
        guard (1...2).contains(list.count), Set(list).count == list.count else {
          throw DecodingError.dataCorruptedError(
            in: container, debugDescription: "expected one dimension or two different ones ([region, period]), found \(list.count == 0 ? "an empty list" : list.joined(separator: ", "))")
        }
        names = list
      } else {
        names = [try container.decode(String.self)]
      }
    }

    public func encode(to encoder: any Encoder) throws {
      var container = encoder.singleValueContainer()
      if names.count == 1 { try container.encode(names[0]) } else { try container.encode(names) }
    }

    /// The dimension of the rows (or bars).
    public var rows: String { names.first ?? "" }
    /// The dimension of the columns (or series), when there are two.
    public var columns: String? { names.count > 1 ? names[1] : nil }
  }

  /// The order of groups in a table or chart: `value` (largest first, the default),
  /// `valueAscending` (smallest first), `key` (in the dimension's natural order: years in time
  /// order, names alphabetically in the report's language), or a list of the groups in the order
  /// to show them (keys or the report's labels; groups not listed follow in key order).
  public enum SortOrder: Codable, Sendable, Equatable {
    case value
    case valueAscending
    case key
    case listed([String])

    /// The words `sort:` takes besides a list.
    public static let words = ["value", "valueAscending", "key"]

    public init(from decoder: any Decoder) throws {
      let container = try decoder.singleValueContainer()
      if let list = try? container.decode([String].self) {
        guard !list.isEmpty else {
          throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected the groups in order, found an empty list")
        }
        self = .listed(list)
        return
      }
      let word = try container.decode(String.self)
      switch word {
      case "value": self = .value
      case "valueAscending": self = .valueAscending
      case "key": self = .key
      default:
        throw DecodingError.dataCorruptedError(
          in: container, debugDescription: "expected value, valueAscending, key or a list of the groups in order, found “\(word)”")
      }
    }

    public func encode(to encoder: any Encoder) throws {
      var container = encoder.singleValueContainer()
      switch self {
      case .value: try container.encode("value")
      case .valueAscending: try container.encode("valueAscending")
      case .key: try container.encode("key")
      case .listed(let keys): try container.encode(keys)
      }
    }
  }

  /// A data file: a path, or a path with how to read it.
  ///
  /// ```yaml
  /// data:
  ///   - ../seeds/panel.csv
  ///   - path: exports/minpromtorg.csv
  ///     decimalComma: true
  ///     columns: { Регион: region, Программа: programme, Год: period, Показатель: metric, Значение: value, Единица: unit }
  /// ```
  public struct DataSpec: Codable, Sendable, Equatable {
    public var path: String
    /// `csv` or `json` (default: by extension).
    public var format: String?
    /// `,`, `;` or `tab` (default: detected).
    public var delimiter: String?
    public var decimalComma: Bool?
    /// Header name in the file → tidy column name.
    public var columns: [String: String]?
    /// For an SQLite database: the table to read (default `metrics`).
    public var table: String?
    /// For an SQLite database: a `SELECT` whose rows are the data, instead of a table.
    public var query: String?

    public init(path: String) { self.path = path }

    /// Whether this entry is an SQLite database (by its `table`, `query` or extension).
    var isDatabase: Bool { table != nil || query != nil || SQLiteSource.looksLikeDatabase(path) }

    public init(from decoder: any Decoder) throws {
      if let path = try? decoder.singleValueContainer().decode(String.self) {
        self.init(path: path)
        return
      }
      let container = try decoder.container(keyedBy: CodingKeys.self)
      self.init(path: try container.decode(String.self, forKey: .path))
      format = try container.decodeIfPresent(String.self, forKey: .format)
      delimiter = try container.decodeIfPresent(String.self, forKey: .delimiter)
      decimalComma = try container.decodeIfPresent(Bool.self, forKey: .decimalComma)
      columns = try container.decodeIfPresent([String: String].self, forKey: .columns)
      table = try container.decodeIfPresent(String.self, forKey: .table)
      query = try container.decodeIfPresent(String.self, forKey: .query)
    }

    /// The reading options, or a message saying which setting is wrong.
    func readOptions() -> Result<ReadOptions, LayoutProblem> {
      var options = ReadOptions(decimalComma: decimalComma ?? false, columnNames: columns ?? [:])
      if let format {
        guard let known = ReadOptions.Format(rawValue: format) else {
          return .failure(LayoutProblem(message: "expected format csv or json for \(path), found “\(format)”"))
        }
        options.format = known
      }
      if let delimiter {
        guard let byte = ReadOptions.delimiter(named: delimiter) else {
          return .failure(LayoutProblem(message: "expected delimiter “,”, “;” or “tab” for \(path), found “\(delimiter)”"))
        }
        options.delimiter = byte
      }
      return .success(options)
    }
  }

  /// A setting of the layout that cannot be used.
  struct LayoutProblem: Error {
    var message: String
  }

  /// One value or a list of values in a filter.
  public enum FilterValue: Codable, Sendable, Equatable {
    case one(String)
    case many([String])

    public init(from decoder: any Decoder) throws {
      let container = try decoder.singleValueContainer()
      if let list = try? container.decode([String].self) {
        self = .many(list)
      } else if let number = try? container.decode(Int.self) {
        self = .one(String(number))
      } else {
        self = .one(try container.decode(String.self))
      }
    }

    public func encode(to encoder: any Encoder) throws {
      var container = encoder.singleValueContainer()
      switch self {
      case .one(let value): try container.encode(value)
      case .many(let values): try container.encode(values)
      }
    }

    /// The filter on `dimension` this value stands for: a list is a set of allowed values;
    /// `!=X`, `>=X`, `<=X` and `A..B` are written as on `briefing query`'s command line.
    func filter(on dimension: String) throws(DataError) -> Filter {
      switch self {
      case .many(let values):
        guard !values.isEmpty else { throw .invalidOption("\(dimension): expected at least one value, found an empty list") }
        return Filter(dimension, in: Set(values))
      case .one(let text):
        for prefix in ["!=", ">=", "<="] where text.hasPrefix(prefix) { return try Filter(parsing: dimension + text) }
        if text.contains("..") { return try Filter(parsing: "\(dimension)=\(text)") }
        return Filter(dimension, equals: text)
      }
    }
  }

  /// A table of one metric by one dimension.
  public struct TableSpec: Codable, Sendable, Equatable {
    public var caption: String?
    public var query: QuerySpec
    /// The header of the label column; defaults to the dimension's name.
    public var label: String?
    /// The header of the value column; defaults to the metric's name.
    public var valueLabel: String?
    /// Adds a share-of-total column.
    public var share: Bool?
    /// Adds a total row (of the rows shown, or of all groups when `top` cuts the list).
    public var total: Bool?
    public var zebra: Bool?
    /// Adds a small bar beside each figure, on one scale for the whole table.
    public var bars: Bool?
    /// Groups the rows, each group under its label and closed by a subtotal: either another data
    /// dimension (`programme`) or a column of the `names` table of the rows' dimension
    /// (`federal_district` in seeds/regions.csv). Groups are ordered like rows (`sort`).
    public var groupBy: String?
    /// Whether each group closes with a subtotal row (default: true when the sum can be added up).
    public var subtotals: Bool?
    /// An earlier period to compare with: adds its figures and a change column. The query must
    /// select one period.
    public var compare: FilterValue?
    /// How the change column shows the difference: `percent` (the default) or `absolute`.
    public var change: ChangeStyle?
    /// Whether text cells too long for their column wrap (the default) or end with "…".
    public var overflow: TextOverflow?
    /// Whether the table may go on landscape pages: `auto` (only when it is too wide for the
    /// document's pages), `true` (always) or `false` (the default: a too-wide table is an error).
    public var landscape: LandscapeSetting?
  }

  /// How a change between two periods is shown.
  public enum ChangeStyle: String, Codable, Sendable, Equatable, CaseIterable {
    /// Percent change against the earlier period.
    case percent
    /// The difference, in the table's unit.
    case absolute
  }

  /// When a block is laid out on landscape pages.
  public enum LandscapeSetting: Codable, Sendable, Equatable {
    case never
    /// Only when it does not fit the width of the document's pages.
    case auto
    case always

    public init(from decoder: any Decoder) throws {
      let container = try decoder.singleValueContainer()
      if let flag = try? container.decode(Bool.self) {
        self = flag ? .always : .never
      } else if let word = try? container.decode(String.self), word == "auto" {
        self = .auto
      } else {
        throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected true, false or auto")
      }
    }

    public func encode(to encoder: any Encoder) throws {
      var container = encoder.singleValueContainer()
      switch self {
      case .never: try container.encode(false)
      case .always: try container.encode(true)
      case .auto: try container.encode("auto")
      }
    }
  }

  /// A chart, placed in the PDF and optionally exported as SVG and PNG.
  public struct ChartSpec: Codable, Sendable, Equatable {
    /// The chart's file name part: `reports/<layout id>-<id>.svg`.
    public var id: String
    public var title: String?
    public var subtitle: String?
    public var query: QuerySpec
    /// `bar` (the default), `grouped`, `stacked`, `percent` (stacked to 100 %) or `diverging`
    /// (signed changes from a zero line).
    public var kind: ChartKind?
    /// A second dimension whose values are the series (`series: period` draws 2024 and 2025 side
    /// by side); the same as `by: [region, period]` in the query.
    public var series: String?
    /// `auto` (the default: upright columns when every label fits under its column, else
    /// horizontal bars), `horizontal` or `vertical`.
    public var orientation: ChartOrientation?
    /// Height in points inside the PDF; defaults to a height that suits the number of bars.
    public var height: Double?
    /// Whether a chart cut to `top` shows the rest as one "Other" bar (the default), as tables
    /// show an "Other" row; `false` shows only the top N.
    public var other: Bool?
    /// One category, or several, drawn in the highlight colour with the others muted (a key of
    /// the data or the label the report shows).
    public var highlight: FilterValue?
    /// A labelled line across the plot, or a list of them: `{ value: 1000000, label: "цель 2028" }`.
    public var reference: References?
    /// An earlier period: the chart shows each category's change against it (diverging bars).
    public var compare: FilterValue?
    /// How a `compare` chart shows the change: `percent` (the default) or `absolute`.
    public var change: ChangeStyle?
    /// Whether bars carry their value labels (the default: true).
    public var values: Bool?
    /// Standalone formats to write beside the PDF.
    public var export: [ExportFormat]?
    /// The width of exported files: a length (`170mm`, `6.5in`, `16cm`, `480pt` or a number of
    /// points) or `text` (the layout's text width); default 552 pt.
    public var width: ExportWidth?
    /// `inside` (the default) draws the title in exported files; `outside` leaves «Рисунок 1.» and
    /// the title out, for documents that number and caption their own figures (the source stays).
    public var caption: CaptionPlacement?
    /// Exported SVG text: `text` (the default; real `<text>` that can be selected, searched and
    /// read aloud) or `outlines` (glyph shapes: the same look without the fonts).
    public var svgText: SVGTextMode?
    /// A note under the chart; defaults to the layout's source line.
    public var note: String?
    /// Whether the chart may wait for the top of the next page when it does not fit the room
    /// left, while the paragraphs and notes after it fill that room (the default, as LaTeX and
    /// Typst place figures); `false` keeps the layout's order strictly.
    public var float: Bool?
  }

  /// Where an exported chart's caption goes.
  public enum CaptionPlacement: String, Codable, Sendable, CaseIterable { case inside, outside }

  /// How exported SVG carries its text.
  public enum SVGTextMode: String, Codable, Sendable, CaseIterable { case text, outlines }

  /// The width of exported charts.
  public enum ExportWidth: Codable, Sendable, Equatable {
    /// In points.
    case points(Double)
    /// The layout's text width (page width less margins).
    case text

    /// The widths allowed, in points (1 in to about 42 in).
    static let allowedPoints: ClosedRange<Double> = 72...3000

    public init(from decoder: any Decoder) throws {
      let container = try decoder.singleValueContainer()
      if let points = try? container.decode(Double.self) {
        self = .points(points)
      } else {
        let word = try container.decode(String.self).trimmingCharacters(in: .whitespaces)
        if word == "text" {
          self = .text
          return
        }
        let units: [(String, Double)] = [("mm", 72 / 25.4), ("cm", 72 / 2.54), ("in", 72), ("pt", 1)]
        guard let (unit, factor) = units.first(where: { word.hasSuffix($0.0) }),
          let number = Double(word.dropLast(unit.count).trimmingCharacters(in: .whitespaces))
        else {
          throw DecodingError.dataCorruptedError(
            in: container, debugDescription: "expected a width such as 170mm, 16cm, 6.5in, 480pt or text, found “\(word)”")
        }
        self = .points(number * factor)
      }
      if case .points(let points) = self, !Self.allowedPoints.contains(points) {
        throw DecodingError.dataCorruptedError(
          in: container, debugDescription: "expected a width from \(Int(Self.allowedPoints.lowerBound)) pt (1 in) to \(Int(Self.allowedPoints.upperBound)) pt, found \(points) pt")
      }
    }

    public func encode(to encoder: any Encoder) throws {
      var container = encoder.singleValueContainer()
      switch self {
      case .points(let points): try container.encode(points)
      case .text: try container.encode("text")
      }
    }
  }

  /// A reference line of a chart.
  public struct ReferenceSpec: Codable, Sendable, Equatable {
    public var value: Double
    public var label: String
  }

  /// One reference line or a list of them.
  public struct References: Codable, Sendable, Equatable {
    public var lines: [ReferenceSpec]

    public init(from decoder: any Decoder) throws {
      if let list = try? decoder.singleValueContainer().decode([ReferenceSpec].self) {
        lines = list
      } else {
        lines = [try ReferenceSpec(from: decoder)]
      }
    }

    public func encode(to encoder: any Encoder) throws {
      var container = encoder.singleValueContainer()
      if lines.count == 1 { try container.encode(lines[0]) } else { try container.encode(lines) }
    }
  }

  /// A standalone chart format.
  public enum ExportFormat: String, Codable, Sendable, CaseIterable { case svg, png, pdf }

  /// One key figure of a `kpis:` row: a label, one figure, and its change against another period.
  ///
  /// ```yaml
  /// - kpis:
  ///     - label: "Обучено студентов"
  ///       query: { metric: students_trained, where: { period: 2025, status: synthetic } }
  ///       compare: 2024
  /// ```
  public struct KPISpec: Codable, Sendable, Equatable {
    /// What the figure is; defaults to the metric's name.
    public var label: String?
    /// The one figure: a metric, filters and an aggregate, with no `by`.
    public var query: FigureQuerySpec
    /// Another period to compare with: adds a change line. The query must select one period.
    public var compare: FilterValue?
    /// How the change is shown: `percent` (the default) or `absolute` (in the figure's unit).
    public var change: ChangeStyle?
    /// A marker printed small after the figure ("1", "*"), for a note the layout gives elsewhere.
    public var footnote: String?
    /// What the tile shows when the query selects no data («—», «нет данных»), for a layout built
    /// for many regions, some of which lack the figure; without it, no data is an error.
    public var otherwise: String?
  }

  /// The question behind one figure: a metric, filters and an aggregate over every row they
  /// select (a query without `by`, `top` or `sort`).
  public struct FigureQuerySpec: Codable, Sendable, Equatable {
    public var metric: String
    /// Filters, written as in a table's query.
    public var `where`: [String: FilterValue]?
    public var aggregate: Aggregate?

    /// The same question as a table's query with no dimension, so that it is built, checked and
    /// answered as tables' queries are.
    var grouped: QuerySpec { QuerySpec(metric: metric, by: Dimensions([]), where: `where`, aggregate: aggregate) }
  }

  /// The values `forEach:` builds a briefing for.
  public enum ForEachSpec: Codable, Sendable, Equatable {
    /// Every value of the parameter's names table, in its order.
    case all
    /// These values, in this order.
    case values([String])
    /// The values of the names table whose columns have these values.
    case matching([String: FilterValue])

    public init(from decoder: any Decoder) throws {
      let container = try decoder.singleValueContainer()
      if let word = try? container.decode(String.self) {
        guard word == "all" else {
          throw DecodingError.dataCorruptedError(
            in: container, debugDescription: "expected “all”, a list of values or a filter on the names table ({ federal_district: Volga }), found “\(word)”")
        }
        self = .all
      } else if let list = try? container.decode([String].self) {
        self = .values(list)
      } else {
        self = .matching(try container.decode([String: FilterValue].self))
      }
    }

    public func encode(to encoder: any Encoder) throws {
      var container = encoder.singleValueContainer()
      switch self {
      case .all: try container.encode("all")
      case .values(let values): try container.encode(values)
      case .matching(let filter): try container.encode(filter)
      }
    }
  }

  /// A number a text quotes: the figure of a query of one number, or, grouped `by` a dimension,
  /// the `rank` of one group (1 for the largest), its `share` of all groups in per cent, its
  /// `value`, or the `count` of groups.
  public struct TextFigureSpec: Codable, Sendable, Equatable {
    /// The question, written as a key figure's (a metric, filters, an aggregate).
    public var query: FigureQuerySpec
    /// The dimension whose groups `rank`, `share`, `value` and `count` speak of.
    public var by: String?
    /// The group whose place among the groups is the figure (`rank: "{region}"`).
    public var rank: String?
    /// The group whose share of all groups' total is the figure, in per cent.
    public var share: String?
    /// The group whose figure is the figure (`value: "{region}"`).
    public var value: String?
    /// Whether the figure is the number of groups.
    public var count: Bool?
    /// The text when the query selects no data, or none for the group named (a region outside a
    /// programme); without it, no data is an error.
    public var otherwise: String?

    public init(
      query: FigureQuerySpec, by: String? = nil, rank: String? = nil, share: String? = nil, value: String? = nil, count: Bool? = nil
    ) {
      self.query = query
      self.by = by
      self.rank = rank
      self.share = share
      self.value = value
      self.count = count
    }
  }

  /// How many figures a `kpis:` row holds.
  static let kpiCount = 2...4

  /// One block of the document, written in YAML as a single-key mapping (`- heading: Text`).
  public enum BlockSpec: Codable, Sendable, Equatable {
    case heading(String)
    case subheading(String)
    case paragraph(String)
    case note(String)
    case table(TableSpec)
    case chart(ChartSpec)
    /// Starts a new page (`- pageBreak: true`).
    case pageBreak
    /// A contents list of the headings with page numbers (`- contents: true`, or its title:
    /// `- contents: Оглавление`); nil keeps the language's default title.
    case contents(String?)
    /// A row of 2 to 4 key figures (`- kpis: [ … ]`).
    case kpis([KPISpec])
    /// A heading and the list of the documents the footnotes cite (`- sources: true`, or its
    /// title: `- sources: Использованные источники`); nil keeps the language's default title.
    case sources(String?)

    enum Key: String, CodingKey, CaseIterable {
      case heading, subheading, paragraph, note, table, chart, pageBreak, contents, kpis, sources
    }

    /// `true` (nil: the default title) or a title; `false` is refused.
    private static func title(in container: KeyedDecodingContainer<Key>, forKey key: Key) throws -> String? {
      guard let flag = try? container.decode(Bool.self, forKey: key) else { return try container.decode(String.self, forKey: key) }
      guard flag else {
        throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: "expected true or a title, found false (leave the block out instead)")
      }
      return nil
    }

    public init(from decoder: any Decoder) throws {
      let container = try decoder.container(keyedBy: Key.self)
      let present = container.allKeys
      guard present.count == 1, let key = present.first else {
        throw DecodingError.dataCorrupted(DecodingError.Context(
          codingPath: decoder.codingPath,
          debugDescription: "expected a block with exactly one of the keys \(Key.allCases.map(\.rawValue).joined(separator: ", ")), found \(present.count == 0 ? "none of them (check the spelling)" : present.map(\.stringValue).joined(separator: ", "))"))
      }
      switch key {
      case .heading: self = .heading(try container.decode(String.self, forKey: key))
      case .subheading: self = .subheading(try container.decode(String.self, forKey: key))
      case .paragraph: self = .paragraph(try container.decode(String.self, forKey: key))
      case .note: self = .note(try container.decode(String.self, forKey: key))
      case .table: self = .table(try container.decode(TableSpec.self, forKey: key))
      case .chart: self = .chart(try container.decode(ChartSpec.self, forKey: key))
      case .kpis: self = .kpis(try container.decode([KPISpec].self, forKey: key))
      case .pageBreak: self = .pageBreak
      case .contents: self = .contents(try Self.title(in: container, forKey: key))
      case .sources: self = .sources(try Self.title(in: container, forKey: key))
      }
    }

    public func encode(to encoder: any Encoder) throws {
      var container = encoder.container(keyedBy: Key.self)
      switch self {
      case .heading(let text): try container.encode(text, forKey: .heading)
      case .subheading(let text): try container.encode(text, forKey: .subheading)
      case .paragraph(let text): try container.encode(text, forKey: .paragraph)
      case .note(let text): try container.encode(text, forKey: .note)
      case .table(let table): try container.encode(table, forKey: .table)
      case .chart(let chart): try container.encode(chart, forKey: .chart)
      case .kpis(let figures): try container.encode(figures, forKey: .kpis)
      case .pageBreak: try container.encode(true, forKey: .pageBreak)
      case .contents(let title):
        if let title { try container.encode(title, forKey: .contents) } else { try container.encode(true, forKey: .contents) }
      case .sources(let title):
        if let title { try container.encode(title, forKey: .sources) } else { try container.encode(true, forKey: .sources) }
      }
    }
  }
}
