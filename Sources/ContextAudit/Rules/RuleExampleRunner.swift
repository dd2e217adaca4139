/// Runs rule examples: inline facts directly, fixtures through a reader the caller supplies.
///
/// The fixture hook exists because reading a fixture is the scan pipeline's job (readers, model
/// unit assembly, derived `model.*` facts). `singleFileFixtures(root:)` is a stand-in that reads
/// one file with `ArtifactReader`; the scan command can pass a closure that runs the real
/// pipeline over files and directories alike.
public struct RuleExampleRunner: Sendable {
  /// Turns a fixture path (as written in the rule, relative to the repository root) into facts.
  /// Throw `RuleExampleSkip` to mark the example skipped; any other error fails it.
  public typealias FixtureReader = @Sendable (String) throws -> [Fact]

  /// The fixture hook; `nil` skips fixture examples.
  public var factsForFixture: FixtureReader?

  /// - Parameter factsForFixture: `nil` skips every fixture example.
  public init(factsForFixture: FixtureReader? = nil) {
    self.factsForFixture = factsForFixture
  }

  /// Runs one example with the rule's default parameters.
  ///
  /// An `ok` example passes when the rule does not fire. A `finding` example passes when it
  /// fires and, if given, the message equals `message:` and the location has the `at:` fields.
  public func run(_ example: RuleExample, of rule: RuleDefinition, index: Int) -> RuleExampleResult {
    func result(_ status: RuleExampleResult.Status, _ finding: Finding? = nil) -> RuleExampleResult {
      RuleExampleResult(
        ruleID: rule.id, exampleName: example.name, index: index, file: rule.file, line: example.line,
        status: status, finding: finding)
    }
    let facts: [Fact]
    var expectedLocation: RuleExample.ExpectedLocation?
    switch example.input {
    case .facts(let inline):
      facts = inline
    case .fixture(let path, let at):
      guard let factsForFixture else { return result(.skipped("no fixture reader was given")) }
      do {
        facts = try factsForFixture(path)
      } catch let skip as RuleExampleSkip {
        return result(.skipped(skip.reason))
      } catch let located as any LocatedError {
        return result(.failed("fixture \(path) could not be read: \(located.oneLine)"))
      } catch {
        return result(.failed("fixture \(path) could not be read: \(error)"))
      }
      expectedLocation = at
    }
    let finding = RuleEngine.match(rule, facts: FactSet(facts))
    switch (example.expect, finding) {
    case (.ok, nil):
      return result(.passed)
    case (.ok, let finding?):
      return result(.failed("expected no finding, got: \(finding.message)"), finding)
    case (.finding, nil):
      return result(.failed("expected a finding, got none"))
    case (.finding, let finding?):
      var problems: [String] = []
      if let wanted = example.message, wanted != finding.message {
        problems.append("message \"\(finding.message)\" (expected \"\(wanted)\")")
      }
      problems += expectedLocation?.mismatches(finding.location) ?? []
      return result(problems.isEmpty ? .passed : .failed("finding has " + problems.joined(separator: "; ")), finding)
    }
  }

  /// Runs `example` of its case.
  public func run(_ exampleCase: RuleExampleCase) -> RuleExampleResult {
    run(exampleCase.example, of: exampleCase.rule, index: exampleCase.index)
  }

  /// Runs every example of every rule, in catalog order.
  public func run(_ catalog: RuleCatalog) -> [RuleExampleResult] {
    catalog.allExamples.map(run)
  }

  /// Where fixture paths of rules loaded from `rulesDirectory` are resolved: the folder that
  /// holds it (the repository root for `Rules/`).
  public static func fixtureRoot(forRulesDirectory rulesDirectory: String) -> String {
    AuditConfig.parent(of: AuditConfig.absolute(rulesDirectory))
  }

  /// A fixture reader for single files under `root`, with `ArtifactReader`.
  ///
  /// The kind comes from the file name (`ArtifactKind.detect`), else from the first bytes
  /// (`ArtifactReader.sniff`). Locations are reported under the fixture path as written, so
  /// `at: {path: ...}` compares with it. A directory is skipped (model units need the scan
  /// pipeline); an artifact that fails to parse fails the example with the parser's message.
  public static func singleFileFixtures(root: String, reader: ArtifactReader = ArtifactReader()) -> FixtureReader {
    { relative in
      let full = AuditConfig.join(root, relative)
      switch FileReading.entry(at: full) {
      case .missing:
        throw FixtureError(location: SourceLocation(path: ArtifactPath(relative)), message: "no such file or directory")
      case .directory:
        throw RuleExampleSkip(reason: "directory fixtures need the scan pipeline (\(relative))")
      case .other(let what):
        throw FixtureError(location: SourceLocation(path: ArtifactPath(relative)), message: "not a regular file (\(what))")
      case .regular:
        let display = ArtifactPath(relative)
        guard let kind = ArtifactKind.detect(fileName: display.fileName) ?? sniff(full) else {
          throw FixtureError(location: SourceLocation(path: display), message: "not a kind of file ctxaudit reads")
        }
        let parsed = reader.read(filePath: full, display: display, kind: kind)
        if let error = parsed.error { throw error }
        return parsed.facts
      }
    }
  }

  private static func sniff(_ path: String) -> ArtifactKind? {
    guard let bytes = try? FileReading.readRegularFile(path, display: ArtifactPath(path), limit: FileReading.defaultTextLimit)
    else { return nil }
    return ArtifactReader.sniff(Array(bytes.prefix(64)))
  }
}

/// Thrown by a fixture reader to skip an example, with the reason shown in the test output.
public struct RuleExampleSkip: Error, Hashable, Sendable {
  public var reason: String

  public init(reason: String) {
    self.reason = reason
  }
}

/// A fixture that could not be read at all.
struct FixtureError: Error, LocatedError {
  var location: SourceLocation
  var message: String
}

/// The outcome of one example.
public struct RuleExampleResult: Hashable, Sendable {
  public enum Status: Hashable, Sendable {
    case passed
    /// Why, one line.
    case failed(String)
    case skipped(String)
  }

  public var ruleID: String
  public var exampleName: String
  /// 0-based index in the rule's `examples:`.
  public var index: Int
  public var file: String
  /// 1-based line of the example in `file`.
  public var line: Int
  public var status: Status
  /// The finding the rule produced, if it fired.
  public var finding: Finding?

  public var passed: Bool { status == .passed }
  public var failed: Bool {
    if case .failed = status { return true }
    return false
  }

  /// `<rule-id> › <example name>`.
  public var name: String { "\(ruleID) › \(exampleName)" }
}
