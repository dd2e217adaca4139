import ArgumentParser
import ContextAudit

/// `ctxaudit rules list`.
struct RulesList: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "list", abstract: "List the loaded rules: id, severity, what they apply to, title.")

  enum Format: String, ExpressibleByArgument, CaseIterable { case table, json }

  @OptionGroup var rules: RulesOptions

  @Option(help: "Output format: table or json.")
  var format: Format = .table

  func run() throws {
    let (_, catalog) = try rules.loadConfigAndCatalog()
    switch format {
    case .table: Output.write(RuleCatalogRenderer.table(catalog.rules))
    case .json: Output.write(RuleCatalogRenderer.json(catalog.rules))
    }
  }
}
