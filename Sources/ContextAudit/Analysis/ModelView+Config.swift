extension ModelView {
  /// Reads `config.json` facts (`config.*`) into a `SourceReading`.
  ///
  /// Normalisation follows rope-methods.md sections 1.1 and 2: the effective dict is the top
  /// level, or `text_config` / `language_config` / `llm_config` when the top level has no
  /// length key; the rope dict is `rope_parameters` (v5) else `rope_scaling` (v4); a
  /// per-layer-type dict is read at `full_attention`; the method follows `rope_type` when both
  /// `type` and `rope_type` are written (v5 and vLLM semantics; v4 let `type` win, so the
  /// disagreement is recorded for a rule).
  enum ConfigSource {
    /// vLLM's length keys, in its order (rope-methods.md section 5.2).
    static let lengthKeys = [
      "max_position_embeddings", "n_positions", "max_seq_len", "seq_length", "model_max_length",
      "max_target_positions", "max_sequence_length", "max_seq_length", "seq_len",
    ]
    /// The keys the llama.cpp converter tries for `{arch}.context_length` (rope-methods.md section 6.4).
    static let converterLengthKeys = [
      "max_position_embeddings", "n_ctx", "n_positions", "max_length", "max_sequence_length", "model_max_length",
    ]
    static let nestedConfigs = ["text_config", "language_config", "llm_config"]
    /// Families with learned or sinusoidal absolute positions.
    static let absoluteFamilies: Set<String> = [
      "gpt2", "gpt_neo", "opt", "gpt_bigcode", "bert", "roberta", "xlm-roberta", "distilbert", "electra", "bart",
      "mbart", "whisper", "biogpt", "blenderbot", "xglm",
    ]
    /// Families with relative position biases: neither RoPE nor a window-bound table.
    static let relativeFamilies: Set<String> = ["t5", "mt5", "umt5", "longt5", "deberta", "deberta-v2", "xlnet"]

    /// The artifact holding `config.*` facts; a file named `config.json` is preferred.
    static func pick(_ artifacts: [ParsedArtifact]) -> (artifact: ParsedArtifact, lookup: FactLookup)? {
      let candidates = artifacts.filter { artifact in artifact.facts.contains { $0.key.hasPrefix("config.") } }
      guard let chosen = candidates.first(where: { $0.path.fileName == "config.json" }) ?? candidates.first else {
        return nil
      }
      return (chosen, FactLookup(chosen.facts, prefix: "config."))
    }

    static func read(_ artifact: ParsedArtifact, lookup: FactLookup) -> SourceReading {
      var r = readFacts(artifact, lookup: lookup)
      if let error = artifact.error {
        r.unusable = ("\(artifact.path.fileName) could not be read", error.oneLine)
      }
      return r
    }

    static func readFacts(_ artifact: ParsedArtifact, lookup: FactLookup) -> SourceReading {
      var r = SourceReading(origin: .config, path: artifact.path)
      let fileLocation = SourceLocation(path: artifact.path)

      // The effective dict: nested text config when the top level has no length key.
      var base = ""
      if !lengthKeys.contains(where: { lookup.int($0) != nil }) {
        if let nested = nestedConfigs.first(where: { lookup.present($0) }) { base = nested + "." }
      }
      /// Effective-dict key, falling back to the top level for keys the nested dict lacks.
      func key(_ name: String) -> String {
        if base.isEmpty || lookup.exists(base + name) { return base + name }
        return lookup.exists(name) ? name : base + name
      }

      let topType = lookup.string("model_type")
      let nestedType = base.isEmpty ? nil : lookup.string(base + "model_type")
      r.architecture = topType ?? nestedType
      r.family = [topType?.value, nestedType?.value].compactMap { $0?.lowercased() }
      let familySet = Set(r.family)

      // Remote code: auto_map entries that name modeling classes (AutoModel*).
      if lookup.exists("auto_map") {
        let modeling = lookup.children(of: "auto_map").first { $0.hasPrefix("AutoModel") }
        let location = modeling.flatMap { lookup.fact("auto_map." + $0)?.location }
          ?? lookup.firstFact(under: "auto_map")?.location ?? fileLocation
        r.remoteCode = Located(modeling != nil, location)
      } else {
        r.remoteCode = Located(false, fileLocation)
      }

      // Lengths.
      var lengths: [(key: String, value: Located<Int64>)] = []
      for name in lengthKeys {
        if let value = lookup.int(key(name)), value.value > 0 {
          lengths.append((name, value))
        } else if r.unusable == nil, let raw = lookup.fact(key(name)), raw.value != .null {
          // vLLM compares every length key it finds; one it cannot use breaks the load.
          r.unusable = ("\(name) is not a whole number of at least 1", "\(name) is \(ConfigJSONParser.describe(raw.value)); loaders fail on it or use a different window")
        }
      }
      if let first = lengths.first {
        r.window = first.value
        r.windowKey = first.key
      }
      r.converterWindow = converterLengthKeys.compactMap { lookup.int(key($0)) }.first { $0.value > 0 }

      // The rope dict and, for per-layer-type dicts, the full-attention entry.
      let dictName = ["rope_parameters", "rope_scaling"].map(key).first { lookup.present($0) }
      let nullDict = ["rope_parameters", "rope_scaling"].map(key).first { lookup.exists($0) }
      var dictKey = dictName
      var layerDicts: [String] = []
      if let name = dictName {
        let children = lookup.children(of: name)
        let layerTypes = children.filter { $0.hasSuffix("_attention") }
        if !layerTypes.isEmpty, !children.contains("rope_type"), !children.contains("type") {
          r.extra.layerTypes = layerTypes
          layerDicts = layerTypes.map { name + "." + $0 }
          dictKey = layerTypes.contains("full_attention") ? name + ".full_attention" : layerDicts.first
          if layerTypes.count > 1 {
            r.caveats.append("per-layer rope parameters (\(layerTypes.joined(separator: ", "))): full_attention sets the window")
          }
        } else {
          layerDicts = [name]
        }
      }
      func dict(_ field: String) -> String? { dictKey.map { $0 + "." + field } }
      if let name = dictName, let whole = lookup.fact(name), whole.value.objectValue == nil {
        r.unusable = ("\(name) is not an object", "\(name) is \(ConfigJSONParser.describe(whole.value)); loaders fail on it")
      }

      // Declared type, type vs rope_type.
      let ropeType = dict("rope_type").flatMap(lookup.string)
      let legacyType = dict("type").flatMap(lookup.string)
      if let ropeType, let legacyType {
        r.typeField = legacyType
        r.ropeTypeField = ropeType
      }
      let phi3 = familySet.contains("phi3")
      r.declaredType = ropeType ?? legacyType
      if let ropeType, let legacyType {
        let (a, _) = methodFor(type: ropeType.value, phi3: phi3)
        let (b, _) = methodFor(type: legacyType.value, phi3: phi3)
        if a != b {
          r.caveats.append(
            "type \"\(legacyType.value)\" and rope_type \"\(ropeType.value)\" disagree; followed rope_type (transformers v5; v4 used type, vLLM refuses to load)"
          )
        }
      }

      // Parameters of the chosen dict.
      r.factor = dict("factor").flatMap(lookup.double)
      if let raw = dict("factor").flatMap(lookup.fact), raw.value != .null, (r.factor?.value ?? 0) <= 0 {
        r.factor = nil
        let key = dict("factor") ?? "factor"
        r.unusable = ("\(key) is not a number above 0", "\(key) is \(ConfigJSONParser.describe(raw.value)); loaders fail on it or compute a different window")
      }
      r.finetunedFlag = dict("finetuned").flatMap(lookup.bool)
      r.extra.lowFreqFactor = dict("low_freq_factor").flatMap(lookup.double)?.value
      r.extra.highFreqFactor = dict("high_freq_factor").flatMap(lookup.double)?.value
      r.extra.betaFast = dict("beta_fast").flatMap(lookup.double)?.value
      r.extra.betaSlow = dict("beta_slow").flatMap(lookup.double)?.value
      r.extra.mscale = dict("mscale").flatMap(lookup.double)?.value
      r.extra.mscaleAllDim = dict("mscale_all_dim").flatMap(lookup.double)?.value
      r.extra.attentionFactor = dict("attention_factor").flatMap(lookup.double)?.value
      r.extra.truncate = dict("truncate").flatMap(lookup.bool)?.value
      r.shortFactor = dict("short_factor").flatMap(lookup.doubles)
      r.longFactor = dict("long_factor").flatMap(lookup.doubles)

      // Method.
      let dictLocation = dictName.flatMap { lookup.firstFact(under: $0)?.location } ?? fileLocation
      let alibiFlag = ["alibi", "use_alibi", "attn_config.alibi"].lazy.compactMap { lookup.bool(key($0)) }.first {
        $0.value
      }
      let positionType = lookup.string(key("position_embedding_type"))
      let dynamicNTK = lookup.bool(key("use_dynamic_ntk"))
      if let declared = r.declaredType {
        let (method, known) = methodFor(type: declared.value, phi3: phi3)
        r.method = Located(method, declared.location)
        r.typeKnown = known
      } else if dictName != nil {
        // A rope dict without a type is read as "default" by transformers.
        r.method = Located(.none, dictLocation)
      } else if let alibiFlag {
        r.method = Located(.alibi, alibiFlag.location)
      } else if positionType?.value == "alibi", let positionType {
        r.method = Located(.alibi, positionType.location)
      } else if familySet.contains("bloom"), let topType {
        r.method = Located(.alibi, topType.location)
      } else if positionType?.value == "absolute", let positionType {
        r.method = Located(.absolute, positionType.location)
      } else if !familySet.isDisjoint(with: absoluteFamilies), let typeFact = topType ?? nestedType {
        r.method = Located(.absolute, typeFact.location)
      } else if let dynamicNTK, dynamicNTK.value {
        // Qwen-1: dynamic NTK past seq_length, no factor (manifests brief; rope-methods.md section 4.3).
        r.method = Located(.dynamic, dynamicNTK.location)
        if let seq = lookup.int(key("seq_length")) { r.originalWindow = seq }
      } else {
        r.method = Located(.none, nullDict.flatMap { lookup.fact($0)?.location } ?? r.window?.location ?? fileLocation)
      }

      // L0: the dict value; for llama3 / yarn / longrope a top-level value wins (v5 standardization,
      // Phi-3's top-level key, rope-methods.md sections 2.2 and 4.5).
      // A zero or negative original length is no length (the invalid-value rule reports it).
      let topOriginal = lookup.int(key("original_max_position_embeddings")).flatMap { $0.value > 0 ? $0 : nil }
      let dictOriginal = dict("original_max_position_embeddings").flatMap(lookup.int).flatMap { $0.value > 0 ? $0 : nil }
      switch r.method.value {
      case .llama3, .yarn, .longrope: r.originalWindow = topOriginal ?? dictOriginal
      case .dynamic where r.originalWindow != nil: break
      default: r.originalWindow = dictOriginal
      }
      // LongRoPE without a factor: s = L / L0 (v4 always, v5 when factor is absent).
      if r.method.value == .longrope, r.factor == nil, let l = r.window?.value, let l0 = r.originalWindow, l0.value > 0 {
        r.factor = Located(Double(l) / Double(l0.value), l0.location)
      }

      // Recognisable position fields (a remote-code config without any cannot be judged).
      let positionKeys = [
        "rope_theta", "rotary_emb_base", "rope_ratio", "use_dynamic_ntk", "alibi", "use_alibi", "attn_config.alibi",
        "position_embedding_type", "rotary_pct", "partial_rotary_factor", "rotary_dim", "qk_rope_head_dim",
      ]
      r.recognisable =
        nullDict != nil || positionKeys.contains { lookup.exists(key($0)) }
        || !familySet.isDisjoint(with: absoluteFamilies.union(relativeFamilies).union(["bloom"]))

      // Theta (rope-methods.md sections 1.1, 2.2): dict, top level, GPT-NeoX name, ChatGLM rope_ratio, default.
      let usesRoPE =
        ![.alibi, .absolute].contains(r.method.value) && familySet.isDisjoint(with: relativeFamilies)
      if usesRoPE {
        let layerTheta = dictKey.flatMap { lookup.double($0 + ".rope_theta") }
        let dictTheta = dictName.flatMap { lookup.double($0 + ".rope_theta") }
        if let theta = layerTheta ?? dictTheta ?? lookup.double(key("rope_theta")) ?? lookup.double(key("rotary_emb_base")) {
          r.theta = theta
        } else if let ratio = lookup.double(key("rope_ratio")) {
          r.theta = ratio.map { 10000 * $0 }
        } else {
          r.theta = Located(10000, fileLocation)
        }
        r.rotaryDim = rotaryDim(lookup: lookup, key: key, dictKeys: [dictKey, dictName].compactMap { $0 }, family: familySet)
      }

      // Sliding window in use: set, positive, and use_sliding_window not false (Qwen2.5 ships 131072 unused).
      if let window = lookup.int(key("sliding_window")), window.value > 0,
        lookup.bool(key("use_sliding_window"))?.value != false
      {
        r.slidingWindow = window
      }

      // Windows that do not fit the declared scaling (rope-methods.md sections 4.4 and 8.1).
      if r.method.value == .yarn, let l = r.window?.value, let l0 = r.originalWindow?.value, let s = r.factor?.value {
        let scaled = Double(l0) * s
        if Double(l) != Double(l0), Double(l) != scaled {
          r.caveats.append(
            "\(r.windowKey ?? "max_position_embeddings") \(l) is neither the original \(l0) nor \(l0) x \(Format.factor(s)); transformers 4.50-4.55 used \(Format.factor(Double(l) / Double(l0))) instead of the factor"
          )
        }
      }

      // vLLM inputs.
      var ropeDicts: [VLLMInputs.RopeDict] = []
      for name in layerDicts {
        var type = lookup.string(name + ".rope_type")?.value ?? lookup.string(name + ".type")?.value ?? "default"
        if type == "su" { type = "longrope" }
        if type == "mrope" { type = "default" }
        let l0 = lookup.int(name + ".original_max_position_embeddings").flatMap { $0.value > 0 ? $0 : nil }
        let standardized = ["llama3", "yarn", "longrope"].contains(type) ? (topOriginal ?? l0) : l0
        let factor = lookup.double(name + ".factor").flatMap { $0.value > 0 ? $0 : nil }
        ropeDicts.append(.init(ropeType: type, factor: factor, originalWindow: standardized))
      }
      r.vllm = VLLMInputs(
        lengths: lengths, modelMaxLength: lookup.int(key("model_max_length")), ropeDicts: ropeDicts,
        modelTypes: r.family, topLevelOriginal: topOriginal)
      return r
    }

    /// Maps a declared type string to a method (rope-methods.md sections 2.1-2.3, 4.7, 4.8).
    ///
    /// `su` and (for Phi-3) `yarn` are LongRoPE; `mrope` and `default` are plain RoPE; `ntk`
    /// is the static NTK type of an early transformers snapshot that no released loader knows.
    static func methodFor(type: String, phi3: Bool) -> (RopeMethod, known: Bool) {
      switch type {
      case "default", "mrope", "proportional": return (.none, true)
      case "linear": return (.linear, true)
      case "dynamic": return (.dynamic, true)
      case "yarn": return (phi3 ? .longrope : .yarn, true)
      case "su", "longrope": return (.longrope, true)
      case "llama3": return (.llama3, true)
      case "ntk": return (.ntk, false)
      default: return (.unknown, false)
      }
    }

    /// `d` per rope-methods.md section 1.1: MLA `qk_rope_head_dim`, GPT-J `rotary_dim`, else
    /// `int(head_dim × partial_rotary_factor)` with `head_dim` = `head_dim` or hidden ÷ heads;
    /// ChatGLM rotates half of `kv_channels`.
    static func rotaryDim(
      lookup: FactLookup, key: (String) -> String, dictKeys: [String], family: Set<String>
    ) -> Located<Int>? {
      if let mla = lookup.int(key("qk_rope_head_dim")), mla.value > 0 { return mla.map { Int($0) } }
      if let explicit = lookup.int(key("rotary_dim")), explicit.value > 0 { return explicit.map { Int($0) } }
      var head: Located<Int64>?
      if let value = lookup.int(key("head_dim")), value.value > 0 {
        head = value
      } else if family.contains("chatglm") || family.contains("qwen"), let kv = lookup.int(key("kv_channels")), kv.value > 0 {
        head = kv
      } else {
        let hidden = ["hidden_size", "n_embd", "d_model"].compactMap { lookup.int(key($0)) }.first
        let heads = ["num_attention_heads", "n_head", "num_heads"].compactMap { lookup.int(key($0)) }.first
        if let hidden, let heads, heads.value > 0 { head = Located(hidden.value / heads.value, hidden.location) }
      }
      guard let head else { return nil }
      if family.contains("chatglm") { return Located(Int(head.value / 2), head.location) }
      let fraction =
        dictKeys.compactMap { lookup.double($0 + ".partial_rotary_factor") }.first
        ?? lookup.double(key("partial_rotary_factor")) ?? lookup.double(key("rotary_pct"))
      guard let fraction, fraction.value > 0, fraction.value < 1 else { return head.map { Int($0) } }
      return Located(Int(Double(head.value) * fraction.value), fraction.location)
    }
  }
}
