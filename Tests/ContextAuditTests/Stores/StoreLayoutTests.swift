import Foundation
import Testing
@testable import ContextAudit

/// The model stores under Fixtures/stores, laid out as huggingface_hub, Ollama and LM Studio
/// lay them out (manifests-and-layouts.md 3.1-3.4).
@Suite struct StoreLayoutTests {
  static let qwenRevision = "a09a35458c702b33eeacc393d103063234e8bc28"
  static let llamaMain = "0e9e39f249a16976918f6564b8830bc894c89659"
  static let llamaOld = "5206a32e0bd3067aef1ce90f5528ade7d866253f"

  func discover(_ relative: String) throws -> UnitDiscovery.Result {
    try UnitDiscovery().discover(root: Paths.fixture("stores/" + relative))
  }

  func report(_ relative: String, concurrency: Int = 1) throws -> ScanReport {
    let scanner = Scanner(concurrency: concurrency)
    return try ScanRun(scanner: scanner, auditor: Auditor(rules: try ArchiveScan.rules()))
      .run(roots: [Paths.fixture("stores/" + relative)])
  }

  // MARK: Hugging Face hub cache

  @Test func hubCacheSnapshotsAreUnitsNamedRepoAtRevision() throws {
    let result = try discover("hf-cache")
    #expect(result.problems.isEmpty)
    #expect(result.archives.isEmpty)
    #expect(
      result.units.map(\.path.value) == [
        "models--Qwen--Qwen2.5-7B-Instruct/snapshots/\(Self.qwenRevision)",
        "models--meta-llama--Llama-3.1-8B-Instruct/snapshots/\(Self.llamaMain)",
        "models--meta-llama--Llama-3.1-8B-Instruct/snapshots/\(Self.llamaOld)",
      ])
    #expect(
      result.units.map(\.name) == [
        "Qwen/Qwen2.5-7B-Instruct@a09a35458c70", "meta-llama/Llama-3.1-8B-Instruct@0e9e39f249a1",
        "meta-llama/Llama-3.1-8B-Instruct@5206a32e0bd3",
      ])
    // Members are the snapshot's symlinks (read through to blobs/), never the blobs themselves.
    let qwen = result.units[0]
    #expect(
      qwen.members.map(\.display.fileName) == ["README.md", "config.json", "generation_config.json", "tokenizer_config.json"])
    let everyMember = result.units.flatMap(\.members)
    #expect(everyMember.allSatisfy { !$0.display.value.contains("/blobs/") && !$0.display.value.contains(".locks") })
    #expect(result.units[2].members.map(\.kind) == [.configJSON])
  }

  @Test func hubCacheReportReadsThroughTheSymlinks() throws {
    let models = try report("hf-cache").models
    #expect(
      models.map(\.name) == [
        "Qwen/Qwen2.5-7B-Instruct@a09a35458c70", "meta-llama/Llama-3.1-8B-Instruct@0e9e39f249a1",
        "meta-llama/Llama-3.1-8B-Instruct@5206a32e0bd3",
      ])
    let qwen = models[0]
    #expect(qwen.architecture == "qwen2")
    #expect(qwen.windows == Windows(native: 32768, effective: 32768, advertised: 131072, served: nil))
    // The published Qwen2.5 config has no rope_scaling; the card's 128K needs the YaRN block.
    let card = try #require(qwen.findings.first { $0.rule == "model-card-window-exceeds-effective" })
    #expect(card.location?.path.value == "models--Qwen--Qwen2.5-7B-Instruct/snapshots/\(Self.qwenRevision)/README.md")
    let tokenizer = try #require(qwen.findings.first { $0.rule == "model-tokenizer-window-mismatch" })
    #expect(tokenizer.location?.line == 7)
    #expect(tokenizer.location?.column == 23)
    // Two snapshots of one repo share the config blob and give the same verdict.
    #expect(models[1].verdict == Verdict(
      kind: .interpolated, method: .llama3, factor: 8, fineTuned: true, summary: "131072 (llama3 x8 from 8192, vendor-trained)",
      followed: nil, reason: "vendor-trained extension (family Llama 3)"))
    #expect(models[2].verdict.summary == models[1].verdict.summary)
    #expect(models[2].sources.map(\.path.value) == ["models--meta-llama--Llama-3.1-8B-Instruct/snapshots/\(Self.llamaOld)/config.json"])
  }

  @Test func hubCacheDatasetAndSpaceRepositoriesAreNotModels() throws {
    let tree = try TempTree()
    let rev = "607a30d783dfa663caf39e06633721c8d4cfcd7e"
    try tree.file("hub/models--gpt2/snapshots/\(rev)/config.json", "{\"n_positions\": 1024}")
    try tree.file("hub/datasets--allenai--c4/snapshots/\(rev)/README.md", "---\nlicense: odc-by\n---\n# C4\n")
    try tree.file("hub/spaces--org--demo/snapshots/\(rev)/README.md", "---\nsdk: gradio\n---\n")
    let result = try UnitDiscovery().discover(root: tree.path("hub"))
    #expect(result.units.map(\.name) == ["gpt2@607a30d783df"])
    #expect(result.problems.isEmpty)
  }

  // MARK: Ollama store

  @Test func ollamaManifestsAreUnitsNamedAsOllamaNamesThem() throws {
    let result = try discover("ollama")
    #expect(result.problems.isEmpty)
    #expect(
      result.units.map(\.path.value) == [
        "manifests/hf.co/bartowski/Meta-Llama-3.1-8B-Instruct-GGUF/Q4_K_M",
        "manifests/registry.ollama.ai/library/qwen2.5-256k/latest",
        "manifests/registry.ollama.ai/library/qwen2.5/7b",
      ])
    #expect(result.units.map(\.name) == ["hf.co/bartowski/Meta-Llama-3.1-8B-Instruct-GGUF:Q4_K_M", "qwen2.5-256k:latest", "qwen2.5:7b"])
    // Each unit is its model layer (a GGUF) and its params layer; template, license and
    // config blobs are not read, and no blob is a unit of its own.
    for unit in result.units {
      #expect(unit.members.map(\.kind).sorted { $0.rawValue < $1.rawValue } == [.gguf, .ollamaParams])
      #expect(unit.members.allSatisfy { $0.display.value.hasPrefix("blobs/sha256-") })
    }
    #expect(!result.units.contains { $0.path.value.hasPrefix("blobs") })
  }

  @Test func ollamaParamsNumCtxReachesTheServedWindowClampedToTheGGUF() throws {
    let models = try report("ollama").models
    #expect(models.map(\.name) == ["hf.co/bartowski/Meta-Llama-3.1-8B-Instruct-GGUF:Q4_K_M", "qwen2.5-256k:latest", "qwen2.5:7b"])

    // qwen2.5:7b: num_ctx 131072 in the params blob; the GGUF says context_length 32768 (YaRN
    // x4 declared), and Ollama clamps num_ctx to context_length.
    let qwen = models[2]
    #expect(qwen.windows == Windows(native: 32768, effective: 131072, advertised: nil, served: 32768))
    let ollama = try #require(qwen.runtimes.first { $0.runtime == "ollama" })
    #expect(ollama.window == 32768)
    #expect(ollama.note == "num_ctx 131072, clamped to context_length 32768")
    #expect(!qwen.findings.contains { $0.rule.hasPrefix("model-served") })

    // qwen2.5-256k: num_ctx 262144 and a GGUF whose context_length 262144 is past what YaRN x4
    // from 32768 reaches: served > effective is flagged at the params blob's num_ctx.
    let long = models[1]
    #expect(long.windows == Windows(native: 32768, effective: 131072, advertised: nil, served: 262144))
    let served = try #require(long.findings.first { $0.rule == "model-served-exceeds-effective" })
    #expect(served.severity == .error)
    #expect(served.message == "served window 262144 exceeds the effective window 131072 of the declared yarn scaling (native 32768)")
    // (The params reader gives its artifact the kind `modelfile`; accept either.)
    let paramsBlob = try #require(long.sources.first { [.modelfile, .ollamaParams].contains($0.kind) })
    #expect(served.location?.path == paramsBlob.path)
    #expect(served.location?.keyPath == "num_ctx")
    #expect(long.findings.contains { $0.rule == "model-gguf-window-exceeds-effective" })

    // The hf.co model's params carry only stop words: no served window.
    let hf = models[0]
    #expect(hf.windows.served == nil)
    #expect(hf.runtimes.first { $0.runtime == "ollama" }?.window == nil)
    #expect(hf.verdict.method == .llama3)
  }

  // MARK: LM Studio

  @Test func lmStudioQuantsAreUnitsAndTheProjectorAndLaterShardsAreNot() throws {
    let result = try discover("lmstudio")
    let repo = "models/lmstudio-community/Meta-Llama-3.1-8B-Instruct-GGUF"
    #expect(
      result.units.map(\.path.value) == [
        "\(repo)/Meta-Llama-3.1-8B-Instruct-Q4_K_M.gguf", "\(repo)/Meta-Llama-3.1-8B-Instruct-Q8_0.gguf",
        "models/local/llama-2-7b-split",
      ])
    #expect(result.units.map { $0.members.map(\.display.fileName) } == [
      ["Meta-Llama-3.1-8B-Instruct-Q4_K_M.gguf"], ["Meta-Llama-3.1-8B-Instruct-Q8_0.gguf"],
      ["llama-2-7b-f32-00001-of-00002.gguf"],
    ])
    #expect(!result.units.flatMap(\.members).contains { $0.display.fileName.hasPrefix("mmproj") })
  }

  @Test func lmStudioReportKeepsQuantsApartAndReadsTheSplitFromItsFirstShard() throws {
    let models = try report("lmstudio").models
    #expect(models.count == 3)
    let quants = models.prefix(2)
    #expect(quants.map(\.verdict.summary) == ["131072 (llama3 x8, vendor-trained)", "131072 (llama3 x8, vendor-trained)"])
    let split = models[2]
    #expect(split.sources.map(\.path.value) == ["models/local/llama-2-7b-split/llama-2-7b-f32-00001-of-00002.gguf"])
    #expect(split.windows.native == 4096)

    let first = ArtifactReader().read(
      filePath: Paths.fixture("stores/lmstudio/models/local/llama-2-7b-split/llama-2-7b-f32-00001-of-00002.gguf"),
      display: ArtifactPath("first"), kind: .gguf)
    #expect(first.value("gguf.kv.split.count") == .int(2))
    #expect(first.fact("gguf.kv.split.count")?.location.offset == 475)
    #expect(first.value("gguf.kv.split.no") == .int(0))

    let q4 = ArtifactReader().read(
      filePath: Paths.fixture("stores/lmstudio/models/lmstudio-community/Meta-Llama-3.1-8B-Instruct-GGUF/Meta-Llama-3.1-8B-Instruct-Q4_K_M.gguf"),
      display: ArtifactPath("q4"), kind: .gguf)
    #expect(q4.value("gguf.kv.general.file_type") == .int(15))
  }

  @Test func splitWithoutItsFirstShardIsReportedNotSilentlyDropped() throws {
    let tree = try TempTree()
    try tree.file("m/qwen2-72b-instruct-q6_k-00002-of-00002.gguf", "GGUF")
    let result = try UnitDiscovery().discover(root: tree.root)
    #expect(result.units.isEmpty)
    #expect(
      result.problems == [
        UnitDiscovery.Problem(
          location: SourceLocation(path: ArtifactPath("m/qwen2-72b-instruct-q6_k-00002-of-00002.gguf")),
          message: "split GGUF shard 2 of 2 without its first shard, which holds the metadata; skipped")
      ])
  }

  // MARK: All stores in one scan

  @Test func oneScanOverAllStoresIsSortedAndDeterministic() throws {
    let serial = try report("")
    let parallel = try report("", concurrency: 4)
    #expect(JSONReporter().render(serial) == JSONReporter().render(parallel))
    let paths = serial.models.map(\.path.value)
    #expect(paths == paths.sorted())
    #expect(
      serial.models.map { $0.name ?? $0.path.value } == [
        "Qwen/Qwen2.5-7B-Instruct@a09a35458c70", "meta-llama/Llama-3.1-8B-Instruct@0e9e39f249a1",
        "meta-llama/Llama-3.1-8B-Instruct@5206a32e0bd3",
        "lmstudio/models/lmstudio-community/Meta-Llama-3.1-8B-Instruct-GGUF/Meta-Llama-3.1-8B-Instruct-Q4_K_M.gguf",
        "lmstudio/models/lmstudio-community/Meta-Llama-3.1-8B-Instruct-GGUF/Meta-Llama-3.1-8B-Instruct-Q8_0.gguf",
        "lmstudio/models/local/llama-2-7b-split", "hf.co/bartowski/Meta-Llama-3.1-8B-Instruct-GGUF:Q4_K_M",
        "qwen2.5-256k:latest", "qwen2.5:7b",
      ])
    // No absolute path of this machine leaks into the report.
    #expect(!JSONReporter().render(serial).contains(Paths.fixtures.path))
  }
}
