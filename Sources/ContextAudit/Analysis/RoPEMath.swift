#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The closed-form pieces of RoPE scaling that the methods share (rope-methods.md sections 0, 4, 6.7, 6.8).
///
/// All arithmetic is float64. Hugging Face computes in float32 and ggml iterates in float32, so their
/// values agree with these to about 1e-7 relative (section 7). `k` is the pair index `0 ..< ceil(d/2)`;
/// an inverse frequency is in radians per token and a wavelength in tokens.
public enum RoPEMath {
  /// The number of frequency pairs for rotary dimension `d`: `ceil(d/2)`, as HF's `arange(0, d, 2)` gives (section 1.1).
  public static func pairCount(rotaryDim d: Int) -> Int {
    d <= 0 ? 0 : d / 2 + d % 2
  }

  /// Baseline inverse frequencies `ω_k = θ^(−2k/d)` (section 0).
  ///
  /// Computed as `1 / θ^(2k/d)`, the way HF writes it. Odd `d` gives `ceil(d/2)` pairs with the
  /// odd denominator, as HF does silently (section 1.1).
  public static func baselineInverseFrequencies(rotaryDim d: Int, theta: Double) -> [Double] {
    (0..<pairCount(rotaryDim: d)).map { k in 1 / pow(theta, Double(2 * k) / Double(d)) }
  }

  /// The wavelength `λ = 2π/ω` in tokens of an inverse frequency `ω`.
  public static func wavelength(_ inverseFrequency: Double) -> Double {
    2 * Double.pi / inverseFrequency
  }

  /// The longest baseline wavelength, `2π θ^((d−2)/d)` tokens for even `d` (the last pair, `k = ceil(d/2) − 1`).
  public static func longestWavelength(rotaryDim d: Int, theta: Double) -> Double {
    let last = pairCount(rotaryDim: d) - 1
    return 2 * Double.pi * pow(theta, Double(2 * max(last, 0)) / Double(d))
  }

  /// YaRN's `get_mscale(x, c) = 1 if x ≤ 1 else 0.1·c·ln x + 1` (sections 4.4 and 6.7).
  public static func yarnMscale(_ scale: Double, _ c: Double = 1) -> Double {
    scale <= 1 ? 1 : 0.1 * c * log(scale) + 1
  }

  /// The fractional pair index whose wavelength is `L0 / rotations`: `d·ln(L0/(2π r)) / (2 ln θ)` (section 4.4).
  public static func yarnCorrectionDim(rotaryDim d: Int, theta: Double, originalWindow: Double, rotations: Double) -> Double {
    Double(d) * log(originalWindow / (2 * Double.pi * rotations)) / (2 * log(theta))
  }

  /// HF's `find_correction_range`: the YaRN band `[low, high]` in pair units (section 4.4).
  ///
  /// With `truncate` the raw bounds are floored and ceiled; then `low` is clamped at 0 and `high`
  /// at `d − 1` (not `d/2 − 1`, as HF writes it).
  public static func yarnCorrectionRange(
    rotaryDim d: Int, theta: Double, originalWindow: Double, betaFast: Double, betaSlow: Double, truncate: Bool
  ) -> (low: Double, high: Double) {
    var low = yarnCorrectionDim(rotaryDim: d, theta: theta, originalWindow: originalWindow, rotations: betaFast)
    var high = yarnCorrectionDim(rotaryDim: d, theta: theta, originalWindow: originalWindow, rotations: betaSlow)
    if truncate {
      low = low.rounded(.down)
      high = high.rounded(.up)
    }
    return (max(low, 0), min(high, Double(d - 1)))
  }

  /// ggml's `ggml_rope_yarn_corr_dims`: always floored and ceiled, clamped to `[0, n_dims − 1]` (section 6.8).
  ///
  /// This is why llama.cpp ignores HF's `truncate: false` (section 8 item 3).
  public static func ggmlYarnCorrectionRange(
    nDims: Int, freqBase: Double, nCtxOrig: Double, betaFast: Double, betaSlow: Double
  ) -> (low: Double, high: Double) {
    yarnCorrectionRange(
      rotaryDim: nDims, theta: freqBase, originalWindow: nCtxOrig, betaFast: betaFast, betaSlow: betaSlow,
      truncate: true)
  }

  /// HF's YaRN ramp for pair `k`: `clamp((k − low)/(high − low), 0, 1)`, with `high += 0.001` when the bounds meet (section 4.4).
  ///
  /// 0 keeps the pair's frequency, 1 divides it by `s`.
  public static func yarnRamp(pair k: Int, low: Double, high: Double) -> Double {
    let top = low == high ? high + 0.001 : high
    return min(max((Double(k) - low) / (top - low), 0), 1)
  }

  /// The static NTK-aware base `θ·α^(d/(d−2))` (sections 4.3 and 4.8; HunYuan's converter).
  public static func ntkTheta(theta: Double, alpha: Double, rotaryDim d: Int) -> Double {
    theta * pow(alpha, Double(d) / Double(d - 2))
  }

  /// HF dynamic NTK base at a sequence length: `θ·((s·seq/L) − (s − 1))^(d/(d−2))` with `seq = max(seq, L)` (section 4.3).
  ///
  /// At or below `L` the base is unchanged. vLLM plugs in `seq = L·s` for every length.
  public static func dynamicTheta(
    theta: Double, factor s: Double, rotaryDim d: Int, maxWindow: Double, sequenceLength: Double
  ) -> Double {
    let seq = max(sequenceLength, maxWindow)
    return theta * pow(s * seq / maxWindow - (s - 1), Double(d) / Double(d - 2))
  }

  /// The LongRoPE attention factor `sqrt(1 + ln s / ln L0)`, or 1 when `s ≤ 1` (section 4.5).
  public static func longropeAttentionFactor(scale s: Double, originalWindow: Double) -> Double {
    s <= 1 ? 1 : (1 + log(s) / log(originalWindow)).squareRoot()
  }

  /// The per-token angle of each pair as ggml's rope kernel computes it (section 6.8), in float64.
  ///
  /// `theta_extrap = base^(−2k/n_dims) / ff[k]`, `theta_interp = freqScale · theta_extrap`; with a
  /// non-zero `extFactor` the two are mixed by `ramp_mix = (1 − clamp((k − lo)/max(0.001, hi − lo))) · extFactor`
  /// over the always-truncated YaRN range. `freqFactors` (the `rope_freqs` or `rope_factors_*`
  /// tensor) must hold at least `nDims/2` values when given.
  /// - Returns: `nDims/2` inverse frequencies, or an empty array when `freqFactors` is too short.
  public static func ggmlInverseFrequencies(
    nDims: Int, freqBase: Double, freqScale: Double, extFactor: Double, nCtxOrig: Double,
    betaFast: Double = 32, betaSlow: Double = 1, freqFactors: [Double]? = nil
  ) -> [Double] {
    let count = max(nDims, 0) / 2
    if let freqFactors, freqFactors.count < count { return [] }
    let corr = ggmlYarnCorrectionRange(
      nDims: nDims, freqBase: freqBase, nCtxOrig: nCtxOrig, betaFast: betaFast, betaSlow: betaSlow)
    let thetaScale = pow(freqBase, -2 / Double(nDims))
    return (0..<count).map { k in
      let extrapolated = pow(thetaScale, Double(k)) / (freqFactors?[k] ?? 1)
      let interpolated = freqScale * extrapolated
      guard extFactor != 0 else { return interpolated }
      let y = (Double(k) - corr.low) / max(0.001, corr.high - corr.low)
      let rampMix = (1 - min(max(y, 0), 1)) * extFactor
      return interpolated * (1 - rampMix) + extrapolated * rampMix
    }
  }

  /// The net cos/sin multiplier llama.cpp applies for YaRN (`ext_factor ≠ 0`), section 6.7.
  ///
  /// llama.cpp recomputes the factor at context creation, dropping any `yarn_attn_factor`:
  /// with a `yarn_log_multiplier` (after the DeepSeek2 `/0.1` undo) it is
  /// `get_mscale(s, mscale) / get_mscale(s, log_mul)` where `mscale = log_mul` for DeepSeek2 when
  /// `log_mul ≠ 1` and 1 otherwise; without it, `0.1 ln s + 1`. It divides that by `1 + 0.1 ln s`
  /// before handing it to ggml, whose kernel multiplies the same term back in, so the net value
  /// returned here is the ratio (or `0.1 ln s + 1`) times `rope.scaling.attn_factor`.
  /// - Parameters:
  ///   - factor: `rope.scaling.factor`, i.e. `1/freq_scale`.
  ///   - logMultiplier: `rope.scaling.yarn_log_multiplier` as the loader holds it; `nil` or 0 when absent.
  ///   - deepSeek2: whether the architecture is in the DeepSeek2 family.
  ///   - attnFactor: `rope.scaling.attn_factor` (default 1).
  public static func llamaCppYarnAttentionFactor(
    factor s: Double, logMultiplier: Double?, deepSeek2: Bool, attnFactor: Double = 1
  ) -> Double {
    let ratio: Double
    if let mscaleAll = logMultiplier, mscaleAll != 0 {
      let mscale = deepSeek2 && mscaleAll != 1 ? mscaleAll : 1
      ratio = yarnMscale(s, mscale) / yarnMscale(s, mscaleAll)
    } else {
      ratio = yarnMscale(s, 1)
    }
    return ratio * attnFactor
  }
}
