import Foundation
import Testing

@testable import ContextAudit

@Suite struct SARIFReporterTests {
  let log: Any

  init() throws {
    log = try parseJSON(SARIFReporter().render(.sample))
  }

  func results() throws -> [Any] { try #require(value(log, "runs[0].results") as? [Any]) }

  /// The result for the finding with this rule id (unique in the sample).
  func result(_ rule: String) throws -> Any {
    try #require(try results().first { value($0, "ruleId") as? String == rule })
  }

  @Test func headerAndDriver() throws {
    #expect(value(log, "version") as? String == "2.1.0")
    #expect(value(log, "$schema") as? String == SARIFReporter.schemaURI)
    #expect((value(log, "runs") as? [Any])?.count == 1)
    #expect(value(log, "runs[0].columnKind") as? String == "unicodeCodePoints")
    #expect(value(log, "runs[0].tool.driver.name") as? String == "ctxaudit")
    #expect(value(log, "runs[0].tool.driver.version") as? String == ToolInfo.version)
    #expect(value(log, "runs[0].tool.driver.informationUri") == nil)
  }

  @Test func listsEveryRuleSortedWithParseError() throws {
    let rules = try #require(value(log, "runs[0].tool.driver.rules") as? [Any])
    let ids = rules.compactMap { value($0, "id") as? String }
    #expect(
      ids == [
        "config-json-llama3-scaling", "config-json-yarn-fine-tuned", "cross-file-window-agrees",
        "gguf-context-length-confirmed", "gguf-version-supported", "manifest-served-within-effective",
        "model-card-claim-backed", "model-window-source-present", "parse-error",
      ])
    let gguf = try #require(rules.first { value($0, "id") as? String == "gguf-version-supported" })
    #expect(value(gguf, "name") as? String == "GgufVersionSupported")
    #expect(value(gguf, "shortDescription.text") as? String == "GGUF version is supported")
    #expect(value(gguf, "fullDescription.text") as? String == "Current loaders read only v2 and v3 headers; v1 files fail at load time")
    #expect((value(gguf, "help.text") as? String)?.hasSuffix("Run `ctxaudit rules explain gguf-version-supported` for examples.") == true)
    #expect(value(gguf, "helpUri") as? String == "https://github.com/ggml-org/ggml/blob/master/docs/gguf.md")
    #expect(value(gguf, "defaultConfiguration.level") as? String == "error")
    let parse = try #require(rules.last)
    #expect(value(parse, "defaultConfiguration.level") as? String == "error")
    #expect(value(parse, "shortDescription.text") as? String == "Artifact is readable")
    // used by a finding but not described by the report: id and name only
    let undescribed = try #require(rules.first { value($0, "id") as? String == "model-card-claim-backed" })
    #expect(Set((undescribed as? [String: Any])?.keys.map { $0 } ?? []) == ["id", "name"])
  }

  @Test func everyResultPointsAtItsRule() throws {
    let rules = try #require(value(log, "runs[0].tool.driver.rules") as? [Any])
    let results = try results()
    #expect(results.count == 8)
    for result in results {
      let index = try #require(value(result, "ruleIndex") as? Int)
      #expect(value(rules[index], "id") as? String == value(result, "ruleId") as? String)
    }
    #expect(
      results.compactMap { value($0, "level") as? String }
        == ["error", "note", "error", "warning", "note", "warning", "error", "warning"])
  }

  @Test func lineColumnAndKeyPathInAnArchive() throws {
    let r = try result("cross-file-window-agrees")
    #expect(
      value(r, "locations[0].physicalLocation.artifactLocation.uri") as? String
        == "bundles/qwen2.5-7b.tar.gz!/Qwen2.5-7B-Instruct/config.json")
    #expect(value(r, "locations[0].physicalLocation.region.startLine") as? Int == 12)
    #expect(value(r, "locations[0].physicalLocation.region.startColumn") as? Int == 3)
    #expect(value(r, "locations[0].physicalLocation.region.byteOffset") == nil)
    #expect(value(r, "locations[0].logicalLocations[0].fullyQualifiedName") as? String == "max_position_embeddings")
    #expect(value(r, "locations[0].logicalLocations[0].kind") as? String == "property")
    #expect((value(r, "message.text") as? String)?.contains("| Context Length |") == true)
  }

  @Test func byteOffsetForBinary() throws {
    let r = try result("gguf-context-length-confirmed")
    #expect(value(r, "locations[0].physicalLocation.region.byteOffset") as? Int == 1207)
    #expect(value(r, "locations[0].physicalLocation.region.byteLength") == nil)
    #expect(value(r, "locations[0].physicalLocation.region.startLine") == nil)
    #expect(value(r, "locations[0].logicalLocations") == nil)
  }

  @Test func keyPathOnlyHasNoRegion() throws {
    let r = try result("config-json-llama3-scaling")
    #expect(
      value(r, "locations[0].physicalLocation.artifactLocation.uri") as? String
        == "models/Llama-3.1-8B-Instruct/config.json")
    #expect(value(r, "locations[0].physicalLocation.region") == nil)
    #expect(value(r, "locations[0].logicalLocations[0].fullyQualifiedName") as? String == "rope_scaling.rope_type")
  }

  @Test func noLocationPointsAtTheModelAndUnicodeIsPercentEncoded() throws {
    let r = try result("model-window-source-present")
    #expect(value(r, "locations[0].physicalLocation.artifactLocation.uri") as? String == "mod%C3%A8les/%C3%89t%C3%A9%207B")
    #expect(value(r, "locations[0].physicalLocation.region") == nil)
    let card = try result("model-card-claim-backed")
    #expect(
      value(card, "locations[0].physicalLocation.artifactLocation.uri") as? String
        == "mod%C3%A8les/%C3%89t%C3%A9%207B/README.md")
  }

  @Test func uriEncoding() {
    #expect(SARIFReporter.uri(for: ArtifactPath("a b/c#d?e%f:g[h]")) == "a%20b/c%23d%3Fe%25f%3Ag%5Bh%5D")
    #expect(SARIFReporter.uri(for: ArtifactPath("m.zip!/x/config.json")) == "m.zip!/x/config.json")
    #expect(SARIFReporter.uri(for: ArtifactPath("/srv/models/a b.gguf")) == "file:///srv/models/a%20b.gguf")
    #expect(SARIFReporter.uri(for: ArtifactPath("モデル")) == "%E3%83%A2%E3%83%87%E3%83%AB")
    #expect(SARIFReporter.uri(for: ArtifactPath("tab\there")) == "tab%09here")
  }

  /// Every URI in the log uses only characters RFC 3986 allows in a path, with valid escapes.
  @Test func urisAreWellFormed() throws {
    let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=@/%:")
    for result in try results() {
      let uri = try #require(value(result, "locations[0].physicalLocation.artifactLocation.uri") as? String)
      #expect(uri.allSatisfy(allowed.contains), "\(uri)")
      #expect(uri.removingPercentEncoding != nil, "\(uri)")
    }
  }

  @Test func pascalCaseNames() {
    #expect(SARIFReporter.pascalCase("parse-error") == "ParseError")
    #expect(SARIFReporter.pascalCase("config-json-rope_scaling-known") == "ConfigJsonRopeScalingKnown")
  }

  @Test func validatesAgainstOfficialSchema() throws {
    for report in [ScanReport.sample, ScanReport(models: [], rules: [])] {
      guard let outcome = try SchemaValidation.validate(SARIFReporter().render(report), mode: "sarif") else { return }
      #expect(outcome.status == 0, "\(outcome.output)")
    }
  }

  /// The official schema check is effective: a bad level and a missing message are caught.
  @Test func officialSchemaRejectsBrokenLog() throws {
    let good = SARIFReporter().render(.sample)
    for broken in [
      good.replacingOccurrences(of: "\"level\": \"note\"", with: "\"level\": \"info\""),
      good.replacingOccurrences(of: "\"version\": \"2.1.0\"", with: "\"version\": \"2.0.0\""),
      good.replacingOccurrences(of: "\"startLine\": 12", with: "\"startLine\": 0"),
    ] {
      #expect(broken != good)
      guard let outcome = try SchemaValidation.validate(broken, mode: "sarif") else { return }
      #expect(outcome.status == 1, "\(outcome.output)")
    }
  }
}
