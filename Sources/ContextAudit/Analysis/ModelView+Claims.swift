extension ModelView {
  /// What the model cards of a unit claim (`card.claim` facts, docs/facts.md).
  struct ClaimSet: Sendable {
    /// The largest claim with role `window` or `extended`, with its text.
    var advertised: Located<Int64>?
    var advertisedText: String?
    /// The largest claim with role `native`.
    var native: Located<Int64>?

    init(artifacts: [ParsedArtifact]) {
      for fact in artifacts.flatMap(\.facts) where fact.key == "card.claim" {
        guard let claim = fact.value.objectValue, let tokens = claim["tokens"]?.intValue, tokens > 0 else { continue }
        switch claim["role"]?.stringValue {
        case "native":
          if tokens > (native?.value ?? 0) { native = Located(tokens, fact.location) }
        case "window", "extended":
          if tokens > (advertised?.value ?? 0) {
            advertised = Located(tokens, fact.location)
            advertisedText = claim["text"]?.stringValue
          }
        default: continue
        }
      }
    }
  }

  /// What the serving manifests of a unit configure (`manifest.*` facts, docs/facts.md).
  struct ServingSet: Sendable {
    /// The largest window any manifest makes a server accept (Ollama's clamped to the GGUF).
    var served: Located<Int64>?
    /// Per runtime, the largest window its manifests set, with the flag that set it.
    var vllm: Located<Int64>?
    var vllmFlag: String?
    var ollama: Located<Int64>?
    /// `num_ctx` as written, before Ollama's clamp.
    var ollamaRequested: Int64?
    var llamacpp: Located<Int64>?
    /// The first serve-time RoPE override, or `false` at the first manifest fact when there is none.
    var ropeOverride: Located<Bool>?
    var allowLongContext: Located<Bool>?

    /// - Parameter ggufWindow: `{arch}.context_length`, Ollama's hard cap (manifests-and-layouts.md section 2.5).
    init(artifacts: [ParsedArtifact], ggufWindow: Int64?) {
      var firstManifestFact: SourceLocation?
      for artifact in artifacts {
        let facts = artifact.facts.filter { $0.key.hasPrefix("manifest.") }
        guard !facts.isEmpty else { continue }
        if firstManifestFact == nil { firstManifestFact = facts[0].location }
        let servers = Set(facts.filter { $0.key == "manifest.server" }.compactMap(\.value.stringValue))
        let kinds = Set(facts.filter { $0.key == "manifest.kind" }.compactMap(\.value.stringValue))
        let isOllama =
          artifact.kind == .modelfile || !kinds.isDisjoint(with: ["modelfile", "ollama-params"]) || servers == ["ollama"]
        let isVLLM = !isOllama && (servers == ["vllm"] || kinds.contains("vllm-config"))
        let isLlamaCpp = !isOllama && !isVLLM && servers == ["llama.cpp"]
        let flag = facts.first { $0.key == "manifest.served_window_flag" }?.value.stringValue

        for fact in facts {
          if fact.key.hasPrefix("manifest.rope_override."), ropeOverride?.value != true {
            ropeOverride = Located(true, fact.location)
          }
          if fact.key == "manifest.allow_long_context", fact.value.boolValue == true, allowLongContext == nil {
            allowLongContext = Located(true, fact.location)
          }
          guard fact.key == "manifest.served_window", var window = fact.value.intValue, window > 0 else { continue }
          if isOllama {
            ollamaRequested = max(ollamaRequested ?? 0, window)
            if let cap = ggufWindow { window = min(window, cap) }
            if window > (ollama?.value ?? 0) { ollama = Located(window, fact.location) }
          } else if isVLLM {
            if window > (vllm?.value ?? 0) {
              vllm = Located(window, fact.location)
              vllmFlag = flag
            }
          } else if isLlamaCpp {
            if window > (llamacpp?.value ?? 0) { llamacpp = Located(window, fact.location) }
          }
          if window > (served?.value ?? 0) { served = Located(window, fact.location) }
        }
      }
      if ropeOverride == nil, let firstManifestFact { ropeOverride = Located(false, firstManifestFact) }
    }
  }
}
