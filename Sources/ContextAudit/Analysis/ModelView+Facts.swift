extension ModelView.Assembly {
  /// The finished view: verdict, windows, runtimes and the derived `model.*` facts.
  func view() -> ModelView {
    let verdict = verdict()
    let runtimes = runtimes()
    let architecture = gguf?.architecture ?? config?.architecture
    var rope = followed?.parameters ?? ModelView.RopeParameters(method: .unknown)
    rope.finetuned = finetuned?.value
    return ModelView(
      facts: facts(verdict: verdict, runtimes: runtimes, architecture: architecture),
      verdict: verdict,
      windows: Windows(
        native: windows.native?.value, effective: windows.effective?.value, advertised: windows.advertised?.value,
        served: windows.served?.value),
      runtimes: runtimes.map(\.view), architecture: architecture?.value, rope: rope,
      advertisedClaim: claims.advertisedText)
  }

  /// Every known `model.*` fact of docs/facts.md, each at the raw fact it came from.
  func facts(verdict: Verdict, runtimes: [LocatedRuntime], architecture: ModelView.Located<String>?) -> [Fact] {
    var out: [Fact] = []
    func add(_ key: String, _ value: FactValue?, _ location: SourceLocation?) {
      guard let value, let location else { return }
      out.append(Fact(key: key, value: value, location: location))
    }
    func add<T>(_ key: String, _ located: ModelView.Located<T>?, _ convert: (T) -> FactValue) {
      guard let located else { return }
      out.append(Fact(key: key, value: convert(located.value), location: located.location))
    }
    func number(_ v: Double) -> FactValue {
      v.isFinite && v.rounded() == v && abs(v) < 9e15 ? .int(Int64(v)) : .double(v)
    }

    add("model.architecture", architecture) { .string($0) }
    add("model.remote_code", config?.remoteCode) { .bool($0) }

    if let f = followed {
      let fileLocation = SourceLocation(path: f.path)
      add("model.rope.source", .string(f.path.value), fileLocation)
      let method: RopeMethod = opaqueRemoteCode ? .unknown : f.method.value
      add("model.rope.method", .string(method.rawValue), f.method.location)
      add("model.rope.type_declared", f.declaredType) { .string($0) }
      if let known = f.typeKnown, let declared = f.declaredType { add("model.rope.type_known", .bool(known), declared.location) }
      add("model.rope.type_field", f.typeField) { .string($0) }
      add("model.rope.rope_type_field", f.ropeTypeField) { .string($0) }
      add("model.rope.factor", f.factor) { .double($0) }
      add("model.rope.original_window", f.originalWindow) { .int($0) }
      if let l0 = f.originalWindow, let s = f.factor, f.scales {
        add("model.rope.scaled_original", number(Double(l0.value) * s.value), l0.location)
      }
      add("model.rope.theta", f.theta) { .double($0) }
      add("model.rope.rotary_dim", f.rotaryDim) { .int(Int64($0)) }
      add("model.rope.half_rotary_dim", f.rotaryDim) { .int(Int64($0 / 2)) }
      add("model.rope.long_factor_count", f.longFactor) { .int(Int64($0.count)) }
      add("model.rope.short_factor_count", f.shortFactor) { .int(Int64($0.count)) }
      if let wavelength = f.parameters.longestWavelength, let theta = f.theta, ![.alibi, .absolute].contains(method) {
        add("model.rope.longest_wavelength", .double(wavelength), theta.location)
      }
      add("model.rope.finetuned", finetuned) { .bool($0) }
    }
    add("model.config.method", config?.method) { .string($0.rawValue) }
    add("model.gguf.method", gguf?.method) { .string($0.rawValue) }
    if let gguf { add("model.gguf.has_scaling", ModelView.GGUFSource.hasScaling(gguf)) { .bool($0) } }

    add("model.window.config", config?.window) { .int($0) }
    add("model.window.gguf", gguf?.window) { .int($0) }
    add("model.window.tokenizer", tokenizerWindow) { .int($0) }
    add("model.window.native", windows.native) { .int($0) }
    add("model.window.effective", windows.effective) { .int($0) }
    add("model.window.advertised", windows.advertised) { .int($0) }
    add("model.window.served", windows.served) { .int($0) }
    if let native = windows.native?.value, native > 0 {
      if let advertised = windows.advertised {
        add("model.window.advertised_ratio", .double(Double(advertised.value) / Double(native)), advertised.location)
      }
      if let served = windows.served {
        add("model.window.served_ratio", .double(Double(served.value) / Double(native)), served.location)
      }
    }
    add("model.card.native_claim", claims.native) { .int($0) }
    add("model.sliding_window", followed?.slidingWindow ?? config?.slidingWindow ?? gguf?.slidingWindow) { .int($0) }

    if let f = followed {
      add("model.verdict.kind", .string(verdict.kind.rawValue), f.method.location)
    }
    for runtime in runtimes {
      let key: String
      switch runtime.view.runtime {
      case "vllm": key = "model.runtime.vllm"
      case "llama.cpp": key = "model.runtime.llamacpp"
      case "ollama": key = "model.runtime.ollama"
      default: continue
      }
      add(key, runtime.view.window.map(FactValue.int), runtime.location)
    }
    add("model.serve.rope_override", serving.ropeOverride) { .bool($0) }
    return out
  }
}
