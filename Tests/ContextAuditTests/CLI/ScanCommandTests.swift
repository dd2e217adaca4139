import Foundation
import Testing

/// The built `ctxaudit scan` on the bundled scenario trees: exit codes, report contents, schemas.
@Suite(.serialized) struct ScanCommandTests {
  func json(_ text: String) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
  }

  func model(_ report: [String: Any], _ path: String) throws -> [String: Any] {
    let models = try #require(report["models"] as? [[String: Any]])
    return try #require(models.first { $0["path"] as? String == path }, "no model \(path)")
  }

  func rules(_ model: [String: Any]) -> [String] {
    ((model["findings"] as? [[String: Any]]) ?? []).compactMap { $0["rule"] as? String }
  }

  @Test func scansTreesIntoAValidJSONReportWithVerdictsAndFindings() throws {
    let run = try CLIRunner.run(["scan", "Fixtures/trees", "--format", "json"])
    #expect(run.status == 1, "errors in the scenarios make the scan fail: \(run.stderr)")
    let report = try json(run.stdout)
    let lost = try model(report, "llama-3.1-gguf-lost-scaling")
    let verdict = try #require(lost["verdict"] as? [String: Any])
    #expect(verdict["kind"] as? String == "interpolated")
    #expect(verdict["method"] as? String == "llama3")
    #expect(verdict["factor"] as? Double == 8)
    #expect(verdict["followed"] as? String == "llama-3.1-gguf-lost-scaling/config.json")
    let finding = try #require((lost["findings"] as? [[String: Any]])?.first { $0["rule"] as? String == "model-gguf-lost-scaling" })
    #expect(finding["severity"] as? String == "error")
    let location = try #require(finding["location"] as? [String: Any])
    #expect(location["path"] as? String == "llama-3.1-gguf-lost-scaling/Meta-Llama-3.1-8B-Instruct-F32.gguf")
    #expect(location["offset"] as? Int == 269)

    let qwen = try model(report, "qwen2.5-served-with-yarn")
    let windows = try #require(qwen["windows"] as? [String: Any])
    #expect(windows["native"] as? Int == 32768)
    #expect(windows["served"] as? Int == 131072)
    #expect(windows["advertised"] as? Int == 131072)
    #expect(
      Set(rules(qwen)).isSuperset(of: ["model-card-window-exceeds-effective", "model-serve-rope-override", "yaml-manifest-allow-long-context"]))

    // One bad file never hides the rest: the good config next to the truncated GGUF still has its verdict.
    let broken = try model(report, "broken-gguf-next-to-good-config")
    #expect((broken["verdict"] as? [String: Any])?["kind"] as? String == "native")
    let parseError = try #require((broken["findings"] as? [[String: Any]])?.first { $0["rule"] as? String == "parse-error" })
    #expect((parseError["location"] as? [String: Any])?["offset"] as? Int == 64)
    #expect(run.stderr.contains("broken-gguf-next-to-good-config/llama-2-7b.Q4_0.gguf at byte 64: GGUF file is truncated"))

    let summary = try #require(report["summary"] as? [String: Int])
    #expect(summary["models"] == 8)
    let validation = try #require(try SchemaValidation.validate(run.stdout, mode: "report"))
    #expect(validation.status == 0, "\(validation.output)")
  }

  @Test func reportsAreDeterministicAndHoldNoAbsolutePaths() throws {
    let first = try CLIRunner.run(["scan", "Fixtures/trees", "Fixtures/models", "--format", "json", "--jobs", "2"])
    let second = try CLIRunner.run(["scan", "Fixtures/trees", "Fixtures/models", "--format", "json", "--jobs", "1"])
    #expect(first.stdout == second.stdout)
    #expect(!first.stdout.contains(Paths.root.path))
    #expect(first.stdout.contains("\"path\": \"Fixtures/trees/qwen2.5-served-with-yarn\""))
  }

  @Test func sarifOutputValidatesAgainstTheOfficialSchema() throws {
    let run = try CLIRunner.run(["scan", "Fixtures/trees", "--format", "sarif"])
    #expect(run.status == 1)
    let validation = try #require(try SchemaValidation.validate(run.stdout, mode: "sarif"))
    #expect(validation.status == 0, "\(validation.output)")
    #expect(run.stdout.contains("\"ruleId\": \"model-gguf-lost-scaling\""))
  }

  @Test func failOnDecidesTheExitCode() throws {
    #expect(try CLIRunner.run(["scan", "Fixtures/trees", "--fail-on", "never", "--format", "json"]).status == 0)
    // Llama-2 alone has no findings at all.
    #expect(try CLIRunner.run(["scan", "Fixtures/models/llama-2-7b-hf", "--fail-on", "note"]).status == 0)
    // Mistral-7B-v0.1 has only a note: fails at note, passes at warning.
    #expect(try CLIRunner.run(["scan", "Fixtures/models/mistral-7b-v0.1", "--fail-on", "note"]).status == 1)
    #expect(try CLIRunner.run(["scan", "Fixtures/models/mistral-7b-v0.1", "--fail-on", "warning"]).status == 0)
  }

  @Test func missingPathIsExitTwoWithOneLine() throws {
    let run = try CLIRunner.run(["scan", "Fixtures/does-not-exist"])
    #expect(run.status == 2)
    #expect(run.stderr == "ctxaudit: Fixtures/does-not-exist: no such file or directory\n")
    #expect(run.stdout.isEmpty)
  }

  @Test func usageErrorsAreExit64() throws {
    #expect(try CLIRunner.run(["scan", "Fixtures/trees", "--format", "xml"]).status == 64)
    #expect(try CLIRunner.run(["scan", "Fixtures/trees", "--shard", "3/2"]).status == 64)
    #expect(try CLIRunner.run(["scan", "Fixtures/trees", "--output", "Fixtures"]).status == 64)
  }

  @Test func unwritableOutputIsExitTwo() throws {
    let run = try CLIRunner.run(["scan", "Fixtures/trees", "--output", "/nonexistent-dir/report.json"])
    #expect(run.status == 2)
    #expect(run.stderr.hasPrefix("ctxaudit: cannot write '/nonexistent-dir/report.json'"))
  }

  @Test func shardsPartitionTheModels() throws {
    let all = try json(try CLIRunner.run(["scan", "Fixtures/models", "--format", "json", "--fail-on", "never"]).stdout)
    var seen: [String] = []
    for k in 1...3 {
      let part = try json(try CLIRunner.run(["scan", "Fixtures/models", "--format", "json", "--shard", "\(k)/3"]).stdout)
      seen += ((part["models"] as? [[String: Any]]) ?? []).compactMap { $0["path"] as? String }
    }
    let expected = ((all["models"] as? [[String: Any]]) ?? []).compactMap { $0["path"] as? String }
    #expect(seen.sorted() == expected.sorted())
    #expect(Set(seen).count == seen.count)
  }

  @Test func markdownAndTableAreHumanReports() throws {
    let table = try CLIRunner.run(["scan", "Fixtures/trees/llama-3.1-gguf-lost-scaling"])
    #expect(table.stdout.contains("interpolated, 131072 (llama3 x8 from 8192, vendor-trained)"))
    #expect(table.stdout.split(separator: "\n").allSatisfy { $0.count <= 100 })
    #expect(!table.stdout.contains("\u{1B}["))
    let markdown = try CLIRunner.run(["scan", "Fixtures/trees/llama-3.1-gguf-lost-scaling", "--format", "markdown"])
    #expect(markdown.stdout.contains("model-gguf-lost-scaling"))
    #expect(markdown.stdout.hasPrefix("#"))
  }
}
