import Testing
@testable import ContextAudit

@Suite struct ConditionParserTests {
  let path = ArtifactPath("Rules/model/r.yaml")

  func parse(_ text: String, params: [String: FactValue] = [:]) throws -> Condition {
    try ConditionParser.parse(text, path: path, params: params)
  }

  struct OperatorCase: Sendable, CustomStringConvertible {
    var yaml: String
    var expected: Check.Test
    var description: String { yaml }
  }

  static let operatorCases: [OperatorCase] = [
    OperatorCase(yaml: "{fact: k, exists: true}", expected: .exists(true)),
    OperatorCase(yaml: "{fact: k, exists: false}", expected: .exists(false)),
    OperatorCase(yaml: "{fact: k, equals: 131072}", expected: .equals(.literal(.int(131072)))),
    OperatorCase(yaml: "{fact: k, equals: yarn}", expected: .equals(.literal(.string("yarn")))),
    OperatorCase(yaml: "{fact: k, equals: '8192'}", expected: .equals(.literal(.string("8192")))),
    OperatorCase(yaml: "{fact: k, not-equals: 4.0}", expected: .notEquals(.literal(.double(4)))),
    OperatorCase(yaml: "{fact: k, in: [linear, yarn]}", expected: .isIn(.literal(.array(["linear", "yarn"])))),
    OperatorCase(yaml: "{fact: k, not-in: [2, 3]}", expected: .notIn(.literal(.array([2, 3])))),
    OperatorCase(yaml: "{fact: k, '<': 4096}", expected: .less(.literal(.int(4096)))),
    OperatorCase(yaml: "{fact: k, '<=': 0.5}", expected: .lessOrEqual(.literal(.double(0.5)))),
    OperatorCase(yaml: "{fact: k, '>': {param: max-factor}}", expected: .greater(.param("max-factor"))),
    OperatorCase(yaml: "{fact: k, '>=': {fact: other}}", expected: .greaterOrEqual(.fact("other", times: nil))),
    OperatorCase(yaml: "{fact: k, '>': {fact: other, times: 2}}", expected: .greater(.fact("other", times: .number(2)))),
    OperatorCase(
      yaml: "{fact: k, '>': {fact: other, times: {param: max-factor}}}",
      expected: .greater(.fact("other", times: .param("max-factor")))),
    OperatorCase(yaml: "{fact: k, equals-fact: model.window.native}", expected: .equals(.fact("model.window.native", times: nil))),
    OperatorCase(yaml: "{fact: k, not-equals-fact: other}", expected: .notEquals(.fact("other", times: nil))),
    OperatorCase(yaml: "{fact: k, in: {param: methods}}", expected: .isIn(.param("methods"))),
    OperatorCase(yaml: "{fact: k, equals: {param: max-factor}}", expected: .equals(.param("max-factor"))),
  ]

  @Test(arguments: operatorCases)
  func parsesOperator(_ c: OperatorCase) throws {
    let condition = try parse(c.yaml, params: ["max-factor": 4, "methods": .array(["yarn"])])
    #expect(condition == .check(Check(fact: "k", test: c.expected)))
  }

  @Test func parsesMatchesIntoACompiledPattern() throws {
    let condition = try parse("{fact: model.rope.type_declared, matches: '^(su|longrope)$'}")
    guard case .check(let check) = condition, case .matches(let pattern) = check.test else {
      Issue.record("expected a matches check, got \(condition)")
      return
    }
    #expect(pattern.source == "^(su|longrope)$")
    #expect(pattern.matches("su") && !pattern.matches("sux"))
  }

  @Test func parsesNestedCombinators() throws {
    let text = """
      all:
        - {fact: a, exists: true}
        - any:
            - {fact: b, equals: 1}
            - not: {fact: c, equals: x}
      """
    #expect(
      try parse(text)
        == .all([
          .check(Check(fact: "a", test: .exists(true))),
          .any([
            .check(Check(fact: "b", test: .equals(.literal(1)))),
            .not(.check(Check(fact: "c", test: .equals(.literal("x"))))),
          ]),
        ]))
  }

  @Test func listsFactKeysAndParamsInFirstUseOrder() throws {
    let condition = try parse(
      "all: [{fact: a, '>': {fact: b, times: {param: r}}}, {fact: b, '<': {param: s}}, {fact: c, exists: true}]",
      params: ["r": 2, "s": 3])
    #expect(condition.factKeys == ["a", "b", "c"])
    #expect(condition.paramNames == ["r", "s"])
  }

  // MARK: errors, each with its line:column in the rule file

  @Test func rejectsUnknownKeyInCheckAtItsPosition() {
    let error = loadError { _ = try parse("fact: k\nequals: 1\nbogus: 2\n") }
    #expect(error?.location == SourceLocation(path: path, line: 3, column: 1))
    if case .unknownKey("bogus", "check", _)? = error?.problem {} else { Issue.record("got \(String(describing: error))") }
  }

  @Test func rejectsUnknownOperatorWithTheOperatorList() {
    let error = loadError { _ = try parse("all:\n  - fact: k\n    greater: 3\n") }
    #expect(error?.location == SourceLocation(path: path, line: 3, column: 5))
    #expect(error?.problem == .unknownKey("greater", context: "check", expected: ["fact"] + ConditionParser.operatorNames))
    #expect(error?.message.hasPrefix("unknown key 'greater' in check (expected one of: fact, exists, equals,") == true)
  }

  @Test func rejectsTwoOperatorsAtTheSecond() {
    let error = loadError { _ = try parse("fact: k\nequals: 1\nexists: true\n") }
    #expect(error == RuleLoadError(.checkOperatorCount(found: ["equals", "exists"]), at: SourceLocation(path: path, line: 3, column: 1)))
  }

  @Test func rejectsCheckWithoutOperator() {
    let error = loadError { _ = try parse("any:\n  - {fact: k}\n") }
    #expect(error == RuleLoadError(.checkOperatorCount(found: []), at: SourceLocation(path: path, line: 2, column: 5)))
  }

  @Test func rejectsUnknownCombinator() {
    let error = loadError { _ = try parse("either:\n  - {fact: k, exists: true}\n") }
    #expect(error?.location == SourceLocation(path: path, line: 1, column: 1))
    #expect(error?.problem == .unknownKey("either", context: "condition", expected: ["all", "any", "not", "fact"]))
  }

  @Test func rejectsEmptyAll() {
    let error = loadError { _ = try parse("all: []\n") }
    #expect(error == RuleLoadError(.emptyCombinator("all"), at: SourceLocation(path: path, line: 1, column: 6)))
  }

  @Test func rejectsNestingPastTheLimit() {
    // 17 `not:` levels, one line each, the last one holding the check.
    var text = ""
    for level in 0...ConditionParser.maxDepth { text += String(repeating: "  ", count: level) + "not:\n" }
    text += String(repeating: "  ", count: ConditionParser.maxDepth + 1) + "{fact: k, exists: true}\n"
    let error = loadError { _ = try parse(text) }
    #expect(error == RuleLoadError(.tooDeep(limit: 16), at: SourceLocation(path: path, line: 18, column: 35)))
    // 16 levels are fine.
    var ok = ""
    for level in 0..<ConditionParser.maxDepth { ok += String(repeating: "  ", count: level) + "not:\n" }
    ok += String(repeating: "  ", count: ConditionParser.maxDepth) + "{fact: k, exists: true}\n"
    #expect(throws: Never.self) { _ = try parse(ok) }
  }

  @Test func rejectsRegexThatDoesNotCompile() {
    let error = loadError { _ = try parse("{fact: k, matches: '(unclosed'}") }
    #expect(error?.location == SourceLocation(path: path, line: 1, column: 20))
    if case .badRegex(pattern: "(unclosed", _)? = error?.problem {} else { Issue.record("got \(String(describing: error))") }
  }

  @Test func rejectsOverlongRegex() {
    let pattern = String(repeating: "a", count: 257)
    let error = loadError { _ = try parse("{fact: k, matches: \(pattern)}") }
    #expect(error?.problem == .patternTooLong(length: 257, limit: 256))
  }

  @Test func rejectsUndeclaredParam() {
    let error = loadError { _ = try parse("fact: k\n'>': {param: max-ratio}\n", params: ["max-factor": 4]) }
    #expect(error == RuleLoadError(.unknownParam("max-ratio"), at: SourceLocation(path: path, line: 2, column: 14)))
  }

  @Test func rejectsStringLiteralForOrderingOperator() {
    let error = loadError { _ = try parse("{fact: k, '>': big}") }
    #expect(error?.location == SourceLocation(path: path, line: 1, column: 16))
    #expect(error?.problem == .invalidValue(key: "'>'", value: "big", expected: "a number, {param: NAME} or {fact: KEY}"))
  }

  @Test func rejectsNonBooleanExists() {
    let error = loadError { _ = try parse("{fact: k, exists: maybe}") }
    #expect(error?.problem == .invalidValue(key: "exists", value: "maybe", expected: "true or false"))
    #expect(error?.location.column == 19)
  }

  @Test func rejectsScalarForIn() {
    let error = loadError { _ = try parse("{fact: k, in: yarn}") }
    #expect(error == RuleLoadError(.wrongShape(context: "'in'", expected: "a list or {param: NAME}"), at: SourceLocation(path: path, line: 1, column: 15)))
  }

  @Test func rejectsTimesOnParamOperand() {
    let error = loadError { _ = try parse("{fact: k, '>': {param: p, times: 2}}", params: ["p": 1]) }
    #expect(error?.problem == .unknownKey("times", context: "parameter operand", expected: ["param"]))
    #expect(error?.location.column == 27)
  }

  @Test func rejectsNonNumericTimes() {
    let error = loadError { _ = try parse("{fact: k, '>': {fact: o, times: twice}}") }
    #expect(error?.problem == .invalidValue(key: "times", value: "twice", expected: "a finite number or {param: NAME}"))
  }

  @Test func rejectsNumericOperatorOnNonNumericParam() {
    let error = loadError { _ = try parse("{fact: k, '>': {param: p}}", params: ["p": "high"]) }
    #expect(error?.problem == .invalidValue(key: "parameter 'p'", value: "high", expected: "a number"))
  }

  @Test func rejectsFactKeyWithSpaces() {
    let error = loadError { _ = try parse("{fact: 'model window', exists: true}") }
    #expect(error == RuleLoadError(.badFactKey("model window"), at: SourceLocation(path: path, line: 1, column: 8)))
  }

  @Test func rejectsRepeatedKeyInCheck() {
    let error = loadError { _ = try parse("fact: a\nfact: b\nexists: true\n") }
    #expect(error == RuleLoadError(.duplicateKey("fact", context: "check"), at: SourceLocation(path: path, line: 2, column: 1)))
  }
}
