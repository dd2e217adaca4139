extension RuleDefinition {
  /// The keys a rule file may hold.
  public static let fileKeys = [
    "id", "title", "applies-to", "severity", "rationale", "references", "message", "params", "when",
    "location-from", "metadata", "deprecated-ids", "examples",
  ]
  static let exampleKeys = ["name", "expect", "facts", "fixture", "at", "message"]

  /// Parses a rule file's text.
  ///
  /// Checks everything that can be checked without the other rules: the shape of every key,
  /// the id (kebab-case, equal to the file name, not reserved), the condition, the message
  /// placeholders (every `{{param.x}}` declared) and the examples.
  ///
  /// - Parameters:
  ///   - file: the path used in errors and in `RuleDefinition.file`; its last component without
  ///     `.yaml`/`.yml` must equal the id.
  /// - Throws: the first problem, at its 1-based line and column.
  public static func parse(_ bytes: [UInt8], file: String, loadedFrom: String? = nil) throws(RuleLoadError) -> RuleDefinition {
    let path = ArtifactPath(file)
    let root = try YAMLNode.single(bytes, path: path)
    let fields = try YAMLFields(root, path: path, context: "rule", allowed: fileKeys)

    let idNode = try fields.required("id")
    let id = try fields.requiredString("id")
    guard RuleDefinition.isValidID(id) else { throw RuleLoadError(.badRuleID(id), at: idNode.location(in: path)) }
    guard id != Finding.parseErrorRule else { throw RuleLoadError(.reservedRuleID(id), at: idNode.location(in: path)) }
    let stem = RuleDefinition.fileStem(file)
    guard stem == id else { throw RuleLoadError(.idMismatch(id: id, fileName: path.fileName), at: idNode.location(in: path)) }

    let title = try fields.requiredString("title")
    let scopeNode = try fields.required("applies-to")
    let scopeText = try fields.requiredString("applies-to")
    guard let scope = RuleScope(rawValue: scopeText) else {
      throw RuleLoadError(
        .invalidValue(key: "applies-to", value: scopeText, expected: RuleScope.allCases.map(\.rawValue).joined(separator: " | ")),
        at: scopeNode.location(in: path))
    }
    let severityNode = try fields.required("severity")
    let severityText = try fields.requiredString("severity")
    guard let severity = Severity(rawValue: severityText) else {
      throw RuleLoadError(
        .invalidValue(key: "severity", value: severityText, expected: "error | warning | note"), at: severityNode.location(in: path))
    }
    let rationale = try fields.requiredString("rationale")
    let references = try fields.stringList("references") ?? []

    let params = try parseParams(fields["params"], path: path)
    let defaults = Dictionary(params.map { ($0.name, $0.defaultValue) }, uniquingKeysWith: { first, _ in first })

    let messageNode = try fields.required("message")
    let messageText = try fields.requiredString("message")
    let message: MessageTemplate
    do {
      message = try MessageTemplate(messageText)
    } catch {
      throw RuleLoadError(error, at: messageNode.location(in: path))
    }
    if let unknown = message.paramNames.first(where: { defaults[$0] == nil }) {
      throw RuleLoadError(.unknownParam(unknown), at: messageNode.location(in: path))
    }

    let condition = try ConditionParser.parse(try fields.required("when"), path: path, params: defaults)

    var locationFrom: String?
    if let node = fields["location-from"] {
      let key = try node.text(key: "location-from", path: path)
      guard ConditionParser.isValidFactKey(key) else { throw RuleLoadError(.badFactKey(key), at: node.location(in: path)) }
      locationFrom = key
    }

    var metadata: FactValue?
    if let node = fields["metadata"] {
      guard node.mapping != nil else {
        throw RuleLoadError(.wrongShape(context: "'metadata'", expected: "a mapping"), at: node.location(in: path))
      }
      metadata = node.factValue
    }

    let deprecated = try fields.stringList("deprecated-ids") ?? []
    if let node = fields["deprecated-ids"], let bad = deprecated.firstIndex(where: { !RuleDefinition.isValidID($0) || $0 == id }) {
      let item = node.sequence?[bad] ?? node
      throw RuleLoadError(.badRuleID(deprecated[bad]), at: item.location(in: path))
    }

    let examples = try parseExamples(fields["examples"], path: path)

    return RuleDefinition(
      id: id, title: title, scope: scope, severity: severity, rationale: rationale, references: references,
      message: message, params: params, condition: condition, locationFrom: locationFrom, metadata: metadata,
      deprecatedIDs: deprecated, examples: examples, file: file, loadedFrom: loadedFrom)
  }

  /// Parses a rule file given as text (tests, tools).
  public static func parse(_ text: String, file: String) throws(RuleLoadError) -> RuleDefinition {
    try parse(Array(text.utf8), file: file)
  }

  /// Whether `id` is kebab-case: lowercase ASCII letters and digits in groups joined by single dashes.
  public static func isValidID(_ id: String) -> Bool {
    guard !id.isEmpty, id.count <= 100 else { return false }
    let groups = id.split(separator: "-", omittingEmptySubsequences: false)
    return groups.allSatisfy { group in
      !group.isEmpty && group.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) }
    }
  }

  /// The last path component without `.yaml` or `.yml`.
  static func fileStem(_ file: String) -> String {
    let name = ArtifactPath(file).fileName
    for suffix in [".yaml", ".yml"] where name.hasSuffix(suffix) { return String(name.dropLast(suffix.count)) }
    return name
  }

  private static func parseParams(_ node: YAMLNode?, path: ArtifactPath) throws(RuleLoadError) -> [RuleParam] {
    guard let node else { return [] }
    let fields = try YAMLFields(node, path: path, context: "params", allowed: nil)
    var params: [RuleParam] = []
    for entry in fields.entries {
      guard ConditionParser.isValidFactKey(entry.key) else {
        throw RuleLoadError(.badFactKey(entry.key), at: entry.keyNode.location(in: path))
      }
      if entry.value.mapping != nil {
        let spec = try YAMLFields(entry.value, path: path, context: "parameter '\(entry.key)'", allowed: ["default", "description"])
        let value = try spec.required("default").factValue
        params.append(RuleParam(name: entry.key, defaultValue: value, description: try spec.string("description")))
      } else {
        let value = entry.value.factValue
        if case .null = value {
          throw RuleLoadError(.missingKey("default", context: "parameter '\(entry.key)'"), at: entry.value.location(in: path))
        }
        params.append(RuleParam(name: entry.key, defaultValue: value))
      }
    }
    return params
  }

  private static func parseExamples(_ node: YAMLNode?, path: ArtifactPath) throws(RuleLoadError) -> [RuleExample] {
    guard let node else { return [] }
    guard let items = node.sequence else {
      throw RuleLoadError(.wrongShape(context: "'examples'", expected: "a list"), at: node.location(in: path))
    }
    var examples: [RuleExample] = []
    for item in items {
      let fields = try YAMLFields(item, path: path, context: "example", allowed: exampleKeys)
      let name = try fields.requiredString("name")
      let expectNode = try fields.required("expect")
      let expectText = try fields.requiredString("expect")
      guard let expect = RuleExample.Expectation(rawValue: expectText) else {
        throw RuleLoadError(.invalidValue(key: "expect", value: expectText, expected: "ok | finding"), at: expectNode.location(in: path))
      }
      let input: RuleExample.Input
      switch (fields["facts"], fields["fixture"]) {
      case (let facts?, nil):
        if let at = fields.keyNode("at") {
          throw RuleLoadError(.unknownKey("at", context: "an inline example", expected: ["name", "expect", "facts", "message"]), at: at.location(in: path))
        }
        input = .facts(try parseFacts(facts, path: path))
      case (nil, let fixture?):
        let relative = try fixture.text(key: "fixture", path: path)
        guard isSafeRelativePath(relative) else {
          throw RuleLoadError(.badFixturePath(relative), at: fixture.location(in: path))
        }
        input = .fixture(path: relative, at: try parseAt(fields["at"], path: path))
      case (_?, _?):
        throw RuleLoadError(
          .wrongShape(context: "an example", expected: "either 'facts' or 'fixture', not both"), at: item.location(in: path))
      case (nil, nil):
        throw RuleLoadError(.missingKey("facts", context: "example '\(name)' (or give 'fixture')"), at: item.location(in: path))
      }
      var message: String?
      if let node = fields["message"] {
        guard expect == .finding else {
          throw RuleLoadError(
            .wrongShape(context: "'message' of an example", expected: "given only when expect is finding"), at: node.location(in: path))
        }
        message = try node.text(key: "message", path: path)
      }
      examples.append(RuleExample(name: name, expect: expect, input: input, message: message, line: item.line))
    }
    return examples
  }

  /// `facts:` as a mapping (one fact per key) or a list of one-key mappings (repeated keys allowed).
  private static func parseFacts(_ node: YAMLNode, path: ArtifactPath) throws(RuleLoadError) -> [Fact] {
    var facts: [Fact] = []
    let mappings: [YAMLNode]
    if node.mapping != nil {
      mappings = [node]
    } else if let items = node.sequence {
      mappings = items
    } else {
      throw RuleLoadError(
        .wrongShape(context: "'facts'", expected: "a mapping of fact key to value, or a list of such mappings"),
        at: node.location(in: path))
    }
    for mapping in mappings {
      let fields = try YAMLFields(mapping, path: path, context: "facts", allowed: nil)
      for entry in fields.entries {
        guard ConditionParser.isValidFactKey(entry.key) else {
          throw RuleLoadError(.badFactKey(entry.key), at: entry.keyNode.location(in: path))
        }
        let location = SourceLocation(path: path, line: entry.value.line, column: entry.value.column, keyPath: entry.key)
        facts.append(Fact(key: entry.key, value: entry.value.factValue, location: location))
      }
    }
    return facts
  }

  private static func parseAt(_ node: YAMLNode?, path: ArtifactPath) throws(RuleLoadError) -> RuleExample.ExpectedLocation? {
    guard let node else { return nil }
    let fields = try YAMLFields(node, path: path, context: "'at'", allowed: ["path", "line", "column", "offset"])
    func number(_ key: String) throws(RuleLoadError) -> Int64? {
      guard let value = fields[key] else { return nil }
      guard let n = value.factValue.intValue, n >= 0 else {
        throw RuleLoadError(
          .invalidValue(key: key, value: value.scalar ?? "a collection", expected: "a non-negative integer"), at: value.location(in: path))
      }
      return n
    }
    return RuleExample.ExpectedLocation(
      path: try fields.string("path"), line: try number("line").map { Int($0) }, column: try number("column").map { Int($0) },
      offset: try number("offset").map { UInt64($0) })
  }

  /// Relative, non-empty, no `..` component and no leading `/`.
  static func isSafeRelativePath(_ path: String) -> Bool {
    !path.isEmpty && !path.hasPrefix("/") && !path.split(separator: "/").contains("..")
  }
}
