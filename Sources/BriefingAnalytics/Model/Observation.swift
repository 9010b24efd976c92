/// One tidy observation: a value of a metric for a region, programme and period (docs/data-format.md).
public struct Observation: Hashable, Sendable {
  public var region: String
  public var programme: String
  public var period: String
  public var metric: String
  /// nil when the file leaves the value empty (missing, not zero).
  public var value: Double?
  public var unit: String
  public var status: String
  public var qualifier: String
  public var source: String
  public var quote: String
  /// Columns beyond the tidy ones, by header name: further dimensions to group or filter by.
  public var extra: [String: String]
  /// The line of the file the observation came from.
  public var line: Int

  public init(
    region: String, programme: String, period: String, metric: String, value: Double?, unit: String,
    status: String = "actual", qualifier: String = "", source: String = "", quote: String = "",
    extra: [String: String] = [:], line: Int = 0
  ) {
    self.region = region
    self.programme = programme
    self.period = period
    self.metric = metric
    self.value = value
    self.unit = unit
    self.status = status
    self.qualifier = qualifier
    self.source = source
    self.quote = quote
    self.extra = extra
    self.line = line
  }

  /// The value of a dimension by column name ("region", "period", or an extra column); nil if absent.
  public subscript(dimension name: String) -> String? {
    switch name {
    case "region": region
    case "programme": programme
    case "period": period
    case "metric": metric
    case "unit": unit
    case "status": status
    case "qualifier": qualifier
    case "source": source
    default: extra[name]
    }
  }
}
