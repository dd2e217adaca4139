import Foundation
import Testing
@testable import ContextAudit

/// Inputs the fuzz targets (`Sources/Fuzz*`, `scripts/fuzz.sh`) found, each kept under
/// `Fixtures/fuzz-regressions/` and checked here for the value and location it should give.
@Suite struct FuzzRegressionTests {
  /// FuzzJSON: `\n\0\0\0\0\0` was reported at 1:2 while its offset (1) is the start of line 2.
  @Test func jsonEncodingErrorAfterLineFeedIsOnLineTwo() throws {
    let bytes = try Paths.fixtureBytes("fuzz-regressions/json-nul-after-line-feed.json")
    #expect(bytes == [0x0A, 0, 0, 0, 0, 0])
    let path = ArtifactPath("json-nul-after-line-feed.json")
    #expect(throws: JSONError.unsupportedEncoding(
      encoding: "UTF-32 (NUL bytes in the first characters)",
      at: SourceLocation(path: path, line: 2, column: 1, offset: 1))) {
      _ = try JSONReader.read(bytes, path: path)
    }
    // The same NUL without the line feed in front stays at 1:2.
    #expect(throws: JSONError.unsupportedEncoding(
      encoding: "UTF-16 (NUL bytes in the first characters)",
      at: SourceLocation(path: path, line: 1, column: 2, offset: 1))) {
      _ = try JSONReader.read(Array("{\0\"\0".utf8), path: path)
    }
  }

  /// FuzzGGUF: a 57-byte header-only file put `gguf.header.data_offset` at byte 64, past its end.
  @Test func ggufDataOffsetOfHeaderOnlyFileStaysInsideTheFile() throws {
    let bytes = try Paths.fixtureBytes("fuzz-regressions/gguf-data-offset-past-end.gguf")
    #expect(bytes.count == 57)
    let path = ArtifactPath("gguf-data-offset-past-end.gguf")
    var source = MemoryByteSource(bytes)
    let parsed = GGUFParser.parse(&source, path: path)
    #expect(parsed.error == nil)
    // One key, `general.alionment` (misspelt, so the default alignment of 32 holds), UINT32 3.
    #expect(parsed.facts.first { $0.key == "gguf.kv.general.alionment" }?.value == .int(3))
    let dataOffset = try #require(parsed.facts.first { $0.key == "gguf.header.data_offset" })
    #expect(dataOffset.value == .int(64))
    #expect(dataOffset.location == SourceLocation(path: path, offset: 57))

    // A file that holds its data section keeps the fact at the data offset itself.
    var full = MemoryByteSource(bytes + [UInt8](repeating: 0, count: 7))
    let padded = GGUFParser.parse(&full, path: path)
    #expect(padded.facts.first { $0.key == "gguf.header.data_offset" }?.location == SourceLocation(path: path, offset: 64))
  }

  /// FuzzYAML: an error at the end of a stream with no final line break was put on line 4 of
  /// a 3-line stream (libyaml adds a line break at the end of input).
  @Test func yamlErrorAtEndOfInputIsOnTheLastLine() throws {
    let bytes = try Paths.fixtureBytes("fuzz-regressions/yaml-error-at-end-without-line-break.yaml")
    #expect(String(decoding: bytes, as: UTF8.self) == "---\nlicense: apache-2.0# \npipelviLL")
    let path = ArtifactPath("values.yaml")
    let expected = YAMLError(
      .syntax("while scanning a simple key: could not find expected ':'"), at: SourceLocation(path: path, line: 3, column: 10))
    #expect(throws: expected) { _ = try YAMLReader.documents(bytes, path: path) }
    #expect(ManifestParser.parse(bytes, path: path).error == ParseFailure(expected))
  }

  @Test(arguments: [
    // (text, line, column of the end of input)
    ("a: [1,\r\n2", 2, 2),
    ("a: [1,\r2", 2, 2),
    ("a: [1,\u{2028}22", 2, 3),
    ("a: [é,\n\"ü", 2, 3),
  ])
  func yamlErrorAtEndCountsLinesAsLibyamlDoes(text: String, line: Int, column: Int) throws {
    let path = ArtifactPath("t.yaml")
    let utf16LE: [UInt8] = [0xFF, 0xFE] + text.utf16.flatMap { unit -> [UInt8] in [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
    for bytes in [Array(text.utf8), utf16LE] {
      #expect {
        _ = try YAMLReader.documents(bytes, path: path)
      } throws: { error in
        guard let error = error as? YAMLError else { return false }
        return error.location.line == line && error.location.column == column
      }
    }
  }

  /// FuzzYAML: the null node of an empty last document (`---` then only a comment with no
  /// final line break) was put on line 6 of a 5-line stream.
  @Test func yamlEmptyLastDocumentIsOnTheLastLine() throws {
    let bytes = try Paths.fixtureBytes("fuzz-regressions/yaml-empty-last-document-at-end.yaml")
    #expect(bytes.count == 80 && bytes.filter { $0 == 0x0A }.count == 4 && bytes.last != 0x0A)
    let documents = try YAMLReader.documents(bytes, path: ArtifactPath("t.yaml"))
    #expect(documents.count == 2)
    #expect(documents.first?["license"]?.factValue == .string("apach 131e-2.0"))
    let empty = try #require(documents.last)
    #expect(empty.content == .scalar("", plain: true))
    // Line 5 is `# 072N`: the end of input is at its column 7.
    #expect(empty.line == 5 && empty.column == 7)

    let card = try YAMLReader.documents("a: 1\n---\n# c", path: ArtifactPath("t.yaml"), lineOffset: 10)
    #expect(card.map(\.line) == [11, 13] && card.map(\.column) == [1, 4])
  }

  /// The last line stays as libyaml reports it when the input ends with a line break.
  @Test func yamlErrorAfterFinalLineBreakIsUnchanged() {
    let path = ArtifactPath("t.yaml")
    #expect {
      _ = try YAMLReader.documents("a: [1,\n2\n", path: path)
    } throws: { error in
      (error as? YAMLError)?.location == SourceLocation(path: path, line: 3, column: 1)
    }
  }

  /// FuzzAudit: a GGUF claiming a rotary dimension of 4,259,968 made the per-pair analysis
  /// compute 2.1 million pairs (1.7 GB, over 10 s). Now the analysis refuses it and says why,
  /// the report stays small, and the other findings are still there.
  @Test func hugeRotaryDimensionIsRefusedByTheAnalysisNotComputed() throws {
    let input = try Paths.fixtureBytes("fuzz-regressions/audit-huge-rotary-dimension.bin")
    #expect(input.first == 1)  // FuzzAudit's selector: a GGUF alone
    let gguf = ArtifactReader().parse(bytes: Array(input.dropFirst()), path: ArtifactPath("m/model.gguf"), kind: .gguf)
    #expect(gguf.facts.first { $0.key == "gguf.kv.llama.rope.dimension_count" }?.value == 4_259_968)
    let rules = try RuleCatalog.loadEmbedded().rules
    let model = Auditor(rules: rules).audit(ScannedUnit(path: ArtifactPath("m"), name: nil, artifacts: [gguf]))
    let analysis = try #require(model.analysis)
    #expect(analysis.pairs.isEmpty)
    #expect(analysis.summary == "no frequencies: rotary dimension 4259968 is above 4096, the largest the analysis computes")
    #expect(model.windows.native == 131_072)
    #expect(model.findings.map(\.rule) == ["parse-error"])
    let json = JSONLReporter().render(ScanReport(models: [model], rules: []))
    #expect(json.utf8.count < 8_000)
    // The same claim from a config.json: head_dim of a billion.
    let config = ConfigJSONParser.parse(
      Array(#"{"model_type": "llama", "max_position_embeddings": 4096, "rope_theta": 10000.0, "head_dim": 1000000000, "num_attention_heads": 32, "hidden_size": 4096}"#.utf8),
      path: ArtifactPath("c/config.json"))
    let fromConfig = Auditor(rules: rules).audit(ScannedUnit(path: ArtifactPath("c"), name: nil, artifacts: [config]))
    #expect(fromConfig.analysis?.pairs.isEmpty == true)
    #expect(fromConfig.analysis?.summary.hasPrefix("no frequencies: rotary dimension 1000000000 is above 4096") == true)
  }
}
