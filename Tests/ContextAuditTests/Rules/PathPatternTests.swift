import Testing
@testable import ContextAudit

@Suite struct PathPatternTests {
  @Test func plainPatternIsAPathPrefix() {
    let p = PathPattern("models/qwen")
    #expect(p.matches("models/qwen"))
    #expect(p.matches("models/qwen/config.json"))
    #expect(p.matches("./models/qwen/config.json"))
    #expect(p.matches("models/qwen!/config.json"))
    #expect(!p.matches("models/qwen2/config.json"))
    #expect(!p.matches("other/models/qwen/config.json"))
    #expect(PathPattern("models/qwen/").matches("models/qwen/README.md"))
  }

  @Test func starStaysWithinOneSegment() {
    let p = PathPattern("deploy/*.yaml")
    #expect(p.matches("deploy/vllm.yaml"))
    #expect(!p.matches("deploy/staging/vllm.yaml"))
    #expect(!p.matches("deploy/vllm.yml"))
  }

  @Test func doubleStarCrossesSegments() {
    let p = PathPattern("**/config.json")
    #expect(p.matches("a/b/c/config.json"))
    #expect(p.matches("m.tar.gz!/llama/config.json"))
    #expect(!p.matches("a/b/generation_config.jsonx"))
  }

  @Test func globCoversEverythingUnderAMatchedFolder() {
    let p = PathPattern("models/*")
    #expect(p.matches("models/qwen/config.json"))
    #expect(!p.matches("models"))
  }

  @Test func questionMarkIsOneCharacter() {
    #expect(PathPattern("m?/config.json").matches("m1/config.json"))
    #expect(!PathPattern("m?/config.json").matches("m12/config.json"))
    #expect(!PathPattern("m?config.json").matches("m/config.json"))
  }
}
