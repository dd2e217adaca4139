#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
@testable import ContextAudit

/// `RoPEAnalysis`: classification, shares, window coverage, summary line, and properties that hold for every geometry.
@Suite struct RoPEAnalysisTests {
  /// Rotary dimensions and bases seen in published models (Phi-2 32, DeepSeek 64, Phi-3 96, Llama 128, Gemma 256).
  static let geometries: [(Int, Double)] = [(32, 10000), (64, 150_000), (96, 10000), (128, 500_000), (256, 1_000_000)]

  @Test(arguments: geometries, [2.0, 4, 8, 32])
  func linearStretchIsFactorForEveryPair(geometry: (Int, Double), factor: Double) {
    let p = RoPEParameters(rotaryDim: geometry.0, theta: geometry.1, method: .linear, factor: factor)
    let a = RoPEAnalysis.analyze(p)
    #expect(a.pairs.count == geometry.0 / 2)
    for pair in a.pairs {
      expectClose(pair.stretch, factor, rel: 1e-14, "k=\(pair.index)")
      expectClose(pair.scaledWavelength / pair.originalWavelength, factor, rel: 1e-14)
    }
    #expect(a.interpolatedShare == 1 && a.keptShare == 0)
  }

  @Test(arguments: geometries)
  func defaultStretchIsOne(geometry: (Int, Double)) {
    let a = RoPEAnalysis.analyze(RoPEParameters(rotaryDim: geometry.0, theta: geometry.1, method: .none))
    #expect(a.pairs.allSatisfy { $0.stretch == 1 && $0.kind == .kept })
    #expect(a.keptShare == 1)
    #expect(a.attentionScale == 1)
    #expect(a.longestScaledWavelength == a.longestOriginalWavelength)
  }

  @Test(arguments: geometries, [4.0, 8, 32])
  func llama3KeepsHighFrequencies(geometry: (Int, Double), factor: Double) {
    let p = RoPEParameters(
      rotaryDim: geometry.0, theta: geometry.1, method: .llama3, factor: factor, originalWindow: 8192,
      lowFreqFactor: 1, highFreqFactor: 4)
    let a = RoPEAnalysis.analyze(p)
    #expect(!a.pairs.isEmpty)
    for pair in a.pairs where pair.originalWavelength < 2048 {
      #expect(pair.stretch == 1 && pair.kind == .kept, "k=\(pair.index)")
    }
    for pair in a.pairs where pair.originalWavelength > 8192 {
      #expect(pair.kind == .interpolated, "k=\(pair.index)")
    }
    #expect(zip(a.pairs, a.pairs.dropFirst()).allSatisfy { $0.stretch <= $1.stretch })
  }

  @Test(arguments: geometries, [true, false])
  func yarnRampIsMonotone(geometry: (Int, Double), truncate: Bool) throws {
    let p = RoPEParameters(
      rotaryDim: geometry.0, theta: geometry.1, method: .yarn, factor: 16, originalWindow: 4096, truncate: truncate)
    let range = try #require(p.yarnCorrectionRange())
    let ramps = (0..<p.pairCount).map { RoPEMath.yarnRamp(pair: $0, low: range.low, high: range.high) }
    #expect(ramps.allSatisfy { $0 >= 0 && $0 <= 1 })
    #expect(zip(ramps, ramps.dropFirst()).allSatisfy { $0 <= $1 })
    for runtime in [RoPERuntime.transformers, .llamaCpp] {
      let a = RoPEAnalysis.analyze(p, runtime: runtime)
      #expect(zip(a.pairs, a.pairs.dropFirst()).allSatisfy { $0.stretch <= $1.stretch * (1 + 1e-12) })
      #expect(a.pairs.allSatisfy { $0.stretch >= 1 - 1e-12 && $0.stretch <= 16 * (1 + 1e-12) })
      #expect(a.pairs.first?.kind == .kept)
    }
  }

  @Test func rampGuardWhenBoundsMeet() {
    #expect(RoPEMath.yarnRamp(pair: 5, low: 5, high: 5) == 0)
    #expect(RoPEMath.yarnRamp(pair: 6, low: 5, high: 5) == 1)
    #expect(RoPEMath.yarnRamp(pair: 3, low: 2, high: 6) == 0.25)
  }

  @Test func yarnSharesOnL2() {
    let a = RoPEAnalysis.analyze(l2(.yarn) { $0.originalWindow = 4096 })
    #expect(a.count(.kept) == 21 && a.count(.blended) == 25 && a.count(.interpolated) == 18)
    #expect(a.pairs[20].kind == .kept && a.pairs[21].kind == .blended)
    #expect(a.pairs[45].kind == .blended && a.pairs[46].kind == .interpolated)
    expectClose(a.keptShare, 21.0 / 64)
    expectClose(a.blendedShare, 25.0 / 64)
    expectClose(a.interpolatedShare, 18.0 / 64)
    expectClose(a.attentionScale, 1.138629436111989)
    expectClose(a.logitScale, 1.138629436111989 * 1.138629436111989)
    #expect(a.summary
      == "64 pairs: 21 kept, 25 blended, 18 interpolated ×4; longest wavelength 54.4K tokens (217.6K scaled); attention ×1.139")
  }

  @Test func dynamicAnalysisAtSequenceLength() {
    let p = l2(.dynamic)
    let atLoad = RoPEAnalysis.analyze(p)
    #expect(atLoad.keptShare == 1)
    #expect(atLoad.fullStretch == 1)
    let long = RoPEAnalysis.analyze(p, sequenceLength: 8192)
    #expect(long.sequenceLength == 8192)
    expectClose(long.fullStretch, 5)  // α = s·seq/L − (s − 1)
    expectClose(long.pairs[63].stretch, 5)
    #expect(long.pairs[0].kind == .kept && long.pairs[63].kind == .interpolated && long.count(.blended) == 62)
    #expect(long.summary == "64 pairs: 1 kept, 62 blended, 1 interpolated ×5; longest wavelength 54.4K tokens (272.1K scaled); base 51.3K")
    #expect(RoPEAnalysis.analyze(p, sequenceLength: 8192, runtime: .llamaCpp).keptShare == 1)
  }

  @Test func longropeOverstretchedAndCompressedPairs() {
    var long = Array(repeating: 4.0, count: 64)
    long[10] = 6
    long[11] = 0.5
    long[12] = 2
    let p = l2(.longrope) {
      $0.factor = nil
      $0.maxWindow = 16384
      $0.originalWindow = 4096
      $0.shortFactor = Array(repeating: 1, count: 64)
      $0.longFactor = long
    }
    let a = RoPEAnalysis.analyze(p, sequenceLength: 16384)
    #expect(a.pairs[10].kind == .overstretched)
    #expect(a.pairs[11].kind == .compressed)
    #expect(a.pairs[12].kind == .blended)
    #expect(a.count(.interpolated) == 61)
    #expect(a.summary.hasPrefix("64 pairs: 1 blended, 61 interpolated ×4, 1 compressed, 1 stretched past ×4;"))
    #expect(a.summary.hasSuffix("; long factors; attention ×1.08"))
    #expect(RoPEAnalysis.analyze(p).summary.contains("; short factors"))
  }

  @Test func coversWindowComparesLongestBaselineWavelength() throws {
    let llama2 = RoPEAnalysis.analyze(l2(.none))
    expectClose(llama2.longestOriginalWavelength, 54410.14313077674)
    #expect(llama2.coversWindow(32768) == true)
    #expect(llama2.coversWindow(Int64(131_072)) == false)
    let llama31 = RoPEAnalysis.analyze(RoPERealConfigTests.llama31)
    expectClose(llama31.longestOriginalWavelength, 2559195.5173713593)
    expectClose(llama31.longestScaledWavelength, 2559195.5173713593 * 8)
    #expect(llama31.coversWindow(131_072) == true)
    #expect(RoPEAnalysis.analyze(RoPEParameters(rotaryDim: 0, theta: 10000, method: .none)).coversWindow(1) == nil)
    expectClose(RoPEMath.longestWavelength(rotaryDim: 128, theta: 500_000), 2559195.5173713593)
  }

  @Test func problemsStopTheComputation() {
    let zeroDim = RoPEAnalysis.analyze(RoPEParameters(rotaryDim: 0, theta: 10000, method: .linear, factor: 2))
    #expect(zeroDim.pairs.isEmpty && zeroDim.attentionScale == nil && zeroDim.longestOriginalWavelength == nil)
    #expect(zeroDim.problem == "rotary dimension 0 is below 2")
    #expect(zeroDim.summary == "no frequencies: rotary dimension 0 is below 2")
    #expect(RoPEParameters(rotaryDim: 128, theta: 0.5, method: .none).problem == "rope theta 0.5 is not a finite number above 1")
    #expect(RoPEParameters(rotaryDim: 128, theta: 1e4, method: .linear, factor: 0).problem
      == "factor 0.0 is not a finite positive number")
    let shortList = l2(.longrope) {
      $0.originalWindow = 4096
      $0.shortFactor = Array(repeating: 1, count: 48)
      $0.longFactor = Array(repeating: 4, count: 64)
    }
    #expect(shortList.problem == "short_factor has 48 values (expected 64)")
    #expect(shortList.scaledInverseFrequencies() == nil)
    #expect(RoPEParameters(rotaryDim: 2, theta: 1e4, method: .dynamic, factor: 2).problem
      == "rotary dimension 2 leaves the NTK exponent d/(d-2) undefined")
    #expect(l2(.yarn) { $0.betaFast = .infinity }.problem == "beta_fast inf is not a finite number")
  }

  @Test func oddRotaryDimensionFollowsHFAndStopsGGML() {
    let p = RoPEParameters(rotaryDim: 33, theta: 10000, method: .linear, factor: 2)
    #expect(p.pairCount == 17)
    #expect(p.scaledInverseFrequencies()?.count == 17)
    #expect(p.scaledInverseFrequencies(runtime: .llamaCpp) == nil)
    expectClose(p.baselineInverseFrequencies[16], pow(10000.0, -32.0 / 33))
  }

  @Test func methodsWithoutRotaryFrequencies() {
    let alibi = RoPEAnalysis.analyze(RoPEParameters(rotaryDim: 128, theta: 10000, method: .alibi))
    #expect(alibi.summary == "no rotary embedding (alibi)")
    #expect(alibi.pairs.isEmpty && alibi.attentionScale == nil && alibi.longestOriginalWavelength == nil)
    let unknown = RoPEAnalysis.analyze(RoPEParameters(rotaryDim: 128, theta: 10000, method: .unknown))
    #expect(unknown.summary == "RoPE method unknown")
  }

  @Test func missingKeysAreNamedAndDefaultsUsed() throws {
    let p = RoPEParameters(rotaryDim: 128, theta: 500_000, method: .llama3, maxWindow: 131_072)
    #expect(p.missingInputs == ["factor", "low_freq_factor", "high_freq_factor", "original_max_position_embeddings"])
    // HF v5 fills L0 from L = 131072: thresholds 32768 / 131072 instead of 2048 / 8192.
    let a = RoPEAnalysis.analyze(p)
    #expect(a.count(.kept) == 42 && a.count(.blended) == 7 && a.count(.interpolated) == 15)
    #expect(a.summary.hasSuffix(
      "; defaults assumed for factor, low_freq_factor, high_freq_factor, original_max_position_embeddings"))
    // llama.cpp's converter falls back to L0 = 8192: the Llama 3.1 divisors.
    expectClose(p.ggufRopeFreqs?[29], 1.207483871283662)
    #expect(RoPEParameters(rotaryDim: 128, theta: 1e4, method: .yarn).missingInputs
      == ["factor", "original_max_position_embeddings"])
    #expect(RoPEParameters(rotaryDim: 128, theta: 1e4, method: .yarn).scaledInverseFrequencies() == nil)
  }

  @Test func yarnFactorFromLengthsWhenAbsent() {
    // HF v5: factor = L / L0 when the dict has none (section 4.4 history table).
    let p = RoPEParameters(rotaryDim: 128, theta: 1e6, method: .yarn, originalWindow: 32768, maxWindow: 40960)
    #expect(p.effectiveFactor() == 1.25)
    expectClose(p.attentionScale(), 0.1 * log(1.25) + 1)
  }

  @Test func numberFormatting() {
    #expect(RoPEAnalysis.number(8) == "8")
    #expect(RoPEAnalysis.number(1.138629436111989) == "1.139")
    #expect(RoPEAnalysis.number(1.25) == "1.25")
    #expect(RoPEAnalysis.tokens(54410.14) == "54.4K")
    #expect(RoPEAnalysis.tokens(628.3) == "628")
    #expect(RoPEAnalysis.tokens(2_000_000) == "2M")
    #expect(RoPEAnalysis.tokens(1.26e9) == "1.3B")
    #expect(RoPEAnalysis.decimal(-0.05, places: 1) == "-0.1")
  }
}
