import Foundation
import Testing
@testable import ContextAudit

/// Builders for rule files and facts in rules tests.
enum RuleText {
  /// A complete rule file around `when` (YAML text indented under `when:`).
  static func rule(
    id: String = "model-test-rule", scope: String = "model", when: String, message: String = "test message",
    extra: String = ""
  ) -> String {
    """
    id: \(id)
    title: Test rule
    applies-to: \(scope)
    severity: warning
    message: "\(message)"
    rationale: Exercises the engine.
    \(extra)
    when:
    \(when)
    """
  }

  static func parse(_ text: String, file: String = "Rules/model/model-test-rule.yaml") throws -> RuleDefinition {
    try RuleDefinition.parse(text, file: file)
  }
}

/// A fact at `line` of `path`, for evaluation tests.
func fact(_ key: String, _ value: FactValue, line: Int = 1, path: String = "m/config.json") -> Fact {
  Fact(key: key, value: value, location: SourceLocation(path: ArtifactPath(path), line: line, column: 1))
}

/// The error a throwing body raised, when it is a `RuleLoadError`.
func loadError(_ body: () throws -> Void) -> RuleLoadError? {
  do {
    try body()
    return nil
  } catch let error as RuleLoadError {
    return error
  } catch {
    return nil
  }
}

/// A fresh directory under the system temporary directory, removed by the caller.
func makeTemporaryDirectory() throws -> URL {
  let url = FileManager.default.temporaryDirectory.appendingPathComponent("ctxaudit-rules-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  return url.resolvingSymlinksInPath()
}

func write(_ text: String, to url: URL) throws {
  try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
  try Data(text.utf8).write(to: url)
}
