import ContextAudit
import Testing

/// Models whose positions are not plain scaled RoPE: Qwen-1 dynamic NTK, ALiBi, absolute
/// positions, remote-code ChatGLM, and Command-R's model_max_length.
@Suite struct ModelViewPositionKindTests {
  /// Qwen/Qwen-7B config.json (v1.1).
  static let qwen1 = FactFile.config([
    "architectures": .array(["QWenLMHeadModel"]),
    "auto_map.AutoConfig": "configuration_qwen.QWenConfig",
    "auto_map.AutoModelForCausalLM": "modeling_qwen.QWenLMHeadModel",
    "hidden_size": 4096,
    "kv_channels": 128,
    "max_position_embeddings": 32768,
    "model_type": "qwen",
    "num_attention_heads": 32,
    "rotary_emb_base": 10000,
    "rotary_pct": 1.0,
    "seq_length": 8192,
    "use_dynamic_ntk": true,
    "use_logn_attn": true,
    "vocab_size": 151936,
  ])
  /// bigscience/bloom-560m config.json: ALiBi, and no length key at all.
  static let bloom = FactFile.config([
    "architectures": .array(["BloomForCausalLM"]),
    "hidden_size": 1024,
    "model_type": "bloom",
    "n_head": 16,
    "n_layer": 24,
    "offset_alibi": 100,
    "vocab_size": 250880,
  ])
  /// openai-community/gpt2 config.json.
  static let gpt2 = FactFile.config([
    "activation_function": "gelu_new",
    "architectures": .array(["GPT2LMHeadModel"]),
    "model_type": "gpt2",
    "n_ctx": 1024,
    "n_embd": 768,
    "n_head": 12,
    "n_layer": 12,
    "n_positions": 1024,
    "vocab_size": 50257,
  ])
  /// THUDM/chatglm3-6b config.json: remote code and no position field transformers knows.
  static let chatglm3 = FactFile.config([
    "architectures": .array(["ChatGLMModel"]),
    "auto_map.AutoConfig": "configuration_chatglm.ChatGLMConfig",
    "auto_map.AutoModel": "modeling_chatglm.ChatGLMForConditionalGeneration",
    "auto_map.AutoModelForCausalLM": "modeling_chatglm.ChatGLMForConditionalGeneration",
    "hidden_size": 4096,
    "kv_channels": 128,
    "model_type": "chatglm",
    "multi_query_attention": true,
    "num_attention_heads": 32,
    "num_layers": 28,
    "original_rope": true,
    "padded_vocab_size": 65024,
    "seq_length": 8192,
  ])

  @Test func qwen1UseDynamicNTKIsDynamic() {
    let view = ModelView.build(artifacts: [Self.qwen1.artifact])
    #expect(view.verdict.kind == .dynamic)
    #expect(view.verdict.method == .dynamic)
    #expect(view.verdict.factor == nil)
    #expect(view.verdict.summary == "32768 (dynamic NTK from 8192, fine-tuning unknown)")
    #expect(view.windows == Windows(native: 8192, effective: 32768))
    #expect(view.fact("model.rope.method")?.location == Self.qwen1.location("use_dynamic_ntk"))
    #expect(view.fact("model.window.native")?.location == Self.qwen1.location("seq_length"))
    #expect(view.value("model.rope.theta") == .double(10000))
    #expect(view.fact("model.rope.theta")?.location == Self.qwen1.location("rotary_emb_base"))
    #expect(view.value("model.rope.rotary_dim") == 128)
    #expect(view.value("model.verdict.kind") == "dynamic")
  }

  @Test func qwen1RuntimeViews() {
    let view = ModelView.build(artifacts: [Self.qwen1.artifact])
    #expect(view.runtime("vllm")?.window == 8192)
    #expect(view.runtime("vllm")?.note == "min over length keys: seq_length 8192")
    #expect(view.fact("model.runtime.vllm")?.location == Self.qwen1.location("seq_length"))
    #expect(view.runtime("llama.cpp")?.window == 32768)
    #expect(
      view.runtime("llama.cpp")?.note
        == "no GGUF; the converter would write context_length 32768 verbatim; dynamic NTK is dropped on conversion (plain RoPE)"
    )
    #expect(
      view.runtime("transformers")?.note
        == "no hard limit; max_position_embeddings 32768 is descriptive; dynamic NTK rescales the base past 8192 at run time")
  }

  @Test func bloomIsALiBiWithoutALength() {
    let view = ModelView.build(artifacts: [Self.bloom.artifact])
    #expect(view.verdict.kind == .native)
    #expect(view.verdict.method == .alibi)
    #expect(view.verdict.summary == "native (ALiBi), no length in the files")
    #expect(view.windows == Windows())
    #expect(view.fact("model.rope.method")?.location == Self.bloom.location("model_type"))
    #expect(view.fact("model.rope.theta") == nil)
    #expect(view.fact("model.rope.longest_wavelength") == nil)
    #expect(view.runtime("vllm")?.window == 2048)
    #expect(view.runtime("vllm")?.note == "no length key in config.json; vLLM falls back to 2048")
    #expect(view.runtime("llama.cpp") == nil)
  }

  @Test func bloomGGUFIsALiBiWithoutATheta() {
    let gguf = FactFile.gguf([
      "kv.general.architecture": "bloom", "kv.bloom.context_length": 2048, "kv.bloom.embedding_length": 1024,
    ])
    let view = ModelView.build(artifacts: [gguf.artifact])
    #expect(view.verdict.summary == "2048 native (ALiBi)")
    #expect(view.fact("model.rope.method")?.location == gguf.location("kv.general.architecture"))
    #expect(view.fact("model.rope.theta") == nil)
    #expect(view.value("model.gguf.has_scaling") == false)
  }

  @Test func mptAlibiFlagInAttnConfig() {
    // mosaicml/mpt-7b config.json.
    let mpt = FactFile.config([
      "attn_config.alibi": true, "attn_config.attn_type": "multihead_attention", "d_model": 4096,
      "max_seq_len": 2048, "model_type": "mpt", "n_heads": 32,
    ])
    let view = ModelView.build(artifacts: [mpt.artifact])
    #expect(view.verdict.summary == "2048 native (ALiBi)")
    #expect(view.fact("model.rope.method")?.location == mpt.location("attn_config.alibi"))
    #expect(view.runtime("vllm")?.window == 2048)
  }

  @Test func gpt2HasAbsolutePositions() {
    let view = ModelView.build(artifacts: [Self.gpt2.artifact])
    #expect(view.verdict.kind == .native)
    #expect(view.verdict.method == .absolute)
    #expect(view.verdict.summary == "1024 native (absolute positions)")
    #expect(view.value("model.window.config") == 1024)
    #expect(view.fact("model.window.config")?.location == Self.gpt2.location("n_positions"))
    #expect(view.fact("model.rope.theta") == nil)
    #expect(view.runtime("vllm")?.window == 1024)
    #expect(view.runtime("llama.cpp")?.window == 1024)
    #expect(view.fact("model.runtime.llamacpp")?.location == Self.gpt2.location("n_ctx"))
  }

  @Test func chatglmRemoteCodeIsUnknown() {
    let view = ModelView.build(artifacts: [Self.chatglm3.artifact])
    #expect(view.verdict.kind == .unknown)
    #expect(view.verdict.method == .unknown)
    #expect(view.verdict.summary == "unknown: remote code may change RoPE")
    #expect(view.verdict.reason == "auto_map names modeling code and config.json declares no position fields")
    #expect(view.value("model.remote_code") == true)
    #expect(view.fact("model.remote_code")?.location == Self.chatglm3.location("auto_map.AutoModel"))
    #expect(view.value("model.rope.method") == "unknown")
    #expect(view.value("model.config.method") == "none")
    #expect(view.value("model.verdict.kind") == "unknown")
    // ChatGLM rotates half of kv_channels.
    #expect(view.value("model.rope.rotary_dim") == 64)
    #expect(view.windows == Windows(native: 8192, effective: 8192))
    #expect(view.runtime("vllm")?.window == 8192)
  }

  @Test func chatglmRopeRatioRaisesTheBase() {
    // THUDM/chatglm3-6b-32k: rope_ratio 50 multiplies the base 10000.
    let long = FactFile.config([
      "auto_map.AutoModel": "modeling_chatglm.ChatGLMForConditionalGeneration", "kv_channels": 128,
      "model_type": "chatglm", "rope_ratio": 50, "seq_length": 32768,
    ])
    let view = ModelView.build(artifacts: [long.artifact])
    #expect(view.verdict.kind == .native)
    #expect(view.verdict.summary == "32768 native (no scaling)")
    #expect(view.rope.theta == 500000)
    #expect(view.fact("model.rope.theta")?.location == long.location("rope_ratio"))
  }

  @Test func remoteCodeConfigWithAGGUFFollowsTheGGUF() {
    let gguf = FactFile.gguf([
      "kv.general.architecture": "chatglm",
      "kv.chatglm.context_length": 8192,
      "kv.chatglm.rope.dimension_count": 64,
      "kv.chatglm.rope.freq_base": 10000.0,
    ])
    let view = ModelView.build(artifacts: [Self.chatglm3.artifact, gguf.artifact])
    #expect(view.verdict.kind == .native)
    #expect(view.verdict.summary == "8192 native (no scaling)")
    #expect(view.verdict.followed == ArtifactPath("model-Q4_K_M.gguf"))
    #expect(view.verdict.reason == "config.json names remote modeling code and no position fields; followed the GGUF")
    #expect(view.value("model.rope.source") == "model-Q4_K_M.gguf")
    #expect(view.architecture == "chatglm")
  }

  @Test func commandRModelMaxLengthOverridesVLLM() {
    // CohereForAI/c4ai-command-r-v01 config.json.
    let commandR = FactFile.config([
      "hidden_size": 8192, "max_position_embeddings": 8192, "model_max_length": 131072, "model_type": "cohere",
      "num_attention_heads": 64, "rope_theta": 8000000.0,
    ])
    let view = ModelView.build(artifacts: [commandR.artifact])
    #expect(view.runtime("vllm")?.window == 131072)
    #expect(view.runtime("vllm")?.note == "model_max_length 131072 overrides")
    #expect(view.fact("model.runtime.vllm")?.location == commandR.location("model_max_length"))
    #expect(view.verdict.summary == "8192 native (no scaling)")
  }
}
