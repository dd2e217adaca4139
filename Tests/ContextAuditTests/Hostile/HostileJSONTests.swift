import Foundation
import Testing

@testable import ContextAudit

/// Hostile `config.json` files: each is scanned next to a good model, and the test asserts the
/// exact findings (rule, message, line:column), the verdict, and that the neighbour is intact.
@Suite struct HostileJSONTests {
  /// Scans `bytes` as `bad/config.json` beside a good model in `good/`; returns the bad
  /// unit's report after checking the good one.
  func scanBeside(_ bytes: [UInt8], sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> ModelReport {
    let tree = try TempTree()
    try Hostile.write(bytes, to: tree.path("bad/config.json"))
    try Hostile.addGoodModel(tree, at: "good")
    let report = try Hostile.scan(tree.root)
    #expect(report.models.map(\.path.value) == ["bad", "good"], sourceLocation: sourceLocation)
    #expect(Hostile.model(report, "good")?.verdict.summary == Hostile.goodSummary, sourceLocation: sourceLocation)
    #expect(Hostile.model(report, "good")?.findings == [], sourceLocation: sourceLocation)
    return try #require(Hostile.model(report, "bad"), sourceLocation: sourceLocation)
  }

  func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

  // MARK: Structure

  @Test func hundredThousandOpenBracketsStopAtTheDepthLimit() throws {
    let model = try scanBeside(Array(repeating: UInt8(ascii: "["), count: 100_000))
    let finding = try #require(model.findings.first)
    #expect(model.findings.count == 1)
    #expect(finding.rule == "parse-error")
    #expect(finding.message == "JSON nesting deeper than 512 levels")
    #expect(finding.location?.line == 1 && finding.location?.column == 513 && finding.location?.offset == 512)
    #expect(finding.location?.keyPath == String(repeating: "[0]", count: 511))
    #expect(model.verdict.summary == "unknown: config.json could not be read")
  }

  @Test func hundredThousandNestedObjectsStopAtTheDepthLimit() throws {
    let model = try scanBeside(bytes(String(repeating: "{\"a\":", count: 100_000)))
    #expect(model.findings.map(Hostile.describe) == ["parse-error @ bad/config.json:1:2561: JSON nesting deeper than 512 levels"])
    // The key path is that of the innermost open object (511 keys below the root).
    #expect(model.findings.first?.location?.keyPath == Array(repeating: "a", count: 511).joined(separator: "."))
  }

  @Test func deepButLegalKeyPathsAreFollowedUntilTheKeyPathLimit() throws {
    // 400 levels of "a" (800 bytes of key path) still reach the rope_scaling inside.
    let inner = #"{"rope_scaling": {"type": "linear", "factor": 2.0}}"#
    let deep = String(repeating: "{\"a\":", count: 400) + inner + String(repeating: "}", count: 400)
    let artifact = ConfigJSONParser.parse(bytes(deep), path: ArtifactPath("config.json"))
    #expect(artifact.error == nil)
    let factor = artifact.facts.first { $0.key.hasSuffix(".rope_scaling.factor") }
    #expect(factor?.key == "config." + Array(repeating: "a", count: 400).joined(separator: ".") + ".rope_scaling.factor")
    #expect(factor?.location.column == 2047)
    // 510 levels: the key path passes 1,024 bytes at rope_scaling (510 × 2 + 13) and reading stops there.
    let deeper = String(repeating: "{\"a\":", count: 510) + inner + String(repeating: "}", count: 510)
    let stopped = ConfigJSONParser.parse(bytes(deeper), path: ArtifactPath("config.json"))
    #expect(stopped.error?.message == "config.json has a key path longer than 1024 bytes; the rest was not read")
    #expect(stopped.error?.location.column == 2568)
    #expect(stopped.error?.location.keyPath == Array(repeating: "a", count: 510).joined(separator: ".") + ".rope_scaling")
    #expect(stopped.facts.isEmpty)
  }

  @Test func aMillionRopeScalingKeysStopAtTheFactLimit() throws {
    var text = #"{"max_position_embeddings": 4096, "rope_scaling": {"#
    text += (0..<200_000).map { "\"k\($0)\": 0" }.joined(separator: ", ")
    text += "}}"
    let artifact = ConfigJSONParser.parse(bytes(text), path: ArtifactPath("config.json"))
    #expect(artifact.facts.filter { $0.key.hasPrefix("config.") }.count == ConfigJSONParser.maxFacts)
    #expect(artifact.error?.message == "config.json holds more than 4096 values to read; the rest was not read")
    #expect(artifact.error?.location.keyPath == "rope_scaling.k4095")
  }

  @Test func thousandsOfDuplicateKeysAreReadButOnlyTheFirstThousandReported() throws {
    let text = "{" + Array(repeating: #""max_position_embeddings": 4096"#, count: 5000).joined(separator: ",") + "}"
    let artifact = ConfigJSONParser.parse(bytes(text), path: ArtifactPath("config.json"))
    #expect(artifact.error == nil)
    #expect(artifact.facts.filter { $0.key == "json.duplicate_key" }.count == JSONLimits.defaultMaxDiagnostics)
    #expect(artifact.facts.filter { $0.key == "config.max_position_embeddings" }.count == 1)
  }

  @Test func stringOverFourMebibytesIsRefusedAtItsOpeningQuote() throws {
    let text = #"{"max_position_embeddings": 4096, "chat_template": ""# + String(repeating: "x", count: 5 << 20) + #""}"#
    let model = try scanBeside(bytes(text))
    #expect(model.findings.map(Hostile.describe) == ["parse-error @ bad/config.json:1:52: JSON string longer than 4194304 bytes"])
    #expect(model.findings.first?.location?.keyPath == "chat_template")
  }

  @Test func trailingGarbageIsAParseErrorAndTheVerdictIsUnknown() throws {
    let model = try scanBeside(bytes("{\"max_position_embeddings\": 4096} garbage"))
    #expect(model.findings.map(Hostile.describe) == ["parse-error @ bad/config.json:1:35: unexpected 'g' after the top-level value"])
    #expect(model.verdict.kind == .unknown)
    #expect(model.verdict.summary == "unknown: config.json could not be read")
    #expect(model.verdict.reason == "bad/config.json:1:35: unexpected 'g' after the top-level value")
  }

  @Test func emptyFileIsAParseErrorAt1_1() throws {
    let model = try scanBeside([])
    #expect(model.findings.map(Hostile.describe) == ["parse-error @ bad/config.json:1:1: empty JSON input (expected a value)"])
    #expect(model.verdict.summary == "unknown: config.json could not be read")
  }

  // MARK: Encodings

  @Test func utf8ByteOrderMarkIsAcceptedAndRecorded() throws {
    let model = try scanBeside([0xEF, 0xBB, 0xBF] + bytes(#"{"max_position_embeddings": 4096, "rope_theta": 10000.0}"#))
    #expect(model.findings == [])
    #expect(model.verdict.summary == "4096 native (no scaling)")
    let artifact = ConfigJSONParser.parse([0xEF, 0xBB, 0xBF] + bytes("{}"), path: ArtifactPath("config.json"))
    #expect(artifact.facts.map(\.key) == ["json.utf8_bom"])
  }

  static func utf16(_ text: String, bigEndian: Bool) -> [UInt8] {
    let bom: [UInt8] = bigEndian ? [0xFE, 0xFF] : [0xFF, 0xFE]
    var out = bom
    for unit in text.utf16 {
      let high = UInt8(unit >> 8)
      let low = UInt8(unit & 0xFF)
      out += bigEndian ? [high, low] : [low, high]
    }
    return out
  }

  @Test(arguments: [(false, "little-endian"), (true, "big-endian")])
  func utf16WithAByteOrderMarkIsRefusedAt1_1(bigEndian: Bool, order: String) throws {
    let model = try scanBeside(Self.utf16(#"{"max_position_embeddings": 4096}"#, bigEndian: bigEndian))
    let expected = "parse-error @ bad/config.json:1:1: JSON input is UTF-16 (\(order) byte order mark), not UTF-8"
    #expect(model.findings.map(Hostile.describe) == [expected])
  }

  @Test func utf16WithoutAByteOrderMarkIsRefused() throws {
    let input = Array("{\"a\": 1}".utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
    let model = try scanBeside(input)
    #expect(model.findings.count == 1)
    #expect(model.findings.first?.message.hasPrefix("JSON input is UTF-16") == true)
  }

  @Test func invalidUTF8IsRefusedAtTheBadByte() throws {
    let model = try scanBeside(bytes("{\"model_type\": \"") + [0xFF, 0xFE] + bytes("\"}"))
    #expect(model.findings.map(Hostile.describe) == ["parse-error @ bad/config.json:1:17: invalid UTF-8 sequence starting with byte 0xFF"])
  }

  @Test func fileOverTheSixteenMebibyteLimitIsRefusedBeforeReading() throws {
    var big = bytes("{\"pad\": \"")
    big += [UInt8](repeating: UInt8(ascii: "x"), count: 20 << 20)
    big += bytes("\"}")
    let model = try scanBeside(big)
    #expect(model.findings == [
      Finding(rule: "parse-error", severity: .error,
              message: "file is \(big.count) bytes, more than the 16777216-byte limit for this kind",
              location: ContextAudit.SourceLocation(path: ArtifactPath("bad/config.json")))
    ])
    #expect(model.verdict.summary == "unknown: config.json could not be read")
  }

  // MARK: Values: what the model view and the rules make of wrong types

  /// The committed fixtures under `Fixtures/hostile/json/`, with the verdict and the one finding.
  static let wrongValues: [(dir: String, summary: String, at: String, message: String)] = [
    ("factor-string", "unknown: rope_scaling.factor is not a number above 0", "26:15",
     #"rope_scaling.factor is the string "8.0" (expected a number above 0)"#),
    ("factor-nan", "unknown: rope_scaling.factor is not a number above 0", "26:15",
     "rope_scaling.factor is NaN (expected a number above 0)"),
    ("rope-scaling-list", "unknown: rope_scaling is not an object", "19:19",
     "rope_scaling is a list (expected an object or null)"),
    ("max-position-negative", "unknown: max_position_embeddings is not a whole number of at least 1", "12:30",
     "max_position_embeddings is -4096 (expected a whole number of at least 1)"),
    ("max-position-1e400", "unknown: max_position_embeddings is not a whole number of at least 1", "12:30",
     "max_position_embeddings is Infinity (expected a whole number of at least 1)"),
    ("max-position-bigint", "unknown: max_position_embeddings is not a whole number of at least 1", "12:30",
     "max_position_embeddings is 1e+23 (expected a whole number of at least 1)"),
    ("max-position-string", "unknown: max_position_embeddings is not a whole number of at least 1", "12:30",
     #"max_position_embeddings is the string "4096" (expected a whole number of at least 1)"#),
  ]

  @Test(arguments: wrongValues.map(\.dir))
  func wrongTypeGivesAnUnknownVerdictAndAnInvalidValueError(dir: String) throws {
    let expected = try #require(Self.wrongValues.first { $0.dir == dir })
    let model = try scanBeside(try Paths.fixtureBytes("hostile/json/\(dir)/config.json"))
    #expect(model.verdict.kind == .unknown)
    #expect(model.verdict.summary == expected.summary)
    let suffix = "; loaders fail on it or compute a different window, so the window the file states is unknown"
    #expect(model.findings.map(Hostile.describe) == ["config-json-invalid-value @ bad/config.json:\(expected.at): \(expected.message)\(suffix)"])
    #expect(model.findings.first?.severity == .error)
  }

  @Test func nonFiniteNumbersAreDiagnosedAndTheFirstBadValueIsAFinding() throws {
    let model = try scanBeside(try Paths.fixtureBytes("json/non-finite.json"))
    #expect(model.findings.map(\.rule) == ["config-json-invalid-value"])
    #expect(model.findings.first?.location?.line == 2)
    let artifact = ConfigJSONParser.parse(try Paths.fixtureBytes("json/non-finite.json"), path: ArtifactPath("config.json"))
    #expect(artifact.facts.filter { $0.key == "json.non_finite_number" }.count == 4)
    #expect(artifact.facts.filter { $0.key == "json.invalid_value" }.map(\.value.displayText) == [
      "rope_theta is NaN (expected a number above 0)",
      "max_position_embeddings is Infinity (expected a whole number of at least 1)",
      "rope_scaling.factor is -Infinity (expected a number above 0)",
      "rope_scaling.beta_fast is Infinity (expected a finite number)",
    ])
  }

  @Test func integersBeyond64BitsOutsideCheckedKeysAreOnlyDiagnosed() throws {
    let text = #"{"max_position_embeddings": 4096, "rope_theta": 10000.0, "vocab_size": 340282366920938463463374607431768211456}"#
    let model = try scanBeside(bytes(text))
    #expect(model.findings == [])
    #expect(model.verdict.summary == "4096 native (no scaling)")
    let artifact = ConfigJSONParser.parse(bytes(text), path: ArtifactPath("config.json"))
    #expect(artifact.facts.map(\.key) == ["config.max_position_embeddings", "config.rope_theta", "json.big_integer"])
  }

  @Test func tokenizerNoLimitSentinelIsNotAnInvalidValue() {
    let artifact = ConfigJSONParser.parse(
      bytes(#"{"model_max_length": 1000000000000000019884624838656}"#), path: ArtifactPath("tokenizer_config.json"))
    #expect(!artifact.facts.contains { $0.key == "json.invalid_value" })
    let negative = ConfigJSONParser.parse(bytes(#"{"model_max_length": -1}"#), path: ArtifactPath("tokenizer_config.json"))
    #expect(negative.facts.last?.value == "model_max_length is -1 (expected a whole number of at least 1)")
  }

  @Test func everyRealConfigHasNoInvalidValue() throws {
    let root = Paths.fixture("models")
    let files = try FileManager.default.subpathsOfDirectory(atPath: root).filter { $0.hasSuffix(".json") }
    #expect(files.count >= 21)
    for file in files {
      let artifact = ConfigJSONParser.parse(try Paths.fixtureBytes("models/" + file), path: ArtifactPath(file))
      let invalid = artifact.facts.filter { $0.key == "json.invalid_value" }.map(\.value.displayText)
      #expect(invalid == [], "\(file)")
    }
  }

  @Test func duplicateKeysAreAWarningAtTheWinningValue() throws {
    let model = try scanBeside(try Paths.fixtureBytes("json/duplicate-rope-scaling.json"))
    let duplicate = try #require(model.findings.first { $0.rule == "config-json-duplicate-key" })
    #expect(duplicate.severity == .warning)
    #expect(duplicate.location?.line == 5 && duplicate.location?.column == 19)
    #expect(model.verdict.summary == "131072 (llama3 x4, vendor-trained)")
  }
}
