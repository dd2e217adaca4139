import Foundation
import Glibc
import Testing
@testable import ContextAudit

@Suite struct UnitDiscoveryTests {
  func units(_ tree: TempTree, _ relative: String = "") throws -> UnitDiscovery.Result {
    try UnitDiscovery().discover(root: relative.isEmpty ? tree.root : tree.path(relative))
  }

  @Test func findsModelDirectoriesAtAnyDepthInNameOrder() throws {
    let tree = try TempTree()
    try tree.file("b/llama/config.json")
    try tree.file("b/llama/README.md", "---\nlicense: mit\n---\n")
    try tree.file("a/deep/er/still/qwen/config.json")
    try tree.file("a/notes.txt", "not a model file")
    let result = try units(tree)
    #expect(result.units.map(\.path.value) == ["a/deep/er/still/qwen", "b/llama"])
    #expect(result.units[1].members.map(\.display.value) == ["b/llama/README.md", "b/llama/config.json"])
    #expect(result.units[1].members.map(\.kind) == [.modelCard, .configJSON])
  }

  @Test func rootThatIsAModelDirectoryIsDot() throws {
    let tree = try TempTree()
    try tree.file("config.json")
    let result = try units(tree)
    #expect(result.units.map(\.path.value) == ["."])
    #expect(result.units[0].members.map(\.display.value) == ["config.json"])
  }

  @Test func severalGGUFsInOneFolderAreSeparateUnitsSharingTheRest() throws {
    let tree = try TempTree()
    try tree.file("pub/repo/model-Q4_K_M.gguf", "GGUF")
    try tree.file("pub/repo/model-Q8_0.gguf", "GGUF")
    try tree.file("pub/repo/mmproj-model-f16.gguf", "GGUF")
    try tree.file("pub/repo/README.md", "# card")
    let result = try units(tree)
    #expect(result.units.map(\.path.value) == ["pub/repo/model-Q4_K_M.gguf", "pub/repo/model-Q8_0.gguf"])
    #expect(result.units[0].members.map(\.display.value) == ["pub/repo/README.md", "pub/repo/model-Q4_K_M.gguf"])
  }

  @Test func splitGGUFIsOneUnitReadFromItsFirstShard() throws {
    let tree = try TempTree()
    for i in 1...3 { try tree.file("m/qwen2-72b-instruct-q6_k-0000\(i)-of-00003.gguf", "GGUF") }
    let result = try units(tree)
    #expect(result.units.count == 1)
    #expect(result.units[0].members.map(\.display.value) == ["m/qwen2-72b-instruct-q6_k-00001-of-00003.gguf"])
    #expect(UnitDiscovery.shardNumber("Meta-Llama-3.1-405B-Instruct-XelotX-BF16-00002-of-00018.gguf") == 2)
    #expect(UnitDiscovery.shardNumber("model-Q4_K_M.gguf") == nil)
  }

  @Test func hubCacheSnapshotsAreUnitsNamedByRepoAndRevision() throws {
    let tree = try TempTree()
    let rev = "0e9e39f249a16976918f6564b8830bc894c89659"
    try tree.file("hub/models--meta-llama--Llama-3.1-8B-Instruct/blobs/abc123", "{\"max_position_embeddings\": 131072}")
    try tree.file("hub/models--meta-llama--Llama-3.1-8B-Instruct/refs/main", rev)
    try tree.symlink("hub/models--meta-llama--Llama-3.1-8B-Instruct/snapshots/\(rev)/config.json", to: "../../blobs/abc123")
    try tree.file("hub/models--gpt2/snapshots/607a30d783dfa663caf39e06633721c8d4cfcd7e/config.json")
    let result = try units(tree, "hub")
    #expect(result.units.map(\.name) == ["gpt2@607a30d783df", "meta-llama/Llama-3.1-8B-Instruct@0e9e39f249a1"])
    #expect(result.units[1].path.value == "models--meta-llama--Llama-3.1-8B-Instruct/snapshots/\(rev)")
    // blobs/ is never a unit of its own
    #expect(!result.units.contains { $0.path.value.contains("blobs") })
  }

  @Test func symlinkLoopIsCutAndReported() throws {
    let tree = try TempTree()
    try tree.file("m/config.json")
    try tree.symlink("m/loop", to: "..")
    let result = try units(tree)
    #expect(result.units.map(\.path.value) == ["m"])
    #expect(result.problems.contains { $0.message.contains("symlink loop") })
  }

  @Test func fifoNamedLikeAModelFileIsReportedNotOpened() throws {
    let tree = try TempTree()
    try tree.directory("m")
    #expect(mkfifo(tree.path("m/config.json"), 0o600) == 0)
    try tree.file("m/README.md", "# x")
    let result = try units(tree)
    #expect(result.units.first?.members.map(\.display.value) == ["m/README.md"])
    #expect(result.problems.map(\.message) == ["not a regular file (a FIFO), skipped"])
    #expect(result.problems.first?.location.path.value == "m/config.json")
  }

  @Test func depthLimitIsEnforcedAndReported() throws {
    let tree = try TempTree()
    try tree.file("1/2/3/4/config.json")
    let result = try UnitDiscovery(limits: WalkLimits(maxDepth: 2)).discover(root: tree.root)
    #expect(result.units.isEmpty)
    #expect(result.problems.map(\.message) == ["deeper than 2 levels; subdirectories not scanned"])
  }

  @Test func missingRootThrows() {
    #expect(throws: UnitDiscovery.MissingInput.self) {
      _ = try UnitDiscovery().discover(root: "/nonexistent/ctxaudit/path")
    }
  }
}
