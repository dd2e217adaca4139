#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Per-pair frequencies and attention factors of each method (rope-methods.md sections 4.1 to 4.8, 6.7, 6.8).
///
/// A "scaled inverse frequency" is what the runtime multiplies the position by for pair `k`; the
/// pair's stretch is `ω_k / ω'_k`, which for llama3 is also the GGUF `rope_freqs` divisor.
extension RoPEParameters {
  /// Baseline inverse frequencies `ω_k = θ^(−2k/d)` (section 0); empty when ``problem`` rules the geometry out.
  public var baselineInverseFrequencies: [Double] {
    guard rotaryDim >= 2, rotaryDim <= Self.maxRotaryDim, theta.isFinite, theta > 1 else { return [] }
    return RoPEMath.baselineInverseFrequencies(rotaryDim: rotaryDim, theta: theta)
  }

  /// Baseline wavelengths `λ_k = 2π/ω_k` in tokens.
  public var baselineWavelengths: [Double] { baselineInverseFrequencies.map(RoPEMath.wavelength) }

  /// `L0` for YaRN and LongRoPE: `original_max_position_embeddings`, else `L` (sections 4.4, 4.5).
  var yarnOriginalWindow: Double? {
    (originalWindow ?? maxWindow).map(Double.init)
  }

  /// The scaling factor `s` the runtime works with.
  ///
  /// linear and dynamic: `factor` (1 when absent); ntk: `alpha`, else `factor`; YaRN: the explicit
  /// factor (HF 4.56+, section 4.4), else `L/L0` as HF v5 does; LongRoPE: `factor`, else `L/L0`
  /// (HF v5, section 4.5) — llama.cpp's converter always uses `L/L0`; llama3: `factor`, else the
  /// converter default 8; no scaling: 1. For HF v4's LongRoPE reading (top-level `L0` makes the
  /// dict `factor` ignored) pass `factor = nil`.
  public func effectiveFactor(runtime: RoPERuntime = .transformers) -> Double {
    let lengthRatio: Double? = {
      guard let L = maxWindow, let L0 = originalWindow, L0 > 0 else { return nil }
      return Double(L) / Double(L0)
    }()
    switch method {
    case .linear, .dynamic: return factor ?? 1
    case .ntk: return alpha ?? factor ?? 1
    case .yarn: return factor ?? lengthRatio ?? 1
    case .longrope:
      if runtime == .llamaCpp { return lengthRatio ?? factor ?? 1 }
      return factor ?? lengthRatio ?? 1
    case .llama3: return factor ?? 8
    case .none, .alibi, .absolute, .unknown: return 1
    }
  }

  /// The base actually rotated with: `θ'` for dynamic and static NTK, `θ` otherwise (sections 4.3, 4.8).
  ///
  /// Dynamic NTK: transformers recompute `θ'` from `max(seq, L)` (no change at or below `L`, or
  /// when `L` is unknown); vLLM uses the static `seq = L·s`, i.e. `θ·(s² − s + 1)^(d/(d−2))`;
  /// llama.cpp drops dynamic scaling and keeps `θ`.
  /// - Parameter sequenceLength: overrides ``sequenceLength`` when given.
  public func scaledTheta(runtime: RoPERuntime = .transformers, sequenceLength: Int? = nil) -> Double {
    guard rotaryDim > 2 else { return theta }
    switch method {
    case .ntk:
      return RoPEMath.ntkTheta(theta: theta, alpha: effectiveFactor(runtime: runtime), rotaryDim: rotaryDim)
    case .dynamic:
      let s = effectiveFactor(runtime: runtime)
      switch runtime {
      case .llamaCpp:
        return theta
      case .vllm:
        return RoPEMath.ntkTheta(theta: theta, alpha: s * s - s + 1, rotaryDim: rotaryDim)
      case .transformers:
        guard let L = maxWindow else { return theta }
        let seq = sequenceLength ?? self.sequenceLength ?? L
        return RoPEMath.dynamicTheta(
          theta: theta, factor: s, rotaryDim: rotaryDim, maxWindow: Double(L), sequenceLength: Double(seq))
      }
    case .none, .linear, .yarn, .llama3, .longrope, .alibi, .absolute, .unknown:
      return theta
    }
  }

  /// The YaRN correction band `[low, high]` in pair units, or `nil` for other methods or without any window.
  ///
  /// transformers and vLLM honour ``truncate``; llama.cpp always floors and ceils (section 6.8).
  public func yarnCorrectionRange(runtime: RoPERuntime = .transformers) -> (low: Double, high: Double)? {
    guard method == .yarn, problem == nil, let L0 = yarnOriginalWindow else { return nil }
    let (bf, bs) = yarnBetas
    switch runtime {
    case .llamaCpp:
      return RoPEMath.ggmlYarnCorrectionRange(
        nDims: rotaryDim, freqBase: theta, nCtxOrig: L0, betaFast: bf, betaSlow: bs)
    case .transformers, .vllm:
      return RoPEMath.yarnCorrectionRange(
        rotaryDim: rotaryDim, theta: theta, originalWindow: L0, betaFast: bf, betaSlow: bs, truncate: truncate)
    }
  }

  /// Whether LongRoPE uses its long factors at a sequence length: only when `seq > L0` (section 4.5).
  ///
  /// HF decides per forward pass from the positions, llama.cpp once per context from `n_ctx_seq`;
  /// both compare with `L0`, so pass the positions or the allocated context accordingly.
  /// `nil` (load time) means short factors.
  public func longropeUsesLongFactors(sequenceLength: Int? = nil) -> Bool {
    guard let seq = sequenceLength ?? self.sequenceLength, let L0 = yarnOriginalWindow else { return false }
    return Double(seq) > L0
  }

  /// The per-pair inverse frequencies the runtime rotates with, or `nil` when they cannot be computed.
  ///
  /// `nil` for `alibi`, `absolute` and `unknown`, when ``problem`` is set, for YaRN without any
  /// window, and for llama.cpp with an odd `d` (ggml asserts even `n_dims`). llama.cpp values come
  /// from the ggml kernel (section 6.8) with the converter's parameters (section 6.6).
  /// - Parameter sequenceLength: overrides ``sequenceLength`` (dynamic NTK, LongRoPE) when given.
  public func scaledInverseFrequencies(runtime: RoPERuntime = .transformers, sequenceLength: Int? = nil) -> [Double]? {
    guard hasRotaryFrequencies, problem == nil else { return nil }
    if runtime == .llamaCpp && rotaryDim % 2 != 0 { return nil }
    let omega = baselineInverseFrequencies
    let s = effectiveFactor(runtime: runtime)
    switch method {
    case .none:
      return omega
    case .linear:
      if runtime == .llamaCpp { return ggml(freqScale: 1 / s) }
      return omega.map { $0 / s }
    case .dynamic, .ntk:
      let base = scaledTheta(runtime: runtime, sequenceLength: sequenceLength)
      return RoPEMath.baselineInverseFrequencies(rotaryDim: rotaryDim, theta: base)
    case .yarn:
      guard let L0 = yarnOriginalWindow, let range = yarnCorrectionRange(runtime: runtime) else { return nil }
      if runtime == .llamaCpp {
        let (bf, bs) = yarnBetas
        return ggml(freqScale: 1 / s, extFactor: 1, nCtxOrig: L0, betaFast: bf, betaSlow: bs)
      }
      return omega.indices.map { k in
        let ramp = RoPEMath.yarnRamp(pair: k, low: range.low, high: range.high)
        return omega[k] * (1 - ramp) + omega[k] / s * ramp
      }
    case .longrope:
      let useLong = longropeUsesLongFactors(sequenceLength: sequenceLength)
      let ext = (useLong ? longFactor : shortFactor) ?? Array(repeating: 1, count: omega.count)
      if runtime == .llamaCpp { return ggml(freqScale: 1, freqFactors: ext) }
      return omega.indices.map { k in 1 / (ext[k] * pow(theta, Double(2 * k) / Double(rotaryDim))) }
    case .llama3:
      if runtime == .llamaCpp { return ggml(freqScale: 1, freqFactors: ggufRopeFreqs) }
      return llama3InverseFrequencies(omega)
    case .alibi, .absolute, .unknown:
      return nil
    }
  }

  /// Scaled wavelengths `2π/ω'_k` in tokens; see ``scaledInverseFrequencies(runtime:sequenceLength:)``.
  public func scaledWavelengths(runtime: RoPERuntime = .transformers, sequenceLength: Int? = nil) -> [Double]? {
    scaledInverseFrequencies(runtime: runtime, sequenceLength: sequenceLength)?.map(RoPEMath.wavelength)
  }

  /// The attention factor `m` that multiplies cos and sin (logits of rotated channels scale by `m²`), or `nil` without rotary frequencies.
  ///
  /// transformers and vLLM: YaRN uses an explicit `attention_factor`, else
  /// `get_mscale(s, mscale)/get_mscale(s, mscale_all_dim)` when both are non-zero, else
  /// `0.1 ln s + 1` (section 4.4); LongRoPE uses an explicit `attention_factor`, else
  /// `sqrt(1 + ln s / ln L0)` (section 4.5); every other method 1.
  /// llama.cpp: YaRN ignores an explicit `attention_factor` (section 6.7); with both mscales
  /// non-zero this assumes the DeepSeek2 conversion, which yields 1 (see
  /// ``RoPEMath/llamaCppYarnAttentionFactor(factor:logMultiplier:deepSeek2:attnFactor:)`` for
  /// others). LongRoPE takes the converter's `sqrt(1 + ln(L/L0) / ln L0)`, ignoring explicit values.
  public func attentionScale(runtime: RoPERuntime = .transformers) -> Double? {
    guard hasRotaryFrequencies, problem == nil else { return nil }
    let s = effectiveFactor(runtime: runtime)
    switch method {
    case .yarn:
      let bothMscales = (mscale ?? 0) != 0 && (mscaleAllDim ?? 0) != 0
      if runtime == .llamaCpp {
        return RoPEMath.llamaCppYarnAttentionFactor(
          factor: s, logMultiplier: bothMscales ? mscaleAllDim : nil, deepSeek2: bothMscales)
      }
      if let attentionFactor { return attentionFactor }
      if bothMscales, let mscale, let mscaleAllDim {
        return RoPEMath.yarnMscale(s, mscale) / RoPEMath.yarnMscale(s, mscaleAllDim)
      }
      return RoPEMath.yarnMscale(s)
    case .longrope:
      if runtime != .llamaCpp, let attentionFactor { return attentionFactor }
      guard let L0 = yarnOriginalWindow else { return 1 }
      return RoPEMath.longropeAttentionFactor(scale: s, originalWindow: L0)
    case .none, .linear, .dynamic, .ntk, .llama3, .alibi, .absolute, .unknown:
      return 1
    }
  }

  /// The DeepSeek-V2/V3 softmax-scale multiplier `get_mscale(s, mscale_all_dim)²`, 1 when it does not apply (section 4.4).
  ///
  /// DeepSeek's attention multiplies the softmax scale by this on all q/k channels, apart from `m`;
  /// it applies only to YaRN with a non-zero `mscale_all_dim` in an architecture that reads it.
  /// DeepSeek-V3 (`s = 40`, `mscale_all_dim = 1`): 1.8738542070926265.
  public var softmaxScaleMultiplier: Double {
    guard method == .yarn, problem == nil, let c = mscaleAllDim, c != 0 else { return 1 }
    let mscale = RoPEMath.yarnMscale(effectiveFactor(), c)
    return mscale * mscale
  }

  /// The llama3 per-pair divisors the llama.cpp converter writes as the GGUF `rope_freqs.weight` tensor (section 4.6, 6.5).
  ///
  /// `1` for kept pairs, `factor` for fully interpolated ones, `1/((1−g)/factor + g)` in the band,
  /// checked in the converter's order (high-frequency threshold first). Converter defaults apply
  /// to absent keys (`8`, `1`, `4`, `L0 = 8192`); the converter reads only a top-level `L0`.
  /// `nil` for other methods or when ``problem`` is set.
  public var ggufRopeFreqs: [Double]? {
    guard method == .llama3, problem == nil else { return nil }
    let (s, low, high, L0) = llama3Settings(runtime: .llamaCpp)
    let lowWavelength = L0 / low
    let highWavelength = L0 / high
    return baselineWavelengths.map { lambda in
      if lambda < highWavelength { return 1 }
      if lambda > lowWavelength { return s }
      let g = llama3Smooth(wavelength: lambda, low: low, high: high, originalWindow: L0)
      return 1 / ((1 - g) / s + g)
    }
  }

  // MARK: - Helpers

  /// `beta_fast or 32`, `beta_slow or 1`: HF's `or` also replaces 0 (section 4.4).
  private var yarnBetas: (fast: Double, slow: Double) {
    let bf = betaFast.flatMap { $0 == 0 ? nil : $0 } ?? 32
    let bs = betaSlow.flatMap { $0 == 0 ? nil : $0 } ?? 1
    return (bf, bs)
  }

  /// `(s, low, high, L0)` for llama3 with fallbacks: HF v5 fills `L0` from `L`; llama.cpp's converter uses 8192.
  private func llama3Settings(runtime: RoPERuntime) -> (Double, Double, Double, Double) {
    let L0 = runtime == .llamaCpp ? originalWindow ?? 8192 : originalWindow ?? maxWindow ?? 8192
    return (factor ?? 8, lowFreqFactor ?? 1, highFreqFactor ?? 4, Double(L0))
  }

  /// The llama3 blend weight `g = (L0/λ − low)/(high − low)`; 0 when `high == low` (HF would divide 0 by 0 at the single boundary wavelength).
  private func llama3Smooth(wavelength lambda: Double, low: Double, high: Double, originalWindow L0: Double) -> Double {
    high == low ? 0 : (L0 / lambda - low) / (high - low)
  }

  /// HF's llama3 frequencies, in HF's order: divide above the low-frequency wavelength first, then blend the middle (section 4.6).
  private func llama3InverseFrequencies(_ omega: [Double]) -> [Double] {
    let (s, low, high, L0) = llama3Settings(runtime: .transformers)
    let lowWavelength = L0 / low
    let highWavelength = L0 / high
    return omega.map { w in
      let lambda = RoPEMath.wavelength(w)
      if lambda > lowWavelength { return w / s }
      if lambda < highWavelength { return w }
      let g = llama3Smooth(wavelength: lambda, low: low, high: high, originalWindow: L0)
      return (1 - g) * w / s + g * w
    }
  }

  /// The ggml kernel with this model's geometry.
  private func ggml(
    freqScale: Double, extFactor: Double = 0, nCtxOrig: Double = 0, betaFast: Double = 32, betaSlow: Double = 1,
    freqFactors: [Double]? = nil
  ) -> [Double]? {
    let values = RoPEMath.ggmlInverseFrequencies(
      nDims: rotaryDim, freqBase: theta, freqScale: freqScale, extFactor: extFactor, nCtxOrig: nCtxOrig,
      betaFast: betaFast, betaSlow: betaSlow, freqFactors: freqFactors)
    return values.count == pairCount ? values : nil
  }
}
