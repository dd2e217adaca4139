@testable import ContextAudit

/// One `card.claim` or `card.generation_budget` fact, flattened for exact comparison.
struct ClaimRow: Equatable, CustomStringConvertible {
  var key: String
  var line: Int
  var column: Int
  var tokens: Int64
  var decimal: Int64?
  var role: String?
  var method: String?
  var label: String?

  static func claim(
    _ line: Int, _ column: Int, _ tokens: Int64, _ decimal: Int64? = nil, _ role: String, method: String? = nil,
    label: String? = nil
  ) -> ClaimRow {
    ClaimRow(
      key: "card.claim", line: line, column: column, tokens: tokens, decimal: decimal, role: role, method: method,
      label: label)
  }

  static func budget(_ line: Int, _ column: Int, _ tokens: Int64, _ decimal: Int64? = nil) -> ClaimRow {
    ClaimRow(key: "card.generation_budget", line: line, column: column, tokens: tokens, decimal: decimal)
  }

  var description: String {
    var parts = ["\(key) \(line):\(column) \(tokens)"]
    if let decimal { parts.append("dec=\(decimal)") }
    if let role { parts.append(role) }
    if let method { parts.append("method=\(method)") }
    if let label { parts.append("label=\(label)") }
    return parts.joined(separator: " ")
  }

  /// The claim and budget facts of `facts`, in order.
  static func rows(_ facts: [Fact]) -> [ClaimRow] {
    facts.compactMap { fact in
      guard fact.key == "card.claim" || fact.key == "card.generation_budget",
        let object = fact.value.objectValue, let tokens = object["tokens"]?.intValue,
        let line = fact.location.line, let column = fact.location.column
      else { return nil }
      return ClaimRow(
        key: fact.key, line: line, column: column, tokens: tokens, decimal: object["tokens_decimal"]?.intValue,
        role: object["role"]?.stringValue, method: object["method"]?.stringValue, label: object["label"]?.stringValue)
    }
  }
}

enum CardTest {
  static let path = ArtifactPath("README.md")

  /// Parses card text given inline.
  static func parse(_ text: String, limits: ContextClaimExtractor.Limits = .default) -> ParsedArtifact {
    ModelCardParser.parse(Array(text.utf8), path: path, limits: limits)
  }

  /// The claim rows of inline card text.
  static func rows(_ text: String) -> [ClaimRow] {
    ClaimRow.rows(parse(text).facts)
  }

  /// The `text` of every claim and budget, in order.
  static func texts(_ facts: [Fact]) -> [String] {
    facts.compactMap { $0.key.hasPrefix("card.claim") || $0.key == "card.generation_budget" ? $0.value.objectValue?["text"]?.stringValue : nil }
  }

  static func frontMatter(_ facts: [Fact]) -> [String: Fact] {
    var out: [String: Fact] = [:]
    for fact in facts where fact.key.hasPrefix("card.front_matter.") {
      out[String(fact.key.dropFirst("card.front_matter.".count))] = fact
    }
    return out
  }
}
