/// A lookup over the facts of one artifact or one model unit: key to facts, in reading order.
///
/// A key may carry several facts (two containers in one Deployment, several card claims); `all`
/// keeps them in the order the readers produced them and `first` is the earliest.
public struct FactSet: Hashable, Sendable {
  /// Every fact, in the order given.
  public let facts: [Fact]
  private let index: [String: [Int]]

  public init(_ facts: [Fact]) {
    self.facts = facts
    var index: [String: [Int]] = [:]
    for (i, fact) in facts.enumerated() { index[fact.key, default: []].append(i) }
    self.index = index
  }

  /// All facts with `key`, in reading order; empty when there is none.
  public func all(_ key: String) -> [Fact] {
    index[key]?.map { facts[$0] } ?? []
  }

  /// The first fact with `key`, or `nil`.
  public func first(_ key: String) -> Fact? {
    index[key]?.first.map { facts[$0] }
  }

  /// Whether at least one fact has `key`.
  public func contains(_ key: String) -> Bool { index[key] != nil }

  /// The distinct keys, sorted.
  public var keys: [String] { index.keys.sorted() }
}
