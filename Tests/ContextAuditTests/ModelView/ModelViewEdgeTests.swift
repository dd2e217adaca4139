import ContextAudit
import Testing

/// Declared types loaders disagree on or do not know, fact shapes, duplicates, missing sources.
@Suite struct ModelViewEdgeTests {
  @Test func conflictingTypeAndRopeTypeFollowRopeType() {
    let config = FactFile.config([
      "max_position_embeddings": 16384,
      "model_type": "llama",
      "rope_scaling.factor": 4.0,
      "rope_scaling.original_max_position_embeddings": 4096,
      "rope_scaling.rope_type": "yarn",
      "rope_scaling.type": "linear",
    ])
    let view = ModelView.build(artifacts: [config.artifact])
    #expect(view.verdict.method == .yarn)
    #expect(view.value("model.rope.type_field") == "linear")
    #expect(view.value("model.rope.rope_type_field") == "yarn")
    #expect(view.fact("model.rope.type_field")?.location == config.location("rope_scaling.type"))
    #expect(view.fact("model.rope.rope_type_field")?.location == config.location("rope_scaling.rope_type"))
    #expect(view.value("model.rope.type_declared") == "yarn")
    #expect(
      view.verdict.reason
        == "type \"linear\" and rope_type \"yarn\" disagree; followed rope_type (transformers v5; v4 used type, vLLM refuses to load)"
    )
    #expect(view.runtime("vllm")?.note.hasSuffix("vLLM refuses to load: type \"linear\" and rope_type \"yarn\" differ") == true)
  }

  @Test func equivalentTypeSpellingsAreNotAConflict() {
    let config = FactFile.config([
      "max_position_embeddings": 131072, "model_type": "phi3", "original_max_position_embeddings": 4096,
      "rope_scaling.rope_type": "longrope", "rope_scaling.type": "su",
    ])
    let view = ModelView.build(artifacts: [config.artifact])
    #expect(view.value("model.rope.type_field") == "su")
    #expect(view.value("model.rope.rope_type_field") == "longrope")
    #expect(view.verdict.reason == "vendor-trained extension (family Phi-3)")
    #expect(view.runtime("vllm")?.note.contains("refuses") == false)
  }

  @Test func unknownRopeTypeMakesTheVerdictUnknown() {
    let config = FactFile.config([
      "max_position_embeddings": 16384,
      "model_type": "llama",
      "rope_scaling.factor": 4.0,
      "rope_scaling.original_max_position_embeddings": 4096,
      "rope_scaling.type": "ntk-by-parts",
    ])
    let view = ModelView.build(artifacts: [config.artifact])
    #expect(view.verdict.kind == .unknown)
    #expect(view.verdict.method == .unknown)
    #expect(view.verdict.summary == "unknown: rope type \"ntk-by-parts\" is not one loaders know")
    #expect(view.value("model.rope.type_known") == false)
    #expect(view.fact("model.rope.type_known")?.location == config.location("rope_scaling.type"))
    #expect(view.value("model.rope.method") == "unknown")
    #expect(view.windows == Windows(native: 4096, effective: nil))
    #expect(view.fact("model.window.effective") == nil)
  }

  @Test func staticNTKIsInterpolatedButUnknownToLoaders() {
    let config = FactFile.config([
      "max_position_embeddings": 4096, "model_type": "llama", "rope_scaling.factor": 2.0, "rope_scaling.type": "ntk",
    ])
    let view = ModelView.build(artifacts: [config.artifact])
    #expect(view.verdict.kind == .interpolated)
    #expect(view.verdict.method == .ntk)
    #expect(view.value("model.rope.type_known") == false)
    #expect(view.verdict.summary == "8192 = 4096 x 2 (NTK, fine-tuning unknown)")
  }

  @Test func dynamicRopeTypeWithAFactor() {
    // internlm/internlm2-chat-7b style: rope_scaling {type: dynamic, factor: 2.0} on 32768.
    let config = FactFile.config([
      "auto_map.AutoModelForCausalLM": "modeling_internlm2.InternLM2ForCausalLM", "hidden_size": 4096,
      "max_position_embeddings": 32768, "model_type": "internlm2", "num_attention_heads": 32,
      "rope_scaling.factor": 2.0, "rope_scaling.type": "dynamic", "rope_theta": 1000000,
    ])
    let view = ModelView.build(artifacts: [config.artifact])
    #expect(view.verdict.kind == .dynamic)
    #expect(view.verdict.summary == "65536 = 32768 x 2 (dynamic NTK, fine-tuning unknown)")
    #expect(view.verdict.reason?.contains("ambiguous: max_position_embeddings 32768 may already be the extended length") == true)
    #expect(view.runtime("vllm")?.window == 65536)
    #expect(view.runtime("llama.cpp")?.note.hasSuffix("dynamic NTK is dropped on conversion (plain RoPE)") == true)
  }

  @Test func factorOneIsNoScaling() {
    let config = FactFile.config([
      "max_position_embeddings": 4096, "model_type": "llama", "rope_scaling.factor": 1.0, "rope_scaling.type": "linear",
    ])
    let view = ModelView.build(artifacts: [config.artifact])
    #expect(view.verdict.kind == .native)
    #expect(view.verdict.method == .linear)
    #expect(view.verdict.summary == "4096 native (linear x1 is no scaling)")
    #expect(view.windows == Windows(native: 4096, effective: 4096))
    #expect(view.fact("model.rope.finetuned") == nil)
  }

  @Test func mropeIsPlainRoPE() {
    // Qwen/Qwen2-VL-7B-Instruct: mrope sections, no length scaling.
    let config = FactFile.config([
      "hidden_size": 3584, "max_position_embeddings": 32768, "model_type": "qwen2_vl", "num_attention_heads": 28,
      "rope_scaling.mrope_section": .array([16, 24, 24]), "rope_scaling.type": "mrope", "rope_theta": 1000000.0,
    ])
    let view = ModelView.build(artifacts: [config.artifact])
    #expect(view.verdict.summary == "32768 native (no scaling)")
    #expect(view.value("model.rope.type_declared") == "mrope")
    #expect(view.value("model.rope.type_known") == true)
    #expect(view.runtime("vllm")?.window == 32768)
  }

  @Test func indexedArrayLeavesAreAssembled() {
    let config = FactFile.config([
      "max_position_embeddings": 16384, "model_type": "llama", "original_max_position_embeddings": 4096,
      "rope_scaling.type": "longrope",
      "rope_scaling.long_factor[0]": 4.0, "rope_scaling.long_factor[1]": 4.0,
      "rope_scaling.short_factor[0]": 1.0, "rope_scaling.short_factor[1]": 1.0,
    ])
    let view = ModelView.build(artifacts: [config.artifact])
    #expect(view.rope.longFactor == [4, 4])
    #expect(view.value("model.rope.long_factor_count") == 2)
    #expect(view.fact("model.rope.long_factor_count")?.location == config.location("rope_scaling.long_factor[0]"))
    // Not an allow-listed family: LongRoPE fine-tuning is unknown.
    #expect(view.verdict.summary == "16384 = 4096 x 4 (LongRoPE, fine-tuning unknown)")
  }

  @Test func aDuplicatedKeyIsReadAsPythonDoes() {
    let config = FactFile.config([
      "max_position_embeddings": 4096, "model_type": "llama", "rope_scaling.factor": 2.0, "rope_scaling.type": "linear",
    ])
    let later = Fact(
      key: "config.rope_scaling.factor", value: 4.0,
      location: SourceLocation(path: ArtifactPath("config.json"), line: 7, column: 5, keyPath: "rope_scaling.factor"))
    var artifact = config.artifact
    artifact.facts.append(later)
    let view = ModelView.build(artifacts: [artifact])
    #expect(view.verdict.factor == 4)
    #expect(view.fact("model.rope.factor")?.location == later.location)
  }

  @Test func aCardAloneGivesNoVerdict() {
    let card = FactFile.card([(line: 5, text: "128K context", tokens: 131072, role: "window", method: nil)])
    let view = ModelView.build(artifacts: [card.artifact])
    #expect(view.verdict.kind == .unknown)
    #expect(view.verdict.summary == "unknown: no config.json or GGUF in the unit")
    #expect(view.windows == Windows(advertised: 131072))
    #expect(view.runtimes.isEmpty)
    #expect(view.fact("model.window.advertised_ratio") == nil)
    #expect(view.facts.map(\.key) == ["model.window.advertised"])
  }

  @Test func nothingAtAllStillBuilds() {
    let view = ModelView.build(artifacts: [])
    #expect(view.verdict.kind == .unknown)
    #expect(view.facts.isEmpty)
    #expect(view.rope.method == .unknown)
  }

  @Test func ggufUnknownScalingTypeAbortsLlamaCpp() {
    let gguf = FactFile.gguf([
      "kv.general.architecture": "llama", "kv.llama.context_length": 4096, "kv.llama.rope.scaling.type": "xpos",
    ])
    let view = ModelView.build(artifacts: [gguf.artifact])
    #expect(view.verdict.kind == .unknown)
    #expect(view.verdict.summary == "unknown: rope type \"xpos\" is not one loaders know")
    #expect(view.verdict.reason?.contains("rope.scaling.type \"xpos\" is not one llama.cpp knows (loading aborts)") == true)
    #expect(view.value("model.rope.type_known") == false)
  }

  @Test func ggufLegacyScaleLinearMeansLinear() {
    // A 2023 SuperHOT-8k conversion: context_length 8192 and the legacy rope.scale_linear key.
    let gguf = FactFile.gguf([
      "kv.general.architecture": "llama", "kv.llama.context_length": 8192, "kv.llama.rope.scale_linear": 4.0,
    ])
    let view = ModelView.build(artifacts: [gguf.artifact])
    #expect(view.verdict.method == .linear)
    #expect(view.verdict.factor == 4)
    #expect(view.value("model.gguf.has_scaling") == true)
    #expect(view.fact("model.rope.factor")?.location == gguf.location("kv.llama.rope.scale_linear"))
    #expect(view.verdict.summary == "32768 = 8192 x 4 (linear, fine-tuning unknown)")
  }

  @Test func ggufTypeNoneIsNoScaling() {
    // HunYuan conversion: static NTK folded into freq_base, type none, factor 1.
    let gguf = FactFile.gguf([
      "kv.general.architecture": "hunyuan-dense", "kv.hunyuan-dense.context_length": 262144,
      "kv.hunyuan-dense.rope.freq_base": 11158839.9251, "kv.hunyuan-dense.rope.scaling.type": "none",
      "kv.hunyuan-dense.rope.scaling.factor": 1.0, "kv.hunyuan-dense.rope.scaling.original_context_length": 262144,
    ])
    let view = ModelView.build(artifacts: [gguf.artifact])
    #expect(view.value("model.gguf.has_scaling") == false)
    #expect(view.verdict.summary == "262144 native (no scaling)")
    #expect(view.rope.theta == 11158839.9251)
  }

  @Test func unscaledSpellingsInConfigAndGGUFAgree() {
    let gguf = FactFile.gguf([
      "kv.general.architecture": "llama", "kv.llama.context_length": 4096, "kv.llama.rope.scaling.type": "linear",
      "kv.llama.rope.scaling.factor": 1.0,
    ])
    let view = ModelView.build(artifacts: [ModelViewLlamaTests.llama2.artifact, gguf.artifact])
    #expect(view.verdict.followed == nil)
    #expect(view.verdict.reason == nil)
    #expect(view.value("model.gguf.method") == "linear")
    #expect(view.value("model.gguf.has_scaling") == false)
  }

  @Test func realTokenizerLengthCapsVLLM() {
    let tokenizer = FactFile.tokenizer(["model_max_length": 2048])
    let view = ModelView.build(artifacts: [ModelViewLlamaTests.llama2.artifact, tokenizer.artifact])
    #expect(view.value("model.window.tokenizer") == 2048)
    #expect(view.fact("model.window.tokenizer")?.location == tokenizer.location("model_max_length"))
    #expect(view.runtime("vllm")?.window == 2048)
    #expect(view.runtime("vllm")?.note == "max_position_embeddings 4096; capped by tokenizer model_max_length 2048")
    #expect(view.fact("model.runtime.vllm")?.location == tokenizer.location("model_max_length"))
  }

  @Test func everyDerivedFactIsLocatedInAnArtifactOfTheUnit() {
    let artifacts = [
      ModelViewQwenTests.qwen25.artifact, ModelViewQwenTests.qwen25Card.artifact,
      ModelViewQwenTests.vllmDeployment.artifact, ModelViewQwenTests.qwen25RecipeGGUF.artifact,
    ]
    let view = ModelView.build(artifacts: artifacts)
    let paths = Set(artifacts.map(\.path))
    #expect(!view.facts.isEmpty)
    for fact in view.facts {
      #expect(fact.key.hasPrefix("model."))
      #expect(paths.contains(fact.location.path), "\(fact.key) at \(fact.location.path)")
    }
    // config.json says none, the recipe GGUF says yarn x4: flagged, config followed.
    #expect(view.value("model.config.method") == "none")
    #expect(view.value("model.gguf.method") == "yarn")
    #expect(view.verdict.followed == ArtifactPath("config.json"))
  }
}
