import Foundation
import Testing
@testable import ContextAudit

@Suite struct RuleExampleRunnerTests {
  static let text = """
    id: config-json-duplicate-key
    title: dup
    applies-to: config-json
    severity: warning
    message: "key {{json.duplicate_key}} repeats"
    rationale: r
    when: {fact: json.duplicate_key, exists: true}
    location-from: json.duplicate_key
    examples:
      - {name: fixture flagged at line 3, expect: finding, fixture: Fixtures/json/dup.json, at: {path: Fixtures/json/dup.json, line: 3, column: 17}}
      - {name: fixture at the wrong line, expect: finding, fixture: Fixtures/json/dup.json, at: {line: 2}}
      - {name: inline fine, expect: ok, facts: {json.duplicate_key: rope_scaling}}
      - {name: inline wrong message, expect: finding, message: "key x repeats", facts: {json.duplicate_key: rope_scaling}}
    """

  func rule() throws -> RuleDefinition {
    try RuleDefinition.parse(Self.text, file: "Rules/config-json/config-json-duplicate-key.yaml")
  }

  /// What the real JSON reader reports for a config that says `rope_scaling` twice.
  static let stubReader: RuleExampleRunner.FixtureReader = { path in
    guard path == "Fixtures/json/dup.json" else { throw RuleExampleSkip(reason: "unknown fixture \(path)") }
    return [
      Fact(
        key: "json.duplicate_key", value: "rope_scaling",
        location: SourceLocation(path: ArtifactPath(path), line: 3, column: 17, keyPath: "rope_scaling"))
    ]
  }

  @Test func runsFixturesThroughTheHookAndChecksTheLocation() throws {
    let rule = try rule()
    let runner = RuleExampleRunner(factsForFixture: Self.stubReader)
    let results = rule.examples.enumerated().map { runner.run($0.element, of: rule, index: $0.offset) }
    #expect(
      results.map(\.status) == [
        .passed,
        .failed("finding has line 3 (expected 2)"),
        .failed("expected no finding, got: key rope_scaling repeats"),
        .failed("finding has message \"key rope_scaling repeats\" (expected \"key x repeats\")"),
      ])
    #expect(results.map(\.line) == [10, 11, 12, 13])
    #expect(results.first?.finding?.location == SourceLocation(path: ArtifactPath("Fixtures/json/dup.json"), line: 3, column: 17, keyPath: "rope_scaling"))
  }

  @Test func skipsFixturesWithoutAReader() throws {
    let rule = try rule()
    let result = RuleExampleRunner().run(rule.examples[0], of: rule, index: 0)
    #expect(result.status == .skipped("no fixture reader was given"))
  }

  @Test func singleFileReaderSkipsDirectoriesAndFailsOnMissingFiles() throws {
    let root = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: root) }
    try FileManager.default.createDirectory(at: root.appendingPathComponent("Fixtures/trees/qwen"), withIntermediateDirectories: true)
    let read = RuleExampleRunner.singleFileFixtures(root: root.path)
    #expect(throws: RuleExampleSkip(reason: "directory fixtures need the scan pipeline (Fixtures/trees/qwen)")) {
      _ = try read("Fixtures/trees/qwen")
    }
    let rule = try rule()
    let result = RuleExampleRunner(factsForFixture: read).run(rule.examples[0], of: rule, index: 0)
    #expect(result.status == .failed("fixture Fixtures/json/dup.json could not be read: Fixtures/json/dup.json: no such file or directory"))
  }

  @Test func fixtureRootIsTheFolderHoldingTheRulesDirectory() {
    #expect(RuleExampleRunner.fixtureRoot(forRulesDirectory: "/repo/Rules") == "/repo")
    #expect(RuleExampleRunner.fixtureRoot(forRulesDirectory: "/repo/Rules/") == "/repo")
  }

  @Test func reportListsFailuresSkipsAndASummary() throws {
    let rule = try rule()
    let runner = RuleExampleRunner(factsForFixture: Self.stubReader)
    var results = rule.examples.enumerated().map { runner.run($0.element, of: rule, index: $0.offset) }
    results.append(RuleExampleRunner().run(rule.examples[0], of: rule, index: 0))
    let report = RuleCatalogRenderer.testReport(results)
    #expect(
      report == """
        FAIL config-json-duplicate-key › fixture at the wrong line (Rules/config-json/config-json-duplicate-key.yaml:11): finding has line 3 (expected 2)
        FAIL config-json-duplicate-key › inline fine (Rules/config-json/config-json-duplicate-key.yaml:12): expected no finding, got: key rope_scaling repeats
        FAIL config-json-duplicate-key › inline wrong message (Rules/config-json/config-json-duplicate-key.yaml:13): finding has message "key rope_scaling repeats" (expected "key x repeats")
        SKIP config-json-duplicate-key › fixture flagged at line 3 (Rules/config-json/config-json-duplicate-key.yaml:10): no fixture reader was given
        5 examples: 1 passed, 3 failed, 1 skipped

        """)
  }
}
