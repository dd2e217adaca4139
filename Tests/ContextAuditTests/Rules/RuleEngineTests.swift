import Testing
@testable import ContextAudit

@Suite struct RuleEngineTests {
  static let servedRule = """
    id: model-served-test
    title: Served past effective
    applies-to: model
    severity: error
    message: "served {{model.window.served}} over {{model.window.effective}}"
    rationale: test
    when:
      all:
        - {fact: model.rope.method, exists: true}
        - {fact: model.window.served, '>': {fact: model.window.effective}}
    """

  func rule(_ text: String = servedRule, locationFrom: String? = nil) throws -> RuleDefinition {
    let body = locationFrom.map { text + "\nlocation-from: \($0)\n" } ?? text
    return try RuleDefinition.parse(body, file: "r/model-served-test.yaml")
  }

  // Two containers in one deployment; only the second goes past the effective window.
  let facts = [
    fact("model.rope.method", "yarn", line: 4, path: "m/config.json"),
    fact("model.window.effective", 131072, line: 2, path: "m/config.json"),
    fact("model.window.served", 32768, line: 14, path: "m/deploy.yaml"),
    fact("model.window.served", 262144, line: 41, path: "m/deploy.yaml"),
  ]

  @Test func messageAndLocationComeFromTheFactThatMatched() throws {
    let findings = RuleEngine.evaluate([try rule(locationFrom: "model.window.served")], facts: facts, appliesTo: .model)
    #expect(
      findings == [
        Finding(
          rule: "model-served-test", severity: .error, message: "served 262144 over 131072",
          location: SourceLocation(path: ArtifactPath("m/deploy.yaml"), line: 41, column: 1))
      ])
  }

  @Test func defaultLocationIsTheFirstFactTheConditionRead() throws {
    let finding = try #require(RuleEngine.match(try rule(), facts: FactSet(facts)))
    #expect(finding.location == SourceLocation(path: ArtifactPath("m/config.json"), line: 4, column: 1))
  }

  @Test func locationFromAFactTheConditionDidNotReadUsesItsFirstFact() throws {
    let more = facts + [fact("model.window.native", 32768, line: 7, path: "m/README.md")]
    let finding = try #require(RuleEngine.match(try rule(locationFrom: "model.window.native"), facts: FactSet(more)))
    #expect(finding.location == SourceLocation(path: ArtifactPath("m/README.md"), line: 7, column: 1))
  }

  @Test func absentLocationFromFallsBackToTheDefault() throws {
    let finding = try #require(RuleEngine.match(try rule(locationFrom: "model.window.advertised"), facts: FactSet(facts)))
    #expect(finding.location?.line == 4)
  }

  @Test func onlyRulesOfTheRequestedScopeRun() throws {
    let modelRule = try rule()
    let jsonRule = try RuleDefinition.parse(
      """
      id: config-json-duplicate-key
      title: dup
      applies-to: config-json
      severity: warning
      message: "key {{json.duplicate_key}} repeats"
      rationale: test
      when: {fact: json.duplicate_key, exists: true}
      """, file: "r/config-json-duplicate-key.yaml")
    let all = facts + [fact("json.duplicate_key", "rope_scaling", line: 9, path: "m/config.json")]
    #expect(RuleEngine.evaluate([modelRule, jsonRule], facts: all, appliesTo: .model).map(\.rule) == ["model-served-test"])
    #expect(RuleEngine.evaluate([modelRule, jsonRule], facts: all, appliesTo: RuleScope(kind: .configJSON)).map(\.message) == ["key rope_scaling repeats"])
    #expect(RuleEngine.evaluate([modelRule, jsonRule], facts: all, appliesTo: .gguf).isEmpty)
  }

  @Test func findingsAreSortedByLocation() throws {
    let late = try rule(locationFrom: "model.window.served")
    let early = try RuleDefinition.parse(
      """
      id: model-method-known
      title: t
      applies-to: model
      severity: note
      message: m
      rationale: r
      when: {fact: model.rope.method, equals: yarn}
      """, file: "r/model-method-known.yaml")
    let findings = RuleEngine.evaluate([late, early], facts: facts, appliesTo: .model)
    #expect(findings.map(\.rule) == ["model-method-known", "model-served-test"])
  }

  @Test func findingWithoutLocationIsOnlySuppressedByAPathlessIgnore() throws {
    let absent = try RuleDefinition.parse(
      """
      id: model-no-card
      title: t
      applies-to: model
      severity: note
      message: no card
      rationale: r
      when: {fact: model.window.advertised, exists: false}
      """, file: "r/model-no-card.yaml")
    #expect(RuleEngine.match(absent, facts: FactSet(facts))?.location == nil)
    let withPath = AuditConfig(ignores: [.init(rule: "model-no-card", path: PathPattern("m"), reason: "r")])
    let everywhere = AuditConfig(ignores: [.init(rule: "model-no-card", reason: "cards are not shipped here")])
    #expect(RuleEngine.evaluate([absent], facts: facts, appliesTo: .model, config: withPath).count == 1)
    let outcome = RuleEngine.run([absent], facts: FactSet(facts), appliesTo: .model, config: everywhere)
    #expect(outcome.findings.isEmpty && outcome.suppressed.map(\.reason) == ["cards are not shipped here"])
  }

  @Test func realRuleFromTheCatalogFlagsAServedDeployment() throws {
    let catalog = try RuleCatalog.load(directories: [Paths.rules.path])
    let unitFacts = [
      fact("model.rope.method", "yarn", line: 20, path: "qwen/config.json"),
      fact("model.window.native", 32768, line: 18, path: "qwen/config.json"),
      fact("model.rope.original_window", 32768, line: 23, path: "qwen/config.json"),
      fact("model.window.effective", 131072, line: 18, path: "qwen/config.json"),
      fact("model.window.served", 262144, line: 9, path: "deploy/vllm.yaml"),
    ]
    let findings = RuleEngine.evaluate(catalog.rules, facts: unitFacts, appliesTo: .model)
    #expect(
      findings == [
        Finding(
          rule: "model-served-exceeds-effective", severity: .error,
          message: "served window 262144 exceeds the effective window 131072 of the declared yarn scaling (native 32768)",
          location: SourceLocation(path: ArtifactPath("deploy/vllm.yaml"), line: 9, column: 1))
      ])
  }
}
