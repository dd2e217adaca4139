import ArgumentParser

/// `ctxaudit rules list|explain|test`.
struct RulesCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "rules",
    abstract: "List, explain and test the rules ctxaudit checks.",
    subcommands: [RulesList.self, RulesExplain.self, RulesTest.self])
}
