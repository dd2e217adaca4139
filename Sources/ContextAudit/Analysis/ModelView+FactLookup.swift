extension ModelView {
  /// Looks up the raw facts of one source by key path, whichever shape the reader chose.
  ///
  /// A reader may emit an object as one fact (`config.rope_scaling = {…}`), as one fact per
  /// leaf (`config.rope_scaling.factor = 8.0`), or both. Lookups answer either way: an exact key
  /// wins; otherwise the nearest ancestor object is descended and the answer carries the
  /// ancestor's location (the closest evidence there is). Arrays may likewise come whole or as
  /// `key[0]`, `key[1]`, … leaves.
  ///
  /// Keys are stored without the source prefix (`rope_scaling.factor`, not
  /// `config.rope_scaling.factor`). When a key repeats, the last occurrence wins, as Python's
  /// `json` keeps the last duplicate (docs/facts.md, `json.duplicate_key`).
  struct FactLookup: Sendable {
    private(set) var facts: [String: Fact] = [:]
    /// Keys in first-seen order, for deterministic child listings.
    private var order: [String] = []
    /// Keys whose value is an object: the only ancestors a lookup may descend.
    private var objectKeys: Set<String> = []

    /// Collects every fact whose key starts with `prefix`, stripping the prefix.
    init(_ facts: [Fact], prefix: String) {
      for fact in facts where fact.key.hasPrefix(prefix) {
        let key = String(fact.key.dropFirst(prefix.count))
        if self.facts[key] == nil { order.append(key) }
        self.facts[key] = fact
        if case .object = fact.value { objectKeys.insert(key) } else { objectKeys.remove(key) }
      }
    }

    var isEmpty: Bool { facts.isEmpty }

    /// The fact at `key`, exact or found inside an ancestor object.
    func fact(_ key: String) -> Fact? {
      if let found = facts[key] { return found }
      // Most lookups miss; only keys holding an object can be descended, so skip the walk
      // when there are none (readers that emit leaves only).
      guard !objectKeys.isEmpty else { return nil }
      var end = key.endIndex
      while let dot = key[..<end].lastIndex(of: ".") {
        let prefix = String(key[..<dot])
        if objectKeys.contains(prefix), let ancestor = facts[prefix] {
          var value = ancestor.value
          for part in key[key.index(after: dot)...].split(separator: ".", omittingEmptySubsequences: false) {
            guard case .object(let object) = value, let next = object[String(part)] else { return nil }
            value = next
          }
          return Fact(key: key, value: value, location: ancestor.location)
        }
        end = dot
      }
      return nil
    }

    /// Whether anything is known at or below `key` (a leaf, an object, or descendants).
    func exists(_ key: String) -> Bool {
      if fact(key) != nil { return true }
      return order.contains { $0.hasPrefix(key + ".") || $0.hasPrefix(key + "[") }
    }

    /// Whether `key` holds something other than `null` (an object, a value, or descendants).
    func present(_ key: String) -> Bool {
      if let found = fact(key) { return found.value != .null }
      return exists(key)
    }

    /// The names directly below `key`, sorted.
    func children(of key: String) -> [String] {
      var names = Set<String>()
      if let found = fact(key), case .object(let object) = found.value { names.formUnion(object.keys) }
      let head = key.isEmpty ? "" : key + "."
      for stored in order where stored.hasPrefix(head) && stored.count > head.count {
        let rest = stored.dropFirst(head.count)
        let end = rest.firstIndex(where: { $0 == "." || $0 == "[" }) ?? rest.endIndex
        names.insert(String(rest[..<end]))
      }
      return names.sorted()
    }

    /// The first descendant fact below `key` in reading order, for a location when only leaves exist.
    func firstFact(under key: String) -> Fact? {
      if let found = fact(key) { return found }
      for stored in order where stored.hasPrefix(key + ".") || stored.hasPrefix(key + "[") {
        if let found = facts[stored] { return found }
      }
      return nil
    }

    // MARK: Typed access

    /// A number at `key` (JSON ints and floats alike); strings are not numbers here.
    func double(_ key: String) -> Located<Double>? {
      guard let found = fact(key), let value = found.value.doubleValue, value.isFinite else { return nil }
      return Located(value, found.location)
    }

    /// An integer at `key`; a float with no fractional part counts (`32768.0`).
    func int(_ key: String) -> Located<Int64>? {
      guard let found = fact(key), let value = found.value.intValue else { return nil }
      return Located(value, found.location)
    }

    func string(_ key: String) -> Located<String>? {
      guard let found = fact(key), let value = found.value.stringValue else { return nil }
      return Located(value, found.location)
    }

    func bool(_ key: String) -> Located<Bool>? {
      guard let found = fact(key), let value = found.value.boolValue else { return nil }
      return Located(value, found.location)
    }

    /// A list of numbers at `key`, whole or assembled from `key[i]` / `key.i` leaves.
    ///
    /// `nil` when nothing is there or any element is not a number.
    func doubles(_ key: String) -> Located<[Double]>? {
      if let found = fact(key), let items = found.value.arrayValue {
        let numbers = items.compactMap(\.doubleValue)
        return numbers.count == items.count ? Located(numbers, found.location) : nil
      }
      var indexed: [(Int, Double, SourceLocation)] = []
      for stored in order {
        guard let index = Self.elementIndex(stored, of: key), let fact = facts[stored] else { continue }
        guard let number = fact.value.doubleValue else { return nil }
        indexed.append((index, number, fact.location))
      }
      guard !indexed.isEmpty else { return nil }
      indexed.sort { $0.0 < $1.0 }
      guard indexed.enumerated().allSatisfy({ $0.offset == $0.element.0 }) else { return nil }
      return Located(indexed.map(\.1), indexed[0].2)
    }

    /// `i` when `stored` is `key[i]` or `key.i`.
    private static func elementIndex(_ stored: String, of key: String) -> Int? {
      guard stored.hasPrefix(key), stored.count > key.count else { return nil }
      let rest = stored.dropFirst(key.count)
      if rest.first == "[", rest.last == "]" { return Int(rest.dropFirst().dropLast()) }
      if rest.first == "." { return Int(rest.dropFirst()) }
      return nil
    }
  }

  /// A value with the location of the raw fact it came from.
  struct Located<Value: Sendable>: Sendable {
    var value: Value
    var location: SourceLocation

    init(_ value: Value, _ location: SourceLocation) {
      self.value = value
      self.location = location
    }

    func map<T: Sendable>(_ transform: (Value) -> T) -> Located<T> { Located<T>(transform(value), location) }
  }
}

extension ModelView.Located: Equatable where Value: Equatable {}
