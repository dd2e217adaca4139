/// What is wrong with a rule file or a `.ctxaudit.yaml`, without the location.
///
/// Shared by `RuleLoadError` and `AuditConfigError`: both files are small YAML mappings read with
/// the same strict shape checks (unknown and repeated keys are errors, never ignored).
public enum RuleFileProblem: Error, Hashable, Sendable {
  /// The file could not be read (missing, not a regular file, too large).
  case unreadable(String)
  /// libyaml rejected the text, or a reader limit was crossed.
  case yaml(String)
  /// The file holds zero or several YAML documents instead of one.
  case documentCount(Int)
  /// A node has the wrong YAML shape, e.g. `expected: "a mapping"`, `context: "rule"`.
  case wrongShape(context: String, expected: String)
  case unknownKey(String, context: String, expected: [String])
  case duplicateKey(String, context: String)
  case missingKey(String, context: String)
  /// A value of a known key is not one of the allowed values.
  case invalidValue(key: String, value: String, expected: String)
  case badRuleID(String)
  case idMismatch(id: String, fileName: String)
  case duplicateRuleID(String, firstAt: String)
  case reservedRuleID(String)
  case checkOperatorCount(found: [String])
  case tooDeep(limit: Int)
  case emptyCombinator(String)
  case badRegex(pattern: String, problem: String)
  case patternTooLong(length: Int, limit: Int)
  case unknownParam(String)
  case badPlaceholder(String)
  case badFactKey(String)
  case badFixturePath(String)
  /// A config names a rule no loaded rule has (id or deprecated id).
  case unknownRule(String)
  /// A config parameter override has a different type than the rule's default.
  case paramType(rule: String, param: String, expected: String)
  case ignoreWithoutReason(rule: String)
  case missingDirectory(String)

  /// A fragment with no final period that names the value and the expectation.
  public var message: String {
    switch self {
    case .unreadable(let why): return "cannot read file: \(why)"
    case .yaml(let text): return text
    case .documentCount(let n): return "file holds \(n) YAML documents (expected exactly 1)"
    case .wrongShape(let context, let expected): return "\(context) must be \(expected)"
    case .unknownKey(let key, let context, let expected):
      return "unknown key '\(key)' in \(context) (expected one of: \(expected.joined(separator: ", ")))"
    case .duplicateKey(let key, let context): return "key '\(key)' appears more than once in \(context)"
    case .missingKey(let key, let context): return "\(context) has no '\(key)'"
    case .invalidValue(let key, let value, let expected): return "\(key) '\(value)' is not valid (expected \(expected))"
    case .badRuleID(let id): return "rule id '\(id)' is not kebab-case (expected lowercase letters, digits and single dashes)"
    case .idMismatch(let id, let fileName): return "rule id '\(id)' does not match the file name '\(fileName)' (expected \(id).yaml)"
    case .duplicateRuleID(let id, let firstAt): return "rule id '\(id)' is already used by \(firstAt)"
    case .reservedRuleID(let id): return "rule id '\(id)' is reserved for the tool"
    case .checkOperatorCount(let found):
      if found.isEmpty {
        return "check has no operator (expected exactly one of: \(ConditionParser.operatorNames.joined(separator: ", ")))"
      }
      return "check has \(found.count) operators (\(found.joined(separator: ", "))); expected exactly one"
    case .tooDeep(let limit): return "condition nested deeper than \(limit) levels"
    case .emptyCombinator(let name): return "'\(name)' needs a non-empty list of conditions"
    case .badRegex(let pattern, let problem): return "regular expression '\(pattern)' does not compile: \(problem)"
    case .patternTooLong(let length, let limit): return "regular expression is \(length) characters long (limit \(limit))"
    case .unknownParam(let name): return "parameter '\(name)' is not declared under 'params'"
    case .badPlaceholder(let text): return "message placeholder '{{\(text)}}' is not valid (expected {{fact.key}} or {{param.name}})"
    case .badFactKey(let key): return "fact key '\(key)' is not valid (expected a dotted key without spaces)"
    case .badFixturePath(let path): return "fixture path '\(path)' must be relative to the repository root and stay inside it"
    case .unknownRule(let id): return "no rule has the id '\(id)'"
    case .paramType(let rule, let param, let expected): return "parameter '\(param)' of rule '\(rule)' must be \(expected)"
    case .ignoreWithoutReason(let rule): return "ignore entry for rule '\(rule)' has no reason (say why the finding does not apply)"
    case .missingDirectory(let path): return "rules directory '\(path)' does not exist or is not a directory"
    }
  }
}

/// An error in a rule file, with the 1-based line and column in that file.
public struct RuleLoadError: Error, Hashable, Sendable, LocatedError {
  public var problem: RuleFileProblem
  /// The rule file (path as loaded) and, when known, the line and column of the offending node.
  public var location: SourceLocation

  public init(_ problem: RuleFileProblem, at location: SourceLocation) {
    self.problem = problem
    self.location = location
  }

  public var message: String { problem.message }
}

/// Every problem found while loading a rule catalog; loading reports all files, not just the first.
public struct RuleCatalogError: Error, Hashable, Sendable {
  /// Sorted by file, then line.
  public var errors: [RuleLoadError]

  public init(_ errors: [RuleLoadError]) {
    self.errors = errors.sorted { $0.location < $1.location }
  }
}

/// An error in a `.ctxaudit.yaml`, with the 1-based line and column in that file.
public struct AuditConfigError: Error, Hashable, Sendable, LocatedError {
  public var problem: RuleFileProblem
  public var location: SourceLocation

  public init(_ problem: RuleFileProblem, at location: SourceLocation) {
    self.problem = problem
    self.location = location
  }

  public var message: String { problem.message }
}
