extension ContextClaimExtractor {
  /// A token count written in card text: `131,072`, `131072`, `128K`, `128k`, `1m`, `1.5M`.
  struct TokenNumber {
    /// Where the number's first digit sits in the `CardText`.
    var start: Int
    /// One past the last scalar of the number and its unit.
    var end: Int
    /// K read as 1024 and M as 1024² (`128K` is 131072).
    var tokens: Int64
    /// The 1000-based reading, when the text used K or M (`128K` is 128000).
    var tokensDecimal: Int64?
    /// Written with thousands separators (`131,072`).
    var grouped: Bool
    /// Written plainly in 1900–2100, so possibly a year; 2048, a common window, is not.
    var yearLike: Bool

    var hasUnit: Bool { tokensDecimal != nil }
  }

  /// Smallest and largest token counts read as a context window.
  ///
  /// 512 is BERT's window; below it numbers are layer counts, head counts and the like.
  /// 10⁹ tokens is far past any published window, so larger numbers are data-set sizes.
  static let tokenRange: ClosedRange<Int64> = 512...1_000_000_000

  /// Every number in `range` that could be a token count.
  ///
  /// Rejected on sight: numbers glued to letters or identifiers (`7B`, `8x7B`,
  /// `Mini-128K-Instruct`, `b3472`, `v0.1`, `2309.00071`), version-like dotted numbers
  /// (`4.41.3`), percentages, fractional numbers without a unit (`3.8`), and values outside
  /// `tokenRange`. Plain numbers in 1900–2100 are marked `yearLike`; the clause rules keep
  /// them only before `tokens`. A number right after `-` is
  /// kept only as the second half of a range (`32K-128K`).
  static func numbers(in text: CardText, range: Range<Int>) -> [TokenNumber] {
    var found: [TokenNumber] = []
    let lower = text.lower
    var i = range.lowerBound
    var lastEnd = -1
    while i < range.upperBound {
      guard CardText.isDigit(lower[i]) else {
        i += 1
        continue
      }
      let prev: UInt8 = i > range.lowerBound ? lower[i - 1] : 0x20
      let rangeSecondHalf = (prev == 0x2D || prev == 0x7E) && lastEnd == i - 1
      let glued =
        CardText.isWordByte(prev) || prev == 0x2E || prev == 0x2F || prev == 0x5C || prev == 0x23
        || prev == 0x2D || prev == 0x2B || prev == 0x24 || prev == 0x5E
      if glued && !rangeSecondHalf {
        i = skipWord(lower, from: i, to: range.upperBound)
        continue
      }
      if let number = readNumber(text, at: i, limit: range.upperBound) {
        found.append(number)
        lastEnd = number.end
        i = number.end
      } else {
        i = skipWord(lower, from: i, to: range.upperBound)
      }
    }
    return found
  }

  private static func skipWord(_ lower: [UInt8], from i: Int, to end: Int) -> Int {
    var j = i
    while j < end && (CardText.isWordByte(lower[j]) || lower[j] == 0x2E || lower[j] == 0x2C) { j += 1 }
    return max(j, i + 1)
  }

  /// Reads one number starting at a digit, or `nil` when what follows makes it something else.
  private static func readNumber(_ text: CardText, at start: Int, limit: Int) -> TokenNumber? {
    let lower = text.lower
    var i = start
    var digits: [UInt8] = []
    while i < limit && CardText.isDigit(lower[i]) {
      digits.append(lower[i])
      i += 1
    }
    // Thousands groups: `131,072`, `1,048,576` (only when the first group has 1-3 digits).
    var grouped = false
    if digits.count <= 3 {
      while i + 3 < limit, lower[i] == 0x2C,
        CardText.isDigit(lower[i + 1]), CardText.isDigit(lower[i + 2]), CardText.isDigit(lower[i + 3]),
        i + 4 >= limit || !CardText.isDigit(lower[i + 4])
      {
        digits.append(contentsOf: lower[(i + 1)...(i + 3)])
        i += 4
        grouped = true
      }
    }
    var fraction: [UInt8] = []
    if !grouped, i + 1 < limit, lower[i] == 0x2E, CardText.isDigit(lower[i + 1]) {
      var j = i + 1
      while j < limit && CardText.isDigit(lower[j]) {
        fraction.append(lower[j])
        j += 1
      }
      i = j
    }
    var multiplier: (binary: Int64, decimal: Int64)? = nil
    if !grouped, i < limit, lower[i] == 0x6B || lower[i] == 0x6D {
      let afterUnit: UInt8 = i + 1 < limit ? lower[i + 1] : 0x20
      if !CardText.isWordByte(afterUnit) {
        multiplier = lower[i] == 0x6B ? (1024, 1000) : (1_048_576, 1_000_000)
        i += 1
      }
    }
    guard boundaryAfter(text, at: i, limit: limit) else { return nil }
    guard digits.count <= 12, let whole = Int64(String(decoding: digits, as: UTF8.self)) else { return nil }
    if let (binary, decimal) = multiplier {
      let value = Double(String(decoding: digits + (fraction.isEmpty ? [] : [0x2E] + fraction), as: UTF8.self)) ?? 0
      let tokens = Int64((value * Double(binary)).rounded())
      let tokensDecimal = Int64((value * Double(decimal)).rounded())
      guard tokenRange.contains(tokens) else { return nil }
      return TokenNumber(
        start: start, end: i, tokens: tokens, tokensDecimal: tokensDecimal, grouped: false, yearLike: false)
    }
    guard fraction.isEmpty, tokenRange.contains(whole) else { return nil }
    let yearLike = !grouped && (1900...2100).contains(whole) && whole != 2048
    return TokenNumber(start: start, end: i, tokens: whole, tokensDecimal: nil, grouped: grouped, yearLike: yearLike)
  }

  /// What may follow a token count: a space, punctuation, `-token`, or `-` and a digit (a range).
  private static func boundaryAfter(_ text: CardText, at i: Int, limit: Int) -> Bool {
    guard i < limit else { return true }
    let b = text.lower[i]
    if CardText.isWordByte(b) || b == 0x25 || b == 0x5E { return false }
    if b == 0x2E || b == 0x2C {
      // `4.41.3`, `1,2`: a dot or comma glued to another digit is not a sentence mark.
      return !(i + 1 < limit && CardText.isDigit(text.lower[i + 1]))
    }
    if b == 0x2D || b == 0x7E {
      guard i + 1 < limit else { return true }
      let next = text.lower[i + 1]
      if CardText.isDigit(next) { return true }
      if CardText.isLetter(next) {
        return text.find("token*", in: (i + 1)..<limit) == i + 1
      }
      return true
    }
    if b == 0x80 {
      // `×` in `8×7B` and similar multiplication signs.
      return text.scalars[i] != "\u{00D7}"
    }
    return true
  }
}
