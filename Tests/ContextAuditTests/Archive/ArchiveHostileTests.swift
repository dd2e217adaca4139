import Foundation
import Testing
@testable import ContextAudit

/// Archives built to hurt: each gives one exact, located outcome, never a crash, a hang, an
/// escape from the archive, or unbounded memory.
@Suite struct ArchiveHostileTests {
  static let tokenizerSize: UInt64 = 254

  @Test func decompressionBombWithADeclaredSizeIsRefusedBeforeAnyByteIsRead() throws {
    let contents = ArchiveScan.contents("hostile/bomb.tar.gz")
    #expect(contents.error == nil)
    #expect(contents.artifacts.map(\.path.value) == ["bomb.tar.gz!/llama/config.json", "bomb.tar.gz!/llama/tokenizer_config.json"])
    let bomb = contents.artifacts[0]
    #expect(bomb.facts.isEmpty)
    #expect(
      bomb.error
        == ParseFailure(
          location: SourceLocation(path: ArtifactPath("bomb.tar.gz!/llama/config.json"), offset: 16 << 20),
          message: "archive member decompresses to more than 16777216 bytes (the text member limit); not read"))
    // The member after the bomb is read normally.
    #expect(contents.artifacts[1].value("tokenizer_config.model_max_length") == .int(131072))
    // Nothing of the 17 MiB was handed over: the header's size was enough.
    #expect(contents.statistics.bytesDelivered == Self.tokenizerSize)
  }

  @Test func decompressionBombOfUnknownSizeStopsAtTheCap() throws {
    let contents = ArchiveScan.contents("hostile/bomb-streamed.zip")
    #expect(contents.error == nil)
    #expect(contents.artifacts.map(\.path.value) == ["bomb-streamed.zip!/llama/config.json", "bomb-streamed.zip!/llama/tokenizer_config.json"])
    #expect(
      contents.artifacts[0].error
        == ParseFailure(
          location: SourceLocation(path: ArtifactPath("bomb-streamed.zip!/llama/config.json"), offset: 16 << 20),
          message: "archive member decompresses to more than 16777216 bytes (the text member limit); not read"))
    #expect(contents.artifacts[1].value("tokenizer_config.model_max_length") == .int(131072))
    // Streamed until the cap, never past it by more than one 64 KiB chunk: memory stays bounded.
    let bombBytes = contents.statistics.bytesDelivered - Self.tokenizerSize
    #expect(bombBytes > (16 << 20) - (64 << 10))
    #expect(bombBytes <= (16 << 20) + (64 << 10))
  }

  @Test func bombInAScanIsOneParseErrorNamingTheMemberAndTheCap() throws {
    let report = try ArchiveScan.report(Paths.fixture("archives/hostile/bomb.tar.gz"))
    #expect(report.models.map(\.path.value) == ["bomb.tar.gz!/llama"])
    let errors = report.models[0].findings.filter { $0.rule == Finding.parseErrorRule }
    #expect(errors.map(\.location?.path.value) == ["bomb.tar.gz!/llama/config.json"])
    #expect(errors.map(\.message) == ["archive member decompresses to more than 16777216 bytes (the text member limit); not read"])
  }

  @Test func tarCutInsideTheGGUFKeepsEveryFactBeforeTheCut() throws {
    let contents = ArchiveScan.contents("hostile/truncated-in-gguf.tar")
    let gguf = "truncated-in-gguf.tar!/llama/llama3-8b-no-rope-freqs.gguf"
    #expect(
      contents.artifacts.map(\.path.value) == [
        "truncated-in-gguf.tar!/llama/config.json", "truncated-in-gguf.tar!/llama/tokenizer_config.json", gguf,
      ])
    // The damage is reported once, on the member, not again for the archive.
    #expect(contents.error == nil)
    let member = contents.artifacts[2]
    #expect(
      member.error
        == ParseFailure(
          location: SourceLocation(path: ArtifactPath(gguf), offset: 4000),
          message: "archive member is damaged or truncated at byte 4000 (Truncated tar archive)"))
    #expect(member.value("gguf.kv.llama.context_length") == .int(131072))
    #expect(member.fact("gguf.kv.llama.context_length")?.location.offset == 269)
    #expect(member.value("gguf.kv.llama.rope.freq_base") == .double(500000))
    #expect(contents.artifacts[0].value("config.max_position_embeddings") == .int(131072))
    #expect(contents.artifacts[1].value("tokenizer_config.model_max_length") == .int(131072))
  }

  @Test func gzipTarCutInsideASkippedMemberNamesItAndKeepsTheMembersBefore() throws {
    let contents = ArchiveScan.contents("hostile/truncated-in-weights.tar.gz")
    #expect(
      contents.artifacts.map(\.path.value) == [
        "truncated-in-weights.tar.gz!/llama/config.json", "truncated-in-weights.tar.gz!/llama/llama3-8b-no-rope-freqs.gguf",
      ])
    #expect(contents.artifacts.allSatisfy { $0.error == nil })
    let error = try #require(contents.error)
    #expect(error.location == SourceLocation(path: ArtifactPath("truncated-in-weights.tar.gz!/llama/model.safetensors")))
    #expect(error.message.hasPrefix("archive is damaged or truncated in or after this member (Truncated input file"))
    #expect(error.message.hasSuffix("); later members were not read"))

    let report = try ArchiveScan.report(Paths.fixture("archives/hostile/truncated-in-weights.tar.gz"))
    #expect(report.models.map(\.path.value) == ["truncated-in-weights.tar.gz!/llama"])
    let model = report.models[0]
    #expect(model.verdict.summary == "131072 (llama3 x8 from 8192, vendor-trained)")
    #expect(model.findings.map(\.rule) == ["model-gguf-lost-scaling", "parse-error"])
    #expect(model.findings[1].location?.path.value == "truncated-in-weights.tar.gz!/llama/model.safetensors")
  }

  @Test func traversalAndAbsoluteNamesStayInsideTheArchive() throws {
    let contents = ArchiveScan.contents("hostile/traversal.tar")
    #expect(
      contents.artifacts.map(\.path.value) == [
        "traversal.tar!/etc/config.json", "traversal.tar!/config.json", "traversal.tar!/b/tokenizer_config.json",
      ])
    #expect(contents.artifacts[0].value("config.rope_scaling.rope_type") == .string("llama3"))
    #expect(contents.artifacts[1].value("config.model_type") == .string("qwen3"))
    let report = try ArchiveScan.report(Paths.fixture("archives/hostile/traversal.tar"))
    #expect(report.models.map(\.path.value) == ["traversal.tar", "traversal.tar!/b", "traversal.tar!/etc"])
    #expect(report.models.map(\.windows.native) == [40960, nil, 8192])
    let paths =
      report.models.map(\.path.value) + report.models.flatMap { $0.sources.map(\.path.value) }
      + report.models.flatMap { $0.findings.compactMap { $0.location?.path.value } }
    #expect(paths.count == 6)
    for path in paths {
      #expect(!path.contains("..") && !path.contains("!//") && !path.hasPrefix("/"), "\(path)")
    }
  }

  @Test(arguments: [
    ("../../etc/config.json", "etc/config.json"), ("/config.json", "config.json"), ("./llama/config.json", "llama/config.json"),
    ("a/../b/./c//config.json", "b/c/config.json"), ("../..", ""), ("llama/", "llama"), ("a/b/../../../../x", "x"),
  ])
  func memberNamesAreResolvedWithinTheArchive(_ name: String, _ shown: String) {
    #expect(ArchiveReader.normalise(name) == shown)
  }

  @Test func controlCharactersInMemberNamesNeverReachTheTerminal() throws {
    let temp = try ArchiveTemp()
    let writer = try TestArchiveWriter(path: temp.path("evil.tar"), format: .pax)
    try writer.file("\u{1B}[2J\u{1B}]0;pwned\u{07}/config.json", text: "{\"model_type\": \"llama\", \"max_position_embeddings\": 4096}")
    try writer.close()
    let report = try ArchiveScan.report(temp.path("evil.tar"))
    #expect(report.models.map(\.path.value) == ["evil.tar!/\u{1B}[2J\u{1B}]0;pwned\u{07}"])
    let table = TableReporter().render(report)
    #expect(table.contains("pwned"))
    #expect(!table.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
    #expect(ArchiveScan.json(report).contains("\\u001b[2J\\u001b]0;pwned\\u0007"))
  }

  @Test func linkMembersAreReportedAndNeverFollowed() throws {
    let contents = ArchiveScan.contents("hostile/symlink.tar")
    #expect(contents.artifacts.map(\.path.value) == ["symlink.tar!/llama/tokenizer_config.json"])
    #expect(
      contents.skipped == [
        ArchiveError(
          location: SourceLocation(path: ArtifactPath("symlink.tar!/llama/config.json")),
          message: "symbolic link to ../../../etc/passwd, not followed"),
        ArchiveError(
          location: SourceLocation(path: ArtifactPath("symlink.tar!/llama/generation_config.json")),
          message: "hard link to llama/tokenizer_config.json in the archive, not read"),
      ])
    let report = try ArchiveScan.report(Paths.fixture("archives/hostile/symlink.tar"))
    #expect(report.models.map(\.path.value) == ["symlink.tar!/llama"])
    let findings = report.models[0].findings
    #expect(findings.map(\.rule) == [ScanRun.inputSkippedRule, ScanRun.inputSkippedRule])
    #expect(findings.map(\.severity) == [.warning, .warning])
    #expect(!ArchiveScan.json(report).contains("root:"))
  }

  @Test func nestedArchiveIsNotOpenedButReported() throws {
    let report = try ArchiveScan.report(Paths.fixture("archives/hostile/nested.tar"))
    #expect(report.models.map(\.path.value) == ["nested.tar!/outer"])
    let model = report.models[0]
    #expect(model.sources.map(\.path.value) == ["nested.tar!/outer/config.json"])
    #expect(
      model.findings == [
        Finding(
          rule: ScanRun.inputSkippedRule, severity: .warning, message: "archive inside an archive, not opened",
          location: SourceLocation(path: ArtifactPath("nested.tar!/outer/inner/llama.tar.gz")))
      ])
    #expect(!ArchiveScan.json(report).contains("llama.tar.gz!/"))
  }

  @Test func onlyANestedArchiveGivesOneReportForTheOuterArchive() throws {
    let temp = try ArchiveTemp()
    let writer = try TestArchiveWriter(path: temp.path("outer.zip"), format: .zip)
    try writer.file("models/llama.tar.gz", try Paths.fixtureBytes("archives/llama.tar.gz"))
    try writer.close()
    let report = try ArchiveScan.report(temp.path("outer.zip"))
    #expect(report.models.map(\.path.value) == ["outer.zip"])
    #expect(report.models[0].sources.isEmpty)
    #expect(report.models[0].findings.map(\.location?.path.value) == ["outer.zip!/models/llama.tar.gz"])
  }

  @Test func repeatedMemberPathKeepsTheLastCopyAsExtractionWould() throws {
    let temp = try ArchiveTemp()
    let writer = try TestArchiveWriter(path: temp.path("appended.tar"), format: .pax)
    try writer.file("m/config.json", text: "{\"model_type\": \"llama\", \"max_position_embeddings\": 2048}")
    try writer.file("m/config.json", text: "{\"model_type\": \"llama\", \"max_position_embeddings\": 4096}")
    try writer.close()
    let contents = ArchiveReader().read(filePath: temp.path("appended.tar"), display: ArtifactPath("appended.tar"))
    #expect(contents.artifacts.map(\.path.value) == ["appended.tar!/m/config.json"])
    #expect(contents.artifacts[0].value("config.max_position_embeddings") == .int(4096))
    #expect(contents.skipped.map(\.message) == ["member appears more than once; only the last copy was read"])
  }

  @Test func splitShardWithoutItsFirstShardIsReportedAsOnDisk() throws {
    let temp = try ArchiveTemp()
    let writer = try TestArchiveWriter(path: temp.path("shards.tar"), format: .pax)
    try writer.file("m/llama-2-7b-f32-00002-of-00002.gguf", try Paths.fixtureBytes("gguf/split-00002-of-00002.gguf"))
    try writer.close()
    let report = try ArchiveScan.report(temp.path("shards.tar"))
    #expect(report.models.map(\.path.value) == ["shards.tar"])
    #expect(
      report.models[0].findings == [
        Finding(
          rule: ScanRun.inputSkippedRule, severity: .warning,
          message: "split GGUF shard 2 of 2 without its first shard, which holds the metadata; skipped",
          location: SourceLocation(path: ArtifactPath("shards.tar!/m/llama-2-7b-f32-00002-of-00002.gguf")))
      ])
  }

  @Test func hundredThousandTinyEntriesFinishAndTheEntryLimitIsReported() throws {
    let temp = try ArchiveTemp()
    let path = temp.path("many.tar.gz")
    let writer = try TestArchiveWriter(path: path, format: .pax, filter: .gzip)
    for i in 0..<100_000 { try writer.file("junk/\(i).txt", []) }
    try writer.file("llama/config.json", try Paths.fixtureBytes("models/llama-3.1-8b-instruct/config.json"))
    try writer.close()

    let limited = ArchiveReader().read(filePath: path, display: ArtifactPath("many.tar.gz"))
    #expect(limited.statistics.entries == 100_001)
    #expect(limited.artifacts.isEmpty)
    #expect(limited.error == nil)
    #expect(
      limited.skipped == [
        ArchiveError(
          location: SourceLocation(path: ArtifactPath("many.tar.gz")),
          message: "archive has more than 100000 entries; the rest were not read")
      ])

    let roomy = ArchiveReader(limits: ArchiveLimits(maxEntries: 200_000)).read(filePath: path, display: ArtifactPath("many.tar.gz"))
    #expect(roomy.statistics.entries == 100_001)
    #expect(roomy.artifacts.map(\.path.value) == ["many.tar.gz!/llama/config.json"])
    #expect(roomy.skipped.isEmpty)
  }

  @Test func randomBytesNamedTarGzAreOneClearErrorNotAToolFailure() throws {
    let contents = ArchiveScan.contents("hostile/random.tar.gz")
    #expect(contents.artifacts.isEmpty)
    #expect(
      contents.error
        == ArchiveError(
          location: SourceLocation(path: ArtifactPath("random.tar.gz")), message: "cannot open archive (Unrecognized archive format)"))
    // ScanRun does not throw (exit 2 is only for inputs that cannot be scanned at all): the
    // archive is one model with one parse error, which the CLI turns into exit 1.
    let report = try ArchiveScan.report(Paths.fixture("archives/hostile/random.tar.gz"))
    #expect(report.models.map(\.path.value) == ["random.tar.gz"])
    #expect(report.models[0].sources.isEmpty)
    #expect(
      report.models[0].findings == [
        Finding(
          rule: Finding.parseErrorRule, severity: .error, message: "cannot open archive (Unrecognized archive format)",
          location: SourceLocation(path: ArtifactPath("random.tar.gz")))
      ])
    #expect(report.summary == ScanReport.Summary(models: 1, errors: 1, warnings: 0, notes: 0))
  }

  @Test(arguments: ["hostile/empty.tar", "hostile/empty.zip", "hostile/zero-bytes.tar.gz"])
  func emptyArchiveHasNoModelsAndNoErrors(_ relative: String) throws {
    let contents = ArchiveScan.contents(relative)
    #expect(contents.artifacts.isEmpty)
    #expect(contents.error == nil)
    #expect(contents.skipped.isEmpty)
    #expect(contents.statistics.entries == 0)
    let report = try ArchiveScan.report(Paths.fixture("archives/" + relative))
    #expect(report.models.isEmpty)
  }

  @Test func missingArchiveFileIsAnOpenError() {
    let contents = ArchiveReader().read(filePath: "/nonexistent/ctxaudit/x.tar", display: ArtifactPath("x.tar"))
    #expect(contents.error?.message == "cannot open archive (No such file or directory)")
  }

  @Test func ggufHeaderLimitStopsTheReaderAndSaysWhere() throws {
    let reader = ArchiveReader(limits: ArchiveLimits(maxGGUFHeaderBytes: 5000))
    let contents = ArchiveScan.contents("llama.tar.gz", reader: reader)
    let gguf = try #require(contents.artifact("llama.tar.gz!/llama/llama3-8b-no-rope-freqs.gguf"))
    #expect(
      gguf.error
        == ParseFailure(
          location: SourceLocation(path: gguf.path, offset: 5000),
          message: "GGUF header is longer than 5000 bytes (the archive member limit); not read further"))
    #expect(gguf.value("gguf.kv.llama.context_length") == .int(131072))
  }
}
