/// Text and JSON for `ctxaudit rules list|explain|test`.
///
/// Returns strings; printing is the CLI's job. Text from rule files goes through
/// `TerminalText.sanitize`, JSON through `JSONText.quote`, so a rule file cannot drive the
/// terminal. Output is deterministic: no absolute paths of the machine, no timestamps.
public enum RuleCatalogRenderer {
  // MARK: list

  /// One line per rule: id, severity, scope and title, in aligned columns.
  public static func table(_ rules: [RuleDefinition]) -> String {
    let header = ["ID", "SEVERITY", "APPLIES-TO", "TITLE"]
    let rows = rules.map { [$0.id, $0.severity.rawValue, $0.scope.rawValue, TerminalText.sanitize($0.title)] }
    var widths = header.map(TerminalText.width)
    for row in rows { for (i, cell) in row.enumerated() where i < 3 { widths[i] = max(widths[i], TerminalText.width(cell)) } }
    func line(_ cells: [String]) -> String {
      cells.enumerated().map { i, cell in i < 3 ? TerminalText.pad(cell, widths[i]) : cell }.joined(separator: "  ")
    }
    return ([line(header)] + rows.map(line)).joined(separator: "\n") + "\n\(rules.count) rules\n"
  }

  /// `{"rules": [...]}` with each rule's id, title, severity, applies_to, rationale, references,
  /// message, params (name to default), deprecated_ids and metadata; keys sorted, 2-space indent.
  public static func json(_ rules: [RuleDefinition]) -> String {
    let items: [FactValue] = rules.map { rule in
      var object: [String: FactValue] = [
        "id": .string(rule.id),
        "title": .string(rule.title),
        "severity": .string(rule.severity.rawValue),
        "applies_to": .string(rule.scope.rawValue),
        "rationale": .string(rule.rationale),
        "references": .array(rule.references.map(FactValue.string)),
        "message": .string(rule.message.source),
        "params": .object(rule.defaultParams),
        "deprecated_ids": .array(rule.deprecatedIDs.map(FactValue.string)),
      ]
      if let metadata = rule.metadata { object["metadata"] = metadata }
      return .object(object)
    }
    return pretty(.object(["rules": .array(items)]), indent: "") + "\n"
  }

  /// Pretty JSON: objects and non-empty arrays one member per line, keys sorted.
  static func pretty(_ value: FactValue, indent: String) -> String {
    let inner = indent + "  "
    switch value {
    case .object(let o) where !o.isEmpty:
      let members = o.keys.sorted().map { key in inner + JSONText.quote(key) + ": " + pretty(o[key] ?? .null, indent: inner) }
      return "{\n" + members.joined(separator: ",\n") + "\n" + indent + "}"
    case .array(let items) where !items.isEmpty:
      return "[\n" + items.map { inner + pretty($0, indent: inner) }.joined(separator: ",\n") + "\n" + indent + "]"
    default:
      return value.jsonText
    }
  }

  // MARK: explain

  /// Everything a person needs to judge a finding of `rule`: title, severity, rationale,
  /// references, message, condition, parameters (with config values when they differ), and the
  /// examples as "Flagged" and "Fine" samples, each flagged one with the message it produces
  /// (examples run with the default parameters, which they are written against).
  public static func explain(_ rule: RuleDefinition, params: [String: FactValue]? = nil) -> String {
    func clean(_ s: String) -> String { TerminalText.sanitize(s) }
    func block(_ text: String) -> String {
      text.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + clean(String($0)) }.joined(separator: "\n")
    }
    var out = "\(rule.id): \(clean(rule.title))\n"
    out += "  severity: \(rule.severity.rawValue)    applies to: \(rule.scope.rawValue)\n"
    if !rule.deprecatedIDs.isEmpty { out += "  formerly: \(rule.deprecatedIDs.joined(separator: ", "))\n" }
    out += "\nRationale\n" + block(wrap(trimmed(rule.rationale), width: 90)) + "\n"
    if !rule.references.isEmpty {
      out += "\nReferences\n" + rule.references.map { "  - " + clean($0) }.joined(separator: "\n") + "\n"
    }
    out += "\nMessage\n  " + clean(rule.message.source) + "\n"
    out += "\nCondition\n" + block(rule.condition.text(indent: "")) + "\n"
    if let from = rule.locationFrom { out += "  (the finding points at \(clean(from)))\n" }
    if !rule.params.isEmpty {
      out += "\nParameters\n"
      for param in rule.params {
        var line = "  \(clean(param.name)) = \(clean(MessageTemplate.text(param.defaultValue)))"
        if let value = params?[param.name], value != param.defaultValue {
          line += " (configured: \(clean(MessageTemplate.text(value))))"
        }
        if let text = param.description { line += "  \(clean(text))" }
        out += line + "\n"
      }
    }
    let flagged = rule.examples.filter { $0.expect == .finding }
    let fine = rule.examples.filter { $0.expect == .ok }
    for (title, examples) in [("Flagged", flagged), ("Fine", fine)] where !examples.isEmpty {
      out += "\n\(title)\n"
      for example in examples {
        out += "  - \(clean(example.name))\n"
        switch example.input {
        case .facts(let facts):
          for fact in facts { out += "      \(clean(fact.key)): \(clean(fact.value.jsonText))\n" }
          if example.expect == .finding, let finding = RuleEngine.match(rule, facts: FactSet(facts)) {
            out += "    → \(clean(finding.message))\n"
          }
        case .fixture(let path, _):
          out += "      fixture: \(clean(path))\n"
        }
      }
    }
    return out
  }

  /// Wraps each paragraph at `width` Unicode scalars, breaking at spaces only.
  static func wrap(_ text: String, width: Int) -> String {
    text.split(separator: "\n", omittingEmptySubsequences: false).map { paragraph -> String in
      var lines: [String] = []
      var line = ""
      for word in paragraph.split(separator: " ") {
        if !line.isEmpty && line.unicodeScalars.count + 1 + word.unicodeScalars.count > width {
          lines.append(line)
          line = ""
        }
        line += (line.isEmpty ? "" : " ") + word
      }
      lines.append(line)
      return lines.joined(separator: "\n")
    }.joined(separator: "\n")
  }

  private static func trimmed(_ s: String) -> String {
    var text = Substring(s)
    while let last = text.last, last.isWhitespace { text = text.dropLast() }
    return String(text)
  }

  // MARK: test

  /// One line per failed or skipped example (and per passed one when `verbose`), then a summary.
  ///
  /// Lines read `FAIL <rule-id> › <example> (<file>:<line>): <why>`.
  public static func testReport(_ results: [RuleExampleResult], verbose: Bool = false) -> String {
    var out = ""
    var passed = 0
    var failed = 0
    var skipped = 0
    for result in results {
      let name = TerminalText.sanitize(result.name)
      let source = "\(TerminalText.sanitize(result.file)):\(result.line)"
      switch result.status {
      case .passed:
        passed += 1
        if verbose { out += "PASS \(name)\n" }
      case .failed(let why):
        failed += 1
        out += "FAIL \(name) (\(source)): \(TerminalText.sanitize(why))\n"
      case .skipped(let why):
        skipped += 1
        out += "SKIP \(name) (\(source)): \(TerminalText.sanitize(why))\n"
      }
    }
    out += "\(results.count) examples: \(passed) passed, \(failed) failed, \(skipped) skipped\n"
    return out
  }
}
