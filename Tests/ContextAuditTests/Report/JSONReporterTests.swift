import Foundation
import Testing

@testable import ContextAudit

/// Parses JSON text into Foundation objects for assertions.
func parseJSON(_ text: String) throws -> Any {
  try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
}

/// The JSON object at a dotted path with `[n]` indices (`models[0].verdict.factor`).
func value(_ root: Any, _ path: String) -> Any? {
  var current: Any? = root
  for part in path.split(separator: ".") {
    var name = Substring(part)
    var indices: [Int] = []
    while let open = name.lastIndex(of: "["), name.hasSuffix("]") {
      indices.insert(Int(name[name.index(after: open)..<name.index(before: name.endIndex)]) ?? -1, at: 0)
      name = name[..<open]
    }
    if !name.isEmpty { current = (current as? [String: Any])?[String(name)] }
    for index in indices {
      guard let array = current as? [Any], array.indices.contains(index) else { return nil }
      current = array[index]
    }
  }
  return current
}

@Suite struct JSONReporterTests {
  let text = JSONReporter().render(.sample)

  @Test func topLevelHasTheContractFields() throws {
    let root = try #require(try parseJSON(text) as? [String: Any])
    #expect(Set(root.keys) == ["schema_version", "tool", "models", "summary"])
    #expect(value(root, "schema_version") as? Int == ScanReport.schemaVersion)
    #expect(value(root, "tool.name") as? String == "ctxaudit")
    #expect(value(root, "tool.version") as? String == ToolInfo.version)
    #expect(value(root, "summary.models") as? Int == 5)
    #expect(value(root, "summary.errors") as? Int == 3)
    #expect(value(root, "summary.warnings") as? Int == 3)
    #expect(value(root, "summary.notes") as? Int == 2)
  }

  @Test func modelsKeepGivenOrderAndValues() throws {
    let root = try parseJSON(text)
    let paths = (value(root, "models") as? [Any])?.compactMap { value($0, "path") as? String }
    #expect(paths == ScanReport.sample.models.map(\.path.value))
    #expect(value(root, "models[0].name") is NSNull)
    #expect(value(root, "models[0].architecture") as? String == "qwen2")
    #expect(value(root, "models[0].verdict.kind") as? String == "interpolated")
    #expect(value(root, "models[0].verdict.method") as? String == "yarn")
    #expect(value(root, "models[0].verdict.factor") as? Double == 4.0)
    #expect(value(root, "models[0].verdict.fine_tuned") as? Bool == false)
    #expect(value(root, "models[0].verdict.followed") as? String == ScanReport.qwenDir + "/config.json")
    #expect(value(root, "models[0].verdict.reason") is NSNull)
    #expect(value(root, "models[0].windows.native") as? Int == 32768)
    #expect(value(root, "models[0].windows.served") is NSNull)
    #expect(value(root, "models[0].runtimes[1].window") is NSNull)
    #expect(value(root, "models[0].sources[2].kind") as? String == "model-card")
    #expect(value(root, "models[4].verdict.fine_tuned") is NSNull)
    #expect(value(root, "models[4].architecture") is NSNull)
    #expect((value(root, "models[3].findings") as? [Any])?.isEmpty == true)
  }

  @Test func findingsAreSortedWithFullLocations() throws {
    let root = try parseJSON(text)
    let rules = (value(root, "models[0].findings") as? [Any])?.compactMap { value($0, "rule") as? String }
    #expect(rules == ["cross-file-window-agrees", "config-json-yarn-fine-tuned", "parse-error"])
    // line, column and key path together
    #expect(value(root, "models[0].findings[0].location.line") as? Int == 12)
    #expect(value(root, "models[0].findings[0].location.column") as? Int == 3)
    #expect(value(root, "models[0].findings[0].location.key_path") as? String == "max_position_embeddings")
    #expect(value(root, "models[0].findings[0].location.offset") is NSNull)
    #expect(
      value(root, "models[0].findings[0].message") as? String
        == "card row | Context Length | 131072 | disagrees with max_position_embeddings 32768\n(YaRN not enabled by default)")
    // byte offset only
    #expect(value(root, "models[1].findings[0].location.offset") as? Int == 1207)
    #expect(value(root, "models[1].findings[0].location.line") is NSNull)
    // key path only
    #expect(value(root, "models[2].findings[0].location.key_path") as? String == "rope_scaling.rope_type")
    #expect(value(root, "models[2].findings[0].location.line") is NSNull)
    // no location: sorted first, location null
    #expect(value(root, "models[4].findings[0].rule") as? String == "model-window-source-present")
    #expect(value(root, "models[4].findings[0].location") is NSNull)
    #expect(value(root, "models[4].findings[1].location.path") as? String == "modèles/Été 7B/README.md")
  }

  @Test func escapesControlCharactersInStrings() {
    #expect(text.contains(#"card claim \"\u001b[31m8K context\u001b[0m\" is not backed by a config"#))
    #expect(text.contains(#"32768\n(YaRN not enabled by default)"#))
  }

  @Test func numbersAreStable() throws {
    var report = ScanReport(models: [ScanReport.phi3], rules: [])
    report.models[0].verdict.factor = .nan
    #expect(JSONReporter().render(report).contains("\"factor\": null,"))
    report.models[0].verdict.factor = -.infinity
    #expect(JSONReporter().render(report).contains("\"factor\": null,"))
    report.models[0].verdict.factor = 0.1
    #expect(JSONReporter().render(report).contains("\"factor\": 0.1,"))
    report.models[0].verdict.factor = 8
    #expect(JSONReporter().render(report).contains("\"factor\": 8.0,"))
    report.models[0].windows.native = Int64.max
    #expect(JSONReporter().render(report).contains("\"native\": 9223372036854775807,"))
    report.models[0].findings = [
      Finding(
        rule: "r", severity: .note, message: "m",
        location: SourceLocation(path: ArtifactPath("m.gguf"), offset: UInt64.max))
    ]
    #expect(JSONReporter().render(report).contains("\"offset\": 18446744073709551615"))
  }

  @Test func writesSortedKeysWithTwoSpaceIndent() {
    let node = JSONNode.object(["b": .array([.int(1), .object([:])]), "a": .null, "B": .array([])])
    #expect(node.pretty == "{\n  \"B\": [],\n  \"a\": null,\n  \"b\": [\n    1,\n    {}\n  ]\n}")
    #expect(node.compact == #"{"B":[],"a":null,"b":[1,{}]}"#)
    #expect(text.hasPrefix("{\n  \"models\": [\n    {\n      \"analysis\": null,\n      \"architecture\": \"qwen2\",\n"))
  }

  @Test func emptyScanIsAValidDocument() throws {
    let empty = JSONReporter().render(ScanReport(models: [], rules: []))
    #expect(
      empty
        == "{\n  \"models\": [],\n  \"schema_version\": 1,\n  \"summary\": {\n    \"errors\": 0,\n    \"models\": 0,\n"
        + "    \"notes\": 0,\n    \"warnings\": 0\n  },\n  \"tool\": {\n    \"name\": \"ctxaudit\",\n    \"version\": \"\(ToolInfo.version)\"\n  }\n}\n")
  }
}

/// The JSON and JSON Lines output against `schema/ctxaudit-report.schema.json`, and the
/// schema against the Swift types it mirrors.
@Suite struct ReportSchemaTests {
  static func schema() throws -> [String: Any] {
    let data = try Data(contentsOf: Paths.root.appendingPathComponent("schema/ctxaudit-report.schema.json"))
    return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
  }

  @Test func sampleValidates() throws {
    guard let outcome = try SchemaValidation.validate(JSONReporter().render(.sample), mode: "report") else { return }
    #expect(outcome.status == 0, "\(outcome.output)")
  }

  @Test func edgeCasesValidate() throws {
    var report = ScanReport(models: [ScanReport.cardOnly, ScanReport.phi3], rules: [])
    report.models[0].verdict.factor = .nan
    report.models[1].verdict.fineTuned = true
    for candidate in [report, ScanReport(models: [], rules: [])] {
      guard let outcome = try SchemaValidation.validate(JSONReporter().render(candidate), mode: "report") else { return }
      #expect(outcome.status == 0, "\(outcome.output)")
    }
  }

  /// The validator really rejects: an unknown field, a bad severity and a 0 line each fail.
  @Test func schemaRejectsDrift() throws {
    let good = JSONReporter().render(.sample)
    let broken = [
      good.replacingOccurrences(of: "\"schema_version\": 1,", with: "\"schema_version\": 1, \"extra\": true,"),
      good.replacingOccurrences(of: "\"severity\": \"warning\"", with: "\"severity\": \"fatal\""),
      good.replacingOccurrences(of: "\"line\": 12,", with: "\"line\": 0,"),
      good.replacingOccurrences(of: "\"kind\": \"model-card\"", with: "\"kind\": \"readme\""),
    ]
    for (index, text) in broken.enumerated() {
      #expect(text != good)
      guard let outcome = try SchemaValidation.validate(text, mode: "report") else { return }
      #expect(outcome.status == 1, "case \(index) should be invalid: \(outcome.output)")
    }
  }

  @Test func enumsMatchSwiftTypes() throws {
    let defs = try #require(try Self.schema()["$defs"] as? [String: Any])
    func enumValues(_ name: String) -> Set<String> {
      Set(((defs[name] as? [String: Any])?["enum"] as? [String]) ?? [])
    }
    #expect(enumValues("severity") == Set(Severity.allCases.map(\.rawValue)))
    #expect(enumValues("artifact_kind") == Set(ArtifactKind.allCases.map(\.rawValue)))
    #expect(enumValues("verdict_kind") == Set(VerdictKind.allCases.map(\.rawValue)))
    #expect(enumValues("rope_method") == Set(RopeMethod.allCases.map(\.rawValue)))
  }

  /// Every object the reporter writes has exactly the schema's required keys, so "always
  /// present" holds both ways.
  @Test func requiredKeysMatchWhatIsWritten() throws {
    let schema = try Self.schema()
    let defs = try #require(schema["$defs"] as? [String: Any])
    let root = try parseJSON(JSONReporter().render(.sample))
    func required(_ def: Any?) -> Set<String> { Set(((def as? [String: Any])?["required"] as? [String]) ?? []) }
    func keys(_ object: Any?) -> Set<String> { Set((object as? [String: Any])?.keys.map { $0 } ?? []) }
    #expect(keys(root) == required(schema))
    #expect(keys(value(root, "models[0]")) == required(defs["model"]))
    #expect(keys(value(root, "models[0].verdict")) == required(defs["verdict"]))
    #expect(keys(value(root, "models[0].findings[0]")) == required(defs["finding"]))
    #expect(keys(value(root, "models[0].findings[0].location")) == required(defs["location"]))
    #expect(keys(value(root, "summary")) == required(defs["summary"]))
  }

  @Test func jsonlValidates() throws {
    guard let outcome = try SchemaValidation.validate(JSONLReporter().render(.sample), mode: "jsonl") else { return }
    #expect(outcome.status == 0, "\(outcome.output)")
    guard let empty = try SchemaValidation.validate(JSONLReporter().render(ScanReport(models: [], rules: [])), mode: "jsonl")
    else { return }
    #expect(empty.status == 0, "\(empty.output)")
    guard let truncated = try SchemaValidation.validate(JSONReporter().render(.sample), mode: "jsonl") else { return }
    #expect(truncated.status == 1)
  }
}
