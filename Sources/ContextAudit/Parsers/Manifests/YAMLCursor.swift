/// A YAML node together with its dotted key path, so readers can report where a value sits.
///
/// Key paths use `.` between mapping keys and `[i]` for 0-based sequence indexes
/// (`spec.template.spec.containers[0].args[3]`), the form `SourceLocation.keyPath` documents.
struct YAMLCursor {
  let node: YAMLNode
  let keyPath: String
  let path: ArtifactPath

  init(_ node: YAMLNode, keyPath: String = "", path: ArtifactPath) {
    self.node = node
    self.keyPath = keyPath
    self.path = path
  }

  /// The value under a scalar key; the last one wins when a key repeats, as PyYAML does.
  subscript(key: String) -> YAMLCursor? {
    guard let value = node[key] else { return nil }
    return YAMLCursor(value, keyPath: keyPath.isEmpty ? key : keyPath + "." + key, path: path)
  }

  /// Mapping pairs with scalar keys, in document order (later duplicates shadow earlier ones).
  var pairs: [(key: String, value: YAMLCursor)] {
    guard let mapping = node.mapping else { return [] }
    var seen: [String: Int] = [:]
    var result: [(key: String, value: YAMLCursor)] = []
    for pair in mapping {
      guard let key = pair.key.scalar else { continue }
      let child = YAMLCursor(pair.value, keyPath: keyPath.isEmpty ? key : keyPath + "." + key, path: path)
      if let index = seen[key] {
        result[index] = (key, child)
      } else {
        seen[key] = result.count
        result.append((key, child))
      }
    }
    return result
  }

  /// Sequence items; empty for anything that is not a sequence.
  var items: [YAMLCursor] {
    guard let sequence = node.sequence else { return [] }
    return sequence.enumerated().map { YAMLCursor($0.element, keyPath: keyPath + "[\($0.offset)]", path: path) }
  }

  var isMapping: Bool { node.mapping != nil }
  var isSequence: Bool { node.sequence != nil }

  /// The scalar text, or `nil` for collections and for null scalars (`~`, `null`, empty plain).
  var text: String? {
    guard case .scalar(let text, let plain) = node.content else { return nil }
    if plain, YAMLNode.resolvePlain(text) == .null { return nil }
    return text
  }

  /// The node's 1-based line and column and its key path.
  var location: SourceLocation {
    SourceLocation(path: path, line: node.line, column: node.column, keyPath: keyPath.isEmpty ? nil : keyPath)
  }

  /// The scalar as a command-line word, located at this node.
  var word: ArgWord? {
    guard let text else { return nil }
    return ArgWord(text: text, location: location)
  }
}
