#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a scan report shows about one model's RoPE: how each frequency pair was stretched, and the attention scale.
///
/// Built by ``analyze(_:sequenceLength:runtime:)`` from ``RoPEParameters``; a pure value. The stretch
/// of pair `k` is `λ'_k / λ_k = ω_k / ω'_k` (1 = kept, `s` = fully interpolated), rope-methods.md
/// sections 0 and 4.
public struct RoPEAnalysis: Hashable, Sendable {
  /// How one pair fares under the method, judged by its stretch to a relative tolerance of 1e-9.
  public enum PairKind: String, Hashable, Sendable, Codable, CaseIterable {
    /// Stretch 1: the pair rotates as in the base model.
    case kept
    /// Stretch strictly between 1 and the full factor (YaRN ramp, llama3 blend, NTK bases).
    case blended
    /// Stretch equal to the full factor (``RoPEAnalysis/fullStretch``).
    case interpolated
    /// Stretch below 1 (or beyond a factor below 1): the pair turns faster than in the base model.
    case compressed
    /// Stretch beyond the full factor on the far side from 1 (LongRoPE lists can do this).
    case overstretched
  }

  /// One frequency pair.
  public struct Pair: Hashable, Sendable {
    /// Pair index `k`, 0-based.
    public var index: Int
    /// Baseline wavelength `2π/ω_k` in tokens.
    public var originalWavelength: Double
    /// Wavelength after scaling, in tokens.
    public var scaledWavelength: Double
    /// `scaledWavelength / originalWavelength`, which is also llama.cpp's per-pair divisor.
    public var stretch: Double
    public var kind: PairKind

    public init(index: Int, originalWavelength: Double, scaledWavelength: Double, stretch: Double, kind: PairKind) {
      self.index = index
      self.originalWavelength = originalWavelength
      self.scaledWavelength = scaledWavelength
      self.stretch = stretch
      self.kind = kind
    }
  }

  /// Relative tolerance used to call a stretch equal to 1 or to the full factor.
  public static let tolerance = 1e-9

  /// The parameters analyzed.
  public var parameters: RoPEParameters
  /// Whose arithmetic the frequencies and attention factor follow.
  public var runtime: RoPERuntime
  /// The sequence length the frequencies were computed for (dynamic NTK, LongRoPE), `nil` for load time.
  public var sequenceLength: Int?
  /// One entry per pair; empty when the scaled frequencies cannot be computed.
  public var pairs: [Pair]
  /// The stretch that counts as full interpolation: `s` for linear, YaRN, llama3 and LongRoPE; the
  /// base ratio `(θ'/θ)^((d−2)/d)` (the NTK `α`) for dynamic and static NTK; 1 without scaling.
  public var fullStretch: Double
  /// The attention factor `m` on cos and sin; `nil` without rotary frequencies.
  public var attentionScale: Double?
  /// DeepSeek's softmax-scale multiplier, 1 when it does not apply (``RoPEParameters/softmaxScaleMultiplier``).
  public var softmaxScaleMultiplier: Double
  /// The longest baseline wavelength in tokens, `nil` without rotary frequencies.
  public var longestOriginalWavelength: Double?
  /// The longest scaled wavelength in tokens, `nil` when ``pairs`` is empty.
  public var longestScaledWavelength: Double?
  /// Required keys that were absent and replaced by fallbacks (``RoPEParameters/missingInputs``).
  public var missingInputs: [String]
  /// Why nothing could be computed (``RoPEParameters/problem``), if so.
  public var problem: String?
  /// One line for the report, e.g. `64 pairs: 29 kept, 6 blended, 29 interpolated ×8; longest wavelength 2.6M tokens (20.4M scaled)`.
  public var summary: String

  /// The number of pairs of one kind.
  public func count(_ kind: PairKind) -> Int {
    pairs.reduce(0) { $0 + ($1.kind == kind ? 1 : 0) }
  }

  /// The fraction of pairs of one kind, 0 when there are no pairs.
  public func share(_ kind: PairKind) -> Double {
    pairs.isEmpty ? 0 : Double(count(kind)) / Double(pairs.count)
  }

  /// Fraction of pairs kept unchanged.
  public var keptShare: Double { share(.kept) }
  /// Fraction of pairs stretched part of the way.
  public var blendedShare: Double { share(.blended) }
  /// Fraction of pairs stretched by the full factor.
  public var interpolatedShare: Double { share(.interpolated) }

  /// The factor on the attention logits of the rotated channels, `m²` (section 0).
  public var logitScale: Double? { attentionScale.map { $0 * $0 } }

  /// Whether the longest baseline wavelength reaches a claimed window in tokens; `nil` without rotary frequencies.
  ///
  /// A window longer than every baseline wavelength puts positions the base model never told
  /// apart on its slowest pair.
  public func coversWindow<T: BinaryInteger>(_ claim: T) -> Bool? {
    longestOriginalWavelength.map { $0 >= Double(claim) }
  }

  public init(
    parameters: RoPEParameters, runtime: RoPERuntime, sequenceLength: Int?, pairs: [Pair], fullStretch: Double,
    attentionScale: Double?, softmaxScaleMultiplier: Double, longestOriginalWavelength: Double?,
    longestScaledWavelength: Double?, missingInputs: [String], problem: String?, summary: String
  ) {
    self.parameters = parameters
    self.runtime = runtime
    self.sequenceLength = sequenceLength
    self.pairs = pairs
    self.fullStretch = fullStretch
    self.attentionScale = attentionScale
    self.softmaxScaleMultiplier = softmaxScaleMultiplier
    self.longestOriginalWavelength = longestOriginalWavelength
    self.longestScaledWavelength = longestScaledWavelength
    self.missingInputs = missingInputs
    self.problem = problem
    self.summary = summary
  }

  /// Analyzes one model's RoPE settings as a runtime would apply them.
  /// - Parameters:
  ///   - p: the model's parameters.
  ///   - sequenceLength: overrides `p.sequenceLength`; pass `L` to see dynamic NTK or LongRoPE at
  ///     the full window, `nil` for load time.
  ///   - runtime: whose arithmetic to follow (default transformers).
  public static func analyze(
    _ p: RoPEParameters, sequenceLength: Int? = nil, runtime: RoPERuntime = .transformers
  ) -> RoPEAnalysis {
    let seq = sequenceLength ?? p.sequenceLength
    let problem = p.problem
    let baseline = p.hasRotaryFrequencies && problem == nil ? p.baselineInverseFrequencies : []
    let scaled = p.scaledInverseFrequencies(runtime: runtime, sequenceLength: seq) ?? []
    let full = fullStretch(p, runtime: runtime, sequenceLength: seq)
    var pairs: [Pair] = []
    if scaled.count == baseline.count {
      pairs = baseline.indices.map { k in
        let stretch = baseline[k] / scaled[k]
        return Pair(
          index: k, originalWavelength: RoPEMath.wavelength(baseline[k]),
          scaledWavelength: RoPEMath.wavelength(scaled[k]), stretch: stretch,
          kind: classify(stretch: stretch, full: full))
      }
    }
    var analysis = RoPEAnalysis(
      parameters: p, runtime: runtime, sequenceLength: seq, pairs: pairs, fullStretch: full,
      attentionScale: p.attentionScale(runtime: runtime), softmaxScaleMultiplier: p.softmaxScaleMultiplier,
      longestOriginalWavelength: baseline.last.map(RoPEMath.wavelength),
      longestScaledWavelength: pairs.map(\.scaledWavelength).max(), missingInputs: p.missingInputs,
      problem: problem, summary: "")
    analysis.summary = analysis.makeSummary()
    return analysis
  }

  // MARK: - Helpers

  private static func fullStretch(_ p: RoPEParameters, runtime: RoPERuntime, sequenceLength: Int?) -> Double {
    switch p.method {
    case .linear, .yarn, .llama3, .longrope:
      return p.effectiveFactor(runtime: runtime)
    case .dynamic, .ntk:
      guard p.rotaryDim > 2 else { return 1 }
      let ratio = p.scaledTheta(runtime: runtime, sequenceLength: sequenceLength) / p.theta
      return pow(ratio, Double(p.rotaryDim - 2) / Double(p.rotaryDim))
    case .none, .alibi, .absolute, .unknown:
      return 1
    }
  }

  static func close(_ a: Double, _ b: Double) -> Bool {
    abs(a - b) <= tolerance * max(abs(a), abs(b))
  }

  /// The kind of a pair with stretch `stretch` when `full` counts as full interpolation.
  static func classify(stretch: Double, full: Double) -> PairKind {
    if close(stretch, 1) { return .kept }
    if close(stretch, full) { return .interpolated }
    if stretch < min(1, full) { return .compressed }
    if stretch > max(1, full) { return .overstretched }
    return .blended
  }

  /// The report line for ``summary``, from the other fields.
  func makeSummary() -> String {
    let p = parameters
    guard p.hasRotaryFrequencies else {
      return p.method == .unknown ? "RoPE method unknown" : "no rotary embedding (\(p.method.rawValue))"
    }
    if let problem { return "no frequencies: \(problem)" }
    var parts: [String] = []
    if pairs.isEmpty {
      parts.append("\(p.pairCount) pairs, scaled frequencies unknown")
    } else {
      var counts: [String] = []
      if count(.kept) > 0 { counts.append("\(count(.kept)) kept") }
      if count(.blended) > 0 { counts.append("\(count(.blended)) blended") }
      if count(.interpolated) > 0 { counts.append("\(count(.interpolated)) interpolated ×\(Self.number(fullStretch))") }
      if count(.compressed) > 0 { counts.append("\(count(.compressed)) compressed") }
      if count(.overstretched) > 0 { counts.append("\(count(.overstretched)) stretched past ×\(Self.number(fullStretch))") }
      parts.append("\(pairs.count) pairs: " + counts.joined(separator: ", "))
    }
    if let original = longestOriginalWavelength {
      var text = "longest wavelength \(Self.tokens(original)) tokens"
      if let scaled = longestScaledWavelength, !Self.close(scaled, original) {
        text += " (\(Self.tokens(scaled)) scaled)"
      }
      parts.append(text)
    }
    switch p.method {
    case .dynamic, .ntk:
      let base = p.scaledTheta(runtime: runtime, sequenceLength: sequenceLength)
      if !Self.close(base, p.theta) { parts.append("base \(Self.tokens(base))") }
    case .longrope:
      parts.append(p.longropeUsesLongFactors(sequenceLength: sequenceLength) ? "long factors" : "short factors")
    case .none, .linear, .yarn, .llama3, .alibi, .absolute, .unknown:
      break
    }
    if let m = attentionScale, !Self.close(m, 1) { parts.append("attention ×\(Self.number(m))") }
    if !Self.close(softmaxScaleMultiplier, 1) { parts.append("softmax ×\(Self.number(softmaxScaleMultiplier))") }
    if !missingInputs.isEmpty { parts.append("defaults assumed for " + missingInputs.joined(separator: ", ")) }
    return parts.joined(separator: "; ")
  }

  /// A factor for people: integers plain (`8`), others to 3 decimals (`1.139`).
  static func number(_ x: Double) -> String {
    decimal(x, places: 3)
  }

  /// A token count with a decimal suffix: `6283`, `54.4K`, `2.6M`, `1.2B`.
  static func tokens(_ x: Double) -> String {
    let units: [(Double, String)] = [(1e9, "B"), (1e6, "M"), (1e3, "K")]
    for (size, suffix) in units where abs(x) >= size {
      return decimal(x / size, places: 1) + suffix
    }
    return decimal(x, places: 0)
  }

  /// `x` rounded to `places` decimals, trailing zeros dropped; non-finite and huge values as Swift prints them.
  static func decimal(_ x: Double, places: Int) -> String {
    var scale = 1.0
    for _ in 0..<places { scale *= 10 }
    let rounded = (x * scale).rounded()
    guard rounded.isFinite, abs(rounded) < 9e15 else { return "\(x)" }
    let n = Int64(rounded)
    let magnitude = n.magnitude
    let unit = UInt64(scale)
    var text = (n < 0 ? "-" : "") + String(magnitude / unit)
    var fraction = String(magnitude % unit)
    if places > 0 {
      fraction = String(repeating: "0", count: places - fraction.count) + fraction
      while fraction.hasSuffix("0") { fraction.removeLast() }
      if !fraction.isEmpty { text += "." + fraction }
    }
    return text
  }
}
