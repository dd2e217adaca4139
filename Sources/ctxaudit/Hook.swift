import ArgumentParser
import ContextAudit
@preconcurrency import Glibc

/// `ctxaudit hook FILE...`: the pre-commit entry point (`.pre-commit-hooks.yaml`).
struct Hook: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Audit the model units that changed files belong to (for pre-commit).",
    discussion: """
      Each changed file ctxaudit reads (config.json, generation_config.json, tokenizer_config.json, \
      *.gguf, README.md, *.yaml, Modelfile) or archive names a model unit: its directory, read whole \
      (not below it). Units are audited once however many of their files changed; other files, \
      hidden paths and deleted directories are ignored; a deleted file's directory is still audited. \
      Prints nothing when no model unit changed. \
      Exit status: 0 no findings at or above --fail-on; 1 findings at or above it; \
      2 the tool could not do its job; 64 usage error.
      """)

  @Argument(help: "Changed files, relative to the repository root (pre-commit passes them).")
  var files: [String] = []

  @Option(help: "Report format: table, json, sarif, markdown or jsonl.")
  var format: Scan.Format = .table

  @Option(help: "Exit 1 when a finding is at or above this severity: error, warning, note or never.")
  var failOn: Scan.FailOn = .error

  @Option(name: .customLong("disable"), help: ArgumentHelp("Turn a rule off (repeatable).", valueName: "id"))
  var disabled: [String] = []

  @Option(help: "Color in the table report: auto, always or never.")
  var color: Scan.ColorMode = .auto

  @Option(help: ArgumentHelp("Worker threads (default: the number of cores).", valueName: "n"))
  var jobs: Int?

  @OptionGroup(title: "Limits") var limits: LimitOptions

  @OptionGroup var rulesOptions: RulesOptions

  func validate() throws {
    if let jobs, jobs < 1 { throw ValidationError("'--jobs' must be at least 1") }
  }

  func run() throws {
    var scanner = Scanner()
    if let jobs { scanner.concurrency = jobs }
    limits.apply(to: &scanner)
    let plan = scanner.plan(changedFiles: files)
    guard !plan.items.isEmpty || !plan.problems.isEmpty else { return }
    // pre-commit runs hooks from the repository root, where a .ctxaudit.yaml would sit.
    let auditor = try ScanSupport.auditor(rulesOptions, disabled: disabled, configStart: ".")
    let report = ScanRun(scanner: scanner, auditor: auditor).run(plan: plan)
    try ScanSupport.finish(report, format: format, output: nil, color: color, failOn: failOn, rootLabel: nil)
  }
}
