/// The `when:` of a rule: a small, closed, side-effect-free language over facts.
///
/// `all`, `any` and `not` combine checks; a check compares the facts of one key with an operand.
/// Conditions are parsed once when a rule file is loaded (`ConditionParser`); evaluation does no
/// parsing and never fails: a missing fact or a type mismatch makes a comparison false.
public indirect enum Condition: Hashable, Sendable {
  /// Holds when every condition holds.
  case all([Condition])
  /// Holds when at least one condition holds.
  case any([Condition])
  /// Holds when the condition does not.
  case not(Condition)
  case check(Check)

  /// Every fact key the condition may read, subject keys and operand keys, in first-use order.
  public var factKeys: [String] {
    var keys: [String] = []
    func visit(_ c: Condition) {
      switch c {
      case .all(let items), .any(let items): items.forEach(visit)
      case .not(let inner): visit(inner)
      case .check(let check):
        for key in [check.fact] + check.test.operandFactKeys where !keys.contains(key) { keys.append(key) }
      }
    }
    visit(self)
    return keys
  }

  /// Every parameter name the condition uses.
  public var paramNames: [String] {
    var names: [String] = []
    func visit(_ c: Condition) {
      switch c {
      case .all(let items), .any(let items): items.forEach(visit)
      case .not(let inner): visit(inner)
      case .check(let check):
        for name in check.test.paramNames where !names.contains(name) { names.append(name) }
      }
    }
    visit(self)
    return names
  }
}

/// One comparison over the facts of one key: `{fact: KEY, <op>: OPERAND}`.
public struct Check: Hashable, Sendable {
  /// The subject fact key.
  public var fact: String
  /// The operator and its operand.
  public var test: Test

  public init(fact: String, test: Test) {
    self.fact = fact
    self.test = test
  }

  /// The comparison a check makes. Its cases are the operators of a rule file.
  public enum Test: Hashable, Sendable {
    /// `exists: true` holds when a fact of the key is present; `exists: false` when none is.
    case exists(Bool)
    /// `equals` / `equals-fact`. Numbers compare by value (`4` equals `4.0`).
    case equals(Operand)
    /// `not-equals` / `not-equals-fact`: both values present, of comparable types, and different.
    case notEquals(Operand)
    /// `in`: equal to one item of a list (a literal list or a list parameter).
    case isIn(Operand)
    /// `not-in`: equal to no item, and comparable with at least one item.
    case notIn(Operand)
    /// `matches`: a string fact contains a match of the pattern (anchor with `^`/`$`).
    case matches(RegexPattern)
    case less(Operand)
    case lessOrEqual(Operand)
    case greater(Operand)
    case greaterOrEqual(Operand)

    /// The operator as a rule file spells it.
    public var operatorName: String {
      switch self {
      case .exists: return "exists"
      case .equals(.fact(_, nil)): return "equals-fact"
      case .equals: return "equals"
      case .notEquals(.fact(_, nil)): return "not-equals-fact"
      case .notEquals: return "not-equals"
      case .isIn: return "in"
      case .notIn: return "not-in"
      case .matches: return "matches"
      case .less: return "<"
      case .lessOrEqual: return "<="
      case .greater: return ">"
      case .greaterOrEqual: return ">="
      }
    }

    /// The right-hand side; `nil` for `exists` and `matches`.
    public var operand: Operand? {
      switch self {
      case .exists, .matches: return nil
      case .equals(let o), .notEquals(let o), .isIn(let o), .notIn(let o), .less(let o), .lessOrEqual(let o),
        .greater(let o), .greaterOrEqual(let o):
        return o
      }
    }

    var operandFactKeys: [String] {
      if case .fact(let key, _)? = operand { return [key] }
      return []
    }

    var paramNames: [String] {
      switch operand {
      case .param(let name)?: return [name]
      case .fact(_, .param(let name)?)?: return [name]
      default: return []
      }
    }
  }
}

/// The right-hand side of a check.
public enum Operand: Hashable, Sendable {
  /// A value written in the rule: number, string, boolean, null or list.
  case literal(FactValue)
  /// `{param: NAME}`: the rule's parameter, after config overrides.
  case param(String)
  /// `{fact: KEY}` or `{fact: KEY, times: N}`: every fact of another key, optionally multiplied.
  ///
  /// `times` is the only arithmetic the language has: one multiplier, a number or a parameter.
  case fact(String, times: Multiplier?)

  /// The `times:` of a fact operand.
  public enum Multiplier: Hashable, Sendable {
    case number(Double)
    case param(String)
  }
}

/// A compiled `matches:` pattern.
///
/// `Regex` is not `Sendable`, but it is immutable once built: its lazily lowered program is
/// published with an atomic compare-and-exchange (swift-experimental-string-processing,
/// `Regex.Program`), and the loader forces that lowering once before sharing. Hence the
/// unchecked conformance. Equality and hashing use the source text.
public struct RegexPattern: Hashable, @unchecked Sendable, CustomStringConvertible {
  /// Longest pattern a rule may use, in characters; keeps compile time and backtracking bounded.
  public static let maxPatternLength = 256
  /// Only the first this-many Unicode scalars of a fact's string are searched.
  public static let maxSubjectScalars = 4096

  /// The pattern as written in the rule file.
  public let source: String
  let regex: Regex<AnyRegexOutput>

  /// Compiles `source`; the error text is the regex parser's.
  public init(_ source: String) throws(RuleFileProblem) {
    guard source.count <= RegexPattern.maxPatternLength else {
      throw .patternTooLong(length: source.count, limit: RegexPattern.maxPatternLength)
    }
    do {
      regex = try Regex(source)
      _ = "".firstMatch(of: regex)  // lower the program now, before the value is shared
    } catch {
      let problem = String(describing: error).split(whereSeparator: \.isNewline).joined(separator: " ")
      throw .badRegex(pattern: source, problem: problem)
    }
    self.source = source
  }

  /// Whether `text` (its first `maxSubjectScalars` scalars) contains a match.
  public func matches(_ text: String) -> Bool {
    let scalars = text.unicodeScalars
    if scalars.count > RegexPattern.maxSubjectScalars {
      var bounded = String.UnicodeScalarView()
      bounded.append(contentsOf: scalars.prefix(RegexPattern.maxSubjectScalars))
      return String(bounded).firstMatch(of: regex) != nil
    }
    return text.firstMatch(of: regex) != nil
  }

  public var description: String { source }

  public static func == (lhs: RegexPattern, rhs: RegexPattern) -> Bool { lhs.source == rhs.source }
  public func hash(into hasher: inout Hasher) { hasher.combine(source) }
}
