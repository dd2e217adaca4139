import Testing

@testable import ContextAudit

/// Every card under `Fixtures/cards/` with the exact claims, budgets and errors it must give.
struct CardFixture: CustomTestStringConvertible, Sendable {
  var name: String
  var rows: [ClaimRow]
  /// `line:column` of the parse error, when the card has one.
  var error: (line: Int, column: Int)? = nil

  var testDescription: String { name }

  static func named(_ name: String) -> CardFixture {
    all.first { $0.name == name } ?? CardFixture(name: name, rows: [])
  }

  var relativePath: String { "cards/\(name)/README.md" }

  static let all: [CardFixture] = [
    CardFixture(
      name: "qwen2.5-7b-instruct",
      rows: [
        .budget(19, 90, 8192, 8000),  // generating long texts (over 8K tokens)
        .claim(20, 34, 131_072, 128_000, "window"),  // Long-context Support up to 128K tokens
        .budget(20, 69, 8192, 8000),  // can generate up to 8K tokens
        .claim(31, 24, 131_072, nil, "window"),  // Context Length: Full 131,072 tokens
        .budget(31, 54, 8192),  // and generation 8192 tokens
        .claim(45, 59, 32_768, nil, "window"),  // config.json is set for context length up to 32,768
        .claim(46, 38, 32_768, nil, "native"),  // exceeding 32,768 tokens, we utilize YaRN
      ]),
    CardFixture(
      name: "qwen3-8b",
      rows: [
        .claim(21, 19, 32_768, nil, "native"),
        .claim(21, 40, 131_072, nil, "extended", method: "yarn"),
        .claim(25, 50, 32_768, nil, "native"),
        .claim(25, 321, 131_072, nil, "extended", method: "yarn"),
        .budget(40, 111, 32_768),  // reserving 32,768 tokens for outputs
        .budget(44, 71, 32_768),  // an output length of 32,768 tokens
        .budget(44, 250, 38_912),  // the max output length to 38,912 tokens
      ]),
    CardFixture(
      name: "llama-3.1-8b-instruct",
      rows: [
        .claim(67, 8, 131_072, 128_000, "window", label: "Llama 3.1 (text only) 8B"),
        .claim(83, 8, 131_072, 128_000, "window", label: "Llama 3.1 (text only) 70B"),
        .claim(95, 8, 131_072, 128_000, "window", label: "Llama 3.1 (text only) 405B"),
      ]),
    CardFixture(
      name: "phi-3-mini-128k-instruct",
      rows: [
        .claim(18, 362, 4096, 4000, "window"),
        .claim(18, 369, 131_072, 128_000, "window"),
        .claim(44, 23, 131_072, 128_000, "window"),
      ]),
    CardFixture(name: "mistral-7b-instruct-v0.2", rows: [.claim(19, 3, 32_768, 32_000, "window")]),
    CardFixture(name: "crlf-mistral-7b-instruct-v0.2", rows: [.claim(19, 3, 32_768, 32_000, "window")]),
    CardFixture(name: "mistral-nemo-instruct-2407", rows: [.claim(24, 20, 131_072, 128_000, "native")]),
    CardFixture(name: "ministral-8b-instruct-2410", rows: [.claim(18, 20, 131_072, 128_000, "native")]),
    CardFixture(
      name: "yarn-mistral-7b-128k",
      rows: [
        .claim(18, 106, 131_072, 128_000, "extended"),
        .claim(35, 73, 8192, 8000, "window", label: "Mistral-7B-v0.1"),
        .claim(36, 84, 65_536, 64_000, "window", label: "Yarn-Mistral-7b-64k"),
        .claim(37, 86, 131_072, 128_000, "window", label: "Yarn-Mistral-7b-128k"),
      ]),
    CardFixture(
      name: "llama-3-8b-instruct-gradient-1048k",
      rows: [
        .claim(13, 53, 8192, 8000, "native"),
        .claim(13, 61, 1_064_960, 1_040_000, "extended"),
        .claim(38, 53, 8192, 8000, "native"),
        .claim(38, 64, 1_048_576, 1_000_000, "extended"),
      ]),
    CardFixture(name: "bartowski-gpt-oss-20b-gguf", rows: []),
    CardFixture(
      name: "lmstudio-deepseek-v2.5-1210-gguf",
      rows: [.claim(20, 30, 163_840, 160_000, "extended", method: "yarn")]),
    CardFixture(
      name: "llama-2-7b-longlora-100k-ft",
      rows: [
        .claim(5, 85, 8192, 8000, "native"),
        .claim(5, 91, 102_400, 100_000, "extended"),
        .claim(13, 40, 8192, nil, "window", label: "Llama-2-7b-longlora-8k-ft 7B"),
        .claim(14, 40, 16_384, nil, "window", label: "Llama-2-7b-longlora-16k-ft 7B"),
        .claim(15, 40, 32_768, nil, "window", label: "Llama-2-7b-longlora-32k-ft 7B"),
        .claim(16, 40, 100_000, nil, "window", label: "Llama-2-7b-longlora-100k-ft 7B"),
      ]),
    CardFixture(name: "negative-parameter-counts", rows: []),
    CardFixture(
      name: "negative-generation-budgets",
      rows: [
        .budget(7, 21, 8192), .budget(8, 32, 8192, 8000), .budget(9, 25, 2048), .budget(10, 42, 32_768),
        .budget(11, 26, 4096), .budget(12, 59, 8192, 8000),
      ]),
    CardFixture(name: "negative-code-blocks", rows: []),
    CardFixture(
      name: "unterminated-front-matter", rows: [.claim(7, 16, 131_072, 128_000, "native")], error: (1, 1)),
    CardFixture(
      name: "bad-yaml-front-matter",
      rows: [.claim(9, 19, 32_768, nil, "native"), .claim(9, 39, 131_072, nil, "extended", method: "yarn")],
      error: (4, 11)),
  ]
}

@Suite struct ModelCardFixtureTests {
  static func parse(_ fixture: CardFixture) throws -> (ParsedArtifact, [UInt8]) {
    let bytes = try Paths.fixtureBytes(fixture.relativePath)
    return (ModelCardParser.parse(bytes, path: ArtifactPath(fixture.relativePath)), bytes)
  }

  @Test(arguments: CardFixture.all)
  func givesExactClaimsAndBudgets(_ fixture: CardFixture) throws {
    let (parsed, _) = try Self.parse(fixture)
    #expect(parsed.kind == .modelCard)
    #expect(ClaimRow.rows(parsed.facts) == fixture.rows)
    if let error = fixture.error {
      #expect(parsed.error?.location.line == error.line)
      #expect(parsed.error?.location.column == error.column)
      #expect(parsed.error?.location.path == ArtifactPath(fixture.relativePath))
    } else {
      #expect(parsed.error == nil)
    }
    #expect(!parsed.facts.contains { $0.key == "card.claims_truncated" })
  }

  /// Checks each location against the file itself: the Unicode scalar at line:column starts
  /// the number the fact reports.
  @Test(arguments: CardFixture.all)
  func locationsPointAtTheNumber(_ fixture: CardFixture) throws {
    let (parsed, bytes) = try Self.parse(fixture)
    let lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
    for row in ClaimRow.rows(parsed.facts) {
      let scalars = Array(String(decoding: lines[row.line - 1], as: UTF8.self).unicodeScalars)
      let rest = String(String.UnicodeScalarView(scalars[(row.column - 1)...]))
      let digits = rest.prefix(while: { $0.isNumber || $0 == "," }).filter(\.isNumber)
      let unit = rest.dropFirst(rest.prefix(while: { $0.isNumber || $0 == "," }).count).first?.lowercased()
      let value = Int64(String(digits)) ?? -1
      let expected: Int64 =
        switch unit {
        case "k": value * 1024
        case "m": value * 1_048_576
        default: value
        }
      #expect(expected == row.tokens, "\(fixture.name) \(row)")
    }
  }

  @Test func claimTextIsTheSentenceWithoutMarkup() throws {
    let (qwen3, _) = try Self.parse(CardFixture.named("qwen3-8b"))
    #expect(
      CardTest.texts(qwen3.facts).prefix(4) == [
        "Context Length: 32,768 natively and 131,072 tokens with YaRN",
        "Context Length: 32,768 natively and 131,072 tokens with YaRN",
        "Qwen3 natively supports context lengths of up to 32,768 tokens",
        "We have validated the model's performance on context lengths of up to 131,072 tokens using the YaRN method",
      ])
    let (llama, _) = try Self.parse(CardFixture.named("llama-3.1-8b-instruct"))
    #expect(CardTest.texts(llama.facts).first == "Llama 3.1 (text only) 8B | Context length: 128k")
    let (longlora, _) = try Self.parse(CardFixture.named("llama-2-7b-longlora-100k-ft"))
    #expect(CardTest.texts(longlora.facts).last == "Llama-2-7b-longlora-100k-ft 7B | Context: 100000")
  }

  @Test func crlfCardReadsLikeItsLFTwin() throws {
    let lf = try Paths.fixtureBytes("cards/mistral-7b-instruct-v0.2/README.md")
    let crlf = try Paths.fixtureBytes("cards/crlf-mistral-7b-instruct-v0.2/README.md")
    #expect(crlf.contains(0x0D), "the CRLF fixture must keep its carriage returns")
    let path = ArtifactPath("README.md")
    let a = ModelCardParser.parse(lf, path: path)
    let b = ModelCardParser.parse(crlf, path: path)
    #expect(a.facts == b.facts)
    #expect(b.facts.count == 6)
    #expect(CardTest.frontMatter(b.facts)["extra_gated_description"]?.value.stringValue?.hasSuffix("</a>.") == true)
  }

  @Test func errorsCarryMessagesAndKeepProse() throws {
    let (unclosed, _) = try Self.parse(CardFixture.named("unterminated-front-matter"))
    #expect(unclosed.error?.message == "model card front matter opened with '---' is never closed (expected a '---' line)")
    #expect(CardTest.frontMatter(unclosed.facts).isEmpty)
    let (bad, _) = try Self.parse(CardFixture.named("bad-yaml-front-matter"))
    #expect(bad.error?.message == "YAML syntax error: while parsing a flow sequence: did not find expected ',' or ']'")
    #expect(CardTest.frontMatter(bad.facts).isEmpty)
  }
}
