import Glibc

/// The rules loaded from one or more rule directories, sorted by id.
public struct RuleCatalog: Hashable, Sendable {
  /// Largest rule file read, in bytes.
  public static let maxFileBytes: UInt64 = 256 << 10
  /// Deepest folder nesting walked below a rules directory.
  public static let maxDirectoryDepth = 8
  /// Environment variable naming the built-in rules directory (see `builtInDirectory`).
  public static let environmentVariable = "CTXAUDIT_RULES"

  /// Sorted by id.
  public var rules: [RuleDefinition]

  /// Builds a catalog from rules already parsed; sorts them by id (no duplicate check).
  public init(rules: [RuleDefinition]) {
    self.rules = rules.sorted { $0.id < $1.id }
  }

  /// The rule with this id or deprecated id.
  public func rule(id: String) -> RuleDefinition? {
    rules.first { $0.id == id } ?? rules.first { $0.deprecatedIDs.contains(id) }
  }

  /// Every example of every rule, in rule order, then file order.
  public var allExamples: [RuleExampleCase] {
    rules.flatMap { rule in
      rule.examples.enumerated().map { RuleExampleCase(rule: rule, index: $0.offset, example: $0.element) }
    }
  }

  /// Loads every `*.yaml` / `*.yml` file under each directory (recursively, in name order;
  /// hidden files and folders are skipped, other files ignored).
  ///
  /// All files are read before anything is reported, so one run lists every broken file. An id
  /// (or deprecated id) used twice, within one directory or across directories, is an error at
  /// the second file's `id:`.
  ///
  /// - Parameter directories: paths as the user gave them; rule and error paths start with them.
  /// - Throws: every problem, each at its file:line:column.
  public static func load(directories: [String]) throws(RuleCatalogError) -> RuleCatalog {
    var rules: [RuleDefinition] = []
    var errors: [RuleLoadError] = []
    var owners: [String: (file: String, line: Int)] = [:]
    for directory in directories {
      guard case .directory = FileReading.entry(at: directory) else {
        errors.append(RuleLoadError(.missingDirectory(directory), at: SourceLocation(path: ArtifactPath(directory))))
        continue
      }
      for file in ruleFiles(in: directory) {
        let rule: RuleDefinition
        do throws(RuleLoadError) {
          let bytes: [UInt8]
          do {
            bytes = try FileReading.readRegularFile(file, display: ArtifactPath(file), limit: maxFileBytes)
          } catch {
            throw RuleLoadError(.unreadable(error.message), at: error.location)
          }
          rule = try RuleDefinition.parse(bytes, file: file, loadedFrom: directory)
        } catch {
          errors.append(error)
          continue
        }
        let idLine = idLine(of: file, in: rule)
        var clash = false
        for id in rule.allIDs {
          if let owner = owners[id] {
            errors.append(
              RuleLoadError(
                .duplicateRuleID(id, firstAt: "\(owner.file):\(owner.line)"),
                at: SourceLocation(path: ArtifactPath(file), line: idLine, column: 1)))
            clash = true
          }
        }
        guard !clash else { continue }
        for id in rule.allIDs { owners[id] = (file, idLine) }
        rules.append(rule)
      }
    }
    guard errors.isEmpty else { throw RuleCatalogError(errors) }
    return RuleCatalog(rules: rules)
  }

  /// The rule files under `directory`, sorted by path.
  public static func ruleFiles(in directory: String) -> [String] {
    var files: [String] = []
    func walk(_ dir: String, depth: Int) {
      guard depth <= maxDirectoryDepth else { return }
      for name in Inspector.listDirectory(dir) where !name.hasPrefix(".") {
        let path = (dir.hasSuffix("/") ? String(dir.dropLast()) : dir) + "/" + name
        switch FileReading.entry(at: path) {
        case .directory: walk(path, depth: depth + 1)
        case .regular where name.hasSuffix(".yaml") || name.hasSuffix(".yml"): files.append(path)
        default: break
        }
      }
    }
    walk(directory, depth: 0)
    return files.sorted()
  }

  /// The line of `id:` in a rule's file, for duplicate-id errors (1 when it cannot be told).
  private static func idLine(of file: String, in rule: RuleDefinition) -> Int {
    guard let bytes = try? FileReading.readRegularFile(file, display: ArtifactPath(file), limit: maxFileBytes),
      let root = try? YAMLReader.documents(bytes, path: ArtifactPath(file)).first,
      let pair = root.mapping?.first(where: { $0.key.scalar == "id" })
    else { return 1 }
    return pair.key.line
  }

  // MARK: Built-in rules

  /// The built-in rules embedded in the binary (`embeddedRuleFiles`, generated from `Rules/`).
  ///
  /// Used when no `Rules/` directory is found near the executable and `CTXAUDIT_RULES` is not
  /// set, so a single installed binary works on its own. Fixture examples of these rules name
  /// repository paths and run only from a checkout.
  public static func loadEmbedded() throws(RuleCatalogError) -> RuleCatalog {
    var rules: [RuleDefinition] = []
    var errors: [RuleLoadError] = []
    for file in embeddedRuleFiles {
      do throws(RuleLoadError) {
        rules.append(try RuleDefinition.parse(Array(file.text.utf8), file: file.path, loadedFrom: "Rules"))
      } catch {
        errors.append(error)
      }
    }
    guard errors.isEmpty else { throw RuleCatalogError(errors) }
    return RuleCatalog(rules: rules)
  }

  /// Where the built-in `Rules/` directory is.
  ///
  /// `environmentValue` (the value of `CTXAUDIT_RULES`) wins when it is set and non-empty. Else
  /// the folders above the executable are searched, nearest first, for a `Rules` folder, or a
  /// `share/ctxaudit/Rules` one (an installed layout): for `.build/debug/ctxaudit` in a
  /// checkout that is the repository's `Rules/`.
  ///
  /// - Parameter executablePath: the running binary, symlinks resolved (`/proc/self/exe`).
  /// - Returns: the directory, or `nil` when none exists.
  public static func builtInDirectory(executablePath: String?, environmentValue: String?) -> String? {
    if let value = environmentValue, !value.isEmpty { return value }
    guard let executablePath, executablePath.hasPrefix("/") else { return nil }
    var directory = AuditConfig.parent(of: executablePath)
    while true {
      for candidate in [directory + "/Rules", directory + "/share/ctxaudit/Rules"] {
        let clean = candidate.hasPrefix("//") ? String(candidate.dropFirst()) : candidate
        if case .directory = FileReading.entry(at: clean) { return clean }
      }
      if directory == "/" { return nil }
      directory = AuditConfig.parent(of: directory)
    }
  }

  /// The running executable's path with symlinks resolved, from `/proc/self/exe` (Linux).
  public static func currentExecutablePath() -> String? {
    var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
    let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
    guard n > 0 else { return nil }
    return String(decoding: buffer.prefix(n).map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }
}

/// One example of one rule, for running and for parameterized tests.
public struct RuleExampleCase: Hashable, Sendable, CustomStringConvertible {
  public var rule: RuleDefinition
  /// Index of the example in the rule file's `examples:` (0-based).
  public var index: Int
  public var example: RuleExample

  public init(rule: RuleDefinition, index: Int, example: RuleExample) {
    self.rule = rule
    self.index = index
    self.example = example
  }

  /// `<rule-id> › <example name>`.
  public var description: String { "\(rule.id) › \(example.name)" }

  /// `file:line (examples[i])`, to find the example in its rule file.
  public var source: String { "\(rule.file):\(example.line) (examples[\(index)])" }
}
