import CLibYAML

/// Limits the YAML reader enforces while it reads, so a hostile document fails fast.
public struct YAMLLimits: Hashable, Sendable {
  /// Deepest nesting of sequences and mappings.
  public var maxDepth: Int
  /// Nodes that aliases may add in total (each alias adds the node count of its anchor).
  public var maxAliasExpansion: Int
  /// Longest scalar in bytes.
  public var maxScalarBytes: Int
  /// Most documents in one stream.
  public var maxDocuments: Int
  /// Most nodes in one stream, aliases included.
  public var maxNodes: Int

  public init(
    maxDepth: Int = 256, maxAliasExpansion: Int = 100_000, maxScalarBytes: Int = 1 << 20,
    maxDocuments: Int = 1_000, maxNodes: Int = 1_000_000
  ) {
    self.maxDepth = maxDepth
    self.maxAliasExpansion = maxAliasExpansion
    self.maxScalarBytes = maxScalarBytes
    self.maxDocuments = maxDocuments
    self.maxNodes = maxNodes
  }

  public static let `default` = YAMLLimits()
}

/// An error from the YAML reader, with the 1-based position libyaml reported.
public struct YAMLError: Error, Hashable, Sendable, LocatedError {
  public enum Reason: Hashable, Sendable {
    case syntax(String)
    case tooDeep(limit: Int)
    case tooManyAliasExpansions(limit: Int)
    case scalarTooLong(limit: Int)
    case tooManyDocuments(limit: Int)
    case tooManyNodes(limit: Int)
    case undefinedAlias(String)
  }

  public var reason: Reason
  public var location: SourceLocation

  public init(_ reason: Reason, at location: SourceLocation) {
    self.reason = reason
    self.location = location
  }

  public var message: String {
    switch reason {
    case .syntax(let problem): return "YAML syntax error: \(problem)"
    case .tooDeep(let limit): return "YAML nesting deeper than \(limit) levels"
    case .tooManyAliasExpansions(let limit): return "YAML aliases expand to more than \(limit) nodes"
    case .scalarTooLong(let limit): return "YAML scalar longer than \(limit) bytes"
    case .tooManyDocuments(let limit): return "YAML stream has more than \(limit) documents"
    case .tooManyNodes(let limit): return "YAML stream has more than \(limit) nodes"
    case .undefinedAlias(let name): return "YAML alias *\(name) refers to no anchor"
    }
  }
}

/// Reads YAML with libyaml's event parser and composes `YAMLNode` trees.
///
/// One value owns the C parser for the duration of one `documents` call. Limits are checked
/// on every event, so a deeply nested or alias-heavy document fails at the event that crosses
/// the limit instead of after libyaml has built the whole stream.
public enum YAMLReader {
  /// Parses every document of a YAML stream.
  ///
  /// - Parameters:
  ///   - bytes: the UTF-8 (or UTF-16, libyaml detects the BOM) text.
  ///   - path: the artifact path used in error locations.
  ///   - lineOffset: added to every line (front matter that starts after a `---` line).
  /// - Returns: one root node per document; an empty document yields a null scalar.
  public static func documents(
    _ bytes: [UInt8], path: ArtifactPath, lineOffset: Int = 0, limits: YAMLLimits = .default
  ) throws(YAMLError) -> [YAMLNode] {
    let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
    defer { parser.deallocate() }
    guard yaml_parser_initialize(parser) == 1 else {
      throw YAMLError(.syntax("could not initialise libyaml"), at: SourceLocation(path: path))
    }
    defer { yaml_parser_delete(parser) }
    var composer = Composer(path: path, lineOffset: lineOffset, limits: limits, input: bytes)
    let result: Result<[YAMLNode], YAMLError> = bytes.withUnsafeBufferPointer { input in
      yaml_parser_set_input_string(parser, input.baseAddress, input.count)
      var event = yaml_event_t()
      while true {
        guard yaml_parser_parse(parser, &event) == 1 else {
          let p = parser.pointee
          let problem = p.problem.map { String(cString: $0) } ?? "parse error"
          let context = p.context.map { String(cString: $0) + ": " } ?? ""
          return .failure(YAMLError(.syntax(context + problem), at: composer.location(p.problem_mark)))
        }
        let done = event.type == YAML_STREAM_END_EVENT
        do throws(YAMLError) {
          try composer.handle(&event)
        } catch {
          yaml_event_delete(&event)
          return .failure(error)
        }
        yaml_event_delete(&event)
        if done { return .success(composer.documents) }
      }
    }
    return try result.get()
  }

  /// The 1-based line and column just past the last character, counted as libyaml counts them
  /// (breaks are LF, CR, CR LF, NEL, LS and PS; columns in characters; a BOM is not counted);
  /// nil for input that is not valid UTF-8 or UTF-16, where libyaml stops before the end.
  static func endOfInput(_ bytes: [UInt8]) -> (line: Int, column: Int)? {
    var scalars: [Unicode.Scalar] = []
    func decode<C: UnicodeCodec, I: IteratorProtocol>(_ codec: C, _ input: I) -> Bool where I.Element == C.CodeUnit {
      var codec = codec
      var input = input
      while true {
        switch codec.decode(&input) {
        case .scalarValue(let scalar): scalars.append(scalar)
        case .emptyInput: return true
        case .error: return false
        }
      }
    }
    let decoded: Bool
    if bytes.count >= 2 && ((bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF)) {
      let little = bytes[0] == 0xFF
      let units = stride(from: 2, to: bytes.count - 1, by: 2).map { i in
        little ? UInt16(bytes[i]) | UInt16(bytes[i + 1]) << 8 : UInt16(bytes[i]) << 8 | UInt16(bytes[i + 1])
      }
      decoded = decode(UTF16(), units.makeIterator())
    } else {
      let body = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? bytes.dropFirst(3) : bytes[...]
      decoded = decode(UTF8(), body.makeIterator())
    }
    guard decoded else { return nil }
    var line = 1
    var column = 1
    var previous: Unicode.Scalar? = nil
    for scalar in scalars {
      switch scalar {
      case "\n" where previous == "\r": break
      case "\n", "\r", "\u{85}", "\u{2028}", "\u{2029}":
        line += 1
        column = 1
      default:
        column += 1
      }
      previous = scalar
    }
    return (line, column)
  }

  /// Convenience for text.
  public static func documents(
    _ text: String, path: ArtifactPath, lineOffset: Int = 0, limits: YAMLLimits = .default
  ) throws(YAMLError) -> [YAMLNode] {
    try documents(Array(text.utf8), path: path, lineOffset: lineOffset, limits: limits)
  }
}

/// Builds nodes from events; owns no C state.
private struct Composer {
  /// One open collection. A struct mutated in place on the stack: an enum payload bound with
  /// `case .sequence(var items, …)` copied the array on every append, which made reading
  /// quadratic (20,000 items took 4 s; the 1,000,000-node limit would have taken hours).
  struct Frame {
    var isMapping: Bool
    var items: [YAMLNode] = []
    var pairs: [(key: YAMLNode, value: YAMLNode)] = []
    var pendingKey: YAMLNode?
    var line: Int
    var column: Int
    var tag: String?
    var anchor: String?
  }

  let path: ArtifactPath
  let lineOffset: Int
  let limits: YAMLLimits
  var stack: [Frame] = []
  /// Node counts of the open collections' subtrees so far (aliases counted at full size).
  var sizes: [Int] = []
  var documents: [YAMLNode] = []
  var anchors: [String: (node: YAMLNode, size: Int)] = [:]
  var current: YAMLNode?
  var aliasExpanded = 0
  var nodes = 0

  /// The text being read, for the end-of-input position (computed once, when first needed).
  let input: [UInt8]
  var endOfInput: (line: Int, column: Int)??

  init(path: ArtifactPath, lineOffset: Int, limits: YAMLLimits, input: [UInt8]) {
    self.input = input
    self.path = path
    self.lineOffset = lineOffset
    self.limits = limits
  }

  /// The 1-based line (with `lineOffset`) and column of a libyaml mark.
  ///
  /// At the end of input libyaml adds a line break the text may not have, and marks there
  /// (an error, an empty last document or value) name the line after the last one; those
  /// are moved to the end of the last line.
  mutating func place(_ mark: yaml_mark_t) -> (line: Int, column: Int) {
    var line = Int(mark.line) + 1
    var column = Int(mark.column) + 1
    if column == 1 && line > 1 {
      if endOfInput == nil { endOfInput = .some(YAMLReader.endOfInput(input)) }
      if let end = endOfInput ?? nil, line > end.line { (line, column) = end }
    }
    return (line + lineOffset, column)
  }

  mutating func location(_ mark: yaml_mark_t) -> SourceLocation {
    let (line, column) = place(mark)
    return SourceLocation(path: path, line: line, column: column)
  }


  static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
    guard let pointer else { return nil }
    return String(cString: UnsafeRawPointer(pointer).assumingMemoryBound(to: CChar.self))
  }

  mutating func handle(_ event: inout yaml_event_t) throws(YAMLError) {
    let mark = event.start_mark
    let (line, column) = place(mark)
    switch event.type {
    case YAML_DOCUMENT_START_EVENT:
      if documents.count >= limits.maxDocuments {
        throw YAMLError(.tooManyDocuments(limit: limits.maxDocuments), at: location(mark))
      }
      anchors = [:]
      current = nil
    case YAML_DOCUMENT_END_EVENT:
      documents.append(current ?? YAMLNode(.scalar("", plain: true), line: line, column: column))
      current = nil
    case YAML_SCALAR_EVENT:
      let s = event.data.scalar
      if s.length > limits.maxScalarBytes {
        throw YAMLError(.scalarTooLong(limit: limits.maxScalarBytes), at: location(mark))
      }
      let text: String
      if let value = s.value {
        text = String(decoding: UnsafeBufferPointer(start: value, count: s.length), as: UTF8.self)
      } else {
        text = ""
      }
      let plain = s.style == YAML_PLAIN_SCALAR_STYLE
      let node = YAMLNode(.scalar(text, plain: plain), line: line, column: column, tag: Composer.string(s.tag))
      try add(node, size: 1, anchor: Composer.string(s.anchor), mark: mark)
    case YAML_SEQUENCE_START_EVENT:
      try push(mark)
      let s = event.data.sequence_start
      stack.append(Frame(isMapping: false, line: line, column: column, tag: Composer.string(s.tag), anchor: Composer.string(s.anchor)))
      sizes.append(0)
    case YAML_MAPPING_START_EVENT:
      try push(mark)
      let m = event.data.mapping_start
      stack.append(Frame(isMapping: true, line: line, column: column, tag: Composer.string(m.tag), anchor: Composer.string(m.anchor)))
      sizes.append(0)
    case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
      guard let frame = stack.popLast() else { return }
      let size = 1 + (sizes.popLast() ?? 0)
      let content: YAMLNode.Content = frame.isMapping ? .mapping(frame.pairs) : .sequence(frame.items)
      try add(YAMLNode(content, line: frame.line, column: frame.column, tag: frame.tag), size: size, anchor: frame.anchor, mark: mark)
    case YAML_ALIAS_EVENT:
      let name = Composer.string(event.data.alias.anchor) ?? ""
      guard let target = anchors[name] else {
        throw YAMLError(.undefinedAlias(name), at: location(mark))
      }
      aliasExpanded += target.size
      if aliasExpanded > limits.maxAliasExpansion {
        throw YAMLError(.tooManyAliasExpansions(limit: limits.maxAliasExpansion), at: location(mark))
      }
      try add(target.node, size: target.size, anchor: nil, mark: mark)
    default:
      break
    }
  }

  mutating func push(_ mark: yaml_mark_t) throws(YAMLError) {
    if stack.count >= limits.maxDepth {
      throw YAMLError(.tooDeep(limit: limits.maxDepth), at: location(mark))
    }
  }

  /// Adds a finished node to its parent; `size` is the node count of its subtree, with
  /// aliases counted at the full size of what they stand for (so nested alias bombs add up).
  mutating func add(_ node: YAMLNode, size: Int, anchor: String?, mark: yaml_mark_t) throws(YAMLError) {
    nodes += 1
    if nodes > limits.maxNodes {
      throw YAMLError(.tooManyNodes(limit: limits.maxNodes), at: location(mark))
    }
    if let anchor { anchors[anchor] = (node, size) }
    if !sizes.isEmpty { sizes[sizes.count - 1] += size }
    guard !stack.isEmpty else {
      current = node
      return
    }
    let top = stack.count - 1
    if !stack[top].isMapping {
      stack[top].items.append(node)
    } else if let key = stack[top].pendingKey {
      stack[top].pairs.append((key, node))
      stack[top].pendingKey = nil
    } else {
      stack[top].pendingKey = node
    }
  }
}
