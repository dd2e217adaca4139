import Testing
@testable import ContextAudit

/// The "L2-4k" rows of rope-methods.md section 7 (and the inline vectors of section 4), to 1e-6 relative.
@Suite struct RoPEVectorTests {
  @Test func defaultMatchesBaselineRow() throws {
    let p = l2(.none)
    let w = try #require(p.scaledInverseFrequencies())
    #expect(w.count == 64)
    expectClose(w[0], 1.0)
    expectClose(w[16], 0.1)
    expectClose(w[32], 0.01)
    expectClose(w[48], 0.001)
    expectClose(w[63], 1.1547819846894582e-04)
    #expect(w == p.baselineInverseFrequencies)
    #expect(p.attentionScale() == 1)
    expectClose(p.baselineWavelengths[32], 628.3185307179587)
  }

  @Test func linearDividesEveryPairByFactor() throws {
    let p = l2(.linear)
    for runtime in [RoPERuntime.transformers, .llamaCpp] {
      let w = try #require(p.scaledInverseFrequencies(runtime: runtime))
      expectClose(w[0], 0.25, "\(runtime)")
      expectClose(w[32], 0.0025, "\(runtime)")
      expectClose(w[63], 2.8869549617236455e-05, "\(runtime)")
      #expect(p.attentionScale(runtime: runtime) == 1)
    }
  }

  @Test func dynamicAtOrBelowWindowIsBaseline() throws {
    let p = l2(.dynamic)
    #expect(p.scaledTheta(sequenceLength: 4096) == 10000)
    #expect(p.scaledTheta(sequenceLength: 1000) == 10000)
    #expect(p.scaledInverseFrequencies(sequenceLength: 4096) == p.baselineInverseFrequencies)
    #expect(p.scaledInverseFrequencies() == p.baselineInverseFrequencies)
    #expect(p.attentionScale() == 1)
  }

  @Test func dynamicAt8192RaisesBase() throws {
    let p = l2(.dynamic)
    expectClose(p.scaledTheta(sequenceLength: 8192), 51293.78726815244)
    let w = try #require(p.scaledInverseFrequencies(sequenceLength: 8192))
    expectClose(w[0], 1.0)
    expectClose(w[32], 0.004415375228938883)
    expectClose(w[63], 2.3095639693789166e-05)
  }

  @Test func dynamicAt16384MatchesVLLMStaticBase() throws {
    let p = l2(.dynamic)
    expectClose(p.scaledTheta(sequenceLength: 16384), 135401.97304176545)
    expectClose(p.scaledTheta(runtime: .vllm), 135401.97304176545)
    expectClose(p.scaledTheta(runtime: .vllm, sequenceLength: 10), 135401.97304176545)
    for w in [p.scaledInverseFrequencies(sequenceLength: 16384), p.scaledInverseFrequencies(runtime: .vllm)] {
      let w = try #require(w)
      expectClose(w[0], 1.0)
      expectClose(w[32], 0.002717612325612543)
      expectClose(w[63], 8.882938343765066e-06)
    }
    // The same base through the stored sequence length.
    var stored = p
    stored.sequenceLength = 16384
    expectClose(stored.scaledTheta(), 135401.97304176545)
  }

  @Test func dynamicIsDroppedByLlamaCpp() {
    let p = l2(.dynamic)
    #expect(p.scaledTheta(runtime: .llamaCpp, sequenceLength: 16384) == 10000)
    #expect(p.scaledInverseFrequencies(runtime: .llamaCpp, sequenceLength: 16384) == p.baselineInverseFrequencies)
  }

  @Test func yarnCorrectionRangeRawAndTruncated() throws {
    let truncated = try #require(l2(.yarn) { $0.originalWindow = 4096 }.yarnCorrectionRange())
    #expect(truncated.low == 20 && truncated.high == 46)
    let raw = try #require(l2(.yarn) { $0.originalWindow = 4096; $0.truncate = false }.yarnCorrectionRange())
    expectClose(raw.low, 20.94448162063605)
    expectClose(raw.high, 45.02688127375455)
    expectClose(RoPEMath.yarnCorrectionDim(rotaryDim: 128, theta: 10000, originalWindow: 4096, rotations: 32), 20.94448162063605)
    expectClose(RoPEMath.yarnCorrectionDim(rotaryDim: 128, theta: 10000, originalWindow: 4096, rotations: 1), 45.02688127375455)
    // ggml truncates regardless of the flag (section 6.8).
    let ggml = try #require(l2(.yarn) { $0.originalWindow = 4096; $0.truncate = false }.yarnCorrectionRange(runtime: .llamaCpp))
    #expect(ggml.low == 20 && ggml.high == 46)
  }

  @Test func yarnTruncatedRow() throws {
    let p = l2(.yarn) { $0.originalWindow = 4096; $0.betaFast = 32; $0.betaSlow = 1 }
    for runtime in [RoPERuntime.transformers, .llamaCpp, .vllm] {
      let w = try #require(p.scaledInverseFrequencies(runtime: runtime))
      expectClose(w[0], 1.0, "\(runtime)")
      expectClose(w[20], 0.056234132519034905, "\(runtime)")
      expectClose(w[21], 0.047292038501684786, "\(runtime)")
      expectClose(w[32], 0.006538461538461538, "\(runtime)")
      expectClose(w[45], 0.0004294025889973582, "\(runtime)")
      expectClose(w[46], 0.000333380358040831, "\(runtime)")
      expectClose(w[63], 2.8869549617236455e-05, "\(runtime)")
      expectClose(p.attentionScale(runtime: runtime), 1.138629436111989, "\(runtime)")
    }
    // k = 20 is untouched, k = 46 fully divided.
    expectClose(p.scaledInverseFrequencies()?[20], p.baselineInverseFrequencies[20], rel: 1e-15)
    expectClose(p.scaledInverseFrequencies()?[46], p.baselineInverseFrequencies[46] / 4, rel: 1e-15)
  }

  @Test func yarnBetaZeroFallsBackLikeHF() throws {
    let zero = l2(.yarn) { $0.originalWindow = 4096; $0.betaFast = 0; $0.betaSlow = 0 }
    let range = try #require(zero.yarnCorrectionRange())
    #expect(range.low == 20 && range.high == 46)
  }

  @Test func yarnUntruncatedRow() throws {
    let p = l2(.yarn) { $0.originalWindow = 4096; $0.truncate = false }
    let w = try #require(p.scaledInverseFrequencies())
    expectClose(w[0], 1.0)
    expectClose(w[32], 0.006556971521129435)
    expectClose(w[63], 2.8869549617236455e-05)
    expectClose(p.attentionScale(), 1.138629436111989)
    // vLLM honours truncate (PR #28244); llama.cpp does not (section 8 item 3).
    expectClose(p.scaledInverseFrequencies(runtime: .vllm)?[32], 0.006556971521129435)
    expectClose(p.scaledInverseFrequencies(runtime: .llamaCpp)?[32], 0.006538461538461538)
  }

  @Test func yarnWithoutOriginalWindowUsesMaxWindow() throws {
    // HF v4-late: L0 absent -> L holds the pre-YaRN length.
    let p = l2(.yarn)
    #expect(p.originalWindow == nil)
    expectClose(p.scaledInverseFrequencies()?[32], 0.006538461538461538)
  }

  @Test func longropeShortAndLong() throws {
    let p = l2(.longrope) {
      $0.factor = nil
      $0.maxWindow = 16384
      $0.originalWindow = 4096
      $0.shortFactor = Array(repeating: 1, count: 64)
      $0.longFactor = Array(repeating: 4, count: 64)
    }
    #expect(p.effectiveFactor() == 4)
    expectClose(p.attentionScale(), 1.0801234497346435)
    expectClose(p.attentionScale(), (7.0 / 6.0).squareRoot())
    let base = p.baselineInverseFrequencies
    for runtime in [RoPERuntime.transformers, .llamaCpp] {
      let short = try #require(p.scaledInverseFrequencies(runtime: runtime))
      for k in [0, 32, 63] { expectClose(short[k], base[k], "\(runtime) k=\(k)") }
      #expect(p.scaledInverseFrequencies(runtime: runtime, sequenceLength: 4096).map { $0.count } == 64)
      expectClose(p.scaledInverseFrequencies(runtime: runtime, sequenceLength: 4096)?[63], base[63])
      let long = try #require(p.scaledInverseFrequencies(runtime: runtime, sequenceLength: 4097))
      expectClose(long[0], 0.25, "\(runtime)")
      expectClose(long[32], 0.0025, "\(runtime)")
      expectClose(long[63], 2.8869549617236455e-05, "\(runtime)")
      expectClose(p.attentionScale(runtime: runtime), 1.0801234497346435, "\(runtime)")
    }
    #expect(!p.longropeUsesLongFactors(sequenceLength: 4096))
    #expect(p.longropeUsesLongFactors(sequenceLength: 16384))
  }

  @Test func longropeExplicitAttentionFactorOnlyInTransformers() {
    let p = l2(.longrope) {
      $0.factor = nil
      $0.maxWindow = 16384
      $0.originalWindow = 4096
      $0.attentionFactor = 1.0
      $0.shortFactor = Array(repeating: 1, count: 64)
      $0.longFactor = Array(repeating: 4, count: 64)
    }
    #expect(p.attentionScale() == 1.0)
    expectClose(p.attentionScale(runtime: .llamaCpp), 1.0801234497346435)
  }

  @Test func llama3OnL2Geometry() throws {
    let p = l2(.llama3) { $0.originalWindow = 4096; $0.lowFreqFactor = 1; $0.highFreqFactor = 4 }
    for runtime in [RoPERuntime.transformers, .llamaCpp] {
      let w = try #require(p.scaledInverseFrequencies(runtime: runtime))
      expectClose(w[0], 1.0, "\(runtime)")
      expectClose(w[32], 0.01, "\(runtime)")
      expectClose(w[36], 0.005153711319499473, "\(runtime)")
      expectClose(w[40], 0.001629746617261008, "\(runtime)")
      expectClose(w[45], 0.00038647382750637833, "\(runtime)")
      expectClose(w[63], 2.8869549617236455e-05, "\(runtime)")
      #expect(p.attentionScale(runtime: runtime) == 1)
    }
    let divisors = try #require(p.ggufRopeFreqs)
    #expect(divisors.count == 64)
    #expect(divisors[0...35].allSatisfy { $0 == 1 })
    expectClose(divisors[36], 1.091138580196928)
    expectClose(divisors[40], 1.9403492706633012)
    expectClose(divisors[45], 3.9845557873749597)
    #expect(divisors[46...].allSatisfy { $0 == 4 })
  }
}
