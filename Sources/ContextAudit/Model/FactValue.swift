/// The value of a fact, as read from its source.
///
/// Integers that fit in 64 bits stay exact in `.int`; larger ones and all fractional numbers
/// are `.double`. Objects keep their keys; renderers sort them for deterministic output.
public indirect enum FactValue: Hashable, Sendable {
  case null
  case bool(Bool)
  case int(Int64)
  case double(Double)
  case string(String)
  case array([FactValue])
  case object([String: FactValue])

  /// The value as a `Double` when it is numeric (ints convert exactly up to 2^53).
  public var doubleValue: Double? {
    switch self {
    case .int(let v): return Double(v)
    case .double(let v): return v
    default: return nil
    }
  }

  /// The value as an `Int64` when it is an integer, or a double with no fractional part in range.
  public var intValue: Int64? {
    switch self {
    case .int(let v): return v
    case .double(let v):
      guard v.isFinite, v.rounded() == v, v >= -9.2e18, v <= 9.2e18 else { return nil }
      return Int64(v)
    default: return nil
    }
  }

  public var stringValue: String? {
    if case .string(let s) = self { return s }
    return nil
  }

  public var boolValue: Bool? {
    if case .bool(let b) = self { return b }
    return nil
  }

  public var arrayValue: [FactValue]? {
    if case .array(let a) = self { return a }
    return nil
  }

  public var objectValue: [String: FactValue]? {
    if case .object(let o) = self { return o }
    return nil
  }

  /// A short, single-line rendering for people: strings unquoted, long arrays elided.
  public var displayText: String {
    switch self {
    case .null: return "null"
    case .bool(let b): return b ? "true" : "false"
    case .int(let v): return String(v)
    case .double(let v): return FactValue.format(v)
    case .string(let s): return s
    case .array(let items):
      let shown = items.prefix(8).map { $0.jsonText }
      let more = items.count > 8 ? ", … (\(items.count) items)" : ""
      return "[" + shown.joined(separator: ", ") + more + "]"
    case .object(let o):
      return "{" + o.keys.sorted().map { "\($0): \(o[$0]?.jsonText ?? "null")" }.joined(separator: ", ") + "}"
    }
  }

  /// A JSON rendering (keys sorted; non-finite doubles as Python writes them).
  public var jsonText: String {
    switch self {
    case .null: return "null"
    case .bool(let b): return b ? "true" : "false"
    case .int(let v): return String(v)
    case .double(let v): return FactValue.format(v)
    case .string(let s): return JSONText.quote(s)
    case .array(let items): return "[" + items.map(\.jsonText).joined(separator: ",") + "]"
    case .object(let o):
      return "{" + o.keys.sorted().map { JSONText.quote($0) + ":" + (o[$0]?.jsonText ?? "null") }.joined(separator: ",") + "}"
    }
  }

  /// Shortest round-tripping decimal form; integral values keep a `.0`; `NaN`/`Infinity` as Python's json.
  public static func format(_ v: Double) -> String {
    if v.isNaN { return "NaN" }
    if v.isInfinite { return v > 0 ? "Infinity" : "-Infinity" }
    return "\(v)"
  }
}

extension FactValue: ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral, ExpressibleByStringLiteral,
  ExpressibleByBooleanLiteral
{
  public init(integerLiteral value: Int64) { self = .int(value) }
  public init(floatLiteral value: Double) { self = .double(value) }
  public init(stringLiteral value: String) { self = .string(value) }
  public init(booleanLiteral value: Bool) { self = .bool(value) }
}
