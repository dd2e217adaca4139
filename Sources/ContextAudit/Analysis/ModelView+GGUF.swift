extension ModelView {
  /// Reads GGUF header facts (`gguf.kv.*`, `gguf.tensor.*`) into a `SourceReading`.
  ///
  /// Keys are `{arch}.…` with `{arch}` = `general.architecture` (rope-methods.md section 6.4).
  /// The method comes from, in order: a `rope_freqs.weight` tensor (llama3 divisors, section
  /// 6.5), LongRoPE factor tensors, `rope.scaling.type`, and a bare factor (type absent means
  /// `linear` to llama.cpp, section 8.14).
  enum GGUFSource {
    /// llama.cpp architectures with ALiBi biases instead of rotary positions.
    static let alibiArchitectures: Set<String> = ["bloom", "mpt", "jais", "refact", "jina-bert-v2"]
    /// llama.cpp architectures with learned absolute positions.
    static let absoluteArchitectures: Set<String> = ["gpt2", "starcoder", "bert"]

    /// The first GGUF (by path) that names an architecture other than `clip` (mmproj projectors).
    static func pick(_ artifacts: [ParsedArtifact]) -> (artifact: ParsedArtifact, lookup: FactLookup, tensors: FactLookup)? {
      for artifact in artifacts where artifact.kind == .gguf {
        let lookup = FactLookup(artifact.facts, prefix: "gguf.kv.")
        guard let arch = lookup.string("general.architecture"), arch.value != "clip" else { continue }
        return (artifact, lookup, FactLookup(artifact.facts, prefix: "gguf.tensor."))
      }
      return nil
    }

    static func read(_ artifact: ParsedArtifact, lookup: FactLookup, tensors: FactLookup) -> SourceReading {
      var r = readFacts(artifact, lookup: lookup, tensors: tensors)
      if let error = artifact.error {
        r.unusable = ("\(artifact.path.fileName) could not be read", error.oneLine)
      }
      return r
    }

    static func readFacts(_ artifact: ParsedArtifact, lookup: FactLookup, tensors: FactLookup) -> SourceReading {
      var r = SourceReading(origin: .gguf, path: artifact.path)
      let fileLocation = SourceLocation(path: artifact.path)
      r.recognisable = true
      guard let arch = lookup.string("general.architecture") else { return r }
      r.architecture = arch
      r.family = [arch.value.lowercased()]
      func key(_ name: String) -> String { arch.value + "." + name }

      r.window = lookup.int(key("context_length")).flatMap { $0.value > 0 ? $0 : nil }
      r.windowKey = r.window == nil ? nil : key("context_length")
      if alibiArchitectures.contains(arch.value) || absoluteArchitectures.contains(arch.value) {
        r.method = Located(alibiArchitectures.contains(arch.value) ? .alibi : .absolute, arch.location)
        return r
      }
      r.theta = lookup.double(key("rope.freq_base")) ?? Located(10000, fileLocation)

      if let count = lookup.int(key("rope.dimension_count")), count.value > 0 {
        r.rotaryDim = count.map { Int($0) }
      } else if let keyLength = lookup.int(key("attention.key_length")), keyLength.value > 0 {
        r.rotaryDim = keyLength.map { Int($0) }
      } else if let embedding = lookup.int(key("embedding_length")), let heads = lookup.int(key("attention.head_count")),
        heads.value > 0
      {
        r.rotaryDim = Located(Int(embedding.value / heads.value), embedding.location)
      }

      let scalingType = lookup.string(key("rope.scaling.type"))
      // A factor of 0 means "absent" to llama.cpp; the legacy scale_linear is read only without the new key.
      let factor = [lookup.double(key("rope.scaling.factor")), lookup.double(key("rope.scale_linear"))]
        .compactMap { $0 }.first { $0.value != 0 }
      r.originalWindow = lookup.int(key("rope.scaling.original_context_length"))
      r.finetunedFlag = lookup.bool(key("rope.scaling.finetuned"))
      r.extra.betaFast = lookup.double(key("rope.scaling.yarn_beta_fast"))?.value
      r.extra.betaSlow = lookup.double(key("rope.scaling.yarn_beta_slow"))?.value
      r.extra.attentionFactor =
        (lookup.double(key("rope.scaling.yarn_attn_factor")) ?? lookup.double(key("rope.scaling.attn_factor")))?.value
      if let multiplier = lookup.double(key("rope.scaling.yarn_log_multiplier")) {
        // DeepSeek2-family converters store 0.1 × mscale_all_dim (rope-methods.md section 8.5).
        r.extra.mscaleAllDim = arch.value.hasPrefix("deepseek2") ? multiplier.value / 0.1 : multiplier.value
      }
      if let sliding = lookup.int(key("attention.sliding_window")), sliding.value > 0 { r.slidingWindow = sliding }

      let divisors = tensors.fact("rope_freqs.weight")
      let long = tensors.fact("rope_factors_long.weight")
      let short = tensors.fact("rope_factors_short.weight")
      r.declaredType = scalingType

      if let divisors {
        let values = tensors.doubles("rope_freqs.weight")
        r.frequencyDivisors = values
        r.declaredType = scalingType ?? Located("rope_freqs", divisors.location)
        if let values {
          if let s = llama3Factor(values.value) {
            r.method = Located(.llama3, divisors.location)
            r.factor = Located(s, divisors.location)
          } else {
            r.method = Located(.unknown, divisors.location)
            r.caveats.append("rope_freqs.weight divisors do not have the llama3 shape (1 rising to s)")
          }
        } else {
          // Values not materialised: the tensor alone is llama3's conversion in practice.
          r.method = Located(.llama3, divisors.location)
        }
        r.typeKnown = true
      } else if long != nil || short != nil, let evidence = long ?? short {
        r.method = Located(.longrope, evidence.location)
        r.longFactor = tensors.doubles("rope_factors_long.weight")
        r.shortFactor = tensors.doubles("rope_factors_short.weight")
        // The Phi-3 converter writes no factor: s = L / L0 (rope-methods.md section 4.5).
        if let s = factor { r.factor = s } else if let l = r.window?.value, let l0 = r.originalWindow, l0.value > 0 {
          r.factor = Located(Double(l) / Double(l0.value), l0.location)
        }
        r.typeKnown = true
      } else if let scalingType {
        switch scalingType.value {
        case "none": r.method = Located(.none, scalingType.location)
        case "linear": r.method = Located(.linear, scalingType.location)
        case "yarn": r.method = Located(.yarn, scalingType.location)
        case "longrope": r.method = Located(.longrope, scalingType.location)
        default:
          r.method = Located(.unknown, scalingType.location)
          r.caveats.append("rope.scaling.type \"\(scalingType.value)\" is not one llama.cpp knows (loading aborts)")
        }
        r.typeKnown = ["none", "linear", "yarn", "longrope"].contains(scalingType.value)
        if scalingType.value != "none" { r.factor = factor }
      } else if let factor, factor.value != 1 {
        r.method = Located(.linear, factor.location)
        r.factor = factor
      } else {
        r.method = Located(.none, r.window?.location ?? arch.location)
        r.factor = factor
      }
      return r
    }

    /// `s` when the divisors have the llama3 shape: they start at 1 and never fall (within
    /// float32 rounding); `nil` otherwise (rope-methods.md section 4.6).
    static func llama3Factor(_ divisors: [Double]) -> Double? {
      guard let first = divisors.first, let last = divisors.last, divisors.allSatisfy({ $0.isFinite }) else { return nil }
      guard abs(first - 1) < 1e-4 else { return nil }
      for (a, b) in zip(divisors, divisors.dropFirst()) where b < a * (1 - 1e-5) { return nil }
      return last
    }

    /// Whether the GGUF declares any scaling: a type other than `none` with a factor above 1,
    /// a bare factor above 1, or a per-dimension factor tensor. A `none` type or a factor of 1
    /// changes nothing at run time, so it does not count.
    static func hasScaling(_ r: SourceReading) -> Located<Bool> {
      switch r.method.value {
      case .llama3, .longrope: return Located(true, r.method.location)
      case .linear, .yarn, .dynamic, .ntk:
        let scales = (r.factor?.value ?? 1) > 1
        return Located(scales, r.factor?.location ?? r.method.location)
      case .unknown: return Located(true, r.method.location)
      case .none, .alibi, .absolute: return Located(false, r.method.location)
      }
    }
  }
}
