import Foundation
import Testing

@testable import ContextAudit

@Suite struct JSONLReporterTests {
  @Test func oneModelPerLineThenSummary() throws {
    let lines = JSONLReporter().render(.sample).split(separator: "\n", omittingEmptySubsequences: false)
    #expect(lines.count == 7)  // 5 models, the summary, the empty string after the final newline
    #expect(lines.last == "")
    let json = try parseJSON(JSONReporter().render(.sample))
    let models = try #require(value(json, "models") as? [NSDictionary])
    for (index, model) in models.enumerated() {
      let line = try #require(try parseJSON(String(lines[index])) as? NSDictionary)
      #expect(line == model, "line \(index + 1) differs from models[\(index)] of the JSON report")
    }
    #expect(lines[5] == #"{"summary":{"errors":3,"models":5,"notes":2,"warnings":3}}"#)
  }

  @Test func modelLinesAreCompact() {
    let first = JSONLReporter().render(.sample).prefix { $0 != "\n" }
    #expect(first.hasPrefix(#"{"analysis":null,"architecture":"qwen2","findings":[{"location":{"column":3,"key_path":"max_position_embeddings","line":12,"offset":null,"path":"bundles/qwen2.5-7b.tar.gz!/Qwen2.5-7B-Instruct/config.json"},"#))
  }

  @Test func emptyScanIsTheSummaryLineAlone() {
    #expect(
      JSONLReporter().render(ScanReport(models: [], rules: []))
        == #"{"summary":{"errors":0,"models":0,"notes":0,"warnings":0}}"# + "\n")
  }
}
