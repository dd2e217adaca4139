import ArgumentParser
import ContextAudit

/// `ctxaudit rules explain ID`.
struct RulesExplain: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "explain",
    abstract: "Show a rule's rationale, references, parameters, and flagged and fine examples.")

  @Argument(help: "A rule id (a deprecated id works too).")
  var id: String

  @OptionGroup var rules: RulesOptions

  func run() throws {
    let (config, catalog) = try rules.loadConfigAndCatalog()
    guard let rule = catalog.rule(id: id) else {
      Output.error("ctxaudit: no rule has the id '\(TerminalText.sanitize(id))' (see 'ctxaudit rules list')")
      throw ExitCode(ExitStatus.usage)
    }
    Output.write(RuleCatalogRenderer.explain(rule, params: config.params(for: rule)))
  }
}
