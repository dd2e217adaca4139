/// Runs rules over facts and turns the ones that fire into findings.
///
/// Pure functions over values: no I/O, no printing, no shared state.
public enum RuleEngine {
  /// A finding a `.ctxaudit.yaml` `ignore:` entry suppressed, with the entry's reason.
  public struct Suppressed: Hashable, Sendable {
    public var finding: Finding
    public var reason: String
  }

  /// Everything one evaluation produced.
  public struct Outcome: Hashable, Sendable {
    /// Sorted with `Finding.<`.
    public var findings: [Finding]
    /// Findings an ignore entry matched, sorted by finding.
    public var suppressed: [Suppressed]
  }

  /// Evaluates every rule of `scope` that the config leaves enabled, and applies the config's
  /// severity overrides, parameter overrides and ignores.
  ///
  /// Call it once per artifact with `RuleScope(kind:)` and that artifact's facts, and once per
  /// model unit with `.model` and all the unit's facts plus the derived `model.*` facts. Each
  /// rule yields at most one finding per call.
  ///
  /// - Returns: the findings, sorted with `Finding.<`.
  public static func evaluate(
    _ rules: [RuleDefinition], facts: [Fact], appliesTo scope: RuleScope, config: AuditConfig = AuditConfig()
  ) -> [Finding] {
    run(rules, facts: FactSet(facts), appliesTo: scope, config: config).findings
  }

  /// `evaluate`, also returning what the config's `ignore:` entries suppressed.
  public static func run(
    _ rules: [RuleDefinition], facts: FactSet, appliesTo scope: RuleScope, config: AuditConfig = AuditConfig()
  ) -> Outcome {
    var findings: [Finding] = []
    var suppressed: [Suppressed] = []
    for rule in rules where rule.scope == scope && !config.isDisabled(rule) {
      guard var finding = match(rule, facts: facts, params: config.params(for: rule)) else { continue }
      finding.severity = config.severity(for: rule)
      if let ignore = config.ignore(matching: finding, of: rule) {
        suppressed.append(Suppressed(finding: finding, reason: ignore.reason))
      } else {
        findings.append(finding)
      }
    }
    return Outcome(findings: findings.sorted(), suppressed: suppressed.sorted { $0.finding < $1.finding })
  }

  /// Evaluates one rule regardless of its scope and of any config.
  ///
  /// The message takes each `{{key}}` from the fact the condition read for that key (the one that
  /// satisfied a check), else from the first fact of that key. The location is that of the
  /// `location-from` fact (read, else first of its key), else of the first fact the condition
  /// read, else `nil`.
  ///
  /// - Parameter params: parameter values; `nil` means the rule's defaults.
  /// - Returns: the finding with the rule's own severity, or `nil` when the condition does not hold.
  public static func match(_ rule: RuleDefinition, facts: FactSet, params: [String: FactValue]? = nil) -> Finding? {
    let values = params ?? rule.defaultParams
    let result = rule.condition.evaluate(facts, params: values)
    guard result.matched else { return nil }
    func fact(_ key: String) -> Fact? {
      result.read.first(where: { $0.key == key }) ?? facts.first(key)
    }
    let message = rule.message.render(fact: { fact($0)?.value }, params: values)
    let location = rule.locationFrom.flatMap(fact)?.location ?? result.read.first?.location
    return Finding(rule: rule.id, severity: rule.severity, message: message, location: location)
  }
}
