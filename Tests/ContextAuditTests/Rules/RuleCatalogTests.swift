import Foundation
import Testing
@testable import ContextAudit

@Suite struct RuleCatalogTests {
  func ruleText(_ id: String, scope: String = "model", extra: String = "") -> String {
    RuleText.rule(id: id, scope: scope, when: "  {fact: model.remote_code, equals: true}", extra: extra)
  }

  @Test func loadsRecursivelySortedByIDAndSkipsOtherFiles() throws {
    let root = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: root) }
    try write(ruleText("model-zeta"), to: root.appendingPathComponent("model/model-zeta.yaml"))
    try write(ruleText("gguf-alpha", scope: "gguf"), to: root.appendingPathComponent("gguf/gguf-alpha.yml"))
    try write("# not a rule\n", to: root.appendingPathComponent("README.md"))
    try write("id: broken: [\n", to: root.appendingPathComponent("model/.hidden.yaml"))
    let catalog = try RuleCatalog.load(directories: [root.path])
    #expect(catalog.rules.map(\.id) == ["gguf-alpha", "model-zeta"])
    #expect(catalog.rules.map(\.file) == [root.path + "/gguf/gguf-alpha.yml", root.path + "/model/model-zeta.yaml"])
    #expect(catalog.rules.map(\.loadedFrom) == [root.path, root.path])
  }

  @Test func reportsEveryBrokenFileWithItsPosition() throws {
    let root = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: root) }
    try write(ruleText("model-one", extra: "colour: red"), to: root.appendingPathComponent("a/model-one.yaml"))
    try write(ruleText("model-three"), to: root.appendingPathComponent("b/model-two.yaml"))
    try write("id: model-four\ntitle: [unclosed\n", to: root.appendingPathComponent("c/model-four.yaml"))
    let error = #expect(throws: RuleCatalogError.self) { try RuleCatalog.load(directories: [root.path]) }
    let found = error?.errors.map { "\(ArtifactPath($0.location.path.value).fileName):\($0.location.line ?? 0):\($0.location.column ?? 0)" }
    #expect(found == ["model-one.yaml:7:1", "model-two.yaml:1:5", "model-four.yaml:3:1"])
    #expect(error?.errors.map(\.problem).first == .unknownKey("colour", context: "rule", expected: RuleDefinition.fileKeys))
    #expect(error?.errors.dropFirst().first?.problem == .idMismatch(id: "model-three", fileName: "model-two.yaml"))
    if case .yaml? = error?.errors.last?.problem {} else { Issue.record("expected a YAML error, got \(String(describing: error))") }
  }

  @Test func rejectsDuplicateIDsAcrossDirectories() throws {
    let root = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: root) }
    let first = root.appendingPathComponent("builtin/model/model-remote-code.yaml")
    let second = root.appendingPathComponent("team/model-remote-code.yaml")
    try write(ruleText("model-remote-code"), to: first)
    try write("# team copy\n" + ruleText("model-remote-code"), to: second)
    let error = #expect(throws: RuleCatalogError.self) {
      try RuleCatalog.load(directories: [root.appendingPathComponent("builtin").path, root.appendingPathComponent("team").path])
    }
    #expect(
      error?.errors == [
        RuleLoadError(
          .duplicateRuleID("model-remote-code", firstAt: first.path + ":1"),
          at: SourceLocation(path: ArtifactPath(second.path), line: 2, column: 1))
      ])
  }

  @Test func rejectsDeprecatedIDThatClashesWithAnotherRule() throws {
    let root = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: root) }
    try write(ruleText("model-new", extra: "deprecated-ids: [model-old]"), to: root.appendingPathComponent("model-new.yaml"))
    try write(ruleText("model-old"), to: root.appendingPathComponent("model-old.yaml"))
    let error = #expect(throws: RuleCatalogError.self) { try RuleCatalog.load(directories: [root.path]) }
    #expect(error?.errors.map(\.problem) == [.duplicateRuleID("model-old", firstAt: root.path + "/model-new.yaml:1")])
  }

  @Test func reportsAMissingDirectory() {
    let error = #expect(throws: RuleCatalogError.self) { try RuleCatalog.load(directories: ["/nonexistent/rules"]) }
    #expect(error?.errors == [RuleLoadError(.missingDirectory("/nonexistent/rules"), at: SourceLocation(path: ArtifactPath("/nonexistent/rules")))])
  }

  @Test func findsBuiltInRulesAboveTheExecutable() throws {
    let root = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: root) }
    let bin = root.appendingPathComponent(".build/x86_64-unknown-linux-gnu/debug")
    try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
    try FileManager.default.createDirectory(at: root.appendingPathComponent("Rules"), withIntermediateDirectories: true)
    let exe = bin.appendingPathComponent("ctxaudit").path
    #expect(RuleCatalog.builtInDirectory(executablePath: exe, environmentValue: nil) == root.path + "/Rules")
    #expect(RuleCatalog.builtInDirectory(executablePath: exe, environmentValue: "/opt/rules") == "/opt/rules")
    #expect(RuleCatalog.builtInDirectory(executablePath: exe, environmentValue: "") == root.path + "/Rules")

    let installed = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: installed) }
    try FileManager.default.createDirectory(at: installed.appendingPathComponent("share/ctxaudit/Rules"), withIntermediateDirectories: true)
    #expect(
      RuleCatalog.builtInDirectory(executablePath: installed.path + "/bin/ctxaudit", environmentValue: nil)
        == installed.path + "/share/ctxaudit/Rules")
  }

  @Test func exampleCasesAreDescribedByRuleAndName() throws {
    let rule = try RuleText.parse(
      RuleText.rule(
        when: "  {fact: model.remote_code, equals: true}",
        extra: "examples:\n  - {name: remote code, expect: finding, facts: {model.remote_code: true}}"))
    let cases = RuleCatalog(rules: [rule]).allExamples
    #expect(cases.map(\.description) == ["model-test-rule › remote code"])
    #expect(cases.map(\.source) == ["Rules/model/model-test-rule.yaml:8 (examples[0])"])
  }
}

/// Lints the rules shipped in `Rules/`, as semgrep-rules lints its own rules.
@Suite struct BuiltInRuleCatalogTests {
  static let catalog = Result { try RuleCatalog.load(directories: [Paths.rules.path]) }

  func rules() throws -> [RuleDefinition] { try Self.catalog.get().rules }

  @Test func loadsWithoutErrors() throws {
    #expect(try rules().count >= 20)
  }

  @Test func everyRuleHasAFlaggedAndAFineInlineExample() throws {
    for rule in try rules() {
      let inline = rule.examples.filter { if case .facts = $0.input { return true } else { return false } }
      #expect(inline.contains { $0.expect == .ok }, "\(rule.file): no inline ok example")
      #expect(inline.contains { $0.expect == .finding }, "\(rule.file): no inline finding example")
    }
  }

  @Test func idsMatchFileNamesFoldersAndScopes() throws {
    for rule in try rules() {
      #expect(ArtifactPath(rule.file).fileName == rule.id + ".yaml", "\(rule.file)")
      #expect(rule.file.hasPrefix(Paths.rules.path + "/\(rule.scope.rawValue)/"), "\(rule.file) is not under Rules/\(rule.scope.rawValue)/")
      #expect(rule.id.hasPrefix(rule.scope.rawValue + "-"), "\(rule.id) does not start with its scope")
    }
  }

  @Test func idsAreUniqueIncludingDeprecatedOnes() throws {
    let ids = try rules().flatMap(\.allIDs)
    #expect(Set(ids).count == ids.count)
  }

  @Test func messagePlaceholdersAreReadByTheConditionOrAreModelFacts() throws {
    for rule in try rules() {
      let read = Set(rule.condition.factKeys)
      for key in rule.message.factKeys {
        #expect(read.contains(key) || key.hasPrefix("model."), "\(rule.file): {{\(key)}} is neither read by when nor a model fact")
      }
      if let from = rule.locationFrom {
        #expect(read.contains(from) || from.hasPrefix("model."), "\(rule.file): location-from \(from) is not read by when")
      }
    }
  }

  @Test func everyRuleExplainsItselfWithReferences() throws {
    for rule in try rules() {
      #expect(!rule.message.segments.isEmpty, "\(rule.file): empty message")
      #expect(rule.rationale.count >= 100, "\(rule.file): rationale too short")
      #expect(!rule.references.isEmpty, "\(rule.file): no references")
      #expect(!rule.message.source.hasSuffix("."), "\(rule.file): messages are fragments without a final period")
    }
  }

  /// Every key a rule reads is in docs/facts.md, written out or as a `/ `leaf`` sibling.
  @Test func factKeysComeFromTheVocabulary() throws {
    let vocabulary = try String(contentsOf: Paths.root.appendingPathComponent("docs/facts.md"), encoding: .utf8)
    for rule in try rules() {
      for key in rule.condition.factKeys + rule.message.factKeys {
        let leaf = key.split(separator: ".").last.map(String.init) ?? key
        #expect(
          vocabulary.contains("`\(key)`") || vocabulary.contains("/ `\(leaf)`"), "\(rule.file): \(key) is not in docs/facts.md")
      }
    }
  }
}
