import Foundation
import Testing
@testable import ContextAudit

/// `.pre-commit-hooks.yaml` must hand the hook exactly the files it reads.
@Suite struct PreCommitHooksFileTests {
  static func hook() throws -> YAMLNode {
    let bytes = Array(try Data(contentsOf: Paths.root.appendingPathComponent(".pre-commit-hooks.yaml")))
    let documents = try YAMLReader.documents(bytes, path: ArtifactPath(".pre-commit-hooks.yaml"))
    let hooks = try #require(documents.first?.sequence)
    #expect(hooks.count == 1)
    return try #require(hooks.first)
  }

  /// pre-commit matches `files` with Python's `re.search`; `(?i)` and the syntax used here mean
  /// the same in ICU, which `NSRegularExpression` uses.
  static func regex(_ key: String) throws -> NSRegularExpression {
    let pattern = try #require(try hook()[key]?.scalar)
    return try NSRegularExpression(pattern: pattern)
  }

  static func matches(_ regex: NSRegularExpression, _ path: String) -> Bool {
    regex.firstMatch(in: path, range: NSRange(path.startIndex..., in: path)) != nil
  }

  @Test func hookRunsTheHookSubcommandBuiltWithSwift() throws {
    let hook = try Self.hook()
    #expect(hook["id"]?.scalar == "ctxaudit")
    #expect(hook["entry"]?.scalar == "ctxaudit hook")
    #expect(hook["language"]?.scalar == "swift")
    #expect(hook["require_serial"]?.factValue == .bool(true))
  }

  static let names = [
    "config.json", "Config.JSON", "generation_config.json", "tokenizer_config.json", "params.json", "config.yaml.json",
    "README.md", "readme.md", "model_card.md", "modelcard.md", "Modelfile", "llama3.Modelfile",
    "model-Q4_K_M.gguf", "mmproj-f16.gguf", "vllm.yaml", "values.yml", "deploy.YAML",
    "bundle.tar", "bundle.tar.gz", "b.tgz", "b.tar.xz", "b.txz", "b.tar.zst", "b.tzst", "b.tar.bz2", "b.tbz2", "b.zip",
    "b.7z", "mistral.llamafile",
    // Not read by ctxaudit:
    "tokenizer.json", "myconfig.json", "config.json.bak", "notes.txt", "README.rst", "model.safetensors",
    "modelfile.txt", "weights.bin", "yaml", "gguf",
  ]

  @Test(arguments: names)
  func filesPatternAgreesWithWhatTheScannerReads(name: String) throws {
    let files = try Self.regex("files")
    let read = ArtifactKind.detect(fileName: name) != nil || ArchiveFormat.isArchive(fileName: name)
    #expect(Self.matches(files, name) == read)
    #expect(Self.matches(files, "models/llama/" + name) == read)
    #expect(!Self.matches(files, "models/llama/" + name + ".orig") || ArchiveFormat.isArchive(fileName: name + ".orig"))
  }

  @Test func excludeDropsHiddenPathsOnly() throws {
    let exclude = try Self.regex("exclude")
    #expect(Self.matches(exclude, ".pre-commit-config.yaml"))
    #expect(Self.matches(exclude, ".github/workflows/ci.yaml"))
    #expect(Self.matches(exclude, "models/.cache/config.json"))
    #expect(!Self.matches(exclude, "models/llama/config.json"))
    #expect(!Self.matches(exclude, "models/v0.1/config.json"))
  }
}
