/// What a rule looks at: the facts of one artifact kind, or every fact of a model unit.
///
/// The raw values are the `applies-to:` spellings of a rule file. `model` rules are cross-file:
/// they run once per model unit (a directory or an archive) after every artifact is read, over
/// all its facts plus the derived `model.*` facts (docs/facts.md), as SwiftLint's two-phase
/// `CollectingRule` does.
public enum RuleScope: String, Hashable, Sendable, CaseIterable, Comparable {
  case gguf
  case configJSON = "config-json"
  case modelCard = "model-card"
  case yamlManifest = "yaml-manifest"
  case modelfile
  case ollamaParams = "ollama-params"
  case model

  /// The scope of rules about a single artifact of `kind`.
  public init(kind: ArtifactKind) {
    switch kind {
    case .gguf: self = .gguf
    case .configJSON: self = .configJSON
    case .modelCard: self = .modelCard
    case .yamlManifest: self = .yamlManifest
    case .modelfile: self = .modelfile
    case .ollamaParams: self = .ollamaParams
    }
  }

  /// The artifact kind of a single-artifact scope; `nil` for `model`.
  public var artifactKind: ArtifactKind? {
    switch self {
    case .gguf: return .gguf
    case .configJSON: return .configJSON
    case .modelCard: return .modelCard
    case .yamlManifest: return .yamlManifest
    case .modelfile: return .modelfile
    case .ollamaParams: return .ollamaParams
    case .model: return nil
    }
  }

  public static func < (lhs: RuleScope, rhs: RuleScope) -> Bool { lhs.rawValue < rhs.rawValue }
}
