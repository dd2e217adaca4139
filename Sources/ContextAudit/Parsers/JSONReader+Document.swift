/// Where a JSON value starts.
public struct JSONPosition: Hashable, Sendable, Comparable, CustomStringConvertible {
  /// 1-based line; only `\n` ends a line (as in Python's `JSONDecodeError.lineno`).
  public var line: Int
  /// 1-based column in Unicode scalars; a UTF-8 byte order mark is not counted.
  public var column: Int
  /// Byte offset from the start of the input (a byte order mark included).
  public var offset: Int

  public init(line: Int, column: Int, offset: Int) {
    self.line = line
    self.column = column
    self.offset = offset
  }

  public var description: String { "\(line):\(column)" }

  public static func < (lhs: JSONPosition, rhs: JSONPosition) -> Bool { lhs.offset < rhs.offset }
}

/// One object key that appears twice in the same object.
///
/// Python's `json.loads` keeps the last value, so the reader does too; the earlier value and
/// everything under it is dropped from the document. A key written three times gives two
/// records: second over first, third over second.
public struct JSONDuplicateKey: Hashable, Sendable {
  /// Key path of the member (see `JSONValue.keyPath`).
  public var keyPath: String
  /// The key as written (escapes decoded).
  public var key: String
  /// Where the later value, which replaces the earlier one, starts.
  public var winning: JSONPosition
  /// Where the earlier, dropped value starts.
  public var earlier: JSONPosition
}

/// Something the reader accepted but wants known: input Python reads that strict JSON does not,
/// or a value that lost exactness.
public struct JSONDiagnostic: Hashable, Sendable {
  public enum Kind: String, Hashable, Sendable, CaseIterable {
    /// `NaN`, `Infinity`, `-Infinity` (Python extensions to RFC 8259), or a number such as
    /// `1e400` that overflows to infinity.
    case nonFiniteNumber = "non_finite_number"
    /// An integer outside the Int64 range, kept as the nearest `Double`.
    case bigInteger = "big_integer"
    /// A `\uD800`-`\uDFFF` escape without its partner; Python keeps the lone surrogate, a Swift
    /// string cannot, so it becomes U+FFFD.
    case loneSurrogate = "lone_surrogate"
    /// The input starts with a UTF-8 byte order mark (Python's `json.loads` on a `str` rejects it).
    case byteOrderMark = "utf8_bom"
  }

  public var kind: Kind
  /// Key path of the value concerned; empty for the document root and for `byteOrderMark`.
  public var keyPath: String
  /// Where the value starts (for `byteOrderMark`, 1:1 at offset 0).
  public var position: JSONPosition
  /// The text as written: `NaN`, `1000000000000000019884624838656`, `\uD800`, `EF BB BF`.
  public var text: String

  /// A fragment with no final period.
  public var message: String {
    switch kind {
    case .nonFiniteNumber: return "non-finite number \(text) (accepted as Python does; not valid RFC 8259 JSON)"
    case .bigInteger: return "integer beyond 64 bits \(text) (kept as the nearest double)"
    case .loneSurrogate: return "lone surrogate \(text) in string (replaced by U+FFFD)"
    case .byteOrderMark: return "UTF-8 byte order mark at the start of the input"
    }
  }
}

/// A parsed JSON document: its root value plus what the reader noticed on the way.
public struct JSONDocument: Sendable {
  let storage: JSONStorage
  /// The top-level value; `nil` only in a partial document that failed before any value began.
  public var root: JSONValue? { storage.entries.isEmpty ? nil : JSONValue(storage: storage, index: 0) }
  /// Every duplicate key, in input order of the later occurrence.
  public var duplicateKeys: [JSONDuplicateKey] { storage.duplicateKeys }
  /// Non-finite numbers, big integers, lone surrogates and a byte order mark, in input order.
  public var diagnostics: [JSONDiagnostic] { storage.diagnostics }
  /// `false` for the part read before an error (see `JSONReader.readPartial`).
  public var isComplete: Bool { storage.isComplete }
}

/// One value of a `JSONDocument`, with where it starts and the key path that leads to it.
///
/// A cheap handle (a reference to the document's storage and an index); copying it copies no
/// values. Containers list their members in input order; for a duplicate key the member keeps
/// the position of its first occurrence and the value of its last, as a Python `dict` does.
public struct JSONValue: Sendable {
  let storage: JSONStorage
  let index: Int32

  public enum Kind: String, Hashable, Sendable {
    case null, bool, int, double, string, array, object
  }

  var entry: JSONStorage.Entry { storage.entries[Int(index)] }

  public var kind: Kind {
    switch entry.kind {
    case .null: return .null
    case .false, .true: return .bool
    case .int: return .int
    case .double: return .double
    case .string: return .string
    case .array: return .array
    case .object: return .object
    }
  }

  /// Where the value's first byte is.
  public var position: JSONPosition {
    let e = entry
    return JSONPosition(line: Int(e.line), column: Int(e.column), offset: e.offset)
  }

  public var line: Int { Int(entry.line) }
  public var column: Int { Int(entry.column) }
  public var offset: Int { entry.offset }

  /// The key path from the root: object keys joined by `.`, array indexes as `[i]`
  /// (`rope_scaling.long_factor[3]`); empty for the root.
  ///
  /// A key that is empty or contains `.`, `[`, `]`, `"` or `\` is written in brackets as a JSON
  /// string literal: `auto_map["AutoModel.v2"]`, `[""]`. Every other key is written as it is.
  public var keyPath: String { storage.keyPath(of: index) }

  /// The member key when this value is an object member.
  public var key: String? {
    let e = entry
    guard e.parent >= 0, storage.entries[Int(e.parent)].kind == .object else { return nil }
    return storage.strings[Int(e.slot)]
  }

  /// `false` for a container the input ended (or failed) inside; leaves are always complete.
  public var isComplete: Bool { entry.complete }

  public var isNull: Bool { entry.kind == .null }

  public var boolValue: Bool? {
    switch entry.kind {
    case .true: return true
    case .false: return false
    default: return nil
    }
  }

  /// The integer, for numbers written without fraction or exponent that fit in Int64.
  public var intValue: Int64? { entry.kind == .int ? entry.payload : nil }

  /// The number as a `Double` (integers convert, exactly up to 2^53).
  public var doubleValue: Double? {
    let e = entry
    switch e.kind {
    case .int: return Double(e.payload)
    case .double: return Double(bitPattern: UInt64(bitPattern: e.payload))
    default: return nil
    }
  }

  public var stringValue: String? {
    let e = entry
    return e.kind == .string ? storage.strings[Int(e.payload)] : nil
  }

  /// Number of elements or members (after duplicate keys are merged); 0 for leaves.
  public var count: Int {
    let e = entry
    return e.kind == .array || e.kind == .object ? Int(e.count) : 0
  }

  private func child(_ i: Int) -> JSONValue {
    JSONValue(storage: storage, index: storage.children[Int(entry.payload) + i])
  }

  /// The elements of an array (empty for anything else).
  public var elements: [JSONValue] {
    guard entry.kind == .array else { return [] }
    return (0..<count).map(child)
  }

  /// The members of an object in input order (empty for anything else).
  public var members: [(key: String, value: JSONValue)] {
    guard entry.kind == .object else { return [] }
    return (0..<count).map { i in
      let value = child(i)
      return (storage.strings[Int(value.entry.slot)], value)
    }
  }

  /// The member named `key`, for objects.
  public subscript(key: String) -> JSONValue? {
    guard entry.kind == .object else { return nil }
    for i in 0..<count {
      let value = child(i)
      if storage.strings[Int(value.entry.slot)] == key { return value }
    }
    return nil
  }

  /// The element at `index`, for arrays.
  public subscript(index: Int) -> JSONValue? {
    guard entry.kind == .array, index >= 0, index < count else { return nil }
    return child(index)
  }

  /// Where this value is, as a `SourceLocation` in `path` (line, column, key path and byte offset).
  public func location(in path: ArtifactPath) -> SourceLocation {
    let e = entry
    let keyPath = self.keyPath
    return SourceLocation(
      path: path, line: Int(e.line), column: Int(e.column), keyPath: keyPath.isEmpty ? nil : keyPath,
      offset: UInt64(e.offset))
  }

  /// The value as a `FactValue`, built without recursion (an explicit stack), so depth is
  /// bounded only by the reader's limit. Incomplete containers hold what was read.
  public var factValue: FactValue {
    let entries = storage.entries
    var work: [(node: Int32, next: Int32)] = [(index, 0)]
    var results: [FactValue] = []
    while let top = work.last {
      let e = entries[Int(top.node)]
      if (e.kind == .array || e.kind == .object) && top.next < e.count {
        work[work.count - 1].next += 1
        work.append((storage.children[Int(e.payload) + Int(top.next)], 0))
        continue
      }
      work.removeLast()
      switch e.kind {
      case .null: results.append(.null)
      case .false: results.append(.bool(false))
      case .true: results.append(.bool(true))
      case .int: results.append(.int(e.payload))
      case .double: results.append(.double(Double(bitPattern: UInt64(bitPattern: e.payload))))
      case .string: results.append(.string(storage.strings[Int(e.payload)]))
      case .array:
        let items = Array(results.suffix(Int(e.count)))
        results.removeLast(Int(e.count))
        results.append(.array(items))
      case .object:
        let n = Int(e.count)
        var object: [String: FactValue] = [:]
        object.reserveCapacity(n)
        let base = results.count - n
        for i in 0..<n {
          let member = storage.children[Int(e.payload) + i]
          object[storage.strings[Int(entries[Int(member)].slot)]] = results[base + i]
        }
        results.removeLast(n)
        results.append(.object(object))
      }
    }
    return results.last ?? .null
  }
}

/// The flat, immutable storage behind a `JSONDocument`: one entry per value in input order,
/// children of each container as a contiguous run of `children`, and all strings (keys and
/// values) in one table. Flat storage keeps a 16 MiB input to a few large allocations and
/// frees without recursion.
final class JSONStorage: Sendable {
  enum EntryKind: UInt8, Sendable {
    case null, `false`, `true`, int, double, string, array, object
  }

  struct Entry: Sendable {
    /// `.int`: the value; `.double`: the bit pattern; `.string`: index into `strings`;
    /// containers: start of their run in `children`.
    var payload: Int64
    var offset: Int
    var line: Int32
    var column: Int32
    /// Index of the containing value, -1 for the root.
    var parent: Int32
    /// Object members: index of the key in `strings`; array elements: the element index.
    var slot: Int32
    /// Containers: number of children.
    var count: Int32
    var kind: EntryKind
    var complete: Bool
  }

  let entries: [Entry]
  let children: [Int32]
  let strings: [String]
  let duplicateKeys: [JSONDuplicateKey]
  let diagnostics: [JSONDiagnostic]
  let isComplete: Bool

  init(
    entries: [Entry], children: [Int32], strings: [String], duplicates: [(later: Int32, earlier: Int32)],
    diagnostics: [(kind: JSONDiagnostic.Kind, node: Int32, position: JSONPosition, text: String)],
    isComplete: Bool
  ) {
    self.entries = entries
    self.children = children
    self.strings = strings
    self.isComplete = isComplete
    self.duplicateKeys = duplicates.map { pair in
      let later = entries[Int(pair.later)]
      let earlier = entries[Int(pair.earlier)]
      return JSONDuplicateKey(
        keyPath: JSONStorage.keyPath(of: pair.later, entries: entries, strings: strings),
        key: strings[Int(later.slot)],
        winning: JSONPosition(line: Int(later.line), column: Int(later.column), offset: later.offset),
        earlier: JSONPosition(line: Int(earlier.line), column: Int(earlier.column), offset: earlier.offset))
    }
    self.diagnostics = diagnostics.map { d in
      JSONDiagnostic(
        kind: d.kind, keyPath: d.node < 0 ? "" : JSONStorage.keyPath(of: d.node, entries: entries, strings: strings),
        position: d.position, text: d.text)
    }
  }

  func keyPath(of node: Int32) -> String {
    JSONStorage.keyPath(of: node, entries: entries, strings: strings)
  }

  static func keyPath(of node: Int32, entries: [Entry], strings: [String]) -> String {
    var chain: [Int32] = []
    var n = node
    while n >= 0, entries[Int(n)].parent >= 0 {
      chain.append(n)
      n = entries[Int(n)].parent
    }
    var path = ""
    for member in chain.reversed() {
      let e = entries[Int(member)]
      if entries[Int(e.parent)].kind == .object {
        appendKey(strings[Int(e.slot)], to: &path)
      } else {
        path += "[\(e.slot)]"
      }
    }
    return path
  }

  /// Appends one key segment: plain after a `.`, or `["…"]` for keys that would be ambiguous.
  static func appendKey(_ key: String, to path: inout String) {
    let needsQuoting =
      key.isEmpty
      || key.utf8.contains { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "[") || $0 == UInt8(ascii: "]") || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }
    if needsQuoting {
      path += "[" + JSONText.quote(key) + "]"
    } else {
      if !path.isEmpty { path += "." }
      path += key
    }
  }
}
