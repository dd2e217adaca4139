import ContextAudit
import Testing

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Scaled families: DeepSeek-V3, gpt-oss, Phi-3, Gemma 3, a linear model that over-counts in
/// vLLM, and a NousResearch YaRN fine-tune.
@Suite struct ModelViewFamilyTests {
  /// deepseek-ai/DeepSeek-V3 config.json, with `auto_map` and `rope_scaling` read as whole
  /// objects (one fact each), as a reader may emit them.
  static let deepseekV3 = FactFile.config([
    "architectures": .array(["DeepseekV3ForCausalLM"]),
    "auto_map": .object([
      "AutoConfig": "configuration_deepseek.DeepseekV3Config",
      "AutoModel": "modeling_deepseek.DeepseekV3Model",
      "AutoModelForCausalLM": "modeling_deepseek.DeepseekV3ForCausalLM",
    ]),
    "hidden_size": 7168,
    "kv_lora_rank": 512,
    "max_position_embeddings": 163840,
    "model_type": "deepseek_v3",
    "num_attention_heads": 128,
    "q_lora_rank": 1536,
    "qk_nope_head_dim": 128,
    "qk_rope_head_dim": 64,
    "rope_scaling": .object([
      "beta_fast": 32, "beta_slow": 1, "factor": 40, "mscale": 1.0, "mscale_all_dim": 1.0,
      "original_max_position_embeddings": 4096, "type": "yarn",
    ]),
    "rope_theta": 10000,
    "v_head_dim": 128,
  ])
  /// A llama.cpp conversion of DeepSeek-V3 (`deepseek2` architecture).
  static let deepseekGGUF = FactFile.gguf([
    "kv.general.architecture": "deepseek2",
    "kv.deepseek2.context_length": 163840,
    "kv.deepseek2.rope.dimension_count": 64,
    "kv.deepseek2.rope.freq_base": 10000.0,
    "kv.deepseek2.rope.scaling.type": "yarn",
    "kv.deepseek2.rope.scaling.factor": 40.0,
    "kv.deepseek2.rope.scaling.original_context_length": 4096,
    "kv.deepseek2.rope.scaling.yarn_log_multiplier": 0.1,
  ])
  /// openai/gpt-oss-20b config.json.
  static let gptOSS = FactFile.config([
    "architectures": .array(["GptOssForCausalLM"]),
    "head_dim": 64,
    "hidden_size": 2880,
    "initial_context_length": 4096,
    "max_position_embeddings": 131072,
    "model_type": "gpt_oss",
    "num_attention_heads": 64,
    "num_key_value_heads": 8,
    "rope_scaling.beta_fast": 32.0,
    "rope_scaling.beta_slow": 1.0,
    "rope_scaling.factor": 32.0,
    "rope_scaling.original_max_position_embeddings": 4096,
    "rope_scaling.rope_type": "yarn",
    "rope_scaling.truncate": false,
    "rope_theta": 150000,
    "sliding_window": 128,
  ])

  static let phi3Long: [FactValue] = [
    1.0700000524520874, 1.1200000047683716, 1.149999976158142, 1.4199999570846558, 1.5699999332427979,
    1.7700000047683716, 2.129999876022339, 2.129999876022339, 3.009999990463257, 5.910000324249268,
    6.950000286102295, 9.070000648498535, 9.930000305175781, 10.710000038146973, 11.130000114440918,
    14.609999656677246, 15.409998893737793, 19.809999465942383, 37.279998779296875, 38.279998779296875,
    38.599998474121094, 40.12000274658203, 46.20000457763672, 50.940006256103516, 53.66000747680664,
    54.9373893737793, 56.89738845825195, 57.28738784790039, 59.98738479614258, 60.86738586425781,
    60.887386322021484, 61.71739196777344, 62.91739273071289, 62.957393646240234, 63.41739273071289,
    63.8173942565918, 63.83739471435547, 63.897396087646484, 63.93739700317383, 64.06739807128906,
    64.11434936523438, 64.12435150146484, 64.15435028076172, 64.19435119628906, 64.24435424804688,
    64.57435607910156, 64.69000244140625, 64.76000213623047,
  ]
  static let phi3Short: [FactValue] =
    [1.05, 1.05, 1.05, 1.1, 1.1, 1.1500000000000001, 1.2000000000000002, 1.2500000000000002]
    + [1.3000000000000003, 1.3500000000000003, 1.5000000000000004]
    + Array(repeating: 2.000000000000001, count: 21)
    + [2.0500000000000007, 2.0500000000000007, 2.0500000000000007, 2.1000000000000005, 2.1000000000000005]
    + [2.1000000000000005, 2.1500000000000004, 2.1500000000000004, 2.3499999999999996, 2.549999999999999]
    + [2.5999999999999988, 2.5999999999999988, 2.7499999999999982, 2.849999999999998, 2.849999999999998]
    + [2.9499999999999975]

  /// microsoft/Phi-3-mini-128k-instruct config.json.
  static let phi3 = FactFile.config([
    "architectures": .array(["Phi3ForCausalLM"]),
    "auto_map.AutoConfig": "configuration_phi3.Phi3Config",
    "auto_map.AutoModelForCausalLM": "modeling_phi3.Phi3ForCausalLM",
    "hidden_size": 3072,
    "max_position_embeddings": 131072,
    "model_type": "phi3",
    "num_attention_heads": 32,
    "num_hidden_layers": 32,
    "original_max_position_embeddings": 4096,
    "rope_scaling.long_factor": .array(phi3Long),
    "rope_scaling.short_factor": .array(phi3Short),
    "rope_scaling.type": "longrope",
    "rope_theta": 10000.0,
    "sliding_window": 262144,
  ])
  /// Its llama.cpp conversion: no scaling type, factor tensors, original length and attn_factor.
  static let phi3GGUF = FactFile.gguf([
    "kv.general.architecture": "phi3",
    "kv.phi3.context_length": 131072,
    "kv.phi3.rope.dimension_count": 96,
    "kv.phi3.rope.freq_base": 10000.0,
    "kv.phi3.rope.scaling.original_context_length": 4096,
    "kv.phi3.rope.scaling.attn_factor": 1.1902380714238083,
    "tensor.rope_factors_long.weight": .array(phi3Long),
    "tensor.rope_factors_short.weight": .array(phi3Short),
  ])

  /// google/gemma-3-12b-it config.json (text part nested in text_config).
  static let gemma3 = FactFile.config([
    "architectures": .array(["Gemma3ForConditionalGeneration"]),
    "model_type": "gemma3",
    "text_config.head_dim": 256,
    "text_config.hidden_size": 3840,
    "text_config.max_position_embeddings": 131072,
    "text_config.model_type": "gemma3_text",
    "text_config.num_attention_heads": 16,
    "text_config.rope_local_base_freq": 10000.0,
    "text_config.rope_scaling.factor": 8.0,
    "text_config.rope_scaling.rope_type": "linear",
    "text_config.rope_theta": 1000000.0,
    "text_config.sliding_window": 1024,
    "text_config.sliding_window_pattern": 6,
    "vision_config.model_type": "siglip_vision_model",
  ])

  /// hfl/chinese-alpaca-2-13b-16k config.json (vendor-published, quoted in LlamaFactory issue #1298):
  /// Llama-2's 4096 already stretched to 16384, and linear x4 on top.
  static let alpaca16k = FactFile.config([
    "architectures": .array(["LlamaForCausalLM"]),
    "hidden_size": 5120,
    "intermediate_size": 13824,
    "max_position_embeddings": 16384,
    "model_type": "llama",
    "num_attention_heads": 40,
    "num_hidden_layers": 40,
    "num_key_value_heads": 40,
    "rope_scaling.factor": 4.0,
    "rope_scaling.type": "linear",
    "vocab_size": 55296,
  ])

  /// NousResearch/Yarn-Llama-2-13b-64k config.json.
  static let yarnLlama = FactFile.config([
    "architectures": .array(["LlamaForCausalLM"]),
    "hidden_size": 5120,
    "max_position_embeddings": 65536,
    "model_type": "llama",
    "num_attention_heads": 40,
    "rope_scaling.factor": 16.0,
    "rope_scaling.finetuned": true,
    "rope_scaling.original_max_position_embeddings": 4096,
    "rope_scaling.type": "yarn",
  ])

  @Test func deepseekV3IsVendorTrainedYarn() {
    let view = ModelView.build(artifacts: [Self.deepseekV3.artifact])
    #expect(view.verdict.kind == .interpolated)
    #expect(view.verdict.summary == "163840 = 4096 x 40 (YaRN, vendor-trained)")
    #expect(
      view.verdict.reason
        == "vendor-trained extension (family DeepSeek); auto_map names remote modeling code; the verdict reads the declared position fields"
    )
    #expect(view.windows == Windows(native: 4096, effective: 163840))
    #expect(view.value("model.remote_code") == true)
    #expect(view.fact("model.remote_code")?.location == Self.deepseekV3.location("auto_map"))
    // Values inside an object fact carry the object's location.
    #expect(view.fact("model.rope.type_declared")?.location == Self.deepseekV3.location("rope_scaling"))
    #expect(view.value("model.rope.factor") == .double(40))
    #expect(view.value("model.rope.rotary_dim") == 64)
    #expect(view.fact("model.rope.rotary_dim")?.location == Self.deepseekV3.location("qk_rope_head_dim"))
    let wavelength = 2 * Double.pi * pow(10000, 62.0 / 64.0)
    #expect(view.value("model.rope.longest_wavelength") == .double(wavelength))
    #expect(view.rope.betaFast == 32)
    #expect(view.rope.mscale == 1)
    #expect(view.rope.mscaleAllDim == 1)
    #expect(view.runtime("vllm")?.window == 163840)
    #expect(view.runtime("vllm")?.note == "yarn: original_max_position_embeddings 4096; x factor 40 (yarn)")
  }

  @Test func deepseekGGUFUndoesTheLogMultiplierScale() {
    let view = ModelView.build(artifacts: [Self.deepseekGGUF.artifact])
    #expect(view.verdict.summary == "163840 = 4096 x 40 (YaRN, vendor-trained)")
    #expect(abs((view.rope.mscaleAllDim ?? 0) - 1.0) < 1e-12)
    #expect(view.value("model.rope.rotary_dim") == 64)
    #expect(view.runtime("llama.cpp")?.window == 163840)
  }

  @Test func configAndGGUFFactorsThatDifferAreReported() {
    let other = FactFile.gguf([
      "kv.general.architecture": "deepseek2",
      "kv.deepseek2.context_length": 32768,
      "kv.deepseek2.rope.scaling.type": "linear",
      "kv.deepseek2.rope.scaling.factor": 8.0,
    ])
    let view = ModelView.build(artifacts: [Self.deepseekV3.artifact, other.artifact])
    #expect(view.verdict.followed == ArtifactPath("config.json"))
    #expect(view.verdict.reason?.contains("config.json declares yarn x40 from 4096, the GGUF declares linear x8; followed config.json") == true)
    #expect(view.value("model.config.method") == "yarn")
    #expect(view.value("model.gguf.method") == "linear")
    #expect(view.value("model.window.gguf") == 32768)
    #expect(view.value("model.window.config") == 163840)
  }

  @Test func gptOSSIsVendorTrainedYarnWithoutTruncation() {
    let view = ModelView.build(artifacts: [Self.gptOSS.artifact])
    #expect(view.verdict.summary == "131072 = 4096 x 32 (YaRN, vendor-trained)")
    #expect(view.verdict.fineTuned == true)
    #expect(view.rope.truncate == false)
    #expect(view.rope.theta == 150000)
    #expect(view.rope.rotaryDim == 64)
    #expect(view.value("model.sliding_window") == 128)
    #expect(view.fact("model.sliding_window")?.location == Self.gptOSS.location("sliding_window"))
    #expect(view.runtime("vllm")?.window == 131072)
  }

  @Test func phi3IsLongRoPEWithFactorFromTheLengths() {
    let view = ModelView.build(artifacts: [Self.phi3.artifact])
    #expect(view.verdict.kind == .interpolated)
    #expect(view.verdict.method == .longrope)
    #expect(view.verdict.factor == 32)
    #expect(view.verdict.summary == "131072 = 4096 x 32 (LongRoPE, vendor-trained)")
    #expect(view.windows == Windows(native: 4096, effective: 131072))
    #expect(view.fact("model.rope.factor")?.location == Self.phi3.location("original_max_position_embeddings"))
    #expect(view.fact("model.window.native")?.location == Self.phi3.location("original_max_position_embeddings"))
    #expect(view.value("model.rope.long_factor_count") == 48)
    #expect(view.value("model.rope.short_factor_count") == 48)
    #expect(view.fact("model.rope.long_factor_count")?.location == Self.phi3.location("rope_scaling.long_factor"))
    #expect(view.value("model.rope.rotary_dim") == 96)
    #expect(view.value("model.remote_code") == true)
    #expect(view.fact("model.remote_code")?.location == Self.phi3.location("auto_map.AutoModelForCausalLM"))
    #expect(view.value("model.sliding_window") == 262144)
  }

  @Test func phi3VLLMDefaultIsTheOriginalLength() {
    let view = ModelView.build(artifacts: [Self.phi3.artifact])
    #expect(view.runtime("vllm")?.window == 4096)
    #expect(
      view.runtime("vllm")?.note
        == "max_position_embeddings 131072; longrope is not multiplied; default is original_max_position_embeddings 4096 for longrope"
    )
    #expect(view.fact("model.runtime.vllm")?.location == Self.phi3.location("original_max_position_embeddings"))
    #expect(view.runtime("transformers")?.note == "no hard limit; max_position_embeddings 131072 is descriptive; long factors once positions pass 4096")
  }

  @Test func phi3GGUFIsLongRoPEFromItsTensors() {
    let view = ModelView.build(artifacts: [Self.phi3GGUF.artifact])
    #expect(view.verdict.method == .longrope)
    #expect(view.verdict.factor == 32)
    #expect(view.verdict.summary == "131072 = 4096 x 32 (LongRoPE, vendor-trained)")
    #expect(view.rope.attentionFactor == 1.1902380714238083)
    #expect(view.rope.longFactor?.count == 48)
    #expect(view.fact("model.rope.method")?.location == Self.phi3GGUF.location("tensor.rope_factors_long.weight"))
    #expect(view.value("model.gguf.has_scaling") == true)
    #expect(
      view.runtime("llama.cpp")?.note
        == "n_ctx_train = phi3.context_length 131072 (default n_ctx); long factors only when n_ctx > 4096")
  }

  @Test func legacyTypeNamesMapToLongRoPE() {
    let su = FactFile.config([
      "max_position_embeddings": 131072, "model_type": "phi3", "original_max_position_embeddings": 4096,
      "rope_scaling.type": "su",
    ])
    let phiYarn = FactFile.config([
      "max_position_embeddings": 131072, "model_type": "phi3", "original_max_position_embeddings": 4096,
      "rope_scaling.type": "yarn",
    ])
    for file in [su, phiYarn] {
      let view = ModelView.build(artifacts: [file.artifact])
      #expect(view.verdict.method == .longrope)
      #expect(view.value("model.rope.type_known") == true)
      // vLLM defaults LongRoPE to the original length (HF's Phi3Config has rewritten yarn by then).
      #expect(view.runtime("vllm")?.window == 4096)
    }
    // Outside Phi-3, yarn stays yarn.
    let llamaYarn = FactFile.config([
      "max_position_embeddings": 8192, "model_type": "llama", "rope_scaling.type": "yarn", "rope_scaling.factor": 2.0,
    ])
    #expect(ModelView.build(artifacts: [llamaYarn.artifact]).verdict.method == .yarn)
  }

  @Test func gemma3IsVendorTrainedLinearFromTheTextConfig() {
    let view = ModelView.build(artifacts: [Self.gemma3.artifact])
    #expect(view.architecture == "gemma3")
    #expect(view.verdict.kind == .interpolated)
    #expect(view.verdict.method == .linear)
    #expect(view.verdict.factor == 8)
    #expect(view.verdict.fineTuned == true)
    #expect(view.verdict.summary == "131072 (linear x8, vendor-trained)")
    #expect(
      view.verdict.reason
        == "vendor-trained extension (family Gemma 3); max_position_embeddings 131072 is the vendor's extended length; the length before x8 is not in the files"
    )
    #expect(view.windows == Windows(native: nil, effective: 131072))
    #expect(view.fact("model.window.native") == nil)
    #expect(view.value("model.rope.theta") == .double(1_000_000))
    #expect(view.fact("model.rope.theta")?.location == Self.gemma3.location("text_config.rope_theta"))
    #expect(view.value("model.rope.rotary_dim") == 256)
    #expect(view.value("model.sliding_window") == 1024)
    #expect(view.runtime("vllm")?.window == 131072)
    #expect(view.runtime("vllm")?.note == "max_position_embeddings 131072; gemma3 is not multiplied")
    #expect(view.fact("model.window.config")?.location == Self.gemma3.location("text_config.max_position_embeddings"))
  }

  @Test func perLayerRopeParametersUseFullAttention() {
    // transformers v5 shape of the same model: rope_parameters keyed by layer type.
    let v5 = FactFile.config([
      "model_type": "gemma3",
      "text_config.head_dim": 256,
      "text_config.max_position_embeddings": 131072,
      "text_config.model_type": "gemma3_text",
      "text_config.rope_parameters.full_attention.factor": 8.0,
      "text_config.rope_parameters.full_attention.rope_theta": 1000000.0,
      "text_config.rope_parameters.full_attention.rope_type": "linear",
      "text_config.rope_parameters.sliding_attention.rope_theta": 10000.0,
      "text_config.rope_parameters.sliding_attention.rope_type": "default",
    ])
    let view = ModelView.build(artifacts: [v5.artifact])
    #expect(view.rope.layerTypes == ["full_attention", "sliding_attention"])
    #expect(view.verdict.method == .linear)
    #expect(view.verdict.factor == 8)
    #expect(view.rope.theta == 1_000_000)
    #expect(view.fact("model.rope.theta")?.location == v5.location("text_config.rope_parameters.full_attention.rope_theta"))
    #expect(view.verdict.reason?.contains("per-layer rope parameters (full_attention, sliding_attention): full_attention sets the window") == true)
    #expect(view.runtime("vllm")?.window == 131072)
  }

  @Test func linearOnAnExtendedLengthIsAmbiguousAndVLLMOvercounts() {
    let view = ModelView.build(artifacts: [Self.alpaca16k.artifact])
    #expect(view.verdict.kind == .interpolated)
    #expect(view.verdict.summary == "65536 = 16384 x 4 (linear, fine-tuning unknown)")
    #expect(view.verdict.fineTuned == nil)
    #expect(
      view.verdict.reason
        == "ambiguous: max_position_embeddings 16384 may already be the extended length (then the window is 16384, not 16384 x 4)"
    )
    #expect(view.windows == Windows(native: 16384, effective: 65536))
    #expect(view.runtime("vllm")?.window == 65536)
    #expect(view.runtime("vllm")?.note == "max_position_embeddings 16384; x factor 4 (linear)")
    #expect(view.runtime("llama.cpp")?.window == 16384)
    #expect(view.fact("model.rope.finetuned") == nil)
  }

  @Test func anotherLengthKeyOrTheCardResolvesTheLinearAmbiguity() {
    // vicuna-16k style: a stale max_sequence_length 4096 times the factor gives L.
    let withStaleKey = FactFile.config([
      "max_position_embeddings": 16384, "max_sequence_length": 4096, "model_type": "llama",
      "rope_scaling.factor": 4.0, "rope_scaling.type": "linear",
    ])
    let view = ModelView.build(artifacts: [withStaleKey.artifact])
    #expect(view.windows == Windows(native: 4096, effective: 16384))
    #expect(view.fact("model.window.native")?.location == withStaleKey.location("max_sequence_length"))
    #expect(view.verdict.summary == "16384 = 4096 x 4 (linear, fine-tuning unknown)")
    // vLLM takes the minimum over the length keys, then multiplies.
    #expect(view.runtime("vllm")?.window == 16384)

    let card = FactFile.card([(line: 12, text: "trained on 4K tokens", tokens: 4096, role: "native", method: nil)])
    let resolved = ModelView.build(artifacts: [Self.alpaca16k.artifact, card.artifact])
    #expect(resolved.windows == Windows(native: 4096, effective: 16384))
    #expect(resolved.fact("model.window.native")?.location == SourceLocation(path: ArtifactPath("README.md"), line: 12, column: 1))
    #expect(resolved.verdict.reason == nil)
  }

  @Test func nousYarnDeclaresItsFineTuning() {
    let view = ModelView.build(artifacts: [Self.yarnLlama.artifact])
    #expect(view.verdict.summary == "65536 = 4096 x 16 (YaRN, fine-tuned)")
    #expect(view.verdict.fineTuned == true)
    #expect(view.verdict.reason == nil)
    #expect(view.value("model.rope.finetuned") == true)
    #expect(view.fact("model.rope.finetuned")?.location == Self.yarnLlama.location("rope_scaling.finetuned"))
    #expect(view.runtime("vllm")?.window == 65536)
  }

  @Test func explicitFinetunedFalseBeatsTheAllowList() {
    let ggufFlag = FactFile.gguf([
      "kv.general.architecture": "gemma3",
      "kv.gemma3.context_length": 131072,
      "kv.gemma3.rope.scaling.type": "linear",
      "kv.gemma3.rope.scaling.factor": 8.0,
      "kv.gemma3.rope.scaling.finetuned": false,
    ])
    let view = ModelView.build(artifacts: [Self.gemma3.artifact, ggufFlag.artifact])
    #expect(view.verdict.fineTuned == false)
    #expect(view.verdict.summary.hasSuffix("(linear x8, not fine-tuned)"))
    #expect(view.fact("model.rope.finetuned")?.location == ggufFlag.location("kv.gemma3.rope.scaling.finetuned"))
  }
}
