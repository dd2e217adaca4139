import Foundation
import Glibc
import Testing

@testable import ContextAudit

/// The built `ctxaudit` on hostile trees: exit codes (1 for bad model files, 2 only when the
/// tool cannot run), one clear standard-error line per bad file, good models still reported,
/// and no control character on either stream.
@Suite struct HostileCLITests {
  /// `scan` with the repository's rules only, no progress line.
  func scanArguments(_ paths: [String], _ extra: [String] = []) -> [String] {
    ["scan"] + paths + ["--no-progress", "--no-builtin-rules", "--rules", Paths.rules.path] + extra
  }

  /// A tree with a good model beside a bad file of every kind.
  func mixedTree() throws -> TempTree {
    let tree = try TempTree()
    try Hostile.addGoodModel(tree, at: "good")
    try FileManager.default.copyItem(atPath: Paths.fixture("gguf/version-1.gguf"), toPath: tree.path("gguf-v1.gguf"))
    try tree.file("json/config.json", #"{"max_position_embeddings": 4096} garbage"#)
    try tree.file("card/README.md", "---\na: " + String(repeating: "[", count: 100_000) + "\n---\n")
    try tree.file("yaml/deploy.yaml", String(repeating: "---\na: 1\n", count: 1001))
    try tree.directory("fifo")
    #expect(mkfifo(tree.path("fifo/model.gguf"), 0o644) == 0)
    try tree.file("types/config.json", #"{"max_position_embeddings": 4096, "rope_scaling": {"type": "linear", "factor": "4.0"}}"#)
    return tree
  }

  @Test func badFilesExitOneWithOneLinePerFileAndTheGoodModelIsReported() throws {
    let tree = try mixedTree()
    guard let run = try Hostile.run(scanArguments([tree.root])) else { return }
    #expect(run.status == 1)
    #expect(run.stderr.split(separator: "\n").sorted() == [
      "ctxaudit: card/README.md:2:259: YAML nesting deeper than 256 levels",
      "ctxaudit: fifo/model.gguf: not a regular file (a FIFO), skipped",
      "ctxaudit: gguf-v1.gguf at byte 4: GGUF version 1 is not supported (expected 2 or 3)",
      "ctxaudit: json/config.json:1:35: unexpected 'g' after the top-level value",
      "ctxaudit: yaml/deploy.yaml:2001:1: YAML stream has more than 1000 documents",
    ])
    #expect(run.stdout.contains("good (llama): native, 4096 native (no scaling)"))
    #expect(run.stdout.contains("types (architecture unknown): unknown, unknown: rope_scaling.factor is not a number above 0"))
    #expect(run.stdout.hasSuffix(": 7 models, 5 errors, 1 warning, 0 notes\n"))
    #expect(Hostile.controlBytes(run.stdoutBytes) == [])
    #expect(Hostile.controlBytes(run.stderrBytes) == [])
  }

  @Test func jsonReportOfTheSameTreeListsEveryModel() throws {
    let tree = try mixedTree()
    guard let run = try Hostile.run(scanArguments([tree.root], ["--format", "jsonl"])) else { return }
    #expect(run.status == 1)
    let lines = run.stdout.split(separator: "\n").map(String.init)
    let paths = lines.compactMap { line -> String? in
      guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { return nil }
      return object["path"] as? String
    }
    // The GGUF at the root makes the root itself a unit, ".".
    #expect(paths == [".", "card", "fifo/model.gguf", "good", "json", "types", "yaml"])
  }

  @Test func onlyWarningsExitZero() throws {
    let tree = try TempTree()
    try Hostile.addGoodModel(tree, at: "good")
    try tree.symlink("dev/config.json", to: "/dev/zero")
    guard let run = try Hostile.run(scanArguments([tree.root])) else { return }
    #expect(run.status == 0)
    #expect(run.stderr == "ctxaudit: dev/config.json: not a regular file (a character device), skipped\n")
    #expect(run.stdout.contains("good (llama): native, 4096 native (no scaling)"))
  }

  @Test(arguments: HostileGGUFTests.brokenFiles.map(\.file))
  func aBrokenModelFileGivenAloneExitsOneNotTwo(file: String) throws {
    guard let run = try Hostile.run(scanArguments([Paths.fixture(file)])) else { return }
    #expect(run.status == 1)
    let expected = try #require(HostileGGUFTests.brokenFiles.first { $0.file == file })
    let name = (file as NSString).lastPathComponent
    #expect(run.stderr == "ctxaudit: \(name) at byte \(expected.offset): \(expected.message)\n")
  }

  @Test func theToolExitsTwoOnlyWhenItCannotRun() throws {
    let tree = try TempTree()
    try Hostile.addGoodModel(tree, at: "good")
    guard let missing = try Hostile.run(scanArguments([tree.path("nope")])) else { return }
    #expect(missing.status == 2)
    #expect(missing.stderr == "ctxaudit: \(tree.path("nope")): no such file or directory\n")
    #expect(missing.stdout == "")

    #expect(mkfifo(tree.path("pipe"), 0o644) == 0)
    guard let fifo = try Hostile.run(scanArguments([tree.path("pipe")])) else { return }
    #expect(fifo.status == 2)
    #expect(fifo.stderr == "ctxaudit: \(tree.path("pipe")): not a regular file or directory (a FIFO)\n")

    guard let unwritable = try Hostile.run(scanArguments([tree.root], ["--output", tree.path("no/such/dir/report.json")]))
    else { return }
    #expect(unwritable.status == 2)
    #expect(unwritable.stderr == "ctxaudit: cannot write '\(tree.path("no/such/dir/report.json"))': No such file or directory\n")
  }

  @Test func walkLimitFlagsChangeTheLimitsAndTheReportSaysSo() throws {
    let tree = try TempTree()
    try Hostile.addGoodModel(tree, at: "a/b/c")
    try Hostile.addGoodModel(tree, at: "top")
    guard let shallow = try Hostile.run(scanArguments([tree.root], ["--max-depth", "1"])) else { return }
    #expect(shallow.status == 0)
    #expect(shallow.stderr == "ctxaudit: a: deeper than 1 levels; subdirectories not scanned\n")
    #expect(shallow.stdout.contains("top (llama): native, 4096 native (no scaling)"))
    #expect(!shallow.stdout.contains("a/b/c (llama)"))
    guard let deep = try Hostile.run(scanArguments([tree.root], ["--max-depth", "3"])) else { return }
    #expect(deep.status == 0 && deep.stderr == "")
    #expect(deep.stdout.contains("a/b/c (llama): native, 4096 native (no scaling)"))
    for i in 0..<5 { try tree.file("many/f\(i).bin", "") }
    guard let few = try Hostile.run(scanArguments([tree.path("many")], ["--max-entries", "3"])) else { return }
    #expect(few.stderr == "ctxaudit: .: more than 3 entries; the rest were not scanned\n")
    guard let bad = try Hostile.run(scanArguments([tree.root], ["--max-entries", "0"])) else { return }
    #expect(bad.status == 64)
    #expect(bad.stderr.hasPrefix("Error: '--max-entries' must be at least 1\n"))
  }

  @Test func textAndArchiveLimitFlagsChangeTheLimitsAndTheReportSaysSo() throws {
    let tree = try TempTree()
    // A real config padded past 16 MiB with trailing whitespace (still valid JSON).
    let config = #"{"architectures": ["LlamaForCausalLM"], "model_type": "llama", "max_position_embeddings": 4096, "rope_theta": 10000.0, "hidden_size": 4096, "num_attention_heads": 32}"#
    try tree.file("big/config.json", config + String(repeating: " ", count: 17 << 20))
    let size = (17 << 20) + config.utf8.count
    guard let refused = try Hostile.run(scanArguments([tree.root])) else { return }
    #expect(refused.status == 1)
    #expect(refused.stderr == "ctxaudit: big/config.json: file is \(size) bytes, more than the 16777216-byte limit for this kind\n")
    // Raised: the file and the JSON reader's own 16 MiB input limit both give way.
    guard let raised = try Hostile.run(scanArguments([tree.root], ["--max-text-bytes", "32M"])) else { return }
    #expect(raised.status == 0 && raised.stderr == "")
    #expect(raised.stdout.contains("big (llama): native, 4096 native (no scaling)"))
    // Lowered: 512 bytes refuses even a small config (855 bytes), inside archives as well.
    try FileManager.default.copyItem(atPath: Paths.fixture("archives/llama.tar.gz"), toPath: tree.path("llama.tar.gz"))
    guard let lowered = try Hostile.run(scanArguments([tree.root], ["--max-text-bytes", "512"])) else { return }
    #expect(lowered.stderr.contains("ctxaudit: big/config.json: file is \(size) bytes, more than the 512-byte limit for this kind\n"))
    #expect(lowered.stderr.contains("ctxaudit: llama.tar.gz!/llama/config.json at byte 512: archive member decompresses to more than 512 bytes (the text member limit); not read\n"))
    guard let archive = try Hostile.run(scanArguments([tree.path("llama.tar.gz")], ["--max-archive-entries", "1"])) else { return }
    #expect(archive.status == 0)
    #expect(archive.stderr == "ctxaudit: llama.tar.gz: archive has more than 1 entries; the rest were not read\n")
    guard let inspect = try Hostile.run(["inspect", tree.path("big/config.json"), "--max-text-bytes", "17m"]) else { return }
    #expect(inspect.status == 2 && inspect.stderr.contains("more than the 17825792-byte limit"))
    guard let inspected = try Hostile.run(["inspect", tree.path("big/config.json"), "--max-text-bytes", "18M"]) else { return }
    #expect(inspected.status == 0 && inspected.stdout.contains("config.max_position_embeddings"))
    for bad in ["0", "12X", "2G", "k", "99999999999999999999"] {
      guard let run = try Hostile.run(scanArguments([tree.root], ["--max-text-bytes", bad])) else { return }
      #expect(run.status == 64, "\(bad)")
      #expect(run.stderr.hasPrefix("Error: The value '\(bad)' is invalid for '--max-text-bytes <bytes>'"), "\(bad)")
    }
    guard let zero = try Hostile.run(scanArguments([tree.root], ["--max-archive-entries", "0"])) else { return }
    #expect(zero.status == 64 && zero.stderr.hasPrefix("Error: '--max-archive-entries' must be at least 1\n"))
  }

  @Test func escapeSequencesInNamesAreEscapedOnBothStreams() throws {
    let tree = try TempTree()
    try Hostile.addGoodModel(tree, at: "\u{1b}[31mevil")
    try tree.file("\u{1b}]0;title\u{07}/config.json", "{\"a\": \u{1b}}")
    for format in ["table", "json", "sarif", "markdown", "jsonl"] {
      guard let run = try Hostile.run(scanArguments([tree.root], ["--format", format])) else { return }
      #expect(run.status == 1, "\(format)")
      #expect(Hostile.controlBytes(run.stdoutBytes) == [], "\(format)")
      #expect(Hostile.controlBytes(run.stderrBytes) == [], "\(format)")
      #expect(run.stderr == #"ctxaudit: \x1b]0;title\x07/config.json:1:7: expected a value, found byte 0x1B"# + "\n", "\(format)")
    }
  }

  /// As root (CI containers), `chmod 000` denies nothing; the scan then runs as `nobody`
  /// through `setpriv` to see the denial. Not root: it runs directly.
  @Test func unreadableFileAndDirectoryAreReportedNotLost() throws {
    let tree = try TempTree()
    try Hostile.addGoodModel(tree, at: "good")
    try Hostile.addGoodModel(tree, at: "unread")
    try Hostile.addGoodModel(tree, at: "closed/inner")
    #expect(chmod(tree.root, 0o755) == 0)
    #expect(chmod(tree.path("unread/config.json"), 0) == 0)
    #expect(chmod(tree.path("closed"), 0) == 0)
    defer {
      chmod(tree.path("closed"), 0o755)
      chmod(tree.path("unread/config.json"), 0o644)
    }
    let arguments = scanArguments([tree.root])
    if geteuid() == 0 {
      let setpriv = "/usr/bin/setpriv"
      try #require(FileManager.default.isExecutableFile(atPath: setpriv), "running as root needs setpriv to drop privileges")
      let binary = try #require(Hostile.binary)
      check(try runProgram(setpriv, ["--reuid=65534", "--regid=65534", "--clear-groups", binary] + arguments))
    } else {
      guard let run = try Hostile.run(arguments) else { return }
      check(run)
    }
  }

  func check(_ run: Hostile.Run) {
    #expect(run.status == 1)
    #expect(run.stderr.split(separator: "\n").sorted() == [
      "ctxaudit: closed: directory cannot be read (Permission denied), skipped",
      "ctxaudit: unread/config.json: Permission denied",
    ])
    #expect(run.stdout.contains("good (llama): native, 4096 native (no scaling)"))
    #expect(run.stdout.contains("unread (architecture unknown): unknown, unknown: config.json could not be read"))
  }

  /// Runs any program (for `setpriv`), collecting both streams.
  func runProgram(_ executable: String, _ arguments: [String]) throws -> Hostile.Run {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let out = FileManager.default.temporaryDirectory.appendingPathComponent("ctxaudit-out-\(UUID().uuidString)")
    let err = FileManager.default.temporaryDirectory.appendingPathComponent("ctxaudit-err-\(UUID().uuidString)")
    #expect(FileManager.default.createFile(atPath: out.path, contents: nil))
    #expect(FileManager.default.createFile(atPath: err.path, contents: nil))
    defer {
      try? FileManager.default.removeItem(at: out)
      try? FileManager.default.removeItem(at: err)
    }
    process.standardOutput = try FileHandle(forWritingTo: out)
    process.standardError = try FileHandle(forWritingTo: err)
    process.standardInput = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    let o = try Data(contentsOf: out)
    let e = try Data(contentsOf: err)
    return Hostile.Run(
      status: process.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self),
      stdoutBytes: Array(o), stderrBytes: Array(e))
  }
}
