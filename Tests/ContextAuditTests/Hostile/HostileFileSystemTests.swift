import Foundation
import Glibc
import Testing

@testable import ContextAudit

/// File-system objects named like model files: loops, devices, FIFOs, sockets, unreadable
/// files and directories, hostile names, huge directories. Nothing may block, nothing may be
/// lost silently, and no control character may reach a report.
@Suite struct HostileFileSystemTests {
  func skipped(_ path: String, _ message: String) -> Finding {
    Finding(
      rule: ScanRun.inputSkippedRule, severity: .warning, message: message,
      location: ContextAudit.SourceLocation(path: ArtifactPath(path)))
  }

  /// Binds a Unix-domain socket at `path` and closes it; the socket file stays.
  static func makeSocket(at path: String) throws {
    let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
    try #require(fd >= 0)
    defer { close(fd) }
    var address = sockaddr_un()
    address.sun_family = sa_family_t(AF_UNIX)
    let bytes = Array(path.utf8)
    try #require(bytes.count < MemoryLayout.size(ofValue: address.sun_path))
    withUnsafeMutableBytes(of: &address.sun_path) { raw in
      raw.copyBytes(from: bytes)
      raw[bytes.count] = 0
    }
    let bound = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
    }
    try #require(bound == 0, "bind: \(String(cString: strerror(errno)))")
  }

  @Test func symlinkLoopIsCutOnceAndTheModelInsideIsReported() throws {
    let tree = try TempTree()
    try Hostile.addGoodModel(tree, at: "a")
    try tree.symlink("a/up", to: "..")
    try tree.symlink("a/self", to: ".")
    let report = try Hostile.scan(tree.root)
    #expect(report.models.map(\.path.value) == ["a", "a/self", "a/up"])
    #expect(Hostile.model(report, "a")?.verdict.summary == Hostile.goodSummary)
    #expect(Hostile.model(report, "a/self")?.findings == [skipped("a/self", "directory already visited (symlink loop), skipped")])
    #expect(Hostile.model(report, "a/up")?.findings == [skipped("a/up", "directory already visited (symlink loop), skipped")])
  }

  @Test func deviceSymlinksNamedLikeModelFilesAreNeverRead() throws {
    let tree = try TempTree()
    try tree.symlink("m/config.json", to: "/dev/zero")
    try tree.symlink("m/model.gguf", to: "/dev/urandom")
    try Hostile.addGoodModel(tree, at: "n")
    let report = try Hostile.scan(tree.root)
    #expect(report.models.map(\.path.value) == ["m/config.json", "m/model.gguf", "n"])
    #expect(Hostile.model(report, "m/config.json")?.findings == [skipped("m/config.json", "not a regular file (a character device), skipped")])
    #expect(Hostile.model(report, "m/model.gguf")?.findings == [skipped("m/model.gguf", "not a regular file (a character device), skipped")])
    #expect(Hostile.model(report, "m/model.gguf")?.verdict.summary == "unknown: not read")
    #expect(Hostile.model(report, "n")?.verdict.summary == Hostile.goodSummary)
    // Read directly (a file swapped for a device after discovery): refused after fstat, nothing read.
    let direct = ArtifactReader().read(filePath: tree.path("m/config.json"), display: ArtifactPath("config.json"), kind: .configJSON)
    #expect(direct.error?.message == "not a regular file (a character device); only regular files are read")
    let gguf = ArtifactReader().read(filePath: tree.path("m/model.gguf"), display: ArtifactPath("model.gguf"), kind: .gguf)
    #expect(gguf.error?.message == "not a regular file (a character device); only regular files are read")
    #expect(gguf.facts.isEmpty)
  }

  @Test func fifoThatNobodyWritesToNeverBlocks() throws {
    let tree = try TempTree()
    try tree.directory("m")
    #expect(mkfifo(tree.path("m/config.json"), 0o644) == 0)
    #expect(mkfifo(tree.path("m/model.gguf"), 0o644) == 0)
    try Hostile.addGoodModel(tree, at: "n")
    let report = try Hostile.scan(tree.root)
    #expect(Hostile.model(report, "m/config.json")?.findings == [skipped("m/config.json", "not a regular file (a FIFO), skipped")])
    #expect(Hostile.model(report, "m/model.gguf")?.findings == [skipped("m/model.gguf", "not a regular file (a FIFO), skipped")])
    #expect(Hostile.model(report, "n")?.verdict.summary == Hostile.goodSummary)
    // Opened directly, the FIFO is opened non-blocking and refused after fstat.
    for (name, kind) in [("config.json", ArtifactKind.configJSON), ("model.gguf", .gguf)] {
      let direct = ArtifactReader().read(filePath: tree.path("m/" + name), display: ArtifactPath(name), kind: kind)
      #expect(direct.error?.message == "not a regular file (a FIFO); only regular files are read")
    }
  }

  @Test func socketNamedLikeAModelFileIsSkipped() throws {
    let tree = try TempTree()
    try tree.directory("m")
    try Self.makeSocket(at: tree.path("m/model.gguf"))
    try Hostile.addGoodModel(tree, at: "n")
    let report = try Hostile.scan(tree.root)
    #expect(Hostile.model(report, "m/model.gguf")?.findings == [skipped("m/model.gguf", "not a regular file (a socket), skipped")])
    #expect(Hostile.model(report, "n")?.verdict.summary == Hostile.goodSummary)
    let direct = ArtifactReader().read(filePath: tree.path("m/model.gguf"), display: ArtifactPath("model.gguf"), kind: .gguf)
    #expect(direct.error?.message == "not a regular file (a socket); only regular files are read")
  }

  @Test func danglingSymlinkIsReportedAsSuch() throws {
    let tree = try TempTree()
    try tree.symlink("m/config.json", to: tree.path("nowhere/config.json"))
    let report = try Hostile.scan(tree.root)
    #expect(report.models.map(\.path.value) == ["m/config.json"])
    #expect(Hostile.model(report, "m/config.json")?.findings == [skipped("m/config.json", "dangling symlink, skipped")])
  }

  /// Tests run as root in CI containers, where `chmod 000` denies nothing. The library test
  /// then checks that the file IS read; the binary test below drops to `nobody` to see the denial.
  @Test func unreadableFileIsAParseErrorOrReadAsRoot() throws {
    let tree = try TempTree()
    try Hostile.addGoodModel(tree, at: "m")
    #expect(chmod(tree.path("m/config.json"), 0) == 0)
    defer { chmod(tree.path("m/config.json"), 0o644) }
    let report = try Hostile.scan(tree.root)
    let model = try #require(Hostile.model(report, "m"))
    if geteuid() == 0 {
      #expect(model.verdict.summary == Hostile.goodSummary)
      #expect(model.findings == [])
    } else {
      #expect(model.findings.map(Hostile.describe) == ["parse-error @ m/config.json: Permission denied"])
      #expect(model.verdict.summary == "unknown: config.json could not be read")
    }
  }

  // MARK: Names

  /// A directory named with an SGR escape, a file name with a window-title OSC and BEL, and
  /// config values holding escapes: every report format shows them escaped.
  @Test(arguments: ReporterKind.allCases)
  func controlCharactersInNamesAndValuesNeverReachAReport(kind: ReporterKind) throws {
    let tree = try TempTree()
    try Hostile.addGoodModel(tree, at: "\u{1b}[31mevil")
    let hostileConfig = #"{"model_type": "ll\u001b[2Jama\u0085", "max_position_embeddings": 4096, "rope_scaling": {"type": "\u001b]0;pwned\u0007", "factor": 2.0}}"#
    try tree.file("\u{1b}]0;title\u{07}/x\u{7f}/config.json", hostileConfig)
    let report = try Hostile.scan(tree.root)
    #expect(report.models.count == 2)
    let text = try kind.makeReporter(options: ReporterOptions(color: false, width: 100, rootLabel: tree.root)).render(report)
    let controls = text.unicodeScalars.filter {
      $0 != "\n" && ($0.value < 0x20 || $0.value == 0x7F || (0x80...0x9F).contains($0.value))
    }
    #expect(controls.isEmpty, "control characters \(controls.map(\.value)) in \(kind) output")
    // Each format shows the escape in its own way (Markdown also backslash-escapes the prose).
    switch kind {
    case .table:
      #expect(text.contains(#"\x1b[31mevil (llama)"#))
      #expect(text.contains(#"rope type '\x1b]0;pwned\x07'"#))
    case .markdown:
      #expect(text.contains(#"`\x1b[31mevil` (llama)"#))
      #expect(text.contains(#"rope type '\\x1b\]0;pwned\\x07'"#))
    case .json, .jsonl:
      #expect(text.contains(#"\u001b[31mevil"#))
      #expect(text.contains(#"rope type '\u001b]0;pwned\u0007'"#))
    case .sarif:
      #expect(text.contains(#"rope type '\u001b]0;pwned\u0007'"#))
    }
  }

  @Test func nameThatIsNotUTF8IsReportedNotLost() throws {
    let tree = try TempTree()
    // Directory "\xFF\xFE-dir" holding a good config, and a file "x\xFF.gguf".
    let dir = Array(tree.root.utf8) + Array("/".utf8) + [0xFF, 0xFE] + Array("-dir".utf8)
    #expect(mkdirRaw(dir, 0o755) == 0)
    let file = Array(tree.root.utf8) + Array("/x".utf8) + [0xFF] + Array(".gguf".utf8)
    #expect(creatRaw(file) == 0)
    try Hostile.addGoodModel(tree, at: "good")
    let report = try Hostile.scan(tree.root)
    #expect(report.models.map(\.path.value) == ["good", "x\u{FFFD}.gguf", "\u{FFFD}\u{FFFD}-dir"])
    #expect(Hostile.model(report, "\u{FFFD}\u{FFFD}-dir")?.findings == [skipped("\u{FFFD}\u{FFFD}-dir", "name is not valid UTF-8, skipped")])
    #expect(Hostile.model(report, "x\u{FFFD}.gguf")?.findings == [skipped("x\u{FFFD}.gguf", "name is not valid UTF-8, skipped")])
    #expect(Hostile.model(report, "good")?.verdict.summary == Hostile.goodSummary)
  }

  // MARK: Size

  @Test func fiftyThousandEntriesAreWalkedAndTheEntryLimitIsReported() throws {
    let tree = try TempTree()
    for i in 0..<50_000 {
      #expect(FileManager.default.createFile(atPath: tree.path(String(format: "f%05d.bin", i)), contents: nil))
    }
    try Hostile.addGoodModel(tree, at: "zz-model")
    let report = try Hostile.scan(tree.root)
    #expect(report.models.map(\.path.value) == ["zz-model"])
    #expect(Hostile.model(report, "zz-model")?.verdict.summary == Hostile.goodSummary)
    // With a limit below the entry count: the first N names readdir returns are scanned (which
    // ones depends on the file system), and the directory is reported.
    let limited = try Hostile.scan(tree.root, discovery: UnitDiscovery(limits: WalkLimits(maxEntriesPerDirectory: 1000)))
    let problem = try #require(Hostile.model(limited, "."))
    #expect(problem.findings == [skipped(".", "more than 1000 entries; the rest were not scanned")])
  }

  @Test func directoriesDeeperThanTheWalkLimitAreReported() throws {
    let tree = try TempTree()
    let deep = (0..<40).map { "d\($0)" }.joined(separator: "/")
    try Hostile.addGoodModel(tree, at: deep)
    try Hostile.addGoodModel(tree, at: "shallow")
    let report = try Hostile.scan(tree.root)
    let cut = (0..<32).map { "d\($0)" }.joined(separator: "/")
    #expect(report.models.map(\.path.value) == [cut, "shallow"])
    #expect(Hostile.model(report, cut)?.findings == [skipped(cut, "deeper than 32 levels; subdirectories not scanned")])
  }
}

/// `mkdir` and `creat` on a path given as raw bytes (not necessarily UTF-8).
private func withRawPath(_ path: [UInt8], _ body: (UnsafePointer<CChar>) -> Int32) -> Int32 {
  let terminated = path + [0]
  return terminated.withUnsafeBytes { raw in
    guard let base = raw.bindMemory(to: CChar.self).baseAddress else { return -1 }
    return body(base)
  }
}

private func mkdirRaw(_ path: [UInt8], _ mode: mode_t) -> Int32 {
  withRawPath(path) { mkdir($0, mode) }
}

private func creatRaw(_ path: [UInt8]) -> Int32 {
  withRawPath(path) { pointer in
    let fd = creat(pointer, 0o644)
    return fd < 0 ? -1 : close(fd)
  }
}
