/// A stretch of model-card text with the file position of every Unicode scalar.
///
/// `lower` mirrors `scalars` one to one: ASCII letters lowercased, every non-ASCII scalar as
/// `0x80` (never a word character), and text the extractor must not read (inline code, link
/// targets, HTML tags and comments) blanked to spaces. Pattern matching runs on `lower`; the
/// claim text shown to people is rebuilt from `scalars`.
struct CardText {
  var scalars: [Unicode.Scalar] = []
  var lower: [UInt8] = []
  /// Hidden from the display text too (link targets, tags), not only from matching.
  var hidden: [Bool] = []
  /// 1-based line of each scalar.
  var lines: [Int] = []
  /// 1-based column of each scalar, counted in Unicode scalars.
  var columns: [Int] = []

  var count: Int { scalars.count }

  /// One line of the card; `column` of the first scalar is 1.
  init<S: Sequence>(line: S, lineNumber: Int) where S.Element == Unicode.Scalar {
    reserve(line.underestimatedCount)
    var column = 1
    for scalar in line {
      append(scalar, line: lineNumber, column: column)
      column += 1
    }
  }

  init() {}

  mutating func reserve(_ n: Int) {
    scalars.reserveCapacity(n)
    lower.reserveCapacity(n)
    hidden.reserveCapacity(n)
    lines.reserveCapacity(n)
    columns.reserveCapacity(n)
  }

  mutating func append(_ scalar: Unicode.Scalar, line: Int, column: Int) {
    scalars.append(scalar)
    lower.append(CardText.fold(scalar))
    hidden.append(false)
    lines.append(line)
    columns.append(column)
  }

  /// Appends scalar `index` of `other`, keeping its position.
  mutating func append(from other: CardText, at index: Int) {
    scalars.append(other.scalars[index])
    lower.append(other.lower[index])
    hidden.append(other.hidden[index])
    lines.append(other.lines[index])
    columns.append(other.columns[index])
  }

  /// A copy of `range`, keeping positions.
  func slice(_ range: Range<Int>) -> CardText {
    var copy = CardText()
    copy.reserve(range.count)
    for i in range { copy.append(from: self, at: i) }
    return copy
  }

  static func fold(_ scalar: Unicode.Scalar) -> UInt8 {
    let v = scalar.value
    if v >= 0x41 && v <= 0x5A { return UInt8(v + 0x20) }
    if v < 0x80 { return UInt8(v) }
    return 0x80
  }

  static func isWordByte(_ b: UInt8) -> Bool {
    (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || b == 0x5F
  }

  static func isSpaceByte(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 }

  static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

  static func isLetter(_ b: UInt8) -> Bool { b >= 0x61 && b <= 0x7A }

  /// Blanks `range` for matching; `hide` also drops it from the display text.
  mutating func blank(_ range: Range<Int>, hide: Bool) {
    for i in range {
      lower[i] = 0x20
      if hide { hidden[i] = true }
    }
  }

  // MARK: - Markup that must not be read

  /// Blanks inline code spans, Markdown link targets and HTML tags.
  ///
  /// Inline code holds commands and identifiers (`--max-model-len 131072`,
  /// `max_new_tokens=512`), not prose claims; link targets are URLs; tags carry attributes.
  mutating func blankMarkup() {
    blankCodeSpans()
    blankLinkTargets()
    blankTags()
  }

  /// CommonMark code spans: a run of N backticks closed by the next run of exactly N.
  private mutating func blankCodeSpans() {
    var i = 0
    let n = count
    while i < n {
      guard lower[i] == 0x60 else {
        i += 1
        continue
      }
      var runEnd = i
      while runEnd < n && lower[runEnd] == 0x60 { runEnd += 1 }
      let width = runEnd - i
      var j = runEnd
      var closed: Int? = nil
      while j < n {
        if lower[j] == 0x60 {
          var k = j
          while k < n && lower[k] == 0x60 { k += 1 }
          if k - j == width {
            closed = k
            break
          }
          j = k
        } else {
          j += 1
        }
      }
      guard let end = closed else {
        i = runEnd
        continue
      }
      // The backticks themselves go from the display; the code text stays visible.
      blank(i..<runEnd, hide: true)
      blank(runEnd..<(end - width), hide: false)
      blank((end - width)..<end, hide: true)
      i = end
    }
  }

  /// `](target)` after a link or image label, with balanced parentheses inside the target.
  private mutating func blankLinkTargets() {
    var i = 0
    let n = count
    while i + 1 < n {
      guard lower[i] == 0x5D, lower[i + 1] == 0x28 else {
        i += 1
        continue
      }
      var depth = 0
      var j = i + 1
      var end: Int? = nil
      while j < n {
        if lower[j] == 0x28 { depth += 1 }
        if lower[j] == 0x29 {
          depth -= 1
          if depth == 0 {
            end = j + 1
            break
          }
        }
        j += 1
      }
      guard let stop = end else { return }
      blank((i + 1)..<stop, hide: true)
      i = stop
    }
  }

  /// `<tag ...>`, `</tag>`, `<!...>` and autolinks `<https://...>` on one line.
  private mutating func blankTags() {
    var i = 0
    let n = count
    while i + 1 < n {
      let next = lower[i + 1]
      guard lower[i] == 0x3C, CardText.isLetter(next) || next == 0x2F || next == 0x21 else {
        i += 1
        continue
      }
      var j = i + 1
      while j < n && lower[j] != 0x3E && lower[j] != 0x3C { j += 1 }
      guard j < n, lower[j] == 0x3E else {
        i += 1
        continue
      }
      blank(i..<(j + 1), hide: true)
      i = j + 1
    }
  }

  /// Ranges between paired double quotes (`"..."` or `“...”`); an unpaired quote opens nothing.
  func quotedRanges() -> [Range<Int>] {
    var ranges: [Range<Int>] = []
    var open: Int? = nil
    var curlyOpen: Int? = nil
    for i in 0..<count {
      if lower[i] == 0x22 {
        if let start = open {
          ranges.append(start..<(i + 1))
          open = nil
        } else {
          open = i
        }
      } else if lower[i] == 0x80 {
        if scalars[i] == "\u{201C}" {
          curlyOpen = i
        } else if scalars[i] == "\u{201D}", let start = curlyOpen {
          ranges.append(start..<(i + 1))
          curlyOpen = nil
        }
      }
    }
    return ranges
  }

  // MARK: - Words

  /// Start of the last `n` words of `range` (words are runs of `[a-z0-9_]`).
  func tailStart(of range: Range<Int>, words n: Int) -> Int {
    lower.withUnsafeBufferPointer { lower in
      var i = range.upperBound
      var seen = 0
      while i > range.lowerBound && seen < n {
        while i > range.lowerBound && !CardText.isWordByte(lower[i - 1]) { i -= 1 }
        if i == range.lowerBound { break }
        while i > range.lowerBound && CardText.isWordByte(lower[i - 1]) { i -= 1 }
        seen += 1
      }
      return i
    }
  }

  /// End of the first `n` words of `range`.
  func headEnd(of range: Range<Int>, words n: Int) -> Int {
    lower.withUnsafeBufferPointer { lower in
      var i = range.lowerBound
      var seen = 0
      while i < range.upperBound && seen < n {
        while i < range.upperBound && !CardText.isWordByte(lower[i]) { i += 1 }
        if i == range.upperBound { break }
        while i < range.upperBound && CardText.isWordByte(lower[i]) { i += 1 }
        seen += 1
      }
      return i
    }
  }

  /// The first word in `range` at or after `start`, and where it ends.
  func word(in range: Range<Int>, from start: Int) -> (text: ArraySlice<UInt8>, end: Int)? {
    let bounds: (Int, Int)? = lower.withUnsafeBufferPointer { lower in
      var i = start
      while i < range.upperBound && !CardText.isWordByte(lower[i]) { i += 1 }
      guard i < range.upperBound else { return nil }
      var j = i
      while j < range.upperBound && CardText.isWordByte(lower[j]) { j += 1 }
      return (i, j)
    }
    guard let (i, j) = bounds else { return nil }
    return (lower[i..<j], j)
  }

  /// Whether `range` holds one of `keywords` on word boundaries (the match lies wholly inside).
  func contains(_ keywords: [Keyword], in range: Range<Int>) -> Bool {
    keywords.contains { find($0, in: range) != nil }
  }

  /// The first match of `keyword` in `range`.
  func find(_ keyword: Keyword, in range: Range<Int>) -> Int? {
    let k = keyword.bytes
    guard let first = k.first, range.count >= k.count else { return nil }
    let last = range.upperBound - k.count
    let checkLeft = CardText.isWordByte(first)
    let checkRight = !keyword.prefix && k.last.map(CardText.isWordByte) == true
    // A raw buffer keeps this hot loop cheap in debug builds.
    return lower.withUnsafeBufferPointer { buffer in
      var i = range.lowerBound
      while i <= last {
        if buffer[i] == first {
          var j = 1
          while j < k.count && buffer[i + j] == k[j] { j += 1 }
          let end = i + k.count
          if j == k.count && (!checkLeft || i == 0 || !CardText.isWordByte(buffer[i - 1]))
            && (!checkRight || end >= buffer.count || !CardText.isWordByte(buffer[end]))
          {
            return i
          }
        }
        i += 1
      }
      return nil
    }
  }

  /// Whether `range`, ignoring spaces, is empty.
  func isBlank(_ range: Range<Int>) -> Bool {
    range.allSatisfy { CardText.isSpaceByte(lower[$0]) }
  }

  /// The range without leading and trailing spaces.
  func trimmed(_ range: Range<Int>) -> Range<Int> {
    var a = range.lowerBound
    var b = range.upperBound
    while a < b && CardText.isSpaceByte(lower[a]) { a += 1 }
    while b > a && CardText.isSpaceByte(lower[b - 1]) { b -= 1 }
    return a..<b
  }

  // MARK: - Display

  /// The text of `range` for people: Markdown emphasis, brackets, backticks, link targets and
  /// tags removed, whitespace collapsed, list and quote markers and a final period dropped,
  /// and cut at `limit` scalars.
  func display(_ range: Range<Int>, limit: Int = 240) -> String {
    var out = String.UnicodeScalarView()
    var pendingSpace = false
    for i in range where !hidden[i] {
      let s = scalars[i]
      if s == "*" || s == "[" || s == "]" || s == "`" { continue }
      if s == "_", i + 1 < count, scalars[i + 1] == "_" { continue }
      if s == "_", i > 0, scalars[i - 1] == "_" { continue }
      if s == " " || s == "\t" {
        pendingSpace = !out.isEmpty
        continue
      }
      if pendingSpace {
        out.append(" ")
        pendingSpace = false
      }
      out.append(s)
    }
    var text = String(out)
    // Block markers at the start: list bullets, ordered-list numbers, headings, quotes.
    while let first = text.first, first == "-" || first == "+" || first == "#" || first == ">" {
      text.removeFirst()
      text = String(text.drop(while: { $0 == " " }))
    }
    if let dot = text.firstIndex(of: "."), text[..<dot].allSatisfy(\.isNumber), !text[..<dot].isEmpty,
      text[text.index(after: dot)...].first == " "
    {
      text = String(text[text.index(after: dot)...].drop(while: { $0 == " " }))
    }
    while let last = text.last, last == "." || last == ":" || last == ";" || last == "," {
      text.removeLast()
    }
    if text.unicodeScalars.count > limit {
      text = String(String.UnicodeScalarView(text.unicodeScalars.prefix(limit - 1))) + "\u{2026}"
    }
    return text
  }
}

/// A word or phrase matched on word boundaries against `CardText.lower`.
///
/// Written lowercase; a trailing `*` makes it a prefix (`generat*` matches `generation`
/// and `generating`).
struct Keyword: ExpressibleByStringLiteral {
  let bytes: [UInt8]
  let prefix: Bool

  init(stringLiteral value: String) {
    if value.hasSuffix("*") {
      bytes = Array(value.dropLast().utf8)
      prefix = true
    } else {
      bytes = Array(value.utf8)
      prefix = false
    }
  }
}
