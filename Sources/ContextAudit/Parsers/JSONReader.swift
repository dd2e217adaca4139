/// Limits the JSON reader enforces while it reads, so a hostile document fails fast and clearly.
public struct JSONLimits: Hashable, Sendable {
  /// Default deepest nesting of arrays and objects (Python's own parser gives up near 1,000).
  public static let defaultMaxDepth = 512
  /// Default largest input: 16 MiB, the size `FileReading.defaultTextLimit` reads.
  public static let defaultMaxInputBytes = 16 << 20
  /// Default longest string: 4 MiB (the longest chat templates are tens of KiB).
  public static let defaultMaxStringBytes = 4 << 20
  /// Default most duplicate keys, and most other diagnostics, recorded per document: 1,000.
  public static let defaultMaxDiagnostics = 1000

  /// Deepest nesting of arrays and objects; the container that would open level
  /// `maxDepth + 1` is the error.
  public var maxDepth: Int
  /// Largest input in bytes, checked before reading (clamped to 2^31 - 1 internally).
  public var maxInputBytes: Int
  /// Longest string (key or value) in bytes of its escaped form in the file.
  public var maxStringBytes: Int
  /// Most duplicate keys recorded, and separately most other diagnostics (non-finite numbers,
  /// big integers, lone surrogates); later ones are read as usual but not reported. Each costs
  /// a key path, so without a cap a 16 MiB file of repeated keys 500 levels deep took minutes.
  public var maxDiagnostics: Int

  public init(
    maxDepth: Int = defaultMaxDepth, maxInputBytes: Int = defaultMaxInputBytes,
    maxStringBytes: Int = defaultMaxStringBytes, maxDiagnostics: Int = defaultMaxDiagnostics
  ) {
    self.maxDepth = maxDepth
    self.maxInputBytes = maxInputBytes
    self.maxStringBytes = maxStringBytes
    self.maxDiagnostics = maxDiagnostics
  }

  public static let `default` = JSONLimits()
}

/// The outcome of `JSONReader.readPartial`: what was read, and the error that stopped it.
public struct JSONReadResult: Sendable {
  /// Everything read up to the error; `isComplete` is `false` when `error` is set.
  public var document: JSONDocument
  public var error: JSONError?
}

/// A strict, position-keeping JSON reader that works on UTF-8 bytes.
///
/// It accepts RFC 8259 JSON plus what Python's `json.loads` accepts beyond it, because Python
/// is what reads `config.json` in practice: `NaN`, `Infinity` and `-Infinity` (each reported as
/// a `JSONDiagnostic`), duplicate keys (the last one wins, as in Python; each reported), and a
/// leading UTF-8 byte order mark (reported). Everything else RFC 8259 forbids is an error:
/// invalid UTF-8, UTF-16/UTF-32 input, raw control characters in strings, leading zeros,
/// trailing commas, content after the top-level value.
///
/// Numbers written without fraction or exponent that fit in Int64 stay exact integers; larger
/// integers become the nearest `Double` with a `bigInteger` diagnostic (Python keeps them exact;
/// no config value needs more than 53 bits, and the tokenizer sentinel `int(1e30)` converts
/// back to exactly `1e30`). Fractions and exponents are `Double`, correctly rounded.
///
/// The reader never recurses per nesting level: open containers live on an explicit stack,
/// so 100,000 nested `[` stop with `JSONError.tooDeep` at the first bracket over the limit.
public enum JSONReader {
  /// Reads a whole document.
  ///
  /// - Parameters:
  ///   - bytes: UTF-8 text, optionally starting with a byte order mark.
  ///   - path: the artifact path used in error locations.
  ///   - limits: depth, input size and string length limits, enforced while reading.
  /// - Throws: `JSONError` with the location of the first problem.
  public static func read(_ bytes: [UInt8], path: ArtifactPath, limits: JSONLimits = .default) throws(JSONError)
    -> JSONDocument
  {
    let result = readPartial(bytes, path: path, limits: limits)
    if let error = result.error { throw error }
    return result.document
  }

  /// Convenience for text.
  public static func read(_ text: String, path: ArtifactPath, limits: JSONLimits = .default) throws(JSONError)
    -> JSONDocument
  {
    try read(Array(text.utf8), path: path, limits: limits)
  }

  /// Reads a document and, when it fails, keeps what was read before the error.
  ///
  /// Values that ended before the error are complete; containers the error happened inside
  /// hold the members read so far and report `isComplete == false`. A key written again after
  /// the error point cannot be seen, so a partial document may show a value that a full read
  /// would have replaced.
  public static func readPartial(_ bytes: [UInt8], path: ArtifactPath, limits: JSONLimits = .default)
    -> JSONReadResult
  {
    bytes.withUnsafeBufferPointer { buffer in
      var parser = JSONParserCore(buffer, path: path, limits: limits)
      do throws(JSONError) {
        try parser.run()
        return JSONReadResult(document: JSONDocument(storage: parser.finish(complete: true)), error: nil)
      } catch {
        return JSONReadResult(document: JSONDocument(storage: parser.finish(complete: false)), error: error)
      }
    }
  }
}

/// The state machine behind `JSONReader`; lives only for one `readPartial` call.
struct JSONParserCore {
  typealias Entry = JSONStorage.Entry

  /// One open container.
  struct Frame {
    var node: Int32
    var isObject: Bool
    /// Member (or element) entries in order; a duplicate key replaces its slot.
    var members: [Int32] = []
    /// Key string to slot in `members`, built once an object has more than `indexThreshold` members.
    var index: [String: Int] = [:]
    /// String index of the key whose value is being read, -1 when none.
    var pendingKey: Int32 = -1
  }

  static let indexThreshold = 12

  let bytes: UnsafeBufferPointer<UInt8>
  let end: Int
  let path: ArtifactPath
  let limits: JSONLimits
  var pos = 0
  var line: Int32 = 1
  /// A cached (offset, column) pair on the current line, so columns cost O(distance).
  var columnAnchor = 0
  var columnAtAnchor: Int32 = 1
  var entries: [Entry] = []
  var children: [Int32] = []
  var strings: [String] = []
  var frames: [Frame] = []
  var depth = 0
  var duplicates: [(later: Int32, earlier: Int32)] = []
  var diagnostics: [(kind: JSONDiagnostic.Kind, node: Int32, position: JSONPosition, text: String)] = []
  var scratch: [UInt8] = []
  /// Lone-surrogate escapes in the key just read, reported against the value that follows.
  var keySurrogates: [(position: JSONPosition, text: String)] = []

  init(_ bytes: UnsafeBufferPointer<UInt8>, path: ArtifactPath, limits: JSONLimits) {
    self.bytes = bytes
    self.end = bytes.count
    self.path = path
    self.limits = limits
  }

  // MARK: Positions

  mutating func column(at p: Int) -> Int32 {
    if p < columnAnchor {
      // Only error paths look back; restart from the line start.
      var start = p
      while start > 0 && bytes[start - 1] != 0x0A { start -= 1 }
      if start == 0 && end >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { start = min(3, p) }
      columnAnchor = start
      columnAtAnchor = 1
    }
    var c = columnAtAnchor
    var i = columnAnchor
    while i < p {
      if bytes[i] & 0xC0 != 0x80 { c += 1 }
      i += 1
    }
    columnAnchor = p
    columnAtAnchor = c
    return c
  }

  /// Records a diagnostic while fewer than `maxDiagnostics` are held.
  mutating func note(_ d: (kind: JSONDiagnostic.Kind, node: Int32, position: JSONPosition, text: String)) {
    if diagnostics.count < limits.maxDiagnostics { diagnostics.append(d) }
  }

  mutating func position(at p: Int) -> JSONPosition {
    JSONPosition(line: Int(line), column: Int(column(at: p)), offset: p)
  }

  /// The key path of the innermost open member (or container), for error locations.
  func contextPath() -> String? {
    guard depth > 0 else { return nil }
    let frame = frames[depth - 1]
    var path = JSONStorage.keyPath(of: frame.node, entries: entries, strings: strings)
    if frame.isObject && frame.pendingKey >= 0 {
      JSONStorage.appendKey(strings[Int(frame.pendingKey)], to: &path)
    }
    return path.isEmpty ? nil : path
  }

  mutating func location(at p: Int) -> SourceLocation {
    let pos = position(at: p)
    return SourceLocation(
      path: path, line: pos.line, column: pos.column, keyPath: contextPath(), offset: UInt64(pos.offset))
  }

  /// `'x'`, `'é'` (a well-formed non-ASCII character), `byte 0xNN` or `end of input`.
  func describe(at p: Int) -> String {
    guard p < end else { return "end of input" }
    if bytes[p] >= 0x80 {
      let n = utf8Length(at: p)
      if n > 0 { return "'" + String(decoding: UnsafeBufferPointer(rebasing: bytes[p..<(p + n)]), as: UTF8.self) + "'" }
    }
    return JSONError.describe(bytes[p])
  }

  // MARK: Driver

  mutating func run() throws(JSONError) {
    let maxInput = min(limits.maxInputBytes, Int(Int32.max) - 1)
    if end > maxInput {
      throw .inputTooLarge(size: end, limit: maxInput, at: SourceLocation(path: path, offset: UInt64(maxInput)))
    }
    try checkEncoding()
    skipWhitespace()
    if pos >= end { throw .emptyInput(at: location(at: pos)) }
    while true {
      // Read one value at `pos` (whitespace already skipped).
      guard pos < end else { throw .unexpectedEnd(expected: "a value", at: location(at: pos)) }
      let b = bytes[pos]
      switch b {
      case UInt8(ascii: "{"), UInt8(ascii: "["):
        let isObject = b == UInt8(ascii: "{")
        let node = try addEntry(kind: isObject ? .object : .array, payload: 0, at: pos, complete: false)
        try open(node, isObject: isObject)
        pos += 1
        skipWhitespace()
        let closer = isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")
        if pos < end && bytes[pos] == closer {
          pos += 1
          close()
        } else if isObject {
          try readKey(afterComma: false)
          continue
        } else {
          continue
        }
      case UInt8(ascii: "\""):
        let start = pos
        let startPosition = position(at: start)
        let text = try readString()
        strings.append(text)
        let node = try addEntry(
          kind: .string, payload: Int64(strings.count - 1), at: start, position: startPosition, complete: true)
        flushStringSurrogates(node: node)
      case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
        try readNumber()
      case UInt8(ascii: "t"):
        try readLiteral("true", kind: .true)
      case UInt8(ascii: "f"):
        try readLiteral("false", kind: .false)
      case UInt8(ascii: "n"):
        try readLiteral("null", kind: .null)
      case UInt8(ascii: "N"):
        try readNonFinite("NaN", value: .nan)
      case UInt8(ascii: "I"):
        try readNonFinite("Infinity", value: .infinity)
      default:
        if b >= 0x80 { try checkUTF8Here() }
        throw .unexpectedCharacter(found: describe(at: pos), expected: "a value", at: location(at: pos))
      }
      // After a complete value: close containers until one needs another value.
      if try afterValue() { return }
    }
  }

  /// Handles `,` and closing brackets after a value. Returns `true` when the document is done.
  mutating func afterValue() throws(JSONError) -> Bool {
    while true {
      skipWhitespace()
      if depth == 0 {
        if pos < end {
          if bytes[pos] >= 0x80 { try checkUTF8Here() }
          throw .trailingContent(found: describe(at: pos), at: location(at: pos))
        }
        return true
      }
      let isObject = frames[depth - 1].isObject
      let closer = isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")
      let expected = isObject ? "',' or '}' after object member" : "',' or ']' after array element"
      guard pos < end else { throw .unexpectedEnd(expected: expected, at: location(at: pos)) }
      let c = bytes[pos]
      if c == UInt8(ascii: ",") {
        pos += 1
        skipWhitespace()
        if pos < end && bytes[pos] == closer {
          throw .trailingComma(closing: Character(Unicode.Scalar(closer)), at: location(at: pos))
        }
        if isObject { try readKey(afterComma: true) }
        return false
      }
      if c == closer {
        pos += 1
        close()
        continue
      }
      if c >= 0x80 { try checkUTF8Here() }
      throw .unexpectedCharacter(found: describe(at: pos), expected: expected, at: location(at: pos))
    }
  }

  // MARK: Containers

  mutating func open(_ node: Int32, isObject: Bool) throws(JSONError) {
    if depth >= limits.maxDepth {
      throw .tooDeep(limit: limits.maxDepth, at: location(at: pos))
    }
    if depth < frames.count {
      frames[depth].node = node
      frames[depth].isObject = isObject
      frames[depth].members.removeAll(keepingCapacity: true)
      if !frames[depth].index.isEmpty { frames[depth].index.removeAll(keepingCapacity: true) }
      frames[depth].pendingKey = -1
    } else {
      frames.append(Frame(node: node, isObject: isObject))
    }
    depth += 1
  }

  /// Closes the innermost container, moving its members into `children`.
  mutating func close(complete: Bool = true) {
    let frame = frames[depth - 1]
    let node = Int(frame.node)
    entries[node].payload = Int64(children.count)
    entries[node].count = Int32(frame.members.count)
    entries[node].complete = complete
    children.append(contentsOf: frame.members)
    depth -= 1
  }

  /// Appends an entry for a value that starts at `start` and registers it with its container.
  mutating func addEntry(
    kind: JSONStorage.EntryKind, payload: Int64, at start: Int, position known: JSONPosition? = nil, complete: Bool
  ) throws(JSONError) -> Int32 {
    let position = known ?? position(at: start)
    let node = Int32(entries.count)
    var parent: Int32 = -1
    var slot: Int32 = -1
    if depth > 0 {
      let f = depth - 1
      parent = frames[f].node
      if frames[f].isObject {
        slot = frames[f].pendingKey
        frames[f].pendingKey = -1
      } else {
        slot = Int32(frames[f].members.count)
      }
    }
    entries.append(
      Entry(
        payload: payload, offset: start, line: Int32(position.line), column: Int32(position.column),
        parent: parent, slot: slot, count: 0, kind: kind, complete: complete))
    if depth > 0 {
      // Registered after the entry exists, so the member index can read its key.
      let f = depth - 1
      if frames[f].isObject {
        let key = strings[Int(slot)]
        if let existing = findMember(key, frame: f) {
          if duplicates.count < limits.maxDiagnostics {
            duplicates.append((later: node, earlier: frames[f].members[existing]))
          }
          frames[f].members[existing] = node
        } else {
          frames[f].members.append(node)
          if !frames[f].index.isEmpty {
            frames[f].index[key] = frames[f].members.count - 1
          } else if frames[f].members.count > JSONParserCore.indexThreshold {
            buildIndex(frame: f)
          }
        }
      } else {
        frames[f].members.append(node)
      }
    }
    if !keySurrogates.isEmpty {
      for s in keySurrogates { note((.loneSurrogate, node, s.position, s.text)) }
      keySurrogates.removeAll()
    }
    return node
  }

  func findMember(_ key: String, frame f: Int) -> Int? {
    if !frames[f].index.isEmpty { return frames[f].index[key] }
    for (i, member) in frames[f].members.enumerated() where strings[Int(entries[Int(member)].slot)] == key {
      return i
    }
    return nil
  }

  mutating func buildIndex(frame f: Int) {
    var index: [String: Int] = [:]
    for (i, member) in frames[f].members.enumerated() {
      index[strings[Int(entries[Int(member)].slot)]] = i
    }
    frames[f].index = index
  }

  /// Reads `"key"` then `:` and leaves `pos` at the value.
  mutating func readKey(afterComma: Bool) throws(JSONError) {
    guard pos < end else {
      throw .unexpectedEnd(expected: afterComma ? "object key after ','" : "object key or '}'", at: location(at: pos))
    }
    guard bytes[pos] == UInt8(ascii: "\"") else {
      if bytes[pos] >= 0x80 { try checkUTF8Here() }
      throw .unexpectedCharacter(
        found: describe(at: pos), expected: afterComma ? "a string key after ','" : "a string key or '}'",
        at: location(at: pos))
    }
    let key = try readString(isKey: true)
    strings.append(key)
    frames[depth - 1].pendingKey = Int32(strings.count - 1)
    skipWhitespace()
    guard pos < end else { throw .unexpectedEnd(expected: "':' after object key", at: location(at: pos)) }
    guard bytes[pos] == UInt8(ascii: ":") else {
      if bytes[pos] >= 0x80 { try checkUTF8Here() }
      throw .unexpectedCharacter(found: describe(at: pos), expected: "':' after object key", at: location(at: pos))
    }
    pos += 1
    skipWhitespace()
  }

  // MARK: Whitespace and encoding

  @inline(__always)
  mutating func skipWhitespace() {
    while pos < end {
      let b = bytes[pos]
      if b == 0x20 || b == 0x09 || b == 0x0D {
        pos += 1
      } else if b == 0x0A {
        pos += 1
        line += 1
        columnAnchor = pos
        columnAtAnchor = 1
      } else {
        return
      }
    }
  }

  /// Rejects UTF-16/UTF-32 and skips a UTF-8 byte order mark.
  mutating func checkEncoding() throws(JSONError) {
    if end >= 4 && bytes[0] == 0 && bytes[1] == 0 && bytes[2] == 0xFE && bytes[3] == 0xFF {
      throw .unsupportedEncoding(encoding: "UTF-32 (big-endian byte order mark)", at: location(at: 0))
    }
    if end >= 4 && bytes[0] == 0xFF && bytes[1] == 0xFE && bytes[2] == 0 && bytes[3] == 0 {
      throw .unsupportedEncoding(encoding: "UTF-32 (little-endian byte order mark)", at: location(at: 0))
    }
    if end >= 2 && bytes[0] == 0xFE && bytes[1] == 0xFF {
      throw .unsupportedEncoding(encoding: "UTF-16 (big-endian byte order mark)", at: location(at: 0))
    }
    if end >= 2 && bytes[0] == 0xFF && bytes[1] == 0xFE {
      throw .unsupportedEncoding(encoding: "UTF-16 (little-endian byte order mark)", at: location(at: 0))
    }
    if end >= 2 && (bytes[0] == 0 || bytes[1] == 0) {
      // RFC 4627 section 3: the NUL pattern of the first four bytes tells the encoding.
      let utf32 = end >= 4 && ((bytes[0] == 0 && bytes[1] == 0) || (bytes[1] == 0 && bytes[2] == 0 && bytes[3] == 0))
      let what = utf32 ? "UTF-32 (NUL bytes in the first characters)" : "UTF-16 (NUL bytes in the first characters)"
      let at = bytes[0] == 0 ? 0 : 1
      if at == 1 && bytes[0] == 0x0A {
        // The NUL follows a line feed: it starts line 2 (nothing has been scanned yet).
        line = 2
        columnAnchor = 1
      }
      throw .unsupportedEncoding(encoding: what, at: location(at: at))
    }
    if end >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF {
      pos = 3
      columnAnchor = 3
      columnAtAnchor = 1
      note((.byteOrderMark, -1, JSONPosition(line: 1, column: 1, offset: 0), "EF BB BF"))
    }
  }

  /// Throws `invalidUTF8` when the bytes at `pos` are not a well-formed UTF-8 sequence;
  /// returns otherwise (the caller then reports the character as unexpected).
  mutating func checkUTF8Here() throws(JSONError) {
    if utf8Length(at: pos) == 0 { throw .invalidUTF8(byte: bytes[pos], at: location(at: pos)) }
  }

  /// Length of the well-formed UTF-8 sequence at `i` (RFC 3629, Unicode table 3-7), or 0.
  @inline(__always)
  func utf8Length(at i: Int) -> Int {
    let b0 = bytes[i]
    if b0 < 0x80 { return 1 }
    @inline(__always) func cont(_ j: Int, _ lo: UInt8 = 0x80, _ hi: UInt8 = 0xBF) -> Bool {
      j < end && bytes[j] >= lo && bytes[j] <= hi
    }
    switch b0 {
    case 0xC2...0xDF: return cont(i + 1) ? 2 : 0
    case 0xE0: return cont(i + 1, 0xA0) && cont(i + 2) ? 3 : 0
    case 0xE1...0xEC, 0xEE...0xEF: return cont(i + 1) && cont(i + 2) ? 3 : 0
    case 0xED: return cont(i + 1, 0x80, 0x9F) && cont(i + 2) ? 3 : 0
    case 0xF0: return cont(i + 1, 0x90) && cont(i + 2) && cont(i + 3) ? 4 : 0
    case 0xF1...0xF3: return cont(i + 1) && cont(i + 2) && cont(i + 3) ? 4 : 0
    case 0xF4: return cont(i + 1, 0x80, 0x8F) && cont(i + 2) && cont(i + 3) ? 4 : 0
    default: return 0
    }
  }

  // MARK: Strings

  /// Lone surrogates seen in the string value just read, reported once its entry exists.
  var stringSurrogates: [(position: JSONPosition, text: String)] = []

  mutating func flushStringSurrogates(node: Int32) {
    for s in stringSurrogates { note((.loneSurrogate, node, s.position, s.text)) }
    stringSurrogates.removeAll()
  }

  /// Reads the string whose opening quote is at `pos`; leaves `pos` after the closing quote.
  mutating func readString(isKey: Bool = false) throws(JSONError) -> String {
    let open = pos
    let start = pos + 1
    var i = start
    let limit = limits.maxStringBytes
    // Fast path: ASCII without escapes.
    while i < end {
      let b = bytes[i]
      if b == UInt8(ascii: "\"") {
        if i - start > limit { throw .stringTooLong(limit: limit, at: location(at: open)) }
        pos = i + 1
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
      }
      if b == UInt8(ascii: "\\") || b < 0x20 || b >= 0x80 { break }
      i += 1
    }
    scratch.removeAll(keepingCapacity: true)
    scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<i]))
    while true {
      if i - start > limit { throw .stringTooLong(limit: limit, at: location(at: open)) }
      guard i < end else { throw .unterminatedString(at: location(at: open)) }
      let b = bytes[i]
      if b == UInt8(ascii: "\"") {
        pos = i + 1
        return String(decoding: scratch, as: UTF8.self)
      } else if b == UInt8(ascii: "\\") {
        i = try readEscape(at: i, isKey: isKey)
      } else if b < 0x20 {
        throw .controlCharacterInString(b, at: location(at: i))
      } else if b < 0x80 {
        scratch.append(b)
        i += 1
      } else {
        let n = utf8Length(at: i)
        if n == 0 { throw .invalidUTF8(byte: b, at: location(at: i)) }
        scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[i..<(i + n)]))
        i += n
      }
    }
  }

  /// Decodes the escape at `i` (a backslash) into `scratch`; returns the index after it.
  mutating func readEscape(at i: Int, isKey: Bool) throws(JSONError) -> Int {
    guard i + 1 < end else { throw .unterminatedString(at: location(at: i)) }
    let e = bytes[i + 1]
    switch e {
    case UInt8(ascii: "\""): scratch.append(0x22)
    case UInt8(ascii: "\\"): scratch.append(0x5C)
    case UInt8(ascii: "/"): scratch.append(0x2F)
    case UInt8(ascii: "b"): scratch.append(0x08)
    case UInt8(ascii: "f"): scratch.append(0x0C)
    case UInt8(ascii: "n"): scratch.append(0x0A)
    case UInt8(ascii: "r"): scratch.append(0x0D)
    case UInt8(ascii: "t"): scratch.append(0x09)
    case UInt8(ascii: "u"):
      guard let unit = hex4(at: i + 2) else { throw .invalidUnicodeEscape(at: location(at: i)) }
      var next = i + 6
      var scalar: UInt32
      if unit >= 0xD800 && unit <= 0xDBFF,
        next + 1 < end, bytes[next] == UInt8(ascii: "\\"), bytes[next + 1] == UInt8(ascii: "u"),
        let low = hex4(at: next + 2), low >= 0xDC00 && low <= 0xDFFF
      {
        scalar = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
        next += 6
      } else if unit >= 0xD800 && unit <= 0xDFFF {
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[i..<(i + 6)]), as: UTF8.self)
        let surrogate = (position: position(at: i), text: text)
        if isKey { keySurrogates.append(surrogate) } else { stringSurrogates.append(surrogate) }
        scalar = 0xFFFD
      } else {
        scalar = UInt32(unit)
      }
      appendScalar(scalar)
      return next
    default:
      if e >= 0x80 && utf8Length(at: i + 1) == 0 { throw .invalidUTF8(byte: e, at: location(at: i + 1)) }
      let found: String
      if e >= 0x80 {
        let n = utf8Length(at: i + 1)
        found = String(decoding: UnsafeBufferPointer(rebasing: bytes[(i + 1)..<(i + 1 + n)]), as: UTF8.self)
      } else if e >= 0x20 && e < 0x7F {
        found = String(Character(Unicode.Scalar(e)))
      } else {
        found = "followed by byte \(JSONError.hex(e))"
      }
      throw .invalidEscape(found: found, at: location(at: i))
    }
    return i + 2
  }

  func hex4(at i: Int) -> UInt16? {
    guard i + 4 <= end else { return nil }
    var v: UInt16 = 0
    for j in i..<(i + 4) {
      let b = bytes[j]
      let d: UInt8
      switch b {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): d = b - UInt8(ascii: "0")
      case UInt8(ascii: "a")...UInt8(ascii: "f"): d = b - UInt8(ascii: "a") + 10
      case UInt8(ascii: "A")...UInt8(ascii: "F"): d = b - UInt8(ascii: "A") + 10
      default: return nil
      }
      v = v << 4 | UInt16(d)
    }
    return v
  }

  mutating func appendScalar(_ v: UInt32) {
    switch v {
    case 0..<0x80:
      scratch.append(UInt8(v))
    case 0x80..<0x800:
      scratch.append(UInt8(0xC0 | (v >> 6)))
      scratch.append(UInt8(0x80 | (v & 0x3F)))
    case 0x800..<0x10000:
      scratch.append(UInt8(0xE0 | (v >> 12)))
      scratch.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
      scratch.append(UInt8(0x80 | (v & 0x3F)))
    default:
      scratch.append(UInt8(0xF0 | (v >> 18)))
      scratch.append(UInt8(0x80 | ((v >> 12) & 0x3F)))
      scratch.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
      scratch.append(UInt8(0x80 | (v & 0x3F)))
    }
  }

  // MARK: Literals

  func matches(_ word: StaticString, at i: Int) -> Bool {
    let n = word.utf8CodeUnitCount
    guard i + n <= end else { return false }
    return word.withUTF8Buffer { w in
      for k in 0..<n where bytes[i + k] != w[k] { return false }
      return true
    }
  }

  mutating func readLiteral(_ word: StaticString, kind: JSONStorage.EntryKind) throws(JSONError) {
    guard matches(word, at: pos) else {
      throw .invalidLiteral(expected: "'\(word)'", at: location(at: pos))
    }
    _ = try addEntry(kind: kind, payload: 0, at: pos, complete: true)
    pos += word.utf8CodeUnitCount
  }

  mutating func readNonFinite(_ word: StaticString, value: Double) throws(JSONError) {
    guard matches(word, at: pos) else {
      throw .invalidLiteral(expected: "'\(word)'", at: location(at: pos))
    }
    try addDouble(value, at: pos)
    let node = Int32(entries.count - 1)
    note((.nonFiniteNumber, node, position(at: pos), "\(word)"))
    pos += word.utf8CodeUnitCount
  }

  mutating func addDouble(_ v: Double, at start: Int) throws(JSONError) {
    _ = try addEntry(kind: .double, payload: Int64(bitPattern: v.bitPattern), at: start, complete: true)
  }

  // MARK: Numbers

  @inline(__always)
  func isDigit(_ i: Int) -> Bool { i < end && bytes[i] >= UInt8(ascii: "0") && bytes[i] <= UInt8(ascii: "9") }

  mutating func readNumber() throws(JSONError) {
    let start = pos
    var i = pos
    let negative = bytes[i] == UInt8(ascii: "-")
    if negative {
      i += 1
      if i < end && bytes[i] == UInt8(ascii: "I") {
        guard matches("Infinity", at: i) else {
          throw .invalidLiteral(expected: "'-Infinity'", at: location(at: start))
        }
        try addDouble(-.infinity, at: start)
        note((.nonFiniteNumber, Int32(entries.count - 1), position(at: start), "-Infinity"))
        pos = i + 8
        return
      }
      guard isDigit(i) else {
        if i < end && bytes[i] >= 0x80 { pos = i; try checkUTF8Here() }
        throw .invalidNumber(expected: "a digit after '-'", at: location(at: i))
      }
    }
    let intStart = i
    if bytes[i] == UInt8(ascii: "0") {
      i += 1
      if isDigit(i) { throw .leadingZero(at: location(at: start)) }
    } else {
      while isDigit(i) { i += 1 }
    }
    let intEnd = i
    var isInteger = true
    var fracStart = i
    var fracEnd = i
    if i < end && bytes[i] == UInt8(ascii: ".") {
      isInteger = false
      i += 1
      fracStart = i
      guard isDigit(i) else { throw .invalidNumber(expected: "a digit after '.'", at: location(at: i)) }
      while isDigit(i) { i += 1 }
      fracEnd = i
    }
    var exponent = 0
    var exponentOverflow = false
    if i < end && (bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E")) {
      isInteger = false
      i += 1
      var expNegative = false
      if i < end && (bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-")) {
        expNegative = bytes[i] == UInt8(ascii: "-")
        i += 1
      }
      guard isDigit(i) else { throw .invalidNumber(expected: "a digit in the exponent", at: location(at: i)) }
      while isDigit(i) {
        if exponent < 100_000 { exponent = exponent * 10 + Int(bytes[i] - UInt8(ascii: "0")) } else { exponentOverflow = true }
        i += 1
      }
      if expNegative { exponent = -exponent }
    }
    pos = i

    if isInteger {
      // Accumulate negatively so Int64.min is representable.
      var value: Int64 = 0
      var overflow = false
      for j in intStart..<intEnd {
        let d = Int64(bytes[j] - UInt8(ascii: "0"))
        let (m, o1) = value.multipliedReportingOverflow(by: 10)
        let (s, o2) = m.subtractingReportingOverflow(d)
        if o1 || o2 {
          overflow = true
          break
        }
        value = s
      }
      if !overflow && !negative {
        if value == Int64.min { overflow = true } else { value = -value }
      }
      if !overflow {
        _ = try addEntry(kind: .int, payload: value, at: start, complete: true)
        return
      }
      let d = slowDouble(start, i)
      try addDouble(d, at: start)
      note((.bigInteger, Int32(entries.count - 1), position(at: start), text(start, i)))
      return
    }

    // Clinger's fast path: at most 19 significant digits, mantissa <= 2^53, |exponent| <= 22.
    var mantissa: UInt64 = 0
    var digits = 0
    var fast = !exponentOverflow
    if fast {
      for j in intStart..<intEnd {
        mantissa = mantissa &* 10 &+ UInt64(bytes[j] - UInt8(ascii: "0"))
        digits += 1
      }
      for j in fracStart..<fracEnd {
        mantissa = mantissa &* 10 &+ UInt64(bytes[j] - UInt8(ascii: "0"))
        digits += 1
      }
      if digits > 19 { fast = false }
    }
    var d: Double
    let e10 = exponent - (fracEnd - fracStart)
    if fast && mantissa <= (1 << 53) && e10 >= -22 && e10 <= 22 {
      d = Double(mantissa)
      if e10 < 0 { d /= JSONParserCore.powersOf10[-e10] } else { d *= JSONParserCore.powersOf10[e10] }
      if negative { d = -d }
    } else {
      d = slowDouble(start, i)
    }
    try addDouble(d, at: start)
    if !d.isFinite {
      note((.nonFiniteNumber, Int32(entries.count - 1), position(at: start), text(start, i)))
    }
  }

  static let powersOf10: [Double] = (0...22).map { e in
    var v = 1.0
    for _ in 0..<e { v *= 10 }
    return v
  }

  func text(_ a: Int, _ b: Int) -> String {
    String(decoding: UnsafeBufferPointer(rebasing: bytes[a..<b]), as: UTF8.self)
  }

  /// Correctly rounded conversion of a validated number literal (the standard library's parser).
  func slowDouble(_ a: Int, _ b: Int) -> Double {
    let literal = text(a, b)
    if let d = Double(literal) { return d }
    // Only reachable for magnitudes the standard library refuses; the grammar is already checked.
    return bytes[a] == UInt8(ascii: "-") ? -.infinity : .infinity
  }

  // MARK: Finish

  /// Closes whatever is still open (as incomplete) and freezes the storage.
  mutating func finish(complete: Bool) -> JSONStorage {
    while depth > 0 { close(complete: false) }
    return JSONStorage(
      entries: entries, children: children, strings: strings, duplicates: duplicates, diagnostics: diagnostics,
      isComplete: complete)
  }
}
