import Foundation
import Testing

@testable import ContextAudit

/// One line of prose and what it must give, as (tokens, tokens_decimal, role or "budget", method).
struct Phrasing: CustomTestStringConvertible, Sendable {
  var text: String
  var expected: [Expectation]
  var testDescription: String { text }

  struct Expectation: Equatable, Sendable, CustomStringConvertible {
    var tokens: Int64
    var decimal: Int64?
    var role: String
    var method: String?
    var column: Int
    var description: String { "\(tokens)/\(decimal.map(String.init) ?? "-") \(role) \(method ?? "-") @\(column)" }
  }

  init(_ text: String, _ expected: (Int64, Int64?, String, String?, Int)...) {
    self.text = text
    self.expected = expected.map { Expectation(tokens: $0.0, decimal: $0.1, role: $0.2, method: $0.3, column: $0.4) }
  }

  /// The 14 phrasings of manifests-and-layouts.md §1.3 and close relatives.
  static let positives: [Phrasing] = [
    // 1
    Phrasing(
      "- Context Length: Full 131,072 tokens and generation 8192 tokens",
      (131_072, nil, "window", nil, 24), (8192, nil, "budget", nil, 54)),
    // 2
    Phrasing("- Context Length: Full 131,072 tokens", (131_072, nil, "window", nil, 24)),
    // 3
    Phrasing(
      "- Context Length: 32,768 natively and 131,072 tokens with YaRN.",
      (32_768, nil, "native", nil, 19), (131_072, nil, "extended", "yarn", 39)),
    Phrasing("- Context Length: 262,144 natively.", (262_144, nil, "native", nil, 19)),
    // 4
    Phrasing(
      "The current `config.json` is set for context length up to 32,768 tokens.", (32_768, nil, "window", nil, 59)),
    Phrasing(
      "To handle extensive inputs exceeding 32,768 tokens, we utilize [YaRN](https://arxiv.org/abs/2309.00071), a technique.",
      (32_768, nil, "native", nil, 38)),
    // 5
    Phrasing(
      "- **Long-context Support** up to 128K tokens and can generate up to 8K tokens.",
      (131_072, 128_000, "window", nil, 34), (8192, 8000, "budget", nil, 69)),
    Phrasing("Long-context Support up to 128K tokens, generating up to 8K tokens.",
      (131_072, 128_000, "window", nil, 28), (8192, 8000, "budget", nil, 58)),
    // 6
    Phrasing(
      "The Mini version in two variants 4K and 128K which is the context length (in tokens) that it can support.",
      (4096, 4000, "window", nil, 34), (131_072, 128_000, "window", nil, 41)),
    // 7
    Phrasing("- 32k context window (vs 8k context in v0.1)", (32_768, 32_000, "window", nil, 3)),
    // 8
    Phrasing("- Trained with a **128k context window**", (131_072, 128_000, "native", nil, 20)),
    // 9
    Phrasing(
      "- Trained with a 128k context window with interleaved sliding-window attention",
      (131_072, 128_000, "native", nil, 18)),
    // 10
    Phrasing("The model supports a 128k token context window.", (131_072, 128_000, "window", nil, 22)),
    Phrasing("It is a 128k-token context model.", (131_072, 128_000, "window", nil, 9)),
    // 11
    Phrasing(
      "This model extends LLama-3 8B's context length from 8k to over 1m tokens.",
      (8192, 8000, "native", nil, 53), (1_048_576, 1_000_000, "extended", nil, 64)),
    Phrasing(
      "This model extends LLama-3 8B's context length from 8k to > 1040K, developed by Gradient.",
      (8192, 8000, "native", nil, 53), (1_064_960, 1_040_000, "extended", nil, 61)),
    // 12
    Phrasing(
      "Models from 7B to 70B, context length from 8k to 100k.",
      (8192, 8000, "native", nil, 44), (102_400, 100_000, "extended", nil, 50)),
    // 13
    Phrasing(
      "Supports a context length of 160k through yarn settings.", (163_840, 160_000, "extended", "yarn", 30)),
    // 14 (tables have their own tests) and the plain headline
    Phrasing("## 128K context window", (131_072, 128_000, "window", nil, 4)),
    // Relatives
    Phrasing(
      "Qwen3 natively supports context lengths of up to 32,768 tokens.", (32_768, nil, "native", nil, 50)),
    Phrasing(
      "We have validated the model's performance on context lengths of up to 131,072 tokens using the YaRN method.",
      (131_072, nil, "extended", "yarn", 71)),
    Phrasing("Context window: 1.5M tokens via LongRoPE.", (1_572_864, 1_500_000, "extended", "longrope", 17)),
    Phrasing("Context length: 4096", (4096, nil, "window", nil, 17)),
    Phrasing("A context length of 2048 tokens.", (2048, nil, "window", nil, 21)),
    Phrasing("Extended to 128K context with position interpolation.", (131_072, 128_000, "extended", "linear", 13)),
    Phrasing("Pre-trained on sequences of 8,192 tokens, context.", (8192, nil, "native", nil, 29)),
    Phrasing(
      "Llama 3.1 was pretrained with 8K context and then extended to 128K.",
      (8192, 8000, "native", nil, 31), (131_072, 128_000, "extended", nil, 63)),
    Phrasing("Context: 32K-128K (YARN)", (32_768, 32_000, "native", nil, 10), (131_072, 128_000, "extended", "yarn", 14)),
    Phrasing("Context window: 128K tokens, max output: 8K tokens.",
      (131_072, 128_000, "window", nil, 17), (8192, 8000, "budget", nil, 42)),
    Phrasing("Llama 4 Scout has a 10M context window.", (10_485_760, 10_000_000, "window", nil, 21)),
    Phrasing("A 32K context window and 8192 generation tokens.",
      (32_768, 32_000, "window", nil, 3), (8192, nil, "budget", nil, 26)),
  ]

  /// Lines that must give nothing at all.
  static let negatives: [String] = [
    "Mixtral 8x7B is a long-context mixture of experts with 46.7B parameters.",
    "The 7B, 13B and 70B long-context sizes.",
    "Context handling was rewritten in 2023.",
    "The long-context model was trained on 2048 GPUs for 1500 steps.",
    "The long-context adapter adds 350M parameters.",
    "RoPE theta 500000 is used for long context.",
    "Rope-theta = 1e6",
    "- **Rotary embeddings (theta = 1M)** for long context",
    "The sliding window of 4096 tokens limits attention within the context.",
    "Trained on 830M tokens of long-context data.",
    "Phi-3-mini-128k-instruct is a long-context model.",
    "vLLM says \"This model's maximum context length is 4096 tokens. However, you requested 5000 tokens\".",
    "This model's maximum context length is 4096 tokens. However, you requested 5000 tokens.",
    "If the average context length does not exceed 32,768 tokens, do not enable YaRN.",
    "For example, if the typical context length for your application is 65,536 tokens, set factor as 2.0.",
    "- EVAL_MAX_CONTEXT_LENGTH=1040200",
    "Run with `--max-model-len 131072` for the full context.",
    "See [the notes](https://example.com/128k-context/131072) on context.",
    "Currently vLLM is capped at 32k context size.",
    "Compared to the 8K context of the previous release, quality is higher.",
    "The context benchmark scored 86.7 with transformers 4.41.3.",
    "- Vocabulary size: 2**17 ~= 128k",
    "<!-- Trained with a 128k context window -->",
    "Released 2024-07-23 with a long context.",
    "Long prompts fail with \u{201C}context length of 4096 tokens exceeded\u{201D} on old servers.",
    "Max 8192 generation.",
  ]
}

@Suite struct ContextClaimExtractorTests {
  func rows(_ line: String) -> [Phrasing.Expectation] {
    CardTest.parse(line).facts.compactMap { fact in
      guard let object = fact.value.objectValue, let tokens = object["tokens"]?.intValue, fact.location.line == 1,
        let column = fact.location.column
      else { return nil }
      let role = fact.key == "card.generation_budget" ? "budget" : object["role"]?.stringValue ?? "?"
      return Phrasing.Expectation(
        tokens: tokens, decimal: object["tokens_decimal"]?.intValue, role: role, method: object["method"]?.stringValue,
        column: column)
    }
  }

  @Test(arguments: Phrasing.positives)
  func readsPhrasing(_ phrasing: Phrasing) {
    #expect(rows(phrasing.text) == phrasing.expected)
  }

  @Test(arguments: Phrasing.negatives)
  func ignores(_ line: String) {
    #expect(CardTest.parse(line).facts.isEmpty)
  }

  @Test func negativeTwinOfAPositiveStillReadsThePositive() {
    // "24GB" is glued to its unit; "8k context" in the same line is still read.
    #expect(rows("Uses 24GB of VRAM at an 8k context.") == [.init(tokens: 8192, decimal: 8000, role: "window", method: nil, column: 25)])
  }

  @Test func columnsCountUnicodeScalars() {
    // U+1F469 U+200D U+1F373 is three scalars (one grapheme); the number starts at scalar 20.
    let facts = CardTest.parse("\u{1F469}\u{200D}\u{1F373} Trained with a 128k context window").facts
    #expect(facts.first?.location.column == 20)
    #expect(facts.first?.value.objectValue?["text"] == "\u{1F469}\u{200D}\u{1F373} Trained with a 128k context window")
  }

  @Test func markdownTableGivesOneClaimPerRowWithItsLabel() {
    let card = """
      | Model | Params | Context Length | Notes |
      |---|---:|:---:|---|
      | Llama 3.1 | 8B | 128K | 15T+ tokens |
      | Llama 3.1 | 70B | 128K | 2024 |
      | Llama 3 \\| old | 8B | 8K | |
      """
    let parsed = CardTest.parse(card)
    #expect(
      ClaimRow.rows(parsed.facts) == [
        .claim(3, 20, 131_072, 128_000, "window", label: "Llama 3.1 8B"),
        .claim(4, 21, 131_072, 128_000, "window", label: "Llama 3.1 70B"),
        .claim(5, 25, 8192, 8000, "window", label: "Llama 3 \\| old 8B"),
      ])
    #expect(CardTest.texts(parsed.facts).first == "Llama 3.1 8B | Context Length: 128K")
  }

  @Test func transposedTableGivesOneClaimPerColumn() {
    let card = """
      | | Qwen2 | Qwen2.5 |
      |---|---|---|
      | Tokenizer | 151,646 tokens | 151,646 tokens |
      | Context Length | 32K-128K (YARN) | 128K |
      """
    #expect(
      ClaimRow.rows(CardTest.parse(card).facts) == [
        .claim(4, 20, 32_768, 32_000, "native", label: "Qwen2"),
        .claim(4, 24, 131_072, 128_000, "extended", method: "yarn", label: "Qwen2"),
        .claim(4, 38, 131_072, 128_000, "window", label: "Qwen2.5"),
      ])
  }

  @Test func columnsThatOnlyMentionContextAreNotRead() {
    let card = """
      | Model | Short Context | Long Context | 8k PPL | 4K |
      |-------|--------------|-------------|------|-----|
      | Mini | [4K HF](https://huggingface.co/microsoft/phi-3-mini-4k-instruct) | [128K HF](https://x.y/128k) | 2.96 | 86.7 |
      """
    #expect(CardTest.parse(card).facts.isEmpty)
  }

  @Test func htmlTableHonoursRowspanAndColspan() {
    let card = """
      <table>
        <tr><th>Model</th><th colspan="2">Sizes</th><th>Context window</th></tr>
        <tr><td rowspan="2">Foo<br>Base</td><td>1B</td><td>x</td><td>32k</td></tr>
        <tr><td>3B</td><td>y</td><td><strong>128k</strong> tokens</td></tr>
      </table>
      """
    #expect(
      ClaimRow.rows(CardTest.parse(card).facts) == [
        .claim(3, 64, 32_768, 32_000, "window", label: "Foo Base"),
        .claim(4, 40, 131_072, 128_000, "window", label: "Foo Base"),
      ])
  }

  @Test func unclosedHTMLTableStopsAtTheLineCap() {
    var card = "<table>\n<tr><td>Context length</td></tr>\n"
    for _ in 0..<50 { card += "<tr><td>128k</td></tr>\n" }
    let facts = CardTest.parse(card, limits: ContextClaimExtractor.Limits(maxTableLines: 10)).facts
    #expect(facts.count == 9)
    #expect(facts.last?.location.line == 11)
  }

  @Test func capStopsReadingAndSaysWhere() {
    let card = String(repeating: "Trained with a 128k context window.\n", count: 100)
    let facts = CardTest.parse(card).facts
    #expect(ContextClaimExtractor.maxClaims == 64)
    #expect(facts.count == 65)
    #expect(facts.filter { $0.key == "card.claim" }.count == 64)
    #expect(facts.last?.key == "card.claims_truncated")
    #expect(facts.last?.value == 64)
    #expect(facts.last?.location.line == 65)
    #expect(facts.last?.location.column == 16)
    let small = CardTest.parse(card, limits: ContextClaimExtractor.Limits(maxClaims: 3)).facts
    #expect(small.map(\.key) == ["card.claim", "card.claim", "card.claim", "card.claims_truncated"])
    #expect(small.last?.location.line == 4)
  }

  @Test func budgetsCountTowardTheCap() {
    let card = String(repeating: "Context: 128K tokens and generation 8192 tokens.\n", count: 3)
    let facts = CardTest.parse(card, limits: ContextClaimExtractor.Limits(maxClaims: 3)).facts
    #expect(facts.map(\.key) == ["card.claim", "card.generation_budget", "card.claim", "card.claims_truncated"])
    #expect(facts.last?.location.line == 2)
    #expect(facts.last?.location.column == 37)
  }

  @Test func overlongLinesAreSkipped() {
    let limits = ContextClaimExtractor.Limits(maxLineBytes: 40)
    let long = "Trained with a 128k context window, long line here."
    #expect(long.utf8.count > 40)
    let card = long + "\nTrained with a 32k context window.\n"
    #expect(ClaimRow.rows(CardTest.parse(card, limits: limits).facts) == [.claim(2, 16, 32_768, 32_000, "native")])
  }

  @Test func fencesInsideQuotesAndListsAndUnclosedFencesAreSkipped() {
    let card = """
      > ```
      > 128K context window
      > ```
      1. Step:
         ~~~~
         128K context window
         ~~~
         still code: 128K context window
         ~~~~
      ```python
      # never closed: 128K context window
      """
    #expect(CardTest.parse(card).facts.isEmpty)
    let reopened = "```\n32K context\n```\nTrained with a 128k context window.\n"
    #expect(CardTest.rows(reopened) == [.claim(4, 16, 131_072, 128_000, "native")])
  }

  @Test func commentsSpanningLinesAreSkipped() {
    let card = "A <!-- hidden\n128K context window\n--> then a 32K context window.\n"
    #expect(CardTest.rows(card) == [.claim(3, 12, 32_768, 32_000, "window")])
  }

  @Test func publicExtractorReadsFromAGivenLine() {
    let text = Array("Context: 128K tokens\nContext: 32K tokens\n".utf8)
    let facts = ContextClaimExtractor().facts(in: text, path: CardTest.path, fromLine: 2)
    #expect(ClaimRow.rows(facts) == [.claim(2, 10, 32_768, 32_000, "window")])
  }

  /// The line prefilter must not drop a line any rule could use: each word that can make a
  /// number acceptable or a sentence about context holds one of the prefilter roots.
  @Test func prefilterCoversEveryAcceptingWord() {
    let words = ContextClaimExtractor.contextWords + ContextClaimExtractor.nearWords
      + ContextClaimExtractor.tokenWords + ContextClaimExtractor.methods.flatMap(\.words)
    for word in words {
      let covered = ContextClaimExtractor.prefilterRoots.contains { root in
        word.bytes.count >= root.count
          && (0...(word.bytes.count - root.count)).contains { Array(word.bytes[$0..<($0 + root.count)]) == root }
      }
      #expect(covered, "\(String(decoding: word.bytes, as: UTF8.self))")
    }
  }

  /// A 1 MB card of real prose, tables and code is read in full when the claim cap is lifted:
  /// every repetition yields the claims of its parts (speed is measured in the benchmark, not here).
  @Test func readsOneMegabyteCardInFull() throws {
    var bytes: [UInt8] = []
    let names = ["qwen3-8b", "llama-3.1-8b-instruct", "negative-parameter-counts", "phi-3-mini-128k-instruct"]
    let parts = try names.map { try Paths.fixtureBytes("cards/\($0)/README.md") }
    while bytes.count < 1 << 20 {
      for part in parts { bytes += part }
    }
    let limits = ContextClaimExtractor.Limits(maxClaims: Int.max)
    let facts = ContextClaimExtractor(limits: limits).facts(in: bytes, path: CardTest.path)
    let perRound = parts.map { ContextClaimExtractor(limits: limits).facts(in: $0, path: CardTest.path).count }.reduce(0, +)
    let rounds = bytes.count / parts.map(\.count).reduce(0, +)
    #expect(perRound > 0)
    #expect(facts.count == perRound * rounds)
  }
}

@Suite struct ModelCardRobustnessTests {
  /// Cards stitched from the fragments the reader treats specially, in a fixed pseudo-random
  /// order: the reader must not trap, must keep the cap, and every location must be a real
  /// line and column of the input.
  @Test func survivesStitchedFragments() {
    let fragments = [
      "---", "\n", "\r\n", "128K", "131,072", "1,0", "tokens", " context ", "from ", " to ", "-", "~", "|", "|---|",
      "<table>", "<tr>", "<td rowspan=\"99999999\">", "<td colspan=\"1000000\">", "</td>", "</table>", "<!--", "-->",
      "```", "~~~", "`", "](", ")", "\"", "\u{201C}", "vs ", "natively", "with YaRN", "generation ", "=", "1.5M",
      "2048", "\u{1F469}\u{200D}\u{1F373}", "\u{FEFF}", "\t", ">", "key: [", "...", ".", " ", "e.g. ", "If ", "\\|",
    ]
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    var claims = 0
    for _ in 0..<300 {
      var text = ""
      for _ in 0..<120 {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        text += fragments[Int((state >> 33) % UInt64(fragments.count))]
      }
      let bytes = Array(text.utf8)
      let parsed = ModelCardParser.parse(bytes, path: CardTest.path, limits: ContextClaimExtractor.Limits(maxClaims: 8))
      let lineCount = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).count
      #expect(parsed.facts.filter { !$0.key.hasPrefix("card.front_matter.") }.count <= 9)
      claims += parsed.facts.filter { $0.key == "card.claim" }.count
      for fact in parsed.facts {
        #expect((1...lineCount).contains(fact.location.line ?? 0), "\(fact.key) in \(text.debugDescription)")
        #expect((fact.location.column ?? 0) >= 1)
      }
    }
    #expect(claims > 0)
  }
}
