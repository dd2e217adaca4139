/// The type code written before every GGUF metadata value (rope-methods.md §6.2).
public enum GGUFValueType: UInt32, Hashable, Sendable, CaseIterable {
  case uint8 = 0, int8 = 1, uint16 = 2, int16 = 3, uint32 = 4, int32 = 5, float32 = 6, bool = 7
  case string = 8, array = 9, uint64 = 10, int64 = 11, float64 = 12

  /// The name gguf-py and `gguf-dump` print (`UINT32`, `STRING`, ...).
  public var name: String {
    switch self {
    case .uint8: return "UINT8"
    case .int8: return "INT8"
    case .uint16: return "UINT16"
    case .int16: return "INT16"
    case .uint32: return "UINT32"
    case .int32: return "INT32"
    case .float32: return "FLOAT32"
    case .bool: return "BOOL"
    case .string: return "STRING"
    case .array: return "ARRAY"
    case .uint64: return "UINT64"
    case .int64: return "INT64"
    case .float64: return "FLOAT64"
    }
  }

  /// Bytes per value for fixed-size types; nil for STRING and ARRAY.
  public var fixedSize: Int? {
    switch self {
    case .uint8, .int8, .bool: return 1
    case .uint16, .int16: return 2
    case .uint32, .int32, .float32: return 4
    case .uint64, .int64, .float64: return 8
    case .string, .array: return nil
    }
  }
}

/// One GGUF metadata value with its exact stored type.
///
/// Arrays longer than the reader's keep limit (the tokenizer vocabulary, merges, scores) are
/// not materialised: `.skippedArray` keeps only their element type and count. Likewise a
/// STRING longer than `GGUFLimits.maxKeptStringLength` is `.skippedString` with its length.
public enum GGUFValue: Hashable, Sendable {
  case uint8(UInt8), int8(Int8), uint16(UInt16), int16(Int16), uint32(UInt32), int32(Int32)
  case float32(Float), bool(Bool), string(String), uint64(UInt64), int64(Int64), float64(Double)
  case array(elementType: GGUFValueType, values: [GGUFValue])
  case skippedArray(elementType: GGUFValueType, count: UInt64)
  case skippedString(length: UInt64)

  /// The stored type code.
  public var type: GGUFValueType {
    switch self {
    case .uint8: return .uint8
    case .int8: return .int8
    case .uint16: return .uint16
    case .int16: return .int16
    case .uint32: return .uint32
    case .int32: return .int32
    case .float32: return .float32
    case .bool: return .bool
    case .string, .skippedString: return .string
    case .uint64: return .uint64
    case .int64: return .int64
    case .float64: return .float64
    case .array, .skippedArray: return .array
    }
  }

  /// `UINT32`, or `[STRING]` for arrays as `gguf-dump` writes them.
  public var typeName: String {
    switch self {
    case .array(let element, _), .skippedArray(let element, _): return "[\(element.name)]"
    default: return type.name
    }
  }

  /// Number of elements for arrays (kept or skipped), nil for scalars.
  public var arrayCount: UInt64? {
    switch self {
    case .array(_, let values): return UInt64(values.count)
    case .skippedArray(_, let count): return count
    default: return nil
    }
  }

  /// The value as a fact.
  ///
  /// Integers stay exact (`UINT64` above `Int64.max` becomes a double). A FLOAT32 becomes the
  /// double of its shortest decimal form, so `0.1f` reads as 0.1 (not 0.10000000149011612,
  /// its exact binary value, which `gguf-dump` prints) and 1.1902380714238083 written as
  /// float32 reads as 1.1902381: rules can compare with the number the converter was given,
  /// up to float32 precision. Skipped arrays become
  /// `{"type": "array", "element_type": "STRING", "count": N}` and skipped strings
  /// `{"type": "string", "length": N}` (docs/facts.md).
  public var factValue: FactValue {
    switch self {
    case .uint8(let v): return .int(Int64(v))
    case .int8(let v): return .int(Int64(v))
    case .uint16(let v): return .int(Int64(v))
    case .int16(let v): return .int(Int64(v))
    case .uint32(let v): return .int(Int64(v))
    case .int32(let v): return .int(Int64(v))
    case .uint64(let v): return v <= UInt64(Int64.max) ? .int(Int64(v)) : .double(Double(v))
    case .int64(let v): return .int(v)
    case .float32(let v): return .double(GGUFValue.shortestDouble(v))
    case .float64(let v): return .double(v)
    case .bool(let v): return .bool(v)
    case .string(let v): return .string(v)
    case .array(_, let values): return .array(values.map(\.factValue))
    case .skippedArray(let element, let count):
      return .object([
        "type": "array", "element_type": .string(element.name),
        "count": count <= UInt64(Int64.max) ? .int(Int64(count)) : .double(Double(count)),
      ])
    case .skippedString(let length):
      return .object(["type": "string", "length": .int(Int64(clamping: length))])
    }
  }

  /// The double whose shortest decimal form equals the float's (`0.1f` → 0.1).
  public static func shortestDouble(_ value: Float) -> Double {
    guard value.isFinite else { return Double(value) }
    return Double(String(describing: value)) ?? Double(value)
  }

  /// The value as an unsigned integer when it is a non-negative integer of any width.
  public var unsignedValue: UInt64? {
    switch self {
    case .uint8(let v): return UInt64(v)
    case .uint16(let v): return UInt64(v)
    case .uint32(let v): return UInt64(v)
    case .uint64(let v): return v
    case .int8(let v): return v >= 0 ? UInt64(v) : nil
    case .int16(let v): return v >= 0 ? UInt64(v) : nil
    case .int32(let v): return v >= 0 ? UInt64(v) : nil
    case .int64(let v): return v >= 0 ? UInt64(v) : nil
    default: return nil
    }
  }
}

/// Names of ggml tensor type codes as gguf-py's `GGMLQuantizationType` spells them.
///
/// Codes 4, 5, 31–33 and 36–38 were removed from ggml; unknown codes are reported by number.
public enum GGMLTypeName {
  static let names: [UInt32: String] = [
    0: "F32", 1: "F16", 2: "Q4_0", 3: "Q4_1", 6: "Q5_0", 7: "Q5_1", 8: "Q8_0", 9: "Q8_1",
    10: "Q2_K", 11: "Q3_K", 12: "Q4_K", 13: "Q5_K", 14: "Q6_K", 15: "Q8_K",
    16: "IQ2_XXS", 17: "IQ2_XS", 18: "IQ3_XXS", 19: "IQ1_S", 20: "IQ4_NL", 21: "IQ3_S",
    22: "IQ2_S", 23: "IQ4_XS", 24: "I8", 25: "I16", 26: "I32", 27: "I64", 28: "F64",
    29: "IQ1_M", 30: "BF16", 34: "TQ1_0", 35: "TQ2_0", 39: "MXFP4", 40: "NVFP4", 41: "Q1_0",
  ]

  /// `F32` for 0, ..., or nil for a code this reader does not know.
  public static func name(_ code: UInt32) -> String? { names[code] }
}
