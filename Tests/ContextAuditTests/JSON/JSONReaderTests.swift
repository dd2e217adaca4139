import Testing

@testable import ContextAudit

@Suite struct JSONReaderTests {
  let path = ArtifactPath("t.json")

  func read(_ text: String, limits: JSONLimits = .default) throws -> JSONDocument {
    try JSONReader.read(text, path: path, limits: limits)
  }

  /// The error `body` throws, or `nil`.
  func error(_ body: () throws -> Void) -> JSONError? {
    do {
      try body()
      return nil
    } catch {
      return error as? JSONError
    }
  }

  func location(_ line: Int, _ column: Int, offset: UInt64, keyPath: String? = nil) -> ContextAudit.SourceLocation {
    ContextAudit.SourceLocation(path: path, line: line, column: column, keyPath: keyPath, offset: offset)
  }

  // MARK: Positions and key paths

  @Test func recordsLineColumnOffsetAndKeyPathOfEveryValue() throws {
    let text = "{\n  \"a\": [1, {\"b\": null}],\n  \"rope_scaling\": {\"long_factor\": [1.0, 2.5, 3, 4]}\n}\n"
    let doc = try read(text)
    let root = try #require(doc.root)
    #expect(root.keyPath == "" && root.line == 1 && root.column == 1 && root.offset == 0)
    let b = try #require(root["a"]?[1]?["b"])
    #expect(b.isNull && b.keyPath == "a[1].b" && b.line == 2 && b.column == 18 && b.offset == 19)
    let last = try #require(root["rope_scaling"]?["long_factor"]?[3])
    #expect(last.intValue == 4)
    #expect(last.keyPath == "rope_scaling.long_factor[3]")
    #expect(last.line == 3 && last.column == 49 && last.offset == 75)
    #expect(root["rope_scaling"]?["long_factor"]?[1]?.doubleValue == 2.5)
    #expect(last.location(in: path) == location(3, 49, offset: 75, keyPath: "rope_scaling.long_factor[3]"))
  }

  @Test func countsColumnsInUnicodeScalarsNotBytes() throws {
    // "é" is 2 bytes, "😀" is 4 bytes; each is one column.
    let doc = try read("{\"é\": \"😀\", \"x\": 7}")
    let x = try #require(doc.root?["x"])
    #expect(x.intValue == 7)
    #expect(x.column == 17)
    #expect(x.offset == 20)
    #expect(doc.root?["é"]?.stringValue == "😀")
  }

  @Test func quotesKeysThatWouldMakeKeyPathsAmbiguous() throws {
    let doc = try JSONReader.read(Paths.fixtureBytes("json/dotted-keys.json"), path: path)
    let root = try #require(doc.root)
    #expect(root["auto_map"]?["AutoModel.v2"]?.keyPath == "auto_map[\"AutoModel.v2\"]")
    #expect(root["odd.key"]?["max_length"]?.keyPath == "[\"odd.key\"].max_length")
    #expect(root[""]?["seq_len"]?.keyPath == "[\"\"].seq_len")
    #expect(root[""]?["seq_len"]?.line == 4)
  }

  // MARK: Duplicates and Python extensions

  @Test func duplicateKeysKeepTheLastValueAndReportBothLocations() throws {
    let doc = try JSONReader.read(Paths.fixtureBytes("json/duplicate-rope-scaling.json"), path: path)
    let root = try #require(doc.root)
    #expect(root.count == 3)
    #expect(root.members.map(\.key) == ["max_position_embeddings", "rope_scaling", "rope_theta"])
    let scaling = try #require(root["rope_scaling"])
    #expect(scaling["rope_type"]?.stringValue == "llama3")
    #expect(scaling["type"] == nil)
    #expect(scaling["factor"]?.doubleValue == 4.0)
    #expect(scaling.line == 5)
    #expect(
      doc.duplicateKeys == [
        JSONDuplicateKey(
          keyPath: "rope_scaling", key: "rope_scaling", winning: JSONPosition(line: 5, column: 19, offset: 136),
          earlier: JSONPosition(line: 3, column: 19, offset: 57)),
        JSONDuplicateKey(
          keyPath: "rope_scaling.factor", key: "factor", winning: JSONPosition(line: 5, column: 68, offset: 185),
          earlier: JSONPosition(line: 5, column: 53, offset: 170)),
      ])
  }

  @Test func acceptsNaNAndInfinityAsPythonDoesAndReportsEach() throws {
    let doc = try JSONReader.read(Paths.fixtureBytes("json/non-finite.json"), path: path)
    let root = try #require(doc.root)
    #expect(root["rope_theta"]?.doubleValue?.isNaN == true)
    #expect(root["max_position_embeddings"]?.doubleValue == .infinity)
    #expect(root["rope_scaling"]?["factor"]?.doubleValue == -.infinity)
    #expect(root["rope_scaling"]?["beta_fast"]?.doubleValue == .infinity)
    #expect(doc.diagnostics.map(\.kind) == Array(repeating: .nonFiniteNumber, count: 4))
    #expect(
      doc.diagnostics.map(\.keyPath) == [
        "rope_theta", "max_position_embeddings", "rope_scaling.factor", "rope_scaling.beta_fast",
      ])
    #expect(doc.diagnostics.map(\.text) == ["NaN", "Infinity", "-Infinity", "1e400"])
    #expect(doc.diagnostics[0].position == JSONPosition(line: 2, column: 17, offset: 18))
  }

  @Test func acceptsAUTF8ByteOrderMarkWithoutCountingItAsAColumn() throws {
    let doc = try JSONReader.read(Paths.fixtureBytes("json/bom.json"), path: path)
    let value = try #require(doc.root?["max_position_embeddings"])
    #expect(value.intValue == 4096)
    #expect(value.line == 1 && value.column == 29 && value.offset == 31)
    #expect(doc.root?.column == 1 && doc.root?.offset == 3)
    #expect(doc.diagnostics.map(\.kind) == [.byteOrderMark])
  }

  // MARK: Encoding errors

  @Test func rejectsInvalidUTF8WithItsByteOffset() throws {
    let bytes = try Paths.fixtureBytes("json/invalid-utf8.json")
    let e = error { _ = try JSONReader.read(bytes, path: path) }
    #expect(e == .invalidUTF8(byte: 0xC3, at: location(2, 23, offset: 24, keyPath: "model_type")))
    #expect(e?.message == "invalid UTF-8 sequence starting with byte 0xC3")
  }

  @Test func rejectsOverlongAndSurrogateEncodings() {
    // C0 80 is an overlong NUL; ED A0 80 encodes U+D800.
    for bad: [UInt8] in [[0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0x80]] {
      let bytes: [UInt8] = Array("[\"ab".utf8) + bad + Array("\"]".utf8)
      let e = error { _ = try JSONReader.read(bytes, path: path) }
      #expect(e == .invalidUTF8(byte: bad[0], at: location(1, 5, offset: 4)))
    }
  }

  @Test func rejectsUTF16InputWithAndWithoutAByteOrderMark() throws {
    let withBOM = try Paths.fixtureBytes("json/utf16le.json")
    #expect(
      error { _ = try JSONReader.read(withBOM, path: path) }
        == .unsupportedEncoding(encoding: "UTF-16 (little-endian byte order mark)", at: location(1, 1, offset: 0)))
    let bare = Array("{\"a\": 1}".utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] })
    #expect(
      error { _ = try JSONReader.read(bare, path: path) }
        == .unsupportedEncoding(encoding: "UTF-16 (NUL bytes in the first characters)", at: location(1, 1, offset: 0)))
  }

  // MARK: Grammar errors

  @Test func rejectsTrailingGarbageAfterTheTopLevelValue() throws {
    let bytes = try Paths.fixtureBytes("json/trailing-garbage.json")
    let e = error { _ = try JSONReader.read(bytes, path: path) }
    #expect(e == .trailingContent(found: "'}'", at: location(2, 1, offset: 34)))
    #expect(e?.message == "unexpected '}' after the top-level value")
  }

  @Test func namesWhatWasExpectedWithTheLocation() {
    #expect(
      error { _ = try read("{\"a\": 1 \"b\": 2}") }
        == .unexpectedCharacter(
          found: "'\"'", expected: "',' or '}' after object member", at: location(1, 9, offset: 8)))
    #expect(
      error { _ = try read("[1, 2,]") } == .trailingComma(closing: "]", at: location(1, 7, offset: 6)))
    #expect(
      error { _ = try read("{\"a\" 1}") }
        == .unexpectedCharacter(found: "'1'", expected: "':' after object key", at: location(1, 6, offset: 5, keyPath: "a")))
    #expect(error { _ = try read("{\"a\": 01}") } == .leadingZero(at: location(1, 7, offset: 6, keyPath: "a")))
    #expect(error { _ = try read("[1.]") } == .invalidNumber(expected: "a digit after '.'", at: location(1, 4, offset: 3)))
    #expect(error { _ = try read("[tru]") } == .invalidLiteral(expected: "'true'", at: location(1, 2, offset: 1)))
    #expect(error { _ = try read("  \n ") } == .emptyInput(at: location(2, 2, offset: 4)))
    #expect(
      error { _ = try read("{\"a\": [1, 2") }
        == .unexpectedEnd(expected: "',' or ']' after array element", at: location(1, 12, offset: 11, keyPath: "a")))
    let message = error { _ = try read("{\"a\": 1 \"b\": 2}") }?.message
    #expect(message == "expected ',' or '}' after object member, found '\"'")
  }

  @Test func rejectsRawControlCharactersInStrings() {
    #expect(
      error { _ = try read("{\"k\": \"a\tb\"}") }
        == .controlCharacterInString(0x09, at: location(1, 9, offset: 8, keyPath: "k")))
    #expect(
      error { _ = try read("[\"a\nb\"]") }?.message == "unescaped control character U+000A in string")
  }

  @Test func reportsTheOpeningQuoteOfAnUnterminatedString() {
    #expect(error { _ = try read("{\"name\": \"llama") } == .unterminatedString(at: location(1, 10, offset: 9, keyPath: "name")))
  }

  // MARK: Strings and numbers

  @Test func decodesEscapesAndSurrogatePairs() throws {
    let doc = try read(#"["\ud83d\ude00 \"q\" \\ \/ \b\f\n\r\t \u00e9\u4e2d"]"#)
    #expect(doc.root?[0]?.stringValue == "😀 \"q\" \\ / \u{08}\u{0C}\n\r\t é中")
    #expect(doc.diagnostics.isEmpty)
    #expect(error { _ = try read(#"["\x"]"#) } == .invalidEscape(found: "x", at: location(1, 3, offset: 2)))
    #expect(error { _ = try read(#"["\u12G4"]"#) } == .invalidUnicodeEscape(at: location(1, 3, offset: 2)))
  }

  @Test func replacesALoneSurrogateAndReportsIt() throws {
    let doc = try read(#"{"k": "a\udc00b"}"#)
    #expect(doc.root?["k"]?.stringValue == "a\u{FFFD}b")
    #expect(doc.diagnostics.map(\.kind) == [.loneSurrogate])
    #expect(doc.diagnostics.first?.keyPath == "k")
    #expect(doc.diagnostics.first?.text == #"\udc00"#)
    #expect(doc.diagnostics.first?.position == JSONPosition(line: 1, column: 9, offset: 8))
  }

  @Test func keepsInt64ExactAndTurnsBiggerIntegersIntoDoubles() throws {
    let doc = try read("[9223372036854775807, -9223372036854775808, 9223372036854775808, 1000000000000000019884624838656, -0, 0.1, 1.5e3, 2E-2]")
    let root = try #require(doc.root)
    #expect(root[0]?.intValue == Int64.max)
    #expect(root[1]?.intValue == Int64.min)
    #expect(root[2]?.intValue == nil && root[2]?.doubleValue == 9223372036854775808.0)
    #expect(root[3]?.kind == .double && root[3]?.doubleValue == 1e30)
    #expect(root[4]?.intValue == 0)
    #expect(root[5]?.doubleValue == 0.1)
    #expect(root[6]?.doubleValue == 1500.0 && root[6]?.kind == .double)
    #expect(root[7]?.doubleValue == 0.02)
    #expect(doc.diagnostics.map(\.kind) == [.bigInteger, .bigInteger])
    #expect(doc.diagnostics.map(\.keyPath) == ["[2]", "[3]"])
  }

  @Test func roundsLongDecimalsCorrectly() throws {
    // Past the fast path (more than 19 digits, or exponent beyond 22): the standard library's parser.
    let literals = ["3.141592653589793238462643383279", "1.0000000000000002", "4.9e-324", "1.7976931348623157e308", "123456789012345678901234567890e-5"]
    let doc = try read("[" + literals.joined(separator: ",") + "]")
    for (i, literal) in literals.enumerated() {
      #expect(doc.root?[i]?.doubleValue == Double(literal))
    }
  }

  // MARK: Limits

  @Test func stopsAtTheDepthLimitWithoutRecursing() {
    let deep = String(repeating: "[", count: 100_000)
    let e = error { _ = try read(deep) }
    #expect(e == .tooDeep(limit: 512, at: location(1, 513, offset: 512, keyPath: String(repeating: "[0]", count: 511))))
    #expect(e?.message == "JSON nesting deeper than 512 levels")
  }

  @Test func readsDeepNestingWhenTheLimitAllowsIt() throws {
    let n = 100_000
    let doc = try read(String(repeating: "[", count: n) + "7" + String(repeating: "]", count: n), limits: JSONLimits(maxDepth: n))
    var value = try #require(doc.root)
    for _ in 0..<n { value = try #require(value[0]) }
    #expect(value.intValue == 7)
    #expect(value.column == n + 1)
  }

  @Test func enforcesTheInputSizeAndStringLengthLimits() {
    let text = "{\"model_type\": \"llama\"}"
    #expect(
      error { _ = try read(text, limits: JSONLimits(maxInputBytes: 16)) }
        == .inputTooLarge(size: 23, limit: 16, at: ContextAudit.SourceLocation(path: path, offset: 16)))
    #expect(
      error { _ = try read(text, limits: JSONLimits(maxStringBytes: 4)) }
        == .stringTooLong(limit: 4, at: location(1, 2, offset: 1)))
    #expect((try? read(text, limits: JSONLimits(maxStringBytes: 10))) != nil)
    #expect(JSONLimits.default == JSONLimits(maxDepth: 512, maxInputBytes: 16 << 20, maxStringBytes: 4 << 20))
  }

  // MARK: Partial documents

  @Test func keepsWhatWasReadBeforeAnError() throws {
    let bytes = try Paths.fixtureBytes("json/truncated-in-rope-scaling.json")
    let result = JSONReader.readPartial(bytes, path: path)
    #expect(result.error == .unexpectedEnd(expected: "',' or '}' after object member", at: location(7, 43, offset: 174, keyPath: "rope_scaling")))
    let root = try #require(result.document.root)
    #expect(result.document.isComplete == false)
    #expect(root.isComplete == false)
    #expect(root["rope_theta"]?.doubleValue == 500000.0)
    #expect(root["rope_scaling"]?["low_freq_factor"]?.doubleValue == 1.0)
    #expect(root["rope_scaling"]?["original_max_position_embeddings"]?.intValue == 81)
    #expect(root["rope_scaling"]?.isComplete == false)
  }

  @Test func convertsToFactValuesWithoutLosingNumbers() throws {
    let doc = try read(#"{"a": [1, 2.5, "x", true, null], "b": {"c": 1e30}}"#)
    #expect(
      doc.root?.factValue
        == .object(["a": .array([.int(1), .double(2.5), .string("x"), .bool(true), .null]), "b": .object(["c": .double(1e30)])]))
  }

  @Test func readsManyValuesOnOneLongLine() throws {
    // A minified 1 MB array: columns stay exact and the reader stays linear.
    let count = 200_000
    let text = "[" + (0..<count).map(String.init).joined(separator: ",") + "]"
    let doc = try read(text)
    let last = try #require(doc.root?[count - 1])
    #expect(last.intValue == Int64(count - 1))
    #expect(last.offset == text.utf8.count - 1 - String(count - 1).count)
    #expect(last.column == last.offset + 1)
  }
}
