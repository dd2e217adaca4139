/// How the extractor reads the numbers of one sentence (manifests-and-layouts.md §1.3).
///
/// The rules, in order, for each number that could be a token count:
///
/// 1. Context is split at each number. The words between two numbers are cut at the first
///    conjunction or bracket (`and`, `or`, `to`, `vs`, `,`, `(`, ...): what comes before the cut
///    qualifies the earlier number (`32,768 natively`, `131,072 tokens with YaRN`), what
///    comes after qualifies the later one (`and generation 8192`, `(vs 8k`).
/// 2. `from X to Y` and `X-Y` give a native `X` and an extended `Y`.
/// 3. Skipped outright: numbers in double quotes (quoted error strings such as vLLM's
///    "This model's maximum context length is 4096 tokens"), lines that echo such an error
///    unquoted (`However, you requested 5000 tokens`), sentences that are conditions or
///    examples (`If the average context length does not exceed 32,768 tokens`, `For example,
///    ...`), earlier versions (`vs 8k`), a runtime's cap (`vLLM is capped at 32k`),
///    sliding-window sizes, RoPE parameters (`theta = 1M`), assignments
///    (`EVAL_MAX_CONTEXT_LENGTH=1040200`), training-data sizes (`trained on 830M tokens`), and
///    counts of other things (`2048 GPUs`, `1500 steps`).
/// 4. A number must look like a token count: followed by `tokens`, next to a context word, or
///    written with K/M or thousands separators in a sentence about context.
/// 5. `generation 8192 tokens`, `can generate up to 8K tokens`, `output length of 32,768
///    tokens` are output budgets, not windows.
/// 6. A claim needs a context word (`context`, `ctx`, `sequence length`) or a scaling method in
///    its sentence. Its role: `native` for `natively`, `trained with`, `pre-trained`,
///    `original`, and for `exceeding X` when the sentence names the method used past `X`;
///    `extended` when a method (`with YaRN`, `through yarn settings`) or an extension word
///    (`extends`, `extension`) qualifies it; `window` otherwise.
extension ContextClaimExtractor {
  /// What a claim says about the window it names.
  enum Role: String {
    case native, extended, window
  }

  /// What one number turned out to be.
  enum Reading {
    case claim(Role, method: String?)
    case budget
  }

  // MARK: - Vocabulary

  static let contextWords: [Keyword] = ["context*", "ctx", "sequence length*"]
  static let nearWords: [Keyword] = ["context*", "ctx", "window*", "length*", "natively", "native"]
  static let tokenWords: [Keyword] = ["token*"]
  static let budgetWords: [Keyword] = ["generat*", "output*", "completion*", "max_new_tokens", "max_tokens"]
  static let previousWords: [Keyword] = [
    "vs", "vs.", "versus", "compared to", "compared with", "instead of", "previous*", "up from",
  ]
  static let slidingWords: [Keyword] = ["sliding*", "swa"]
  /// A runtime's limit, not the model's: "vLLM is capped at 32k context size".
  static let runtimeCapWords: [Keyword] = ["capped*"]
  static let ropeParameterWords: [Keyword] = [
    "theta", "base", "freq*", "frequency", "factor", "scale", "rope_theta", "rope_freq_base",
  ]
  static let trainingDataWords: [Keyword] = [
    "trained on", "pretrained on", "pre-trained on", "tuned on", "training on",
  ]
  static let thresholdWords: [Keyword] = ["exceed*", "beyond", "longer than", "more than", "above"]
  static let nativeWords: [Keyword] = [
    "natively", "native", "trained with", "trained at", "pre-trained", "pretrained", "pretraining",
    "pre-training", "original*",
  ]
  static let nativeAfterWords: [Keyword] = ["natively", "native"]
  static let extensionWords: [Keyword] = ["extend*", "extension*", "extrapolat*", "interpolat*", "stretch*", "scaled"]
  static let conditionWords: [Keyword] = ["if", "suppose", "assuming"]
  static let exampleWords: [Keyword] = ["for example", "for instance"]
  /// An echoed server error ("... maximum context length is 4096 tokens. However, you
  /// requested 5000 tokens"): the whole line is skipped.
  static let errorEchoWords: [Keyword] = ["you requested"]
  /// Counted things that are not tokens (`2048 GPUs`, `1500 steps`, `350M parameters`).
  static let otherUnits: Set<String> = [
    "gpu", "gpus", "parameter", "parameters", "param", "params", "step", "steps", "sample", "samples",
    "example", "examples", "epoch", "epochs", "layer", "layers", "head", "heads", "expert", "experts",
    "image", "images", "document", "documents", "docs", "word", "words", "character", "characters",
    "chars", "page", "pages", "hour", "hours", "day", "days", "minute", "minutes", "second", "seconds",
    "language", "languages", "dimension", "dimensions", "dims", "gb", "mb", "kb", "gib", "mib", "tb",
    "billion", "million", "trillion", "vocab", "vocabulary", "queries", "questions", "rows", "files",
    "lines", "bytes", "bits", "users", "downloads", "stars", "likes",
  ]
  static let tokenQualifiers: Set<String> = ["new", "output", "generated", "generation", "input", "prompt", "context"]
  /// Words that separate what qualifies one number from what qualifies the next.
  static let clauseBreaks: [Keyword] = [
    "and", "or", "to", "vs", "versus", "but", "while", "whereas", ",", ";", "(",
  ]
  /// Scaling methods by priority: the first one a clause names is its method.
  static let methods: [(name: String, words: [Keyword])] = [
    ("yarn", ["yarn"]),
    ("longrope", ["longrope", "long rope", "su scaling"]),
    ("dynamic", ["dynamic ntk", "dynamic-ntk", "dynamic scaling", "dynamic rope"]),
    ("ntk", ["ntk*"]),
    (
      "linear",
      ["position interpolation", "positional interpolation", "linear scaling", "linear interpolation", "linear rope"]
    ),
    ("abf", ["rope theta", "rope-theta", "rope_theta", "abf", "base frequency"]),
    ("rope-scaling", ["rope scaling", "rope-scaling", "rope_scaling"]),
  ]

  static func method(in text: CardText, range: Range<Int>) -> String? {
    methods.first { text.contains($0.words, in: range) }?.name
  }

  // MARK: - Sentences

  /// Splits `range` at `.`, `!`, `?` and `;` followed by a space or the end, except a `.`
  /// followed by a lowercase word (`e.g. transformers`).
  static func sentences(in text: CardText, range: Range<Int>) -> [Range<Int>] {
    var result: [Range<Int>] = []
    var start = range.lowerBound
    let lower = text.lower
    var i = range.lowerBound
    while i < range.upperBound {
      let b = lower[i]
      if b == 0x2E || b == 0x21 || b == 0x3F || b == 0x3B {
        let atEnd = i + 1 == range.upperBound
        if atEnd || CardText.isSpaceByte(lower[i + 1]) {
          var j = i + 1
          while j < range.upperBound && CardText.isSpaceByte(lower[j]) { j += 1 }
          let nextIsLowercaseWord =
            b == 0x2E && j < range.upperBound && ("a"..."z").contains(text.scalars[j])
          if !nextIsLowercaseWord {
            result.append(start..<(i + 1))
            start = i + 1
          }
        }
      }
      i += 1
    }
    if start < range.upperBound { result.append(start..<range.upperBound) }
    return result
  }

  // MARK: - Reading one sentence

  /// Reads every number of one sentence (or one table cell, when `cell` is true: the column
  /// header supplies the context word, so any number in it counts).
  static func read(
    _ text: CardText, sentence: Range<Int>, quoted: [Range<Int>], cell: Bool
  ) -> [(TokenNumber, Reading)] {
    let numbers = numbers(in: text, range: sentence)
    guard !numbers.isEmpty else { return [] }
    if !cell && isConditionOrExample(text, sentence: sentence) { return [] }
    let sentenceMethod = method(in: text, range: sentence)
    let aboutContext = cell || text.contains(contextWords, in: sentence) || sentenceMethod != nil

    // Before/after ranges per number, cut between neighbours at the first clause break.
    var before: [Range<Int>] = []
    var after: [Range<Int>] = []
    for (k, number) in numbers.enumerated() {
      if k == 0 {
        before.append(sentence.lowerBound..<number.start)
      } else {
        let gap = numbers[k - 1].end..<number.start
        let cut = firstBreak(text, in: gap)
        after.append(gap.lowerBound..<cut)
        before.append(cut..<gap.upperBound)
      }
    }
    if let last = numbers.last { after.append(last.end..<sentence.upperBound) }

    func isUsable(_ k: Int) -> Bool {
      usable(
        text, numbers[k], before: before[k], after: after[k], quoted: quoted, cell: cell, aboutContext: aboutContext)
    }
    var readings: [(TokenNumber, Reading)] = []
    var k = 0
    while k < numbers.count {
      let number = numbers[k]
      if k + 1 < numbers.count, aboutContext, isRange(text, numbers: numbers, before: before, at: k),
        isUsable(k), isUsable(k + 1)
      {
        readings.append((number, .claim(.native, method: nil)))
        readings.append((numbers[k + 1], .claim(.extended, method: sentenceMethod)))
        k += 2
        continue
      }
      if isUsable(k) {
        if isBudget(text, before: before[k], after: after[k]) {
          readings.append((number, .budget))
        } else if aboutContext {
          let reading = role(text, sentenceNamesMethod: sentenceMethod != nil, before: before[k], after: after[k])
          readings.append((number, reading))
        }
      }
      k += 1
    }
    return readings
  }

  /// `from X to Y`, `X-Y`, `X~Y`, `X–Y`.
  private static func isRange(_ text: CardText, numbers: [TokenNumber], before: [Range<Int>], at k: Int) -> Bool {
    let gap = text.trimmed(numbers[k].end..<numbers[k + 1].start)
    if gap.count == 1 {
      let b = text.lower[gap.lowerBound]
      let s = text.scalars[gap.lowerBound]
      if b == 0x2D || b == 0x7E || s == "\u{2013}" || s == "\u{2014}" { return true }
    }
    let previousWord = text.word(in: before[k], from: text.tailStart(of: before[k], words: 1))?.text
    let nextWord = text.word(in: before[k + 1], from: before[k + 1].lowerBound)?.text
    return previousWord.map { Array($0) == Array("from".utf8) } == true
      && nextWord.map { Array($0) == Array("to".utf8) } == true
  }

  /// The first clause break in `gap`, or its end.
  private static func firstBreak(_ text: CardText, in gap: Range<Int>) -> Int {
    var best = gap.upperBound
    for keyword in clauseBreaks {
      if let at = text.find(keyword, in: gap), at < best { best = at }
    }
    return best
  }

  private static func isConditionOrExample(_ text: CardText, sentence: Range<Int>) -> Bool {
    guard let first = text.word(in: sentence, from: sentence.lowerBound) else { return false }
    let firstStart = first.end - first.text.count
    let opening = firstStart..<min(sentence.upperBound, firstStart + 12)
    for keyword in conditionWords where Array(first.text) == keyword.bytes { return true }
    return exampleWords.contains { text.find($0, in: opening) == firstStart }
  }

  /// Whether the number is a token count worth reading at all (rules 3 and 4).
  private static func usable(
    _ text: CardText, _ number: TokenNumber, before: Range<Int>, after: Range<Int>, quoted: [Range<Int>],
    cell: Bool, aboutContext: Bool
  ) -> Bool {
    if quoted.contains(where: { $0.contains(number.start) }) { return false }
    let tail3 = text.tailStart(of: before, words: 3)..<before.upperBound
    let tail2 = text.tailStart(of: before, words: 2)..<before.upperBound
    if text.contains(previousWords, in: tail3) || text.contains(runtimeCapWords, in: tail3) { return false }
    if text.contains(slidingWords, in: text.tailStart(of: before, words: 4)..<before.upperBound) { return false }
    if text.contains(ropeParameterWords, in: tail2) { return false }
    if endsWith(text, trainingDataWords, range: before) { return false }
    let trimmedBefore = text.trimmed(before)
    if let last = trimmedBefore.last, text.lower[last] == 0x3D { return false }
    if let next = text.word(in: after, from: after.lowerBound),
      otherUnits.contains(String(decoding: next.text, as: UTF8.self)),
      text.isBlank(after.lowerBound..<(next.end - next.text.count))
    {
      return false
    }
    let tokenFollows = startsWithToken(text, after: after)
    if number.yearLike && !tokenFollows { return false }
    if cell || tokenFollows { return true }
    let tail6 = text.tailStart(of: before, words: 6)..<before.upperBound
    let head3 = after.lowerBound..<text.headEnd(of: after, words: 3)
    if text.contains(nearWords, in: tail6) || text.contains(nearWords, in: head3) { return true }
    return (number.hasUnit || number.grouped) && aboutContext
  }

  /// `tokens`, `token` or `-token` right after the number, or after one of `tokenQualifiers`
  /// (`4096 new tokens`).
  private static func startsWithToken(_ text: CardText, after: Range<Int>) -> Bool {
    func adjacent(_ word: (text: ArraySlice<UInt8>, end: Int), from start: Int) -> Bool {
      (start..<(word.end - word.text.count)).allSatisfy {
        CardText.isSpaceByte(text.lower[$0]) || text.lower[$0] == 0x2D
      }
    }
    guard var next = text.word(in: after, from: after.lowerBound), adjacent(next, from: after.lowerBound) else {
      return false
    }
    if tokenQualifiers.contains(String(decoding: next.text, as: UTF8.self)) {
      guard let following = text.word(in: after, from: next.end), adjacent(following, from: next.end) else {
        return false
      }
      next = following
    }
    let start = next.end - next.text.count
    return text.find("token*", in: start..<next.end) == start
  }

  /// Whether `range` ends with one of `keywords` (only non-word characters after it).
  private static func endsWith(_ text: CardText, _ keywords: [Keyword], range: Range<Int>) -> Bool {
    let tail = text.tailStart(of: range, words: 3)..<range.upperBound
    for keyword in keywords {
      guard let at = text.find(keyword, in: tail) else { continue }
      let rest = (at + keyword.bytes.count)..<range.upperBound
      if rest.allSatisfy({ !CardText.isWordByte(text.lower[$0]) }) { return true }
    }
    return false
  }

  /// Rule 5: an output budget.
  private static func isBudget(_ text: CardText, before: Range<Int>, after: Range<Int>) -> Bool {
    if text.contains(budgetWords, in: text.tailStart(of: before, words: 4)..<before.upperBound) { return true }
    // After the number: `[tokens] [for|of] output|generation|completion`, or `new tokens`.
    var cursor = after.lowerBound
    guard var word = text.word(in: after, from: cursor) else { return false }
    func named(_ w: (text: ArraySlice<UInt8>, end: Int), _ options: [String]) -> Bool {
      options.contains { Array($0.utf8) == Array(w.text) }
    }
    if named(word, ["tokens", "token"]) {
      cursor = word.end
      guard let next = text.word(in: after, from: cursor) else { return false }
      word = next
      if named(word, ["for", "of"]) {
        cursor = word.end
        guard let next = text.word(in: after, from: cursor) else { return false }
        word = next
      }
    }
    let start = word.end - word.text.count
    if text.contains(["output*", "generat*", "completion*"], in: start..<word.end) { return true }
    if named(word, ["new"]), let next = text.word(in: after, from: word.end) {
      return text.contains(["token*"], in: (next.end - next.text.count)..<next.end)
    }
    return false
  }

  /// Rule 6: the role of a claim and the method that reaches it.
  private static func role(
    _ text: CardText, sentenceNamesMethod: Bool, before: Range<Int>, after: Range<Int>
  ) -> Reading {
    let tail3 = text.tailStart(of: before, words: 3)..<before.upperBound
    let head3 = after.lowerBound..<text.headEnd(of: after, words: 3)
    let around = before.lowerBound..<after.upperBound
    if sentenceNamesMethod, text.contains(thresholdWords, in: tail3) {
      return .claim(.native, method: nil)
    }
    if text.contains(nativeWords, in: before) || text.contains(nativeAfterWords, in: head3) {
      return .claim(.native, method: nil)
    }
    if let method = method(in: text, range: around) {
      return .claim(.extended, method: method)
    }
    if text.contains(extensionWords, in: around) {
      return .claim(.extended, method: nil)
    }
    return .claim(.window, method: nil)
  }
}
