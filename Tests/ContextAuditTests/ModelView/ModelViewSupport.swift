import ContextAudit

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A parsed artifact built from inline facts, laid out the way the real readers locate them.
///
/// JSON and YAML facts sit on consecutive 1-based lines starting at line 2 (line 1 holds `{`),
/// indented two columns per nesting level, with the key path after the prefix. GGUF facts get
/// increasing byte offsets starting at 24 (after magic, version and the two counts).
struct FactFile {
  let path: ArtifactPath
  let kind: ArtifactKind
  let prefix: String
  private(set) var facts: [Fact] = []

  init(_ path: String, kind: ArtifactKind, prefix: String, _ entries: KeyValuePairs<String, FactValue>) {
    self.path = ArtifactPath(path)
    self.kind = kind
    self.prefix = prefix
    var offset: UInt64 = 24
    for (index, entry) in entries.enumerated() {
      let location: SourceLocation
      if kind == .gguf {
        location = SourceLocation(path: self.path, offset: offset)
        offset += UInt64(entry.key.utf8.count) + 20
      } else {
        let depth = entry.key.split(separator: ".").count - 1
        location = SourceLocation(path: self.path, line: index + 2, column: 3 + 2 * depth, keyPath: entry.key)
      }
      facts.append(Fact(key: prefix + entry.key, value: entry.value, location: location))
    }
  }

  var artifact: ParsedArtifact { ParsedArtifact(path: path, kind: kind, facts: facts) }

  /// The location of the raw fact `key` (without the prefix); a trap means the test is wrong.
  func location(_ key: String) -> SourceLocation {
    guard let fact = facts.first(where: { $0.key == prefix + key }) else {
      preconditionFailure("test file \(path) has no \(key)")
    }
    return fact.location
  }

  static func config(_ entries: KeyValuePairs<String, FactValue>, path: String = "config.json") -> FactFile {
    FactFile(path, kind: .configJSON, prefix: "config.", entries)
  }

  static func tokenizer(_ entries: KeyValuePairs<String, FactValue>) -> FactFile {
    FactFile("tokenizer_config.json", kind: .configJSON, prefix: "tokenizer_config.", entries)
  }

  /// Keys after `gguf.`: `kv.general.architecture`, `tensor.rope_freqs.weight`.
  static func gguf(_ entries: KeyValuePairs<String, FactValue>, path: String = "model-Q4_K_M.gguf") -> FactFile {
    FactFile(path, kind: .gguf, prefix: "gguf.", entries)
  }

  static func manifest(
    _ entries: KeyValuePairs<String, FactValue>, path: String = "deploy/vllm.yaml", kind: ArtifactKind = .yamlManifest
  ) -> FactFile {
    FactFile(path, kind: kind, prefix: "manifest.", entries)
  }

  /// One `card.claim` fact per entry, at the given line of `README.md`.
  static func card(_ claims: [(line: Int, text: String, tokens: Int64, role: String, method: String?)]) -> FactFile {
    var file = FactFile("README.md", kind: .modelCard, prefix: "card.", [:])
    for claim in claims {
      var object: [String: FactValue] = [
        "text": .string(claim.text), "tokens": .int(claim.tokens), "role": .string(claim.role),
      ]
      if let method = claim.method { object["method"] = .string(method) }
      file.facts.append(
        Fact(key: "card.claim", value: .object(object), location: SourceLocation(path: file.path, line: claim.line, column: 1)))
    }
    return file
  }
}

extension ModelView {
  func value(_ key: String) -> FactValue? { fact(key)?.value }

  func runtime(_ name: String) -> RuntimeView? { runtimes.first { $0.runtime == name } }
}

/// llama3 per-pair divisors as the llama.cpp converter writes them into `rope_freqs.weight`
/// (rope-methods.md section 4.6): 1 (keep), `factor` (low frequency), or the blend.
func llama3Divisors(theta: Double, d: Int, factor: Double, low: Double, high: Double, original: Double) -> [FactValue] {
  (0..<(d / 2)).map { k in
    let omega = pow(theta, -2 * Double(k) / Double(d))
    let wavelength = 2 * Double.pi / omega
    if wavelength < original / high { return .double(1) }
    if wavelength > original / low { return .double(factor) }
    let g = (original / wavelength - low) / (high - low)
    return .double(1 / ((1 - g) / factor + g))
  }
}
