/// A composed YAML node with the 1-based mark of where it starts.
public struct YAMLNode: Hashable, Sendable {
  public enum Content: Hashable, Sendable {
    /// A scalar and its style: plain scalars may be numbers, booleans or null; quoted ones are strings.
    case scalar(String, plain: Bool)
    case sequence([YAMLNode])
    /// Pairs in document order (duplicates kept; `[key]` returns the last, as PyYAML does).
    case mapping([(key: YAMLNode, value: YAMLNode)])

    public static func == (lhs: Content, rhs: Content) -> Bool {
      switch (lhs, rhs) {
      case let (.scalar(a, pa), .scalar(b, pb)): return a == b && pa == pb
      case let (.sequence(a), .sequence(b)): return a == b
      case let (.mapping(a), .mapping(b)):
        return a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
      default: return false
      }
    }

    public func hash(into hasher: inout Hasher) {
      switch self {
      case let .scalar(s, p): hasher.combine(0); hasher.combine(s); hasher.combine(p)
      case let .sequence(items): hasher.combine(1); hasher.combine(items)
      case let .mapping(pairs):
        hasher.combine(2)
        for pair in pairs { hasher.combine(pair.key); hasher.combine(pair.value) }
      }
    }
  }

  public var content: Content
  /// 1-based line of the node's first character.
  public var line: Int
  /// 1-based column (libyaml counts characters) of the node's first character.
  public var column: Int
  /// The explicit tag, if any (`!!str`, `!Ref`).
  public var tag: String?

  public init(_ content: Content, line: Int, column: Int, tag: String? = nil) {
    self.content = content
    self.line = line
    self.column = column
    self.tag = tag
  }

  /// The scalar text, for scalar nodes.
  public var scalar: String? {
    if case .scalar(let s, _) = content { return s }
    return nil
  }

  public var sequence: [YAMLNode]? {
    if case .sequence(let items) = content { return items }
    return nil
  }

  public var mapping: [(key: YAMLNode, value: YAMLNode)]? {
    if case .mapping(let pairs) = content { return pairs }
    return nil
  }

  /// The value for a scalar key in a mapping; the last one wins when a key repeats.
  public subscript(key: String) -> YAMLNode? {
    guard let pairs = mapping else { return nil }
    return pairs.last(where: { $0.key.scalar == key })?.value
  }

  /// Interprets a scalar the way YAML 1.1 core resolvers do for plain scalars.
  ///
  /// Quoted scalars and explicit `!!str` stay strings. Plain `true/false/yes/no/on/off`
  /// are booleans, `null`/`~`/empty are null, decimal, hex and float forms are numbers.
  public var factValue: FactValue {
    switch content {
    case .scalar(let text, let plain):
      if !plain || tag == "tag:yaml.org,2002:str" { return .string(text) }
      return YAMLNode.resolvePlain(text)
    case .sequence(let items): return .array(items.map(\.factValue))
    case .mapping(let pairs):
      var object: [String: FactValue] = [:]
      for pair in pairs { object[pair.key.scalar ?? pair.key.factValue.displayText] = pair.value.factValue }
      return .object(object)
    }
  }

  static func resolvePlain(_ text: String) -> FactValue {
    switch text {
    case "", "~", "null", "Null", "NULL": return .null
    case "true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON": return .bool(true)
    case "false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF": return .bool(false)
    case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .double(.infinity)
    case "-.inf", "-.Inf", "-.INF": return .double(-.infinity)
    case ".nan", ".NaN", ".NAN": return .double(.nan)
    default: break
    }
    let cleaned = text.replacingUnderscores()
    if let v = Int64(cleaned) { return .int(v) }
    if cleaned.hasPrefix("0x") || cleaned.hasPrefix("0X"), let v = Int64(cleaned.dropFirst(2), radix: 16) {
      return .int(v)
    }
    if let first = cleaned.first, first.isNumber || first == "-" || first == "+" || first == ".",
      cleaned.contains(where: \.isNumber), let v = Double(cleaned), v.isFinite
    {
      return .double(v)
    }
    return .string(text)
  }
}

extension String {
  fileprivate func replacingUnderscores() -> String {
    contains("_") ? String(filter { $0 != "_" }) : self
  }
}
