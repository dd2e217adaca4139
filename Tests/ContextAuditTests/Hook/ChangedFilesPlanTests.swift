import Foundation
import Glibc
import Testing
@testable import ContextAudit

@Suite struct ChangedFilesPlanTests {
  /// Unit paths relative to the tree, and each unit's member names.
  static func describe(_ plan: ContextAudit.Scanner.Plan, _ tree: TempTree) -> [String] {
    plan.items.map { item in
      switch item {
      case .unit(let unit):
        let members = unit.members.map(\.display.fileName).joined(separator: ",")
        return String(unit.path.value.dropFirst(tree.root.count + 1)) + " [" + members + "]"
      case .archive(let archive):
        return String(archive.display.value.dropFirst(tree.root.count + 1)) + " (archive)"
      }
    }
  }

  @Test func changedFilesNameTheirDirectoriesEachAuditedOnce() throws {
    let tree = try TempTree()
    try tree.file("models/a/config.json")
    try tree.file("models/a/vllm.yaml", "max-model-len: 8192\n")
    try tree.file("models/a/notes.txt", "x")
    try tree.file("models/b/config.json")
    try tree.file("models/b/sub/config.json")
    try tree.file("models/c/model-Q4_K_M.gguf", "GGUF")
    try tree.file("models/c/model-Q8_0.gguf", "GGUF")
    try tree.file("models/c/README.md", "---\nlicense: mit\n---\n")
    try tree.file("models/d/Modelfile", "FROM ./x.gguf\n")
    try tree.file(".github/workflows/ci.yaml", "on: push\n")
    try tree.file("NOTES.txt", "x")
    let changed = [
      "models/a/config.json", "models/a/vllm.yaml", "models/a/notes.txt",  // one unit, notes ignored
      "models/b/sub/config.json",  // only the subdirectory, not models/b
      ".github/workflows/ci.yaml", "NOTES.txt",  // hidden path; not a model file
      "models/c/README.md",  // both quantisations share the card
      "models/d/config.json",  // deleted, but models/d still exists
      "models/e/config.json",  // deleted with its directory
      "./models//a/./config.json",  // the same file spelled differently
    ].map { tree.path($0) }
    let plan = ContextAudit.Scanner().plan(changedFiles: changed)
    #expect(
      Self.describe(plan, tree) == [
        "models/a [config.json,vllm.yaml]",
        "models/b/sub [config.json]",
        "models/c/model-Q4_K_M.gguf [README.md,model-Q4_K_M.gguf]",
        "models/c/model-Q8_0.gguf [README.md,model-Q8_0.gguf]",
        "models/d [Modelfile]",
      ])
    #expect(plan.problems.isEmpty)
  }

  @Test func nothingToAuditWhenNoModelFileChanged() throws {
    let tree = try TempTree()
    try tree.file("m/config.json")
    try tree.file("m/train.py", "print()")
    let plan = ContextAudit.Scanner().plan(changedFiles: [tree.path("m/train.py"), tree.path("m/.hidden.yaml"), tree.path("gone/x.gguf")])
    #expect(plan.items.isEmpty)
    #expect(plan.problems.isEmpty)
  }

  @Test func archivesAreItemsOfTheirOwnAndDeletedArchivesAreSkipped() throws {
    let tree = try TempTree()
    try tree.file("src/m/config.json", #"{"max_position_embeddings": 4096}"#)
    try MergeTestSupport.tar(tree.path("bundle.tar"), directory: tree.path("src"), member: "m")
    let plan = ContextAudit.Scanner().plan(changedFiles: [tree.path("bundle.tar"), tree.path("old.tar.gz")])
    #expect(Self.describe(plan, tree) == ["bundle.tar (archive)"])
  }

  @Test func aFIFONamedLikeAModelFileIsAProblem() throws {
    let tree = try TempTree()
    try tree.file("m/README.md", "---\nlicense: mit\n---\n")
    #expect(mkfifo(tree.path("m/config.json"), 0o600) == 0)
    let plan = ContextAudit.Scanner().plan(changedFiles: [tree.path("m/README.md")])
    #expect(Self.describe(plan, tree) == ["m [README.md]"])
    #expect(plan.problems.map(\.message) == ["not a regular file (a FIFO), skipped"])
    #expect(plan.problems.map(\.location) == [SourceLocation(path: ArtifactPath(tree.path("m/config.json")))])
  }

  @Test func pathsAreCleanedAndHiddenComponentsDropped() {
    #expect(ContextAudit.Scanner.cleanPath("./models//llama/./config.json") == "models/llama/config.json")
    #expect(ContextAudit.Scanner.cleanPath("models/llama/") == "models/llama")
    #expect(ContextAudit.Scanner.cleanPath("/srv/models/config.json") == "/srv/models/config.json")
    #expect(ContextAudit.Scanner.cleanPath("../shared/config.json") == "../shared/config.json")
    #expect(ContextAudit.Scanner.cleanPath(".github/workflows/ci.yaml") == nil)
    #expect(ContextAudit.Scanner.cleanPath("models/.cache/config.json") == nil)
    #expect(ContextAudit.Scanner.cleanPath("./") == nil)
    #expect(ContextAudit.Scanner.parent(of: "config.json") == ".")
    #expect(ContextAudit.Scanner.parent(of: "models/llama/config.json") == "models/llama")
    #expect(ContextAudit.Scanner.parent(of: "/config.json") == "/")
  }

  /// Llama-2-7B (native 4096, no RoPE scaling) with a vLLM config, as in scripts/test-precommit.sh.
  static func llama2(servedAt window: Int) throws -> TempTree {
    let tree = try TempTree()
    for name in ["config.json", "generation_config.json", "tokenizer_config.json"] {
      let text = try String(contentsOfFile: Paths.fixture("models/llama-2-7b-hf/" + name), encoding: .utf8)
      try tree.file("models/llama2/" + name, text)
    }
    try tree.file("models/llama2/vllm.yaml", "# vllm serve --config vllm.yaml\nmax-model-len: \(window)\nmodel: meta-llama/Llama-2-7b-hf\n")
    return tree
  }

  @Test func changedManifestIsAuditedAgainstTheConfigBesideIt() throws {
    let tree = try Self.llama2(servedAt: 8192)
    let run = try MergeTestSupport.scanRun()
    let report = run.run(plan: run.scanner.plan(changedFiles: [tree.path("models/llama2/vllm.yaml")]))
    #expect(report.models.map(\.path.value) == [tree.path("models/llama2")])
    let errors = report.models.flatMap(\.findings).filter { $0.severity == .error }
    #expect(errors.map(\.rule) == ["model-served-past-native-unscaled"])
    #expect(errors.first?.location?.path.value == tree.path("models/llama2/vllm.yaml"))
    #expect(errors.first?.location?.line == 2)
    #expect(errors.first?.location?.column == 16)
    #expect(report.models.first?.windows == Windows(native: 4096, effective: 4096, advertised: nil, served: 8192))
  }

  @Test func servingAtTheNativeWindowPasses() throws {
    let tree = try Self.llama2(servedAt: 4096)
    let run = try MergeTestSupport.scanRun()
    let report = run.run(plan: run.scanner.plan(changedFiles: [tree.path("models/llama2/config.json")]))
    #expect(report.models.count == 1)
    #expect(report.summary.errors == 0)
    #expect(report.models.first?.windows.served == 4096)
  }
}
