import Foundation
import Testing

@testable import ContextAudit

/// Helpers shared by the hostile-input suites: a scan through the library with the real rules,
/// a known-good model to put next to every bad file, and the built `ctxaudit` binary.
enum Hostile {
  /// The repository's rules, loaded once.
  static let rules: [RuleDefinition] = {
    (try? RuleCatalog.load(directories: [Paths.rules.path]).rules) ?? []
  }()

  /// A `ScanRun` with the real rules and a default configuration.
  static func scanRun(discovery: UnitDiscovery = UnitDiscovery()) -> ScanRun {
    ScanRun(scanner: Scanner(discovery: discovery, concurrency: 2), auditor: Auditor(rules: rules))
  }

  /// Scans `root` with `scanRun()`.
  static func scan(_ root: String, discovery: UnitDiscovery = UnitDiscovery()) throws -> ScanReport {
    try scanRun(discovery: discovery).run(roots: [root])
  }

  /// The model report at `path`, or `nil`.
  static func model(_ report: ScanReport, _ path: String) -> ModelReport? {
    report.models.first { $0.path.value == path }
  }

  /// Llama-2-7B's config: a good model whose verdict must survive every bad neighbour.
  static let goodConfig = "Fixtures/models/llama-2-7b-hf/config.json"
  /// The verdict summary of `goodConfig`.
  static let goodSummary = "4096 native (no scaling)"

  /// Copies the good model into `tree` at `relative` (a directory).
  static func addGoodModel(_ tree: TempTree, at relative: String) throws {
    try tree.directory(relative)
    try FileManager.default.copyItem(
      atPath: Paths.root.appendingPathComponent(goodConfig).path, toPath: tree.path(relative + "/config.json"))
  }

  /// Writes raw bytes (names and contents need not be text).
  static func write(_ bytes: [UInt8], to path: String) throws {
    try FileManager.default.createDirectory(
      atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    try Data(bytes).write(to: URL(fileURLWithPath: path))
  }

  /// The one finding a bad file gives, as `rule @ location: message`.
  static func describe(_ finding: Finding) -> String {
    "\(finding.rule) @ \(finding.location?.compactDescription ?? "-"): \(finding.message)"
  }

  /// The GGUF facts without `gguf.file_size` (which differs between a file and its prefix).
  /// The facts that do not depend on where a file ends: without `gguf.file_size`, and with the
  /// data-offset fact's location dropped (in a file that ends before its data section it points
  /// at the end of the tensor infos, so that no fact lies past the end of the file; its value
  /// is still compared).
  static func withoutFileSize(_ facts: [Fact]) -> [Fact] {
    facts.filter { $0.key != "gguf.file_size" }.map { fact in
      guard fact.key == "gguf.header.data_offset" else { return fact }
      var unplaced = fact
      unplaced.location = SourceLocation(path: fact.location.path)
      return unplaced
    }
  }

  // MARK: The built binary

  struct Run {
    var status: Int32
    var stdout: String
    var stderr: String
    var stdoutBytes: [UInt8]
    var stderrBytes: [UInt8]
  }

  /// The `ctxaudit` executable `swift build --build-tests` puts next to the test bundle, or in
  /// `.build/debug` of the repository.
  static let binary: String? = {
    var candidates: [String] = []
    if let first = CommandLine.arguments.first {
      var dir = URL(fileURLWithPath: first).deletingLastPathComponent()
      // Inside `X.xctest/Contents/MacOS` on Darwin; next to the `.xctest` file on Linux.
      for _ in 0..<4 {
        candidates.append(dir.appendingPathComponent("ctxaudit").path)
        dir = dir.deletingLastPathComponent()
      }
    }
    candidates.append(Paths.root.appendingPathComponent(".build/debug/ctxaudit").path)
    return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
  }()

  /// Runs the binary with `arguments` and standard input closed; records an issue and returns
  /// `nil` when the binary was not built.
  static func run(_ arguments: [String], sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> Run? {
    guard let binary else {
      Issue.record("ctxaudit binary not found; run 'swift build --build-tests' first", sourceLocation: sourceLocation)
      return nil
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: binary)
    process.arguments = arguments
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    // Read both pipes concurrently so a large report cannot fill one and stall the child.
    nonisolated(unsafe) var errData = Data()
    let group = DispatchGroup()
    group.enter()
    DispatchQueue.global().async {
      errData = err.fileHandleForReading.readDataToEndOfFile()
      group.leave()
    }
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    return Run(
      status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
      stderr: String(decoding: errData, as: UTF8.self), stdoutBytes: Array(outData), stderrBytes: Array(errData))
  }

  /// Bytes below 0x20 other than newline, and DEL: what must never reach a terminal or report.
  static func controlBytes(_ bytes: [UInt8]) -> [UInt8] {
    bytes.filter { ($0 < 0x20 && $0 != 0x0A) || $0 == 0x7F }
  }
}
