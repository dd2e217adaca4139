/// Helpers for writing JSON text by hand, so machine output is byte-for-byte deterministic.
public enum JSONText {
  /// Quotes a string as a JSON string literal, escaping control characters.
  public static func quote(_ s: String) -> String {
    var out = ""
    appendQuoted(s, to: &out)
    return out
  }

  /// Appends `s` as a JSON string literal to a UTF-8 byte buffer (see the `String` variant).
  public static func appendQuoted(_ s: String, to out: inout [UInt8]) {
    if needsNoEscape(s) {
      out.append(UInt8(ascii: "\""))
      out += s.utf8
      out.append(UInt8(ascii: "\""))
    } else {
      var text = ""
      appendQuoted(s, to: &text)
      out += text.utf8
    }
  }

  /// Whether `s` can be written between quotes as it is.
  static func needsNoEscape(_ s: String) -> Bool {
    var previous: UInt8 = 0
    for byte in s.utf8 {
      if byte < 0x20 || byte == 0x22 || byte == 0x5C || byte == 0x7F || (previous == 0xC2 && byte >= 0x80 && byte <= 0x9F) {
        return false
      }
      previous = byte
    }
    return true
  }

  /// Appends `s` as a JSON string literal to `out`, escaping `"`, `\\` and every control
  /// character (C0, DEL, C1).
  ///
  /// Most strings in reports need no escape; those are found with one pass over the UTF-8 bytes
  /// and appended whole (C1 controls are the only non-ASCII escapes: UTF-8 `C2 80`…`C2 9F`).
  public static func appendQuoted(_ s: String, to out: inout String) {
    if needsNoEscape(s) {
      out += "\""
      out += s
      out += "\""
      return
    }
    out += "\""
    for scalar in s.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      default:
        if scalar.value < 0x20 || scalar.value == 0x7F || (0x80...0x9F).contains(scalar.value) {
          let hex = String(scalar.value, radix: 16)
          out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    out += "\""
  }
}
