/// What evaluating a condition gave: whether it held, and the facts it read.
public struct ConditionResult: Hashable, Sendable {
  /// Whether the condition held.
  public var matched: Bool
  /// Facts the condition read, in evaluation order, without repeats.
  ///
  /// For a check that held, the fact that satisfied it comes first, then the operand fact it was
  /// compared with. For a check that did not hold, every present fact of its subject and operand
  /// keys. `all` lists its children's reads in order; `any` that held lists the reads of the
  /// first child that held; `not` passes its child's reads through. The engine takes the
  /// finding's default location and a message's fact values from this list.
  public var read: [Fact]

  public init(matched: Bool, read: [Fact]) {
    self.matched = matched
    self.read = read
  }
}

extension Condition {
  /// Evaluates the condition over `facts` with resolved parameter values.
  ///
  /// A check over a key with several facts holds when ANY of them satisfies it (and, for a fact
  /// operand, against ANY fact of the operand key). A missing subject or operand fact makes every
  /// comparison false, `not-equals` included; only `exists: false` holds on absence. Values of
  /// incomparable types (a string against a number) compare false in both `equals` and
  /// `not-equals`. Nothing here throws or traps.
  public func evaluate(_ facts: FactSet, params: [String: FactValue]) -> ConditionResult {
    switch self {
    case .all(let items):
      var read: [Fact] = []
      for item in items {
        let result = item.evaluate(facts, params: params)
        read.appendUnique(result.read)
        if !result.matched { return ConditionResult(matched: false, read: read) }
      }
      return ConditionResult(matched: true, read: read)
    case .any(let items):
      var read: [Fact] = []
      for item in items {
        let result = item.evaluate(facts, params: params)
        if result.matched { return result }
        read.appendUnique(result.read)
      }
      return ConditionResult(matched: false, read: read)
    case .not(let inner):
      let result = inner.evaluate(facts, params: params)
      return ConditionResult(matched: !result.matched, read: result.read)
    case .check(let check):
      return check.evaluate(facts, params: params)
    }
  }
}

extension Check {
  func evaluate(_ facts: FactSet, params: [String: FactValue]) -> ConditionResult {
    let subjects = facts.all(fact)
    switch test {
    case .exists(let wanted):
      return ConditionResult(matched: subjects.isEmpty != wanted, read: Array(subjects.prefix(1)))
    case .matches(let pattern):
      for subject in subjects {
        if let text = subject.value.stringValue, pattern.matches(text) {
          return ConditionResult(matched: true, read: [subject])
        }
      }
      return ConditionResult(matched: false, read: subjects)
    case .equals(let operand):
      return compare(subjects, operand, facts, params) { FactComparison.equal($0, $1) == true }
    case .notEquals(let operand):
      return compare(subjects, operand, facts, params) { FactComparison.equal($0, $1) == false }
    case .less(let operand):
      return compare(subjects, operand, facts, params) { FactComparison.order($0, $1).map { $0 < 0 } ?? false }
    case .lessOrEqual(let operand):
      return compare(subjects, operand, facts, params) { FactComparison.order($0, $1).map { $0 <= 0 } ?? false }
    case .greater(let operand):
      return compare(subjects, operand, facts, params) { FactComparison.order($0, $1).map { $0 > 0 } ?? false }
    case .greaterOrEqual(let operand):
      return compare(subjects, operand, facts, params) { FactComparison.order($0, $1).map { $0 >= 0 } ?? false }
    case .isIn(let operand):
      return compare(subjects, operand, facts, params) { value, list in
        guard let items = list.arrayValue else { return false }
        return items.contains { FactComparison.equal(value, $0) == true }
      }
    case .notIn(let operand):
      return compare(subjects, operand, facts, params) { value, list in
        guard let items = list.arrayValue else { return false }
        let answers = items.map { FactComparison.equal(value, $0) }
        return !answers.contains(true) && answers.contains(false)
      }
    }
  }

  /// Tries every (subject, operand value) pair; the first pair that satisfies `holds` wins.
  private func compare(
    _ subjects: [Fact], _ operand: Operand, _ facts: FactSet, _ params: [String: FactValue],
    _ holds: (FactValue, FactValue) -> Bool
  ) -> ConditionResult {
    let candidates = operand.values(facts, params: params)
    for subject in subjects {
      for candidate in candidates where holds(subject.value, candidate.value) {
        var read = [subject]
        if let other = candidate.fact { read.appendUnique([other]) }
        return ConditionResult(matched: true, read: read)
      }
    }
    var read = subjects
    read.appendUnique(candidates.compactMap(\.fact))
    return ConditionResult(matched: false, read: read)
  }
}

extension Operand {
  /// The values an operand stands for, each with the fact it came from (if any).
  ///
  /// A parameter that is not set yields no value (so the comparison is false). A fact operand
  /// with `times:` yields only the numeric facts of its key, multiplied.
  func values(_ facts: FactSet, params: [String: FactValue]) -> [(value: FactValue, fact: Fact?)] {
    switch self {
    case .literal(let value):
      return [(value, nil)]
    case .param(let name):
      return params[name].map { [($0, nil)] } ?? []
    case .fact(let key, let times):
      let found = facts.all(key)
      guard let times else { return found.map { ($0.value, $0) } }
      let factor: Double?
      switch times {
      case .number(let n): factor = n
      case .param(let name): factor = params[name]?.doubleValue
      }
      guard let factor else { return [] }
      return found.compactMap { fact in
        FactComparison.multiply(fact.value, by: factor).map { ($0, fact) }
      }
    }
  }
}

/// Comparison semantics of the condition language, in one place.
enum FactComparison {
  /// `true`/`false` when the values are comparable, `nil` when their types differ.
  ///
  /// Numbers compare by value across `int` and `double`; strings, booleans and null by equality;
  /// lists item by item; objects key by key. Any incomparable pair inside a list or object makes
  /// the whole comparison `false` (not `nil`): the types matched at the top.
  static func equal(_ a: FactValue, _ b: FactValue) -> Bool? {
    switch (a, b) {
    case let (.int(x), .int(y)): return x == y
    case (.int, .double), (.double, .int), (.double, .double):
      guard let x = a.doubleValue, let y = b.doubleValue else { return nil }
      return x == y
    case let (.string(x), .string(y)): return x == y
    case let (.bool(x), .bool(y)): return x == y
    case (.null, .null): return true
    case let (.array(x), .array(y)):
      return x.count == y.count && zip(x, y).allSatisfy { equal($0, $1) == true }
    case let (.object(x), .object(y)):
      return x.count == y.count && x.allSatisfy { key, value in y[key].map { equal(value, $0) == true } ?? false }
    default: return nil
    }
  }

  /// -1, 0 or 1 for two numbers; `nil` for anything else or NaN.
  static func order(_ a: FactValue, _ b: FactValue) -> Int? {
    if case let (.int(x), .int(y)) = (a, b) { return x < y ? -1 : (x == y ? 0 : 1) }
    guard let x = a.doubleValue, let y = b.doubleValue, !x.isNaN, !y.isNaN else { return nil }
    return x < y ? -1 : (x == y ? 0 : 1)
  }

  /// `value × factor` for a number; integers stay exact when the product is an integer that fits.
  static func multiply(_ value: FactValue, by factor: Double) -> FactValue? {
    if case .int(let v) = value, factor.rounded() == factor, abs(factor) < 9.2e18 {
      let (product, overflow) = v.multipliedReportingOverflow(by: Int64(factor))
      if !overflow { return .int(product) }
    }
    guard let v = value.doubleValue else { return nil }
    return .double(v * factor)
  }
}

extension Array where Element == Fact {
  mutating func appendUnique(_ more: [Fact]) {
    for fact in more where !contains(fact) { append(fact) }
  }
}
