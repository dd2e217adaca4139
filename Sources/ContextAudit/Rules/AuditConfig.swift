import Glibc

/// The user's `.ctxaudit.yaml`: which rules run, at what severity, with which thresholds, and
/// which findings are accepted (with a reason).
///
/// ```yaml
/// rules: [team-rules]                 # extra rule directories, relative to this file
/// disable: [model-remote-code]        # rule ids (deprecated ids work too)
/// severity: { model-gguf-config-window-mismatch: error }
/// params: { model-static-interpolation-large-factor: { max-factor: 8 } }
/// ignore:
///   - rule: model-served-exceeds-effective
///     path: deploy/staging            # glob or prefix; absent = everywhere
///     reason: staging runs the long-context eval on purpose
/// ```
///
/// Every key is optional; any other key is an error with its line and column. An `ignore`
/// entry without a non-empty `reason` is an error: accepting a finding must say why.
public struct AuditConfig: Hashable, Sendable {
  /// The file name looked for by `find(startingAt:)`.
  public static let fileName = ".ctxaudit.yaml"
  /// The top-level keys a config may hold.
  public static let keys = ["rules", "disable", "severity", "params", "ignore"]

  /// One `ignore:` entry.
  public struct Ignore: Hashable, Sendable {
    public var rule: String
    /// `nil`: everywhere.
    public var path: PathPattern?
    public var reason: String

    public init(rule: String, path: PathPattern? = nil, reason: String) {
      self.rule = rule
      self.path = path
      self.reason = reason
    }
  }

  /// Extra rule directories, resolved against the config file's directory.
  public var ruleDirectories: [String]
  /// Rule ids that do not run.
  public var disabled: Set<String>
  /// Severity per rule id.
  public var severities: [String: Severity]
  /// Parameter values per rule id, then per parameter name.
  public var params: [String: [String: FactValue]]
  public var ignores: [Ignore]
  /// The file this config came from, if any.
  public var file: String?

  /// Where each entry was written, for `validate(against:)`.
  enum Origin: Hashable, Sendable {
    case disable(String), severity(String), params(String), param(String, String), ignore(Int)
  }
  var origins: [Origin: SourceLocation] = [:]

  public init(
    ruleDirectories: [String] = [], disabled: Set<String> = [], severities: [String: Severity] = [:],
    params: [String: [String: FactValue]] = [:], ignores: [Ignore] = [], file: String? = nil
  ) {
    self.ruleDirectories = ruleDirectories
    self.disabled = disabled
    self.severities = severities
    self.params = params
    self.ignores = ignores
    self.file = file
  }

  // MARK: Applying

  /// Whether `disable:` names the rule or one of its deprecated ids.
  public func isDisabled(_ rule: RuleDefinition) -> Bool {
    rule.allIDs.contains(where: disabled.contains)
  }

  /// The configured severity, else the rule's own.
  public func severity(for rule: RuleDefinition) -> Severity {
    rule.allIDs.lazy.compactMap { severities[$0] }.first ?? rule.severity
  }

  /// The rule's parameter defaults with this config's overrides on top.
  public func params(for rule: RuleDefinition) -> [String: FactValue] {
    var values = rule.defaultParams
    for id in rule.allIDs.reversed() {
      for (name, value) in params[id] ?? [:] { values[name] = value }
    }
    return values
  }

  /// The first ignore entry for this rule whose path matches the finding's artifact.
  ///
  /// A finding without a location matches only an entry without `path`.
  public func ignore(matching finding: Finding, of rule: RuleDefinition) -> Ignore? {
    ignores.first { entry in
      guard rule.allIDs.contains(entry.rule) else { return false }
      guard let pattern = entry.path else { return true }
      guard let location = finding.location else { return false }
      return pattern.matches(location.path.value)
    }
  }

  // MARK: Checking against the catalog

  /// Problems only the loaded rules can reveal: unknown rule ids, unknown parameter names, and
  /// parameter values whose type differs from the default's (number, string, boolean, list).
  ///
  /// - Returns: the problems sorted by location; empty when the config fits the rules.
  public func validate(against rules: [RuleDefinition]) -> [AuditConfigError] {
    var byID: [String: RuleDefinition] = [:]
    for rule in rules { for id in rule.allIDs { byID[id] = rule } }
    let here = SourceLocation(path: ArtifactPath(file ?? AuditConfig.fileName))
    var problems: [AuditConfigError] = []
    func check(_ id: String, _ origin: Origin) -> RuleDefinition? {
      if let rule = byID[id] { return rule }
      problems.append(AuditConfigError(.unknownRule(id), at: origins[origin] ?? here))
      return nil
    }
    for id in disabled.sorted() { _ = check(id, .disable(id)) }
    for id in severities.keys.sorted() { _ = check(id, .severity(id)) }
    for (index, entry) in ignores.enumerated() { _ = check(entry.rule, .ignore(index)) }
    for id in params.keys.sorted() {
      guard let rule = check(id, .params(id)) else { continue }
      let defaults = rule.defaultParams
      for (name, value) in (params[id] ?? [:]).sorted(by: { $0.key < $1.key }) {
        let at = origins[.param(id, name)] ?? here
        guard let defaultValue = defaults[name] else {
          problems.append(AuditConfigError(.unknownParam(name), at: at))
          continue
        }
        if let expected = AuditConfig.typeMismatch(defaultValue, value) {
          problems.append(AuditConfigError(.paramType(rule: rule.id, param: name, expected: expected), at: at))
        }
      }
    }
    return problems.sorted { $0.location < $1.location }
  }

  /// The expected type's name when `value` is not of the default's type.
  static func typeMismatch(_ defaultValue: FactValue, _ value: FactValue) -> String? {
    switch defaultValue {
    case .int, .double: return value.doubleValue == nil ? "a number" : nil
    case .string: return value.stringValue == nil ? "a string" : nil
    case .bool: return value.boolValue == nil ? "true or false" : nil
    case .array: return value.arrayValue == nil ? "a list" : nil
    case .object: return value.objectValue == nil ? "a mapping" : nil
    case .null: return nil
    }
  }

  // MARK: Loading

  /// Looks for `.ctxaudit.yaml` in the directory of `path` (or `path` itself when it is a
  /// directory), then in each parent up to the file system root.
  ///
  /// A relative `path` is taken from the current directory. Only regular files count.
  ///
  /// - Returns: the config file's path, or `nil` when there is none.
  public static func find(startingAt path: String) -> String? {
    var directory = absolute(path)
    if case .regular = FileReading.entry(at: directory) { directory = parent(of: directory) }
    while true {
      let candidate = (directory == "/" ? "" : directory) + "/" + fileName
      if case .regular = FileReading.entry(at: candidate) { return candidate }
      if directory == "/" || directory.isEmpty { return nil }
      directory = parent(of: directory)
    }
  }

  /// Reads and parses a config file (at most 1 MiB).
  public static func load(file: String) throws(AuditConfigError) -> AuditConfig {
    let bytes: [UInt8]
    do {
      bytes = try FileReading.readRegularFile(file, display: ArtifactPath(file), limit: 1 << 20)
    } catch {
      throw AuditConfigError(.unreadable(error.message), at: error.location)
    }
    return try parse(bytes, file: file, baseDirectory: parent(of: absolute(file)))
  }

  /// `find` then `load`; `nil` when there is no config file.
  public static func discover(startingAt path: String) throws(AuditConfigError) -> AuditConfig? {
    guard let file = find(startingAt: path) else { return nil }
    return try load(file: file)
  }

  /// Parses config text.
  ///
  /// - Parameters:
  ///   - file: the path used in error locations.
  ///   - baseDirectory: what relative `rules:` directories are resolved against.
  public static func parse(_ bytes: [UInt8], file: String, baseDirectory: String) throws(AuditConfigError) -> AuditConfig {
    do {
      return try parseRules(bytes, file: file, baseDirectory: baseDirectory)
    } catch {
      throw AuditConfigError(error.problem, at: error.location)
    }
  }

  /// Parses config text (tests, tools); see `parse(_:file:baseDirectory:)` for bytes.
  public static func parse(_ text: String, file: String, baseDirectory: String = ".") throws(AuditConfigError) -> AuditConfig {
    try parse(Array(text.utf8), file: file, baseDirectory: baseDirectory)
  }

  private static func parseRules(_ bytes: [UInt8], file: String, baseDirectory: String) throws(RuleLoadError) -> AuditConfig {
    let path = ArtifactPath(file)
    var config = AuditConfig(file: file)
    // An empty file, or one holding only comments or a bare `---`, is the default config.
    guard let root = try YAMLNode.single(bytes, path: path, allowEmpty: true) else { return config }
    if case .scalar(let text, true) = root.content, text.isEmpty { return config }
    let fields = try YAMLFields(root, path: path, context: "config", allowed: keys)

    for directory in try fields.stringList("rules") ?? [] {
      config.ruleDirectories.append(directory.hasPrefix("/") ? directory : join(baseDirectory, directory))
    }
    if let node = fields["disable"] {
      let ids = try node.textList(key: "disable", path: path)
      for (id, item) in zip(ids, node.sequence ?? []) {
        config.disabled.insert(id)
        config.origins[.disable(id)] = item.location(in: path)
      }
    }
    if let node = fields["severity"] {
      for entry in try YAMLFields(node, path: path, context: "severity", allowed: nil).entries {
        let text = try entry.value.text(key: entry.key, path: path)
        guard let severity = Severity(rawValue: text) else {
          throw RuleLoadError(
            .invalidValue(key: "severity of '\(entry.key)'", value: text, expected: "error | warning | note"),
            at: entry.value.location(in: path))
        }
        config.severities[entry.key] = severity
        config.origins[.severity(entry.key)] = entry.keyNode.location(in: path)
      }
    }
    if let node = fields["params"] {
      for entry in try YAMLFields(node, path: path, context: "params", allowed: nil).entries {
        var values: [String: FactValue] = [:]
        for param in try YAMLFields(entry.value, path: path, context: "params of '\(entry.key)'", allowed: nil).entries {
          values[param.key] = param.value.factValue
          config.origins[.param(entry.key, param.key)] = param.keyNode.location(in: path)
        }
        config.params[entry.key] = values
        config.origins[.params(entry.key)] = entry.keyNode.location(in: path)
      }
    }
    if let node = fields["ignore"] {
      guard let items = node.sequence else {
        throw RuleLoadError(.wrongShape(context: "'ignore'", expected: "a list"), at: node.location(in: path))
      }
      for item in items {
        let entry = try YAMLFields(item, path: path, context: "ignore entry", allowed: ["rule", "path", "reason"])
        let rule = try entry.requiredString("rule")
        let reason = try entry.string("reason") ?? ""
        guard !reason.allSatisfy(\.isWhitespace) else {
          throw RuleLoadError(.ignoreWithoutReason(rule: rule), at: (entry["reason"] ?? item).location(in: path))
        }
        let pattern = try entry.string("path").map(PathPattern.init)
        config.origins[.ignore(config.ignores.count)] = item.location(in: path)
        config.ignores.append(Ignore(rule: rule, path: pattern, reason: reason))
      }
    }
    return config
  }

  // MARK: Paths

  static func absolute(_ path: String) -> String {
    if path.hasPrefix("/") { return trimTrailingSlash(path) }
    var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
    guard getcwd(&buffer, buffer.count) != nil else { return path }
    let cwd = String(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    return trimTrailingSlash(join(cwd, path))
  }

  /// `base/relative` with `.` and `..` components resolved lexically (symlinks are not followed).
  static func join(_ base: String, _ relative: String) -> String {
    let isAbsolute = base.hasPrefix("/")
    var parts = base.split(separator: "/").map(String.init).filter { $0 != "." }
    for part in relative.split(separator: "/") {
      switch part {
      case ".": continue
      case "..":
        if let last = parts.last, last != ".." {
          parts.removeLast()
        } else if !isAbsolute {
          parts.append("..")
        }
      default: parts.append(String(part))
      }
    }
    let body = parts.joined(separator: "/")
    return isAbsolute ? "/" + body : (body.isEmpty ? "." : body)
  }

  static func parent(of path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "." }
    let head = String(path[..<slash])
    return head.isEmpty ? "/" : head
  }

  static func trimTrailingSlash(_ path: String) -> String {
    var p = path
    while p.count > 1 && p.hasSuffix("/") { p.removeLast() }
    return p
  }
}
