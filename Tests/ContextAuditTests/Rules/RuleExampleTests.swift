import Testing
@testable import ContextAudit

/// Every example of every rule in `Rules/`, one test case each.
@Suite struct RuleExampleTests {
  /// The examples; a catalog that fails to load yields one case that fails with its errors.
  static let cases: [ExampleCase] = {
    do {
      return try RuleCatalog.load(directories: [Paths.rules.path]).allExamples.map(ExampleCase.example)
    } catch let error as RuleCatalogError {
      return [.loadFailure(error.errors.map(\.oneLine).joined(separator: "\n"))]
    } catch {
      return [.loadFailure("\(error)")]
    }
  }()

  enum ExampleCase: Sendable, CustomTestStringConvertible {
    case example(RuleExampleCase)
    case loadFailure(String)

    var testDescription: String {
      switch self {
      case .example(let c): return c.description
      case .loadFailure: return "Rules/ failed to load"
      }
    }
  }

  @Test(arguments: cases)
  func ruleExample(_ testCase: ExampleCase) throws {
    guard case .example(let exampleCase) = testCase else {
      if case .loadFailure(let errors) = testCase { Issue.record("Rules/ failed to load:\n\(errors)") }
      return
    }
    let runner = RuleExampleRunner(factsForFixture: FixtureFacts.reader(root: Paths.root.path))
    let result = runner.run(exampleCase)
    switch result.status {
    case .passed: break
    case .skipped(let why): withKnownIssue("\(exampleCase.source): skipped: \(why)") { throw RuleExampleSkip(reason: why) }
    case .failed(let why): Issue.record("\(exampleCase.source): \(why)")
    }
    // A flagged inline example points into its own rule file, at one of the example's facts.
    if exampleCase.example.expect == .finding, case .facts(let facts) = exampleCase.example.input {
      let location = try #require(result.finding?.location, "\(exampleCase.source): finding has no location")
      #expect(location.path.value == exampleCase.rule.file)
      #expect(facts.map(\.location).contains(location), "\(exampleCase.source): location \(location) is not one of the example's facts")
      let line = try #require(location.line)
      #expect(line > exampleCase.example.line && line < exampleCase.example.line + 20)
    }
  }
}
