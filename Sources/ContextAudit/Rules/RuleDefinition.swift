/// One rule, as loaded from its file under `Rules/` (one rule per file; the file name is the id).
///
/// The file holds the rule's documentation (title, rationale, references) and its own tests
/// (examples), like semgrep's sibling test files and SwiftLint's `RuleDescription`. See
/// notes/README-rules.md for the file format.
public struct RuleDefinition: Hashable, Sendable {
  /// Kebab-case id users type; starts with the scope (`model-…`, `config-json-…`).
  public var id: String
  public var title: String
  /// `applies-to:`.
  public var scope: RuleScope
  public var severity: Severity
  public var rationale: String
  /// Papers, upstream issues and spec sections that back the rule.
  public var references: [String]
  public var message: MessageTemplate
  /// Named thresholds with their defaults, sorted by name.
  public var params: [RuleParam]
  /// `when:`.
  public var condition: Condition
  /// `location-from:`: the fact whose location the finding points at.
  public var locationFrom: String?
  /// Free-form `metadata:`; passed through to reports, never read by the engine.
  public var metadata: FactValue?
  /// Former ids; config entries and `--disable` under an old id still apply.
  public var deprecatedIDs: [String]
  public var examples: [RuleExample]
  /// The rule file, as the loader was given it (directory + relative path).
  public var file: String
  /// The directory given to `RuleCatalog.load` that held this file; `nil` for rules parsed from text.
  public var loadedFrom: String?

  public init(
    id: String, title: String, scope: RuleScope, severity: Severity, rationale: String, references: [String] = [],
    message: MessageTemplate, params: [RuleParam] = [], condition: Condition, locationFrom: String? = nil,
    metadata: FactValue? = nil, deprecatedIDs: [String] = [], examples: [RuleExample] = [], file: String,
    loadedFrom: String? = nil
  ) {
    self.id = id
    self.title = title
    self.scope = scope
    self.severity = severity
    self.rationale = rationale
    self.references = references
    self.message = message
    self.params = params.sorted { $0.name < $1.name }
    self.condition = condition
    self.locationFrom = locationFrom
    self.metadata = metadata
    self.deprecatedIDs = deprecatedIDs
    self.examples = examples
    self.file = file
    self.loadedFrom = loadedFrom
  }

  /// The id and every deprecated id.
  public var allIDs: [String] { [id] + deprecatedIDs }

  /// Parameter defaults by name.
  public var defaultParams: [String: FactValue] {
    Dictionary(params.map { ($0.name, $0.defaultValue) }, uniquingKeysWith: { first, _ in first })
  }

  /// What reporters need: id, title, severity, rationale and `metadata.help-uri` when it is a string.
  public var info: RuleInfo {
    RuleInfo(
      id: id, title: title, severity: severity, rationale: rationale,
      helpURI: metadata?.objectValue?["help-uri"]?.stringValue)
  }
}

/// A named threshold of a rule, overridable from `.ctxaudit.yaml`.
public struct RuleParam: Hashable, Sendable {
  public var name: String
  public var defaultValue: FactValue
  public var description: String?

  public init(name: String, defaultValue: FactValue, description: String? = nil) {
    self.name = name
    self.defaultValue = defaultValue
    self.description = description
  }
}

/// One example of a rule: facts (or a fixture file) and whether the rule should fire on them.
public struct RuleExample: Hashable, Sendable {
  public enum Expectation: String, Hashable, Sendable, CaseIterable {
    /// The rule must not fire ("fine").
    case ok
    /// The rule must fire ("flagged").
    case finding
  }

  public enum Input: Hashable, Sendable {
    /// Inline facts; their locations point into the rule file.
    case facts([Fact])
    /// A file or directory, relative to the repository root, read by the real readers first.
    case fixture(path: String, at: ExpectedLocation?)
  }

  /// `at:` of a fixture example: the fields the finding's location must have (others unchecked).
  public struct ExpectedLocation: Hashable, Sendable {
    public var path: String?
    public var line: Int?
    public var column: Int?
    public var offset: UInt64?

    public init(path: String? = nil, line: Int? = nil, column: Int? = nil, offset: UInt64? = nil) {
      self.path = path
      self.line = line
      self.column = column
      self.offset = offset
    }

    /// The mismatches between this expectation and `location`, one phrase each.
    public func mismatches(_ location: SourceLocation?) -> [String] {
      var out: [String] = []
      if let path, location?.path.value != path { out.append("path \(location?.path.value ?? "none") (expected \(path))") }
      if let line, location?.line != line { out.append("line \(location?.line.map(String.init) ?? "none") (expected \(line))") }
      if let column, location?.column != column {
        out.append("column \(location?.column.map(String.init) ?? "none") (expected \(column))")
      }
      if let offset, location?.offset != offset {
        out.append("offset \(location?.offset.map { String($0) } ?? "none") (expected \(offset))")
      }
      return out
    }
  }

  public var name: String
  public var expect: Expectation
  public var input: Input
  /// When set on a `finding` example, the exact rendered message.
  public var message: String?
  /// 1-based line of the example in its rule file.
  public var line: Int

  public init(name: String, expect: Expectation, input: Input, message: String? = nil, line: Int) {
    self.name = name
    self.expect = expect
    self.input = input
    self.message = message
    self.line = line
  }
}
