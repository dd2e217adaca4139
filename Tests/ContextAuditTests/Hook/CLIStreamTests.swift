import Foundation
import Testing
@testable import ContextAudit

/// Runs the built `ctxaudit` executable: `scan --format jsonl` streaming, the progress line,
/// `merge` and `hook`, checking stdout, stderr and the exit status.
///
/// The executable sits next to the test bundle (`swift build --build-tests` builds every
/// product); a missing one is a test failure that says so, never a silent skip.
@Suite struct CLIStreamTests {
  static var executable: String {
    URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("ctxaudit").path
  }

  struct Outcome {
    var status: Int32
    var stdout: String
    var stderr: String
  }

  /// Runs the executable with stdout and stderr sent to files (neither is a terminal).
  static func run(_ arguments: [String], in directory: String? = nil, executable: String = executable) throws -> Outcome {
    let scratch = try TempTree()
    let outPath = try scratch.file("stdout", "")
    let errPath = try scratch.file("stderr", "")
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    var environment = ProcessInfo.processInfo.environment
    environment["NO_COLOR"] = "1"
    process.environment = environment
    let out = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
    let err = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    try out.close()
    try err.close()
    return Outcome(
      status: process.terminationStatus, stdout: try String(contentsOfFile: outPath, encoding: .utf8),
      stderr: try String(contentsOfFile: errPath, encoding: .utf8))
  }

  static func requireExecutable() throws {
    try #require(
      FileManager.default.isExecutableFile(atPath: executable),
      "no ctxaudit executable next to the tests at \(executable); build it with 'swift build --build-tests'")
  }

  @Test func jsonlStreamEqualsTheLibraryRenderingAndStderrStaysSilentWithoutATerminal() throws {
    try Self.requireExecutable()
    let outcome = try Self.run(["scan", "--format", "jsonl", Paths.fixture("models")])
    let run = try MergeTestSupport.scanRun()
    let report = try run.run(roots: [Paths.fixture("models")])
    #expect(outcome.status == 0)
    #expect(outcome.stdout == JSONLReporter().render(report))
    #expect(outcome.stderr == "", "no progress line when stderr is a pipe")
  }

  @Test func tableScanIsSilentOnStderrWithoutATerminal() throws {
    try Self.requireExecutable()
    let outcome = try Self.run(["scan", "--format", "json", Paths.fixture("models")])
    #expect(outcome.status == 0)
    #expect(outcome.stdout.hasPrefix("{\n  \"models\": ["))
    #expect(outcome.stderr == "")
  }

  static let script = "/usr/bin/script"

  /// Runs `ctxaudit ARGS` on a pseudo-terminal with util-linux `script`; returns what the
  /// terminal showed.
  static func onTerminal(_ arguments: [String]) throws -> Outcome {
    let command = ([executable] + arguments).map { "'" + $0 + "'" }.joined(separator: " ")
    return try run(["-qec", command, "/dev/null"], executable: script)
  }

  @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: script), "needs util-linux script(1) for a pty"))
  func progressLineIsDrawnOnATerminalAndClearedAtTheEnd() throws {
    try Self.requireExecutable()
    // Progress counts plan items: the 21 models and the collection's README.md at the top.
    let items = try ContextAudit.Scanner().plan(roots: [Paths.fixture("models")]).items.count
    #expect(items == 22)
    let outcome = try Self.onTerminal(["scan", "--format", "json", "-o", "/dev/null", Paths.fixture("models")])
    #expect(outcome.status == 0)
    #expect(outcome.stdout.hasPrefix("\r1/\(items) items  "))
    #expect(outcome.stdout.contains("\r\(items)/\(items) items  "))
    #expect(outcome.stdout.hasSuffix("\r\u{1B}[K"))
    let quiet = try Self.onTerminal(["scan", "--no-progress", "--format", "json", "-o", "/dev/null", Paths.fixture("models")])
    #expect(quiet.status == 0)
    #expect(quiet.stdout == "")
    // JSON Lines streamed to the terminal itself: no progress line breaking into the lines.
    let streamed = try Self.onTerminal(["scan", "--format", "jsonl", Paths.fixture("models")])
    #expect(streamed.status == 0)
    #expect(!streamed.stdout.contains(" items  "))
    #expect(streamed.stdout.components(separatedBy: "\r\n").count == 21 + 2)  // 21 model lines, the summary, ""
  }

  @Test func mergeOfThreeShardFilesEqualsTheWholeScan() throws {
    try Self.requireExecutable()
    let tree = try TempTree()
    let models = Paths.fixture("models")
    let whole = try Self.run(["scan", "--format", "json", models])
    var files: [String] = []
    for k in 1...3 {
      let file = tree.path("shard-\(k).\(k == 2 ? "json" : "jsonl")")
      let shard = try Self.run(["scan", "--shard", "\(k)/3", "--format", k == 2 ? "json" : "jsonl", "-o", file, models])
      #expect(shard.status == 0)
      #expect(shard.stdout == "")
      files.append(file)
    }
    let merged = try Self.run(["merge"] + files)
    #expect(merged.status == 0)
    #expect(merged.stderr == "")
    #expect(merged.stdout == whole.stdout)
    #expect(whole.stdout.contains("\"models\": 21"))

    let twice = try Self.run(["merge", files[0], files[0]])
    #expect(twice.status == 2)
    #expect(twice.stdout == "")
    #expect(twice.stderr.hasPrefix("ctxaudit: \(files[0]):1:1: model '"))
    #expect(twice.stderr.hasSuffix(" is also in \(files[0]) (shards overlap, or a file was given twice)\n"))
  }

  @Test func hookFailsOnAServedWindowPastNativeAndPassesOnceFixed() throws {
    try Self.requireExecutable()
    let tree = try ChangedFilesPlanTests.llama2(servedAt: 8192)
    try tree.file("NOTES.txt", "x")
    let failing = try Self.run(["hook", "models/llama2/vllm.yaml", "NOTES.txt"], in: tree.root)
    #expect(failing.status == 1)
    #expect(failing.stdout.hasPrefix("models/llama2 (llama): native, 4096 native (no scaling)\n"))
    #expect(failing.stdout.contains("  error    model-served-past-native-unscaled  vllm.yaml:2:16\n"))
    #expect(failing.stdout.hasSuffix("\n1 model, 1 error, 0 warnings, 0 notes\n"))

    try tree.file("models/llama2/vllm.yaml", "max-model-len: 4096\n")
    let passing = try Self.run(["hook", "models/llama2/vllm.yaml"], in: tree.root)
    #expect(passing.status == 0)
    #expect(passing.stdout.hasSuffix("\n1 model, 0 errors, 0 warnings, 0 notes\n"))

    let unrelated = try Self.run(["hook", "NOTES.txt", ".pre-commit-config.yaml"], in: tree.root)
    #expect(unrelated.status == 0)
    #expect(unrelated.stdout == "")
    #expect(unrelated.stderr == "")
  }
}
