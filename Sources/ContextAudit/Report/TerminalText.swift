/// Makes text from inputs safe to print.
public enum TerminalText {
  /// Replaces control characters (C0, DEL, C1) with visible escapes, so a file name or value
  /// holding an escape sequence cannot drive the terminal.
  public static func sanitize(_ s: String) -> String {
    guard s.unicodeScalars.contains(where: isControl) else { return s }
    var out = ""
    for scalar in s.unicodeScalars {
      if isControl(scalar) {
        switch scalar {
        case "\n": out += "\\n"
        case "\t": out += "\\t"
        case "\r": out += "\\r"
        default:
          let hex = String(scalar.value, radix: 16, uppercase: false)
          out += "\\x" + (hex.count < 2 ? "0" : "") + hex
        }
      } else {
        out.unicodeScalars.append(scalar)
      }
    }
    return out
  }

  static func isControl(_ scalar: Unicode.Scalar) -> Bool {
    scalar.value < 0x20 || scalar.value == 0x7F || (0x80...0x9F).contains(scalar.value)
  }

  /// Display width in terminal columns, counting each scalar as one column (wide CJK is rare in
  /// our output; alignment degrades gracefully rather than miscounting bytes).
  public static func width(_ s: String) -> Int { s.unicodeScalars.count }

  /// Pads on the right to `width` columns.
  public static func pad(_ s: String, _ width: Int) -> String {
    let w = self.width(s)
    return w >= width ? s : s + String(repeating: " ", count: width - w)
  }
}
