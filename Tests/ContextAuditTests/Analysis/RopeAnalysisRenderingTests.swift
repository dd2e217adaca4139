import Foundation
import Testing

@testable import ContextAudit

/// The analysis in every output format: JSON and JSON Lines against the schema, one `rope`
/// line in the table, one `RoPE:` line in Markdown, nothing in SARIF.
@Suite struct RopeAnalysisRenderingTests {
  /// Real fixtures covering every shape: runtime notes (gpt-oss, InternLM), a softmax multiplier
  /// (DeepSeek-V3), overstretched pairs and a sequence length (Phi-3), GGUF divisors, and no
  /// analysis (MPT, ALiBi).
  static func report() throws -> ScanReport {
    let models = try ["gpt-oss-20b", "deepseek-v3-0324", "phi-3-mini-128k-instruct", "internlm2.5-7b-chat", "mpt-7b-instruct"]
      .map(AnalysisFixtures.model) + [AnalysisFixtures.gguf("llama3-8b-rope-freqs")]
    return ScanReport(models: models, rules: [])
  }

  @Test func realAnalysesValidateAgainstTheSchema() throws {
    let report = try Self.report()
    guard let json = try SchemaValidation.validate(JSONReporter().render(report), mode: "report") else { return }
    #expect(json.status == 0, "\(json.output)")
    guard let jsonl = try SchemaValidation.validate(JSONLReporter().render(report), mode: "jsonl") else { return }
    #expect(jsonl.status == 0, "\(jsonl.output)")
  }

  /// Machine output keeps full precision (shortest round-trip form), and `null` where nothing applies.
  @Test func jsonKeepsFullPrecision() throws {
    let root = try parseJSON(JSONReporter().render(Self.report()))
    #expect(value(root, "models[1].analysis.softmax_scale_multiplier") as? Double == 1.8738542070926265)
    expectClose(value(root, "models[0].analysis.attention_scale") as? Double, 1.3465735902799727, rel: 1e-15)
    #expect(value(root, "models[0].analysis.softmax_scale_multiplier") is NSNull)
    #expect(value(root, "models[0].analysis.longest_original_wavelength") as? Double == 649408.9588128396)
    #expect(value(root, "models[0].analysis.pairs[17].kind") as? String == "blended")
    #expect(value(root, "models[0].analysis.pairs[17].k") as? Int == 17)
    #expect(value(root, "models[0].analysis.counts.interpolated") as? Int == 14)
    #expect(value(root, "models[0].analysis.shares.interpolated") as? Double == 0.4375)
    #expect(value(root, "models[0].analysis.runtime") as? String == "transformers")
    #expect(value(root, "models[0].analysis.sequence_length") is NSNull)
    #expect(value(root, "models[0].analysis.covers_advertised") is NSNull)
    #expect(value(root, "models[1].analysis.covers_effective") as? Bool == false)
    #expect(value(root, "models[2].analysis.sequence_length") as? Int == 131_072)
    #expect(value(root, "models[2].analysis.counts.overstretched") as? Int == 23)
    #expect((value(root, "models[3].analysis.runtime_notes") as? [String])?.count == 2)
    #expect(value(root, "models[4].analysis") is NSNull)
    #expect(value(root, "models[5].analysis.runtime") as? String == "llama.cpp")
    // The GGUF reader gives float32 values in their shortest decimal form.
    #expect(value(root, "models[5].analysis.pairs[29].stretch") as? Double == 1.2074839)
    let text = JSONReporter().render(try Self.report())
    #expect(text.contains("\"softmax_scale_multiplier\": 1.8738542070926265,"))
  }

  /// The analysis object, its counts, shares and pair rows have exactly the schema's required keys.
  @Test func requiredKeysMatchWhatIsWritten() throws {
    let defs = try #require(try ReportSchemaTests.schema()["$defs"] as? [String: Any])
    let root = try parseJSON(JSONReporter().render(Self.report()))
    func required(_ def: Any?) -> Set<String> { Set(((def as? [String: Any])?["required"] as? [String]) ?? []) }
    func keys(_ object: Any?) -> Set<String> { Set((object as? [String: Any])?.keys.map { $0 } ?? []) }
    let analysis = defs["rope_analysis"] as? [String: Any]
    let pairDef = ((analysis?["properties"] as? [String: Any])?["pairs"] as? [String: Any])?["items"]
    #expect(!required(analysis).isEmpty)
    #expect(keys(value(root, "models[0].analysis")) == required(analysis))
    #expect(keys(value(root, "models[0].analysis.pairs[0]")) == required(pairDef))
    #expect(keys(value(root, "models[0].analysis.counts")) == required(defs["pair_kind_counts"]))
    #expect(keys(value(root, "models[0].analysis.shares")) == required(defs["pair_kind_shares"]))
    let kinds = Set(((defs["pair_kind"] as? [String: Any])?["enum"] as? [String]) ?? [])
    #expect(kinds == Set(RoPEAnalysis.PairKind.allCases.map(\.rawValue)))
    #expect(required(defs["pair_kind_counts"]) == kinds)
  }

  /// The schema really constrains the new object: an unknown kind, an extra key and a string
  /// where a number belongs each fail.
  @Test func schemaRejectsAnalysisDrift() throws {
    let good = JSONReporter().render(try Self.report())
    let broken = [
      good.replacingOccurrences(of: "\"kind\": \"blended\"", with: "\"kind\": \"stretched\""),
      good.replacingOccurrences(of: "\"full_stretch\": 32.0,", with: "\"full_stretch\": 32.0, \"extra\": 1,"),
      good.replacingOccurrences(of: "\"theta\": 150000.0", with: "\"theta\": \"150000\""),
      good.replacingOccurrences(of: "\"runtime\": \"llama.cpp\",\n        \"runtime_notes\"", with: "\"runtime\": \"ggml\",\n        \"runtime_notes\""),
    ]
    for (index, text) in broken.enumerated() {
      #expect(text != good, "case \(index) did not change the text")
      guard let outcome = try SchemaValidation.validate(text, mode: "report") else { return }
      #expect(outcome.status == 1, "case \(index) should be invalid: \(outcome.output)")
    }
  }

  @Test func tableShowsTheSummaryOnARopeLine() throws {
    let text = TableReporter().render(try Self.report())
    let lines = text.split(separator: "\n").map(String.init)
    let ropeLines = lines.filter { $0.hasPrefix("  rope ") }
    #expect(ropeLines.count == 5)  // every model but MPT
    #expect(
      ropeLines[0] == "  rope       32 pairs: 9 kept, 9 blended, 14 interpolated ×32; longest wavelength 649.4K tokens")
    // Runtime notes and pair rows stay out of the table.
    #expect(!text.contains("floors/ceils"))
    #expect(!text.contains("original_wavelength"))
    // The rope line follows the windows and reason lines and precedes the runtimes; its wrap is indented.
    let gptOSS = try #require(lines.firstIndex { $0.hasPrefix("gpt-oss-20b") })
    #expect(lines[gptOSS + 1].hasPrefix("  windows "))
    #expect(lines[gptOSS + 2] == "  reason     vendor-trained extension (family gpt-oss)")
    #expect(lines[gptOSS + 3] == ropeLines[0])
    #expect(lines[gptOSS + 4] == "             (20.8M scaled); attention ×1.347")
    #expect(lines[gptOSS + 5].hasPrefix("  runtime    vllm "))
  }

  @Test func markdownShowsTheSummaryUnderTheModelTable() throws {
    let text = MarkdownReporter().render(try Self.report())
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let ropeLines = lines.filter { $0.hasPrefix("RoPE: ") }
    #expect(ropeLines.count == 5)
    #expect(
      ropeLines.contains(
        "RoPE: 32 pairs: 11 kept, 12 blended, 9 interpolated ×40; longest wavelength 47.1K tokens (1.9M scaled); softmax ×1.874"
      ))
    // A paragraph of its own: a blank line before and after, so GFM does not read it as a table row.
    for (index, line) in lines.enumerated() where line.hasPrefix("RoPE: ") {
      #expect(lines[index - 1] == "" && lines[index + 1] == "")
      #expect(lines[index - 2].hasPrefix("| `"))
    }
  }

  @Test func sarifIsUnchangedByTheAnalysis() throws {
    var without = try Self.report()
    for index in without.models.indices { without.models[index].analysis = nil }
    let reporter = SARIFReporter()
    #expect(try reporter.render(Self.report()) == reporter.render(without))
  }
}
