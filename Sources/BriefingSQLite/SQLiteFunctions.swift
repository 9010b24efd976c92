internal import CSQLite
import BriefingAnalytics

/// The SQL functions that make SQLite's answers agree exactly with the file engine's.
enum SQLiteFunctions {
  /// Registers them on a connection (a failure leaves the function missing, which the first
  /// statement using it reports).
  static func register(on db: OpaquePointer) {
    let flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS
    sqlite3_create_function_v2(db, "briefing_sum", 1, flags, nil, nil, sumStep, sumFinal, nil)
    sqlite3_create_function_v2(db, "briefing_in_range", 3, flags, nil, inRange, nil, nil, nil)
    sqlite3_create_function_v2(db, "briefing_number", 1, flags, nil, number, nil, nil, nil)
  }

  /// `briefing_sum(x)`: the sum of the non-NULL values with Neumaier's compensation, as the file
  /// engine adds (SQLite 3.40's SUM adds plainly, so a long column of 0.1 would drift from the
  /// engine's total). The result is the compensated total; NULL when every value is NULL.
  private static let sumStep: @convention(c) (OpaquePointer?, Int32, UnsafeMutablePointer<OpaquePointer?>?) -> Void = {
    context, _, arguments in
    guard let arguments, let value = arguments[0], sqlite3_value_type(value) != SQLITE_NULL else { return }
    let size = Int32(MemoryLayout<CSQLite_sum_state>.size)
    guard let raw = sqlite3_aggregate_context(context, size) else {
      sqlite3_result_error_nomem(context)
      return
    }
    let state = raw.assumingMemoryBound(to: CSQLite_sum_state.self)
    let x = sqlite3_value_double(value)
    let sum = state.pointee.sum
    let t = sum + x
    if !t.isFinite {
      // Past the largest double the compensation would be inf − inf: keep the infinity.
      state.pointee.compensation = 0
    } else if abs(sum) >= abs(x) {
      state.pointee.compensation += (sum - t) + x
    } else {
      state.pointee.compensation += (x - t) + sum
    }
    state.pointee.sum = t
    state.pointee.count += 1
  }

  private static let sumFinal: @convention(c) (OpaquePointer?) -> Void = { context in
    // Size 0: no allocation when no row reached the step function.
    guard let raw = sqlite3_aggregate_context(context, 0) else {
      sqlite3_result_null(context)
      return
    }
    let state = raw.assumingMemoryBound(to: CSQLite_sum_state.self).pointee
    if state.count == 0 {
      sqlite3_result_null(context)
    } else {
      sqlite3_result_double(context, state.sum + state.compensation)
    }
  }

  /// `briefing_in_range(value, lower, upper)`: 1 when `value` lies between the bounds (NULL: open)
  /// by `Filter.matches`, so a range filter pushed into SQL picks exactly the rows the file engine does.
  private static let inRange: @convention(c) (OpaquePointer?, Int32, UnsafeMutablePointer<OpaquePointer?>?) -> Void = {
    context, count, arguments in
    guard let arguments, count == 3 else {
      sqlite3_result_error(context, "briefing_in_range takes a value, a lower and an upper bound", -1)
      return
    }
    let value = text(arguments[0]) ?? ""
    let filter = Filter("", from: text(arguments[1]), to: text(arguments[2]))
    sqlite3_result_int(context, filter.matches(value) ? 1 : 0)
  }

  /// `briefing_number(x)`: a value as the engine reads it — integers and reals as they are, NULL and
  /// blank text as NULL, text holding a plain number (`.` decimal) as that number; other text is an
  /// error (the source checks for it first, to name the row).
  private static let number: @convention(c) (OpaquePointer?, Int32, UnsafeMutablePointer<OpaquePointer?>?) -> Void = {
    context, _, arguments in
    guard let arguments, let value = arguments[0] else {
      sqlite3_result_null(context)
      return
    }
    switch sqlite3_value_type(value) {
    case SQLITE_NULL:
      sqlite3_result_null(context)
    case SQLITE_INTEGER, SQLITE_FLOAT:
      sqlite3_result_double(context, sqlite3_value_double(value))
    default:
      let found = text(value) ?? ""
      switch NumberText.read(found) {
      case .missing: sqlite3_result_null(context)
      case .number(let x): sqlite3_result_double(context, x)
      case .invalid, .nonFinite: sqlite3_result_error(context, "expected a number, found “\(found)”", -1)
      }
    }
  }

  /// A value as text; nil for NULL.
  private static func text(_ value: OpaquePointer?) -> String? {
    guard let value, sqlite3_value_type(value) != SQLITE_NULL, let bytes = sqlite3_value_text(value) else { return nil }
    let count = Int(sqlite3_value_bytes(value))
    return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
  }
}
