internal import Foundation

/// Generates the illustrative national panel: every region × the federal training programmes ×
/// years × metrics, deterministic for a seed.
///
/// Magnitudes are anchored on the documented figures (seeds/documented.csv): a region's yearly
/// students trained in the hundreds to tens of thousands, programme funding in hundreds of millions
/// of roubles, growth over the years. A region's figures scale with its population (seeds/regions.csv)
/// relative to the median region, so Moscow and the other large subjects lead and the autonomous
/// okrugs stay small; regions without a population are drawn at the median size. Regions join
/// programmes at different times and some never do (large regions more surely than small ones);
/// about one value in a hundred is missing. Every row is `status=synthetic`, `source=generated`.
public struct PanelGenerator: Sendable {
  /// How one metric of a programme behaves.
  public struct MetricModel: Sendable {
    public var metric: String
    public var unit: String
    /// The median value for a region of typical size in a programme's third year.
    public var median: Double
    /// Yearly growth once the programme has ramped up (0.08 = 8 % a year).
    public var growth: Double
    /// Round to a multiple of this (1 for persons and counts, 1000 for roubles).
    public var granularity: Double
  }

  /// How one programme behaves across regions and years.
  public struct ProgrammeModel: Sendable {
    public var name: String
    public var firstYear: Int
    /// The share of regions that take part at all.
    public var participation: Double
    public var metrics: [MetricModel]
  }

  public var regions: [String]
  /// Each region's resident population (persons). A region's figures are drawn around the models'
  /// medians times its population relative to the median population of `regions`. A region left out
  /// is drawn at the median size; when no region has a population, sizes are log-normal instead.
  public var populations: [String: Double]
  public var programmes: [ProgrammeModel]
  public var years: ClosedRange<Int>
  public var seed: UInt64

  public init(regions: [String], populations: [String: Double] = [:], programmes: [ProgrammeModel] = PanelGenerator.federalProgrammes, years: ClosedRange<Int> = 2019...2026, seed: UInt64 = 2026) {
    self.regions = regions
    self.populations = populations.filter { $0.value.isFinite && $0.value > 0 }
    self.programmes = programmes
    self.years = years
    self.seed = seed
  }

  /// How strongly a region's figures follow its population: 1 = in proportion.
  public static let populationElasticity = 1.0
  /// The spread (log standard deviation) of a region's size around what its population implies.
  static let sizeNoise = 0.06
  /// The spread of a region's size when no region has a population (most regions then are
  /// mid-sized and a few very large).
  static let unknownSizeNoise = 0.85

  /// The median population of the regions that have one, or nil when none has.
  var medianPopulation: Double? {
    let known = regions.compactMap { populations[$0] }.sorted()
    guard !known.isEmpty else { return nil }
    let middle = known.count / 2
    return known.count % 2 == 1 ? known[middle] : (known[middle - 1] + known[middle]) / 2
  }

  /// The federal programmes of the panel, with magnitudes chosen to sit near the documented figures.
  public static let federalProgrammes: [ProgrammeModel] = [
    ProgrammeModel(name: "Professionalism", firstYear: 2022, participation: 0.96, metrics: [
      MetricModel(metric: "students_trained", unit: "persons", median: 4_200, growth: 0.18, granularity: 1),
      MetricModel(metric: "graduates", unit: "persons", median: 1_150, growth: 0.22, granularity: 1),
      MetricModel(metric: "enterprises_participating", unit: "count", median: 38, growth: 0.12, granularity: 1),
      MetricModel(metric: "funding", unit: "RUB", median: 310_000_000, growth: 0.10, granularity: 1_000),
      MetricModel(metric: "colleges", unit: "count", median: 9, growth: 0.10, granularity: 1),
    ]),
    ProgrammeModel(name: "Advanced Engineering Schools", firstYear: 2022, participation: 0.55, metrics: [
      MetricModel(metric: "students_trained", unit: "persons", median: 900, growth: 0.25, granularity: 1),
      MetricModel(metric: "enterprises_participating", unit: "count", median: 6, growth: 0.10, granularity: 1),
      MetricModel(metric: "funding", unit: "RUB", median: 420_000_000, growth: 0.08, granularity: 1_000),
      MetricModel(metric: "schools", unit: "count", median: 1.4, growth: 0.05, granularity: 1),
    ]),
    ProgrammeModel(name: "Early Career Guidance", firstYear: 2019, participation: 0.98, metrics: [
      MetricModel(metric: "schoolchildren_participating", unit: "persons", median: 9_500, growth: 0.14, granularity: 1),
      MetricModel(metric: "enterprises_participating", unit: "count", median: 60, growth: 0.12, granularity: 1),
      MetricModel(metric: "funding", unit: "RUB", median: 48_000_000, growth: 0.07, granularity: 1_000),
      MetricModel(metric: "schools", unit: "count", median: 160, growth: 0.06, granularity: 1),
    ]),
    ProgrammeModel(name: "Industrial Clusters", firstYear: 2019, participation: 0.62, metrics: [
      MetricModel(metric: "enterprises_participating", unit: "count", median: 24, growth: 0.09, granularity: 1),
      MetricModel(metric: "jobs_created", unit: "persons", median: 650, growth: 0.11, granularity: 1),
      MetricModel(metric: "private_investment", unit: "RUB", median: 3_800_000_000, growth: 0.12, granularity: 1_000),
      MetricModel(metric: "funding", unit: "RUB", median: 520_000_000, growth: 0.06, granularity: 1_000),
    ]),
    ProgrammeModel(name: "Campus Programme", firstYear: 2021, participation: 0.35, metrics: [
      MetricModel(metric: "campus_student_places", unit: "count", median: 2_600, growth: 0.10, granularity: 1),
      MetricModel(metric: "funding", unit: "RUB", median: 1_900_000_000, growth: 0.05, granularity: 1_000),
      MetricModel(metric: "jobs_created", unit: "persons", median: 140, growth: 0.08, granularity: 1),
      MetricModel(metric: "private_investment", unit: "RUB", median: 950_000_000, growth: 0.09, granularity: 1_000),
    ]),
  ]

  /// The tidy header every generated file has.
  public static let header = ["region", "programme", "period", "metric", "value", "unit", "status", "qualifier", "source", "quote"]

  /// Calls `body` with every observation of the panel, in a fixed order (region, programme, year, metric).
  public func forEachObservation(_ body: (Observation) throws -> Void) rethrows {
    let root = SplitMix64(seed: seed)
    let median = medianPopulation
    for region in regions {
      var regionRandom = root.fork("region:" + region)
      // A region's size: its population relative to the median region's, with a little noise; when
      // the population is unknown, log-normal around the median.
      let scale = median.flatMap { median in populations[region].map { pow($0 / median, Self.populationElasticity) } }
      let size = (scale ?? 1) * exp((median == nil ? Self.unknownSizeNoise : Self.sizeNoise) * regionRandom.normal())
      for programme in programmes {
        var random = root.fork("cell:" + region + "|" + programme.name)
        // Regions larger than the median take part more surely.
        guard random.unit() < programme.participation * max(1, (scale ?? 1).squareRoot()) else { continue }
        // Most regions join in the first year; some (fewer of the large ones) a year or two later.
        let late = 0.3 * min(1, 1 / ((scale ?? 1) * (scale ?? 1)))
        let join = programme.firstYear + (random.unit() >= late ? 0 : 1 + Int(random.unit() * 2))
        let uptake = exp((median == nil ? 0.35 : 0.06) * random.normal())
        for year in years where year >= join {
          let age = Double(year - programme.firstYear)
          let ramp = min(1, Double(year - join + 1) / 3)
          for model in programme.metrics {
            let noise = exp(0.10 * random.normal())
            let raw = model.median * size * uptake * ramp * pow(1 + model.growth, age - 2) * noise
            let rounded = max((raw / model.granularity).rounded() * model.granularity, model.granularity)
            let missing = random.unit() < 0.01
            try body(Observation(
              region: region, programme: programme.name, period: String(year), metric: model.metric,
              value: missing ? nil : rounded, unit: model.unit, status: "synthetic", source: "generated"))
          }
        }
      }
    }
  }

  /// The panel's observations.
  public func observations() -> [Observation] {
    var all: [Observation] = []
    forEachObservation { all.append($0) }
    return all
  }

  /// Writes the panel as tidy CSV. With `rows`, each observation is spread over several raw records
  /// (as if reported per college or per month) whose values add up to the observation's value,
  /// making a file of exactly `rows` data rows with the same totals.
  public func write(to sink: inout CSVWriter, rows: Int? = nil) throws(DataError) {
    sink.writeRow(Self.header)
    let base = observations()
    guard let rows else {
      for observation in base { sink.write(observation, value: observation.value) }
      return
    }
    guard rows >= base.count else {
      throw .invalidOption("--rows must be at least \(base.count) (one row per observation of the panel), found \(rows)")
    }
    var random = SplitMix64(seed: seed).fork("rows")
    let perObservation = rows / base.count
    let extra = rows % base.count
    for (index, observation) in base.enumerated() {
      let parts = perObservation + (index < extra ? 1 : 0)
      guard let value = observation.value else {
        for _ in 0..<parts { sink.write(observation, value: nil) }
        continue
      }
      let granularity = value.truncatingRemainder(dividingBy: 1000) == 0 && value >= 1000 ? 1000.0 : 1.0
      var units = Int((value / granularity).rounded())
      for part in 0..<parts {
        let remaining = parts - part
        let share: Int
        if remaining == 1 {
          share = units
        } else {
          // A random share around the even split; parts may be zero when units < parts.
          let even = Double(units) / Double(remaining)
          share = min(units, max(0, Int((even * (0.5 + random.unit())).rounded())))
        }
        units -= share
        sink.write(observation, value: Double(share) * granularity)
      }
    }
  }
}

/// Writes CSV rows into a file through a buffer, quoting fields only when RFC 4180 requires it.
///
/// It writes to a temporary file beside the destination and renames it into place on `commit`, so a
/// reader never sees a half-written file.
public struct CSVWriter: ~Copyable {
  private var buffer: [UInt8] = []
  private let descriptor: Int32
  private let temporaryPath: String
  public let path: String
  private var failed: String?

  public init(path: String) throws(DataError) {
    let refusal = OutputTarget.refusal(of: path)
    self.path = path
    temporaryPath = path + ".tmp-\(getpid())"
    // A file left at the temporary name by a killed run with the same process id is removed; a new
    // one is created exclusively (never a FIFO, link or another process's file).
    if refusal == nil, OutputTarget.refusal(of: temporaryPath) == nil { unlink(temporaryPath) }
    descriptor = refusal == nil ? open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644) : -1
    if let refusal { throw .unwritable(file: path, reason: "will not replace it: \(refusal)") }
    guard descriptor >= 0 else {
      throw .unwritable(file: path, reason: "cannot create \(temporaryPath): \(String(cString: strerror(errno)))")
    }
    buffer.reserveCapacity(1 << 20)
  }

  deinit {
    // Only a file this writer created is removed.
    if descriptor >= 0 {
      close(descriptor)
      unlink(temporaryPath)
    }
  }

  public mutating func writeRow(_ fields: [String]) {
    for (index, field) in fields.enumerated() {
      if index > 0 { buffer.append(UInt8(ascii: ",")) }
      appendField(field)
    }
    buffer.append(UInt8(ascii: "\n"))
    flushIfFull()
  }

  mutating func write(_ o: Observation, value: Double?) {
    appendField(o.region)
    buffer.append(UInt8(ascii: ","))
    appendField(o.programme)
    buffer.append(UInt8(ascii: ","))
    appendField(o.period)
    buffer.append(UInt8(ascii: ","))
    appendField(o.metric)
    buffer.append(UInt8(ascii: ","))
    if let value { appendNumber(value) }
    buffer.append(UInt8(ascii: ","))
    appendField(o.unit)
    buffer.append(UInt8(ascii: ","))
    appendField(o.status)
    buffer.append(UInt8(ascii: ","))
    appendField(o.qualifier)
    buffer.append(UInt8(ascii: ","))
    appendField(o.source)
    buffer.append(UInt8(ascii: ","))
    appendField(o.quote)
    buffer.append(UInt8(ascii: "\n"))
    flushIfFull()
  }

  private mutating func appendNumber(_ value: Double) {
    if value == value.rounded(), abs(value) < 9e15 {
      buffer.append(contentsOf: String(Int64(value)).utf8)
    } else {
      buffer.append(contentsOf: "\(value)".utf8)
    }
  }

  private mutating func appendField(_ field: String) {
    let needsQuotes = field.utf8.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 10 || $0 == 13 }
    guard needsQuotes else {
      buffer.append(contentsOf: field.utf8)
      return
    }
    buffer.append(UInt8(ascii: "\""))
    for b in field.utf8 {
      if b == UInt8(ascii: "\"") { buffer.append(b) }
      buffer.append(b)
    }
    buffer.append(UInt8(ascii: "\""))
  }

  private mutating func flushIfFull() {
    if buffer.count >= 1 << 20 { flush() }
  }

  private mutating func flush() {
    if failed == nil { failed = OutputTarget.writeAll(buffer, to: descriptor) }
    buffer.removeAll(keepingCapacity: true)
  }

  /// Flushes, syncs and renames the file into place.
  public consuming func commit() throws(DataError) {
    flush()
    if let failed { throw .unwritable(file: path, reason: "write failed: \(failed)") }
    guard fsync(descriptor) == 0 else { throw .unwritable(file: path, reason: "fsync failed: \(String(cString: strerror(errno)))") }
    // Checked again: the target may have changed while the rows were written.
    try OutputTarget.check(path)
    guard rename(temporaryPath, path) == 0 else {
      throw .unwritable(file: path, reason: "cannot rename into place: \(String(cString: strerror(errno)))")
    }
  }
}
