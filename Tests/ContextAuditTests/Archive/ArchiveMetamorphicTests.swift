import Foundation
import Testing
@testable import ContextAudit

/// One model (Fixtures/archives/tree/llama) scanned as a folder and packed eight ways: the
/// report must not change apart from the `<archive>!/` prefix of every path.
@Suite struct ArchiveMetamorphicTests {
  static let forms = [
    "llama.tar", "llama.tar.gz", "llama.tar.xz", "llama.tar.zst", "llama.tar.bz2", "llama.zip", "llama.7z",
    "llama.llamafile", "llama-gguf-first.tar",
  ]
  static let ggufName = "llama3-8b-no-rope-freqs.gguf"

  @Test func treeGivesTheLlama31VerdictWithTheLostScalingFinding() throws {
    let report = try ArchiveScan.report(Paths.fixture("archives/tree"))
    #expect(report.models.map(\.path.value) == ["llama"])
    let model = try #require(report.models.first)
    #expect(model.architecture == "llama")
    #expect(model.verdict.kind == .interpolated)
    #expect(model.verdict.method == .llama3)
    #expect(model.verdict.factor == 8)
    #expect(model.verdict.summary == "131072 (llama3 x8 from 8192, vendor-trained)")
    #expect(model.verdict.followed?.value == "llama/config.json")
    #expect(model.windows == Windows(native: 8192, effective: 131072, advertised: 131072, served: nil))
    #expect(model.runtimes.map(\.runtime) == ["vllm", "llama.cpp", "ollama", "transformers"])
    #expect(model.runtimes.map(\.window) == [131072, 131072, nil, 131072])
    #expect(
      model.sources.map(\.path.value) == [
        "llama/README.md", "llama/config.json", "llama/\(Self.ggufName)", "llama/tokenizer_config.json",
      ])
    let lost = try #require(model.findings.first { $0.rule == "model-gguf-lost-scaling" })
    #expect(lost.severity == .error)
    #expect(lost.location == SourceLocation(path: ArtifactPath("llama/\(Self.ggufName)"), offset: 269))
  }

  @Test(arguments: forms)
  func archiveGivesTheSameReportAsTheTree(_ name: String) throws {
    let tree = ArchiveScan.json(try ArchiveScan.report(Paths.fixture("archives/tree")))
    let packed = try ArchiveScan.report(Paths.fixture("archives/" + name))
    #expect(packed.models.map(\.path.value) == [name + "!/llama"])
    // Verdict, windows, runtimes, sources and every finding (rule, severity, message, line,
    // column, offset, key path): the JSON report holds them all.
    #expect(ArchiveScan.json(packed, removing: name + "!/") == tree)
    let model = try #require(packed.models.first)
    #expect(model.findings.contains { $0.rule == "model-gguf-lost-scaling" })
  }

  @Test(arguments: forms)
  func memberPathsUseTheBangSlashSeparator(_ name: String) throws {
    let model = try #require(try ArchiveScan.report(Paths.fixture("archives/" + name)).models.first)
    let paths = model.sources.map(\.path.value) + model.findings.compactMap { $0.location?.path.value }
    #expect(!paths.isEmpty)
    for path in paths { #expect(path.hasPrefix(name + "!/llama/"), "\(path)") }
    #expect(model.verdict.followed?.value == name + "!/llama/config.json")
    let lost = try #require(model.findings.first { $0.rule == "model-gguf-lost-scaling" })
    #expect(lost.location?.path.value == "\(name)!/llama/\(Self.ggufName)")
    #expect(lost.location?.offset == 269)
  }

  @Test(arguments: forms)
  func ggufMemberReadFromTheStreamHasTheFilesFactsAndOffsets(_ name: String) throws {
    let direct = ArtifactReader().read(
      filePath: Paths.fixture("gguf/" + Self.ggufName), display: ArtifactPath(Self.ggufName), kind: .gguf)
    let contents = ArchiveScan.contents(name)
    let member = try #require(contents.artifact("\(name)!/llama/\(Self.ggufName)"))
    #expect(member.kind == .gguf)
    #expect(member.error == nil)
    #expect(direct.facts.count == 32)
    #expect(member.facts.map(PathlessFact.init) == direct.facts.map(PathlessFact.init))
    #expect(member.facts.allSatisfy { $0.location.path == member.path })
    #expect(member.value("gguf.file_size") == .int(9728))
    #expect(member.fact("gguf.kv.llama.context_length")?.location.offset == 269)
    #expect(member.value("gguf.kv.llama.context_length") == .int(131072))
  }

  @Test func configMemberKeepsLinesColumnsAndKeyPaths() throws {
    let contents = ArchiveScan.contents("llama.tar.xz")
    let config = try #require(contents.artifact("llama.tar.xz!/llama/config.json"))
    let factor = try #require(config.fact("config.rope_scaling.factor"))
    #expect(factor.value == .double(8))
    #expect(factor.location.line == 26)
    #expect(factor.location.column == 15)
    #expect(factor.location.keyPath == "rope_scaling.factor")
    let direct = ArtifactReader().read(
      filePath: Paths.fixture("archives/tree/llama/config.json"), display: ArtifactPath("config.json"), kind: .configJSON)
    #expect(config.facts.map(PathlessFact.init) == direct.facts.map(PathlessFact.init))
  }

  /// The RoPE factor tensor lies past the header, in the data section: a stream must read
  /// forward to it (it cannot seek) and get the same 64 values as the file reader.
  @Test(arguments: [TestArchiveWriter.Filter.gzip, .xz, .zstd, .none])
  func ropeFactorTensorIsReadForwardFromTheStream(_ filter: TestArchiveWriter.Filter) throws {
    let temp = try ArchiveTemp()
    let gguf = try Paths.fixtureBytes("gguf/llama3-8b-rope-freqs.gguf")
    let writer = try TestArchiveWriter(path: temp.path("m.tar"), format: .pax, filter: filter)
    try writer.file("m/llama3-8b-rope-freqs.gguf", gguf)
    try writer.close()
    let contents = ArchiveReader().read(filePath: temp.path("m.tar"), display: ArtifactPath("m.tar"))
    let member = try #require(contents.artifacts.first)
    let direct = ArtifactReader().read(
      filePath: Paths.fixture("gguf/llama3-8b-rope-freqs.gguf"), display: ArtifactPath("x"), kind: .gguf)
    #expect(member.facts.map(PathlessFact.init) == direct.facts.map(PathlessFact.init))
    let freqs = try #require(member.fact("gguf.tensor.rope_freqs.weight"))
    #expect(freqs.location.offset == 9586)
    guard case .array(let values) = freqs.value else {
      Issue.record("rope_freqs.weight has no values: \(freqs.value)")
      return
    }
    #expect(values.count == 64)
    #expect(values.first == .double(1))
    #expect(values.last == .double(8))
  }
}

/// What one pass reads: only the members it parses are decompressed into memory, and a plain
/// tar passes over the rest by seeking.
@Suite struct ArchiveStreamingTests {
  static let config = Result { try Paths.fixtureBytes("models/llama-3.1-8b-instruct/config.json") }
  static let gguf = Result { try Paths.fixtureBytes("gguf/llama3-8b-no-rope-freqs.gguf") }

  @Test func plainTarSeeksOverA50MiBWeightsMemberAndDeliversOnlyWhatIsParsed() throws {
    let config = try Self.config.get()
    let gguf = try Self.gguf.get()
    let temp = try ArchiveTemp()
    let path = temp.path("model.tar")
    try SparseTar.write(
      [
        .file("llama/config.json", config), .hole("llama/model.safetensors", size: 50 << 20),
        .file("llama/llama3-8b-no-rope-freqs.gguf", gguf),
      ], to: path)
    let fileSize = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
    #expect(fileSize > 50 << 20)

    let contents = ArchiveReader().read(filePath: path, display: ArtifactPath("model.tar"))
    #expect(contents.error == nil)
    #expect(contents.artifacts.map(\.path.value) == ["model.tar!/llama/config.json", "model.tar!/llama/llama3-8b-no-rope-freqs.gguf"])
    #expect(contents.artifacts[1].value("gguf.kv.llama.context_length") == .int(131072))
    let stats = contents.statistics
    #expect(stats.entries == 3)
    #expect(stats.membersRead == 2)
    #expect(stats.bytesDelivered == UInt64(config.count + gguf.count))
    // The 50 MiB were passed by lseek: fewer than 256 KiB of the file were ever read.
    #expect(stats.archiveBytesRead < 256 << 10)
    #expect(stats.archiveBytesSkipped > (50 << 20) - (256 << 10))
    #expect(stats.archiveBytesRead + stats.archiveBytesSkipped <= UInt64(fileSize))
  }

  @Test func gzipTarDecompressesTheWeightsMemberButDeliversNoneOfIt() throws {
    let config = try Self.config.get()
    let gguf = try Self.gguf.get()
    let temp = try ArchiveTemp()
    let path = temp.path("model.tar.gz")
    let writer = try TestArchiveWriter(path: path, format: .pax, filter: .gzip)
    try writer.file("llama/config.json", config)
    try writer.file("llama/model.safetensors", [], zeros: 50 << 20)
    try writer.file("llama/llama3-8b-no-rope-freqs.gguf", gguf)
    try writer.close()
    let contents = ArchiveReader().read(filePath: path, display: ArtifactPath("model.tar.gz"))
    #expect(contents.error == nil)
    #expect(contents.artifacts.count == 2)
    #expect(contents.statistics.bytesDelivered == UInt64(config.count + gguf.count))
    // A gzip stream cannot be seeked: the whole (small) compressed file is read.
    #expect(contents.statistics.archiveBytesSkipped == 0)
    let fileSize = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
    #expect(contents.statistics.archiveBytesRead == UInt64(fileSize))
  }

  @Test func zipAnd7zJumpToTheirDirectories() {
    let zip = ArchiveScan.contents("llama.zip")
    #expect(zip.statistics.seeks > 0)
    #expect(zip.statistics.membersRead == 4)
    let sevenZip = ArchiveScan.contents("llama.7z")
    #expect(sevenZip.statistics.seeks > 0)
    #expect(sevenZip.statistics.entries == 5)
  }
}
