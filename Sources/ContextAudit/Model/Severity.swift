/// How serious a finding is; maps 1:1 to SARIF `level`.
public enum Severity: String, Hashable, Sendable, Codable, CaseIterable, Comparable {
  case note, warning, error

  var rank: Int {
    switch self {
    case .note: return 0
    case .warning: return 1
    case .error: return 2
    }
  }

  public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}
