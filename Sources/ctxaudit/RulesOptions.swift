import ArgumentParser
import ContextAudit
@preconcurrency import Glibc

/// Which rules to load: the built-in `Rules/`, `--rules DIR`s, and the `rules:` of `.ctxaudit.yaml`.
///
/// Shared by every command that evaluates or shows rules (include with `@OptionGroup`).
struct RulesOptions: ParsableArguments {
  @Option(
    name: .customLong("rules"),
    help: ArgumentHelp("A directory of rule files to load besides the built-in rules (repeatable).", valueName: "dir"))
  var ruleDirectories: [String] = []

  @Flag(name: .customLong("no-builtin-rules"), help: "Load only the '--rules' directories and the config's 'rules:'.")
  var noBuiltinRules = false

  @Option(
    name: .customLong("config"),
    help: ArgumentHelp("A .ctxaudit.yaml to use instead of the one found from the current directory upward.", valueName: "file"))
  var configFile: String?

  func validate() throws {
    if noBuiltinRules && ruleDirectories.isEmpty {
      throw ValidationError("'--no-builtin-rules' needs at least one '--rules DIR'")
    }
  }

  /// The config named by `--config`, else the one found from `start` upward, else the default.
  /// A broken config prints its error and exits 2.
  func loadConfig(startingAt start: String = ".") throws -> AuditConfig {
    do {
      if let configFile { return try AuditConfig.load(file: configFile) }
      return try AuditConfig.discover(startingAt: start) ?? AuditConfig()
    } catch {
      Output.error("ctxaudit: " + TerminalText.sanitize(error.oneLine))
      throw ExitCode(ExitStatus.toolFailure)
    }
  }

  /// The config and the catalog it asks for, with the config checked against the loaded rules
  /// (unknown rule ids, parameter names and types print as errors and exit 2).
  ///
  /// - Parameter start: where the `.ctxaudit.yaml` search starts (`scan` passes the scanned path).
  func loadConfigAndCatalog(startingAt start: String = ".") throws -> (config: AuditConfig, catalog: RuleCatalog) {
    let config = try loadConfig(startingAt: start)
    let catalog = try loadCatalog(extra: config.ruleDirectories)
    let problems = config.validate(against: catalog.rules)
    guard problems.isEmpty else {
      for problem in problems { Output.error("ctxaudit: " + TerminalText.sanitize(problem.oneLine)) }
      throw ExitCode(ExitStatus.toolFailure)
    }
    return (config, catalog)
  }

  /// Loads the catalog from the built-in directory (unless `--no-builtin-rules`), every
  /// `--rules` directory and `extra`; a directory named twice (same real path) loads once.
  /// Load errors are printed one per line and exit 2.
  func loadCatalog(extra: [String] = []) throws -> RuleCatalog {
    var directories: [String] = []
    var embedded: [RuleDefinition] = []
    if !noBuiltinRules {
      if let found = BuiltInRulesLocation.directoryIfPresent() {
        directories.append(found)
      } else {
        embedded = try BuiltInRulesLocation.embedded().rules
      }
    }
    directories += ruleDirectories + extra
    let loaded = directories.isEmpty ? RuleCatalog(rules: []) : try BuiltInRulesLocation.load(directories)
    let ids = Set(embedded.flatMap(\.allIDs))
    if let clash = loaded.rules.first(where: { !ids.isDisjoint(with: $0.allIDs) }) {
      Output.error("ctxaudit: \(clash.file): rule id '\(clash.id)' is already a built-in rule")
      throw ExitCode(ExitStatus.toolFailure)
    }
    return RuleCatalog(rules: embedded + loaded.rules)
  }
}

/// Finding and loading rule directories for the CLI.
enum BuiltInRulesLocation {
  /// The built-in rules directory (`CTXAUDIT_RULES`, else `Rules/` above the executable);
  /// exits 2 when there is none.
  /// The built-in rules directory when one exists (`CTXAUDIT_RULES`, else `Rules/` above the
  /// executable); `nil` means the rules embedded in the binary are used.
  static func directoryIfPresent() -> String? {
    let env = getenv(RuleCatalog.environmentVariable).map { String(cString: $0) }
    return RuleCatalog.builtInDirectory(executablePath: RuleCatalog.currentExecutablePath(), environmentValue: env)
  }

  /// The rules embedded in the binary; a broken embedding (a bad generated file) exits 2.
  static func embedded() throws -> RuleCatalog {
    do {
      return try RuleCatalog.loadEmbedded()
    } catch {
      for problem in error.errors { Output.error("ctxaudit: " + TerminalText.sanitize(problem.oneLine)) }
      throw ExitCode(ExitStatus.toolFailure)
    }
  }

  static func directory() throws -> String {
    let env = getenv(RuleCatalog.environmentVariable).map { String(cString: $0) }
    guard
      let found = RuleCatalog.builtInDirectory(
        executablePath: RuleCatalog.currentExecutablePath(), environmentValue: env)
    else {
      Output.error("ctxaudit: built-in rules not found (set \(RuleCatalog.environmentVariable) or pass '--rules DIR')")
      throw ExitCode(ExitStatus.toolFailure)
    }
    return found
  }

  /// Loads `directories` (deduplicated by real path); prints every load error and exits 2.
  static func load(_ directories: [String]) throws -> RuleCatalog {
    var seen: Set<String> = []
    var unique: [String] = []
    for directory in directories where seen.insert(realPath(directory) ?? directory).inserted {
      unique.append(directory)
    }
    do {
      return try RuleCatalog.load(directories: unique)
    } catch {
      for problem in error.errors { Output.error("ctxaudit: " + TerminalText.sanitize(problem.oneLine)) }
      Output.error("ctxaudit: \(error.errors.count) problem(s) in the rule files; no rules were run")
      throw ExitCode(ExitStatus.toolFailure)
    }
  }

  static func realPath(_ path: String) -> String? {
    guard let resolved = realpath(path, nil) else { return nil }
    defer { free(resolved) }
    return String(cString: resolved)
  }
}
