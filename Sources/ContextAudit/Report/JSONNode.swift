/// A JSON value the reporters build and then write themselves, so machine output is
/// byte-for-byte deterministic (STYLE.md section 6).
///
/// Foundation's `JSONEncoder` is not used: its number formatting and escaping of `/` differ
/// between platforms and versions. Object keys are written sorted by Unicode scalar value;
/// strings go through `JSONText.quote`, which escapes every control character.
enum JSONNode: Hashable, Sendable {
  case null
  case bool(Bool)
  case int(Int64)
  case uint(UInt64)
  /// Written in Swift's shortest round-tripping form (`4.0`, `0.1`, `1e-07`); NaN and the
  /// infinities are written as `null`, since JSON has no spelling for them.
  case double(Double)
  case string(String)
  case array([JSONNode])
  case object([String: JSONNode])

  /// `.string(s)` or `.null` when `s` is `nil`.
  static func string(_ s: String?) -> JSONNode { s.map { .string($0) } ?? .null }
  /// `.int(v)` or `.null` when `v` is `nil`.
  static func int(_ v: Int64?) -> JSONNode { v.map { .int($0) } ?? .null }
  /// `.double(v)` or `.null` when `v` is `nil`.
  static func double(_ v: Double?) -> JSONNode { v.map { .double($0) } ?? .null }
  /// `.bool(v)` or `.null` when `v` is `nil`.
  static func bool(_ v: Bool?) -> JSONNode { v.map { .bool($0) } ?? .null }

  /// Pretty-printed with a 2-space indent and `": "` after keys, as Python's
  /// `json.dumps(indent=2, sort_keys=True, ensure_ascii=False)` writes it; no trailing newline.
  var pretty: String {
    var out = ""
    write(to: &out, indent: 0, pretty: true)
    return out
  }

  /// On one line with no spaces, for JSON Lines; no trailing newline.
  var compact: String {
    var out = ""
    write(to: &out, indent: 0, pretty: false)
    return out
  }

  private func write(to out: inout String, indent: Int, pretty: Bool) {
    switch self {
    case .null: out += "null"
    case .bool(let b): out += b ? "true" : "false"
    case .int(let v): out += String(v)
    case .uint(let v): out += String(v)
    case .double(let v): out += v.isFinite ? "\(v)" : "null"
    case .string(let s): JSONText.appendQuoted(s, to: &out)
    case .array(let items):
      guard !items.isEmpty else {
        out += "[]"
        return
      }
      out += "["
      for (index, item) in items.enumerated() {
        if index > 0 { out += "," }
        if pretty { Self.newline(&out, indent + 1) }
        item.write(to: &out, indent: indent + 1, pretty: pretty)
      }
      if pretty { Self.newline(&out, indent) }
      out += "]"
    case .object(let members):
      guard !members.isEmpty else {
        out += "{}"
        return
      }
      out += "{"
      for (index, key) in members.keys.sorted(by: Self.keyOrder).enumerated() {
        if index > 0 { out += "," }
        if pretty { Self.newline(&out, indent + 1) }
        JSONText.appendQuoted(key, to: &out)
        out += pretty ? ": " : ":"
        (members[key] ?? .null).write(to: &out, indent: indent + 1, pretty: pretty)
      }
      if pretty { Self.newline(&out, indent) }
      out += "}"
    }
  }

  private static func newline(_ out: inout String, _ level: Int) {
    out += "\n"
    for _ in 0..<level { out += "  " }
  }

  /// Unicode scalar order, which for our ASCII keys is byte order (what `sort_keys` and `jq -S` give).
  private static func keyOrder(_ a: String, _ b: String) -> Bool {
    a.utf8.lexicographicallyPrecedes(b.utf8)  // UTF-8 byte order is scalar order
  }
}
