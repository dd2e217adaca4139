extension ModelView {
  /// Joins the per-source readings into one view: picks the source to follow, settles
  /// fine-tuning, then computes windows, verdict, runtime views and the derived facts.
  struct Assembly: Sendable {
    var config: SourceReading?
    var gguf: SourceReading?
    var tokenizerWindow: Located<Int64>?
    var claims: ClaimSet
    var serving: ServingSet

    /// The source the verdict follows.
    var followed: SourceReading?
    var finetuned: Located<Bool>?
    var finetuneReason: FinetuneReason?
    /// The allow-listed family whose published scaling was trained at the long length, set
    /// whatever the fine-tuning flags say: it also tells that `L` is already the extended length.
    var vendorFamily: String?
    /// "config.json declares …, the GGUF declares …", when they disagree.
    var disagreement: String?
    var caveats: [String] = []
    /// The config names modeling code and declares no position fields.
    var opaqueRemoteCode = false
    /// A `config.json` or GGUF that failed before giving anything to follow, with its error,
    /// so a unit whose only model file is broken says so instead of "no config.json or GGUF".
    var unreadSource: (path: ArtifactPath, message: String)?
    var windows = LocatedWindows()

    init(
      config: SourceReading?, gguf: SourceReading?, tokenizerWindow: Located<Int64>?, claims: ClaimSet,
      serving: ServingSet
    ) {
      self.config = config
      self.gguf = gguf
      self.tokenizerWindow = tokenizerWindow
      self.claims = claims
      self.serving = serving
    }

    enum FinetuneReason: Sendable, Equatable {
      /// `finetuned` written by the source (config `rope_scaling.finetuned`, GGUF `rope.scaling.finetuned`).
      case flag
      /// A vendor extension trained at the long length (manifests-and-layouts.md section 1.4).
      case vendor(String)
      /// An extension the vendor documents as an inference-time recipe (Qwen YaRN).
      case recipe(String)
    }

    /// The four windows with the location each came from.
    struct LocatedWindows: Sendable {
      var native: Located<Int64>?
      var effective: Located<Int64>?
      var advertised: Located<Int64>?
      var served: Located<Int64>?
    }

    mutating func resolve() {
      windows.advertised = claims.advertised
      windows.served = serving.served
      // Which source to follow: config.json, unless it is opaque remote code and a GGUF exists.
      if let config {
        opaqueRemoteCode = config.remoteCode?.value == true && !config.recognisable
        if opaqueRemoteCode, let gguf {
          followed = gguf
          caveats.append("config.json names remote modeling code and no position fields; followed the GGUF")
          opaqueRemoteCode = false
        } else {
          followed = config
          if config.remoteCode?.value == true, config.recognisable {
            caveats.append("auto_map names remote modeling code; the verdict reads the declared position fields")
          }
        }
      } else {
        followed = gguf
      }
      guard let followed else { return }
      caveats.append(contentsOf: followed.caveats)

      if let config, let gguf, followed.origin == .config {
        if let text = Self.disagreement(config: config, gguf: gguf) { disagreement = text }
      }
      resolveFinetuning(followed)
      resolveWindows(followed)
    }

    /// Describes how config and GGUF differ in method, factor or `L0`, or `nil` when they agree.
    static func disagreement(config: SourceReading, gguf: SourceReading) -> String? {
      func describe(_ r: SourceReading) -> String {
        var text = r.method.value.rawValue
        if let s = r.factor?.value, s != 1, r.method.value != .none { text += " x" + Format.factor(s) }
        if let l0 = r.originalWindow?.value, r.scales { text += " from \(l0)" }
        return text
      }
      // Neither scales (none, mrope, type none, a factor of 1): the runtimes compute the same frequencies.
      let unscaled: Set<RopeMethod> = [.none, .linear, .dynamic, .ntk, .yarn]
      if !config.scales, !gguf.scales, unscaled.contains(config.method.value), unscaled.contains(gguf.method.value) {
        return nil
      }
      let sameMethod = config.method.value == gguf.method.value
      let sameFactor: Bool
      switch (config.factor?.value, gguf.factor?.value) {
      case let (a?, b?): sameFactor = abs(a - b) <= 1e-3 * max(abs(a), abs(b))
      default: sameFactor = true
      }
      // llama3 conversion writes no original length (rope-methods.md section 4.6); only compare when both have one.
      let sameOriginal: Bool
      switch (config.originalWindow?.value, gguf.originalWindow?.value) {
      case let (a?, b?): sameOriginal = a == b
      default: sameOriginal = true
      }
      if sameMethod && sameFactor && sameOriginal { return nil }
      return "\(config.path.fileName) declares \(describe(config)), the GGUF declares \(describe(gguf))"
    }

    mutating func resolveFinetuning(_ f: SourceReading) {
      guard f.scales else { return }
      let other = f.origin == .config ? gguf : config
      let family = f.family + (other?.family ?? [])
      vendorFamily = Self.vendorTrained(method: f.method.value, factor: f.factor?.value, family: family)
      if let flag = f.finetunedFlag ?? other?.finetunedFlag {
        finetuned = flag
        finetuneReason = .flag
        return
      }
      if let vendor = vendorFamily {
        finetuned = Located(true, f.method.location)
        finetuneReason = .vendor(vendor)
      } else if f.method.value == .yarn, family.contains(where: { $0.hasPrefix("qwen2") || $0.hasPrefix("qwen3") }) {
        finetuned = Located(false, f.method.location)
        finetuneReason = .recipe("Qwen")
      }
    }

    /// The family whose published scaling was trained at the long length, per
    /// manifests-and-layouts.md section 1.4: llama3 (Meta's own method), Gemma 3 linear x8,
    /// Phi-3 LongRoPE, DeepSeek-V2/V3 and gpt-oss YaRN (long-context stages of pre-training).
    static func vendorTrained(method: RopeMethod, factor: Double?, family: [String]) -> String? {
      func has(_ prefixes: String...) -> Bool { family.contains { name in prefixes.contains { name.hasPrefix($0) } } }
      switch method {
      case .llama3: return "Llama 3"
      case .linear where factor == 8 && has("gemma3"): return "Gemma 3"
      case .longrope where has("phi3", "phimoe"): return "Phi-3"
      case .yarn where has("deepseek_v2", "deepseek_v3", "deepseek2", "deepseek3"): return "DeepSeek"
      case .yarn where has("gpt_oss", "gpt-oss"): return "gpt-oss"
      default: return nil
      }
    }
  }
}
