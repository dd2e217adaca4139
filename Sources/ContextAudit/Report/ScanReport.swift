/// Everything one scan found, in the order reporters print it.
///
/// Reporters render this value and nothing else; it holds no absolute paths of the scanning
/// machine and no timestamps, so the same inputs give byte-identical reports.
public struct ScanReport: Hashable, Sendable {
  /// Bumped when a field is removed or changes meaning; additions keep the version.
  public static let schemaVersion = 1

  public var models: [ModelReport]
  /// The rules that ran, for SARIF's `tool.driver.rules` and for help text.
  public var rules: [RuleInfo]

  public init(models: [ModelReport], rules: [RuleInfo]) {
    self.models = models
    self.rules = rules
  }

  /// Finding counts per severity over all models.
  public var summary: Summary {
    var s = Summary(models: models.count, errors: 0, warnings: 0, notes: 0)
    for finding in models.flatMap(\.findings) {
      switch finding.severity {
      case .error: s.errors += 1
      case .warning: s.warnings += 1
      case .note: s.notes += 1
      }
    }
    return s
  }

  public struct Summary: Hashable, Sendable {
    public var models: Int
    public var errors: Int
    public var warnings: Int
    public var notes: Int
  }
}

/// A source file that belongs to a model unit.
public struct SourceRef: Hashable, Sendable, Comparable {
  public var path: ArtifactPath
  public var kind: ArtifactKind

  public init(path: ArtifactPath, kind: ArtifactKind) {
    self.path = path
    self.kind = kind
  }

  public static func < (lhs: SourceRef, rhs: SourceRef) -> Bool { lhs.path < rhs.path }
}

/// What a runtime will do with this package (rope-methods.md section 5).
public struct RuntimeView: Hashable, Sendable {
  /// `vllm`, `llama.cpp`, `ollama`, `transformers`.
  public var runtime: String
  /// The window that runtime uses by default, `nil` when it cannot be told.
  public var window: Int64?
  /// How that number comes about, one line.
  public var note: String

  public init(runtime: String, window: Int64?, note: String) {
    self.runtime = runtime
    self.window = window
    self.note = note
  }
}

/// The audit of one model unit.
public struct ModelReport: Hashable, Sendable {
  /// The unit's path relative to the scan root (a directory, a file, or an archive member).
  public var path: ArtifactPath
  /// A display name when the store knows one (`org/name@rev`, `name:tag`).
  public var name: String?
  public var sources: [SourceRef]
  public var architecture: String?
  public var verdict: Verdict
  public var windows: Windows
  public var runtimes: [RuntimeView]
  /// How each RoPE frequency pair is stretched; `nil` without rotary positions (ALiBi, absolute,
  /// unknown) or when the rotary dimension is not known.
  public var analysis: RopeAnalysisReport?
  /// Sorted with `Finding.<`.
  public var findings: [Finding]

  public init(
    path: ArtifactPath, name: String? = nil, sources: [SourceRef], architecture: String?, verdict: Verdict,
    windows: Windows, runtimes: [RuntimeView] = [], analysis: RopeAnalysisReport? = nil, findings: [Finding]
  ) {
    self.path = path
    self.name = name
    self.sources = sources
    self.architecture = architecture
    self.verdict = verdict
    self.windows = windows
    self.runtimes = runtimes
    self.analysis = analysis
    self.findings = findings
  }
}

/// The per-pair RoPE analysis of one model as the report carries it (rope-methods.md sections 0 and 4).
///
/// Built from a ``RoPEAnalysis`` by `ModelView.ropeAnalysis`. Wavelengths are in tokens; the
/// stretch of a pair is its scaled wavelength over its original one (1 kept, the full factor
/// interpolated). Numbers keep full `Double` precision; people-facing reporters show only
/// ``summary``.
public struct RopeAnalysisReport: Hashable, Sendable {
  /// One frequency pair.
  public struct Pair: Hashable, Sendable {
    /// Pair index `k`, 0-based.
    public var index: Int
    public var originalWavelength: Double
    public var scaledWavelength: Double
    public var stretch: Double
    public var kind: RoPEAnalysis.PairKind

    public init(index: Int, originalWavelength: Double, scaledWavelength: Double, stretch: Double, kind: RoPEAnalysis.PairKind) {
      self.index = index
      self.originalWavelength = originalWavelength
      self.scaledWavelength = scaledWavelength
      self.stretch = stretch
      self.kind = kind
    }
  }

  /// Whose arithmetic the pairs follow: `transformers`, or `llama.cpp` for GGUF `rope_freqs` divisors.
  public var runtime: String
  /// `d`, rotated channels per head.
  public var rotaryDim: Int
  /// `θ`, the base.
  public var theta: Double
  /// `ceil(d/2)`; ``pairs`` is empty when the scaled frequencies cannot be computed.
  public var pairCount: Int
  /// The stretch that counts as full interpolation (``RoPEAnalysis/fullStretch``).
  public var fullStretch: Double
  /// The sequence length the pairs were computed for (dynamic NTK, LongRoPE), `nil` when it does not matter.
  public var sequenceLength: Int?
  public var longestOriginalWavelength: Double?
  public var longestScaledWavelength: Double?
  /// Whether the longest original wavelength reaches the advertised window; `nil` when either is unknown.
  public var coversAdvertised: Bool?
  /// Whether the longest original wavelength reaches the effective window; `nil` when either is unknown.
  public var coversEffective: Bool?
  /// `m` on cos and sin; `nil` when it cannot be computed.
  public var attentionScale: Double?
  /// DeepSeek's softmax-scale multiplier; `nil` when it does not apply (it would be 1).
  public var softmaxScaleMultiplier: Double?
  /// One line, e.g. `64 pairs: 29 kept, 6 blended, 29 interpolated ×8; longest wavelength 2.6M tokens (20.5M scaled)`.
  public var summary: String
  /// Where another runtime computes something else, one fragment each (llama.cpp, and vLLM for dynamic NTK).
  public var runtimeNotes: [String]
  public var pairs: [Pair]

  public init(
    runtime: String, rotaryDim: Int, theta: Double, pairCount: Int, fullStretch: Double, sequenceLength: Int?,
    longestOriginalWavelength: Double?, longestScaledWavelength: Double?, coversAdvertised: Bool?,
    coversEffective: Bool?, attentionScale: Double?, softmaxScaleMultiplier: Double?, summary: String,
    runtimeNotes: [String], pairs: [Pair]
  ) {
    self.runtime = runtime
    self.rotaryDim = rotaryDim
    self.theta = theta
    self.pairCount = pairCount
    self.fullStretch = fullStretch
    self.sequenceLength = sequenceLength
    self.longestOriginalWavelength = longestOriginalWavelength
    self.longestScaledWavelength = longestScaledWavelength
    self.coversAdvertised = coversAdvertised
    self.coversEffective = coversEffective
    self.attentionScale = attentionScale
    self.softmaxScaleMultiplier = softmaxScaleMultiplier
    self.summary = summary
    self.runtimeNotes = runtimeNotes
    self.pairs = pairs
  }

  /// The number of pairs of one kind.
  public func count(_ kind: RoPEAnalysis.PairKind) -> Int {
    pairs.reduce(0) { $0 + ($1.kind == kind ? 1 : 0) }
  }

  /// The fraction of ``pairs`` of one kind, 0 when there are none.
  public func share(_ kind: RoPEAnalysis.PairKind) -> Double {
    pairs.isEmpty ? 0 : Double(count(kind)) / Double(pairs.count)
  }
}

/// What a reporter needs to know about a rule.
public struct RuleInfo: Hashable, Sendable, Comparable {
  public var id: String
  public var title: String
  public var severity: Severity
  public var rationale: String
  public var helpURI: String?

  public init(id: String, title: String, severity: Severity, rationale: String, helpURI: String? = nil) {
    self.id = id
    self.title = title
    self.severity = severity
    self.rationale = rationale
    self.helpURI = helpURI
  }

  public static func < (lhs: RuleInfo, rhs: RuleInfo) -> Bool { lhs.id < rhs.id }
}
