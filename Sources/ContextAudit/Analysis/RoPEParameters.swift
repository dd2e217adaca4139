/// The runtime whose RoPE arithmetic to reproduce; they differ in a few documented places (rope-methods.md section 8).
public enum RoPERuntime: String, Hashable, Sendable, Codable, CaseIterable {
  /// Hugging Face transformers 4.56+ and v5 (explicit YaRN factor, `truncate` honoured).
  case transformers
  /// llama.cpp with the ggml kernel: YaRN always truncated, explicit YaRN `attention_factor` ignored,
  /// dynamic NTK dropped, LongRoPE attention factor from the lengths (sections 6.6 to 6.8).
  case llamaCpp
  /// vLLM: as transformers, except dynamic NTK uses the static base for `seq = L·s` (section 4.3).
  case vllm
}

/// The RoPE settings of one model, with the keys' Hugging Face meaning (rope-methods.md sections 0 and 4).
///
/// Absent keys stay `nil`; the frequency functions then use the documented fallbacks and
/// ``missingInputs`` names what a loader would have required. Token counts are plain integers.
public struct RoPEParameters: Hashable, Sendable {
  /// `d`, the number of rotated channels per head (section 1); `ceil(d/2)` frequency pairs.
  public var rotaryDim: Int
  /// `θ`, `rope_theta` / `{arch}.rope.freq_base`.
  public var theta: Double
  /// The scaling method; `none` is plain RoPE, `ntk` a static NTK-aware base change.
  public var method: RopeMethod
  /// `s`, the scaling `factor`.
  public var factor: Double?
  /// `L0`, `original_max_position_embeddings` / `rope.scaling.original_context_length`.
  public var originalWindow: Int?
  /// `L`, `max_position_embeddings` / `{arch}.context_length`.
  public var maxWindow: Int?
  /// llama3 `low_freq_factor`.
  public var lowFreqFactor: Double?
  /// llama3 `high_freq_factor`.
  public var highFreqFactor: Double?
  /// YaRN `beta_fast` (default 32; 0 also falls back, as HF's `or` does).
  public var betaFast: Double?
  /// YaRN `beta_slow` (default 1; 0 also falls back).
  public var betaSlow: Double?
  /// YaRN/DeepSeek `mscale`.
  public var mscale: Double?
  /// YaRN/DeepSeek `mscale_all_dim`.
  public var mscaleAllDim: Double?
  /// An explicit `attention_factor` (YaRN, LongRoPE).
  public var attentionFactor: Double?
  /// YaRN `truncate`: floor/ceil the correction range (HF default `true`; gpt-oss ships `false`).
  public var truncate: Bool
  /// LongRoPE `short_factor`, one value per pair.
  public var shortFactor: [Double]?
  /// LongRoPE `long_factor`, one value per pair.
  public var longFactor: [Double]?
  /// NTK `alpha` for static NTK-aware scaling (HunYuan); `factor` is used when absent.
  public var alpha: Double?
  /// The sequence length in play: dynamic NTK recomputes its base from it, LongRoPE picks its
  /// long factors above `L0`. `nil` means "at load time" (`seq = L`, short factors).
  public var sequenceLength: Int?

  public init(
    rotaryDim: Int, theta: Double, method: RopeMethod, factor: Double? = nil, originalWindow: Int? = nil,
    maxWindow: Int? = nil, lowFreqFactor: Double? = nil, highFreqFactor: Double? = nil, betaFast: Double? = nil,
    betaSlow: Double? = nil, mscale: Double? = nil, mscaleAllDim: Double? = nil, attentionFactor: Double? = nil,
    truncate: Bool = true, shortFactor: [Double]? = nil, longFactor: [Double]? = nil, alpha: Double? = nil,
    sequenceLength: Int? = nil
  ) {
    self.rotaryDim = rotaryDim
    self.theta = theta
    self.method = method
    self.factor = factor
    self.originalWindow = originalWindow
    self.maxWindow = maxWindow
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
    self.alpha = alpha
    self.sequenceLength = sequenceLength
  }

  /// Largest rotary dimension `d` the per-pair analysis computes: 4,096 (2,048 pairs). Real heads
  /// rotate at most a few hundred channels (Gemma's 256); the bound keeps a file that claims
  /// millions (a GGUF `rope.dimension_count` of 4,259,968 took 1.7 GB and over 10 s before it
  /// existed, found by FuzzAudit) from costing memory and time in proportion to its claim.
  public static let maxRotaryDim = 4096

  /// The number of frequency pairs, `ceil(d/2)`.
  public var pairCount: Int { RoPEMath.pairCount(rotaryDim: rotaryDim) }

  /// Whether the method rotates channels at all; `alibi`, `absolute` and `unknown` have no frequencies to compute.
  public var hasRotaryFrequencies: Bool {
    switch method {
    case .none, .linear, .dynamic, .ntk, .yarn, .llama3, .longrope: return true
    case .alibi, .absolute, .unknown: return false
    }
  }

  /// Keys the method requires (HF v4 validator, section 3.1) that are absent, in HF spelling.
  ///
  /// Frequencies are still computed with fallbacks: factor 1 (YaRN and LongRoPE: `L/L0` as HF v5
  /// does), and for llama3 the llama.cpp converter's defaults `8`, `1`, `4` and `L0 = L`, else 8192.
  public var missingInputs: [String] {
    var missing: [String] = []
    switch method {
    case .linear:
      if factor == nil { missing.append("factor") }
    case .dynamic:
      if factor == nil { missing.append("factor") }
      if maxWindow == nil { missing.append("max_position_embeddings") }
    case .ntk:
      if factor == nil && alpha == nil { missing.append("factor") }
    case .yarn:
      if factor == nil { missing.append("factor") }
      if originalWindow == nil && maxWindow == nil { missing.append("original_max_position_embeddings") }
    case .longrope:
      if shortFactor == nil { missing.append("short_factor") }
      if longFactor == nil { missing.append("long_factor") }
      if originalWindow == nil && maxWindow == nil { missing.append("original_max_position_embeddings") }
    case .llama3:
      if factor == nil { missing.append("factor") }
      if lowFreqFactor == nil { missing.append("low_freq_factor") }
      if highFreqFactor == nil { missing.append("high_freq_factor") }
      if originalWindow == nil { missing.append("original_max_position_embeddings") }
    case .none, .alibi, .absolute, .unknown:
      break
    }
    return missing
  }

  /// Why the frequencies cannot be computed, or `nil` when they can; a message fragment.
  ///
  /// Only values that make the formulas meaningless are reported here (a rules engine judges the
  /// rest): `d < 2` or above ``maxRotaryDim``, `θ ≤ 1` or not finite, a non-positive or non-finite factor, `d = 2` for the
  /// NTK methods (`d/(d−2)`), LongRoPE lists whose length is not `ceil(d/2)` (HF fails to broadcast
  /// them), non-positive windows and non-finite scalars.
  public var problem: String? {
    guard rotaryDim >= 2 else { return "rotary dimension \(rotaryDim) is below 2" }
    guard rotaryDim <= Self.maxRotaryDim else {
      return "rotary dimension \(rotaryDim) is above \(Self.maxRotaryDim), the largest the analysis computes"
    }
    guard theta.isFinite, theta > 1 else { return "rope theta \(theta) is not a finite number above 1" }
    if let factor, !(factor.isFinite && factor > 0) { return "factor \(factor) is not a finite positive number" }
    if let alpha, !(alpha.isFinite && alpha > 0) { return "alpha \(alpha) is not a finite positive number" }
    if let originalWindow, originalWindow <= 0 { return "original window \(originalWindow) is not positive" }
    if let maxWindow, maxWindow <= 0 { return "max window \(maxWindow) is not positive" }
    let scalars: [(String, Double?)] = [
      ("low_freq_factor", lowFreqFactor), ("high_freq_factor", highFreqFactor), ("beta_fast", betaFast),
      ("beta_slow", betaSlow), ("mscale", mscale), ("mscale_all_dim", mscaleAllDim),
      ("attention_factor", attentionFactor),
    ]
    for case (let name, let value?) in scalars where !value.isFinite {
      return "\(name) \(value) is not a finite number"
    }
    switch method {
    case .dynamic, .ntk:
      if rotaryDim == 2 { return "rotary dimension 2 leaves the NTK exponent d/(d-2) undefined" }
    case .longrope:
      for (name, list) in [("short_factor", shortFactor), ("long_factor", longFactor)] {
        guard let list else { continue }
        if list.count != pairCount { return "\(name) has \(list.count) values (expected \(pairCount))" }
        if let bad = list.first(where: { !($0.isFinite && $0 > 0) }) {
          return "\(name) holds \(bad), not a finite positive number"
        }
      }
    case .none, .linear, .yarn, .llama3, .alibi, .absolute, .unknown:
      break
    }
    return nil
  }
}
