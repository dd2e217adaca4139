/// Reads context-window claims from the prose of a Hugging Face model card.
///
/// The card's Markdown is read line by line (manifests-and-layouts.md §1.3). Fenced code
/// blocks (```` ``` ```` and `~~~`, also indented or inside block quotes) and HTML comments are
/// skipped, since they hold commands, configs and JSON rather than claims; inline code, link
/// targets and HTML tags are blanked. Markdown and HTML tables are read by column: a column
/// headed `Context`, `Context length`, `Context window` (and a few variants) gives one claim
/// per row, labelled with the row's name. Everything else is read sentence by sentence by the
/// rules in `ContextClaimExtractor+Clauses.swift`.
///
/// A sentence is read within one line: a paragraph hard-wrapped across lines is read per line.
/// Lines longer than `Limits.maxLineBytes` are skipped, and at most `Limits.maxClaims` claims
/// and budgets are kept per card; past that the fact `card.claims_truncated` says where
/// reading stopped.
///
/// Facts (docs/facts.md):
/// - `card.claim`: `{text, tokens, tokens_decimal?, role, method?, label?}` at the line and
///   column of the number.
/// - `card.generation_budget`: `{text, tokens, tokens_decimal?}`, an output budget such as
///   "generation 8192 tokens".
/// - `card.claims_truncated`: the cap, at the first number past it.
public struct ContextClaimExtractor: Sendable {
  /// Most claims and budgets kept per card.
  public static let maxClaims = 64
  /// Longest line read, in bytes; longer lines are skipped.
  public static let maxLineBytes = 16_384
  /// Most lines one table may span.
  public static let maxTableLines = 4_096

  /// Bounds on the work done for one card.
  public struct Limits: Hashable, Sendable {
    /// Claims and budgets kept; the next one is replaced by `card.claims_truncated` and reading stops.
    public var maxClaims: Int
    /// Lines longer than this many bytes are not read.
    public var maxLineBytes: Int
    /// An HTML table not closed within this many lines ends there; a Markdown table too.
    public var maxTableLines: Int

    public init(
      maxClaims: Int = ContextClaimExtractor.maxClaims, maxLineBytes: Int = ContextClaimExtractor.maxLineBytes,
      maxTableLines: Int = ContextClaimExtractor.maxTableLines
    ) {
      self.maxClaims = maxClaims
      self.maxLineBytes = maxLineBytes
      self.maxTableLines = maxTableLines
    }

    public static let `default` = Limits()
  }

  public var limits: Limits

  public init(limits: Limits = .default) {
    self.limits = limits
  }

  /// Extracts claims and budgets from card text.
  ///
  /// - Parameters:
  ///   - bytes: the whole card (UTF-8; a byte-order mark is skipped; CRLF and LF both end lines).
  ///   - path: the artifact path facts are located in.
  ///   - fromLine: the 1-based line where prose starts (after the front matter).
  /// - Returns: facts in file order.
  public func facts(in bytes: [UInt8], path: ArtifactPath, fromLine: Int = 1) -> [Fact] {
    facts(in: bytes, lines: ContextClaimExtractor.lineRanges(bytes), path: path, fromIndex: max(0, fromLine - 1))
  }

  /// The byte range of every line, without its `\n` or `\r\n`, and without a leading BOM.
  static func lineRanges(_ bytes: [UInt8]) -> [Range<Int>] {
    var ranges: [Range<Int>] = []
    var start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
    var i = start
    while i < bytes.count {
      if bytes[i] == 0x0A {
        let end = i > start && bytes[i - 1] == 0x0D ? i - 1 : i
        ranges.append(start..<end)
        start = i + 1
      }
      i += 1
    }
    if start < bytes.count {
      let end = bytes[bytes.count - 1] == 0x0D ? bytes.count - 1 : bytes.count
      ranges.append(start..<max(start, end))
    }
    return ranges
  }

  /// Walks the lines from index `fromIndex`, skipping code and comments and routing tables.
  func facts(in bytes: [UInt8], lines: [Range<Int>], path: ArtifactPath, fromIndex: Int) -> [Fact] {
    var out = Collector(path: path, cap: limits.maxClaims)
    var fence: Fence? = nil
    var inComment = false
    var i = fromIndex
    while i < lines.count && !out.full {
      let raw = bytes[lines[i]]
      let lineNumber = i + 1
      if raw.count > limits.maxLineBytes {
        i += 1
        continue
      }
      let shape = LineShape(raw)
      if let open = fence {
        if shape.lead == open.marker && open.isClosed(by: raw) { fence = nil }
        i += 1
        continue
      }
      let startsInComment = inComment
      if startsInComment || shape.hasAngle {
        inComment = ContextClaimExtractor.commentSpans(in: raw, startsInComment: startsInComment).endsInComment
      }
      if !startsInComment {
        if shape.lead == 0x60 || shape.lead == 0x7E, let opened = Fence(opening: raw) {
          fence = opened
          i += 1
          continue
        }
        if shape.hasAngle && ContextClaimExtractor.containsFolded(raw, "<table") {
          var end = i
          while end < lines.count, end - i < limits.maxTableLines,
            !ContextClaimExtractor.containsFolded(bytes[lines[end]], "</table")
          {
            end += 1
          }
          let last = min(end, lines.count - 1)
          readHTMLTable(bytes: bytes, lines: lines, range: i..<(last + 1), into: &out)
          i = last + 1
          continue
        }
        if shape.hasPipe, i + 1 < lines.count, ContextClaimExtractor.isDelimiterRow(bytes[lines[i + 1]]) {
          var end = i + 2
          while end < lines.count, end - i < limits.maxTableLines, bytes[lines[end]].count <= limits.maxLineBytes,
            LineShape(bytes[lines[end]]).hasPipe
          {
            end += 1
          }
          readMarkdownTable(bytes: bytes, lines: lines, header: i, rows: (i + 2)..<end, into: &out)
          i = end
          continue
        }
      }
      if shape.hasDigit && ContextClaimExtractor.mayHoldClaim(raw) {
        readProse(raw, lineNumber: lineNumber, startsInComment: startsInComment, into: &out)
      }
      i += 1
    }
    return out.facts
  }

  // MARK: - Prose

  private func readProse(_ raw: ArraySlice<UInt8>, lineNumber: Int, startsInComment: Bool, into out: inout Collector) {
    let line = String(decoding: raw, as: UTF8.self)
    var text = CardText(line: line.unicodeScalars, lineNumber: lineNumber)
    for span in ContextClaimExtractor.commentSpans(in: text.lower, startsInComment: startsInComment).spans {
      text.blank(span, hide: true)
    }
    text.blankMarkup()
    if text.contains(ContextClaimExtractor.errorEchoWords, in: 0..<text.count) { return }
    let quoted = text.quotedRanges()
    for sentence in ContextClaimExtractor.sentences(in: text, range: 0..<text.count) {
      let readings = ContextClaimExtractor.read(text, sentence: sentence, quoted: quoted, cell: false)
      guard !readings.isEmpty else { continue }
      let shown = text.display(sentence)
      for (number, reading) in readings {
        out.add(number, reading, in: text, text: shown, label: nil)
      }
    }
  }

  // MARK: - Line tests on raw bytes

  /// Roots of every word the clause rules can use to accept a number; a line with a digit
  /// but none of these cannot yield a claim or a budget, so it is not decoded at all.
  static let prefilterRoots: [[UInt8]] = [
    "token", "context", "ctx", "window", "length", "native", "yarn", "rope", "ntk", "interpol", "abf",
    "frequency", "scaling",
  ].map { Array($0.utf8) }

  /// The first two bytes of every root, as `first << 8 | second`, so the scan tests one table
  /// entry per byte and compares whole roots only where one may start.
  private static let prefilterBigrams: [Bool] = {
    var table = [Bool](repeating: false, count: 1 << 16)
    for root in prefilterRoots where root.count >= 2 { table[Int(root[0]) << 8 | Int(root[1])] = true }
    return table
  }()

  static func mayHoldClaim(_ raw: ArraySlice<UInt8>) -> Bool {
    // Statics are read once: each access to a lazy global costs a check, which adds up in
    // debug builds over a megabyte.
    let roots = prefilterRoots
    let bigrams = prefilterBigrams
    return bigrams.withUnsafeBufferPointer { table in
      raw.withUnsafeBufferPointer { buffer in
        let n = buffer.count
        var i = 0
        var previous: UInt8 = 0
        while i < n {
          var b = buffer[i]
          if b >= 0x41 && b <= 0x5A { b += 0x20 }
          i += 1
          let pair = Int(previous) << 8 | Int(b)
          previous = b
          guard table[pair] else { continue }
          let start = i - 2
          for root in roots where start + root.count <= n {
            var j = 0
            while j < root.count {
              var c = buffer[start + j]
              if c >= 0x41 && c <= 0x5A { c += 0x20 }
              if c != root[j] { break }
              j += 1
            }
            if j == root.count { return true }
          }
        }
        return false
      }
    }
  }

  static func containsFolded(_ raw: ArraySlice<UInt8>, _ needle: String) -> Bool {
    guard raw.contains(0x3C) else { return false }
    let folded = raw.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }
    return contains(folded[...], Array(needle.utf8))
  }

  static func contains(_ haystack: ArraySlice<UInt8>, _ needle: [UInt8]) -> Bool {
    indexOf(needle, in: haystack, from: haystack.startIndex) != nil
  }

  static func indexOf<C: RandomAccessCollection>(_ needle: [UInt8], in haystack: C, from: Int) -> Int?
  where C.Element == UInt8, C.Index == Int {
    guard let first = needle.first, haystack.count >= needle.count else { return nil }
    var i = from
    let last = haystack.endIndex - needle.count
    while i <= last {
      if haystack[i] == first {
        var j = 1
        while j < needle.count && haystack[i + j] == needle[j] { j += 1 }
        if j == needle.count { return i }
      }
      i += 1
    }
    return nil
  }

  /// The parts of a line inside `<!-- ... -->`, and whether a comment is still open at its end.
  static func commentSpans<C: RandomAccessCollection>(
    in bytes: C, startsInComment: Bool
  ) -> (spans: [Range<Int>], endsInComment: Bool) where C.Element == UInt8, C.Index == Int {
    let open: [UInt8] = Array("<!--".utf8)
    let close: [UInt8] = Array("-->".utf8)
    var spans: [Range<Int>] = []
    var inside = startsInComment
    var start = bytes.startIndex
    var i = bytes.startIndex
    while i < bytes.endIndex {
      if inside {
        guard let end = indexOf(close, in: bytes, from: i) else {
          spans.append(start..<bytes.endIndex)
          return (spans, true)
        }
        spans.append(start..<(end + close.count))
        inside = false
        i = end + close.count
      } else {
        guard let at = indexOf(open, in: bytes, from: i) else { break }
        inside = true
        start = at
        i = at + open.count
      }
    }
    if inside {
      spans.append(start..<bytes.endIndex)
      return (spans, true)
    }
    return (spans, false)
  }

  /// A GFM table delimiter row: cells of `-` with optional `:` at either end.
  static func isDelimiterRow(_ raw: ArraySlice<UInt8>) -> Bool {
    var dashes = 0
    var pipes = 0
    for b in raw {
      switch b {
      case 0x2D: dashes += 1
      case 0x7C: pipes += 1
      case 0x3A, 0x20, 0x09: continue
      default: return false
      }
    }
    return dashes > 0 && pipes > 0
  }
}

/// What the walker needs to know about a line, from one pass over its bytes.
struct LineShape {
  var hasDigit = false
  var hasAngle = false
  var hasPipe = false
  /// The first byte after indentation and `>` quote markers, or 0.
  var lead: UInt8 = 0

  init(_ raw: ArraySlice<UInt8>) {
    var digit = false
    var angle = false
    var pipe = false
    var lead: UInt8 = 0
    raw.withUnsafeBufferPointer { buffer in
      var i = 0
      let n = buffer.count
      while i < n && (buffer[i] == 0x20 || buffer[i] == 0x09 || buffer[i] == 0x3E) { i += 1 }
      if i < n { lead = buffer[i] }
      i = 0
      while i < n {
        let b = buffer[i]
        if b >= 0x30 && b <= 0x39 {
          digit = true
        } else if b == 0x3C {
          angle = true
        } else if b == 0x7C {
          pipe = true
        }
        i += 1
      }
    }
    hasDigit = digit
    hasAngle = angle
    hasPipe = pipe
    self.lead = lead
  }
}

/// An open fenced code block.
struct Fence {
  var marker: UInt8
  var width: Int

  /// A fence opener: three or more backticks or tildes after indentation and `>` quote markers.
  init?(opening raw: ArraySlice<UInt8>) {
    let body = Fence.strip(raw)
    guard let first = body.first, first == 0x60 || first == 0x7E else { return nil }
    let run = body.prefix(while: { $0 == first }).count
    guard run >= 3 else { return nil }
    // A backtick fence's info string cannot hold a backtick (`` ```code``` `` is inline code).
    if first == 0x60 && body.dropFirst(run).contains(0x60) { return nil }
    marker = first
    width = run
  }

  func isClosed(by raw: ArraySlice<UInt8>) -> Bool {
    let body = Fence.strip(raw)
    let run = body.prefix(while: { $0 == marker }).count
    guard run >= width else { return false }
    return body.dropFirst(run).allSatisfy { $0 == 0x20 || $0 == 0x09 }
  }

  private static func strip(_ raw: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
    var body = raw
    while let b = body.first, b == 0x20 || b == 0x09 || b == 0x3E { body = body.dropFirst() }
    return body
  }
}

/// Gathers facts up to the cap.
struct Collector {
  let path: ArtifactPath
  let cap: Int
  var facts: [Fact] = []
  var kept = 0
  var full = false

  init(path: ArtifactPath, cap: Int) {
    self.path = path
    self.cap = cap
  }

  mutating func add(
    _ number: ContextClaimExtractor.TokenNumber, _ reading: ContextClaimExtractor.Reading, in text: CardText,
    text shown: String, label: String?
  ) {
    guard !full else { return }
    let location = SourceLocation(path: path, line: text.lines[number.start], column: text.columns[number.start])
    guard kept < cap else {
      facts.append(Fact(key: "card.claims_truncated", value: .int(Int64(cap)), location: location))
      full = true
      return
    }
    var value: [String: FactValue] = ["text": .string(shown), "tokens": .int(number.tokens)]
    if let decimal = number.tokensDecimal { value["tokens_decimal"] = .int(decimal) }
    let key: String
    switch reading {
    case .budget:
      key = "card.generation_budget"
    case .claim(let role, let method):
      key = "card.claim"
      value["role"] = .string(role.rawValue)
      if let method { value["method"] = .string(method) }
      if let label, !label.isEmpty { value["label"] = .string(label) }
    }
    facts.append(Fact(key: key, value: .object(value), location: location))
    kept += 1
  }
}
