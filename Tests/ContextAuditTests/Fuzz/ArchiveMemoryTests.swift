import Foundation
import Testing
@testable import ContextAudit

/// `ArchiveReader.read(bytes:display:)`, the in-memory entry point the archive fuzz target uses.
@Suite struct ArchiveMemoryTests {
  static func corpus(_ name: String) -> String {
    Paths.root.appendingPathComponent("Fuzz/corpus/FuzzArchive/" + name).path
  }

  @Test func memoryAndFileReadsAgree() throws {
    let file = Self.corpus("all-kinds.tar.gz")
    let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: file)))
    let display = ArtifactPath("m.tar.gz")
    let fromMemory = ArchiveReader().read(bytes: bytes, display: display)
    let fromFile = ArchiveReader().read(filePath: file, display: display)
    #expect(fromMemory.error == nil && fromFile.error == nil)
    #expect(fromMemory.artifacts.map(\.path.value) == [
      "m.tar.gz!/model/config.json", "m.tar.gz!/model/README.md", "m.tar.gz!/model/split-00002-of-00002.gguf",
      "m.tar.gz!/deploy/values.yaml", "m.tar.gz!/ollama/Modelfile",
    ])
    #expect(fromMemory.artifacts.map(\.kind) == [.configJSON, .modelCard, .gguf, .yamlManifest, .modelfile])
    for (a, b) in zip(fromMemory.artifacts, fromFile.artifacts) {
      #expect(a.facts == b.facts)
      #expect(a.error == b.error)
    }
    let config = try #require(fromMemory.artifacts.first)
    let window = try #require(config.facts.first { $0.key == "config.max_position_embeddings" })
    #expect(window.value == .int(131_072))
    #expect(window.location.line == 17 && window.location.column == 30)
  }

  @Test func hostileMemberNamesAreNormalisedAndLinksSkipped() throws {
    let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: Self.corpus("hostile-names.gnu.tar"))))
    let contents = ArchiveReader().read(bytes: bytes, display: ArtifactPath("h.tar"))
    #expect(contents.error == nil)
    // `../../escape/config.json` and `/abs/./Modelfile`; the symlink and the directory are skipped.
    #expect(contents.artifacts.map(\.path.value) == ["h.tar!/escape/config.json", "h.tar!/abs/Modelfile"])
    #expect(contents.artifacts.first?.facts.first { $0.key == "config.max_position_embeddings" }?.value == .int(4096))
  }

  @Test func bytesThatAreNoArchiveGiveAnArchiveError() {
    let contents = ArchiveReader().read(bytes: Array("just some text\n".utf8), display: ArtifactPath("x.zip"))
    #expect(contents.artifacts.isEmpty)
    #expect(contents.error?.location == SourceLocation(path: ArtifactPath("x.zip")))
    #expect(contents.error?.message.isEmpty == false)
  }
}
