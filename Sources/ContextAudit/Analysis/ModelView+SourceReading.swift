extension ModelView {
  /// What one source (a `config.json` or a GGUF header) says about positions, on its own.
  ///
  /// Every value keeps the location of the raw fact it was read from, so derived facts can
  /// point at the evidence. Values a source does not give are `nil`; defaults a loader would
  /// apply are marked by a location without a position (the artifact path alone).
  struct SourceReading: Sendable {
    enum Origin: String, Sendable { case config, gguf }

    var origin: Origin
    var path: ArtifactPath
    /// The method, located at the fact that decided it (the type string, `use_dynamic_ntk`, a tensor, …).
    var method: Located<RopeMethod>
    var declaredType: Located<String>?
    /// Whether loaders know `declaredType`; `nil` when no type was declared.
    var typeKnown: Bool?
    /// `type` and `rope_type` as written, both set only when both are written.
    var typeField: Located<String>?
    var ropeTypeField: Located<String>?
    var factor: Located<Double>?
    /// `L0`.
    var originalWindow: Located<Int64>?
    /// `L` and the key it was read from.
    var window: Located<Int64>?
    var windowKey: String?
    var theta: Located<Double>?
    var rotaryDim: Located<Int>?
    /// Explicit fine-tuning flag (`rope_scaling.finetuned`, GGUF `rope.scaling.finetuned`).
    var finetunedFlag: Located<Bool>?
    var shortFactor: Located<[Double]>?
    var longFactor: Located<[Double]>?
    var frequencyDivisors: Located<[Double]>?
    var slidingWindow: Located<Int64>?
    /// `config.json` only: `auto_map` names modeling code.
    var remoteCode: Located<Bool>?
    /// Lowercased family names: `model_type` values (top level and nested) or the GGUF architecture.
    var family: [String]
    /// `model_type` (top level) or `general.architecture`.
    var architecture: Located<String>?
    /// Whether the source carries any field that says how positions work. A remote-code config
    /// without one cannot be judged (the modeling code may do anything).
    var recognisable: Bool
    /// Other parameters, location-free; the public struct the scan hands on.
    var extra: ModelView.RopeParameters
    /// Caveats found while reading (type conflicts, odd lengths), one fragment each.
    var caveats: [String]
    /// Why the source cannot be judged although it was picked: the file failed to parse part
    /// way (loaders refuse it), or the RoPE factor is present but not a number above 0 (loaders
    /// fail or compute something else). Makes the verdict `unknown`.
    var unusable: (summary: String, reason: String)?

    /// vLLM inputs (rope-methods.md section 5.2); config only.
    var vllm: VLLMInputs?
    /// `{arch}.context_length` the llama.cpp converter would write (rope-methods.md section 6.4); config only.
    var converterWindow: Located<Int64>?

    init(origin: Origin, path: ArtifactPath) {
      self.origin = origin
      self.path = path
      self.method = Located(.none, SourceLocation(path: path))
      self.family = []
      self.recognisable = false
      self.extra = ModelView.RopeParameters()
      self.caveats = []
    }

    /// The public parameter struct with every located value filled in.
    var parameters: ModelView.RopeParameters {
      var p = extra
      p.method = method.value
      p.declaredType = declaredType?.value
      p.rotaryDim = rotaryDim?.value
      p.theta = theta?.value
      p.factor = factor?.value
      p.originalWindow = originalWindow?.value
      p.window = window?.value
      p.shortFactor = shortFactor?.value
      p.longFactor = longFactor?.value
      p.frequencyDivisors = frequencyDivisors?.value
      return p
    }

    /// Whether the declared scaling changes positions at all (`s > 1`, or a LongRoPE / llama3
    /// table whose factor could not be read).
    var scales: Bool {
      switch method.value {
      case .none, .alibi, .absolute, .unknown: return false
      case .linear, .dynamic, .ntk, .yarn, .llama3, .longrope:
        if let s = factor?.value { return s > 1 }
        return method.value != .linear
      }
    }

    /// Whether the family list contains a name with one of `prefixes`.
    func isFamily(_ prefixes: String...) -> Bool {
      family.contains { name in prefixes.contains { name.hasPrefix($0) } }
    }
  }

  /// What vLLM's `_get_and_verify_max_len` reads from a config (rope-methods.md section 5.2).
  struct VLLMInputs: Sendable {
    /// Every length key present in the effective config, in vLLM's order.
    var lengths: [(key: String, value: Located<Int64>)]
    /// Config-level `model_max_length` (Command-R style override).
    var modelMaxLength: Located<Int64>?
    /// One entry per rope dict (one for a flat dict, one per layer type otherwise).
    var ropeDicts: [RopeDict]
    /// `model_type` values, top level and text config.
    var modelTypes: [String]
    /// Top-level `original_max_position_embeddings` (the longrope default).
    var topLevelOriginal: Located<Int64>?

    struct RopeDict: Sendable {
      /// After vLLM's patching: `type` copied when `rope_type` is missing, `su` → `longrope`, `mrope` → `default`.
      var ropeType: String
      var factor: Located<Double>?
      var originalWindow: Located<Int64>?
    }
  }
}
