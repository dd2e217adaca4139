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
  /// An object whose members the caller already lists in key order (hot paths: the per-pair
  /// rows of the RoPE analysis); written as given, without hashing or sorting.
  case fields([JSONField])

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
    var out: [UInt8] = []
    write(to: &out, indent: 0, pretty: true)
    return String(decoding: out, as: UTF8.self)
  }

  /// On one line with no spaces, for JSON Lines; no trailing newline.
  var compact: String { String(decoding: compactBytes, as: UTF8.self) }

  /// `compact` as UTF-8 bytes, for writers that need no `String` (the streamed JSONL lines).
  var compactBytes: [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(4096)
    write(to: &out, indent: 0, pretty: false)
    return out
  }

  /// Writes UTF-8 bytes; appending to a byte buffer is several times cheaper than to a `String`.
  private func write(to out: inout [UInt8], indent: Int, pretty: Bool) {
    switch self {
    case .null: JSONText.appendUTF8("null", to: &out)
    case .bool(let b): JSONText.appendUTF8((b ? "true" : "false"), to: &out)
    case .int(let v): JSONText.appendUTF8(String(v), to: &out)
    case .uint(let v): JSONText.appendUTF8(String(v), to: &out)
    case .double(let v): JSONText.appendUTF8((v.isFinite ? v.description : "null"), to: &out)
    case .string(let s): JSONText.appendQuoted(s, to: &out)
    case .array(let items):
      guard !items.isEmpty else {
        JSONText.appendUTF8("[]", to: &out)
        return
      }
      out.append(UInt8(ascii: "["))
      for (index, item) in items.enumerated() {
        if index > 0 { out.append(UInt8(ascii: ",")) }
        if pretty { Self.newline(&out, indent + 1) }
        item.write(to: &out, indent: indent + 1, pretty: pretty)
      }
      if pretty { Self.newline(&out, indent) }
      out.append(UInt8(ascii: "]"))
    case .object(let members):
      let sorted = members.sorted { Self.keyOrder($0.key, $1.key) }.map { JSONField($0.key, $0.value) }
      Self.writeMembers(sorted, to: &out, indent: indent, pretty: pretty)
    case .fields(let members):
      Self.writeMembers(members, to: &out, indent: indent, pretty: pretty)
    }
  }

  /// Writes an object's members in the order given.
  private static func writeMembers(_ members: [JSONField], to out: inout [UInt8], indent: Int, pretty: Bool) {
    guard !members.isEmpty else {
      JSONText.appendUTF8("{}", to: &out)
      return
    }
    out.append(UInt8(ascii: "{"))
    for (index, member) in members.enumerated() {
      if index > 0 { out.append(UInt8(ascii: ",")) }
      if pretty { newline(&out, indent + 1) }
      JSONText.appendQuoted(member.key, to: &out)
      JSONText.appendUTF8((pretty ? ": " : ":"), to: &out)
      member.value.write(to: &out, indent: indent + 1, pretty: pretty)
    }
    if pretty { newline(&out, indent) }
    out.append(UInt8(ascii: "}"))
  }

  private static func newline(_ out: inout [UInt8], _ level: Int) {
    out.append(UInt8(ascii: "\n"))
    for _ in 0..<level { out += "  ".utf8 }
  }

  /// Unicode scalar order, which for our ASCII keys is byte order (what `sort_keys` and `jq -S` give).
  private static func keyOrder(_ a: String, _ b: String) -> Bool {
    a.utf8.lexicographicallyPrecedes(b.utf8)  // UTF-8 byte order is scalar order
  }
}

/// One member of a `JSONNode.fields` object.
struct JSONField: Hashable, Sendable {
  var key: String
  var value: JSONNode

  init(_ key: String, _ value: JSONNode) {
    self.key = key
    self.value = value
  }
}
