/// Strict reading of one YAML mapping: unknown keys, repeated keys and wrong shapes are errors
/// that point at the offending node (1-based line and column).
struct YAMLFields {
  let node: YAMLNode
  let path: ArtifactPath
  let context: String
  /// Keys in document order with their key and value nodes.
  let entries: [(key: String, keyNode: YAMLNode, value: YAMLNode)]

  /// - Parameter allowed: the keys this mapping may hold, or `nil` for free-form keys.
  init(_ node: YAMLNode, path: ArtifactPath, context: String, allowed: [String]?) throws(RuleLoadError) {
    guard let pairs = node.mapping else {
      throw RuleLoadError(.wrongShape(context: context, expected: "a mapping"), at: node.location(in: path))
    }
    var seen: Set<String> = []
    var entries: [(key: String, keyNode: YAMLNode, value: YAMLNode)] = []
    for pair in pairs {
      guard let key = pair.key.scalar else {
        throw RuleLoadError(.wrongShape(context: "a key in \(context)", expected: "a scalar"), at: pair.key.location(in: path))
      }
      if let allowed, !allowed.contains(key) {
        throw RuleLoadError(.unknownKey(key, context: context, expected: allowed), at: pair.key.location(in: path))
      }
      guard seen.insert(key).inserted else {
        throw RuleLoadError(.duplicateKey(key, context: context), at: pair.key.location(in: path))
      }
      entries.append((key, pair.key, pair.value))
    }
    self.node = node
    self.path = path
    self.context = context
    self.entries = entries
  }

  var keys: [String] { entries.map(\.key) }

  subscript(key: String) -> YAMLNode? {
    entries.first(where: { $0.key == key })?.value
  }

  func keyNode(_ key: String) -> YAMLNode? {
    entries.first(where: { $0.key == key })?.keyNode
  }

  func required(_ key: String) throws(RuleLoadError) -> YAMLNode {
    guard let value = self[key] else {
      throw RuleLoadError(.missingKey(key, context: context), at: node.location(in: path))
    }
    return value
  }

  /// The text of a scalar value; a mapping or sequence is an error.
  func string(_ key: String) throws(RuleLoadError) -> String? {
    guard let value = self[key] else { return nil }
    return try value.text(key: key, path: path)
  }

  /// A non-empty scalar text.
  func requiredString(_ key: String) throws(RuleLoadError) -> String {
    let value = try required(key)
    let text = try value.text(key: key, path: path)
    guard !text.allSatisfy(\.isWhitespace) else {
      throw RuleLoadError(.wrongShape(context: "'\(key)'", expected: "a non-empty string"), at: value.location(in: path))
    }
    return text
  }

  /// A sequence of scalar texts; a single scalar is not accepted (say `[x]`).
  func stringList(_ key: String) throws(RuleLoadError) -> [String]? {
    guard let value = self[key] else { return nil }
    return try value.textList(key: key, path: path)
  }
}

extension YAMLNode {
  /// The node's 1-based position in `path`.
  func location(in path: ArtifactPath) -> SourceLocation {
    SourceLocation(path: path, line: line, column: column)
  }

  /// The scalar text, or an error naming `key` when the node is a mapping or a sequence.
  func text(key: String, path: ArtifactPath) throws(RuleLoadError) -> String {
    guard let text = scalar else {
      throw RuleLoadError(.wrongShape(context: "'\(key)'", expected: "a string"), at: location(in: path))
    }
    return text
  }

  func textList(key: String, path: ArtifactPath) throws(RuleLoadError) -> [String] {
    guard let items = sequence else {
      throw RuleLoadError(.wrongShape(context: "'\(key)'", expected: "a list of strings"), at: location(in: path))
    }
    var out: [String] = []
    for item in items {
      guard let text = item.scalar else {
        throw RuleLoadError(.wrongShape(context: "each item of '\(key)'", expected: "a string"), at: item.location(in: path))
      }
      out.append(text)
    }
    return out
  }

  /// Parses exactly one YAML document, mapping reader errors to `RuleLoadError`.
  ///
  /// - Parameter allowEmpty: return `nil` for a stream with no document (an empty file).
  static func single(_ bytes: [UInt8], path: ArtifactPath, allowEmpty: Bool) throws(RuleLoadError) -> YAMLNode? {
    let documents: [YAMLNode]
    do {
      documents = try YAMLReader.documents(bytes, path: path, limits: YAMLLimits(maxDepth: 64, maxScalarBytes: 64 << 10, maxDocuments: 2, maxNodes: 100_000))
    } catch {
      throw RuleLoadError(.yaml(error.message), at: error.location)
    }
    if documents.isEmpty && allowEmpty { return nil }
    guard documents.count == 1, let root = documents.first else {
      throw RuleLoadError(.documentCount(documents.count), at: SourceLocation(path: path, line: 1, column: 1))
    }
    return root
  }

  /// Parses exactly one YAML document; an empty stream is an error.
  static func single(_ bytes: [UInt8], path: ArtifactPath) throws(RuleLoadError) -> YAMLNode {
    guard let root = try single(bytes, path: path, allowEmpty: false) else {
      throw RuleLoadError(.documentCount(0), at: SourceLocation(path: path, line: 1, column: 1))
    }
    return root
  }
}
