#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
@testable import ContextAudit

/// Published configurations, "Real configurations" table of rope-methods.md section 7.
@Suite struct RoPERealConfigTests {
  /// Llama-3.1-8B `config.json`: head_dim 128, rope_theta 500000, llama3 8 / 1 / 4 / 8192, L 131072.
  static let llama31 = RoPEParameters(
    rotaryDim: 128, theta: 500_000, method: .llama3, factor: 8, originalWindow: 8192, maxWindow: 131_072,
    lowFreqFactor: 1, highFreqFactor: 4)

  /// Qwen2.5-7B-Instruct with the model card's YaRN recipe: θ 1e6, factor 4, L0 32768 (L stays 32768).
  static let qwen25 = RoPEParameters(
    rotaryDim: 128, theta: 1_000_000, method: .yarn, factor: 4, originalWindow: 32768, maxWindow: 32768)

  /// DeepSeek-V3: qk_rope_head_dim 64, θ 10000, yarn factor 40, L0 4096, L 163840, β 32/1, mscale = mscale_all_dim = 1.
  static let deepSeekV3 = RoPEParameters(
    rotaryDim: 64, theta: 10000, method: .yarn, factor: 40, originalWindow: 4096, maxWindow: 163_840,
    betaFast: 32, betaSlow: 1, mscale: 1, mscaleAllDim: 1)

  /// gpt-oss: head_dim 64, θ 150000, yarn factor 32, L0 4096, L 131072, β 32/1, truncate false.
  static let gptOSS = RoPEParameters(
    rotaryDim: 64, theta: 150_000, method: .yarn, factor: 32, originalWindow: 4096, maxWindow: 131_072,
    betaFast: 32, betaSlow: 1, truncate: false)

  @Test func llama31Frequencies() throws {
    let p = Self.llama31
    let w = try #require(p.scaledInverseFrequencies())
    expectClose(w[0], 1.0)
    expectClose(w[32], 0.0005248461609929547)
    expectClose(w[63], 3.068925988914511e-07)
    // Thresholds: λ < 8192/4 = 2048 kept, λ > 8192/1 = 8192 divided by 8.
    let lambda = p.baselineWavelengths
    #expect(lambda[28] < 2048 && lambda[29] >= 2048)
    #expect(lambda[34] <= 8192 && lambda[35] > 8192)
    let gguf = try #require(p.scaledInverseFrequencies(runtime: .llamaCpp))
    for k in w.indices { expectClose(gguf[k], w[k], rel: 1e-12, "k=\(k)") }
  }

  @Test func llama31GGUFRopeFreqs() throws {
    let divisors = try #require(Self.llama31.ggufRopeFreqs)
    #expect(divisors.count == 64)
    #expect(divisors[0...28].allSatisfy { $0 == 1 })
    expectClose(divisors[29], 1.207483871283662)
    expectClose(divisors[32], 2.6945296878947333)
    expectClose(divisors[34], 5.257326588708467)
    #expect(divisors[35...].allSatisfy { $0 == 8 })
    #expect(RoPEParameters(rotaryDim: 128, theta: 500_000, method: .yarn, factor: 8).ggufRopeFreqs == nil)
  }

  @Test func llama31Classification() {
    let a = RoPEAnalysis.analyze(Self.llama31)
    #expect(a.count(.kept) == 29 && a.count(.blended) == 6 && a.count(.interpolated) == 29)
    #expect(a.pairs[0...28].allSatisfy { $0.kind == .kept })
    #expect(a.pairs[29...34].allSatisfy { $0.kind == .blended })
    #expect(a.pairs[35...].allSatisfy { $0.kind == .interpolated })
    expectClose(a.pairs[32].stretch, 2.6945296878947333)
    #expect(a.attentionScale == 1)
    #expect(a.summary == "64 pairs: 29 kept, 6 blended, 29 interpolated ×8; longest wavelength 2.6M tokens (20.5M scaled)")
  }

  @Test func qwen25YaRNRecipe() throws {
    let p = Self.qwen25
    let raw = try #require(RoPEParameters(
      rotaryDim: 128, theta: 1_000_000, method: .yarn, factor: 4, originalWindow: 32768, truncate: false
    ).yarnCorrectionRange())
    expectClose(raw.low, 23.5959476083381)
    expectClose(raw.high, 39.6508807104171)
    let range = try #require(p.yarnCorrectionRange())
    #expect(range.low == 23 && range.high == 40)
    expectClose(p.attentionScale(), 1.138629436111989)
    let w = try #require(p.scaledInverseFrequencies())
    expectClose(w[23], 0.006978305848598663)
    expectClose(w[32], 0.0006029411764705882)
    expectClose(w[40], 4.445698525097307e-05)
    #expect(p.softmaxScaleMultiplier == 1)
  }

  @Test func llamaCppIgnoresExplicitYaRNAttentionFactor() {
    var p = Self.qwen25
    p.attentionFactor = 1.0
    #expect(p.attentionScale() == 1.0)
    expectClose(p.attentionScale(runtime: .llamaCpp), 1.138629436111989)
    expectClose(RoPEMath.llamaCppYarnAttentionFactor(factor: 4, logMultiplier: nil, deepSeek2: false), 1.138629436111989)
  }

  @Test func deepSeekV3() throws {
    let p = Self.deepSeekV3
    let raw = try #require(RoPEParameters(
      rotaryDim: 64, theta: 10000, method: .yarn, factor: 40, originalWindow: 4096, truncate: false
    ).yarnCorrectionRange())
    expectClose(raw.low, 10.472240810318025)
    expectClose(raw.high, 22.513440636877274)
    let range = try #require(p.yarnCorrectionRange())
    #expect(range.low == 10 && range.high == 23)
    #expect(p.attentionScale() == 1.0)
    expectClose(p.softmaxScaleMultiplier, 1.8738542070926265)
    let w = try #require(p.scaledInverseFrequencies())
    expectClose(w[16], 0.0055)
    expectClose(w[31], 3.3338035804083097e-06)
    // GGUF yarn_log_multiplier 0.1 becomes 1.0 after load; DeepSeek2 then gets m = 1 (section 6.7).
    #expect(RoPEMath.llamaCppYarnAttentionFactor(factor: 40, logMultiplier: 1.0, deepSeek2: true) == 1.0)
    #expect(p.attentionScale(runtime: .llamaCpp) == 1.0)
    let a = RoPEAnalysis.analyze(p)
    expectClose(a.softmaxScaleMultiplier, 1.8738542070926265)
    #expect(a.summary.hasSuffix("; softmax ×1.874"))
  }

  @Test func deepSeekV2MscalesCancel() {
    var p = Self.deepSeekV3
    p.mscale = 0.707
    p.mscaleAllDim = 0.707
    #expect(p.attentionScale() == 1.0)
    expectClose(p.softmaxScaleMultiplier, (0.1 * 0.707 * log(40.0) + 1) * (0.1 * 0.707 * log(40.0) + 1))
  }

  @Test func gptOSSTruncateFalseDiffersInLlamaCpp() throws {
    let p = Self.gptOSS
    let hf = try #require(p.yarnCorrectionRange())
    expectClose(hf.low, 8.092779115512402)
    expectClose(hf.high, 17.39802450158856)
    let ggml = try #require(p.yarnCorrectionRange(runtime: .llamaCpp))
    #expect(ggml.low == 8 && ggml.high == 18)
    let hfW = try #require(p.scaledInverseFrequencies())
    let ggmlW = try #require(p.scaledInverseFrequencies(runtime: .llamaCpp))
    expectClose(hfW[12], 0.006794959489732219)
    expectClose(ggmlW[12], 0.007015713910504388)
    expectClose(hfW[16], 0.00045648391922324086)
    expectClose(ggmlW[16], 0.0005809475019311124)
    expectClose(p.attentionScale(), 1.3465735902799727)
    expectClose(p.attentionScale(runtime: .llamaCpp), 1.3465735902799727)
    // The kernel entry point gives the same values from GGUF-side parameters.
    let kernel = RoPEMath.ggmlInverseFrequencies(
      nDims: 64, freqBase: 150_000, freqScale: 1.0 / 32, extFactor: 1, nCtxOrig: 4096)
    expectClose(kernel[12], 0.007015713910504388)
  }

  @Test func phi3Mini128kAttentionFactor() {
    // Phi-3-mini-128k: head_dim 96, L 131072, top-level L0 4096; factor lists of 48 values.
    let p = RoPEParameters(
      rotaryDim: 96, theta: 10000, method: .longrope, originalWindow: 4096, maxWindow: 131_072,
      shortFactor: Array(repeating: 1, count: 48), longFactor: Array(repeating: 32, count: 48))
    #expect(p.effectiveFactor() == 32)
    expectClose(p.attentionScale(), 1.1902380714238083)
    expectClose(p.attentionScale(runtime: .llamaCpp), 1.1902380714238083)
    // The llama.cpp converter derives it from L/L0 even when a dict factor says otherwise.
    var withFactor = p
    withFactor.factor = 16
    expectClose(withFactor.attentionScale(runtime: .llamaCpp), 1.1902380714238083)
    expectClose(withFactor.attentionScale(), (1 + log(16.0) / log(4096.0)).squareRoot())
  }

  @Test func hunYuanAlphaBase() throws {
    let p = RoPEParameters(rotaryDim: 128, theta: 10000, method: .ntk, alpha: 1000)
    expectClose(p.scaledTheta(), 11158839.9251)
    expectClose(p.scaledTheta(runtime: .llamaCpp), 11158839.9251)
    expectClose(RoPEMath.ntkTheta(theta: 10000, alpha: 13, rotaryDim: 128), 135401.97304176545)
    let a = RoPEAnalysis.analyze(p)
    expectClose(a.fullStretch, 1000)
    #expect(a.pairs[0].kind == .kept && a.pairs[63].kind == .interpolated)
    #expect(a.count(.blended) == 62)
    #expect(a.summary.contains("; base 11.2M"))
  }
}
