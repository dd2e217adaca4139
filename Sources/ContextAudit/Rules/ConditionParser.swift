/// Turns the `when:` YAML of a rule into a `Condition` tree, once, at load time.
///
/// Grammar (every mapping is strict: unknown or repeated keys are errors with their line:column):
///
/// ```
/// condition := {all: [condition, ...]} | {any: [condition, ...]} | {not: condition} | check
/// check     := {fact: KEY, OP: OPERAND}             exactly one OP
/// OP        := exists | equals | not-equals | in | not-in | matches | < | <= | > | >=
///            | equals-fact | not-equals-fact
/// OPERAND   := literal | {param: NAME} | {fact: KEY} | {fact: KEY, times: NUMBER | {param: NAME}}
/// ```
///
/// `exists` takes `true`/`false`; `in`/`not-in` a literal list or a list parameter; `matches` a
/// regular expression of at most `RegexPattern.maxPatternLength` characters; the ordering
/// operators a number, a number parameter or a fact operand; `equals-fact`/`not-equals-fact` a
/// fact key (shorthand for `equals: {fact: KEY}`). Combinators nest at most `maxDepth` levels.
public enum ConditionParser {
  /// The operators, as rule files spell them.
  public static let operatorNames = [
    "exists", "equals", "not-equals", "in", "not-in", "matches", "<", "<=", ">", ">=", "equals-fact",
    "not-equals-fact",
  ]
  /// Deepest nesting of `all`/`any`/`not`.
  public static let maxDepth = 16
  /// Longest fact key, in characters.
  public static let maxKeyLength = 256

  static let combinators = ["all", "any", "not"]

  /// Parses a condition whose YAML text is the whole document (for tests and tools).
  ///
  /// - Parameter params: the declared parameters with their default values.
  public static func parse(
    _ text: String, path: ArtifactPath, params: [String: FactValue] = [:]
  ) throws(RuleLoadError) -> Condition {
    let root = try YAMLNode.single(Array(text.utf8), path: path)
    return try parse(root, path: path, params: params)
  }

  static func parse(_ node: YAMLNode, path: ArtifactPath, params: [String: FactValue]) throws(RuleLoadError) -> Condition {
    let parser = Parser(path: path, params: params)
    return try parser.condition(node, depth: 0)
  }

  /// Whether `key` is acceptable as a fact key: non-empty, at most `maxKeyLength` characters,
  /// no whitespace or control characters and no braces.
  public static func isValidFactKey(_ key: String) -> Bool {
    !key.isEmpty && key.count <= maxKeyLength
      && !key.unicodeScalars.contains { $0.properties.isWhitespace || $0.value < 0x20 || $0 == "{" || $0 == "}" }
  }

  private struct Parser {
    let path: ArtifactPath
    let params: [String: FactValue]

    func condition(_ node: YAMLNode, depth: Int) throws(RuleLoadError) -> Condition {
      guard depth <= ConditionParser.maxDepth else {
        throw RuleLoadError(.tooDeep(limit: ConditionParser.maxDepth), at: node.location(in: path))
      }
      guard let pairs = node.mapping else {
        throw RuleLoadError(
          .wrongShape(context: "a condition", expected: "a mapping with all, any, not or fact"), at: node.location(in: path))
      }
      let keys = pairs.compactMap(\.key.scalar)
      if keys.contains("fact") { return .check(try check(node)) }
      let fields = try YAMLFields(node, path: path, context: "condition", allowed: ConditionParser.combinators + ["fact"])
      guard fields.entries.count == 1, let entry = fields.entries.first else {
        let second = fields.entries.dropFirst().first
        throw RuleLoadError(
          .wrongShape(context: "a combinator", expected: "a mapping with exactly one of all, any, not"),
          at: (second?.keyNode ?? node).location(in: path))
      }
      switch entry.key {
      case "not":
        return .not(try condition(entry.value, depth: depth + 1))
      default:
        guard let items = entry.value.sequence, !items.isEmpty else {
          throw RuleLoadError(.emptyCombinator(entry.key), at: entry.value.location(in: path))
        }
        var children: [Condition] = []
        for item in items { children.append(try condition(item, depth: depth + 1)) }
        return entry.key == "all" ? .all(children) : .any(children)
      }
    }

    func check(_ node: YAMLNode) throws(RuleLoadError) -> Check {
      let fields = try YAMLFields(node, path: path, context: "check", allowed: ["fact"] + ConditionParser.operatorNames)
      let keyNode = try fields.required("fact")
      let key = try factKey(keyNode, name: "fact")
      let ops = fields.entries.filter { $0.key != "fact" }
      guard ops.count == 1, let op = ops.first else {
        throw RuleLoadError(
          .checkOperatorCount(found: ops.map(\.key)), at: (ops.dropFirst().first?.keyNode ?? node).location(in: path))
      }
      return Check(fact: key, test: try test(op.key, op.value))
    }

    func test(_ name: String, _ value: YAMLNode) throws(RuleLoadError) -> Check.Test {
      switch name {
      case "exists":
        guard case .bool(let wanted) = value.factValue else {
          throw RuleLoadError(
            .invalidValue(key: "exists", value: value.scalar ?? "a collection", expected: "true or false"),
            at: value.location(in: path))
        }
        return .exists(wanted)
      case "equals": return .equals(try operand(value, op: name, numeric: false))
      case "not-equals": return .notEquals(try operand(value, op: name, numeric: false))
      case "equals-fact": return .equals(.fact(try factKey(value, name: name), times: nil))
      case "not-equals-fact": return .notEquals(.fact(try factKey(value, name: name), times: nil))
      case "in": return .isIn(try listOperand(value, op: name))
      case "not-in": return .notIn(try listOperand(value, op: name))
      case "matches":
        guard let source = value.scalar else {
          throw RuleLoadError(.wrongShape(context: "'matches'", expected: "a regular expression string"), at: value.location(in: path))
        }
        do {
          return .matches(try RegexPattern(source))
        } catch {
          throw RuleLoadError(error, at: value.location(in: path))
        }
      case "<": return .less(try operand(value, op: name, numeric: true))
      case "<=": return .lessOrEqual(try operand(value, op: name, numeric: true))
      case ">": return .greater(try operand(value, op: name, numeric: true))
      default: return .greaterOrEqual(try operand(value, op: name, numeric: true))
      }
    }

    func factKey(_ node: YAMLNode, name: String) throws(RuleLoadError) -> String {
      guard let key = node.scalar else {
        throw RuleLoadError(.wrongShape(context: "'\(name)'", expected: "a fact key"), at: node.location(in: path))
      }
      guard ConditionParser.isValidFactKey(key) else {
        throw RuleLoadError(.badFactKey(key), at: node.location(in: path))
      }
      return key
    }

    func operand(_ node: YAMLNode, op: String, numeric: Bool) throws(RuleLoadError) -> Operand {
      if node.mapping != nil {
        let keys = node.mapping?.compactMap(\.key.scalar) ?? []
        if keys.contains("param") {
          let fields = try YAMLFields(node, path: path, context: "parameter operand", allowed: ["param"])
          let name = try param(fields.required("param"), numeric: numeric)
          return .param(name)
        }
        let fields = try YAMLFields(node, path: path, context: "fact operand", allowed: ["fact", "times"])
        let key = try factKey(try fields.required("fact"), name: "fact")
        guard let timesNode = fields["times"] else { return .fact(key, times: nil) }
        return .fact(key, times: try multiplier(timesNode))
      }
      let value = node.factValue
      if numeric && value.doubleValue == nil {
        throw RuleLoadError(
          .invalidValue(key: "'\(op)'", value: node.scalar ?? "a list", expected: "a number, {param: NAME} or {fact: KEY}"),
          at: node.location(in: path))
      }
      if let items = node.sequence, let nested = items.first(where: { $0.scalar == nil }) {
        throw RuleLoadError(.wrongShape(context: "each item of a list operand", expected: "a scalar"), at: nested.location(in: path))
      }
      return .literal(value)
    }

    func listOperand(_ node: YAMLNode, op: String) throws(RuleLoadError) -> Operand {
      if node.mapping != nil {
        let fields = try YAMLFields(node, path: path, context: "parameter operand", allowed: ["param"])
        let nameNode = try fields.required("param")
        let name = try param(nameNode, numeric: false)
        if let value = params[name], value.arrayValue == nil {
          throw RuleLoadError(.invalidValue(key: "parameter '\(name)'", value: value.displayText, expected: "a list for '\(op)'"), at: nameNode.location(in: path))
        }
        return .param(name)
      }
      guard let items = node.sequence else {
        throw RuleLoadError(.wrongShape(context: "'\(op)'", expected: "a list or {param: NAME}"), at: node.location(in: path))
      }
      if let nested = items.first(where: { $0.scalar == nil }) {
        throw RuleLoadError(.wrongShape(context: "each item of '\(op)'", expected: "a scalar"), at: nested.location(in: path))
      }
      return .literal(node.factValue)
    }

    func multiplier(_ node: YAMLNode) throws(RuleLoadError) -> Operand.Multiplier {
      if node.mapping != nil {
        let fields = try YAMLFields(node, path: path, context: "'times'", allowed: ["param"])
        return .param(try param(fields.required("param"), numeric: true))
      }
      guard let n = node.factValue.doubleValue, n.isFinite else {
        throw RuleLoadError(
          .invalidValue(key: "times", value: node.scalar ?? "a list", expected: "a finite number or {param: NAME}"),
          at: node.location(in: path))
      }
      return .number(n)
    }

    func param(_ node: YAMLNode, numeric: Bool) throws(RuleLoadError) -> String {
      guard let name = node.scalar else {
        throw RuleLoadError(.wrongShape(context: "'param'", expected: "a parameter name"), at: node.location(in: path))
      }
      guard let value = params[name] else {
        throw RuleLoadError(.unknownParam(name), at: node.location(in: path))
      }
      if numeric && value.doubleValue == nil {
        throw RuleLoadError(.invalidValue(key: "parameter '\(name)'", value: value.displayText, expected: "a number"), at: node.location(in: path))
      }
      return name
    }
  }
}
