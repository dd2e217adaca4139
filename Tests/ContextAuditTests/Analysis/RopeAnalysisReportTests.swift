#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
import Testing

@testable import ContextAudit

/// The per-pair RoPE analysis of real fixtures, as `Auditor.audit` puts it into the report
/// (rope-methods.md section 7, "Real configurations").
@Suite struct RopeAnalysisReportTests {
  // MARK: - llama3

  @Test func llama31ConfigKeeps29Blends6Interpolates29() throws {
    let report = try AnalysisFixtures.model("llama-3.1-8b-instruct")
    let a = try #require(report.analysis)
    #expect(a.runtime == "transformers")
    #expect(a.rotaryDim == 128 && a.theta == 500_000 && a.pairCount == 64)
    #expect(a.kindCounts == [29, 6, 29, 0, 0])
    #expect(a.kindString == run("k", 29) + run("b", 6) + run("i", 29))
    #expect(a.share(.kept) == 29.0 / 64 && a.share(.blended) == 6.0 / 64 && a.share(.interpolated) == 29.0 / 64)
    #expect(a.fullStretch == 8)
    #expect(a.sequenceLength == nil)
    expectClose(a.pairs[29].stretch, 1.207483871283662, rel: 1e-12)
    expectClose(a.pairs[32].stretch, 2.6945296878947333, rel: 1e-12)
    expectClose(a.pairs[34].stretch, 5.257326588708467, rel: 1e-12)
    // k = 32: HF's inv_freq 0.0005248461609929547.
    expectClose(a.pairs[32].scaledWavelength, 2 * Double.pi / 0.0005248461609929547, rel: 1e-12)
    expectClose(a.longestOriginalWavelength, 2_559_195.5173713593, rel: 1e-12)
    expectClose(a.longestScaledWavelength, 8 * 2_559_195.5173713593, rel: 1e-12)
    #expect(a.coversEffective == true)
    #expect(a.coversAdvertised == nil)
    #expect(a.attentionScale == 1)
    #expect(a.softmaxScaleMultiplier == nil)
    #expect(a.runtimeNotes.isEmpty)
    #expect(a.summary == "64 pairs: 29 kept, 6 blended, 29 interpolated ×8; longest wavelength 2.6M tokens (20.5M scaled)")
  }

  /// The transformers v5 re-save (`rope_parameters` with `rope_theta` inside) gives the same analysis.
  @Test func llama31V5ConfigGivesTheSameAnalysis() throws {
    let v4 = try AnalysisFixtures.model("llama-3.1-8b-instruct")
    let v5 = try AnalysisFixtures.model("llama-3.1-8b-instruct-transformers-v5")
    #expect(v5.analysis != nil)
    #expect(v5.analysis == v4.analysis)
  }

  /// A GGUF whose only scaling is `rope_freqs.weight` is analysed with its float32 divisors,
  /// as ggml applies them; they agree with the config's llama3 arithmetic to float32 precision.
  @Test func llama3GGUFUsesItsRopeFreqsDivisors() throws {
    let gguf = try #require(AnalysisFixtures.gguf("llama3-8b-rope-freqs").analysis)
    let config = try #require(try AnalysisFixtures.model("llama-3.1-8b-instruct").analysis)
    #expect(gguf.runtime == "llama.cpp")
    #expect(gguf.kindCounts == [29, 6, 29, 0, 0])
    #expect(gguf.pairs[29].stretch == 1.2074839)  // the f32 value stored in the tensor, as the GGUF reader gives it
    #expect(gguf.pairs[28].stretch == 1 && gguf.pairs[35].stretch == 8)
    for (g, c) in zip(gguf.pairs, config.pairs) {
      expectClose(g.stretch, c.stretch, rel: 1e-7, "k=\(g.index)")
      expectClose(g.originalWavelength, c.originalWavelength, rel: 1e-12, "k=\(g.index)")
    }
    #expect(gguf.summary == config.summary)
    #expect(gguf.attentionScale == 1)
    #expect(gguf.runtimeNotes.isEmpty)
    // The unit has no config: the divisors alone, no llama3 key is reported missing.
    #expect(!gguf.summary.contains("defaults assumed"))
  }

  @Test func divisorAnalysisRejectsWhatGGMLWouldNotRun() throws {
    let p = RoPEParameters(rotaryDim: 8, theta: 10000, method: .llama3, factor: 4)
    let good = try #require(RoPEAnalysis.analyze(p, divisors: [1, 1, 2, 4]))
    #expect(good.pairs.map(\.kind) == [.kept, .kept, .blended, .interpolated])
    #expect(good.pairs.map(\.stretch) == [1, 1, 2, 4])
    #expect(good.summary == "4 pairs: 2 kept, 1 blended, 1 interpolated ×4; longest wavelength 6.3K tokens (25.1K scaled)")
    #expect(RoPEAnalysis.analyze(p, divisors: [1, 1, 2]) == nil)  // not d/2 values
    #expect(RoPEAnalysis.analyze(p, divisors: [1, 1, 0, 4]) == nil)  // a zero divisor
    #expect(RoPEAnalysis.analyze(p, divisors: [1, .nan, 2, 4]) == nil)
    var odd = p
    odd.rotaryDim = 7
    #expect(RoPEAnalysis.analyze(odd, divisors: [1, 1, 2, 4]) == nil)  // ggml needs an even n_dims
  }

  /// A llama3 config without `original_max_position_embeddings`: HF v5 falls back to `L`, the
  /// llama.cpp converter to 8192, so the GGUF would rotate differently.
  @Test func llama3WithoutOriginalLengthNotesTheConverterDefault() {
    let p = RoPEParameters(
      rotaryDim: 128, theta: 500_000, method: .llama3, factor: 8, maxWindow: 131_072, lowFreqFactor: 1,
      highFreqFactor: 4)
    let hf = RoPEAnalysis.analyze(p)
    let notes = RoPEAnalysis.runtimeNotes(p, transformers: hf)
    // HF keeps pair 35 (λ 8.9K < 131072/4); the converter's thresholds divide it by 8.
    #expect(hf.pairs[35].kind == .kept)
    #expect(notes == ["llama.cpp's converter computes rope_freqs with original length 8192: pair 35 turns 87.5% slower"])
    #expect(hf.summary.hasSuffix("; defaults assumed for original_max_position_embeddings"))
  }

  // MARK: - YaRN

  /// Qwen2.5 with the card's YaRN recipe: band 23/40, so k ≤ 23 kept, 24–39 blended, k ≥ 40 ÷ 4.
  @Test func qwen25YaRNRecipeBand23To40() throws {
    let json = try AnalysisFixtures.configText(
      "qwen2.5-1.5b-instruct",
      inserting: #"  "rope_scaling": {"factor": 4.0, "original_max_position_embeddings": 32768, "type": "yarn"},"#,
      after: "\"rms_norm_eps\"")
    let report = AnalysisFixtures.config("qwen2.5-1.5b-instruct-yarn", json: json)
    #expect(report.verdict.method == .yarn)
    let a = try #require(report.analysis)
    #expect(a.rotaryDim == 128 && a.theta == 1_000_000)
    #expect(a.kindString == run("k", 24) + run("b", 16) + run("i", 24))
    // k = 32: inv_freq 0.0006029411764705882 against ω = 0.001.
    expectClose(a.pairs[32].stretch, 0.001 / 0.0006029411764705882, rel: 1e-12)
    expectClose(a.pairs[23].scaledWavelength, 2 * Double.pi / 0.006978305848598663, rel: 1e-12)
    expectClose(a.pairs[40].scaledWavelength, 2 * Double.pi / 4.445698525097307e-05, rel: 1e-12)
    expectClose(a.attentionScale, 1.138629436111989, rel: 1e-15)
    #expect(a.coversEffective == true)
    #expect(a.runtimeNotes.isEmpty)
    #expect(
      a.summary
        == "64 pairs: 24 kept, 16 blended, 24 interpolated ×4; longest wavelength 5.1M tokens (20.3M scaled); attention ×1.139")

    // The same recipe converted to GGUF: same pairs, same attention.
    let gguf = try #require(AnalysisFixtures.gguf("qwen2.5-7b-yarn").analysis)
    #expect(gguf.runtime == "transformers")
    #expect(gguf.kindString == a.kindString)
    for (g, c) in zip(gguf.pairs, a.pairs) { expectClose(g.stretch, c.stretch, rel: 1e-12, "k=\(g.index)") }
    expectClose(gguf.attentionScale, 1.138629436111989, rel: 1e-15)
    #expect(gguf.runtimeNotes.isEmpty)
  }

  /// An explicit YaRN `attention_factor` is dropped by llama.cpp (rope-methods.md section 8 item 4).
  @Test func explicitYaRNAttentionFactorIsNotedForLlamaCpp() throws {
    let json = try AnalysisFixtures.configText(
      "qwen2.5-1.5b-instruct",
      inserting:
        #"  "rope_scaling": {"attention_factor": 1.0, "factor": 4.0, "original_max_position_embeddings": 32768, "type": "yarn"},"#,
      after: "\"rms_norm_eps\"")
    let a = try #require(AnalysisFixtures.config("qwen-yarn-attention", json: json).analysis)
    #expect(a.attentionScale == 1.0)
    #expect(a.runtimeNotes == ["llama.cpp scales attention by ×1.139 instead of ×1 (it ignores attention_factor 1)"])
  }

  /// DeepSeek-V3: d = qk_rope_head_dim 64, band 10/23, m = 1 and the softmax scale ×1.8738542070926265.
  @Test func deepSeekV3SoftmaxMultiplier() throws {
    let a = try #require(try AnalysisFixtures.model("deepseek-v3-0324").analysis)
    #expect(a.rotaryDim == 64 && a.pairCount == 32 && a.theta == 10000)
    #expect(a.kindString == run("k", 11) + run("b", 12) + run("i", 9))
    #expect(a.fullStretch == 40)
    #expect(a.attentionScale == 1.0)
    #expect(a.softmaxScaleMultiplier == 1.8738542070926265)
    expectClose(a.pairs[16].scaledWavelength, 2 * Double.pi / 0.0055, rel: 1e-12)
    expectClose(a.longestOriginalWavelength, 47117.24278016739, rel: 1e-12)
    // 47.1K tokens is shorter than the 163840-token window.
    #expect(a.coversEffective == false)
    #expect(a.runtimeNotes.isEmpty)
    #expect(
      a.summary
        == "32 pairs: 11 kept, 12 blended, 9 interpolated ×40; longest wavelength 47.1K tokens (1.9M scaled); softmax ×1.874")
  }

  /// The DeepSeek-V3 GGUF stores `yarn_log_multiplier` 0.1 and no `mscale`: read as llama.cpp
  /// does (mscale 1), the attention factor stays 1, not `0.1 ln 40 + 1`.
  @Test func deepSeekV3GGUFInfersMscale() throws {
    let gguf = try #require(AnalysisFixtures.gguf("deepseek-v3-yarn").analysis)
    let config = try #require(try AnalysisFixtures.model("deepseek-v3-0324").analysis)
    #expect(gguf.attentionScale == 1.0)
    expectClose(gguf.softmaxScaleMultiplier, 1.8738542070926265, rel: 1e-12)
    #expect(gguf.kindString == config.kindString)
    #expect(gguf.runtimeNotes.isEmpty)
  }

  /// gpt-oss ships `truncate: false`; llama.cpp floors and ceils anyway (section 8 item 3).
  @Test func gptOSSNotesTheLlamaCppBand() throws {
    let a = try #require(try AnalysisFixtures.model("gpt-oss-20b").analysis)
    #expect(a.rotaryDim == 64 && a.theta == 150_000)
    #expect(a.kindString == run("k", 9) + run("b", 9) + run("i", 14))
    expectClose(a.pairs[12].scaledWavelength, 2 * Double.pi / 0.006794959489732219, rel: 1e-12)
    expectClose(a.pairs[16].scaledWavelength, 2 * Double.pi / 0.00045648391922324086, rel: 1e-12)
    expectClose(a.attentionScale, 1.3465735902799727, rel: 1e-15)
    expectClose(a.longestOriginalWavelength, 649408.9588128396, rel: 1e-12)
    // k = 17: HF ramp 0.957 (ω' = 0.0727 ω), ggml ramp 0.9 (ω' = 0.1281 ω): 76.3 % faster.
    #expect(
      a.runtimeNotes == [
        "llama.cpp floors/ceils the YaRN band (truncate false is ignored): 8/18 vs 8.093/17.398; pair 17 turns 76.3% faster"
      ])
    let p = try #require(
      ModelView.RopeParameters(
        method: .yarn, rotaryDim: 64, theta: 150_000, factor: 32, originalWindow: 4096, window: 131_072, truncate: false
      ).analysisParameters())
    let cpp = RoPEAnalysis.analyze(p, runtime: .llamaCpp)
    let shift = try #require(RoPEAnalysis.largestShift(from: RoPEAnalysis.analyze(p), to: cpp))
    #expect(shift.index == 17)
    expectClose(cpp.pairs[16].scaledWavelength, 2 * Double.pi / 0.0005809475019311124, rel: 1e-12)
  }

  // MARK: - LongRoPE, dynamic NTK

  /// Phi-3-mini-128k at its 131072 window: the long factors, m = √(1 + ln 32 / ln 4096).
  @Test func phi3UsesLongFactorsAtTheEffectiveWindow() throws {
    let a = try #require(try AnalysisFixtures.model("phi-3-mini-128k-instruct").analysis)
    #expect(a.rotaryDim == 96 && a.pairCount == 48)
    #expect(a.sequenceLength == 131_072)
    #expect(a.fullStretch == 32)
    // long_factor[0] = 1.0299999713897705, long_factor[47] = 64.81001281738281 (past ×32).
    expectClose(a.pairs[0].stretch, 1.0299999713897705, rel: 1e-12)
    expectClose(a.pairs[47].stretch, 64.81001281738281, rel: 1e-12)
    #expect(a.kindCounts == [0, 25, 0, 0, 23])
    #expect(a.pairs[47].kind == .overstretched)
    expectClose(a.attentionScale, 1.1902380714238083, rel: 1e-15)
    expectClose(a.longestOriginalWavelength, 51861.67449360549, rel: 1e-12)
    #expect(a.coversEffective == false)
    #expect(
      a.runtimeNotes == [
        "llama.cpp picks the long or short factors once per context (long for every position when n_ctx > 4096); transformers switches per forward pass, once positions pass 4096"
      ])
    #expect(
      a.summary
        == "48 pairs: 25 blended, 23 stretched past ×32; longest wavelength 51.9K tokens (3.4M scaled); long factors; attention ×1.19")

    let gguf = try #require(AnalysisFixtures.gguf("phi3-mini-128k-longrope").analysis)
    #expect(gguf.kindCounts == a.kindCounts)
    for (g, c) in zip(gguf.pairs, a.pairs) { expectClose(g.stretch, c.stretch, rel: 1e-7, "k=\(g.index)") }
    // The GGUF's float32 attn_factor, within float32 of the config's value: no note about it.
    #expect(gguf.attentionScale == 1.1902381)
    #expect(gguf.runtimeNotes == a.runtimeNotes)
  }

  /// InternLM2.5 (dynamic ×2 from 32768) at 65536: base θ·3^(128/126), as vLLM uses at every length.
  @Test func internLMDynamicAtTheEffectiveWindow() throws {
    let a = try #require(try AnalysisFixtures.model("internlm2.5-7b-chat").analysis)
    #expect(a.sequenceLength == 65536)
    expectClose(a.fullStretch, 3, rel: 1e-12)
    #expect(a.kindCounts == [1, 62, 1, 0, 0])
    expectClose(a.pairs[63].stretch, 3, rel: 1e-12)
    #expect(
      a.runtimeNotes == [
        "llama.cpp drops dynamic NTK: plain RoPE at every length, all 64 pairs kept",
        "vLLM rotates with base 3.1M at every length; transformers keeps 1M up to 32768 tokens",
      ])
    #expect(a.summary.hasSuffix("; base 3.1M"))
  }

  // MARK: - No scaling, no RoPE

  @Test func llama2NativeKeepsEveryPair() throws {
    let config = try #require(try AnalysisFixtures.model("llama-2-7b-hf").analysis)
    #expect(config.kindCounts == [64, 0, 0, 0, 0])
    #expect(config.pairs.allSatisfy { $0.stretch == 1 && $0.scaledWavelength == $0.originalWavelength })
    #expect(config.fullStretch == 1)
    expectClose(config.longestOriginalWavelength, 54410.14313077674, rel: 1e-12)
    #expect(config.coversEffective == true)
    #expect(config.runtimeNotes.isEmpty)
    #expect(config.summary == "64 pairs: 64 kept; longest wavelength 54.4K tokens")
    let gguf = try #require(AnalysisFixtures.gguf("llama2-7b-native").analysis)
    #expect(gguf.pairs == config.pairs)
    #expect(gguf.summary == config.summary)
  }

  @Test func alibiAndAbsolutePositionsHaveNoAnalysis() throws {
    let mpt = try AnalysisFixtures.model("mpt-7b-instruct")
    #expect(mpt.verdict.method == .alibi)
    #expect(mpt.analysis == nil)
    // bigscience/bloom-560m config.json (position keys as published: none; ALiBi by model type).
    let bloom = AnalysisFixtures.config(
      "bloom-560m",
      json: #"""
        {
          "apply_residual_connection_post_layernorm": false,
          "architectures": ["BloomForCausalLM"],
          "attention_dropout": 0.0,
          "bos_token_id": 1,
          "eos_token_id": 2,
          "hidden_size": 1024,
          "model_type": "bloom",
          "n_head": 16,
          "n_layer": 24,
          "vocab_size": 250880
        }
        """#)
    #expect(bloom.verdict.method == .alibi)
    #expect(bloom.analysis == nil)
    let gpt2 = try AnalysisFixtures.model("gpt2")
    #expect(gpt2.verdict.method == .absolute)
    #expect(gpt2.analysis == nil)
  }

  /// The Gemma 3 v4 config leaves the head size to class defaults: no `d`, no analysis.
  @Test func unknownRotaryDimensionHasNoAnalysis() throws {
    let gemma = try AnalysisFixtures.model("gemma-3-4b-it")
    #expect(gemma.verdict.method == .linear)
    #expect(gemma.analysis == nil)
  }
}
