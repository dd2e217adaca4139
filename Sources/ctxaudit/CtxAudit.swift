import ArgumentParser
import ContextAudit

@main
struct CtxAudit: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "ctxaudit",
    abstract: "Audit LLM model packages: is the context window native or interpolated, and is anything claiming more than the model can deliver?",
    version: ToolInfo.version,
    subcommands: [Scan.self, Inspect.self, RulesCommand.self, Hook.self, Merge.self],
    defaultSubcommand: Scan.self)
}
