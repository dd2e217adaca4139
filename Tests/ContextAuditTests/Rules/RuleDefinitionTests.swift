import Testing
@testable import ContextAudit

@Suite struct RuleDefinitionTests {
  let file = "Rules/model/model-test-rule.yaml"

  @Test func parsesEveryField() throws {
    let text = """
      id: model-test-rule
      title: Factor too large
      applies-to: model
      severity: note
      message: "factor {{model.rope.factor}} over {{param.max-factor}}"
      rationale: >
        Folded
        text.
      references: ["rope-methods.md section 4.2", "arXiv:2306.15595"]
      params:
        max-factor: {default: 4, description: largest factor}
        methods: [linear, yarn]
      when:
        all:
          - {fact: model.rope.method, in: {param: methods}}
          - {fact: model.rope.factor, '>': {param: max-factor}}
      location-from: model.rope.factor
      metadata: {tags: [interpolation], help-uri: "https://example.org/r"}
      deprecated-ids: [model-old-name]
      examples:
        - {name: fine, expect: ok, facts: {model.rope.method: linear, model.rope.factor: 2}}
        - name: flagged twice
          expect: finding
          message: factor 8 over 4
          facts:
            - {model.rope.method: yarn}
            - {model.rope.factor: 8.0}
            - {model.rope.factor: 2.0}
        - {name: from a file, expect: finding, fixture: Fixtures/json/duplicate.json, at: {line: 3, column: 5, path: Fixtures/json/duplicate.json}}
      """
    let rule = try RuleDefinition.parse(text, file: file)
    #expect(rule.id == "model-test-rule")
    #expect(rule.scope == .model && rule.severity == .note)
    #expect(rule.rationale == "Folded text.\n")
    #expect(rule.references == ["rope-methods.md section 4.2", "arXiv:2306.15595"])
    #expect(
      rule.params == [
        RuleParam(name: "max-factor", defaultValue: 4, description: "largest factor"),
        RuleParam(name: "methods", defaultValue: .array(["linear", "yarn"])),
      ])
    #expect(rule.locationFrom == "model.rope.factor")
    #expect(rule.deprecatedIDs == ["model-old-name"])
    #expect(rule.info == RuleInfo(id: "model-test-rule", title: "Factor too large", severity: .note, rationale: "Folded text.\n", helpURI: "https://example.org/r"))
    #expect(rule.examples.map(\.name) == ["fine", "flagged twice", "from a file"])
    #expect(rule.examples.map(\.line) == [21, 22, 29])
    guard case .facts(let facts) = rule.examples[1].input else {
      Issue.record("expected inline facts")
      return
    }
    #expect(facts.map(\.key) == ["model.rope.method", "model.rope.factor", "model.rope.factor"])
    #expect(facts[1].location == SourceLocation(path: ArtifactPath(file), line: 27, column: 29, keyPath: "model.rope.factor"))
    #expect(rule.examples[2].input == .fixture(path: "Fixtures/json/duplicate.json", at: .init(path: "Fixtures/json/duplicate.json", line: 3, column: 5)))
  }

  @Test func rejectsIDThatIsNotTheFileName() {
    let error = loadError { _ = try RuleDefinition.parse(RuleText.rule(id: "model-other", when: "  {fact: a, exists: true}"), file: file) }
    #expect(error == RuleLoadError(.idMismatch(id: "model-other", fileName: "model-test-rule.yaml"), at: SourceLocation(path: ArtifactPath(file), line: 1, column: 5)))
  }

  @Test func rejectsIDThatIsNotKebabCase() {
    let error = loadError { _ = try RuleDefinition.parse(RuleText.rule(id: "Model_Rule", when: "  {fact: a, exists: true}"), file: "r/Model_Rule.yaml") }
    #expect(error?.problem == .badRuleID("Model_Rule"))
  }

  @Test func rejectsTheReservedParseErrorID() {
    let error = loadError { _ = try RuleDefinition.parse(RuleText.rule(id: "parse-error", when: "  {fact: a, exists: true}"), file: "r/parse-error.yaml") }
    #expect(error?.problem == .reservedRuleID("parse-error"))
  }

  @Test func rejectsUnknownScopeAtItsValue() {
    let error = loadError { _ = try RuleDefinition.parse(RuleText.rule(scope: "safetensors", when: "  {fact: a, exists: true}"), file: file) }
    #expect(error?.location == SourceLocation(path: ArtifactPath(file), line: 3, column: 13))
    #expect(error?.message == "applies-to 'safetensors' is not valid (expected gguf | config-json | model-card | yaml-manifest | modelfile | ollama-params | model)")
  }

  @Test func rejectsMissingWhen() {
    let text = "id: model-test-rule\ntitle: t\napplies-to: model\nseverity: error\nmessage: m\nrationale: r\n"
    let error = loadError { _ = try RuleDefinition.parse(text, file: file) }
    #expect(error == RuleLoadError(.missingKey("when", context: "rule"), at: SourceLocation(path: ArtifactPath(file), line: 1, column: 1)))
  }

  @Test func rejectsFixturePathsLeavingTheRepository() {
    let text = RuleText.rule(when: "  {fact: a, exists: true}", extra: "examples:\n  - {name: x, expect: ok, fixture: ../etc/passwd}")
    let error = loadError { _ = try RuleDefinition.parse(text, file: file) }
    #expect(error == RuleLoadError(.badFixturePath("../etc/passwd"), at: SourceLocation(path: ArtifactPath(file), line: 8, column: 36)))
  }

  @Test func rejectsAtOnAnInlineExample() {
    let text = RuleText.rule(when: "  {fact: a, exists: true}", extra: "examples:\n  - {name: x, expect: ok, facts: {a: 1}, at: {line: 1}}")
    let error = loadError { _ = try RuleDefinition.parse(text, file: file) }
    #expect(error?.location == SourceLocation(path: ArtifactPath(file), line: 8, column: 42))
  }

  @Test func rejectsUnknownExpectation() {
    let text = RuleText.rule(when: "  {fact: a, exists: true}", extra: "examples:\n  - {name: x, expect: flagged, facts: {a: 1}}")
    let error = loadError { _ = try RuleDefinition.parse(text, file: file) }
    #expect(error == RuleLoadError(.invalidValue(key: "expect", value: "flagged", expected: "ok | finding"), at: SourceLocation(path: ArtifactPath(file), line: 8, column: 23)))
  }

  @Test func rejectsTwoDocuments() {
    let text = RuleText.rule(when: "  {fact: a, exists: true}") + "\n---\nid: x\n"
    let error = loadError { _ = try RuleDefinition.parse(text, file: file) }
    #expect(error == RuleLoadError(.documentCount(2), at: SourceLocation(path: ArtifactPath(file), line: 1, column: 1)))
  }
}
