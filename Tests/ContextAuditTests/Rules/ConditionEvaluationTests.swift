import Testing
@testable import ContextAudit

@Suite struct ConditionEvaluationTests {
  func check(_ key: String, _ test: Check.Test) -> Condition { .check(Check(fact: key, test: test)) }

  func eval(_ condition: Condition, _ facts: [Fact], params: [String: FactValue] = [:]) -> ConditionResult {
    condition.evaluate(FactSet(facts), params: params)
  }

  // Two containers of one Deployment serve different windows.
  let served = [
    fact("manifest.served_window", 8192, line: 12, path: "deploy.yaml"),
    fact("manifest.served_window", 65536, line: 30, path: "deploy.yaml"),
  ]

  @Test func holdsWhenAnyFactOfTheKeySatisfiesTheCheck() {
    let result = eval(check("manifest.served_window", .greater(.literal(32768))), served)
    #expect(result.matched)
    #expect(result.read.map(\.location.line) == [30])
  }

  @Test func failsWhenNoFactOfTheKeySatisfiesTheCheck() {
    let result = eval(check("manifest.served_window", .greater(.literal(100_000))), served)
    #expect(!result.matched)
    #expect(result.read.map(\.location.line) == [12, 30])
  }

  @Test func factOperandTriesEveryPair() {
    let facts = served + [fact("model.window.effective", 32768, line: 3)]
    let result = eval(check("manifest.served_window", .greater(.fact("model.window.effective", times: nil))), facts)
    #expect(result.matched)
    #expect(result.read.map(\.value) == [65536, 32768])
  }

  @Test func missingSubjectMakesEveryComparisonFalse() {
    let tests: [Check.Test] = [
      .equals(.literal(1)), .notEquals(.literal(1)), .less(.literal(1)), .greaterOrEqual(.literal(1)),
      .isIn(.literal(.array([1, 2]))), .notIn(.literal(.array([1, 2]))), .exists(true),
    ]
    for test in tests {
      #expect(!eval(check("model.window.served", test), []).matched, "\(test.operatorName) on a missing fact")
    }
    #expect(eval(check("model.window.served", .exists(false)), []).matched)
  }

  @Test func missingOperandFactMakesNotEqualsFactFalse() {
    let facts = [fact("model.card.native_claim", 32768)]
    #expect(!eval(check("model.card.native_claim", .notEquals(.fact("model.window.native", times: nil))), facts).matched)
    #expect(!eval(check("model.card.native_claim", .equals(.fact("model.window.native", times: nil))), facts).matched)
  }

  @Test func typeMismatchIsFalseBothWays() {
    let facts = [fact("config.max_position_embeddings", "131072")]  // a string, as a broken config writes it
    #expect(!eval(check("config.max_position_embeddings", .greater(.literal(4096))), facts).matched)
    #expect(!eval(check("config.max_position_embeddings", .equals(.literal(131072))), facts).matched)
    #expect(!eval(check("config.max_position_embeddings", .notEquals(.literal(131072))), facts).matched)
    #expect(!eval(check("config.max_position_embeddings", .notIn(.literal(.array([2, 3])))), facts).matched)
  }

  @Test func numbersCompareByValueAcrossIntAndDouble() {
    let facts = [fact("model.rope.factor", 4.0)]
    #expect(eval(check("model.rope.factor", .equals(.literal(4))), facts).matched)
    #expect(!eval(check("model.rope.factor", .notEquals(.literal(4))), facts).matched)
    #expect(eval(check("model.rope.factor", .isIn(.literal(.array([2, 4])))), facts).matched)
    #expect(eval(check("model.rope.factor", .notIn(.literal(.array([2, 8])))), facts).matched)
    #expect(eval(check("model.rope.factor", .lessOrEqual(.literal(4))), facts).matched)
    #expect(!eval(check("model.rope.factor", .less(.literal(4))), facts).matched)
  }

  @Test func notInNeedsOneComparableItem() {
    let facts = [fact("gguf.header.version", 1)]
    #expect(eval(check("gguf.header.version", .notIn(.literal(.array([2, 3])))), facts).matched)
    #expect(!eval(check("gguf.header.version", .notIn(.literal(.array(["two", "three"])))), facts).matched)
  }

  @Test func timesMultipliesTheOperandFact() {
    let facts = [fact("model.window.effective", 16384), fact("model.window.native", 4096)]
    let byTwo = check("model.window.effective", .greater(.fact("model.window.native", times: .number(2))))
    let byFour = check("model.window.effective", .greater(.fact("model.window.native", times: .number(4))))
    let byParam = check("model.window.effective", .greater(.fact("model.window.native", times: .param("r"))))
    #expect(eval(byTwo, facts).matched)
    #expect(!eval(byFour, facts).matched)
    #expect(eval(byParam, facts, params: ["r": 3.5]).matched)
    #expect(!eval(byParam, facts, params: ["r": 4]).matched)
    #expect(!eval(byParam, facts).matched, "an unset multiplier parameter makes the check false")
  }

  @Test func paramOperandComesFromTheParams() {
    let facts = [fact("model.rope.factor", 8.0)]
    let condition = check("model.rope.factor", .greater(.param("max-factor")))
    #expect(eval(condition, facts, params: ["max-factor": 4]).matched)
    #expect(!eval(condition, facts, params: ["max-factor": 8]).matched)
    #expect(!eval(condition, facts).matched)
    #expect(eval(check("model.rope.method", .isIn(.param("m"))), [fact("model.rope.method", "yarn")], params: ["m": .array(["linear", "yarn"])]).matched)
  }

  @Test func matchesSearchesStringsOnly() throws {
    let pattern = try RegexPattern("(?i)natively")
    #expect(eval(check("card.text", .matches(pattern)), [fact("card.text", "32,768 Natively and 131,072 with YaRN")]).matched)
    #expect(!eval(check("card.text", .matches(pattern)), [fact("card.text", 32768)]).matched)
  }

  @Test func matchesReadsOnlyABoundedPrefix() throws {
    let pattern = try RegexPattern("needle")
    let far = String(repeating: "x", count: RegexPattern.maxSubjectScalars) + "needle"
    let near = String(repeating: "x", count: RegexPattern.maxSubjectScalars - 6) + "needle"
    #expect(!eval(check("t", .matches(pattern)), [fact("t", .string(far))]).matched)
    #expect(eval(check("t", .matches(pattern)), [fact("t", .string(near))]).matched)
  }

  @Test func listsAndObjectsCompareStructurally() {
    let facts = [fact("config.rope_scaling", .object(["factor": 4.0, "rope_type": "yarn"]))]
    #expect(eval(check("config.rope_scaling", .equals(.literal(.object(["factor": 4, "rope_type": "yarn"])))), facts).matched)
    #expect(!eval(check("config.rope_scaling", .equals(.literal(.object(["factor": 4])))), facts).matched)
    #expect(eval(check("config.rope_scaling", .notEquals(.literal(.object(["factor": 2, "rope_type": "yarn"])))), facts).matched)
  }

  @Test func notPassesReadsThroughAndAnyReportsTheChildThatHeld() {
    let facts = [fact("model.rope.finetuned", false, line: 5), fact("model.rope.factor", 8.0, line: 6)]
    let notFinetuned = Condition.not(check("model.rope.finetuned", .equals(.literal(true))))
    let result = eval(notFinetuned, facts)
    #expect(result.matched)
    #expect(result.read.map(\.location.line) == [5])
    let either = Condition.any([check("model.window.native", .exists(true)), check("model.rope.factor", .greater(.literal(4)))])
    #expect(eval(either, facts).read.map(\.location.line) == [6])
  }

  @Test func allStopsAtTheFirstFailure() {
    let facts = [fact("a", 1, line: 1), fact("b", 2, line: 2)]
    let condition = Condition.all([check("a", .equals(.literal(0))), check("b", .equals(.literal(2)))])
    let result = eval(condition, facts)
    #expect(!result.matched)
    #expect(result.read.map(\.location.line) == [1])
  }
}

@Suite struct FactSetTests {
  @Test func keepsReadingOrderPerKey() {
    let set = FactSet([fact("b", 1, line: 1), fact("a", 2, line: 2), fact("b", 3, line: 3)])
    #expect(set.all("b").map(\.value) == [1, 3])
    #expect(set.first("b")?.location.line == 1)
    #expect(set.all("c").isEmpty && set.first("c") == nil && !set.contains("c"))
    #expect(set.keys == ["a", "b"])
  }
}
