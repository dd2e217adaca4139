import Foundation
import Testing
@testable import ContextAudit

@Suite struct ScanStreamTests {
  @Test(arguments: [1, 2, 8])
  func streamedFixtureModelsEqualJSONLRenderingOfTheWholeReport(concurrency: Int) throws {
    let run = try MergeTestSupport.scanRun(concurrency: concurrency)
    let plan = try run.scanner.plan(roots: [Paths.fixture("models")])
    let report = run.run(plan: plan)
    let (streamed, summary) = MergeTestSupport.streamedJSONL(run, plan: plan)
    #expect(streamed == JSONLReporter().render(report))
    #expect(summary == report.summary)
    #expect(report.models.count == 21)
    #expect(streamed.split(separator: "\n").count == 22)
    #expect(streamed.hasSuffix(#"{"summary":{"errors":0,"models":21,"notes":\#(summary.notes),"warnings":\#(summary.warnings)}}"# + "\n"))
  }

  @Test(arguments: [1, 3])
  func streamKeepsPathOrderWhenPlanOrderDiffersAndPlacesProblems(concurrency: Int) throws {
    let tree = try MergeTestSupport.reorderTree()
    let run = try MergeTestSupport.scanRun(concurrency: concurrency)
    let plan = try run.scanner.plan(roots: [tree.root])
    // The plan puts the archive before the directory `a.tar x`.
    #expect(plan.items.map(\.lowerBoundPath.value) == ["a.tar", "a.tar x", "q", "z/model-Q4_K_M.gguf", "z/model-Q8_0.gguf"])
    #expect(plan.problems.map(\.location.path.value) == ["0-fifo/config.json", "q/config.json"])
    var paths: [String] = []
    let summary = run.stream(plan: plan) { paths.append($0.path.value) }
    // `q` is a model (a card with front matter) beside the FIFO problem `q/config.json`.
    #expect(
      paths == [
        "0-fifo/config.json", "a.tar x", "a.tar!/m", "q", "q/config.json", "z/model-Q4_K_M.gguf", "z/model-Q8_0.gguf",
      ])
    let report = run.run(plan: plan)
    #expect(report.models.map(\.path.value) == paths)
    #expect(MergeTestSupport.streamedJSONL(run, plan: plan).text == JSONLReporter().render(report))
    #expect(summary.models == 7)
    #expect(summary == report.summary)
  }

  @Test func emptyPlanStreamsNothing() throws {
    let run = try MergeTestSupport.scanRun()
    var count = 0
    let summary = run.stream(plan: ContextAudit.Scanner.Plan(items: [], problems: [])) { _ in count += 1 }
    #expect(count == 0)
    #expect(summary == ScanReport.Summary(models: 0, errors: 0, warnings: 0, notes: 0))
  }

  static func model(_ path: String, _ severities: [Severity] = []) -> ModelReport {
    ModelReport(
      path: ArtifactPath(path), sources: [], architecture: nil,
      verdict: Verdict(kind: .unknown, method: .unknown, summary: "unknown"), windows: Windows(),
      findings: severities.map { Finding(rule: "r", severity: $0, message: "m", location: nil) })
  }

  @Test func reorderBufferReleasesReportsOnlyWhenNoUnfinishedItemCanPrecedeThem() {
    // Items: 0 "a" (an archive yielding "a!/x" and "a!/y"), 1 "b", 2 "c"; a problem at "bb".
    var buffer = ReorderBuffer(bounds: ["a", "b", "c"].map { ArtifactPath($0) })
    buffer.add(Self.model("bb"), key: .init(path: ArtifactPath("bb"), item: 3, unit: 0))
    buffer.complete(item: 2, reports: [Self.model("c")])
    #expect(buffer.takeReady().isEmpty)
    buffer.complete(item: 0, reports: [Self.model("a!/x"), Self.model("a!/y")])
    // Item 1 ("b") is still running, and "a!/x" < "b": both archive units can go.
    #expect(buffer.takeReady().map(\.path.value) == ["a!/x", "a!/y"])
    #expect(buffer.waiting == 2)
    buffer.complete(item: 1, reports: [Self.model("b")])
    #expect(buffer.takeReady().map(\.path.value) == ["b", "bb", "c"])
    #expect(buffer.waiting == 0)
  }

  @Test func reorderBufferHoldsAReportThatAnUnfinishedItemCouldPrecede() {
    // Item 0 is the archive "a.tar" (its units are "a.tar!/…"), item 1 the directory "a.tar x".
    var buffer = ReorderBuffer(bounds: ["a.tar", "a.tar x"].map { ArtifactPath($0) })
    buffer.complete(item: 0, reports: [Self.model("a.tar!/m")])
    #expect(buffer.takeReady().isEmpty, "a.tar x sorts before a.tar!/m and is not done")
    buffer.complete(item: 1, reports: [Self.model("a.tar x")])
    #expect(buffer.takeReady().map(\.path.value) == ["a.tar x", "a.tar!/m"])
  }

  @Test func reorderBufferBreaksPathTiesByItemThenProblemsLast() {
    var buffer = ReorderBuffer(bounds: ["m", "m"].map { ArtifactPath($0) })
    buffer.add(Self.model("m", [.warning]), key: .init(path: ArtifactPath("m"), item: 2, unit: 0))
    buffer.complete(item: 1, reports: [Self.model("m", [.note])])
    #expect(buffer.takeReady().isEmpty)
    buffer.complete(item: 0, reports: [Self.model("m", [.error])])
    #expect(buffer.takeReady().map { $0.findings.map(\.severity) } == [[.error], [.note], [.warning]])
  }

  @Test func summaryAddCountsFindingsBySeverity() {
    var summary = ScanReport.Summary(models: 0, errors: 0, warnings: 0, notes: 0)
    summary.add(Self.model("a", [.error, .note, .note]))
    summary.add(Self.model("b", [.warning]))
    #expect(summary == ScanReport.Summary(models: 2, errors: 1, warnings: 1, notes: 2))
    #expect(ScanReport(models: [Self.model("a", [.error, .note, .note]), Self.model("b", [.warning])], rules: []).summary == summary)
  }
}
