#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The normalised view of one model unit: what its files say about positions and windows.
///
/// `build(artifacts:)` reads the raw facts of every artifact of a unit (config JSONs, GGUF
/// headers, model cards, manifests; docs/facts.md) and derives:
///
/// - `facts`: the `model.*` facts of docs/facts.md that are known, each located at the raw
///   fact it came from, so a rule that reads `model.window.native` points at
///   `original_max_position_embeddings` in `config.json`;
/// - `verdict`: native / interpolated / dynamic / unknown, the method, factor and fine-tuning;
/// - `windows`: native, effective, advertised and served (manifests-and-layouts.md section 0);
/// - `runtimes`: what vLLM, llama.cpp, Ollama and transformers do with the package by default
///   (rope-methods.md sections 5.1, 5.2, 6.7; manifests-and-layouts.md section 2.5);
/// - `rope`: the RoPE parameters of the source the verdict followed, for per-dimension analysis.
///
/// When `config.json` and a GGUF both speak, the view follows `config.json` (what transformers
/// and vLLM run) and records each source's own method as `model.config.method` and
/// `model.gguf.method`, so a rule can flag the disagreement; see `notes/README-model.md`.
public struct ModelView: Hashable, Sendable {
  /// The derived `model.*` facts, in a fixed order.
  public var facts: [Fact]
  public var verdict: Verdict
  public var windows: Windows
  /// vLLM, llama.cpp, Ollama, transformers: only those the unit gives something to say about.
  public var runtimes: [RuntimeView]
  /// `general.architecture` of the GGUF, else `model_type` of `config.json`.
  public var architecture: String?
  /// The RoPE parameters of the followed source.
  public var rope: RopeParameters
  /// The card text behind the advertised window, when a card claims one.
  public var advertisedClaim: String?

  public init(
    facts: [Fact], verdict: Verdict, windows: Windows, runtimes: [RuntimeView], architecture: String?,
    rope: RopeParameters, advertisedClaim: String? = nil
  ) {
    self.facts = facts
    self.verdict = verdict
    self.windows = windows
    self.runtimes = runtimes
    self.architecture = architecture
    self.rope = rope
    self.advertisedClaim = advertisedClaim
  }

  /// The first derived fact with `key`, if known.
  public func fact(_ key: String) -> Fact? { facts.first { $0.key == key } }

  /// RoPE parameters after normalisation, in the spelling of rope-methods.md section 0.
  ///
  /// Lengths are in tokens. Values a source does not give stay `nil`, except `theta`, which
  /// defaults to 10000 for RoPE models as every loader does (rope-methods.md sections 2.2, 6.4).
  public struct RopeParameters: Hashable, Sendable {
    public var method: RopeMethod
    /// The type string as the source wrote it (`su`, `yarn`, `mrope`, `rope_freqs` for a bare GGUF tensor).
    public var declaredType: String?
    /// `d`, the number of rotated channels per head (rope-methods.md section 1).
    public var rotaryDim: Int?
    /// `θ`, the base.
    public var theta: Double?
    /// `s`.
    public var factor: Double?
    /// `L0`, the pre-extension length the source declares.
    public var originalWindow: Int64?
    /// `L`, `max_position_embeddings` (or the first length key) / GGUF `context_length`.
    public var window: Int64?
    public var lowFreqFactor: Double?
    public var highFreqFactor: Double?
    public var betaFast: Double?
    public var betaSlow: Double?
    public var mscale: Double?
    public var mscaleAllDim: Double?
    /// YaRN / LongRoPE attention factor as declared (GGUF: `yarn_attn_factor`, else `attn_factor`).
    public var attentionFactor: Double?
    /// YaRN `truncate`; `nil` means the default (`true`).
    public var truncate: Bool?
    public var shortFactor: [Double]?
    public var longFactor: [Double]?
    /// GGUF `rope_freqs.weight`: per-pair divisors (llama3 conversion, rope-methods.md section 6.5).
    public var frequencyDivisors: [Double]?
    /// Fine-tuned at the long length: explicit flag, vendor allow-list, or `nil` for unknown.
    public var finetuned: Bool?
    /// Layer types of a per-layer-type rope dict (`full_attention`, `sliding_attention`); empty otherwise.
    public var layerTypes: [String]

    public init(
      method: RopeMethod = .none, declaredType: String? = nil, rotaryDim: Int? = nil, theta: Double? = nil,
      factor: Double? = nil, originalWindow: Int64? = nil, window: Int64? = nil, lowFreqFactor: Double? = nil,
      highFreqFactor: Double? = nil, betaFast: Double? = nil, betaSlow: Double? = nil, mscale: Double? = nil,
      mscaleAllDim: Double? = nil, attentionFactor: Double? = nil, truncate: Bool? = nil,
      shortFactor: [Double]? = nil, longFactor: [Double]? = nil, frequencyDivisors: [Double]? = nil,
      finetuned: Bool? = nil, layerTypes: [String] = []
    ) {
      self.method = method
      self.declaredType = declaredType
      self.rotaryDim = rotaryDim
      self.theta = theta
      self.factor = factor
      self.originalWindow = originalWindow
      self.window = window
      self.lowFreqFactor = lowFreqFactor
      self.highFreqFactor = highFreqFactor
      self.betaFast = betaFast
      self.betaSlow = betaSlow
      self.mscale = mscale
      self.mscaleAllDim = mscaleAllDim
      self.attentionFactor = attentionFactor
      self.truncate = truncate
      self.shortFactor = shortFactor
      self.longFactor = longFactor
      self.frequencyDivisors = frequencyDivisors
      self.finetuned = finetuned
      self.layerTypes = layerTypes
    }

    /// `2π · θ^((d−2)/d)` in tokens: the wavelength of the slowest rotating pair at `s = 1`;
    /// `nil` for a `d` the analysis refuses (``RoPEParameters/maxRotaryDim``).
    public var longestWavelength: Double? {
      guard let theta, let rotaryDim, rotaryDim >= 2, rotaryDim <= RoPEParameters.maxRotaryDim, theta > 0 else {
        return nil
      }
      let d = Double(rotaryDim)
      return 2 * Double.pi * pow(theta, (d - 2) / d)
    }
  }

  /// Builds the view of one model unit from all its parsed artifacts.
  ///
  /// Never fails: missing or unreadable artifacts leave the parts they would have informed
  /// unknown (`nil`, absent facts, verdict `unknown`). Artifacts that failed to parse still
  /// contribute the facts read before the error.
  public static func build(artifacts: [ParsedArtifact]) -> ModelView {
    let sorted = artifacts.sorted { $0.path < $1.path }
    let config = ConfigSource.pick(sorted)
    let gguf = GGUFSource.pick(sorted)
    let tokenizer = sorted.lazy.compactMap { artifact -> Located<Int64>? in
      FactLookup(artifact.facts, prefix: "tokenizer_config.").realLength("model_max_length")
    }.first
    let configReading = config.map { ConfigSource.read($0.artifact, lookup: $0.lookup) }
    let ggufReading = gguf.map { GGUFSource.read($0.artifact, lookup: $0.lookup, tensors: $0.tensors) }
    let claims = ClaimSet(artifacts: sorted)
    let serving = ServingSet(artifacts: sorted, ggufWindow: ggufReading?.window?.value)

    var assembly = Assembly(
      config: configReading, gguf: ggufReading, tokenizerWindow: tokenizer, claims: claims, serving: serving)
    let broken = sorted.filter { ($0.kind == .gguf || $0.kind == .configJSON) && $0.error != nil }
    if let unread = broken.first(where: { $0.kind == .gguf || $0.path.fileName == "config.json" }) ?? broken.first,
      let error = unread.error
    {
      assembly.unreadSource = (unread.path, error.oneLine)
    }
    assembly.resolve()
    return assembly.view()
  }
}

extension ModelView.FactLookup {
  /// A length that is a real number of tokens: positive and below the `1e30` "no limit"
  /// sentinel transformers writes into `model_max_length` (anything at or above 1e15 is ignored).
  func realLength(_ key: String) -> ModelView.Located<Int64>? {
    guard let found = fact(key), let value = found.value.doubleValue, value.isFinite, value > 0, value < 1e15 else {
      return nil
    }
    return ModelView.Located(Int64(value), found.location)
  }
}
