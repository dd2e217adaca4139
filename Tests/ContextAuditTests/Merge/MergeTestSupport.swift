import Foundation
import Glibc
import Testing
@testable import ContextAudit

/// Scans with the built-in rules, as `ctxaudit scan` does with no config.
enum MergeTestSupport {
  static func scanRun(concurrency: Int = 2) throws -> ScanRun {
    let catalog = try RuleCatalog.load(directories: [Paths.rules.path])
    var scanner = ContextAudit.Scanner()
    scanner.concurrency = concurrency
    return ScanRun(scanner: scanner, auditor: Auditor(rules: catalog.rules))
  }

  /// The streamed JSON Lines text of a plan, built the way `scan --format jsonl` writes it.
  static func streamedJSONL(_ run: ScanRun, plan: ContextAudit.Scanner.Plan) -> (text: String, summary: ScanReport.Summary) {
    let reporter = JSONLReporter()
    var text = ""
    let summary = run.stream(plan: plan) { text += reporter.line(for: $0) }
    return (text + reporter.summaryLine(summary), summary)
  }

  /// A tree whose report order differs from plan order, with discovery problems:
  /// - `a.tar` (an archive whose unit is `a.tar!/m`) and the directory `a.tar x`: the plan has
  ///   the archive first, the report has `a.tar x` first (`" "` sorts before `"!"`);
  /// - FIFOs named like model files (`0-fifo/config.json`, `q/config.json`): `input-skipped`
  ///   problems, reported among the models by path;
  /// - two GGUF quantisations side by side (two units from one directory).
  static func reorderTree() throws -> TempTree {
    let tree = try TempTree()
    try tree.file("src/m/config.json", #"{"model_type": "llama", "max_position_embeddings": 4096}"#)
    try tar(tree.path("a.tar"), directory: tree.path("src"), member: "m")
    try FileManager.default.removeItem(atPath: tree.path("src"))
    try tree.file("a.tar x/config.json", #"{"model_type": "qwen2", "max_position_embeddings": 32768}"#)
    try tree.directory("0-fifo")
    #expect(mkfifo(tree.path("0-fifo/config.json"), 0o600) == 0)
    try tree.file("q/README.md", "---\nlicense: mit\n---\n")
    #expect(mkfifo(tree.path("q/config.json"), 0o600) == 0)
    try tree.file("z/model-Q4_K_M.gguf", "GGUF")
    try tree.file("z/model-Q8_0.gguf", "GGUF")
    try tree.file("z/config.json", #"{"model_type": "mistral", "max_position_embeddings": 32768}"#)
    return tree
  }

  /// `tar -cf archive -C directory member`.
  static func tar(_ archive: String, directory: String, member: String) throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["tar", "-cf", archive, "-C", directory, member]
    try process.run()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0, "tar failed")
  }
}
