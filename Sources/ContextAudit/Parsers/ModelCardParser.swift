/// Reads a Hugging Face model card (`README.md`): YAML front matter and context claims in the prose.
///
/// Front matter (manifests-and-layouts.md §1.1): the card's first non-blank line is `---` and
/// the YAML runs to the next `---` (or `...`) line, as huggingface_hub's card regex reads it.
/// Each top-level key becomes `card.front_matter.<key>`, located at the value's line and column
/// with the key as `keyPath`. The keys this tool uses (`base_model`, `base_model_relation`,
/// `tags`, `library_name`, ...) are kept whatever their shape; other keys are kept when their
/// value is a scalar or a list of scalars, so large mappings such as `model-index` and
/// `widget` stay out. When a key repeats, the last one wins, as with PyYAML.
///
/// Prose (§1.3): read by `ContextClaimExtractor` from the line after the front matter (or
/// from the top when there is none, or when it is never closed).
///
/// Errors: front matter that is never closed, that is not valid YAML, or whose root is not a
/// mapping. The card's prose is still read, and its facts come back with the error.
public enum ModelCardParser {
  /// Front-matter keys kept whatever their value's shape (§1.1: the keys an auditor walks by).
  public static let knownKeys: Set<String> = [
    "base_model", "base_model_relation", "license", "license_name", "license_link", "tags", "library_name",
    "pipeline_tag", "language", "inference", "model_name", "quantized_by", "datasets", "new_version",
  ]

  /// Reads a card with the default limits; never throws (errors come back in `error`).
  public static func parse(_ bytes: [UInt8], path: ArtifactPath) -> ParsedArtifact {
    parse(bytes, path: path, limits: .default)
  }

  /// Parses with explicit extractor limits (tests use a small claim cap).
  public static func parse(
    _ bytes: [UInt8], path: ArtifactPath, limits: ContextClaimExtractor.Limits
  ) -> ParsedArtifact {
    let lines = ContextClaimExtractor.lineRanges(bytes)
    var facts: [Fact] = []
    var failure: ParseFailure? = nil
    var proseStart = 0
    switch frontMatter(bytes, lines: lines) {
    case .none:
      break
    case .unterminated(let opening):
      failure = ParseFailure(
        ModelCardError.unterminatedFrontMatter(at: SourceLocation(path: path, line: opening + 1, column: 1)))
    case .block(let opening, let closing):
      proseStart = closing + 1
      let yamlBytes = closing > opening + 1
        ? Array(bytes[lines[opening + 1].lowerBound..<lines[closing].lowerBound]) : []
      do {
        facts = try frontMatterFacts(yamlBytes, path: path, lineOffset: opening + 1)
      } catch {
        failure = error
      }
    }
    let extractor = ContextClaimExtractor(limits: limits)
    facts += extractor.facts(in: bytes, lines: lines, path: path, fromIndex: proseStart)
    return ParsedArtifact(path: path, kind: .modelCard, facts: facts, error: failure)
  }

  enum FrontMatter {
    case none
    /// 0-based index of the opening `---` line.
    case unterminated(opening: Int)
    /// 0-based indices of the opening and closing lines.
    case block(opening: Int, closing: Int)
  }

  /// Finds the front matter: the first non-blank line is `---`, closed by `---` or `...`.
  /// Trailing spaces after a marker are allowed.
  static func frontMatter(_ bytes: [UInt8], lines: [Range<Int>]) -> FrontMatter {
    func marker(_ index: Int, _ text: String) -> Bool {
      var line = bytes[lines[index]]
      while let last = line.last, last == 0x20 || last == 0x09 { line = line.dropLast() }
      return line.elementsEqual(text.utf8)
    }
    func blank(_ index: Int) -> Bool { bytes[lines[index]].allSatisfy { $0 == 0x20 || $0 == 0x09 } }
    guard let opening = lines.indices.first(where: { !blank($0) }), marker(opening, "---") else { return .none }
    for index in (opening + 1)..<max(opening + 1, lines.count) where marker(index, "---") || marker(index, "...") {
      return .block(opening: opening, closing: index)
    }
    return .unterminated(opening: opening)
  }

  /// One fact per top-level key of the front matter.
  ///
  /// - Parameter lineOffset: lines before the YAML text (the opening `---` and any blank lines
  ///   above it), so marks are lines of the card file.
  /// - Throws: the YAML error, or `ModelCardError.frontMatterNotMapping`, as a `ParseFailure`.
  static func frontMatterFacts(_ yaml: [UInt8], path: ArtifactPath, lineOffset: Int) throws(ParseFailure) -> [Fact] {
    let documents: [YAMLNode]
    do {
      documents = try YAMLReader.documents(yaml, path: path, lineOffset: lineOffset)
    } catch {
      throw ParseFailure(error)
    }
    guard let root = documents.first else { return [] }
    if case .scalar(let text, _) = root.content, text.isEmpty { return [] }
    guard let pairs = root.mapping else {
      throw ParseFailure(
        ModelCardError.frontMatterNotMapping(
          found: root.sequence != nil ? "a list" : "a scalar",
          at: SourceLocation(path: path, line: root.line, column: root.column)))
    }
    var lastIndex: [String: Int] = [:]
    for (index, pair) in pairs.enumerated() {
      if let key = pair.key.scalar { lastIndex[key] = index }
    }
    var facts: [Fact] = []
    for (index, pair) in pairs.enumerated() {
      guard let key = pair.key.scalar, lastIndex[key] == index, keep(key: key, value: pair.value) else { continue }
      facts.append(
        Fact(
          key: "card.front_matter." + key, value: pair.value.factValue,
          location: SourceLocation(path: path, line: pair.value.line, column: pair.value.column, keyPath: key)))
    }
    return facts
  }

  private static func keep(key: String, value: YAMLNode) -> Bool {
    if knownKeys.contains(key) { return true }
    switch value.content {
    case .scalar: return true
    case .sequence(let items): return items.allSatisfy { $0.scalar != nil }
    case .mapping: return false
    }
  }
}

/// Errors in a model card's front matter (YAML syntax errors come as `YAMLError`).
public enum ModelCardError: Error, Hashable, Sendable, LocatedError {
  /// The opening `---` line has no closing `---` or `...` line; located at the opening line.
  case unterminatedFrontMatter(at: SourceLocation)
  /// The front matter parsed, but its root is not a mapping of keys.
  case frontMatterNotMapping(found: String, at: SourceLocation)

  public var location: SourceLocation {
    switch self {
    case .unterminatedFrontMatter(let at), .frontMatterNotMapping(_, let at): return at
    }
  }

  public var message: String {
    switch self {
    case .unterminatedFrontMatter:
      return "model card front matter opened with '---' is never closed (expected a '---' line)"
    case .frontMatterNotMapping(let found, _):
      return "model card front matter is \(found), not a mapping of keys"
    }
  }
}
