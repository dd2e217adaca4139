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
  /// Sorted with `Finding.<`.
  public var findings: [Finding]

  public init(
    path: ArtifactPath, name: String? = nil, sources: [SourceRef], architecture: String?, verdict: Verdict,
    windows: Windows, runtimes: [RuntimeView] = [], findings: [Finding]
  ) {
    self.path = path
    self.name = name
    self.sources = sources
    self.architecture = architecture
    self.verdict = verdict
    self.windows = windows
    self.runtimes = runtimes
    self.findings = findings
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
