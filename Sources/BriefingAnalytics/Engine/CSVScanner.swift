internal import CEngineSupport
internal import Foundation

/// Splits CSV records out of a byte buffer: RFC 4180 quoting (`""` escapes, delimiters and line
/// breaks inside quotes), LF or CRLF line ends.
///
/// The fast path handles a record with no `"` by finding delimiters and line feeds eight bytes at a
/// time; a record that holds a quote is re-read from its start by a byte-wise state machine. No
/// `String` is made: fields come back as spans into the buffer (or into the scanner's scratch space
/// when a field had `""` escapes to undo).
struct CSVScanner {
  /// What one call to `scan` found.
  enum Outcome {
    /// A whole record; the next one starts at `next`.
    case record(next: UnsafePointer<UInt8>)
    /// The buffer ends inside the record: read more input and scan again from the same start.
    case incomplete
    /// A quote opened at this byte is never closed.
    case unterminatedQuote(at: UnsafePointer<UInt8>)
    /// Text follows a closing quote at this byte; the field's opening quote is at `opening`.
    case unexpectedQuote(at: UnsafePointer<UInt8>, opening: UnsafePointer<UInt8>)
  }

  let delimiter: UInt8
  /// How many leading fields the caller reads; later fields are only counted, a word at a time.
  let fieldsToKeep: Int
  /// The fields of the last record (at least the first `fieldsToKeep`).
  private(set) var fields: RawVector<ByteSpan>
  /// The number of fields in the last record.
  private(set) var fieldCount = 0
  private var scratch: RawVector<UInt8>

  init(delimiter: UInt8, fieldsToKeep: Int = .max) {
    self.delimiter = delimiter
    self.fieldsToKeep = max(fieldsToKeep, 1)
    fields = RawVector(capacity: 32)
    scratch = RawVector(capacity: 256)
  }

  func release() {
    fields.release()
    scratch.release()
  }

  @inline(__always) private mutating func appendField(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) {
    fields.append(ByteSpan(base: start, count: end - start))
  }

  /// Scans one record starting at `start`. With `atEndOfInput`, the buffer's end also ends the
  /// last record; otherwise a record running into the end is `.incomplete`.
  @inline(__always)
  mutating func scan(from start: UnsafePointer<UInt8>, end: UnsafePointer<UInt8>, atEndOfInput: Bool) -> Outcome {
    fields.removeAll()
    let delimiter = self.delimiter
    let delimiterWord = UInt64(delimiter) &* 0x0101_0101_0101_0101
    let lineFeedWord: UInt64 = 0x0A0A_0A0A_0A0A_0A0A
    let quoteWord: UInt64 = 0x2222_2222_2222_2222
    var fieldStart = start
    var word = start
    // Whole blocks: visit every special byte of a block from its bit mask, without reloading.
    // A block is 16 bytes with SSE2 (mask bit i: byte i) and a word otherwise (bit 8i + 7: byte
    // i), hence `byteShift` from a bit's index to its byte's.
    while end - word >= 8 {
      var m: UInt64
      let step: Int
      let byteShift: Int
      #if arch(x86_64)
      if end - word >= 16 {
        m = UInt64(briefing_match3_16(word, delimiter, 0x0A, 0x22))
        step = 16
        byteShift = 0
      } else {
        let w = loadWord(word)
        m = zeroByteMask(w ^ delimiterWord) | zeroByteMask(w ^ lineFeedWord) | zeroByteMask(w ^ quoteWord)
        step = 8
        byteShift = 3
      }
      #else
      let w = loadWord(word)
      m = zeroByteMask(w ^ delimiterWord) | zeroByteMask(w ^ lineFeedWord) | zeroByteMask(w ^ quoteWord)
      step = 8
      byteShift = 3
      #endif
      while m != 0 {
        let q = word + (m.trailingZeroBitCount &>> byteShift)
        let b = q.pointee
        if b == delimiter {
          appendField(fieldStart, q)
          fieldStart = q + 1
          if fields.count == fieldsToKeep {
            return countRemainingFields(from: fieldStart, recordStart: start, end: end, atEndOfInput: atEndOfInput)
          }
        } else if b == 0x0A {
          var fieldEnd = q
          if fieldEnd > fieldStart, (fieldEnd - 1).pointee == 0x0D { fieldEnd -= 1 }
          appendField(fieldStart, fieldEnd)
          fieldCount = fields.count
          return .record(next: q + 1)
        } else {
          return scanQuoted(from: start, end: end, atEndOfInput: atEndOfInput)
        }
        m &= m &- 1
      }
      word += step
    }
    // The last few bytes, one at a time (the same cases as above; kept apart for the hot loop).
    var q = word
    while q < end {
      let b = q.pointee
      if b == delimiter {
        appendField(fieldStart, q)
        fieldStart = q + 1
      } else if b == 0x0A {
        var fieldEnd = q
        if fieldEnd > fieldStart, (fieldEnd - 1).pointee == 0x0D { fieldEnd -= 1 }
        appendField(fieldStart, fieldEnd)
        fieldCount = fields.count
        return .record(next: q + 1)
      } else if b == 0x22 {
        return scanQuoted(from: start, end: end, atEndOfInput: atEndOfInput)
      }
      q += 1
    }
    guard atEndOfInput else { return .incomplete }
    var fieldEnd = end
    if fieldEnd > fieldStart, (fieldEnd - 1).pointee == 0x0D { fieldEnd -= 1 }
    appendField(fieldStart, fieldEnd)
    fieldCount = fields.count
    return .record(next: end)
  }

  /// Finds the end of a record whose wanted fields are read, counting the delimiters of the rest
  /// with a population count per word instead of visiting each.
  @inline(__always)
  private mutating func countRemainingFields(
    from fieldStart: UnsafePointer<UInt8>, recordStart: UnsafePointer<UInt8>, end: UnsafePointer<UInt8>, atEndOfInput: Bool
  ) -> Outcome {
    let delimiterWord = UInt64(delimiter) &* 0x0101_0101_0101_0101
    var delimiters = 0
    var p = fieldStart
    while end - p >= 8 {
      let w = loadWord(p)
      let d = zeroByteMask(w ^ delimiterWord)
      let stop = zeroByteMask(w ^ 0x0A0A_0A0A_0A0A_0A0A) | zeroByteMask(w ^ 0x2222_2222_2222_2222)
      if stop != 0 {
        let first = stop & (~stop &+ 1)
        delimiters &+= (d & (first &- 1)).nonzeroBitCount
        let c = p + (first.trailingZeroBitCount &>> 3)
        if c.pointee == 0x22 { return scanQuoted(from: recordStart, end: end, atEndOfInput: atEndOfInput) }
        fieldCount = fields.count + delimiters + 1
        return .record(next: c + 1)
      }
      delimiters &+= d.nonzeroBitCount
      p += 8
    }
    while p < end {
      let b = p.pointee
      if b == 0x22 { return scanQuoted(from: recordStart, end: end, atEndOfInput: atEndOfInput) }
      if b == 0x0A {
        fieldCount = fields.count + delimiters + 1
        return .record(next: p + 1)
      }
      if b == delimiter { delimiters += 1 }
      p += 1
    }
    guard atEndOfInput else { return .incomplete }
    fieldCount = fields.count + delimiters + 1
    return .record(next: end)
  }

  /// The RFC 4180 state machine for a record that contains a quote.
  private mutating func scanQuoted(from start: UnsafePointer<UInt8>, end: UnsafePointer<UInt8>, atEndOfInput: Bool) -> Outcome {
    fields.removeAll()
    // Unescaped text is never longer than the record, so the scratch space is sized once per record
    // and spans into it stay valid.
    scratch.removeAll()
    scratch.reserve(end - start + 1)
    let delimiter = self.delimiter
    var q = start
    while true {
      if q < end, q.pointee == 0x22 {
        let open = q
        q += 1
        let contentStart = q
        var escaped = false
        var closing: UnsafePointer<UInt8>
        while true {
          guard let next = findQuote(from: q, end: end) else {
            return atEndOfInput ? .unterminatedQuote(at: open) : .incomplete
          }
          if next + 1 < end, (next + 1).pointee == 0x22 {
            escaped = true
            q = next + 2
            continue
          }
          if next + 1 == end, !atEndOfInput { return .incomplete }
          closing = next
          break
        }
        if escaped {
          let fieldStart = scratch.count
          var r = contentStart
          while r < closing {
            scratch.append(r.pointee)
            r += r.pointee == 0x22 ? 2 : 1
          }
          fields.append(ByteSpan(base: UnsafePointer(scratch.base + fieldStart), count: scratch.count - fieldStart))
        } else {
          appendField(contentStart, closing)
        }
        q = closing + 1
        if q < end, q.pointee == 0x0D {
          if q + 1 == end {
            if !atEndOfInput { return .incomplete }
            return finish(next: end)
          }
          if (q + 1).pointee == 0x0A { q += 1 }
        }
        if q == end {
          return atEndOfInput ? finish(next: end) : .incomplete
        }
        let b = q.pointee
        if b == delimiter {
          q += 1
          if q == end, atEndOfInput {
            fields.append(ByteSpan(base: q, count: 0))
            return finish(next: end)
          }
          continue
        }
        if b == 0x0A { return finish(next: q + 1) }
        return .unexpectedQuote(at: q, opening: open)
      }
      // An unquoted field; a quote inside it is an ordinary character.
      let fieldStart = q
      while q < end, q.pointee != delimiter, q.pointee != 0x0A { q += 1 }
      if q == end {
        guard atEndOfInput else { return .incomplete }
        var fieldEnd = end
        if fieldEnd > fieldStart, (fieldEnd - 1).pointee == 0x0D { fieldEnd -= 1 }
        appendField(fieldStart, fieldEnd)
        return finish(next: end)
      }
      if q.pointee == delimiter {
        appendField(fieldStart, q)
        q += 1
        if q == end, atEndOfInput {
          fields.append(ByteSpan(base: q, count: 0))
          return finish(next: end)
        }
        continue
      }
      var fieldEnd = q
      if fieldEnd > fieldStart, (fieldEnd - 1).pointee == 0x0D { fieldEnd -= 1 }
      appendField(fieldStart, fieldEnd)
      return finish(next: q + 1)
    }
  }

  private mutating func finish(next: UnsafePointer<UInt8>) -> Outcome {
    fieldCount = fields.count
    return .record(next: next)
  }

  private func findQuote(from p: UnsafePointer<UInt8>, end: UnsafePointer<UInt8>) -> UnsafePointer<UInt8>? {
    guard p < end, let hit = memchr(p, 0x22, end - p) else { return nil }
    return UnsafePointer(hit.assumingMemoryBound(to: UInt8.self))
  }

  /// Picks the delimiter that occurs most often outside quotes in the first line: `,`, `;` or tab.
  static func detectDelimiter(in bytes: UnsafeBufferPointer<UInt8>) -> UInt8 {
    var counts: [UInt8: Int] = [0x2C: 0, 0x3B: 0, 0x09: 0]
    var inQuotes = false
    for b in bytes {
      if b == 0x22 { inQuotes.toggle() }
      if !inQuotes, b == 0x0A { break }
      if !inQuotes, counts[b] != nil { counts[b, default: 0] += 1 }
    }
    let best = counts.max { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }
    return best.map { $0.value > 0 ? $0.key : 0x2C } ?? 0x2C
  }
}
