/// A finding's message with `{{fact.key}}` and `{{param.name}}` placeholders, parsed at load time.
///
/// `{{model.window.served}}` stands for the value of that fact; `{{param.max-factor}}` for the
/// rule parameter after config overrides. Spaces inside the braces are ignored. There is no
/// escape: a message cannot contain a literal `{{`.
public struct MessageTemplate: Hashable, Sendable, CustomStringConvertible {
  public enum Segment: Hashable, Sendable {
    case text(String)
    case fact(String)
    case param(String)
  }

  /// Longest rendered value, in Unicode scalars; longer values end in `…`.
  public static let maxValueScalars = 200

  /// The message as written in the rule file.
  public let source: String
  /// Text and placeholders in order.
  public let segments: [Segment]

  /// Parses `source`; an unclosed `{{`, an empty placeholder or a bad fact key is an error.
  ///
  /// - Throws: `.badPlaceholder` with the placeholder's text.
  public init(_ source: String) throws(RuleFileProblem) {
    var segments: [Segment] = []
    var rest = Substring(source)
    while let open = rest.firstRange(of: "{{") {
      if open.lowerBound > rest.startIndex { segments.append(.text(String(rest[..<open.lowerBound]))) }
      let afterOpen = rest[open.upperBound...]
      guard let close = afterOpen.firstRange(of: "}}") else {
        throw .badPlaceholder(String(afterOpen.prefix(40)))
      }
      let inner = afterOpen[..<close.lowerBound]
      let name = inner.trimmingSpaces()
      if name.hasPrefix("param.") {
        let param = String(name.dropFirst("param.".count))
        guard !param.isEmpty, ConditionParser.isValidFactKey(param) else { throw .badPlaceholder(String(inner)) }
        segments.append(.param(param))
      } else {
        guard ConditionParser.isValidFactKey(name) else { throw .badPlaceholder(String(inner)) }
        segments.append(.fact(name))
      }
      rest = afterOpen[close.upperBound...]
    }
    if !rest.isEmpty { segments.append(.text(String(rest))) }
    self.source = source
    self.segments = segments
  }

  /// The fact keys the template names, in order, without repeats.
  public var factKeys: [String] {
    var keys: [String] = []
    for case .fact(let key) in segments where !keys.contains(key) { keys.append(key) }
    return keys
  }

  /// The parameter names the template names, in order, without repeats.
  public var paramNames: [String] {
    var names: [String] = []
    for case .param(let name) in segments where !names.contains(name) { names.append(name) }
    return names
  }

  /// Fills the placeholders; a value that is not known renders as `unknown`.
  ///
  /// - Parameter fact: the value for a key (the engine prefers the fact the condition matched).
  public func render(fact: (String) -> FactValue?, params: [String: FactValue]) -> String {
    var out = ""
    for segment in segments {
      switch segment {
      case .text(let text): out += text
      case .fact(let key): out += fact(key).map(MessageTemplate.text) ?? "unknown"
      case .param(let name): out += params[name].map(MessageTemplate.text) ?? "unknown"
      }
    }
    return out
  }

  /// How a value reads inside a message.
  ///
  /// Integral numbers have no `.0` (`4.0` reads `4`, `131072.0` reads `131072`); other numbers
  /// use the shortest round-tripping form. Strings are unquoted. Lists and objects use
  /// `FactValue.displayText`. Anything longer than `maxValueScalars` is cut with `…`.
  public static func text(_ value: FactValue) -> String {
    let text: String
    switch value {
    case .double(let v) where v.isFinite && v.rounded() == v && abs(v) < 9.0e15:
      text = String(Int64(v))
    case .array(let items):
      let shown = items.prefix(8).map(MessageTemplate.text)
      text = "[" + shown.joined(separator: ", ") + (items.count > 8 ? ", … (\(items.count) items)" : "") + "]"
    default:
      text = value.displayText
    }
    let scalars = text.unicodeScalars
    guard scalars.count > maxValueScalars else { return text }
    var cut = String.UnicodeScalarView()
    cut.append(contentsOf: scalars.prefix(maxValueScalars - 1))
    return String(cut) + "…"
  }

  public var description: String { source }
}

extension Substring {
  fileprivate func trimmingSpaces() -> String {
    String(drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
  }
}
