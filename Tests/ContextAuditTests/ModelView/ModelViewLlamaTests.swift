import ContextAudit
import Testing

/// Llama-2 and Llama-3.1, from config.json and from GGUF, including a GGUF that lost the scaling.
@Suite struct ModelViewLlamaTests {
  /// meta-llama/Llama-2-7b-hf config.json (transformers 4.31) and its tokenizer's 1e30 sentinel.
  static let llama2 = FactFile.config([
    "architectures": .array(["LlamaForCausalLM"]),
    "bos_token_id": 1,
    "eos_token_id": 2,
    "hidden_act": "silu",
    "hidden_size": 4096,
    "initializer_range": 0.02,
    "intermediate_size": 11008,
    "max_position_embeddings": 4096,
    "model_type": "llama",
    "num_attention_heads": 32,
    "num_hidden_layers": 32,
    "num_key_value_heads": 32,
    "pretraining_tp": 1,
    "rms_norm_eps": 1e-05,
    "rope_scaling": .null,
    "tie_word_embeddings": false,
    "torch_dtype": "float16",
    "transformers_version": "4.31.0.dev0",
    "use_cache": true,
    "vocab_size": 32000,
  ])
  static let sentinelTokenizer = FactFile.tokenizer([
    "model_max_length": .double(1e30), "tokenizer_class": "LlamaTokenizer",
  ])

  /// meta-llama/Llama-3.1-8B-Instruct config.json.
  static let llama31 = FactFile.config([
    "architectures": .array(["LlamaForCausalLM"]),
    "attention_bias": false,
    "hidden_size": 4096,
    "intermediate_size": 14336,
    "max_position_embeddings": 131072,
    "mlp_bias": false,
    "model_type": "llama",
    "num_attention_heads": 32,
    "num_hidden_layers": 32,
    "num_key_value_heads": 8,
    "rope_scaling.factor": 8.0,
    "rope_scaling.high_freq_factor": 4.0,
    "rope_scaling.low_freq_factor": 1.0,
    "rope_scaling.original_max_position_embeddings": 8192,
    "rope_scaling.rope_type": "llama3",
    "rope_theta": 500000.0,
    "torch_dtype": "bfloat16",
    "vocab_size": 128256,
  ])
  static let llama31Tokenizer = FactFile.tokenizer(["model_max_length": 131072])

  /// A llama.cpp conversion of Llama-3.1-8B: no scaling KV, divisors in `rope_freqs.weight`.
  static let llama31GGUF = FactFile.gguf([
    "kv.general.architecture": "llama",
    "kv.general.name": "Meta Llama 3.1 8B Instruct",
    "kv.llama.block_count": 32,
    "kv.llama.context_length": 131072,
    "kv.llama.embedding_length": 4096,
    "kv.llama.attention.head_count": 32,
    "kv.llama.attention.head_count_kv": 8,
    "kv.llama.rope.freq_base": 500000.0,
    "kv.llama.rope.dimension_count": 128,
    "tensor.rope_freqs.weight": .array(
      llama3Divisors(theta: 500000, d: 128, factor: 8, low: 1, high: 4, original: 8192)),
  ])

  @Test func llama2IsNativeAt4096() {
    let view = ModelView.build(artifacts: [Self.llama2.artifact, Self.sentinelTokenizer.artifact])
    #expect(view.verdict.kind == .native)
    #expect(view.verdict.method == RopeMethod.none)
    #expect(view.verdict.summary == "4096 native (no scaling)")
    #expect(view.verdict.fineTuned == nil)
    #expect(view.verdict.reason == nil)
    #expect(view.windows == Windows(native: 4096, effective: 4096))
    #expect(view.architecture == "llama")
    #expect(view.value("model.rope.method") == "none")
    #expect(view.value("model.verdict.kind") == "native")
    #expect(view.value("model.remote_code") == false)
    #expect(view.value("model.rope.rotary_dim") == 128)
    #expect(view.value("model.rope.half_rotary_dim") == 64)
    // No rope_theta in the 4.31 file: the loaders' default, located at the file only.
    #expect(view.value("model.rope.theta") == .double(10000))
    #expect(view.fact("model.rope.theta")?.location == SourceLocation(path: ArtifactPath("config.json")))
    // The 1e30 "no limit" sentinel is not a window.
    #expect(view.fact("model.window.tokenizer") == nil)
    #expect(view.fact("model.gguf.method") == nil)
  }

  @Test func llama2WindowFactsPointAtMaxPositionEmbeddings() {
    let view = ModelView.build(artifacts: [Self.llama2.artifact])
    let expected = SourceLocation(
      path: ArtifactPath("config.json"), line: 9, column: 3, keyPath: "max_position_embeddings")
    #expect(view.fact("model.window.native")?.location == expected)
    #expect(view.fact("model.window.effective")?.location == expected)
    #expect(view.fact("model.window.config")?.location == expected)
    #expect(view.fact("model.runtime.vllm")?.location == expected)
    // rope_scaling: null is where the method was decided.
    #expect(view.fact("model.rope.method")?.location == Self.llama2.location("rope_scaling"))
  }

  @Test func llama2RuntimesAllSay4096() {
    let view = ModelView.build(artifacts: [Self.llama2.artifact, Self.sentinelTokenizer.artifact])
    #expect(view.runtimes.map(\.runtime) == ["vllm", "llama.cpp", "transformers"])
    #expect(view.runtime("vllm")?.window == 4096)
    #expect(view.runtime("vllm")?.note == "max_position_embeddings 4096")
    #expect(view.runtime("llama.cpp")?.window == 4096)
    #expect(view.runtime("llama.cpp")?.note == "no GGUF; the converter would write context_length 4096 verbatim")
    #expect(view.runtime("transformers")?.window == 4096)
    #expect(view.value("model.runtime.llamacpp") == 4096)
    #expect(view.fact("model.runtime.ollama") == nil)
  }

  @Test func llama31IsVendorTrainedLlama3() {
    let view = ModelView.build(artifacts: [Self.llama31.artifact, Self.llama31Tokenizer.artifact])
    #expect(view.verdict.kind == .interpolated)
    #expect(view.verdict.method == .llama3)
    #expect(view.verdict.factor == 8)
    #expect(view.verdict.fineTuned == true)
    #expect(view.verdict.summary == "131072 (llama3 x8 from 8192, vendor-trained)")
    #expect(view.verdict.reason == "vendor-trained extension (family Llama 3)")
    #expect(view.windows == Windows(native: 8192, effective: 131072))
    #expect(view.rope.lowFreqFactor == 1)
    #expect(view.rope.highFreqFactor == 4)
    #expect(view.rope.theta == 500000)
    #expect(view.value("model.rope.scaled_original") == 65536)
    #expect(view.value("model.window.tokenizer") == 131072)
    #expect(view.value("model.rope.finetuned") == true)
    #expect(view.fact("model.rope.finetuned")?.location == Self.llama31.location("rope_scaling.rope_type"))
    #expect(view.fact("model.window.native")?.location == Self.llama31.location("rope_scaling.original_max_position_embeddings"))
    #expect(view.fact("model.window.effective")?.location == Self.llama31.location("max_position_embeddings"))
    #expect(view.fact("model.rope.factor")?.location == Self.llama31.location("rope_scaling.factor"))
    #expect(view.fact("model.rope.type_declared")?.location == Self.llama31.location("rope_scaling.rope_type"))
    #expect(view.value("model.rope.type_known") == true)
    // Only rope_type is written, so neither field fact appears.
    #expect(view.fact("model.rope.type_field") == nil)
  }

  @Test func llama31RuntimesDoNotMultiply() {
    let view = ModelView.build(artifacts: [Self.llama31.artifact, Self.llama31Tokenizer.artifact])
    #expect(view.runtime("vllm")?.window == 131072)
    #expect(view.runtime("vllm")?.note == "max_position_embeddings 131072; llama3 is not multiplied")
    #expect(view.runtime("llama.cpp")?.window == 131072)
  }

  @Test func llama31GGUFAloneIsReadFromRopeFreqs() {
    let view = ModelView.build(artifacts: [Self.llama31GGUF.artifact])
    #expect(view.verdict.kind == .interpolated)
    #expect(view.verdict.method == .llama3)
    #expect(view.verdict.factor == 8)
    // llama3 conversion writes no original length, so the native window is not in the file.
    #expect(view.windows == Windows(native: nil, effective: 131072))
    #expect(view.verdict.summary == "131072 (llama3 x8, vendor-trained)")
    #expect(view.value("model.gguf.has_scaling") == true)
    #expect(view.value("model.rope.type_declared") == "rope_freqs")
    #expect(view.rope.frequencyDivisors?.count == 64)
    #expect(view.rope.rotaryDim == 128)
    #expect(view.fact("model.rope.method")?.location == Self.llama31GGUF.location("tensor.rope_freqs.weight"))
    #expect(view.fact("model.window.gguf")?.location == SourceLocation(path: ArtifactPath("model-Q4_K_M.gguf"), offset: 142))
    #expect(view.runtime("llama.cpp")?.window == 131072)
    #expect(view.runtime("llama.cpp")?.note == "n_ctx_train = llama.context_length 131072 (default n_ctx); rope_freqs divisors applied")
    #expect(view.runtime("ollama")?.window == nil)
    #expect(view.runtime("ollama")?.note.contains("clamped to context_length 131072") == true)
    #expect(view.runtimes.map(\.runtime) == ["llama.cpp", "ollama"])
  }

  @Test func configAndGGUFThatAgreeHaveNoDisagreement() {
    let view = ModelView.build(artifacts: [Self.llama31GGUF.artifact, Self.llama31.artifact])
    #expect(view.verdict.followed == nil)
    #expect(view.value("model.config.method") == "llama3")
    #expect(view.value("model.gguf.method") == "llama3")
    #expect(view.value("model.rope.source") == "config.json")
    // Architecture prefers general.architecture.
    #expect(view.fact("model.architecture")?.location == Self.llama31GGUF.location("kv.general.architecture"))
  }

  @Test func ggufThatLostTheScalingIsFlagged() {
    // Converted by an old llama.cpp (issue #8650): no rope_freqs tensor.
    let lost = FactFile.gguf([
      "kv.general.architecture": "llama",
      "kv.llama.context_length": 131072,
      "kv.llama.rope.freq_base": 500000.0,
      "kv.llama.rope.dimension_count": 128,
    ])
    let view = ModelView.build(artifacts: [Self.llama31.artifact, lost.artifact])
    #expect(view.value("model.gguf.has_scaling") == false)
    #expect(view.value("model.gguf.method") == "none")
    #expect(view.value("model.config.method") == "llama3")
    #expect(view.verdict.method == .llama3)
    #expect(view.verdict.followed == ArtifactPath("config.json"))
    #expect(
      view.verdict.reason
        == "vendor-trained extension (family Llama 3); config.json declares llama3 x8 from 8192, the GGUF declares none; followed config.json"
    )
    #expect(
      view.runtime("llama.cpp")?.note
        == "n_ctx_train = llama.context_length 131072 (default n_ctx); the GGUF carries no scaling although config.json declares llama3"
    )
    #expect(view.fact("model.gguf.has_scaling")?.location == lost.location("kv.llama.context_length"))
  }

  @Test func mmprojGGUFIsNotTheModel() {
    let projector = FactFile.gguf(
      ["kv.general.architecture": "clip", "kv.clip.vision.image_size": 336], path: "a-mmproj-f16.gguf")
    let view = ModelView.build(artifacts: [projector.artifact, Self.llama31GGUF.artifact])
    #expect(view.architecture == "llama")
    #expect(view.value("model.rope.source") == "model-Q4_K_M.gguf")
  }
}
