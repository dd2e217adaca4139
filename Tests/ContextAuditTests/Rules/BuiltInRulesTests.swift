import Foundation
import Testing
@testable import ContextAudit

/// The rules embedded in the binary are exactly the files in `Rules/`.
@Suite struct BuiltInRulesTests {
  @Test func embeddedRulesMatchTheRulesDirectory() throws {
    let files = RuleCatalog.ruleFiles(in: Paths.rules.path)
    let onDisk = try files.map { file -> (String, String) in
      let relative = String(file.dropFirst(Paths.root.path.count + 1))
      return (relative, try String(contentsOfFile: file, encoding: .utf8))
    }
    let embedded = RuleCatalog.embeddedRuleFiles.map { ($0.path, $0.text) }
    #expect(embedded.map(\.0) == onDisk.map(\.0), "re-run: python3 scripts/generate-builtin-rules.py")
    for (path, text) in onDisk {
      #expect(embedded.first { $0.0 == path }?.1 == text, "\(path) changed; re-run: python3 scripts/generate-builtin-rules.py")
    }
  }

  @Test func embeddedCatalogLoadsTheSameRules() throws {
    let fromDisk = try RuleCatalog.load(directories: [Paths.rules.path])
    let embedded = try RuleCatalog.loadEmbedded()
    #expect(embedded.rules.map(\.info) == fromDisk.rules.map(\.info))
    #expect(embedded.rules.map(\.condition) == fromDisk.rules.map(\.condition))
  }

  @Test func binaryAwayFromTheCheckoutUsesEmbeddedRules() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ctxaudit-bin-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let copy = dir.appendingPathComponent("ctxaudit")
    try FileManager.default.copyItem(at: CLIRunner.binary, to: copy)
    let process = Process()
    process.executableURL = copy
    process.arguments = ["scan", Paths.fixture("trees/llama-3.1-gguf-lost-scaling"), "--format", "json"]
    var env = ProcessInfo.processInfo.environment
    env.removeValue(forKey: RuleCatalog.environmentVariable)
    process.environment = env
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let out = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationStatus == 1)
    #expect(out.contains("\"rule\": \"model-gguf-lost-scaling\""))
  }
}
