import Foundation
import Testing
@testable import ContextAudit

@Suite struct RuleCatalogRendererTests {
  static let text = """
    id: model-gguf-lost-scaling
    title: GGUF lost the RoPE scaling config.json declares
    applies-to: model
    severity: error
    message: "config.json declares {{model.config.method}} scaling but the GGUF has none"
    rationale: >
      llama.cpp reads scaling only from the GGUF.
    references: ["rope-methods.md section 6.6"]
    params: {min-factor: {default: 1.5, description: smallest factor that counts}}
    when:
      all:
        - {fact: model.config.method, in: [linear, yarn]}
        - not: {fact: model.gguf.has_scaling, equals: true}
    location-from: model.gguf.has_scaling
    examples:
      - {name: yarn lost, expect: finding, facts: {model.config.method: yarn, model.gguf.has_scaling: false}}
      - {name: kept, expect: ok, facts: {model.config.method: yarn, model.gguf.has_scaling: true}}
    """

  func rule() throws -> RuleDefinition { try RuleDefinition.parse(Self.text, file: "Rules/model/model-gguf-lost-scaling.yaml") }

  @Test func explainShowsEverythingAPersonNeeds() throws {
    #expect(
      RuleCatalogRenderer.explain(try rule(), params: ["min-factor": 2]) == """
        model-gguf-lost-scaling: GGUF lost the RoPE scaling config.json declares
          severity: error    applies to: model

        Rationale
          llama.cpp reads scaling only from the GGUF.

        References
          - rope-methods.md section 6.6

        Message
          config.json declares {{model.config.method}} scaling but the GGUF has none

        Condition
          all:
            - model.config.method in ["linear","yarn"]
            - not:
                model.gguf.has_scaling == true
          (the finding points at model.gguf.has_scaling)

        Parameters
          min-factor = 1.5 (configured: 2)  smallest factor that counts

        Flagged
          - yarn lost
              model.config.method: "yarn"
              model.gguf.has_scaling: false
            → config.json declares yarn scaling but the GGUF has none

        Fine
          - kept
              model.config.method: "yarn"
              model.gguf.has_scaling: true

        """)
  }

  @Test func tableAlignsColumnsAndCountsRules() throws {
    #expect(
      RuleCatalogRenderer.table([try rule()]) == """
        ID                       SEVERITY  APPLIES-TO  TITLE
        model-gguf-lost-scaling  error     model       GGUF lost the RoPE scaling config.json declares
        1 rules

        """)
  }

  @Test func jsonHasSortedKeysAndNoExamples() throws {
    let json = RuleCatalogRenderer.json([try rule()])
    #expect(json.hasPrefix("{\n  \"rules\": [\n    {\n      \"applies_to\": \"model\",\n      \"deprecated_ids\": [],\n      \"id\": \"model-gguf-lost-scaling\","))
    #expect(json.contains("\"params\": {\n        \"min-factor\": 1.5\n      },"))
    #expect(!json.contains("examples") && !json.contains("Rules/model"))
  }

  @Test func explainNeutralisesControlCharactersFromRuleFiles() throws {
    let text = Self.text.replacingOccurrences(
      of: "title: GGUF lost the RoPE scaling config.json declares",
      with: "title: \"GGUF \\e[31mlost the RoPE scaling config.json declares\"")
    let rule = try RuleDefinition.parse(text, file: "Rules/model/model-gguf-lost-scaling.yaml")
    let out = RuleCatalogRenderer.explain(rule)
    #expect(out.hasPrefix("model-gguf-lost-scaling: GGUF \\x1b[31mlost the RoPE"))
    #expect(!out.unicodeScalars.contains("\u{1B}"))
  }
}
