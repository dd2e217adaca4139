import Foundation

/// How the text of a flag, env var or key is turned into a fact value.
enum ValueStyle: Hashable, Sendable {
  /// A plain decimal integer; anything else stays a string.
  case integer
  /// vLLM's `human_readable_int`: `32k` = 32000, `32K` = 32768 (see `ManifestValues.vllmInteger`).
  case vllmInteger
  /// A decimal number, always `.double`.
  case number
  /// Kept as written.
  case string
  /// A JSON document (`--hf-overrides '{...}'`); text that is not JSON stays a string.
  case json
}

/// Converts manifest text to fact values.
enum ManifestValues {
  /// Converts the text of one argument or scalar; text that does not fit the style stays a string.
  static func value(_ text: String, style: ValueStyle) -> FactValue {
    let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
    switch style {
    case .integer:
      if let v = Int64(trimmed) { return .int(v) }
      return .string(text)
    case .vllmInteger:
      if let v = vllmInteger(trimmed) { return .int(v) }
      return .string(text)
    case .number:
      if let v = Double(trimmed), v.isFinite { return .double(v) }
      return .string(text)
    case .string:
      return .string(text)
    case .json:
      return json(trimmed) ?? .string(text)
    }
  }

  /// Converts a YAML value: scalars by their text, collections as they stand (a nested
  /// `hf-overrides:` mapping becomes an object).
  static func value(_ cursor: YAMLCursor, style: ValueStyle) -> FactValue? {
    switch cursor.node.content {
    case .scalar:
      guard let text = cursor.text else { return nil }
      return value(text, style: style)
    case .sequence, .mapping:
      return cursor.node.factValue
    }
  }

  /// Parses vLLM's human-readable integers.
  ///
  /// vLLM's `human_readable_int` (vllm/engine/arg_utils.py, used for `--max-model-len` since
  /// v0.8) reads a lowercase suffix as decimal (`k` 10^3, `m` 10^6, `g` 10^9, `t` 10^12, decimals
  /// allowed: `25.6k` = 25600) and an uppercase one as binary (`K` 2^10, `M` 2^20, `G` 2^30,
  /// `T` 2^40, integers only). Plain integers pass through. `auto` and other words return nil.
  static func vllmInteger(_ text: String) -> Int64? {
    if let v = Int64(text) { return v }
    guard let suffix = text.unicodeScalars.last, text.unicodeScalars.count >= 2 else { return nil }
    let number = String(text.unicodeScalars.dropLast())
    guard number.unicodeScalars.allSatisfy({ $0 == "." || ("0"..."9").contains($0) }),
      number.first != ".", number.last != ".", number.filter({ $0 == "." }).count <= 1
    else { return nil }
    let decimal: [Unicode.Scalar: Double] = ["k": 1e3, "m": 1e6, "g": 1e9, "t": 1e12]
    let binary: [Unicode.Scalar: Int64] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40]
    if let multiplier = decimal[suffix], let v = Double(number) {
      let product = (v * multiplier).rounded(.towardZero)
      guard product < 9.2e18 else { return nil }
      return Int64(product)
    }
    if let multiplier = binary[suffix], let v = Int64(number) {
      let (product, overflow) = v.multipliedReportingOverflow(by: multiplier)
      return overflow ? nil : product
    }
    return nil
  }

  /// Decodes JSON text with Foundation and converts it to a fact value, or nil when it is not JSON.
  static func json(_ text: String) -> FactValue? {
    guard let data = text.data(using: .utf8),
      let object = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
    else { return nil }
    return factValue(fromJSON: object)
  }

  /// Converts what `JSONSerialization` returns.
  ///
  /// `NSNumber` hides whether JSON said `true`, `1` or `1.0`; its Objective-C type code tells
  /// them apart (`c` for booleans, `d`/`f` for numbers written with a fraction or exponent).
  static func factValue(fromJSON object: Any) -> FactValue {
    switch object {
    case let dictionary as [String: Any]:
      return .object(dictionary.mapValues { factValue(fromJSON: $0) })
    case let array as [Any]:
      return .array(array.map { factValue(fromJSON: $0) })
    case let string as String:
      return .string(string)
    case let number as NSNumber:
      let code = String(cString: number.objCType)
      switch code {
      case "c", "B": return .bool(number.boolValue)
      case "d", "f": return .double(number.doubleValue)
      case "Q", "L", "I", "S", "C":
        let unsigned = number.uint64Value
        return unsigned <= UInt64(Int64.max) ? .int(Int64(unsigned)) : .double(number.doubleValue)
      default: return .int(number.int64Value)
      }
    default:
      return .null
    }
  }

  /// `1`/`true` (any case), as vLLM's `VLLM_ALLOW_LONG_MAX_MODEL_LEN` and SGLang's
  /// `get_bool_env_var` read them.
  static func isTruthy(_ text: String) -> Bool {
    let lower = text.trimmingCharacters(in: .whitespaces).lowercased()
    return lower == "1" || lower == "true"
  }
}
