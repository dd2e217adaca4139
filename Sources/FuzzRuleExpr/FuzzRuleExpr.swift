import ContextAudit
import FuzzSupport

// libFuzzer target: the rule language. Each input is read three ways:
// - as a bare condition (`ConditionParser.parse`) with a few declared parameters; a condition
//   that parses is written back as flow YAML and must parse to the same condition, and is
//   evaluated over a fixed fact set (the facts it reports reading must come from that set);
// - as a whole rule file (`RuleDefinition.parse`), named after its own `id:` so the file-name
//   check does not hide the rest; a rule that loads has its inline examples run, its
//   condition rendered and its `rules explain` page built;
// - as a `.ctxaudit.yaml` config (`AuditConfig.parse`).
// Every error must carry the file's path, a 1-based line and column inside the input, and a
// message. A plain `swift build` links this file as a harmless executable that does nothing.

private let conditionPath = ArtifactPath("fuzz/condition.yaml")
private let configPath = ArtifactPath("fuzz/.ctxaudit.yaml")

// Built per input, not held in globals: LeakSanitizer cannot follow the tagged pointers to the
// boxes of an indirect enum, so a global FactValue array is reported as leaked at exit.
private func declaredParams() -> [String: FactValue] {
  [
    "limit": .int(131_072), "factor": .double(4), "methods": .array([.string("yarn"), .string("linear")]),
    "name": .string("llama"), "flag": .bool(true),
  ]
}

private func makeSampleFacts() -> FactSet {
  FactSet([
    Fact(key: "model.window.served", value: .int(262_144), location: SourceLocation(path: ArtifactPath("m/serve.yaml"), line: 3, column: 9)),
    Fact(key: "model.window.effective", value: .int(131_072), location: SourceLocation(path: ArtifactPath("m/config.json"))),
    Fact(key: "model.window.native", value: .double(32_768), location: SourceLocation(path: ArtifactPath("m/config.json"))),
    Fact(key: "model.rope.method", value: .string("yarn"), location: SourceLocation(path: ArtifactPath("m/config.json"))),
    Fact(key: "model.rope.method", value: .string("dynamic"), location: SourceLocation(path: ArtifactPath("m/m.gguf"), offset: 96)),
    Fact(key: "config.rope_scaling.factor", value: .double(.nan), location: SourceLocation(path: ArtifactPath("m/config.json"))),
    Fact(key: "config.flag", value: .bool(true), location: SourceLocation(path: ArtifactPath("m/config.json"))),
    Fact(key: "config.none", value: .null, location: SourceLocation(path: ArtifactPath("m/config.json"))),
    Fact(key: "config.list", value: .array([.int(1), .string("a")]), location: SourceLocation(path: ArtifactPath("m/config.json"))),
    Fact(key: "a", value: .int(Int64.max), location: SourceLocation(path: ArtifactPath("a"))),
    Fact(key: "b", value: .int(Int64.min), location: SourceLocation(path: ArtifactPath("b"))),
    Fact(key: "c", value: .double(-.infinity), location: SourceLocation(path: ArtifactPath("c"))),
    Fact(key: "s", value: .string("ab\u{0}c é"), location: SourceLocation(path: ArtifactPath("s"))),
  ])
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRuleExpr(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  let bytes = FuzzCheck.bytes(data, size)
  let bounds = InputBounds(bytes)
  let text = String(decoding: bytes, as: UTF8.self)
  // Decoding repairs bad UTF-8 with U+FFFD (3 bytes for 1), so locations of the condition
  // text are bounded by the repaired text, not the raw bytes.
  let textBounds = InputBounds(Array(text.utf8))

  do {
    let condition = try ConditionParser.parse(text, path: conditionPath, params: declaredParams())
    roundTrip(condition)
    evaluate(condition)
  } catch {
    checkError(error, path: conditionPath, bounds: textBounds)
  }

  let file = "Rules/fuzz/\(ruleFileStem(bytes)).yaml"
  do {
    let rule = try RuleDefinition.parse(bytes, file: file)
    exercise(rule)
  } catch {
    checkError(error, path: ArtifactPath(file), bounds: bounds)
  }

  do {
    let config = try AuditConfig.parse(bytes, file: configPath.value, baseDirectory: "/fuzz")
    _ = config.validate(against: [])
  } catch {
    checkError(error, path: configPath, bounds: bounds)
  }
  return 0
}

private func checkError(_ error: any LocatedError, path: ArtifactPath, bounds: InputBounds) {
  bounds.check(error, path: path)
  FuzzCheck.require(error.location.line != nil && error.location.column != nil, "rule error without line:column: \(error.message)")
}

/// The `id:` of a rule document when it is a valid id, so the file name matches it.
private func ruleFileStem(_ bytes: [UInt8]) -> String {
  guard let documents = try? YAMLReader.documents(bytes, path: ArtifactPath("stem.yaml")), documents.count == 1,
    let id = documents[0]["id"]?.scalar, RuleDefinition.isValidID(id)
  else { return "fuzz-rule" }
  return id
}

private func evaluate(_ condition: Condition) {
  let sampleFacts = makeSampleFacts()
  let result = condition.evaluate(sampleFacts, params: declaredParams())
  for fact in result.read {
    FuzzCheck.require(sampleFacts.facts.contains { "\($0)" == "\(fact)" }, "read a fact that is not in the set: \(fact.key)")
  }
  _ = condition.text()
}

private func exercise(_ rule: RuleDefinition) {
  let runner = RuleExampleRunner()
  var results: [RuleExampleResult] = []
  for (index, example) in rule.examples.enumerated() {
    let result = runner.run(example, of: rule, index: index)
    FuzzCheck.require(result.ruleID == rule.id && result.index == index, "example result for the wrong example")
    if case .facts = example.input, let finding = result.finding, let location = finding.location {
      FuzzCheck.require(location.path.value == rule.file, "finding of an inline example located in \(location.path)")
    }
    results.append(result)
  }
  _ = RuleEngine.match(rule, facts: makeSampleFacts())
  _ = RuleCatalogRenderer.explain(rule)
  _ = RuleCatalogRenderer.testReport(results, verbose: true)
  _ = RuleCatalogRenderer.json([rule])
}

// MARK: Round trip

/// Writes `condition` as flow YAML, parses it again and requires the same condition.
private func roundTrip(_ condition: Condition) {
  var yaml = ""
  write(condition, to: &yaml)
  do {
    let again = try ConditionParser.parse(yaml, path: ArtifactPath("round-trip.yaml"), params: declaredParams())
    // Compared as text: a literal NaN is not equal to itself.
    FuzzCheck.require("\(again)" == "\(condition)", "round trip changed the condition: \(condition) -> \(again) via \(yaml)")
  } catch {
    FuzzCheck.require(false, "round trip does not parse: \(error.oneLine) in \(yaml)")
  }
}

private func write(_ condition: Condition, to out: inout String) {
  switch condition {
  case .all(let items), .any(let items):
    if case .all = condition { out += "{all: [" } else { out += "{any: [" }
    for (i, item) in items.enumerated() {
      if i > 0 { out += ", " }
      write(item, to: &out)
    }
    out += "]}"
  case .not(let inner):
    out += "{not: "
    write(inner, to: &out)
    out += "}"
  case .check(let check):
    out += "{fact: \(quote(check.fact)), \(quote(check.test.operatorName)): "
    switch check.test {
    case .exists(let wanted): out += wanted ? "true" : "false"
    case .matches(let pattern): out += quote(pattern.source)
    case .equals(.fact(let key, nil)), .notEquals(.fact(let key, nil)):
      out += quote(key)  // operatorName is equals-fact / not-equals-fact
    default:
      if let operand = check.test.operand { write(operand, to: &out) }
    }
    out += "}"
  }
}

private func write(_ operand: Operand, to out: inout String) {
  switch operand {
  case .literal(let value): write(value, to: &out)
  case .param(let name): out += "{param: \(quote(name))}"
  case .fact(let key, nil): out += "{fact: \(quote(key))}"
  case .fact(let key, .number(let n)?): out += "{fact: \(quote(key)), times: \(n)}"
  case .fact(let key, .param(let name)?): out += "{fact: \(quote(key)), times: {param: \(quote(name))}}"
  }
}

private func write(_ value: FactValue, to out: inout String) { FlowWriter.yaml.write(value, to: &out) }

private func quote(_ s: String) -> String { FlowWriter.yamlQuote(s) }
