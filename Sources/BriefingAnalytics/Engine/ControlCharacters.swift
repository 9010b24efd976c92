extension ByteSpan {
  /// The first control character in these UTF-8 bytes other than tab, line feed and carriage
  /// return (C0, DEL or C1), as its byte offset and code point; nil when there is none.
  ///
  /// Text with one cannot be shown faithfully: a NUL ends a label early in the drawing libraries,
  /// and the others draw nothing or a box. Carriage return is allowed because CRLF files may quote
  /// line breaks inside a field.
  func firstControlCharacter() -> (offset: Int, scalar: UInt32)? {
    var i = 0
    while i < count {
      let byte = base[i]
      if byte < 0x20 {
        if byte != 0x09, byte != 0x0A, byte != 0x0D { return (i, UInt32(byte)) }
      } else if byte == 0x7F {
        return (i, 0x7F)
      } else if byte == 0xC2, i + 1 < count, (0x80...0x9F).contains(base[i + 1]) {
        return (i, UInt32(base[i + 1]))
      }
      i += 1
    }
    return nil
  }
}

/// Whether `scalar` is a control character text may not hold: C0 but tab and line feed (and
/// carriage return where `allowingCarriageReturn`: CRLF files quote line breaks), DEL and C1.
public func isControlCharacter(_ scalar: Unicode.Scalar, allowingCarriageReturn: Bool = false) -> Bool {
  let value = scalar.value
  if value == 0x0D { return !allowingCarriageReturn }
  return (value < 0x20 && value != 0x09 && value != 0x0A) || (0x7F...0x9F).contains(value)
}

/// The name of a control character in a message: “the control character U+0000 (NUL)”.
public func controlCharacterName(_ scalar: UInt32) -> String {
  let hex = String(scalar, radix: 16, uppercase: true)
  let code = "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
  let names: [UInt32: String] = [0: "NUL", 0x08: "backspace", 0x0B: "vertical tab", 0x0C: "form feed", 0x0D: "carriage return", 0x1B: "escape", 0x7F: "DEL"]
  return "the control character \(code)" + (names[scalar].map { " (\($0))" } ?? "")
}

extension DataError {
  /// The error for a value of `column` in a source without lines (a database), when `text` holds
  /// a control character other than tab, line feed and carriage return; nil when it holds none.
  public static func controlCharacter(in text: String, column: String, file: String, table: String) -> DataError? {
    guard let scalar = text.unicodeScalars.first(where: { isControlCharacter($0, allowingCarriageReturn: true) }) else { return nil }
    return .database(
      file: file,
      detail: "\(table), column “\(column)”: expected text without control characters, found \(controlCharacterName(scalar.value)) in “\(excerpt(text))”")
  }
}
