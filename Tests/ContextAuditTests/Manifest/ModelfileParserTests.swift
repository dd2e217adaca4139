import Foundation
import Testing
@testable import ContextAudit

/// Ollama Modelfile syntax (ollama/ollama parser/parser.go behaviour) and the params layer.
@Suite struct ModelfileParserTests {
  let path = ArtifactPath("Modelfile")

  func parse(_ text: String) -> ParsedArtifact {
    ModelfileParser.parse(Array(text.utf8), path: path)
  }

  @Test func instructionsAreCaseInsensitiveAndCommentsSkipped() {
    let parsed = parse("# base model\n  from llama3.1:8b\n\n# window\nPaRaMeTeR num_ctx 4096\n")
    #expect(parsed.error == nil)
    #expect(
      FactText.lines(parsed.facts) == [
        #"manifest.kind="modelfile"@2:3"#,
        #"manifest.server="ollama"@2:3"#,
        #"manifest.model="llama3.1:8b"@2:8"#,
        "manifest.served_window=4096@5:19",
        #"manifest.served_window_flag="num_ctx"@5:19"#,
      ])
  }

  @Test func parameterNamesAreMatchedExactly() {
    // `ollama create` rejects NUM_CTX as an unknown parameter, so it sets no window.
    let parsed = parse("FROM foo\nPARAMETER NUM_CTX 4096\n")
    #expect(parsed.error == nil)
    #expect(parsed.facts.first("manifest.served_window") == nil)
  }

  @Test func valuesKeepInnerSpacesAndQuotedValuesAreLocatedAtTheQuote() {
    let unquoted = parse("FROM     FOOO BAR    \n")
    #expect(unquoted.facts.first("manifest.model")?.value == .string("FOOO BAR"))
    #expect(unquoted.facts.first("manifest.model")?.location.column == 10)
    let quoted = parse("FROM \"     model 1\"\nPARAMETER num_ctx \"16384\"\n")
    #expect(quoted.facts.first("manifest.model")?.value == .string("     model 1"))
    #expect(quoted.facts.first("manifest.served_window")?.value == .int(16384))
    #expect(quoted.facts.first("manifest.served_window")?.location.column == 19)
  }

  @Test func tripleQuotedValuesSpanLines() {
    let parsed = parse("FROM foo\nSYSTEM \"\"\"\nline one\nPARAMETER num_ctx 1\n\"\"\"\nPARAMETER num_ctx 2048\n")
    #expect(parsed.error == nil)
    // The PARAMETER inside the quoted SYSTEM text is text, not an instruction.
    #expect(parsed.facts.all("manifest.served_window").map(\.value) == [.int(2048)])
    #expect(parsed.facts.first("manifest.served_window")?.location.line == 6)
  }

  @Test func unknownInstructionIsLocatedAndKeepsEarlierFacts() {
    let parsed = parse("FROM foo\nBADCOMMAND param1 value1\n")
    #expect(parsed.error == ParseFailure(ModelfileError.unknownInstruction("BADCOMMAND", at: SourceLocation(path: path, line: 2, column: 1))))
    #expect(parsed.facts.first("manifest.model")?.value == .string("foo"))
  }

  @Test func parameterWithoutValueIsAnError() {
    let parsed = parse("FROM foo\nPARAMETER num_ctx\n")
    #expect(parsed.error?.message == "Modelfile PARAMETER num_ctx has no value")
    #expect(parsed.error?.location == SourceLocation(path: path, line: 2, column: 1))
  }

  @Test func unterminatedQuoteIsLocatedAtItsOpening() {
    let parsed = parse("FROM foo\nSYSTEM \"\"\"never closed\n")
    #expect(parsed.error == ParseFailure(ModelfileError.unterminatedQuote("\"\"\"", at: SourceLocation(path: path, line: 2, column: 8))))
  }

  @Test func missingFromIsAnErrorButTheWindowIsKept() {
    let parsed = parse("PARAMETER num_ctx 2048\n")
    #expect(parsed.error?.message == "Modelfile has no FROM instruction")
    #expect(parsed.error?.location.line == nil)
    #expect(parsed.facts.first("manifest.served_window")?.value == .int(2048))
  }

  @Test func utf16WithBOMIsDecoded() {
    let text = "FROM bob\nPARAMETER num_ctx 4096\n"
    var bytes: [UInt8] = [0xFF, 0xFE]
    for unit in text.utf16 { bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
    let parsed = ModelfileParser.parse(bytes, path: path)
    #expect(parsed.facts.first("manifest.served_window")?.value == .int(4096))
    #expect(parsed.facts.first("manifest.model")?.value == .string("bob"))
  }

  @Test func paramsLayerVariants() {
    let p = ArtifactPath("blobs/sha256-1234")
    let fractional = ModelfileParser.parseOllamaParams(Array(#"{"num_ctx": 8192.0}"#.utf8), path: p)
    #expect(fractional.facts.first("manifest.served_window")?.value == .int(8192))
    let noWindow = ModelfileParser.parseOllamaParams(Array(#"{"stop": ["</s>"]}"#.utf8), path: p)
    #expect(noWindow.error == nil)
    #expect(noWindow.facts.map(\.key) == ["manifest.kind", "manifest.server"])
    let array = ModelfileParser.parseOllamaParams(Array("[1, 2]".utf8), path: p)
    #expect(array.error == ParseFailure(ModelfileError.paramsNotJSONObject(at: SourceLocation(path: p))))
    #expect(array.facts.isEmpty)
  }
}
