extension ModelView {
  /// The per-pair RoPE analysis the scan report carries, or `nil` without rotary positions
  /// (ALiBi, absolute, unknown) or when `d` or `θ` is not known.
  ///
  /// The pairs follow transformers' arithmetic on ``rope`` (rope-methods.md section 4). Dynamic
  /// NTK and LongRoPE are evaluated at the effective window (else `L`), where their scaling is in
  /// force; the other methods do not depend on the length. A GGUF whose `rope_freqs.weight`
  /// values were read is analysed with those divisors, as the ggml kernel applies them (sections
  /// 6.5, 6.8), and the result says `llama.cpp`. ``RopeAnalysisReport/runtimeNotes`` name what
  /// llama.cpp (and vLLM, for dynamic NTK) computes differently (section 8 items 3, 4, 6, 7, 9).
  public var ropeAnalysis: RopeAnalysisReport? {
    if let divisors = rope.frequencyDivisors, let analysis = Self.divisorAnalysis(rope, divisors: divisors) {
      return RopeAnalysisReport(analysis, windows: windows)
    }
    let dependsOnLength = rope.method == .dynamic || rope.method == .longrope
    let sequenceLength = dependsOnLength ? (windows.effective ?? rope.window).flatMap { Int(exactly: $0) } : nil
    let ggufArchitecture = ropeFollowsGGUF ? architecture ?? "" : nil
    guard let p = rope.analysisParameters(sequenceLength: sequenceLength, ggufArchitecture: ggufArchitecture) else {
      return nil
    }
    let analysis = RoPEAnalysis.analyze(p)
    return RopeAnalysisReport(analysis, windows: windows, runtimeNotes: RoPEAnalysis.runtimeNotes(p, transformers: analysis))
  }

  /// Whether ``rope`` was read from the unit's GGUF rather than its `config.json`.
  ///
  /// `model.rope.source` names the followed artifact and `model.gguf.method` sits in the GGUF.
  var ropeFollowsGGUF: Bool {
    guard case .string(let source)? = fact("model.rope.source")?.value, let gguf = fact("model.gguf.method") else {
      return false
    }
    return gguf.location.path.value == source
  }

  /// The analysis with GGUF `rope_freqs` divisors, or `nil` when they cannot be applied (see
  /// ``RoPEAnalysis/analyze(_:divisors:)``); the factor is the view's, else the largest divisor.
  static func divisorAnalysis(_ rope: RopeParameters, divisors: [Double]) -> RoPEAnalysis? {
    guard let rotaryDim = rope.rotaryDim, let theta = rope.theta else { return nil }
    let p = RoPEParameters(
      rotaryDim: rotaryDim, theta: theta, method: .llama3, factor: rope.factor ?? divisors.max(),
      originalWindow: rope.originalWindow.flatMap { Int(exactly: $0) }, maxWindow: rope.window.flatMap { Int(exactly: $0) },
      attentionFactor: rope.attentionFactor)
    return RoPEAnalysis.analyze(p, divisors: divisors)
  }
}

extension ModelView.RopeParameters {
  /// These parameters as ``RoPEParameters`` takes them, or `nil` without rotary frequencies or without `d` and `θ`.
  ///
  /// `L` is ``window`` and `L0` ``originalWindow``, except for dynamic NTK, whose `L` is the length
  /// it rescales past: `L0` when declared (Qwen-1's `seq_length`), else ``window`` (as the view's
  /// transformers runtime note says). An absent ``truncate`` is HF's default `true`.
  /// A GGUF stores no YaRN `mscale` (the converter drops it, rope-methods.md section 4.4), so for
  /// parameters read from one pass its `general.architecture` as `ggufArchitecture`: an absent
  /// `mscale` next to a non-zero `mscale_all_dim` then becomes what llama.cpp assumes (section
  /// 6.7), `mscale_all_dim` for the DeepSeek2 family when that is not 1, else 1.
  /// - Parameter sequenceLength: the length dynamic NTK and LongRoPE are evaluated at.
  public func analysisParameters(sequenceLength: Int? = nil, ggufArchitecture: String? = nil) -> RoPEParameters? {
    guard let rotaryDim, let theta else { return nil }
    var mscale = self.mscale
    if let ggufArchitecture, mscale == nil, let all = mscaleAllDim, all != 0 {
      mscale = ggufArchitecture.hasPrefix("deepseek2") && all != 1 ? all : 1
    }
    let maxWindow = method == .dynamic ? originalWindow ?? window : window
    let p = RoPEParameters(
      rotaryDim: rotaryDim, theta: theta, method: method, factor: factor,
      originalWindow: originalWindow.flatMap { Int(exactly: $0) }, maxWindow: maxWindow.flatMap { Int(exactly: $0) },
      lowFreqFactor: lowFreqFactor, highFreqFactor: highFreqFactor, betaFast: betaFast, betaSlow: betaSlow,
      mscale: mscale, mscaleAllDim: mscaleAllDim, attentionFactor: attentionFactor, truncate: truncate ?? true,
      shortFactor: shortFactor, longFactor: longFactor, sequenceLength: sequenceLength)
    return p.hasRotaryFrequencies ? p : nil
  }
}

extension RopeAnalysisReport {
  /// The report form of an analysis; `windows` decide ``coversAdvertised`` and ``coversEffective``.
  public init(_ analysis: RoPEAnalysis, windows: Windows, runtimeNotes: [String] = []) {
    let p = analysis.parameters
    self.init(
      runtime: analysis.runtime.reportName, rotaryDim: p.rotaryDim, theta: p.theta, pairCount: p.pairCount,
      fullStretch: analysis.fullStretch, sequenceLength: analysis.sequenceLength,
      longestOriginalWavelength: analysis.longestOriginalWavelength,
      longestScaledWavelength: analysis.longestScaledWavelength,
      coversAdvertised: windows.advertised.flatMap { analysis.coversWindow($0) },
      coversEffective: windows.effective.flatMap { analysis.coversWindow($0) },
      attentionScale: analysis.attentionScale,
      softmaxScaleMultiplier: RoPEAnalysis.close(analysis.softmaxScaleMultiplier, 1)
        ? nil : analysis.softmaxScaleMultiplier,
      summary: analysis.summary, runtimeNotes: runtimeNotes,
      pairs: analysis.pairs.map {
        Pair(
          index: $0.index, originalWavelength: $0.originalWavelength, scaledWavelength: $0.scaledWavelength,
          stretch: $0.stretch, kind: $0.kind)
      })
  }
}

extension RoPERuntime {
  /// The name reports use: `transformers`, `llama.cpp`, `vllm` (as `RuntimeView.runtime` spells them).
  public var reportName: String {
    switch self {
    case .transformers: return "transformers"
    case .llamaCpp: return "llama.cpp"
    case .vllm: return "vllm"
    }
  }
}

extension RoPEAnalysis {
  /// Analyzes RoPE with per-pair divisors as ggml applies a GGUF `rope_freqs.weight` tensor:
  /// `ω'_k = ω_k / ff[k]` with `freq_scale = 1` and `ext_factor = 0` (rope-methods.md sections 6.5, 6.8).
  ///
  /// The stretch of pair `k` is the divisor itself. `p` supplies `d`, `θ`, the factor that counts
  /// as full interpolation and the GGUF `attn_factor` (the attention scale, 1 when absent); no
  /// llama3 key is required, so nothing is reported missing.
  /// - Returns: `nil` when `p` has a ``RoPEParameters/problem``, `d` is odd (ggml asserts an even
  ///   `n_dims`), or `divisors` does not hold `d/2` finite positive values (llama.cpp rejects
  ///   another tensor length at load time).
  public static func analyze(_ p: RoPEParameters, divisors: [Double]) -> RoPEAnalysis? {
    guard p.problem == nil, p.rotaryDim % 2 == 0, divisors.count == p.pairCount,
      divisors.allSatisfy({ $0.isFinite && $0 > 0 })
    else { return nil }
    let baseline = p.baselineInverseFrequencies
    guard baseline.count == divisors.count else { return nil }
    let full = p.effectiveFactor(runtime: .llamaCpp)
    let pairs = baseline.indices.map { k in
      let original = RoPEMath.wavelength(baseline[k])
      return Pair(
        index: k, originalWavelength: original, scaledWavelength: original * divisors[k], stretch: divisors[k],
        kind: classify(stretch: divisors[k], full: full))
    }
    var analysis = RoPEAnalysis(
      parameters: p, runtime: .llamaCpp, sequenceLength: nil, pairs: pairs, fullStretch: full,
      attentionScale: p.attentionFactor ?? 1, softmaxScaleMultiplier: 1,
      longestOriginalWavelength: baseline.last.map(RoPEMath.wavelength),
      longestScaledWavelength: pairs.map(\.scaledWavelength).max(), missingInputs: [], problem: nil, summary: "")
    analysis.summary = analysis.makeSummary()
    return analysis
  }

  /// What llama.cpp (and vLLM, for dynamic NTK) computes differently from the transformers
  /// analysis `hf` of `p`, one message fragment each; empty when they agree.
  ///
  /// Frequencies count as different beyond 1e-6 relative (float32 agreement, rope-methods.md
  /// section 7). Covered: YaRN `truncate: false`, which llama.cpp ignores (section 8 item 3);
  /// an explicit YaRN `attention_factor`, which it drops (item 4); dynamic NTK, which it drops and
  /// vLLM applies at every length (item 6); LongRoPE's long/short switch, per context in
  /// llama.cpp and per forward pass in transformers (item 7), and its attention factor, which the
  /// converter derives from `L/L0`; llama3 divisors computed with the converter's `L0` (item 9);
  /// an odd `d`, which ggml cannot rotate.
  static func runtimeNotes(_ p: RoPEParameters, transformers hf: RoPEAnalysis) -> [String] {
    guard hf.runtime == .transformers, hf.problem == nil, !hf.pairs.isEmpty else { return [] }
    let cpp = analyze(p, sequenceLength: hf.sequenceLength, runtime: .llamaCpp)
    let shift = largestShift(from: hf, to: cpp)
    var notes: [String] = []
    var shiftExplained = false
    switch p.method {
    case .yarn:
      if let a = p.yarnCorrectionRange(), let b = p.yarnCorrectionRange(runtime: .llamaCpp),
        a.low != b.low || a.high != b.high
      {
        var text =
          "llama.cpp floors/ceils the YaRN band (truncate false is ignored): "
          + "\(number(b.low))/\(number(b.high)) vs \(number(a.low))/\(number(a.high))"
        if let shift { text += "; " + describe(shift) }
        notes.append(text)
        shiftExplained = true
      }
    case .dynamic:
      notes.append("llama.cpp drops dynamic NTK: plain RoPE at every length, all \(p.pairCount) pairs kept")
      shiftExplained = true
      let base = p.scaledTheta(runtime: .vllm)
      if let L = p.maxWindow, !close(base, p.theta) {
        notes.append(
          "vLLM rotates with base \(tokens(base)) at every length; transformers keeps \(tokens(p.theta)) up to \(L) tokens")
      }
    case .longrope:
      if let L0 = p.originalWindow ?? p.maxWindow, p.longFactor != nil {
        notes.append(
          "llama.cpp picks the long or short factors once per context (long for every position when n_ctx > \(L0)); "
            + "transformers switches per forward pass, once positions pass \(L0)")
      }
    case .llama3:
      if let shift {
        notes.append(
          "llama.cpp's converter computes rope_freqs with original length \(p.originalWindow ?? 8192): " + describe(shift))
        shiftExplained = true
      }
    case .none, .linear, .ntk, .alibi, .absolute, .unknown:
      break
    }
    if !shiftExplained, let shift { notes.append("llama.cpp frequencies differ: " + describe(shift)) }
    if cpp.pairs.isEmpty, p.rotaryDim % 2 != 0 {
      notes.append("llama.cpp cannot rotate an odd dimension (\(p.rotaryDim)): ggml requires an even n_dims")
    }
    if let a = hf.attentionScale, let b = cpp.attentionScale, abs(a - b) > 1e-6 * max(abs(a), abs(b)) {
      var text = "llama.cpp scales attention by ×\(number(b)) instead of ×\(number(a))"
      if p.method == .yarn, let explicit = p.attentionFactor { text += " (it ignores attention_factor \(number(explicit)))" }
      if p.method == .longrope { text += " (its converter derives the factor from the lengths)" }
      notes.append(text)
    }
    return notes
  }

  /// The pair whose frequency differs most from `a` to `b`, as `ω'_b/ω'_a − 1`; `nil` when no
  /// pair differs by more than 1e-6 or the pair lists do not line up.
  static func largestShift(from a: RoPEAnalysis, to b: RoPEAnalysis) -> (index: Int, relative: Double)? {
    guard a.pairs.count == b.pairs.count else { return nil }
    var best: (index: Int, relative: Double)?
    for (x, y) in zip(a.pairs, b.pairs) {
      let relative = x.stretch / y.stretch - 1
      if abs(relative) > 1e-6, abs(relative) > abs(best?.relative ?? 0) { best = (x.index, relative) }
    }
    return best
  }

  /// `pair 16 turns 27.3% faster`.
  static func describe(_ shift: (index: Int, relative: Double)) -> String {
    let percent = decimal(abs(shift.relative) * 100, places: abs(shift.relative) < 0.01 ? 3 : 1)
    return "pair \(shift.index) turns \(percent)% \(shift.relative > 0 ? "faster" : "slower")"
  }
}
