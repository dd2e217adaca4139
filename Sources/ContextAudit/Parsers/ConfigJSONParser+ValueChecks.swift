extension ConfigJSONParser {
  /// What loaders need a value to be.
  enum Expectation: Sendable {
    /// An integer of at least 1 that fits in 64 bits (lengths); `32768.0` counts.
    case positiveInteger
    /// A finite number above 0 (factors, bases).
    case positiveNumber
    /// A finite number above 0 and at most 1 (fractions of the head dimension).
    case fraction
    /// Any finite number (method parameters such as `beta_fast`).
    case number
    /// A list of finite numbers (LongRoPE factors).
    case numberList
    /// A string (the method name).
    case string
    /// An object (the RoPE dict).
    case object

    var text: String {
      switch self {
      case .positiveInteger: return "a whole number of at least 1"
      case .positiveNumber: return "a number above 0"
      case .fraction: return "a number above 0 and at most 1"
      case .number: return "a finite number"
      case .numberList: return "a list of numbers"
      case .string: return "a string"
      case .object: return "an object or null"
      }
    }

    func accepts(_ value: FactValue) -> Bool {
      switch self {
      case .positiveInteger: return (value.intValue ?? 0) >= 1
      case .positiveNumber: return value.doubleValue.map { $0.isFinite && $0 > 0 } ?? false
      case .fraction: return value.doubleValue.map { $0.isFinite && $0 > 0 && $0 <= 1 } ?? false
      case .number: return value.doubleValue?.isFinite ?? false
      case .numberList: return value.arrayValue?.allSatisfy { $0.doubleValue?.isFinite ?? false } ?? false
      case .string: return value.stringValue != nil
      case .object: return value.objectValue != nil
      }
    }
  }

  /// Keys inside `rope_scaling` / `rope_parameters` (and their per-layer-type dicts) that
  /// transformers and vLLM compute with (rope-methods.md sections 2.1 to 2.3, 3.1, 5.2).
  static let ropeDictExpectations: [String: Expectation] = [
    "factor": .positiveNumber, "original_max_position_embeddings": .positiveInteger, "rope_theta": .positiveNumber,
    "low_freq_factor": .number, "high_freq_factor": .number, "beta_fast": .number, "beta_slow": .number,
    "attention_factor": .number, "mscale": .number, "mscale_all_dim": .number,
    "long_factor": .numberList, "short_factor": .numberList, "rope_type": .string, "type": .string,
    "partial_rotary_factor": .fraction,
  ]

  /// Keys outside the RoPE dicts that the model view computes with.
  static let configExpectations: [String: Expectation] = {
    var table: [String: Expectation] = [
      "rope_theta": .positiveNumber, "rotary_emb_base": .positiveNumber, "partial_rotary_factor": .fraction,
      "rotary_pct": .fraction, "original_max_position_embeddings": .positiveInteger,
      "rope_scaling": .object, "rope_parameters": .object,
    ]
    for key in lengthKeys { table[key] = .positiveInteger }
    return table
  }()

  /// `json.invalid_value` facts for values loaders cannot use, one per value, in reading order.
  ///
  /// A RoPE factor written as a string (`"8.0"`), a list where `rope_scaling` should be an
  /// object, a negative, zero, non-finite or 64-bit-overflowing length: transformers either
  /// fails while building the rotary embedding (`inv_freq / "8.0"`) or warns and computes
  /// something else, and vLLM's `_get_and_verify_max_len` multiplies or compares with it. The
  /// model view skips such values, so without this fact nothing would say the file is broken.
  /// `null` is accepted everywhere (it reads as "not set"). `tokenizer_config.model_max_length`
  /// may be any whole number, including transformers' `int(1e30)` "no limit" sentinel.
  ///
  /// The value is one fragment, `<key path> is <what was found> (expected <what loaders need>)`;
  /// the location is the value's.
  static func invalidValueFacts(_ facts: [Fact], prefix: String) -> [Fact] {
    var out: [Fact] = []
    for fact in facts where fact.key.hasPrefix(prefix) && fact.value != .null {
      let keyPath = String(fact.key.dropFirst(prefix.count))
      guard let expectation = expectation(keyPath: keyPath, prefix: prefix), !expectation.accepts(fact.value) else {
        continue
      }
      if prefix == "tokenizer_config.", let v = fact.value.doubleValue, v.isFinite, v >= 1, v.rounded() == v { continue }
      let text = "\(keyPath) is \(describe(fact.value)) (expected \(expectation.text))"
      out.append(Fact(key: "json.invalid_value", value: .string(text), location: fact.location))
    }
    return out
  }

  /// The expectation for a fact's key path: by its last key, with the RoPE dict table for
  /// keys inside `rope_scaling` / `rope_parameters`.
  static func expectation(keyPath: String, prefix: String) -> Expectation? {
    let parts = keyPath.split(separator: ".", omittingEmptySubsequences: false)
    guard let last = parts.last.map(String.init) else { return nil }
    if prefix != "config." { return lengthKeys.contains(last) ? .positiveInteger : nil }
    let insideRopeDict = parts.dropLast().contains { $0 == "rope_scaling" || $0 == "rope_parameters" }
    if insideRopeDict { return ropeDictExpectations[last] }
    if parts.dropLast().contains("attn_config") { return nil }
    return configExpectations[last]
  }

  /// `the string "8.0"`, `a list`, `an object`, `true`, `NaN`, `-4096`, `1e+23`.
  static func describe(_ value: FactValue) -> String {
    switch value {
    case .string(let s):
      let shown = s.unicodeScalars.count > 40 ? String(String.UnicodeScalarView(s.unicodeScalars.prefix(39))) + "…" : s
      return "the string " + JSONText.quote(shown)
    case .array(let items): return items.isEmpty ? "an empty list" : "a list"
    case .object: return "an object"
    case .bool(let b): return b ? "true" : "false"
    case .null: return "null"
    case .int, .double: return value.displayText
    }
  }
}
