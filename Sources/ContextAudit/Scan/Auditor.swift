/// Turns one read model unit into its report: the model view, the rule findings, and a
/// `parse-error` finding for every artifact that could not be read.
public struct Auditor: Sendable {
  public var rules: [RuleDefinition]
  public var config: AuditConfig

  public init(rules: [RuleDefinition], config: AuditConfig = AuditConfig()) {
    self.rules = rules
    self.config = config
  }

  /// Audits one unit. Rules about single artifacts run over each artifact's facts; `model`
  /// rules run once over every raw fact of the unit plus the derived `model.*` facts. The
  /// report carries the per-pair RoPE analysis of the view (`ModelView.ropeAnalysis`). The
  /// unit's notices (archive errors, members not read) are findings as they stand.
  public func audit(_ unit: ScannedUnit) -> ModelReport {
    let view = ModelView.build(artifacts: unit.artifacts)
    var findings: [Finding] = unit.notices
    for artifact in unit.artifacts {
      if let error = artifact.error {
        findings.append(Finding(rule: Finding.parseErrorRule, severity: .error, message: error.message, location: error.location))
      }
      findings += RuleEngine.evaluate(rules, facts: artifact.facts, appliesTo: RuleScope(kind: artifact.kind), config: config)
    }
    let allFacts = unit.artifacts.flatMap(\.facts) + view.facts
    findings += RuleEngine.evaluate(rules, facts: allFacts, appliesTo: .model, config: config)
    return ModelReport(
      path: unit.path, name: unit.name,
      sources: unit.artifacts.map { SourceRef(path: $0.path, kind: $0.kind) }.sorted(),
      architecture: view.architecture, verdict: view.verdict, windows: view.windows, runtimes: view.runtimes,
      analysis: view.ropeAnalysis, findings: findings.sorted())
  }

  /// The rules as reporters list them, plus the reserved `parse-error` entry.
  public var ruleInfos: [RuleInfo] {
    (rules.map(\.info)
      + [
        RuleInfo(
          id: Finding.parseErrorRule, title: "A file could not be read", severity: .error,
          rationale:
            "The file is malformed, truncated, or exceeds a reader limit; what it says about the model is unknown, so nothing it claims was checked."),
        RuleInfo(
          id: ScanRun.inputSkippedRule, title: "A path was not scanned", severity: .warning,
          rationale:
            "A file named like a model file is not a regular file (FIFO, socket, device, dangling link), a directory loops back on itself, or a walk limit was reached; the models there were not audited."),
      ]).sorted()
  }
}

/// A whole scan: plan, read in parallel, audit, in a deterministic order.
public struct ScanRun: Sendable {
  public var scanner: Scanner
  public var auditor: Auditor

  public init(scanner: Scanner, auditor: Auditor) {
    self.scanner = scanner
    self.auditor = auditor
  }

  /// Scans `roots` and returns the report. Discovery problems (skipped FIFOs, symlink loops,
  /// truncated directory listings) become `input-skipped` findings on a model of their own path.
  ///
  /// - Parameters:
  ///   - shard: audit only this slice of the plan (`Scanner.Plan.sharded(_:)`).
  ///   - onUnit: called after each plan item is audited (from worker threads), for progress.
  public func run(
    roots: [String], shard: Shard? = nil, onUnit: (@Sendable (Int, Int) -> Void)? = nil
  ) throws(UnitDiscovery.MissingInput) -> ScanReport {
    var plan = try scanner.plan(roots: roots)
    if let shard { plan = plan.sharded(shard) }
    return run(plan: plan, onUnit: onUnit)
  }

  /// Audits the items of a plan made earlier (`Scanner.plan(roots:)`,
  /// `Scanner.plan(changedFiles:)`), in parallel.
  ///
  /// Models are sorted by path; models of equal path keep plan order, with discovery problems
  /// last. `stream(plan:onUnit:emit:)` produces the same sequence one model at a time.
  public func run(plan: Scanner.Plan, onUnit: (@Sendable (Int, Int) -> Void)? = nil) -> ScanReport {
    let auditor = self.auditor
    let scanner = self.scanner
    let total = plan.items.count
    let done = AtomicCounter()
    let reports = parallelMap(plan.items, concurrency: scanner.concurrency) { item -> [ModelReport] in
      let units = scanner.read(item).map(auditor.audit)
      onUnit?(done.add(), total)
      return units
    }.flatMap { $0 }
    var models = reports
    for problem in plan.problems {
      models.append(ScanRun.problemReport(problem))
    }
    // `sorted(by:)` is stable, so equal paths keep the order built above.
    return ScanReport(models: models.sorted { $0.path < $1.path }, rules: auditor.ruleInfos)
  }

  /// The reserved rule id for paths the walk skipped.
  public static let inputSkippedRule = "input-skipped"

  static func problemReport(_ problem: UnitDiscovery.Problem) -> ModelReport {
    ModelReport(
      path: problem.location.path, sources: [], architecture: nil,
      verdict: Verdict(kind: .unknown, method: .unknown, summary: "unknown: not read", reason: problem.message),
      windows: Windows(),
      findings: [Finding(rule: inputSkippedRule, severity: .warning, message: problem.message, location: problem.location)])
  }
}

/// A deterministic slice of a scan: item `i` of the plan belongs to shard `index` when
/// `i % count == index` (0-based index here; the CLI takes 1-based `K/N`).
public struct Shard: Hashable, Sendable {
  public var index: Int
  public var count: Int

  public init?(index: Int, count: Int) {
    guard count >= 1, index >= 0, index < count else { return nil }
    self.index = index
    self.count = count
  }

  public func contains(_ position: Int) -> Bool { position % count == index }
}

extension Scanner.Plan {
  /// The slice of this plan that `shard` audits: items, and discovery problems, whose position
  /// in the plan belongs to the shard.
  ///
  /// Problems are split the same way as items, so every problem is reported by exactly one
  /// shard and `ctxaudit merge` of all shards equals one whole scan.
  public func sharded(_ shard: Shard) -> Scanner.Plan {
    Scanner.Plan(
      items: items.enumerated().filter { shard.contains($0.offset) }.map(\.element),
      problems: problems.enumerated().filter { shard.contains($0.offset) }.map(\.element))
  }
}

