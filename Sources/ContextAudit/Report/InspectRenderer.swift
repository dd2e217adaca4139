/// Renders what `inspect` read, as text for people or JSON for machines.
public enum InspectRenderer {
  /// One block per artifact: a heading, then one aligned line per fact (key, value, location).
  public static func text(_ result: Inspector.Result) -> String {
    var out = ""
    for (index, artifact) in result.artifacts.enumerated() {
      if index > 0 { out += "\n" }
      out += TerminalText.sanitize("\(artifact.path) (\(artifact.kind.rawValue), \(artifact.facts.count) facts)") + "\n"
      let keyWidth = min(56, artifact.facts.map { TerminalText.width($0.key) }.max() ?? 0)
      let rows = artifact.facts.map { fact -> (String, String, String) in
        (
          TerminalText.sanitize(fact.key), TerminalText.sanitize(clip(fact.value.displayText, 60)),
          TerminalText.sanitize(where_(fact.location))
        )
      }
      let valueWidth = min(60, rows.map { TerminalText.width($0.1) }.max() ?? 0)
      for row in rows {
        out += "  " + TerminalText.pad(row.0, keyWidth) + "  " + TerminalText.pad(row.1, valueWidth) + "  " + row.2 + "\n"
      }
      if let error = artifact.error {
        out += "  error: " + TerminalText.sanitize(error.oneLine) + "\n"
      }
    }
    return out
  }

  /// Where a fact sits, without repeating the artifact path: `12:3 rope_scaling.factor` or `@1234`.
  static func where_(_ location: SourceLocation) -> String {
    var parts: [String] = []
    if let line = location.line { parts.append(location.column.map { "\(line):\($0)" } ?? "\(line)") }
    if let offset = location.offset { parts.append("@\(offset)") }
    if let keyPath = location.keyPath, location.offset == nil { parts.append(keyPath) }
    return parts.joined(separator: " ")
  }

  static func clip(_ s: String, _ n: Int) -> String {
    s.unicodeScalars.count <= n ? s : String(String.UnicodeScalarView(s.unicodeScalars.prefix(n - 1))) + "…"
  }

  /// Deterministic JSON: `{"schema_version":1,"artifacts":[…],"facts":[…]}` with every fact's key,
  /// value, source path and kind, and location fields (`null` when unknown).
  public static func json(_ result: Inspector.Result) -> String {
    var artifacts: [String] = []
    var facts: [String] = []
    for artifact in result.artifacts {
      let error = artifact.error.map { "{\"location\":\(locationJSON($0.location)),\"message\":\(JSONText.quote($0.message))}" } ?? "null"
      artifacts.append(
        "{\"error\":\(error),\"facts\":\(artifact.facts.count),\"kind\":\(JSONText.quote(artifact.kind.rawValue)),\"path\":\(JSONText.quote(artifact.path.value))}"
      )
      for fact in artifact.facts {
        facts.append(
          "{\"key\":\(JSONText.quote(fact.key)),\"location\":\(locationJSON(fact.location)),\"source\":{\"kind\":\(JSONText.quote(artifact.kind.rawValue)),\"path\":\(JSONText.quote(artifact.path.value))},\"value\":\(fact.value.jsonText)}"
        )
      }
    }
    return "{\"artifacts\":[\n" + artifacts.joined(separator: ",\n") + "\n],\"facts\":[\n" + facts.joined(separator: ",\n")
      + "\n],\"schema_version\":1}\n"
  }

  static func locationJSON(_ l: SourceLocation) -> String {
    func opt<T>(_ v: T?, _ f: (T) -> String) -> String { v.map(f) ?? "null" }
    return "{\"column\":\(opt(l.column) { String($0) }),\"key_path\":\(opt(l.keyPath) { JSONText.quote($0) }),\"line\":\(opt(l.line) { String($0) }),\"offset\":\(opt(l.offset) { String($0) }),\"path\":\(JSONText.quote(l.path.value))}"
  }
}
