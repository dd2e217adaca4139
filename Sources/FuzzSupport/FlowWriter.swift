import ContextAudit

/// Writes a `FactValue` back as text in flow style, for the round-trip checks: JSON for
/// `FuzzJSON` (non-finite numbers as Python's `NaN`/`Infinity`), a YAML flow collection for
/// `FuzzRuleExpr` (`.nan`/`.inf`, libyaml's double-quoted scalars).
public struct FlowWriter: Sendable {
  public let nan: String
  public let infinity: String
  public let separator: String
  public let keySeparator: String
  public let quote: @Sendable (String) -> String

  public static let json = FlowWriter(
    nan: "NaN", infinity: "Infinity", separator: ",", keySeparator: ":", quote: JSONText.quote)
  public static let yaml = FlowWriter(
    nan: ".nan", infinity: ".inf", separator: ", ", keySeparator: ": ", quote: FlowWriter.yamlQuote)

  public func write(_ value: FactValue, to out: inout String) {
    switch value {
    case .null: out += "null"
    case .bool(let b): out += b ? "true" : "false"
    case .int(let i): out += String(i)
    case .double(let d):
      if d.isNaN {
        out += nan
      } else if d.isInfinite {
        out += d < 0 ? "-" + infinity : infinity
      } else {
        out += "\(d)"
      }
    case .string(let s): out += quote(s)
    case .array(let items):
      out += "["
      for (i, item) in items.enumerated() {
        if i > 0 { out += separator }
        write(item, to: &out)
      }
      out += "]"
    case .object(let members):
      out += "{"
      for (i, (key, item)) in members.enumerated() {
        if i > 0 { out += separator }
        out += quote(key) + keySeparator
        write(item, to: &out)
      }
      out += "}"
    }
  }

  /// A YAML double-quoted scalar; everything libyaml does not count as printable is escaped.
  public static func yamlQuote(_ s: String) -> String {
    var out = "\""
    for scalar in s.unicodeScalars {
      switch scalar.value {
      case 0x22: out += "\\\""
      case 0x5C: out += "\\\\"
      case 0x20...0x7E, 0xA0...0xD7FF, 0xE000...0xFEFE, 0xFF00...0xFFFD, 0x10000...0x10FFFF:
        out.unicodeScalars.append(scalar)
      default:
        let hex = String(scalar.value, radix: 16)
        out += scalar.value > 0xFFFF ? "\\U" + String(repeating: "0", count: 8 - hex.count) + hex
          : "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
      }
    }
    return out + "\""
  }
}
