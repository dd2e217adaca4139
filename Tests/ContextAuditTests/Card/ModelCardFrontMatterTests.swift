import Testing

@testable import ContextAudit

@Suite struct ModelCardFrontMatterTests {
  func fixture(_ name: String) throws -> [String: Fact] {
    let bytes = try Paths.fixtureBytes("cards/\(name)/README.md")
    return CardTest.frontMatter(ModelCardParser.parse(bytes, path: ArtifactPath("README.md")).facts)
  }

  func expect(
    _ facts: [String: Fact], _ key: String, _ value: FactValue, at line: Int, _ column: Int,
    sourceLocation: Testing.SourceLocation = #_sourceLocation
  ) {
    let fact = facts[key]
    #expect(fact?.value == value, "\(key)", sourceLocation: sourceLocation)
    #expect(fact?.location.line == line, "\(key) line", sourceLocation: sourceLocation)
    #expect(fact?.location.column == column, "\(key) column", sourceLocation: sourceLocation)
    #expect(fact?.location.keyPath == key, sourceLocation: sourceLocation)
  }

  @Test func readsQwenKeysWithValueLocations() throws {
    let facts = try fixture("qwen2.5-7b-instruct")
    #expect(facts.count == 7)
    expect(facts, "license", "apache-2.0", at: 2, 10)
    expect(facts, "license_link", "https://huggingface.co/Qwen/Qwen2.5-7B-Instruct/blob/main/LICENSE", at: 3, 15)
    expect(facts, "language", .array(["en"]), at: 5, 1)
    expect(facts, "pipeline_tag", "text-generation", at: 6, 15)
    expect(facts, "base_model", "Qwen/Qwen2.5-7B", at: 7, 13)
    expect(facts, "tags", .array(["chat"]), at: 9, 1)
    expect(facts, "library_name", "transformers", at: 10, 15)
  }

  @Test func baseModelMayBeAList() throws {
    let facts = try fixture("qwen3-8b")
    expect(facts, "base_model", .array(["Qwen/Qwen3-8B-Base"]), at: 7, 1)
    expect(facts, "library_name", "transformers", at: 2, 15)
  }

  @Test func readsQuantizedRelationAndPublisherKeys() throws {
    let facts = try fixture("bartowski-gpt-oss-20b-gguf")
    #expect(facts.count == 4)
    expect(facts, "quantized_by", "bartowski", at: 2, 15)
    expect(facts, "pipeline_tag", "text-generation", at: 3, 15)
    expect(facts, "base_model_relation", "quantized", at: 4, 22)
    expect(facts, "base_model", "openai/gpt-oss-20b", at: 5, 13)
    let lmstudio = try fixture("lmstudio-deepseek-v2.5-1210-gguf")
    expect(lmstudio, "license_name", "deepseek", at: 7, 15)
    expect(lmstudio, "base_model_relation", "quantized", at: 5, 22)
  }

  @Test func keepsScalarsAndScalarListsOfOtherKeysButNotMappings() throws {
    let mistral = try fixture("mistral-7b-instruct-v0.2")
    expect(mistral, "inference", true, at: 6, 12)
    expect(mistral, "tags", .array(["finetuned"]), at: 5, 1)
    #expect(mistral["widget"] == nil)
    #expect(mistral["extra_gated_description"]?.location.line == 11)
    let yarn = try fixture("yarn-mistral-7b-128k")
    expect(yarn, "datasets", .array(["emozilla/yarn-train-tokenized-16k-mistral"]), at: 3, 1)
    expect(yarn, "metrics", .array(["perplexity"]), at: 5, 1)
    let llama = try fixture("llama-3.1-8b-instruct")
    expect(llama, "license", "llama3.1", at: 11, 10)
    expect(llama, "language", .array(["en", "de", "fr", "it", "pt", "hi", "es", "th"]), at: 3, 1)
    #expect(llama["extra_gated_fields"] == nil)
    #expect(llama["extra_gated_prompt"]?.location.line == 20)
  }

  @Test func knownKeysKeepMappings() {
    let facts = CardTest.frontMatter(
      CardTest.parse("---\ninference:\n  parameters:\n    temperature: 0.7\nwidget:\n  text: hi\n---\n").facts)
    #expect(facts["inference"]?.value == .object(["parameters": .object(["temperature": 0.7])]))
    #expect(facts["inference"]?.location.line == 3)
    #expect(facts["widget"] == nil)
  }

  @Test func lastDuplicateKeyWins() {
    let facts = CardTest.parse("---\nlicense: mit\nlicense: apache-2.0\n---\n").facts
    #expect(facts.count == 1)
    #expect(facts.first?.value == "apache-2.0")
    #expect(facts.first?.location.line == 3)
  }

  @Test func quotedNumbersStayStrings() {
    let facts = CardTest.frontMatter(CardTest.parse("---\nmodel_name: \"8192\"\ncontext: 8192\n---\n").facts)
    #expect(facts["model_name"]?.value == "8192")
    #expect(facts["context"]?.value == 8192)
    #expect(facts["context"]?.location.column == 10)
  }

  @Test func cardWithoutFrontMatterIsProseOnly() {
    let parsed = CardTest.parse("# Mistral NeMo\n\n- Trained with a 128k context window\n")
    #expect(parsed.error == nil)
    #expect(ClaimRow.rows(parsed.facts) == [.claim(3, 18, 131_072, 128_000, "native")])
    #expect(CardTest.frontMatter(parsed.facts).isEmpty)
  }

  @Test func threeDotsCloseAndLeadingBlankLinesAreAllowed() {
    let parsed = CardTest.parse("\n\n---\nlicense: mit\n...\nTrained with a 128k context window.\n")
    #expect(parsed.error == nil)
    let facts = CardTest.frontMatter(parsed.facts)
    #expect(facts["license"]?.location.line == 4)
    #expect(ClaimRow.rows(parsed.facts) == [.claim(6, 16, 131_072, 128_000, "native")])
  }

  @Test func emptyFrontMatterGivesNoFacts() {
    let parsed = CardTest.parse("---\n---\n128K context window\n")
    #expect(parsed.error == nil)
    #expect(parsed.facts.map(\.key) == ["card.claim"])
  }

  @Test func byteOrderMarkIsSkipped() {
    let parsed = ModelCardParser.parse([0xEF, 0xBB, 0xBF] + Array("---\nlicense: mit\n---\n".utf8), path: CardTest.path)
    #expect(parsed.error == nil)
    #expect(parsed.facts.first?.location.line == 2)
    #expect(parsed.facts.first?.location.column == 10)
  }

  @Test func crlfFrontMatterKeepsLinesAndColumns() {
    let parsed = CardTest.parse("---\r\nlicense: mit\r\ntags:\r\n- a\r\n---\r\n- Context Length: 32,768 natively.\r\n")
    #expect(parsed.error == nil)
    let facts = CardTest.frontMatter(parsed.facts)
    #expect(facts["license"]?.value == "mit")
    #expect(facts["license"]?.location.column == 10)
    #expect(facts["tags"]?.value == .array(["a"]))
    #expect(facts["tags"]?.location.line == 4)
    #expect(ClaimRow.rows(parsed.facts) == [.claim(6, 19, 32_768, nil, "native")])
  }

  @Test func unterminatedFrontMatterIsLocatedAtItsOpeningLine() {
    let parsed = CardTest.parse("\n---\nlicense: mit\nTrained with a 128k context window.\n")
    #expect(
      parsed.error
        == ParseFailure(
          ModelCardError.unterminatedFrontMatter(at: SourceLocation(path: CardTest.path, line: 2, column: 1))))
    // With no closed front matter the whole file is prose, as huggingface_hub reads it.
    #expect(ClaimRow.rows(parsed.facts) == [.claim(4, 16, 131_072, 128_000, "native")])
  }

  @Test func badYAMLIsLocatedInFileLines() {
    let parsed = CardTest.parse("---\nlicense: mit\ntags: [a, b\nbase_model: x\n---\nTrained with a 128k context window.\n")
    #expect(parsed.error?.location.line == 4)
    #expect(parsed.error?.location.column == 11)
    #expect(parsed.error?.message.hasPrefix("YAML syntax error") == true)
    #expect(ClaimRow.rows(parsed.facts) == [.claim(6, 16, 131_072, 128_000, "native")])
  }

  @Test func frontMatterThatIsNotAMappingIsAnError() {
    let parsed = CardTest.parse("---\n- license\n- mit\n---\n")
    #expect(
      parsed.error
        == ParseFailure(
          ModelCardError.frontMatterNotMapping(
            found: "a list", at: SourceLocation(path: CardTest.path, line: 2, column: 1))))
    #expect(parsed.error?.message == "model card front matter is a list, not a mapping of keys")
    let scalar = CardTest.parse("---\njust some words\n---\n")
    #expect(scalar.error?.message == "model card front matter is a scalar, not a mapping of keys")
    #expect(scalar.error?.location.line == 2)
  }

  @Test func horizontalRuleLaterInTheCardIsNotFrontMatter() {
    let parsed = CardTest.parse("# Title\n\n---\n\nTrained with a 128k context window.\n\n---\n")
    #expect(parsed.error == nil)
    #expect(ClaimRow.rows(parsed.facts) == [.claim(5, 16, 131_072, 128_000, "native")])
  }
}
