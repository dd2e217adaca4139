import Foundation
import Testing

@testable import ContextAudit

/// Hostile YAML: model-card front matter and manifests that try to exhaust memory or time.
/// Each is scanned next to a good `config.json` in the same directory, so the unit's verdict
/// must still come from the config while the bad file gives exactly one `parse-error`.
@Suite struct HostileYAMLTests {
  /// Scans `bytes` written as `m/<name>` next to the good config; returns the unit report.
  func scanWithConfig(
    _ bytes: [UInt8], name: String, sourceLocation: Testing.SourceLocation = #_sourceLocation
  ) throws -> ModelReport {
    let tree = try TempTree()
    try Hostile.addGoodModel(tree, at: "m")
    try Hostile.write(bytes, to: tree.path("m/" + name))
    let report = try Hostile.scan(tree.root)
    #expect(report.models.map(\.path.value) == ["m"], sourceLocation: sourceLocation)
    let model = try #require(Hostile.model(report, "m"), sourceLocation: sourceLocation)
    #expect(model.verdict.summary == Hostile.goodSummary, sourceLocation: sourceLocation)
    return model
  }

  func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

  func parseErrors(_ model: ModelReport) -> [String] {
    model.findings.filter { $0.rule == Finding.parseErrorRule }.map(Hostile.describe)
  }

  @Test func billionLaughsInCardFrontMatterStopsAtTheAliasBudget() throws {
    let model = try scanWithConfig(try Paths.fixtureBytes("hostile/yaml/alias-bomb/README.md"), name: "README.md")
    #expect(parseErrors(model) == ["parse-error @ m/README.md:8:8: YAML aliases expand to more than 100000 nodes"])
    // The prose after the broken front matter is still read: "Supports 8k context." on line 15.
    #expect(model.windows.advertised == 8192)
  }

  @Test func billionLaughsInAManifestStopsAtTheAliasBudget() throws {
    let model = try scanWithConfig(try Paths.fixtureBytes("hostile/yaml/alias-bomb-manifest/deploy.yaml"), name: "deploy.yaml")
    #expect(model.findings.map(Hostile.describe) == ["parse-error @ m/deploy.yaml:6:8: YAML aliases expand to more than 100000 nodes"])
  }

  @Test func hundredThousandNestedFlowSequencesFailAtTheFirstBracketPastTheLimit() throws {
    // "a: " then 100,000 "[": the mapping is level 1, so the 256th "[" (column 259) opens level 257.
    let card = try scanWithConfig(bytes("---\na: " + String(repeating: "[", count: 100_000) + "\n---\n"), name: "README.md")
    #expect(parseErrors(card) == ["parse-error @ m/README.md:2:259: YAML nesting deeper than 256 levels"])
    let manifest = try scanWithConfig(bytes("a: " + String(repeating: "[", count: 100_000) + "\n"), name: "deploy.yaml")
    #expect(manifest.findings.map(Hostile.describe) == ["parse-error @ m/deploy.yaml:1:259: YAML nesting deeper than 256 levels"])
    // Read directly: the error is found while reading, at the 256th bracket, not at the end of the input.
    do {
      _ = try YAMLReader.documents(bytes(String(repeating: "[", count: 100_000)), path: ArtifactPath("x.yaml"))
      Issue.record("100,000 nested sequences were accepted")
    } catch {
      #expect(error.location.line == 1 && error.location.column == 257)
      #expect(error.message == "YAML nesting deeper than 256 levels")
    }
  }

  @Test func scalarOverOneMebibyteIsRefusedAtItsStart() throws {
    let card = bytes("---\nlicense: ") + [UInt8](repeating: UInt8(ascii: "x"), count: (1 << 20) + 1) + bytes("\n---\nSupports 32k context.\n")
    let model = try scanWithConfig(card, name: "README.md")
    #expect(parseErrors(model) == ["parse-error @ m/README.md:2:10: YAML scalar longer than 1048576 bytes"])
  }

  @Test func badIndentationIsASyntaxErrorAtTheOffendingColon() throws {
    let model = try scanWithConfig(try Paths.fixtureBytes("hostile/yaml/bad-indent/README.md"), name: "README.md")
    #expect(parseErrors(model) == ["parse-error @ m/README.md:3:7: YAML syntax error: mapping values are not allowed in this context"])
  }

  @Test func tabIndentationIsASyntaxErrorAtTheTab() throws {
    let model = try scanWithConfig(try Paths.fixtureBytes("hostile/yaml/tab-indent/README.md"), name: "README.md")
    #expect(parseErrors(model) == [
      "parse-error @ m/README.md:4:1: YAML syntax error: while scanning for the next token: found character that cannot start any token"
    ])
    #expect(model.windows.advertised == 32768)
  }

  @Test func unterminatedFrontMatterIsAnErrorAt1_1AndTheProseIsStillRead() throws {
    let model = try scanWithConfig(bytes("---\nlicense: mit\nbase_model: foo\n\n# Model\nSupports 32k context.\n"), name: "README.md")
    #expect(parseErrors(model) == [
      "parse-error @ m/README.md:1:1: model card front matter opened with '---' is never closed (expected a '---' line)"
    ])
    #expect(model.windows.advertised == 32768)
  }

  @Test func tenThousandDocumentsStopAtTheThousandthPlusOne() throws {
    let stream = (0..<10_000).map { "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: x\($0)}\n" }.joined()
    let model = try scanWithConfig(bytes(stream), name: "deploy.yaml")
    #expect(model.findings.map(Hostile.describe) == ["parse-error @ m/deploy.yaml:4001:1: YAML stream has more than 1000 documents"])
  }

  @Test func hundredThousandClaimLinesKeepTheFirst64() throws {
    let lines = (0..<100_000).map { "Supports a context length of \($0 % 100 + 1)k tokens.\n" }.joined()
    let card = "---\nlicense: mit\n---\n" + lines
    let artifact = ModelCardParser.parse(bytes(card), path: ArtifactPath("README.md"))
    #expect(artifact.error == nil)
    #expect(artifact.facts.filter { $0.key == "card.claim" }.count == ContextClaimExtractor.maxClaims)
    let cap = artifact.facts.first { $0.key == "card.claims_truncated" }
    #expect(cap?.value == .int(64))
    #expect(cap?.location.line == 4 + 64 && cap?.location.column == 30)
    let model = try scanWithConfig(bytes(card), name: "README.md")
    // The largest kept claim: 64k (line 67).
    #expect(model.windows.advertised == 65536)
  }

  /// Nodes are counted as they finish: the key "a" is the first, so the millionth item (column
  /// 5 + 2 × 999,999) is node 1,000,001. Reading was quadratic before the composer fix; this
  /// 2 MB manifest now takes well under a second.
  @Test func aMillionNodesStopAtTheNodeLimit() throws {
    let manifest = "a: [" + String(repeating: "1,", count: 1_000_000) + "1]\n"
    let model = try scanWithConfig(bytes(manifest), name: "deploy.yaml")
    #expect(model.findings.map(Hostile.describe) == ["parse-error @ m/deploy.yaml:1:2000003: YAML stream has more than 1000000 nodes"])
  }

  @Test func claimOnALineLongerThanTheLineLimitIsNotRead() throws {
    let long = String(repeating: "word ", count: 4_000) + "Supports a context length of 32k tokens.\n"
    let card = "---\nlicense: mit\n---\n" + long + "Supports 8k context.\n"
    let artifact = ModelCardParser.parse(bytes(card), path: ArtifactPath("README.md"))
    let claims = artifact.facts.filter { $0.key == "card.claim" }
    #expect(claims.count == 1)
    #expect(claims.first?.location.line == 5)
    #expect(claims.first?.value.objectValue?["tokens"] == .int(8192))
  }

  @Test func cardWithBrokenFrontMatterAloneIsStillReported() throws {
    let tree = try TempTree()
    try Hostile.write(try Paths.fixtureBytes("hostile/yaml/alias-bomb/README.md"), to: tree.path("m/README.md"))
    try Hostile.addGoodModel(tree, at: "good")
    let report = try Hostile.scan(tree.root)
    #expect(report.models.map(\.path.value) == ["good", "m"])
    #expect(Hostile.model(report, "m")?.findings.map(Hostile.describe) == [
      "parse-error @ m/README.md:8:8: YAML aliases expand to more than 100000 nodes"
    ])
    #expect(Hostile.model(report, "m")?.verdict.summary == "unknown: no config.json or GGUF in the unit")
  }
}
