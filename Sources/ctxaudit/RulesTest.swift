import ArgumentParser
import ContextAudit

/// `ctxaudit rules test [DIR]...`: runs every example of every rule (semgrep `--test`).
///
/// Exit status: 0 when no example failed (skipped ones do not fail), 1 when one did, 2 when the
/// rules failed to load.
struct RulesTest: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "test",
    abstract: "Run every example of every rule and report the ones that fail.",
    discussion: """
      Fixture examples name a file relative to the folder that holds the rules directory (the \
      repository root for Rules/). Single files are read with the artifact readers; directory \
      fixtures are skipped until the scan pipeline runs them.
      """)

  @Argument(help: "Rule directories to test (default: the built-in rules).")
  var directories: [String] = []

  @Flag(help: "Also list the examples that pass.")
  var verbose = false

  func run() throws {
    let roots = directories.isEmpty ? [try BuiltInRulesLocation.directory()] : directories
    let catalog = try BuiltInRulesLocation.load(roots)
    var results: [RuleExampleResult] = []
    for exampleCase in catalog.allExamples {
      let root = RuleExampleRunner.fixtureRoot(forRulesDirectory: exampleCase.rule.loadedFrom ?? ".")
      let runner = RuleExampleRunner(factsForFixture: FixtureFacts.reader(root: root))
      results.append(runner.run(exampleCase))
    }
    Output.write(RuleCatalogRenderer.testReport(results, verbose: verbose))
    if results.contains(where: \.failed) { throw ExitCode(ExitStatus.findings) }
  }
}
