@testable import ContextAudit

/// Compact, exact renderings of facts for assertions: `key=<json value>@line:column`, with
/// `-` for an unknown line or column.
enum FactText {
  static func lines(_ facts: [Fact]) -> [String] {
    facts.map(line)
  }

  static func line(_ fact: Fact) -> String {
    let line = fact.location.line.map(String.init) ?? "-"
    let column = fact.location.column.map(String.init) ?? "-"
    return "\(fact.key)=\(fact.value.jsonText)@\(line):\(column)"
  }

  /// Reads a fixture under `Fixtures/manifests/` with the parser its name calls for, reporting
  /// locations under the fixture's relative path.
  static func parseFixture(_ relative: String) throws -> ParsedArtifact {
    let bytes = try Paths.fixtureBytes("manifests/" + relative)
    let path = ArtifactPath(relative)
    if relative.hasSuffix("Modelfile") { return ModelfileParser.parse(bytes, path: path) }
    if relative.hasSuffix(".json") { return ModelfileParser.parseOllamaParams(bytes, path: path) }
    return ManifestParser.parse(bytes, path: path)
  }

  static func yaml(_ text: String, name: String = "t.yaml") -> ParsedArtifact {
    ManifestParser.parse(Array(text.utf8), path: ArtifactPath(name))
  }
}

extension Array where Element == Fact {
  func first(_ key: String) -> Fact? { first { $0.key == key } }
  func all(_ key: String) -> [Fact] { filter { $0.key == key } }
}
