import Foundation
import Testing

/// The built `ctxaudit inspect`: every fact with its location, and clean failures.
@Suite(.serialized) struct InspectCommandTests {
  @Test func printsGGUFFactsWithByteOffsetsAsJSON() throws {
    let run = try CLIRunner.run(["inspect", "Fixtures/gguf/llama3-8b-rope-freqs.gguf", "--format", "json"])
    #expect(run.status == 0)
    let root = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
    let facts = try #require(root["facts"] as? [[String: Any]])
    let context = try #require(facts.first { $0["key"] as? String == "gguf.kv.llama.context_length" })
    #expect(context["value"] as? Int == 131072)
    #expect((context["location"] as? [String: Any])?["offset"] as? Int == 269)
    #expect((context["source"] as? [String: Any])?["kind"] as? String == "gguf")
    let freqs = try #require(facts.first { $0["key"] as? String == "gguf.tensor.rope_freqs.weight" })
    #expect((freqs["value"] as? [Double])?.count == 64)
  }

  @Test func printsConfigFactsWithLineAndColumn() throws {
    let run = try CLIRunner.run(["inspect", "Fixtures/models/llama-3.1-8b-instruct"])
    #expect(run.status == 0)
    let line = try #require(run.stdout.split(separator: "\n").first { $0.contains("config.rope_scaling.factor") })
    #expect(line.hasSuffix("8.0                   26:15 @547"))
  }

  @Test func unreadableInputIsExitTwoWithTheLocation() throws {
    let run = try CLIRunner.run(["inspect", "Fixtures/gguf/truncated-in-kv-string.gguf"])
    #expect(run.status == 2)
    #expect(run.stderr.contains("Fixtures/gguf/truncated-in-kv-string.gguf at byte "))
    #expect(!run.stderr.contains("Fatal error"))
    let missing = try CLIRunner.run(["inspect", "nope.gguf"])
    #expect(missing.status == 2)
    #expect(missing.stderr == "ctxaudit: nope.gguf: no such file or directory\n")
  }
}
