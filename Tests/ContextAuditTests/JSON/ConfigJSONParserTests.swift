import Testing

@testable import ContextAudit

@Suite struct ConfigJSONParserTests {
  /// Parses `Fixtures/<relative>` as `ArtifactReader` would, with the fixture path as artifact path.
  func parse(_ relative: String) throws -> ParsedArtifact {
    ConfigJSONParser.parse(try Paths.fixtureBytes(relative), path: ArtifactPath(relative))
  }

  /// The only fact named `key`.
  func fact(_ artifact: ParsedArtifact, _ key: String) throws -> Fact {
    let matches = artifact.facts.filter { $0.key == key }
    try #require(matches.count == 1, "\(key) appears \(matches.count) times")
    return matches[0]
  }

  func at(_ f: Fact) -> (Int?, Int?, UInt64?) { (f.location.line, f.location.column, f.location.offset) }

  // MARK: Families

  @Test func llama31RopeScalingIsLlama3WithFactor8() throws {
    let a = try parse("models/llama-3.1-8b-instruct/config.json")
    #expect(a.error == nil)
    let factor = try fact(a, "config.rope_scaling.factor")
    #expect(factor.value == .double(8.0))
    #expect(at(factor) == (26, 15, 547))
    #expect(factor.location.keyPath == "rope_scaling.factor")
    #expect(factor.location.path == ArtifactPath("models/llama-3.1-8b-instruct/config.json"))
    #expect(try fact(a, "config.rope_scaling.rope_type").value == "llama3")
    #expect(try fact(a, "config.rope_scaling.low_freq_factor").value == .double(1.0))
    #expect(try fact(a, "config.rope_scaling.high_freq_factor").value == .double(4.0))
    #expect(try fact(a, "config.rope_scaling.original_max_position_embeddings").value == 8192)
    #expect(try fact(a, "config.max_position_embeddings").value == 131072)
    #expect(try fact(a, "config.rope_theta").value == .double(500000.0))
    #expect(try fact(a, "config.num_key_value_heads").value == 8)
    #expect(try fact(a, "config.architectures").value == .array(["LlamaForCausalLM"]))
    // Keys nobody reads for windows are not facts.
    #expect(!a.facts.contains { $0.key == "config.vocab_size" || $0.key == "config.eos_token_id" })
  }

  @Test func phi3LongRoPEListsAre48LongWithTopLevelOriginalWindow() throws {
    let a = try parse("models/phi-3-mini-128k-instruct/config.json")
    let long = try fact(a, "config.rope_scaling.long_factor")
    #expect(long.value.arrayValue?.count == 48)
    #expect(long.value.arrayValue?.first == .double(1.0299999713897705))
    #expect(long.value.arrayValue?.last == .double(64.81001281738281))
    #expect(at(long) == (19, 20, 488))
    #expect(try fact(a, "config.rope_scaling.short_factor").value.arrayValue?.count == 48)
    #expect(try fact(a, "config.rope_scaling.type").value == "su")
    let original = try fact(a, "config.original_max_position_embeddings")
    #expect(original.value == 4096 && at(original) == (16, 39, 418))
    #expect(try fact(a, "config.auto_map").value.objectValue?["AutoConfig"] == "configuration_phi3.Phi3Config")
    let phi35 = try parse("models/phi-3.5-mini-instruct/config.json")
    #expect(try fact(phi35, "config.rope_scaling.type").value == "longrope")
    #expect(try fact(phi35, "config.rope_scaling.long_factor").value.arrayValue?.count == 48)
    #expect(try fact(phi35, "config.sliding_window").value == 262144)
  }

  @Test func deepSeekV3YarnKeepsIntegersAndMscale() throws {
    let a = try parse("models/deepseek-v3-0324/config.json")
    let mscaleAllDim = try fact(a, "config.rope_scaling.mscale_all_dim")
    #expect(mscaleAllDim.value == .double(1.0) && at(mscaleAllDim) == (54, 23, 1339))
    // DeepSeek writes factor and beta_fast as integers (rope-methods.md section 8, item 11).
    #expect(try fact(a, "config.rope_scaling.factor").value == .int(40))
    #expect(try fact(a, "config.rope_scaling.beta_fast").value == .int(32))
    #expect(try fact(a, "config.rope_scaling.type").value == "yarn")
    let rotary = try fact(a, "config.qk_rope_head_dim")
    #expect(rotary.value == 64 && at(rotary) == (38, 23, 1022))
    #expect(try fact(a, "config.max_position_embeddings").value == 163840)
    #expect(try fact(a, "config.rope_theta").value == .int(10000))
  }

  @Test func gptOssYarnWritesTruncateFalse() throws {
    let a = try parse("models/gpt-oss-20b/config.json")
    let truncate = try fact(a, "config.rope_scaling.truncate")
    #expect(truncate.value == false && at(truncate) == (66, 17, 1573))
    #expect(try fact(a, "config.rope_scaling.factor").value == .double(32.0))
    #expect(try fact(a, "config.layer_types").value.arrayValue?.count == 24)
    #expect(try fact(a, "config.sliding_window").value == 128)
    #expect(try fact(a, "config.head_dim").value == 64)
  }

  @Test func gemma3NestedTextConfigKeepsItsPrefix() throws {
    let a = try parse("models/gemma-3-4b-it/config.json")
    let factor = try fact(a, "config.text_config.rope_scaling.factor")
    #expect(factor.value == .double(8.0) && at(factor) == (21, 17, 455))
    #expect(factor.location.keyPath == "text_config.rope_scaling.factor")
    #expect(try fact(a, "config.text_config.rope_scaling.rope_type").value == "linear")
    #expect(try fact(a, "config.text_config.sliding_window").value == 1024)
    #expect(try fact(a, "config.model_type").value == "gemma3")
    #expect(try fact(a, "config.text_config.model_type").value == "gemma3_text")
    #expect(try fact(a, "config.vision_config.num_hidden_layers").value == 27)
    #expect(!a.facts.contains { $0.key == "config.rope_scaling.factor" })
  }

  @Test func transformersV5PerLayerTypeRopeParameters() throws {
    let a = try parse("models/gemma-3-4b-it-transformers-v5/config.json")
    let fullType = try fact(a, "config.text_config.rope_parameters.full_attention.rope_type")
    #expect(fullType.value == "linear" && at(fullType) == (77, 22, 1991))
    #expect(try fact(a, "config.text_config.rope_parameters.full_attention.factor").value == .double(8.0))
    #expect(try fact(a, "config.text_config.rope_parameters.full_attention.rope_theta").value == .double(1000000.0))
    let local = try fact(a, "config.text_config.rope_parameters.sliding_attention.rope_theta")
    #expect(local.value == .double(10000.0) && at(local) == (80, 23, 2060))
    #expect(try fact(a, "config.text_config.rope_parameters.sliding_attention.rope_type").value == "default")
    #expect(try fact(a, "config.text_config.layer_types").value.arrayValue?.count == 34)
    #expect(try fact(a, "config.dtype").value == "bfloat16")
  }

  @Test func transformersV5MovesRopeThetaIntoRopeParameters() throws {
    let a = try parse("models/llama-3.1-8b-instruct-transformers-v5/config.json")
    let theta = try fact(a, "config.rope_parameters.rope_theta")
    #expect(theta.value == .double(500000.0) && at(theta) == (33, 19, 742))
    #expect(try fact(a, "config.rope_parameters.rope_type").value == "llama3")
    #expect(try fact(a, "config.rope_parameters.factor").value == .double(8.0))
    #expect(!a.facts.contains { $0.key == "config.rope_theta" || $0.key.hasPrefix("config.rope_scaling") })
    #expect(try fact(a, "config.transformers_version").value == "5.24.0")
  }

  @Test func qwen1RemoteCodeDynamicNTKSwitches() throws {
    let a = try parse("models/qwen-7b/config.json")
    #expect(try fact(a, "config.use_dynamic_ntk").value == true)
    #expect(try fact(a, "config.use_logn_attn").value == true)
    let seq = try fact(a, "config.seq_length")
    #expect(seq.value == 8192 && at(seq) == (28, 17, 674))
    #expect(try fact(a, "config.rotary_emb_base").value == 10000)
    #expect(try fact(a, "config.rotary_pct").value == .double(1.0))
    #expect(try fact(a, "config.auto_map").value.objectValue?["AutoModelForCausalLM"] == "modeling_qwen.QWenLMHeadModel")
  }

  @Test func dynamicAndLinearAndYarnRopeScalingTypes() throws {
    let internlm = try parse("models/internlm2.5-7b-chat/config.json")
    #expect(try fact(internlm, "config.rope_scaling.type").value == "dynamic")
    #expect(try fact(internlm, "config.rope_scaling.factor").value == .double(2.0))
    let longchat = try parse("models/longchat-7b-16k/config.json")
    #expect(try fact(longchat, "config.rope_scaling.type").value == "linear")
    let yarn = try parse("models/yarn-llama-2-13b-64k/config.json")
    #expect(try fact(yarn, "config.rope_scaling.finetuned").value == true)
    #expect(try fact(yarn, "config.rope_scaling.factor").value == .double(16.0))
  }

  @Test func nativeWindowsAndSlidingWindows() throws {
    let llama2 = try parse("models/llama-2-7b-hf/config.json")
    let none = try fact(llama2, "config.rope_scaling")
    #expect(none.value == .null && at(none) == (19, 19, 457))
    #expect(try fact(llama2, "config.max_position_embeddings").value == 4096)
    let mistral = try parse("models/mistral-7b-v0.1/config.json")
    #expect(try fact(mistral, "config.sliding_window").value == 4096)
    let instruct = try parse("models/mistral-7b-instruct-v0.2/config.json")
    #expect(try fact(instruct, "config.sliding_window").value == .null)
    #expect(try fact(instruct, "config.rope_theta").value == .double(1000000.0))
    let qwen = try parse("models/qwen2.5-1.5b-instruct/config.json")
    #expect(try fact(qwen, "config.use_sliding_window").value == false)
    #expect(try fact(qwen, "config.max_window_layers").value == 21)
    let qwen3 = try parse("models/qwen3-8b/config.json")
    #expect(try fact(qwen3, "config.max_position_embeddings").value == 40960)
    #expect(try fact(qwen3, "config.rope_scaling").value == .null)
    let codellama = try parse("models/codellama-7b-hf/config.json")
    #expect(try fact(codellama, "config.rope_theta").value == .int(1000000))
    #expect(try fact(codellama, "config.max_position_embeddings").value == 16384)
  }

  @Test func alibiAndAbsolutePositionMarkers() throws {
    let mpt = try parse("models/mpt-7b-instruct/config.json")
    let alibi = try fact(mpt, "config.attn_config.alibi")
    #expect(alibi.value == true && at(alibi) == (6, 14, 81))
    #expect(try fact(mpt, "config.attn_config.alibi_bias_max").value == 8)
    #expect(try fact(mpt, "config.max_seq_len").value == 2048)
    #expect(try fact(mpt, "config.d_model").value == 4096)
    let gpt2 = try parse("models/gpt2/config.json")
    #expect(try fact(gpt2, "config.n_positions").value == 1024)
    #expect(try fact(gpt2, "config.n_ctx").value == 1024)
    #expect(try fact(gpt2, "config.model_type").value == "gpt2")
  }

  @Test func chatGLMRemoteCodeRopeRatio() throws {
    let a = try parse("models/glm-4-9b-chat/config.json")
    let ratio = try fact(a, "config.rope_ratio")
    #expect(ratio.value == 500 && at(ratio) == (43, 17, 1303))
    #expect(try fact(a, "config.seq_length").value == 131072)
    #expect(try fact(a, "config.multi_query_group_num").value == 2)
    #expect(try fact(a, "config.auto_map").value.objectValue?.count == 5)
  }

  // MARK: Generation and tokenizer configs

  @Test func tokenizerSentinelStaysADoubleAndIsReported() throws {
    let a = try parse("models/llama-2-7b-hf/tokenizer_config.json")
    let sentinel = try fact(a, "tokenizer_config.model_max_length")
    #expect(sentinel.value == .double(1e30) && at(sentinel) == (8, 23, 180))
    let big = try fact(a, "json.big_integer")
    #expect(big.value == "model_max_length" && at(big) == (8, 23, 180))
    #expect(a.facts.count == 2)
    let llama31 = try parse("models/llama-3.1-8b-instruct/tokenizer_config.json")
    #expect(try fact(llama31, "tokenizer_config.model_max_length").value == 131072)
  }

  @Test func generationConfigReadsItsOwnKeys() throws {
    let a = try parse("models/llama-2-7b-hf/generation_config.json")
    let maxLength = try fact(a, "generation_config.max_length")
    #expect(maxLength.value == 4096 && at(maxLength) == (7, 17, 124))
    #expect(a.facts.map(\.key) == ["generation_config.max_length"])
  }

  @Test func prefixFollowsTheFileName() {
    #expect(ConfigJSONParser.prefix(forFileName: "config.json") == "config.")
    #expect(ConfigJSONParser.prefix(forFileName: "Generation_Config.json") == "generation_config.")
    #expect(ConfigJSONParser.prefix(forFileName: "tokenizer_config.json") == "tokenizer_config.")
    #expect(ConfigJSONParser.prefix(forFileName: "params.json") == "config.")
  }

  // MARK: Diagnostics and errors

  @Test func duplicateKeysBecomeFactsAtBothLocations() throws {
    let a = try parse("json/duplicate-rope-scaling.json")
    #expect(try fact(a, "config.rope_scaling.rope_type").value == "llama3")
    #expect(try fact(a, "config.rope_scaling.factor").value == .double(4.0))
    #expect(!a.facts.contains { $0.key == "config.rope_scaling.type" })
    let later = a.facts.filter { $0.key == "json.duplicate_key" }
    let earlier = a.facts.filter { $0.key == "json.duplicate_key.earlier" }
    #expect(later.map(\.value) == ["rope_scaling", "rope_scaling.factor"])
    #expect(later.map { at($0).0 } == [5, 5] && later.map { at($0).1 } == [19, 68])
    #expect(earlier.map { at($0).0 } == [3, 5] && earlier.map { at($0).1 } == [19, 53])
  }

  @Test func nonFiniteNumbersBecomeFacts() throws {
    let a = try parse("json/non-finite.json")
    #expect(try fact(a, "config.rope_theta").value.doubleValue?.isNaN == true)
    let reported = a.facts.filter { $0.key == "json.non_finite_number" }
    #expect(reported.map(\.value) == ["rope_theta", "max_position_embeddings", "rope_scaling.factor", "rope_scaling.beta_fast"])
    #expect(at(reported[0]) == (2, 17, 18))
  }

  @Test func aJSONErrorKeepsTheFactsReadBeforeIt() throws {
    let a = try parse("json/truncated-in-rope-scaling.json")
    let error = try #require(a.error)
    #expect(error.message == "unexpected end of input, expected ',' or '}' after object member")
    #expect(error.location.line == 7 && error.location.column == 43 && error.location.offset == 174)
    #expect(try fact(a, "config.max_position_embeddings").value == 131072)
    #expect(try fact(a, "config.rope_scaling.factor").value == .double(8.0))
    #expect(try fact(a, "config.rope_scaling.original_max_position_embeddings").value == 81)
  }

  @Test func encodingErrorsAreParseFailuresNotCrashes() throws {
    let utf16 = try parse("json/utf16le.json")
    #expect(utf16.error?.message == "JSON input is UTF-16 (little-endian byte order mark), not UTF-8")
    #expect(utf16.facts.isEmpty)
    let bom = try parse("json/bom.json")
    #expect(bom.error == nil)
    #expect(try fact(bom, "config.max_position_embeddings").value == 4096)
    #expect(try fact(bom, "json.utf8_bom").value == true)
  }

  @Test func aTopLevelValueOtherThanAnObjectIsAnError() {
    let a = ConfigJSONParser.parse(Array("[1, 2]".utf8), path: ArtifactPath("m/config.json"))
    #expect(a.error?.message == "config.json top-level value is an array (expected an object)")
    #expect(a.error?.location.line == 1 && a.error?.location.column == 1)
    #expect(a.facts.isEmpty)
  }

  @Test func whitespaceAndKeyOrderDoNotChangeTheFacts() throws {
    let original = try parse("models/llama-3.1-8b-instruct/config.json")
    let bytes = try Paths.fixtureBytes("models/llama-3.1-8b-instruct/config.json")
    let doc = try JSONReader.read(bytes, path: ArtifactPath("x"))
    // Re-serialise minified, with members in reverse order.
    let members = try #require(doc.root?.members).reversed().map { JSONText.quote($0.key) + ":" + $0.value.factValue.jsonText }
    let minified = ConfigJSONParser.parse(Array(("{" + members.joined(separator: ",") + "}").utf8), path: ArtifactPath("config.json"))
    func pairs(_ a: ParsedArtifact) -> Set<String> { Set(a.facts.map { $0.key + "=" + $0.value.jsonText }) }
    #expect(pairs(original) == pairs(minified))
    #expect(minified.facts.allSatisfy { $0.location.line == 1 })
  }
}
