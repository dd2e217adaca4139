extension ModelView.Assembly {
  /// A runtime view with the location of the fact that decided its number.
  struct LocatedRuntime: Sendable {
    var view: RuntimeView
    var location: SourceLocation?
  }

  /// What each runtime does with the package by default, in the order vLLM, llama.cpp,
  /// Ollama, transformers; a runtime the unit gives nothing to say about is left out.
  func runtimes() -> [LocatedRuntime] {
    var out: [LocatedRuntime] = []
    if let config, let inputs = config.vllm { out.append(vllm(config, inputs)) }
    if let llama = llamacpp() { out.append(llama) }
    if let ollama = ollama() { out.append(ollama) }
    if let config { out.append(transformers(config)) }
    return out
  }

  /// vLLM's default `max_model_len`, step for step as `_get_and_verify_max_len`
  /// (rope-methods.md section 5.2).
  func vllm(_ config: ModelView.SourceReading, _ inputs: ModelView.VLLMInputs) -> LocatedRuntime {
    var derived = Double.infinity
    var location: SourceLocation?
    var steps: [String] = []
    for (key, value) in inputs.lengths where Double(value.value) < derived {
      derived = Double(value.value)
      location = value.location
      steps = ["\(key) \(value.value)"]
    }
    if inputs.lengths.count > 1, let first = steps.first { steps[0] = "min over length keys: " + first }
    if let override = inputs.modelMaxLength, Double(override.value) != derived {
      derived = Double(override.value)
      location = override.location
      steps = ["model_max_length \(override.value) overrides"]
    }
    if let tokenizer = tokenizerWindow, Double(tokenizer.value) < derived {
      derived = Double(tokenizer.value)
      location = tokenizer.location
      steps.append("capped by tokenizer model_max_length \(tokenizer.value)")
    }
    guard derived.isFinite else {
      return LocatedRuntime(
        view: RuntimeView(runtime: "vllm", window: 2048, note: "no length key in config.json; vLLM falls back to 2048"),
        location: SourceLocation(path: config.path))
    }
    let gemma3 = inputs.modelTypes.contains { $0.contains("gemma3") }
    var defaultLength: Double?
    if !inputs.ropeDicts.isEmpty {
      if gemma3 {
        steps.append("gemma3 is not multiplied")
      } else {
        var s = 1.0
        var factorLocation: SourceLocation?
        for dict in inputs.ropeDicts where !["su", "longrope", "llama3"].contains(dict.ropeType) {
          if let factor = dict.factor {
            s = factor.value
            factorLocation = factor.location
          }
          if dict.ropeType == "yarn" {
            // v5 standardisation fills a missing original length with max_position_embeddings.
            let base = dict.originalWindow ?? inputs.lengths.first { $0.key == "max_position_embeddings" }?.value
            if let base {
              derived = Double(base.value)
              location = base.location
              steps = ["yarn: original_max_position_embeddings \(base.value)"]
            }
          }
        }
        if s != 1 {
          derived *= s
          location = factorLocation ?? location
          steps.append("x factor \(ModelView.Format.factor(s)) (\(inputs.ropeDicts.map(\.ropeType).joined(separator: ", ")))")
        } else if inputs.ropeDicts.contains(where: { ["longrope", "llama3", "su"].contains($0.ropeType) }) {
          steps.append("\(inputs.ropeDicts[0].ropeType) is not multiplied")
        }
        if inputs.ropeDicts.contains(where: { $0.ropeType == "longrope" }) {
          let fallback = inputs.topLevelOriginal
          defaultLength = fallback.map { Double($0.value) } ?? derived
          if let fallback {
            location = fallback.location
            steps.append("default is original_max_position_embeddings \(fallback.value) for longrope")
          }
        }
      }
    }
    let value = defaultLength ?? derived
    let window = ModelView.Format.tokens(value.rounded(.down))
    if let typeField = config.typeField, let ropeTypeField = config.ropeTypeField,
      typeField.value != ropeTypeField.value,
      !(Set([typeField.value, ropeTypeField.value]) == ["su", "longrope"]),
      !(Set([typeField.value, ropeTypeField.value]) == ["mrope", "default"])
    {
      steps.append("vLLM refuses to load: type \"\(typeField.value)\" and rope_type \"\(ropeTypeField.value)\" differ")
    }
    if let served = serving.vllm {
      steps.append("a manifest sets \(serving.vllmFlag ?? "max-model-len") \(served.value)")
    }
    return LocatedRuntime(
      view: RuntimeView(runtime: "vllm", window: window, note: steps.joined(separator: "; ")), location: location)
  }

  /// llama.cpp's `n_ctx_train` (the default `n_ctx`): GGUF `context_length`, or without a GGUF
  /// what the converter would write, `max_position_embeddings` verbatim (rope-methods.md
  /// sections 5.1, 6.4, 6.7).
  func llamacpp() -> LocatedRuntime? {
    var parts: [String] = []
    let window: ModelView.Located<Int64>?
    if let gguf {
      window = gguf.window
      parts.append(window.map { "n_ctx_train = \(gguf.windowKey ?? "context_length") \($0.value) (default n_ctx)" }
        ?? "the GGUF has no context_length")
      switch gguf.method.value {
      case .yarn:
        if let s = gguf.factor?.value {
          parts.append("YaRN x\(ModelView.Format.factor(s)) from n_ctx_orig \(gguf.originalWindow?.value ?? gguf.window?.value ?? 0)")
        }
      case .longrope:
        if let l0 = gguf.originalWindow?.value { parts.append("long factors only when n_ctx > \(l0)") }
      case .llama3: parts.append("rope_freqs divisors applied")
      default: break
      }
      if let config, config.scales, !ModelView.GGUFSource.hasScaling(gguf).value {
        parts.append("the GGUF carries no scaling although \(config.path.fileName) declares \(config.method.value.rawValue)")
      }
    } else if let config {
      window = config.converterWindow
      guard let window else { return nil }
      parts.append("no GGUF; the converter would write context_length \(window.value) verbatim")
      if config.method.value == .dynamic { parts.append("dynamic NTK is dropped on conversion (plain RoPE)") }
    } else {
      return nil
    }
    if let served = serving.llamacpp { parts.append("a manifest sets \(served.value)") }
    return LocatedRuntime(
      view: RuntimeView(runtime: "llama.cpp", window: window?.value, note: parts.joined(separator: "; ")),
      location: window?.location)
  }

  /// Ollama: `num_ctx` from a Modelfile or params blob, clamped to the GGUF `context_length`;
  /// without one the default comes from `OLLAMA_CONTEXT_LENGTH` (4k/32k/256k by VRAM), so the
  /// window cannot be told (manifests-and-layouts.md section 2.5; landscape.md, Ollama).
  func ollama() -> LocatedRuntime? {
    let cap = gguf?.window?.value
    if let set = serving.ollama {
      var note = "num_ctx \(serving.ollamaRequested ?? set.value)"
      if let cap {
        note += (serving.ollamaRequested ?? 0) > cap ? ", clamped to context_length \(cap)" : " (cap: context_length \(cap))"
      }
      return LocatedRuntime(view: RuntimeView(runtime: "ollama", window: set.value, note: note), location: set.location)
    }
    guard let cap else { return nil }
    return LocatedRuntime(
      view: RuntimeView(
        runtime: "ollama", window: nil,
        note: "no num_ctx set; the default comes from OLLAMA_CONTEXT_LENGTH (4k/32k/256k by VRAM), clamped to context_length \(cap)"),
      location: nil)
  }

  /// transformers: no hard limit; `max_position_embeddings` is descriptive except for the
  /// methods that read it (rope-methods.md section 5.1).
  func transformers(_ config: ModelView.SourceReading) -> LocatedRuntime {
    var parts: [String] = []
    let l = config.window
    parts.append("no hard limit" + (l.map { "; \(config.windowKey ?? "max_position_embeddings") \($0.value) is descriptive" } ?? ""))
    switch config.method.value {
    case .dynamic: parts.append("dynamic NTK rescales the base past \(config.originalWindow?.value ?? l?.value ?? 0) at run time")
    case .longrope:
      if let l0 = config.originalWindow?.value { parts.append("long factors once positions pass \(l0)") }
    case .yarn:
      if let l = l?.value, let l0 = config.originalWindow?.value, let s = config.factor?.value, Double(l) != Double(l0) * s, l != l0 {
        parts.append("4.50-4.55 used \(l)/\(l0) as the factor instead of \(ModelView.Format.factor(s))")
      }
    default: break
    }
    return LocatedRuntime(
      view: RuntimeView(runtime: "transformers", window: l?.value, note: parts.joined(separator: "; ")), location: l?.location)
  }
}
