import Foundation
import Testing
@testable import ContextAudit

@Suite struct ReportMergeTests {
  static func read(_ text: String, _ name: String = "shard.jsonl") throws -> ReportMerge.ShardReport {
    try ReportMerge.read(Array(text.utf8), path: ArtifactPath(name))
  }

  static func readError(_ text: String, _ name: String = "shard.jsonl") -> ReportMerge.ReadError? {
    #expect(throws: ReportMerge.ReadError.self) { try read(text, name) }
  }

  /// 1-based column of the first occurrence of `needle` in line `line` (ASCII text).
  static func column(of needle: String, inLine line: Int, of text: String) -> Int? {
    let lines = text.components(separatedBy: "\n")
    guard line <= lines.count, let range = lines[line - 1].range(of: needle) else { return nil }
    return lines[line - 1].distance(from: lines[line - 1].startIndex, to: range.lowerBound) + 1
  }

  // MARK: - Whole scan vs shards

  @Test(arguments: ["fixtures", "reorder tree"])
  func threeShardsMergedEqualTheWholeScanByteForByte(tree name: String) throws {
    let tree = name == "fixtures" ? nil : try MergeTestSupport.reorderTree()
    let root = tree?.root ?? Paths.fixture("models")
    let run = try MergeTestSupport.scanRun()
    let plan = try run.scanner.plan(roots: [root])
    let whole = run.run(plan: plan)
    var shards: [ReportMerge.ShardReport] = []
    for index in 0..<3 {
      let shard = try #require(Shard(index: index, count: 3))
      let part = run.run(plan: plan.sharded(shard))
      // One shard as a JSON document, the others as (streamed) JSON Lines.
      let text = index == 0 ? JSONReporter().render(part) : MergeTestSupport.streamedJSONL(run, plan: plan.sharded(shard)).text
      shards.append(try Self.read(text, "shard-\(index + 1)"))
      #expect(shards[index].models.count == part.models.count)
    }
    #expect(shards.map(\.models.count).reduce(0, +) == whole.models.count)
    let merged = try ReportMerge.merge(shards, rules: run.auditor.ruleInfos)
    #expect(JSONReporter().render(merged) == JSONReporter().render(whole))
    #expect(JSONLReporter().render(merged) == JSONLReporter().render(whole))
    #expect(SARIFReporter().render(merged) == SARIFReporter().render(whole))
    #expect(merged == whole)
    // Argument order does not matter.
    #expect(try ReportMerge.merge(shards.reversed(), rules: run.auditor.ruleInfos) == whole)
  }

  @Test func problemsAreSplitAcrossShardsNotRepeated() throws {
    let tree = try MergeTestSupport.reorderTree()
    let run = try MergeTestSupport.scanRun()
    let plan = try run.scanner.plan(roots: [tree.root])
    #expect(plan.problems.count == 2)
    let first = plan.sharded(try #require(Shard(index: 0, count: 2)))
    let second = plan.sharded(try #require(Shard(index: 1, count: 2)))
    #expect(first.problems.map(\.location.path.value) == ["0-fifo/config.json"])
    #expect(second.problems.map(\.location.path.value) == ["q/config.json"])
    #expect(first.items.count + second.items.count == plan.items.count)
  }

  // MARK: - Reading back

  @Test(arguments: ["json", "jsonl"])
  func sampleReportReadsBackToTheSameModels(format: String) throws {
    let sample = ScanReport.sample
    let text = format == "json" ? JSONReporter().render(sample) : JSONLReporter().render(sample)
    let shard = try Self.read(text, "sample.\(format)")
    let expected = sample.models.map { model -> ModelReport in
      var model = model
      model.findings = ScanReport.ordered(model.findings)
      return model
    }
    #expect(shard.models == expected)
    let again = try ReportMerge.merge([shard], rules: sample.rules)
    let resorted = ScanReport(models: sample.models.sorted { $0.path < $1.path }, rules: sample.rules)
    #expect(JSONReporter().render(again) == JSONReporter().render(resorted))
    #expect(SARIFReporter().render(again) == SARIFReporter().render(resorted))
  }

  @Test func jsonLinesLocationsPointAtEachModelLine() throws {
    let text = JSONLReporter().render(ScanReport.sample)
    let shard = try Self.read(text)
    #expect(shard.locations.map(\.line) == [1, 2, 3, 4, 5])
    #expect(shard.locations.allSatisfy { $0.column == 1 })
    let newline = try #require(text.utf8.firstIndex(of: 0x0A))
    let secondLineStart = text.utf8.distance(from: text.utf8.startIndex, to: newline) + 1
    #expect(shard.locations[1].offset == UInt64(secondLineStart))
  }

  @Test func windowsLineEndingsAreAccepted() throws {
    let text = JSONLReporter().render(ScanReport.sample)
    let crlf = text.replacingOccurrences(of: "\n", with: "\r\n")
    #expect(try Self.read(crlf).models == Self.read(text).models)
  }

  // MARK: - Errors, with their locations

  @Test func jsonLinesWithoutSummaryIsRefusedAtTheEnd() throws {
    let text = JSONLReporter().render(ScanReport.sample)
    let cut = text.components(separatedBy: "\n").prefix(3).joined(separator: "\n") + "\n"
    let error = try #require(Self.readError(cut, "shard-2.jsonl"))
    #expect(error.message == "no summary line at the end (the scan that wrote it did not finish)")
    #expect(error.location == SourceLocation(path: ArtifactPath("shard-2.jsonl"), offset: UInt64(cut.utf8.count)))
  }

  @Test func lineCutMidObjectIsAJSONErrorOnThatLine() throws {
    let text = JSONLReporter().render(ScanReport.sample)
    let lines = text.components(separatedBy: "\n")
    let cut = lines[0] + "\n" + String(lines[1].prefix(40))
    let error = try #require(Self.readError(cut))
    #expect(error.location.line == 2)
    #expect(error.location.offset.map { $0 >= UInt64(lines[0].utf8.count + 1) } == true)
  }

  @Test func unknownVerdictKindNamesTheValueAndWhere() throws {
    let text = JSONLReporter().render(ScanReport.sample)
      .replacingOccurrences(of: #""kind":"native""#, with: #""kind":"stretched""#)
    let error = try #require(Self.readError(text))
    // The Mistral GGUF (second line) is the first model with a native verdict.
    #expect(error.message == #"'kind' is "stretched" (expected native, interpolated, dynamic or unknown)"#)
    #expect(error.location.line == 2)
    #expect(error.location.column == Self.column(of: #""stretched""#, inLine: 2, of: text))
    #expect(error.location.keyPath == "verdict.kind")
  }

  @Test func missingFieldIsReportedAtItsObject() throws {
    let line = JSONLReporter().render(ScanReport.sample).components(separatedBy: "\n")[1]
    let broken = line.replacingOccurrences(
      of: #","windows":{"advertised":null,"effective":32768,"native":32768,"served":null}"#, with: "")
    #expect(broken != line)
    let error = try #require(Self.readError(broken + "\n" + #"{"summary":{"errors":0,"models":1,"notes":0,"warnings":0}}"# + "\n"))
    #expect(error.message == "'windows' is missing from a model")
    #expect(error.location == SourceLocation(path: ArtifactPath("shard.jsonl"), line: 1, column: 1, keyPath: nil, offset: 0))
  }

  @Test func wrongTypeInAFindingLocation() throws {
    let text = JSONLReporter().render(ScanReport.sample).replacingOccurrences(of: #""line":12,"#, with: #""line":"12","#)
    let error = try #require(Self.readError(text))
    #expect(error.message == #"'line' is "12" (expected an integer or null)"#)
    #expect(error.location.line == 1)
    #expect(error.location.keyPath == "findings[0].location.line")
    #expect(error.location.column == Self.column(of: #""12""#, inLine: 1, of: text))
  }

  @Test func summaryCountMustMatchTheModels() throws {
    let text = JSONLReporter().render(ScanReport.sample).replacingOccurrences(of: #""models":5"#, with: #""models":6"#)
    let error = try #require(Self.readError(text))
    #expect(error.message == "the summary counts 6 models but the report holds 5")
    #expect(error.location.line == 6)
    #expect(error.location.keyPath == "summary.models")
  }

  @Test func lineAfterTheSummaryIsRefused() throws {
    let text = JSONLReporter().render(ScanReport.sample)
    let first = text.components(separatedBy: "\n")[0]
    let error = try #require(Self.readError(text + first + "\n"))
    #expect(error.message == "a line after the summary line (the summary must be last)")
    #expect(error.location.line == 7)
    #expect(error.location.column == 1)
  }

  @Test func jsonDocumentWithAnotherSchemaVersionIsRefused() throws {
    let text = JSONReporter().render(ScanReport.sample).replacingOccurrences(
      of: #""schema_version": 1"#, with: #""schema_version": 2"#)
    let error = try #require(Self.readError(text, "whole.json"))
    #expect(error.message == "schema_version 2 is not supported (expected 1)")
    let line = try #require(text.components(separatedBy: "\n").firstIndex { $0.contains("schema_version") }) + 1
    #expect(error.location.path.value == "whole.json")
    #expect(error.location.line == line)
    #expect(error.location.column == 21)
  }

  @Test func jsonDocumentSyntaxErrorKeepsTheReadersLocation() throws {
    let text = "{\n  \"models\": [,]\n}\n"
    let error = try #require(Self.readError(text, "whole.json"))
    #expect(error.location.line == 2)
    #expect(error.location.column == 14)
  }

  @Test func emptyInputIsRefused() throws {
    let error = try #require(Self.readError("\n  \n", "empty.jsonl"))
    #expect(error.message == "empty report (expected ctxaudit JSON or JSON Lines)")
    #expect(error.location == SourceLocation(path: ArtifactPath("empty.jsonl"), offset: 0))
  }

  @Test func theSameModelInTwoFilesIsAnErrorAtTheSecond() throws {
    let text = JSONLReporter().render(ScanReport.sample)
    let a = try Self.read(text, "a.jsonl")
    let b = try Self.read(text, "b.jsonl")
    let error = #expect(throws: ReportMerge.ReadError.self) { try ReportMerge.merge([a, b], rules: []) }
    #expect(
      error?.message == "model '\(ScanReport.sample.models[0].path.value)' is also in a.jsonl (shards overlap, or a file was given twice)")
    #expect(error?.location == SourceLocation(path: ArtifactPath("b.jsonl"), line: 1, column: 1, offset: 0))
  }
}
