import Foundation
import Testing
@testable import ContextAudit

@Suite struct AuditConfigTests {
  static let staticRule = """
    id: model-static-interpolation-large-factor
    title: Large static factor
    applies-to: model
    severity: warning
    message: "{{model.rope.method}} by {{model.rope.factor}} over {{param.max-factor}}"
    rationale: test
    deprecated-ids: [model-large-factor]
    params: {max-factor: 4}
    when:
      all:
        - {fact: model.rope.method, in: [linear, yarn]}
        - {fact: model.rope.factor, '>': {param: max-factor}}
    location-from: model.rope.factor
    """

  func rule() throws -> RuleDefinition {
    try RuleDefinition.parse(Self.staticRule, file: "Rules/model/model-static-interpolation-large-factor.yaml")
  }

  let facts = [
    fact("model.rope.method", "linear", line: 8, path: "m/config.json"),
    fact("model.rope.factor", 8.0, line: 9, path: "m/config.json"),
  ]

  @Test func parsesEveryKey() throws {
    let text = """
      rules: [team-rules, /opt/rules]
      disable: [model-remote-code]
      severity: {model-gguf-config-window-mismatch: error}
      params:
        model-static-interpolation-large-factor: {max-factor: 8}
      ignore:
        - rule: model-served-exceeds-effective
          path: deploy/staging
          reason: staging runs the long-context eval on purpose
      """
    let config = try AuditConfig.parse(text, file: "/repo/.ctxaudit.yaml", baseDirectory: "/repo")
    #expect(config.ruleDirectories == ["/repo/team-rules", "/opt/rules"])
    #expect(config.disabled == ["model-remote-code"])
    #expect(config.severities == ["model-gguf-config-window-mismatch": .error])
    #expect(config.params == ["model-static-interpolation-large-factor": ["max-factor": 8]])
    #expect(
      config.ignores == [
        AuditConfig.Ignore(
          rule: "model-served-exceeds-effective", path: PathPattern("deploy/staging"),
          reason: "staging runs the long-context eval on purpose")
      ])
  }

  @Test func emptyFileIsTheDefault() throws {
    for text in ["", "# nothing yet\n", "---\n"] {
      let config = try AuditConfig.parse(text, file: ".ctxaudit.yaml")
      #expect(config == AuditConfig(file: ".ctxaudit.yaml"))
    }
    #expect(throws: AuditConfigError(.wrongShape(context: "config", expected: "a mapping"), at: SourceLocation(path: ArtifactPath("c.yaml"), line: 1, column: 1))) {
      _ = try AuditConfig.parse("- disable\n", file: "c.yaml")
    }
  }

  @Test func disableStopsTheRuleAlsoUnderItsDeprecatedID() throws {
    let rule = try rule()
    #expect(RuleEngine.evaluate([rule], facts: facts, appliesTo: .model).count == 1)
    for id in [rule.id, "model-large-factor"] {
      let config = AuditConfig(disabled: [id])
      #expect(RuleEngine.evaluate([rule], facts: facts, appliesTo: .model, config: config).isEmpty)
    }
  }

  @Test func severityOverrideChangesTheFinding() throws {
    let config = try AuditConfig.parse("severity: {model-static-interpolation-large-factor: error}\n", file: "c.yaml")
    let findings = RuleEngine.evaluate([try rule()], facts: facts, appliesTo: .model, config: config)
    #expect(findings.map(\.severity) == [.error])
    #expect(findings.first?.location == SourceLocation(path: ArtifactPath("m/config.json"), line: 9, column: 1))
  }

  @Test func paramOverrideChangesTheOutcomeAndTheMessage() throws {
    let rule = try rule()
    #expect(RuleEngine.evaluate([rule], facts: facts, appliesTo: .model).map(\.message) == ["linear by 8 over 4"])
    let lenient = try AuditConfig.parse("params: {model-static-interpolation-large-factor: {max-factor: 8}}\n", file: "c.yaml")
    #expect(RuleEngine.evaluate([rule], facts: facts, appliesTo: .model, config: lenient).isEmpty)
    let strict = try AuditConfig.parse("params: {model-large-factor: {max-factor: 2.5}}\n", file: "c.yaml")
    #expect(RuleEngine.evaluate([rule], facts: facts, appliesTo: .model, config: strict).map(\.message) == ["linear by 8 over 2.5"])
  }

  @Test func ignoreNeedsAReason() {
    let text = "ignore:\n  - rule: model-remote-code\n    path: vendor\n"
    #expect(throws: AuditConfigError(.ignoreWithoutReason(rule: "model-remote-code"), at: SourceLocation(path: ArtifactPath("c.yaml"), line: 2, column: 5))) {
      _ = try AuditConfig.parse(text, file: "c.yaml")
    }
    let blank = "ignore:\n  - {rule: model-remote-code, reason: '  '}\n"
    #expect(throws: AuditConfigError(.ignoreWithoutReason(rule: "model-remote-code"), at: SourceLocation(path: ArtifactPath("c.yaml"), line: 2, column: 39))) {
      _ = try AuditConfig.parse(blank, file: "c.yaml")
    }
  }

  @Test func ignoreSuppressesMatchingPathsOnly() throws {
    let config = try AuditConfig.parse(
      "ignore:\n  - {rule: model-large-factor, path: 'm/*.json', reason: fine-tuned in-house at 32k}\n", file: "c.yaml")
    let rule = try rule()
    let outcome = RuleEngine.run([rule], facts: FactSet(facts), appliesTo: .model, config: config)
    #expect(outcome.findings.isEmpty)
    #expect(outcome.suppressed.map(\.reason) == ["fine-tuned in-house at 32k"])
    let elsewhere = facts.map { Fact(key: $0.key, value: $0.value, location: SourceLocation(path: ArtifactPath("n/config.json"), line: 9)) }
    #expect(RuleEngine.evaluate([rule], facts: elsewhere, appliesTo: .model, config: config).count == 1)
  }

  @Test func unknownKeyIsAnErrorAtItsPosition() {
    #expect(throws: AuditConfigError(.unknownKey("disabled", context: "config", expected: AuditConfig.keys), at: SourceLocation(path: ArtifactPath("c.yaml"), line: 2, column: 1))) {
      _ = try AuditConfig.parse("rules: []\ndisabled: [x]\n", file: "c.yaml")
    }
  }

  @Test func badSeverityIsAnErrorAtTheValue() {
    #expect(throws: AuditConfigError(.invalidValue(key: "severity of 'model-remote-code'", value: "fatal", expected: "error | warning | note"), at: SourceLocation(path: ArtifactPath("c.yaml"), line: 1, column: 31))) {
      _ = try AuditConfig.parse("severity: {model-remote-code: fatal}\n", file: "c.yaml")
    }
  }

  @Test func validateReportsUnknownRulesParamsAndTypes() throws {
    let text = """
      disable: [model-no-such-rule]
      params:
        model-static-interpolation-large-factor: {max-factor: high, max-ratio: 2}
      """
    let config = try AuditConfig.parse(text, file: "c.yaml")
    let problems = config.validate(against: [try rule()])
    #expect(
      problems == [
        AuditConfigError(.unknownRule("model-no-such-rule"), at: SourceLocation(path: ArtifactPath("c.yaml"), line: 1, column: 11)),
        AuditConfigError(
          .paramType(rule: "model-static-interpolation-large-factor", param: "max-factor", expected: "a number"),
          at: SourceLocation(path: ArtifactPath("c.yaml"), line: 3, column: 45)),
        AuditConfigError(.unknownParam("max-ratio"), at: SourceLocation(path: ArtifactPath("c.yaml"), line: 3, column: 63)),
      ])
  }

  @Test func findsTheNearestConfigUpward() throws {
    let root = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: root) }
    let model = root.appendingPathComponent("team/models/qwen")
    try FileManager.default.createDirectory(at: model, withIntermediateDirectories: true)
    try write("disable: [model-remote-code]\n", to: root.appendingPathComponent(".ctxaudit.yaml"))
    try write("{}", to: model.appendingPathComponent("config.json"))

    #expect(AuditConfig.find(startingAt: model.path) == root.appendingPathComponent(".ctxaudit.yaml").path)
    #expect(AuditConfig.find(startingAt: model.appendingPathComponent("config.json").path) == root.path + "/.ctxaudit.yaml")

    let nearer = root.appendingPathComponent("team/.ctxaudit.yaml")
    try write("rules: [../shared-rules]\n", to: nearer)
    #expect(AuditConfig.find(startingAt: model.path) == nearer.path)
    let config = try #require(try AuditConfig.discover(startingAt: model.path))
    #expect(config.ruleDirectories == [root.appendingPathComponent("shared-rules").path])
    #expect(config.file == nearer.path)
  }

  @Test func loadReportsAMissingFile() {
    #expect(throws: AuditConfigError(.unreadable("no such file or directory"), at: SourceLocation(path: ArtifactPath("/nonexistent/.ctxaudit.yaml")))) {
      _ = try AuditConfig.load(file: "/nonexistent/.ctxaudit.yaml")
    }
  }
}
