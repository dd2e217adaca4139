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
      appendUTF8(s, to: &out)
      out.append(UInt8(ascii: "\""))
    } else {
      var text = ""
      appendQuoted(s, to: &text)
      out += text.utf8
    }
  }

  /// Appends the UTF-8 bytes of `s`; one copy from a native string's storage.
  @inline(__always)
  static func appendUTF8(_ s: String, to out: inout [UInt8]) {
    let copied: Void? = s.utf8.withContiguousStorageIfAvailable { out.append(contentsOf: $0) }
    if copied == nil { out += s.utf8 }
  }

  /// Whether `s` can be written between quotes as it is.
  static func needsNoEscape(_ s: String) -> Bool {
    if let clean = s.utf8.withContiguousStorageIfAvailable(bytesNeedNoEscape) { return clean }
    return Array(s.utf8).withUnsafeBufferPointer(bytesNeedNoEscape)
  }

  /// The byte loop of `needsNoEscape`: printable ASCII (the common case) is one table lookup;
  /// `"`, `\`, C0, DEL and the C1 controls (UTF-8 `C2 80`…`C2 9F`) need an escape.
  private static func bytesNeedNoEscape(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    escapeTable.withUnsafeBufferPointer { table in
      var previous: UInt8 = 0
      for byte in bytes {
        if table[Int(byte)] != 0, byte < 0x80 || previous == 0xC2 { return false }
        previous = byte
      }
      return true
    }
  }

  /// 1 for a byte that needs an escape on its own (C0, `"`, `\`, DEL) and for 0x80…0x9F, which
  /// needs one only after 0xC2 (a C1 control); 0 otherwise.
  private static let escapeTable: [UInt8] = (0..<256).map { (byte: Int) -> UInt8 in
    if byte < 0x20 || byte == 0x22 || byte == 0x5C || byte == 0x7F { return 1 }
    return (0x80...0x9F).contains(byte) ? 1 : 0
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
