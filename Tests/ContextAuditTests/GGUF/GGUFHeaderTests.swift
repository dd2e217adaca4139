import Testing
@testable import ContextAudit

/// Values and byte offsets read from hand-built bytes and from the gguf-py fixtures.
@Suite struct GGUFHeaderTests {
  let path = ArtifactPath("m.gguf")

  /// rope-methods.md §6.9, byte for byte.
  func handCheckedExample(bigEndian: Bool = false) -> GGUFBytes {
    var b = GGUFBytes(version: 3, tensorCount: 1, kvCount: 2, bigEndian: bigEndian)
    b.kvString("general.architecture", "llama")
    b.kvF32("llama.rope.freq_base", 500000)
    b.tensorInfo("rope_freqs.weight", dims: [64], type: 0, offset: 0)
    b.pad(to: 32)
    for k in 0..<64 { b.f32(Float(k) / 8) }
    return b
  }

  func facts(_ bytes: [UInt8]) -> ParsedArtifact {
    var source = MemoryByteSource(bytes)
    return GGUFParser.parse(&source, path: path)
  }

  func fixture(_ name: String) throws -> (GGUFHeader, ParsedArtifact) {
    let bytes = try Paths.fixtureBytes("gguf/" + name)
    var source = MemoryByteSource(bytes)
    let header = try GGUFParser.readHeader(&source, path: ArtifactPath(name))
    return (header, facts(bytes))
  }

  @Test func handCheckedExampleMatchesTheReferenceDump() {
    let bytes = handCheckedExample().bytes
    // Rows 0x00, 0x60 and 0x80 of the §6.9 dump.
    #expect(Array(bytes[0..<16]) == [0x47, 0x47, 0x55, 0x46, 3, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0])
    #expect(Array(bytes[0x60..<0x70]) == [0x65, 0x06, 0, 0, 0, 0x00, 0x24, 0xF4, 0x48, 0x11, 0, 0, 0, 0, 0, 0])
    #expect(Array(bytes[0x80..<0x90]) == [0x68, 0x74, 0x01, 0, 0, 0, 0x40, 0, 0, 0, 0, 0, 0, 0, 0, 0])
  }

  @Test func readsHandCheckedExampleWithOffsets() throws {
    var source = MemoryByteSource(handCheckedExample().bytes)
    let header = try GGUFParser.readHeader(&source, path: path)
    #expect(header.version == 3)
    #expect(header.byteOrder == .little)
    #expect(header.keyValues.map(\.key) == ["general.architecture", "llama.rope.freq_base"])
    #expect(header.keyValues.map(\.offset) == [0x18, 0x45])
    #expect(header.keyValues.map(\.valueOffset) == [0x38, 0x65])
    #expect(header.value("llama.rope.freq_base") == .float32(500000))
    let info = try #require(header.tensors.first)
    #expect(info.name == "rope_freqs.weight" && info.dims == [64] && info.type == 0 && info.relativeOffset == 0)
    #expect(info.infoOffset == 0x69)
    #expect(header.tensorInfosEnd == 154)
    #expect(header.dataOffset == 160)
    #expect(info.values?.count == 64)
    #expect(info.values?[8] == 1.0 && info.values?[63] == 7.875)
  }

  @Test func handCheckedExampleFacts() {
    let result = facts(handCheckedExample().bytes)
    #expect(result.error == nil)
    let byKey = Dictionary(result.facts.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
    #expect(byKey["gguf.kv.llama.rope.freq_base"]?.value == .double(500000))
    #expect(byKey["gguf.kv.llama.rope.freq_base"]?.location == SourceLocation(path: path, offset: 0x45))
    #expect(byKey["gguf.kv.general.architecture"]?.value == "llama")
    #expect(byKey["gguf.kv.general.architecture"]?.location.offset == 24)
    #expect(byKey["gguf.header.version"]?.value == 3 && byKey["gguf.header.version"]?.location.offset == 4)
    #expect(byKey["gguf.header.tensor_count"]?.value == 1 && byKey["gguf.header.tensor_count"]?.location.offset == 8)
    #expect(byKey["gguf.header.kv_count"]?.value == 2 && byKey["gguf.header.kv_count"]?.location.offset == 16)
    #expect(byKey["gguf.header.byte_order"]?.value == "little")
    #expect(byKey["gguf.header.alignment"]?.value == 32 && byKey["gguf.header.alignment"]?.location.offset == nil)
    #expect(byKey["gguf.header.data_offset"]?.value == 160 && byKey["gguf.header.data_offset"]?.location.offset == 160)
    #expect(byKey["gguf.tensors"]?.value == 1 && byKey["gguf.tensors"]?.location.offset == 0x69)
    #expect(byKey["gguf.file_size"]?.value == 416)
    #expect(byKey["gguf.tensor.rope_freqs.weight.dims"]?.value == .array([64]))
    #expect(byKey["gguf.tensor.rope_freqs.weight.type"]?.value == "F32")
    #expect(byKey["gguf.tensor.rope_freqs.weight"]?.location.offset == 0x69)
    #expect(byKey["gguf.tensor.rope_freqs.weight"]?.value.arrayValue?[63] == .double(7.875))
  }

  @Test func bigEndianBytesGiveTheSameFactsAsLittleEndian() {
    let little = facts(handCheckedExample().bytes)
    let big = facts(handCheckedExample(bigEndian: true).bytes)
    #expect(big.error == nil)
    #expect(big.facts.first { $0.key == "gguf.header.byte_order" }?.value == "big")
    #expect(big.facts.filter { $0.key != "gguf.header.byte_order" } == little.facts.filter { $0.key != "gguf.header.byte_order" })
  }

  @Test func llama3RopeFreqsHoldTheLlama31Divisors() throws {
    let (header, result) = try fixture("llama3-8b-rope-freqs.gguf")
    let values = try #require(header.tensor("rope_freqs.weight")?.values)
    #expect(values.count == 64)
    #expect(values[0...28].allSatisfy { $0 == 1 })
    #expect(values[29] == Float(1.207483871283662))
    #expect(values[32] == Float(2.6945296878947333))
    #expect(values[34] == Float(5.257326588708467))
    #expect(values[35...].allSatisfy { $0 == 8 })
    let fact = try #require(result.facts.first { $0.key == "gguf.tensor.rope_freqs.weight" })
    #expect(fact.value.arrayValue?[29] == .double(1.2074839))
    #expect(fact.location.offset == 9586)
    #expect(result.facts.first { $0.key == "gguf.kv.llama.context_length" }?.value == 131072)
    #expect(result.facts.first { $0.key == "gguf.kv.llama.context_length" }?.location.offset == 269)
    #expect(result.facts.first { $0.key == "gguf.kv.llama.rope.freq_base" }?.value == 500000.0)
    #expect(result.facts.first { $0.key == "gguf.vocab_size" }?.value == 300)
    #expect(result.facts.first { $0.key == "gguf.vocab_size" }?.location.offset == 727)
    #expect(header.dataOffset == 9696)
  }

  @Test func bigEndianFixtureMatchesItsLittleEndianTwin() throws {
    let (leHeader, little) = try fixture("llama3-8b-rope-freqs.gguf")
    let (beHeader, big) = try fixture("llama3-8b-rope-freqs.be.gguf")
    #expect(beHeader.byteOrder == .big && leHeader.byteOrder == .little)
    #expect(beHeader.tensor("rope_freqs.weight")?.values == leHeader.tensor("rope_freqs.weight")?.values)
    let strip: (ParsedArtifact) -> [Fact] = { result in
      result.facts.filter { $0.key != "gguf.header.byte_order" }
        .map { Fact(key: $0.key, value: $0.value, location: SourceLocation(path: ArtifactPath("x"), offset: $0.location.offset)) }
    }
    #expect(strip(big) == strip(little))
    #expect(big.facts.count == little.facts.count)
  }

  @Test func phi3LongRopeFactorsAndAttnFactor() throws {
    let (header, result) = try fixture("phi3-mini-128k-longrope.gguf")
    let long = try #require(header.tensor("rope_factors_long.weight")?.values)
    let short = try #require(header.tensor("rope_factors_short.weight")?.values)
    #expect(long.count == 48 && short.count == 48)
    #expect(long.first == Float(1.0299999713897705) && long.last == Float(64.81001281738281))
    #expect(short.first == Float(1.05) && short.last == Float(2.9499999999999975))
    #expect(header.value("phi3.rope.scaling.attn_factor") == .float32(Float(1.1902380714238083)))
    #expect(header.value("phi3.rope.scaling.original_context_length") == .uint32(4096))
    #expect(header.value("phi3.rope.scaling.type") == nil)
    #expect(result.facts.first { $0.key == "gguf.kv.phi3.rope.scaling.attn_factor" }?.value == .double(1.1902381))
    #expect(result.facts.first { $0.key == "gguf.tensor.rope_factors_short.weight.dims" }?.value == .array([48]))
  }

  @Test func yarnFixturesKeepTheConverterKeys() throws {
    let (qwen, _) = try fixture("qwen2.5-7b-yarn.gguf")
    #expect(qwen.value("qwen2.rope.scaling.type") == .string("yarn"))
    #expect(qwen.value("qwen2.rope.scaling.factor") == .float32(4))
    #expect(qwen.value("qwen2.rope.scaling.original_context_length") == .uint32(32768))
    #expect(qwen.value("qwen2.context_length") == .uint32(32768))
    let (deepseek, facts) = try fixture("deepseek-v3-yarn.gguf")
    #expect(deepseek.value("deepseek2.rope.scaling.yarn_log_multiplier") == .float32(0.1))
    #expect(facts.facts.first { $0.key == "gguf.kv.deepseek2.rope.scaling.yarn_log_multiplier" }?.value == .double(0.1))
    #expect(deepseek.value("deepseek2.rope.scaling.factor") == .float32(40))
  }

  @Test func readsVersion2LegacyScaleLinear() throws {
    let (header, result) = try fixture("llama-superhot-8k-scale-linear.v2.gguf")
    #expect(header.version == 2)
    #expect(header.value("llama.rope.scale_linear") == .float32(4))
    #expect(result.facts.first { $0.key == "gguf.header.version" }?.value == 2)
  }

  @Test func finetunedFlagAndSplitKeys() throws {
    let (tuned, _) = try fixture("llama2-linear-finetuned.gguf")
    #expect(tuned.value("llama.rope.scaling.finetuned") == .bool(true))
    let (shard, facts) = try fixture("split-00001-of-00002.gguf")
    #expect(shard.value("split.no") == .uint16(0))
    #expect(shard.value("split.count") == .uint16(2))
    #expect(shard.value("split.tensors.count") == .int32(2))
    #expect(facts.facts.first { $0.key == "gguf.kv.split.count" }?.value == 2)
  }

  @Test func customAlignmentMovesTheDataSection() throws {
    let (header, result) = try fixture("custom-alignment-64.gguf")
    #expect(header.alignment == 64)
    #expect(header.dataOffset % 64 == 0 && header.dataOffset > header.tensorInfosEnd)
    #expect(header.dataOffset - header.tensorInfosEnd < 64)
    let alignmentKey = try #require(header.keyValues.first { $0.key == "general.alignment" })
    #expect(result.facts.first { $0.key == "gguf.header.alignment" }?.location.offset == alignmentKey.offset)
    #expect(header.tensor("rope_freqs.weight")?.values == Array(repeating: 1, count: 64))
  }

  @Test func readsAllThirteenValueTypes() throws {
    let (header, result) = try fixture("all-value-types.gguf")
    #expect(header.value("t.uint8") == .uint8(200))
    #expect(header.value("t.int8") == .int8(-100))
    #expect(header.value("t.uint16") == .uint16(60000))
    #expect(header.value("t.int16") == .int16(-30000))
    #expect(header.value("t.uint32") == .uint32(4_000_000_000))
    #expect(header.value("t.int32") == .int32(-2_000_000_000))
    #expect(header.value("t.float32") == .float32(0.1))
    #expect(header.value("t.bool") == .bool(true))
    #expect(header.value("t.string") == .string("h\u{e9}llo \u{2581}"))
    #expect(header.value("t.uint64") == .uint64(.max))
    #expect(header.value("t.int64") == .int64(.min))
    #expect(header.value("t.float64") == .float64(1.1902380714238083))
    #expect(header.value("t.array_i32") == .array(elementType: .int32, values: [.int32(16), .int32(24), .int32(24), .int32(0)]))
    #expect(header.value("t.array_bool") == .array(elementType: .bool, values: [.bool(true), .bool(false), .bool(true)]))
    #expect(header.value("t.array_str") == .array(elementType: .string, values: [.string("a"), .string("bc"), .string("")]))
    #expect(header.value("t.array_u8_big") == .skippedArray(elementType: .uint8, count: 1280))
    #expect(header.value("t.array_f64") == .array(elementType: .float64, values: [.float64(0.5), .float64(-2.25)]))
    let byKey = Dictionary(result.facts.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
    #expect(byKey["gguf.kv.t.uint64"] == .double(Double(UInt64.max)))
    #expect(byKey["gguf.kv.t.int64"] == .int(.min))
    #expect(byKey["gguf.kv.t.float32"] == .double(0.1))
    #expect(byKey["gguf.kv.t.array_i32"] == .array([16, 24, 24, 0]))
    #expect(byKey["gguf.kv.t.array_u8_big"] == .object(["type": "array", "element_type": "UINT8", "count": 1280]))
  }

  @Test func tokenizerArraysAreSummarisedNotMaterialised() throws {
    let (header, result) = try fixture("llama2-7b-native.gguf")
    #expect(header.value("tokenizer.ggml.tokens") == .skippedArray(elementType: .string, count: 200))
    #expect(result.facts.first { $0.key == "gguf.kv.tokenizer.ggml.tokens" }?.value
      == .object(["type": "array", "element_type": "STRING", "count": 200]))
    #expect(result.facts.first { $0.key == "gguf.vocab_size" }?.value == 200)
    #expect(result.facts.contains { $0.key.hasPrefix("gguf.tensor.") } == false)
    #expect(header.value("llama.context_length") == .uint32(4096))
  }
}
