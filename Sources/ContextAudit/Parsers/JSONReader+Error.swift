/// Why the JSON reader stopped, with where it stopped.
///
/// Every case carries a `SourceLocation` with the 1-based line and column (column counted in
/// Unicode scalars, a UTF-8 byte order mark not counted), the byte offset from the start of the
/// input, and the key path of the innermost open member or container when there is one. The
/// only exception is `inputTooLarge`, which is found before any byte is read and so carries the
/// offset at which the limit is crossed and no line.
public enum JSONError: Error, Hashable, Sendable, LocatedError {
  /// The input is larger than `JSONLimits.maxInputBytes`.
  case inputTooLarge(size: Int, limit: Int, at: SourceLocation)
  /// The input holds nothing but whitespace (or nothing at all).
  case emptyInput(at: SourceLocation)
  /// The input starts with a UTF-16 or UTF-32 byte order mark, or has a NUL byte in its first
  /// two bytes (UTF-16/UTF-32 text without a BOM); `encoding` names what it looks like.
  case unsupportedEncoding(encoding: String, at: SourceLocation)
  /// A byte sequence that is not well-formed UTF-8 (RFC 3629; overlong forms and encoded
  /// surrogates included); `byte` is the first byte of the bad sequence.
  case invalidUTF8(byte: UInt8, at: SourceLocation)
  /// The input ended where more was needed; `expected` says what.
  case unexpectedEnd(expected: String, at: SourceLocation)
  /// A byte that cannot start what the grammar needs here; `found` is a printable description
  /// (`'x'`, `byte 0xFF`) and `expected` the fragment naming what was needed.
  case unexpectedCharacter(found: String, expected: String, at: SourceLocation)
  /// A comma directly before a closing bracket, which RFC 8259 and Python both reject.
  case trailingComma(closing: Character, at: SourceLocation)
  /// Something other than whitespace after the top-level value.
  case trailingContent(found: String, at: SourceLocation)
  /// A raw control character (U+0000 to U+001F) inside a string; it must be escaped.
  case controlCharacterInString(UInt8, at: SourceLocation)
  /// A string that runs to the end of the input; the location is its opening quote.
  case unterminatedString(at: SourceLocation)
  /// A backslash followed by a character that is not a JSON escape.
  case invalidEscape(found: String, at: SourceLocation)
  /// `\u` not followed by four hexadecimal digits.
  case invalidUnicodeEscape(at: SourceLocation)
  /// A number with a leading zero such as `01` or `-007`.
  case leadingZero(at: SourceLocation)
  /// A malformed number; `expected` says which digit was missing.
  case invalidNumber(expected: String, at: SourceLocation)
  /// A word that is none of `true`, `false`, `null`, `NaN`, `Infinity`, `-Infinity`.
  case invalidLiteral(expected: String, at: SourceLocation)
  /// An array or object opened deeper than `JSONLimits.maxDepth`.
  case tooDeep(limit: Int, at: SourceLocation)
  /// A string (key or value) longer than `JSONLimits.maxStringBytes`, counted in bytes of its
  /// escaped form in the file; the location is its opening quote.
  case stringTooLong(limit: Int, at: SourceLocation)

  public var location: SourceLocation {
    switch self {
    case .inputTooLarge(_, _, let at), .emptyInput(let at), .unsupportedEncoding(_, let at),
      .invalidUTF8(_, let at), .unexpectedEnd(_, let at), .unexpectedCharacter(_, _, let at),
      .trailingComma(_, let at), .trailingContent(_, let at), .controlCharacterInString(_, let at),
      .unterminatedString(let at), .invalidEscape(_, let at), .invalidUnicodeEscape(let at),
      .leadingZero(let at), .invalidNumber(_, let at), .invalidLiteral(_, let at), .tooDeep(_, let at),
      .stringTooLong(_, let at):
      return at
    }
  }

  public var message: String {
    switch self {
    case .inputTooLarge(let size, let limit, _):
      return "JSON input is \(size) bytes, more than the \(limit)-byte limit"
    case .emptyInput:
      return "empty JSON input (expected a value)"
    case .unsupportedEncoding(let encoding, _):
      return "JSON input is \(encoding), not UTF-8"
    case .invalidUTF8(let byte, _):
      return "invalid UTF-8 sequence starting with byte \(JSONError.hex(byte))"
    case .unexpectedEnd(let expected, _):
      return "unexpected end of input, expected \(expected)"
    case .unexpectedCharacter(let found, let expected, _):
      return "expected \(expected), found \(found)"
    case .trailingComma(let closing, _):
      return "trailing comma before '\(closing)'"
    case .trailingContent(let found, _):
      return "unexpected \(found) after the top-level value"
    case .controlCharacterInString(let byte, _):
      return "unescaped control character U+00\(JSONError.hexDigits(byte)) in string"
    case .unterminatedString:
      return "unterminated string"
    case .invalidEscape(let found, _):
      return "invalid escape \\\(found) in string"
    case .invalidUnicodeEscape:
      return "invalid \\u escape (expected four hexadecimal digits)"
    case .leadingZero:
      return "number with a leading zero"
    case .invalidNumber(let expected, _):
      return "invalid number, expected \(expected)"
    case .invalidLiteral(let expected, _):
      return "invalid literal, expected \(expected)"
    case .tooDeep(let limit, _):
      return "JSON nesting deeper than \(limit) levels"
    case .stringTooLong(let limit, _):
      return "JSON string longer than \(limit) bytes"
    }
  }

  static func hexDigits(_ byte: UInt8) -> String {
    let digits = Array("0123456789ABCDEF")
    return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
  }

  static func hex(_ byte: UInt8) -> String { "0x" + hexDigits(byte) }

  /// `'x'` for printable ASCII, `byte 0xNN` otherwise.
  static func describe(_ byte: UInt8) -> String {
    if byte >= 0x21 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
    if byte == 0x20 { return "space" }
    return "byte \(hex(byte))"
  }
}
