import Testing
@testable import ContextAudit

@Suite struct MessageTemplateTests {
  @Test func splitsTextFactsAndParams() throws {
    let template = try MessageTemplate("factor {{ model.rope.factor }} above {{param.max-factor}}{{x}}")
    #expect(
      template.segments == [
        .text("factor "), .fact("model.rope.factor"), .text(" above "), .param("max-factor"), .fact("x"),
      ])
    #expect(template.factKeys == ["model.rope.factor", "x"])
    #expect(template.paramNames == ["max-factor"])
  }

  @Test func rendersIntegralNumbersWithoutTrailingZero() throws {
    let template = try MessageTemplate("{{a}} {{b}} {{c}} {{d}} {{e}}")
    let values: [String: FactValue] = ["a": .double(4.0), "b": .int(131072), "c": .double(1.25), "d": .double(131072.0), "e": .double(-2.0)]
    #expect(template.render(fact: { values[$0] }, params: [:]) == "4 131072 1.25 131072 -2")
  }

  @Test func rendersStringsUnquotedAndListsElided() throws {
    let template = try MessageTemplate("type '{{t}}' factors {{l}} flag {{b}} none {{n}}")
    let list = FactValue.array((1...10).map { .double(Double($0)) })
    let values: [String: FactValue] = ["t": "su", "l": list, "b": true, "n": .null]
    #expect(
      template.render(fact: { values[$0] }, params: [:])
        == "type 'su' factors [1, 2, 3, 4, 5, 6, 7, 8, … (10 items)] flag true none null")
  }

  @Test func unknownValuesReadUnknown() throws {
    let template = try MessageTemplate("card {{model.window.advertised}} over {{param.max-ratio}}")
    #expect(template.render(fact: { _ in nil }, params: [:]) == "card unknown over unknown")
    #expect(template.render(fact: { _ in nil }, params: ["max-ratio": 2]) == "card unknown over 2")
  }

  @Test func cutsLongValues() throws {
    let template = try MessageTemplate("{{s}}")
    let long = String(repeating: "é", count: 500)
    let out = template.render(fact: { _ in .string(long) }, params: [:])
    #expect(out.unicodeScalars.count == MessageTemplate.maxValueScalars)
    #expect(out.hasSuffix("…"))
  }

  @Test func rejectsUnclosedPlaceholder() {
    #expect(throws: RuleFileProblem.badPlaceholder("model.window.served and more")) {
      _ = try MessageTemplate("window {{model.window.served and more")
    }
  }

  @Test func rejectsEmptyAndSpacedPlaceholders() {
    #expect(throws: RuleFileProblem.badPlaceholder("")) { _ = try MessageTemplate("a {{}} b") }
    #expect(throws: RuleFileProblem.badPlaceholder("model window")) { _ = try MessageTemplate("{{model window}}") }
    #expect(throws: RuleFileProblem.badPlaceholder("param.")) { _ = try MessageTemplate("{{param.}}") }
  }

  @Test func ruleWithUndeclaredParamInMessageFailsAtTheMessage() {
    let text = RuleText.rule(when: "  {fact: a, exists: true}", message: "over {{param.max-factor}}")
    let error = loadError { _ = try RuleText.parse(text) }
    #expect(error == RuleLoadError(.unknownParam("max-factor"), at: SourceLocation(path: ArtifactPath("Rules/model/model-test-rule.yaml"), line: 5, column: 10)))
  }
}
