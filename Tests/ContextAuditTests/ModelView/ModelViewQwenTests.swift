import ContextAudit
import Testing

/// Qwen2.5 and Qwen3: shipped without scaling, extended by a documented YaRN recipe.
@Suite struct ModelViewQwenTests {
  /// Qwen/Qwen2.5-7B-Instruct config.json.
  static let qwen25 = FactFile.config([
    "architectures": .array(["Qwen2ForCausalLM"]),
    "attention_dropout": 0.0,
    "bos_token_id": 151643,
    "eos_token_id": 151645,
    "hidden_act": "silu",
    "hidden_size": 3584,
    "intermediate_size": 18944,
    "max_position_embeddings": 32768,
    "max_window_layers": 28,
    "model_type": "qwen2",
    "num_attention_heads": 28,
    "num_hidden_layers": 28,
    "num_key_value_heads": 4,
    "rms_norm_eps": 1e-06,
    "rope_theta": 1000000.0,
    "sliding_window": 131072,
    "tie_word_embeddings": false,
    "torch_dtype": "bfloat16",
    "use_cache": true,
    "use_sliding_window": false,
    "vocab_size": 152064,
  ])
  static let qwen25Tokenizer = FactFile.tokenizer(["model_max_length": 131072])
  static let qwen25Card = FactFile.card([
    (line: 31, text: "Context Length: Full 131,072 tokens and generation 8192 tokens", tokens: 131072, role: "window", method: nil)
  ])
  /// A Deployment serving it at 131072 with the card's YaRN recipe passed as --hf-overrides.
  static let vllmDeployment = FactFile.manifest([
    "kind": "kubernetes",
    "server": "vllm",
    "model": "Qwen/Qwen2.5-7B-Instruct",
    "served_window": 131072,
    "served_window_flag": "--max-model-len",
    "rope_override.hf_overrides": .object([
      "rope_scaling": .object([
        "factor": 4.0, "original_max_position_embeddings": 32768, "type": "yarn",
      ])
    ]),
  ])

  /// A plain llama.cpp conversion: context_length is max_position_embeddings, no scaling keys.
  static let qwen25GGUF = FactFile.gguf([
    "kv.general.architecture": "qwen2",
    "kv.qwen2.context_length": 32768,
    "kv.qwen2.embedding_length": 3584,
    "kv.qwen2.attention.head_count": 28,
    "kv.qwen2.rope.freq_base": 1000000.0,
  ])
  /// Converted after adding the recipe to config.json: the yarn keys are written, context_length stays 32768.
  static let qwen25RecipeGGUF = FactFile.gguf([
    "kv.general.architecture": "qwen2",
    "kv.qwen2.context_length": 32768,
    "kv.qwen2.embedding_length": 3584,
    "kv.qwen2.attention.head_count": 28,
    "kv.qwen2.rope.freq_base": 1000000.0,
    "kv.qwen2.rope.scaling.type": "yarn",
    "kv.qwen2.rope.scaling.factor": 4.0,
    "kv.qwen2.rope.scaling.original_context_length": 32768,
  ])

  /// Qwen/Qwen3-8B config.json.
  static let qwen3 = FactFile.config([
    "architectures": .array(["Qwen3ForCausalLM"]),
    "attention_bias": false,
    "head_dim": 128,
    "hidden_size": 4096,
    "intermediate_size": 12288,
    "max_position_embeddings": 40960,
    "max_window_layers": 36,
    "model_type": "qwen3",
    "num_attention_heads": 32,
    "num_hidden_layers": 36,
    "num_key_value_heads": 8,
    "rope_scaling": .null,
    "rope_theta": 1000000,
    "sliding_window": .null,
    "use_sliding_window": false,
    "vocab_size": 151936,
  ])
  static let qwen3Card = FactFile.card([
    (line: 40, text: "Context Length: 32,768 natively", tokens: 32768, role: "native", method: nil),
    (line: 40, text: "131,072 tokens with YaRN", tokens: 131072, role: "extended", method: "yarn"),
  ])
  /// Qwen3-8B with the card's recipe pasted in.
  static let qwen3Recipe = FactFile.config([
    "head_dim": 128,
    "hidden_size": 4096,
    "max_position_embeddings": 40960,
    "model_type": "qwen3",
    "num_attention_heads": 32,
    "rope_scaling.rope_type": "yarn",
    "rope_scaling.factor": 4.0,
    "rope_scaling.original_max_position_embeddings": 32768,
    "rope_theta": 1000000,
  ])

  @Test func qwen25IsNativeAt32768() {
    let view = ModelView.build(artifacts: [Self.qwen25.artifact, Self.qwen25Tokenizer.artifact])
    #expect(view.verdict.kind == .native)
    #expect(view.verdict.summary == "32768 native (no scaling)")
    #expect(view.windows == Windows(native: 32768, effective: 32768))
    #expect(view.value("model.rope.rotary_dim") == 128)
    #expect(view.value("model.rope.theta") == .double(1_000_000))
    // sliding_window 131072 is switched off by use_sliding_window false.
    #expect(view.fact("model.sliding_window") == nil)
    // vLLM: min(max_position_embeddings, tokenizer model_max_length 131072).
    #expect(view.runtime("vllm")?.window == 32768)
  }

  @Test func servingQwen25At131072WithYarnOverride() {
    let view = ModelView.build(artifacts: [
      Self.qwen25.artifact, Self.qwen25Tokenizer.artifact, Self.qwen25Card.artifact, Self.vllmDeployment.artifact,
    ])
    #expect(view.windows == Windows(native: 32768, effective: 32768, advertised: 131072, served: 131072))
    #expect(view.advertisedClaim == "Context Length: Full 131,072 tokens and generation 8192 tokens")
    #expect(view.value("model.window.served_ratio") == .double(4))
    #expect(view.value("model.window.advertised_ratio") == .double(4))
    #expect(view.fact("model.window.served")?.location == Self.vllmDeployment.location("served_window"))
    #expect(view.fact("model.window.served_ratio")?.location == Self.vllmDeployment.location("served_window"))
    #expect(
      view.fact("model.window.advertised")?.location
        == SourceLocation(path: ArtifactPath("README.md"), line: 31, column: 1))
    #expect(view.value("model.serve.rope_override") == true)
    #expect(view.fact("model.serve.rope_override")?.location == Self.vllmDeployment.location("rope_override.hf_overrides"))
    // The verdict is about the package: the override does not make the files interpolated.
    #expect(view.verdict.kind == .native)
    #expect(view.runtime("vllm")?.window == 32768)
    #expect(view.runtime("vllm")?.note == "max_position_embeddings 32768; a manifest sets --max-model-len 131072")
  }

  @Test func manifestWithoutOverrideSaysSo() {
    let plain = FactFile.manifest(["kind": "compose", "server": "vllm", "served_window": 32768])
    let view = ModelView.build(artifacts: [Self.qwen25.artifact, plain.artifact])
    #expect(view.value("model.serve.rope_override") == false)
    #expect(view.fact("model.serve.rope_override")?.location == plain.location("kind"))
    #expect(view.value("model.window.served_ratio") == .double(1))
  }

  @Test func plainQwen25GGUFHasNoScaling() {
    let view = ModelView.build(artifacts: [Self.qwen25GGUF.artifact])
    #expect(view.value("model.gguf.has_scaling") == false)
    #expect(view.verdict.summary == "32768 native (no scaling)")
    #expect(view.value("model.rope.rotary_dim") == 128)
    #expect(view.fact("model.rope.rotary_dim")?.location == Self.qwen25GGUF.location("kv.qwen2.embedding_length"))
    #expect(view.runtime("llama.cpp")?.window == 32768)
  }

  @Test func qwen25GGUFConvertedWithTheRecipe() {
    let view = ModelView.build(artifacts: [Self.qwen25RecipeGGUF.artifact])
    #expect(view.verdict.kind == .interpolated)
    #expect(view.verdict.method == .yarn)
    #expect(view.verdict.fineTuned == false)
    #expect(view.verdict.summary == "131072 = 32768 x 4 (YaRN, not fine-tuned)")
    #expect(
      view.verdict.reason == "Qwen documents this YaRN setting as an inference-time recipe, not trained at the long length")
    #expect(view.windows == Windows(native: 32768, effective: 131072))
    #expect(view.value("model.gguf.has_scaling") == true)
    #expect(view.fact("model.gguf.has_scaling")?.location == Self.qwen25RecipeGGUF.location("kv.qwen2.rope.scaling.factor"))
    #expect(view.fact("model.window.effective")?.location == Self.qwen25RecipeGGUF.location("kv.qwen2.rope.scaling.factor"))
    // llama.cpp still defaults to the written context_length.
    #expect(view.runtime("llama.cpp")?.window == 32768)
    #expect(
      view.runtime("llama.cpp")?.note
        == "n_ctx_train = qwen2.context_length 32768 (default n_ctx); YaRN x4 from n_ctx_orig 32768")
  }

  @Test func ollamaNumCtxIsClampedToTheGGUF() {
    let modelfile = FactFile.manifest(
      ["kind": "modelfile", "server": "ollama", "served_window": 65536, "served_window_flag": "num_ctx"],
      path: "Modelfile", kind: .modelfile)
    let view = ModelView.build(artifacts: [Self.qwen25GGUF.artifact, modelfile.artifact])
    #expect(view.runtime("ollama")?.window == 32768)
    #expect(view.runtime("ollama")?.note == "num_ctx 65536, clamped to context_length 32768")
    #expect(view.value("model.runtime.ollama") == 32768)
    #expect(view.fact("model.runtime.ollama")?.location == modelfile.location("served_window"))
    #expect(view.windows.served == 32768)
  }

  @Test func qwen3IsNativeAt40960AndTheCardClaims32768() {
    let view = ModelView.build(artifacts: [Self.qwen3.artifact, Self.qwen3Card.artifact])
    #expect(view.verdict.summary == "40960 native (no scaling)")
    #expect(view.windows == Windows(native: 40960, effective: 40960, advertised: 131072))
    #expect(view.value("model.card.native_claim") == 32768)
    #expect(view.fact("model.card.native_claim")?.location == SourceLocation(path: ArtifactPath("README.md"), line: 40, column: 1))
    #expect(view.value("model.window.advertised_ratio") == .double(3.2))
    #expect(view.value("model.rope.rotary_dim") == 128)
    #expect(view.fact("model.rope.rotary_dim")?.location == Self.qwen3.location("head_dim"))
  }

  @Test func qwen3WithTheRecipeReaches131072() {
    let view = ModelView.build(artifacts: [Self.qwen3Recipe.artifact])
    #expect(view.verdict.summary == "131072 = 32768 x 4 (YaRN, not fine-tuned)")
    #expect(view.windows == Windows(native: 32768, effective: 131072))
    #expect(view.value("model.rope.scaled_original") == 131072)
    #expect(
      view.verdict.reason
        == "Qwen documents this YaRN setting as an inference-time recipe, not trained at the long length; max_position_embeddings 40960 is neither the original 32768 nor 32768 x 4; transformers 4.50-4.55 used 1.25 instead of the factor"
    )
    // vLLM: yarn length is original_max_position_embeddings x factor, ignoring 40960.
    #expect(view.runtime("vllm")?.window == 131072)
    #expect(
      view.runtime("vllm")?.note == "yarn: original_max_position_embeddings 32768; x factor 4 (yarn)")
    #expect(view.fact("model.runtime.vllm")?.location == Self.qwen3Recipe.location("rope_scaling.factor"))
    #expect(view.runtime("llama.cpp")?.window == 40960)
    #expect(
      view.runtime("transformers")?.note
        == "no hard limit; max_position_embeddings 40960 is descriptive; 4.50-4.55 used 40960/32768 as the factor instead of 4")
  }
}
