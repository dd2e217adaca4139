import Foundation
import Testing

@testable import ContextAudit

/// A GGUF written field by field, remembering where each field starts and how long it is, so
/// a test can say exactly which error a cut at any byte must give.
///
/// Every primitive is one field: a cut inside it must fail with
/// `.truncated(needed: size, available: cut - start)` at `start`. String bytes are one field
/// (the reader checks the length against the bytes left before reading), a skipped array of
/// fixed-size elements is one field (skipped in one step).
struct RecordingGGUF {
  var bytes = GGUFBytes(version: 3, tensorCount: 0, kvCount: 0)
  var fields: [(start: Int, size: Int, what: String)] = []

  init(tensorCount: UInt64, kvCount: UInt64, bigEndian: Bool) {
    bytes = GGUFBytes(version: 3, tensorCount: tensorCount, kvCount: kvCount, bigEndian: bigEndian)
    fields = [(0, 4, "magic"), (4, 4, "version"), (8, 8, "tensor count"), (16, 8, "kv count")]
  }

  var count: Int { bytes.count }

  private mutating func record(_ what: String, _ body: (inout GGUFBytes) -> Void) {
    let start = bytes.count
    body(&bytes)
    if bytes.count > start { fields.append((start, bytes.count - start, what)) }
  }

  mutating func u8(_ v: UInt8, _ what: String) { record(what) { $0.u8(v) } }
  mutating func u32(_ v: UInt32, _ what: String) { record(what) { $0.u32(v) } }
  mutating func u64(_ v: UInt64, _ what: String) { record(what) { $0.u64(v) } }
  mutating func raw(_ b: [UInt8], _ what: String) { record(what) { $0.bytes += b } }

  mutating func string(_ s: String, _ what: String) {
    u64(UInt64(s.utf8.count), what + " length")
    raw(Array(s.utf8), what + " bytes")
  }

  mutating func key(_ key: String, type: UInt32) {
    string(key, "key '\(key)'")
    u32(type, "value type of '\(key)'")
  }
}

/// GGUF inputs built to break the reader: truncation at every byte of every structure, absurd
/// counts, lengths and dimensions, and files too long to hold in memory. Each asserts the exact
/// error and its byte offset, and the facts read before it.
@Suite struct HostileGGUFTests {
  let path = ArtifactPath("m.gguf")

  func at(_ offset: UInt64) -> ContextAudit.SourceLocation { ContextAudit.SourceLocation(path: path, offset: offset) }

  func parse(_ bytes: [UInt8], limits: GGUFLimits = .default) -> (header: GGUFHeader, error: GGUFError?) {
    var source = MemoryByteSource(bytes)
    return GGUFParser.readPartialHeader(&source, path: path, limits: limits)
  }

  /// Every structure of the format once: all 13 scalar types, kept and skipped arrays of
  /// numbers and strings, `general.alignment` 64, two tensor infos (one a RoPE tensor), the
  /// alignment padding and 80 bytes of tensor data.
  static func everyStructure(bigEndian: Bool) -> (file: RecordingGGUF, infosEnd: Int, dataOffset: Int) {
    var g = RecordingGGUF(tensorCount: 2, kvCount: 19, bigEndian: bigEndian)
    g.key("general.architecture", type: 8)
    g.string("llama", "architecture value")
    g.key("general.alignment", type: 4)
    g.u32(64, "alignment value")
    g.key("llama.context_length", type: 4)
    g.u32(4096, "context length value")
    g.key("t.u8", type: 0)
    g.u8(200, "UINT8 value")
    g.key("t.i8", type: 1)
    g.u8(0x9C, "INT8 value")
    g.key("t.u16", type: 2)
    g.record16(60000, "UINT16 value")
    g.key("t.i16", type: 3)
    g.record16(0x8AD0, "INT16 value")
    g.key("t.i32", type: 5)
    g.u32(0x8000_0001, "INT32 value")
    g.key("t.f32", type: 6)
    g.u32(Float(0.1).bitPattern, "FLOAT32 value")
    g.key("t.bool", type: 7)
    g.u8(1, "BOOL value")
    g.key("t.u64", type: 10)
    g.u64(.max, "UINT64 value")
    g.key("t.i64", type: 11)
    g.u64(1 << 63, "INT64 value")
    g.key("t.f64", type: 12)
    g.u64(Double(1.5).bitPattern, "FLOAT64 value")
    // Kept INT32 array: header (element type, count), then each element.
    g.key("t.arr_i32", type: 9)
    g.u32(5, "array element type")
    g.u64(3, "array count")
    for i in 0..<3 { g.u32(UInt32(i + 16), "INT32 element \(i)") }
    // Kept STRING array, with an empty string (a length and no bytes).
    g.key("t.arr_str", type: 9)
    g.u32(8, "array element type")
    g.u64(3, "array count")
    for (i, s) in ["a", "", "héllo"].enumerated() { g.string(s, "STRING element \(i)") }
    // Skipped UINT8 array (1100 > 1024 kept): the elements are passed over in one step.
    g.key("t.arr_skip", type: 9)
    g.u32(0, "array element type")
    g.u64(1100, "array count")
    g.raw([UInt8](repeating: 7, count: 1100), "skipped UINT8 elements")
    // Skipped STRING array (70 > 64 kept): each element's length is still checked.
    g.key("tokenizer.ggml.tokens", type: 9)
    g.u32(8, "array element type")
    g.u64(70, "array count")
    for i in 0..<70 { g.string("t\(i)", "token \(i)") }
    g.key("t.arr_f32", type: 9)
    g.u32(6, "array element type")
    g.u64(2, "array count")
    g.u32(Float(1).bitPattern, "FLOAT32 element 0")
    g.u32(Float(2).bitPattern, "FLOAT32 element 1")
    g.key("t.last", type: 8)
    g.string("end", "last value")
    // Tensor infos: name, n_dims, dims, type, offset.
    for (name, dims, offset) in [("rope_freqs.weight", [UInt64(4)], UInt64(0)), ("blk.0.attn_q.weight", [4, 4], 64)] {
      g.string(name, "tensor name '\(name)'")
      g.u32(UInt32(dims.count), "n_dims of '\(name)'")
      for (i, d) in dims.enumerated() { g.u64(d, "dim \(i) of '\(name)'") }
      g.u32(0, "type of '\(name)'")
      g.u64(offset, "offset of '\(name)'")
    }
    let infosEnd = g.count
    g.bytes.pad(to: 64)
    let dataOffset = g.count
    for v in [1.0, 2.0, 4.0, 8.0] as [Float] { g.bytes.f32(v) }
    g.bytes.bytes += [UInt8](repeating: 0, count: 64)
    return (g, infosEnd, dataOffset)
  }

  @Test(arguments: [false, true])
  func everyCutOfEveryStructureFailsInThatStructure(bigEndian: Bool) throws {
    let (g, infosEnd, dataOffset) = Self.everyStructure(bigEndian: bigEndian)
    // The recorded fields tile the header exactly.
    var next = 0
    for field in g.fields {
      #expect(field.start == next, "gap before \(field.what)")
      next = field.start + field.size
    }
    #expect(next == infosEnd)
    let full = parse(g.bytes.bytes)
    try #require(full.error == nil)
    #expect(full.header.dataOffset == UInt64(dataOffset))
    #expect(full.header.keyValues.count == 19)
    #expect(full.header.tensor("rope_freqs.weight")?.values == [1, 2, 4, 8])
    var fullSource = MemoryByteSource(g.bytes.bytes)
    let fullFacts = Hostile.withoutFileSize(GGUFParser.parse(&fullSource, path: path).facts)

    var structuresCut = Set<Int>()
    for cut in 0..<g.count {
      var source = MemoryByteSource(Array(g.bytes.bytes[..<cut]))
      let result = GGUFParser.parse(&source, path: path)
      let facts = Hostile.withoutFileSize(result.facts)
      #expect(result.facts.first == Fact(key: "gguf.file_size", value: .int(Int64(cut)), location: ContextAudit.SourceLocation(path: path)))
      if cut < infosEnd {
        let index = try #require(g.fields.lastIndex { $0.start <= cut })
        let field = g.fields[index]
        structuresCut.insert(index)
        let expected: GGUFError =
          cut == 0
          ? GGUFError(.emptyFile, at: at(0))
          : GGUFError(
            .truncated(needed: UInt64(field.size), available: UInt64(cut - field.start)), at: at(UInt64(field.start)))
        #expect(result.error == ParseFailure(expected), "cut \(cut) in \(field.what)")
        #expect(facts.count < fullFacts.count && Array(fullFacts.prefix(facts.count)) == facts, "cut \(cut)")
      } else {
        // Alignment padding and tensor data: the header is whole; only the RoPE values need the data.
        #expect(result.error == nil, "cut \(cut)")
        let ropeComplete = cut >= dataOffset + 16
        let rope = facts.first { $0.key == "gguf.tensor.rope_freqs.weight" }
        #expect(rope?.value == (ropeComplete ? .array([.double(1), .double(2), .double(4), .double(8)]) : .null), "cut \(cut)")
        #expect(facts.filter { $0.key != rope?.key } == fullFacts.filter { $0.key != rope?.key }, "cut \(cut)")
      }
    }
    #expect(structuresCut.count == g.fields.count)
  }

  @Test(arguments: ["llama3-8b-rope-freqs.gguf", "llama3-8b-rope-freqs.be.gguf", "phi3-mini-128k-longrope.gguf"])
  func everyCutOfARealFileIsWholeOrAPrefix(name: String) throws {
    let bytes = try Paths.fixtureBytes("gguf/" + name)
    var fullSource = MemoryByteSource(bytes)
    let full = GGUFParser.parse(&fullSource, path: path)
    try #require(full.error == nil)
    let fullFacts = Hostile.withoutFileSize(full.facts)
    let ropeKeys = Set(fullFacts.map(\.key).filter { $0.hasPrefix("gguf.tensor.") && !$0.hasSuffix(".dims") && !$0.hasSuffix(".type") })
    var errors = 0
    for cut in 0..<bytes.count {
      var source = MemoryByteSource(Array(bytes[..<cut]))
      let result = GGUFParser.parse(&source, path: path)
      let facts = Hostile.withoutFileSize(result.facts)
      if let error = result.error {
        errors += 1
        #expect((error.location.offset ?? .max) <= UInt64(cut), "cut \(cut)")
        #expect(error.message.hasPrefix("GGUF file is truncated: ") || (cut == 0 && error.message.hasPrefix("empty file")))
        #expect(Array(fullFacts.prefix(facts.count)) == facts, "cut \(cut)")
      } else {
        // Whole header: the same facts, except RoPE values whose data is cut (null).
        #expect(facts.count == fullFacts.count, "cut \(cut)")
        for (a, b) in zip(facts, fullFacts) where a != b {
          #expect(ropeKeys.contains(a.key) && a.value == .null && a.key == b.key, "cut \(cut): \(a.key)")
        }
      }
    }
    // The header ends where the data section's padding starts; every cut before it fails.
    var source = MemoryByteSource(bytes)
    let header = try GGUFParser.readHeader(&source, path: path)
    #expect(errors == Int(header.tensorInfosEnd))
  }

  @Test func cutsReadFromDiskMatchCutsInMemory() throws {
    let tree = try TempTree()
    let bytes = try Paths.fixtureBytes("gguf/llama3-8b-rope-freqs.gguf")
    for cut in Swift.stride(from: 0, to: bytes.count, by: 97) {
      let file = tree.path("cut-\(cut).gguf")
      try Hostile.write(Array(bytes[..<cut]), to: file)
      let fromDisk = ArtifactReader().read(filePath: file, display: path, kind: .gguf)
      let inMemory = ArtifactReader().parse(bytes: Array(bytes[..<cut]), path: path, kind: .gguf)
      #expect(fromDisk.facts == inMemory.facts, "cut \(cut)")
      #expect(fromDisk.error == inMemory.error, "cut \(cut)")
    }
  }

  // MARK: Versions and magic

  @Test func versionsOtherThan2And3AreRejectedAtOffset4() {
    for version: UInt32 in [0, 1, 4, 0xFFFF, 0x0001_0000 | 3] {
      let (header, error) = parse(GGUFBytes(version: version).bytes)
      #expect(error == GGUFError(.unsupportedVersion(version & 0xFFFF == 0 ? version.byteSwapped : version), at: at(4)))
      #expect(header.section == .version)
    }
  }

  @Test func byteSwappedVersion3IsReadAsBigEndian() throws {
    let little = try Paths.fixtureBytes("gguf/llama3-8b-rope-freqs.gguf")
    let big = try Paths.fixtureBytes("gguf/llama3-8b-rope-freqs.be.gguf")
    #expect(Array(big[4..<8]) == [0, 0, 0, 3])
    var a = MemoryByteSource(little)
    var b = MemoryByteSource(big)
    let factsLE = GGUFParser.parse(&a, path: path).facts
    let factsBE = GGUFParser.parse(&b, path: path).facts
    #expect(factsBE.first { $0.key == "gguf.header.byte_order" }?.value == "big")
    #expect(factsLE.filter { $0.key != "gguf.header.byte_order" } == factsBE.filter { $0.key != "gguf.header.byte_order" })
    // A big-endian file that is also cut keeps its byte order in the error offsets.
    let (_, error) = parse(Array(big[..<300]))
    let (_, errorLE) = parse(Array(little[..<300]))
    #expect(error == errorLE && error != nil)
  }

  // MARK: Absurd counts, lengths and dimensions

  @Test func absurdCountsFailBeforeAnythingIsAllocated() {
    var huge = GGUFBytes(kvCount: 1)
    huge.key("t.big", type: 9)
    huge.u32(0)
    huge.u64(1 << 40)
    #expect(parse(huge.bytes).error == GGUFError(.tooManyItems(what: "array element", count: 1 << 40, limit: 1 << 32), at: at(45)))
    // Within the limit but larger than the file: read until the data runs out.
    var long = GGUFBytes(kvCount: 1)
    long.key("t.big", type: 9)
    long.u32(10)
    long.u64(1 << 31)
    long.u64(0)
    #expect(parse(long.bytes).error == GGUFError(.truncated(needed: 1 << 34, available: 8), at: at(53)))
    // The same count of strings is read one length at a time and stops at the first short one.
    var strings = GGUFBytes(kvCount: 1)
    strings.key("t.big", type: 9)
    strings.u32(8)
    strings.u64(1 << 31)
    strings.string("a")
    #expect(parse(strings.bytes).error == GGUFError(.truncated(needed: 8, available: 0), at: at(62)))
    // 2^62 keys with a 1-key file.
    var keys = GGUFBytes(kvCount: 1 << 62)
    keys.kvU32("general.alignment", 32)
    #expect(parse(keys.bytes).error == GGUFError(.tooManyItems(what: "key/value", count: 1 << 62, limit: 1 << 16), at: at(16)))
  }

  @Test func stringLongerThanTheKeepLimitIsSkippedAndSummarised() {
    var b = GGUFBytes(kvCount: 2)
    b.kvString("general.architecture", "llama")
    b.key("tokenizer.chat_template", type: 8)
    b.u64(2 << 20)
    b.bytes += [UInt8](repeating: UInt8(ascii: "x"), count: 2 << 20)
    var source = MemoryByteSource(b.bytes)
    let result = GGUFParser.parse(&source, path: path)
    #expect(result.error == nil)
    let fact = result.facts.first { $0.key == "gguf.kv.tokenizer.chat_template" }
    #expect(fact?.value == .object(["type": "string", "length": .int(2 << 20)]))
    #expect(fact?.location == at(69))
  }

  @Test func sparseFileOfGigabyteStringsIsPassedOverNotLoaded() throws {
    // 24 STRING values of 64 MiB each: 1.5 GB of holes that read as zeros. Before the keep
    // limit the reader held all of it in memory.
    let tree = try TempTree()
    let file = tree.path("sparse.gguf")
    #expect(FileManager.default.createFile(atPath: file, contents: nil))
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: file))
    var offset: UInt64 = 0
    var expectedOffsets: [UInt64] = []
    var head = GGUFBytes(kvCount: 24)
    try handle.write(contentsOf: head.bytes)
    offset = UInt64(head.count)
    for i in 0..<24 {
      head = GGUFBytes()
      head.bytes = []
      head.key("t.s\(i)", type: 8)
      head.u64(64 << 20)
      expectedOffsets.append(offset)
      try handle.seek(toOffset: offset)
      try handle.write(contentsOf: head.bytes)
      offset += UInt64(head.count) + (64 << 20)
    }
    try handle.truncate(atOffset: offset)
    try handle.close()
    let result = ArtifactReader().read(filePath: file, display: path, kind: .gguf)
    #expect(result.error == nil)
    let strings = result.facts.filter { $0.key.hasPrefix("gguf.kv.t.s") }
    #expect(strings.count == 24)
    #expect(strings.allSatisfy { $0.value == .object(["type": "string", "length": .int(64 << 20)]) })
    #expect(strings.map { $0.location.offset ?? 0 } == expectedOffsets)
  }

  @Test func keysPastTheHeaderTextBudgetAreAnError() {
    var limits = GGUFLimits()
    limits.maxHeaderTextBytes = 100
    var b = GGUFBytes(kvCount: 3)
    b.kvString("k" + String(repeating: "a", count: 40), String(repeating: "v", count: 30))
    // 41 + 30 = 71 bytes held; a 41-byte key would make 112.
    b.kvU32("k" + String(repeating: "b", count: 40), 1)
    let (header, error) = parse(b.bytes, limits: limits)
    #expect(error == GGUFError(.headerTextTooLarge(limit: 100), at: at(24 + 8 + 41 + 4 + 8 + 30)))
    #expect(error?.message == "GGUF keys and names hold more than 100 bytes (the header text limit)")
    #expect(header.keyValues.count == 1)
    // A STRING value past the budget is summarised instead.
    var c = GGUFBytes(kvCount: 2)
    c.kvString("a", String(repeating: "v", count: 90))
    c.kvString("b", String(repeating: "w", count: 20))
    let (kept, noError) = parse(c.bytes, limits: limits)
    #expect(noError == nil)
    #expect(kept.value("b") == .skippedString(length: 20))
  }

  @Test func tensorDimensionsThatOverflowAreRejected() {
    var b = GGUFBytes(tensorCount: 1)
    b.tensorInfo("w", dims: [.max, 2], type: 0, offset: 0)
    #expect(parse(b.bytes).error == GGUFError(.tensorDimsInvalid(name: "w", dims: [.max, 2]), at: at(33)))
    var c = GGUFBytes(tensorCount: 1)
    c.tensorInfo("w", dims: [1 << 31, 1 << 31, 4], type: 0, offset: 0)
    #expect(parse(c.bytes).error == GGUFError(.tensorDimsInvalid(name: "w", dims: [1 << 31, 1 << 31, 4]), at: at(33)))
  }

  // MARK: Through the scan: a bad GGUF next to a good config

  /// Every committed broken GGUF, with the finding the scan gives and its byte offset.
  static let brokenFiles: [(file: String, message: String, offset: UInt64)] = [
    ("gguf/bad-magic.gguf", "not a GGUF file: magic is \"GGML\", expected \"GGUF\"", 0),
    ("gguf/config-json-named.gguf", "not a GGUF file: magic is 7b 0a 20 20, expected \"GGUF\"", 0),
    ("gguf/empty.gguf", "empty file (expected a GGUF header)", 0),
    ("gguf/version-1.gguf", "GGUF version 1 is not supported (expected 2 or 3)", 4),
    ("gguf/version-4.gguf", "GGUF version 4 is not supported (expected 2 or 3)", 4),
    ("gguf/truncated-in-kv-string.gguf", "GGUF file is truncated: 5 bytes needed, 2 available", 64),
    ("gguf/huge-string-length.gguf", "GGUF string of 1099511627776 bytes is longer than the 67108864-byte limit", 56),
    ("gguf/huge-kv-count.gguf", "GGUF key/value count 4611686018427387904 exceeds the limit of 65536", 16),
    ("gguf/nested-array.gguf", "array of arrays in key 't.nested' (ggml rejects nested arrays)", 44),
    ("gguf/unknown-value-type.gguf", "unknown GGUF value type 13 for key 't.weird' (expected 0 to 12)", 39),
    ("gguf/invalid-bool.gguf", "BOOL value 2 for key 'llama.rope.scaling.finetuned' (expected 0 or 1)", 64),
    ("gguf/bad-alignment.gguf", "general.alignment is UINT32 3 (expected a UINT32 power of two)", 24),
    ("hostile/gguf/version-0.gguf", "GGUF version 0 is not supported (expected 2 or 3)", 4),
    ("hostile/gguf/kv-count-u64-max.gguf", "GGUF key/value count 18446744073709551615 exceeds the limit of 65536", 16),
    ("hostile/gguf/tensor-count-u64-max.gguf", "GGUF tensor count 18446744073709551615 exceeds the limit of 4194304", 8),
    ("hostile/gguf/key-length-u64-max.gguf", "GGUF string of 18446744073709551615 bytes is longer than the 65535-byte limit", 24),
    ("hostile/gguf/string-length-u64-max.gguf", "GGUF string of 18446744073709551615 bytes is longer than the 67108864-byte limit", 39),
    ("hostile/gguf/array-2e40-elements.gguf", "GGUF array element count 1099511627776 exceeds the limit of 4294967296", 45),
    ("hostile/gguf/array-u64-max-strings.gguf", "GGUF array element count 18446744073709551615 exceeds the limit of 4294967296", 45),
    ("hostile/gguf/unknown-type-u32-max.gguf", "unknown GGUF value type 4294967295 for key 't.weird' (expected 0 to 12)", 39),
    ("hostile/gguf/unknown-array-element-type.gguf", "unknown GGUF value type 13 for key 't.arr' (expected 0 to 12)", 41),
    ("hostile/gguf/alignment-zero.gguf", "general.alignment is UINT32 0 (expected a UINT32 power of two)", 24),
    ("hostile/gguf/alignment-string.gguf", "general.alignment is STRING 32 (expected a UINT32 power of two)", 24),
    ("hostile/gguf/tensor-5-dims.gguf", "tensor 'w' has 5 dimensions (at most 4)", 33),
    (
      "hostile/gguf/tensor-dims-overflow.gguf",
      "tensor 'w' has invalid dimensions [4294967296, 4294967296] (element count overflows int64)", 33
    ),
    ("hostile/gguf/tensor-name-64-bytes.gguf", "tensor name '\(String(repeating: "n", count: 64))' is 64 bytes (ggml allows at most 63)", 24),
  ]

  @Test(arguments: brokenFiles.map(\.file))
  func brokenGGUFBesideAGoodConfigIsOneParseErrorAndTheConfigStillDecides(file: String) throws {
    let expected = try #require(Self.brokenFiles.first { $0.file == file })
    let tree = try TempTree()
    try Hostile.addGoodModel(tree, at: "model")
    try FileManager.default.copyItem(atPath: Paths.fixture(file), toPath: tree.path("model/model.gguf"))
    try Hostile.addGoodModel(tree, at: "other")
    let report = try Hostile.scan(tree.root)
    #expect(report.models.map(\.path.value) == ["model", "other"])
    let model = try #require(Hostile.model(report, "model"))
    #expect(model.findings == [
      Finding(rule: Finding.parseErrorRule, severity: .error, message: expected.message,
              location: ContextAudit.SourceLocation(path: ArtifactPath("model/model.gguf"), offset: expected.offset))
    ])
    // The unit holds config.json and the GGUF; the config decides the verdict.
    #expect(model.verdict.summary == Hostile.goodSummary)
    #expect(Hostile.model(report, "other")?.verdict.summary == Hostile.goodSummary)
  }

  @Test func brokenGGUFAloneSaysItCouldNotBeRead() throws {
    let tree = try TempTree()
    try tree.directory("m")
    try FileManager.default.copyItem(atPath: Paths.fixture("gguf/version-1.gguf"), toPath: tree.path("m/model.gguf"))
    let report = try Hostile.scan(tree.root)
    let model = try #require(Hostile.model(report, "m"))
    #expect(model.verdict.kind == .unknown)
    #expect(model.verdict.summary == "unknown: model.gguf could not be read")
    #expect(model.verdict.reason == "m/model.gguf at byte 4: GGUF version 1 is not supported (expected 2 or 3)")
  }

  @Test func truncatedGGUFThatStillNamesItsArchitectureIsNotJudged() throws {
    // Cut after llama.context_length: the facts before the cut exist, but llama.cpp refuses the file.
    let bytes = try Paths.fixtureBytes("gguf/llama3-8b-rope-freqs.gguf")
    let tree = try TempTree()
    try Hostile.write(Array(bytes[..<300]), to: tree.path("m/model.gguf"))
    let report = try Hostile.scan(tree.root)
    let model = try #require(Hostile.model(report, "m"))
    #expect(model.architecture == "llama")
    #expect(model.verdict.kind == .unknown)
    #expect(model.verdict.summary == "unknown: model.gguf could not be read")
    #expect(model.findings.map(Hostile.describe) == ["parse-error @ m/model.gguf at byte 297: GGUF file is truncated: 4 bytes needed, 3 available"])
  }
}

extension RecordingGGUF {
  mutating func record16(_ v: UInt16, _ what: String) {
    let start = bytes.count
    bytes.int(v)
    fields.append((start, 2, what))
  }
}
