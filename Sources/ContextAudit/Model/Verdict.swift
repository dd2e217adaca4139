/// Whether a model's window is native, stretched by a static method, stretched at run time, or undecided.
public enum VerdictKind: String, Hashable, Sendable, Codable, CaseIterable {
  case native, interpolated, dynamic, unknown
}

/// The position method a model uses for its window.
public enum RopeMethod: String, Hashable, Sendable, Codable, CaseIterable {
  case none, linear, dynamic, ntk, yarn, llama3, longrope, alibi, absolute, unknown
}

/// The answer ctxaudit gives for one model.
public struct Verdict: Hashable, Sendable {
  public var kind: VerdictKind
  public var method: RopeMethod
  /// The scaling factor `s`, when one applies.
  public var factor: Double?
  /// Fine-tuned at the long length after scaling: `true`, `false`, or `nil` for unknown.
  public var fineTuned: Bool?
  /// One line a person reads at a glance, e.g. `131072 = 32768 x 4 (YaRN, not fine-tuned)`.
  public var summary: String
  /// Which source the verdict followed when sources disagree (artifact path), if any.
  public var followed: ArtifactPath?
  /// Why the verdict is `unknown`, or other caveats.
  public var reason: String?

  public init(
    kind: VerdictKind, method: RopeMethod, factor: Double? = nil, fineTuned: Bool? = nil, summary: String,
    followed: ArtifactPath? = nil, reason: String? = nil
  ) {
    self.kind = kind
    self.method = method
    self.factor = factor
    self.fineTuned = fineTuned
    self.summary = summary
    self.followed = followed
    self.reason = reason
  }
}

/// The four windows ctxaudit keeps apart (manifests-and-layouts.md section 0); `nil` when unknown.
public struct Windows: Hashable, Sendable {
  /// Trained length before any extension.
  public var native: Int64?
  /// What the declared scaling reaches.
  public var effective: Int64?
  /// What the model card claims.
  public var advertised: Int64?
  /// What a serving manifest makes a server accept.
  public var served: Int64?

  public init(native: Int64? = nil, effective: Int64? = nil, advertised: Int64? = nil, served: Int64? = nil) {
    self.native = native
    self.effective = effective
    self.advertised = advertised
    self.served = served
  }
}
