/// One thing a rule (or a reader) found wrong or worth knowing about a model.
public struct Finding: Hashable, Sendable, Comparable {
  /// The rule id, or `parse-error` for an artifact that could not be read.
  public var rule: String
  public var severity: Severity
  /// A fragment with no final period, with the values that explain it.
  public var message: String
  /// Where the evidence sits; `nil` only for findings about the model as a whole.
  public var location: SourceLocation?

  public init(rule: String, severity: Severity, message: String, location: SourceLocation?) {
    self.rule = rule
    self.severity = severity
    self.message = message
    self.location = location
  }

  /// The reserved rule id for artifacts that failed to parse.
  public static let parseErrorRule = "parse-error"

  /// Sorted by artifact path, then position, then rule id, then message.
  public static func < (lhs: Finding, rhs: Finding) -> Bool {
    switch (lhs.location, rhs.location) {
    case let (l?, r?) where l != r: return l < r
    case (nil, _?): return true
    case (_?, nil): return false
    default: break
    }
    if lhs.rule != rhs.rule { return lhs.rule < rhs.rule }
    return lhs.message < rhs.message
  }
}
