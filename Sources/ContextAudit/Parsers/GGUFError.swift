/// Why a GGUF header could not be read, and the byte offset where the problem is.
///
/// Offsets are from the start of the artifact. The offset of each reason is documented on
/// the case; see rope-methods.md §6.1–6.3 for the layout and for what ggml's own reader
/// (`src/gguf.cpp`) rejects.
public struct GGUFError: Error, Hashable, Sendable, LocatedError {
  public enum Reason: Hashable, Sendable {
    /// The file has no bytes at all (offset 0).
    case emptyFile
    /// The first four bytes are not `GGUF` (offset 0).
    case badMagic(found: [UInt8])
    /// Version 1 (32-bit counts), 0 or anything above 3 (offset 4).
    case unsupportedVersion(UInt32)
    /// The input ends `available` bytes into an item of `needed` bytes (offset of the item).
    case truncated(needed: UInt64, available: UInt64)
    /// A value type code outside 0…12 (offset of the type code).
    case unknownValueType(UInt32, key: String)
    /// An array whose elements are arrays; ggml rejects these (offset of the element type).
    case nestedArray(key: String)
    /// A string length above the named limit (offset of the length).
    case stringTooLong(length: UInt64, limit: UInt64)
    /// A count above its named limit in `GGUFLimits` (offset of the count).
    case tooManyItems(what: String, count: UInt64, limit: UInt64)
    /// A BOOL byte other than 0 or 1 (offset of the byte).
    case invalidBool(UInt8, key: String)
    /// `general.alignment` not a UINT32 power of two (offset of the key).
    case badAlignment(GGUFValue)
    /// An empty metadata key; ggml rejects it (offset of the key).
    case emptyKey
    /// A key that appeared before; ggml rejects the file (offset of the second key).
    case duplicateKey(String)
    /// More than 4 dimensions, or an element count that overflows int64 (offset of n_dims).
    case tensorDimsInvalid(name: String, dims: [UInt64])
    /// `n_dims` above 4 (offset of n_dims).
    case tooManyDimensions(name: String, count: UInt32)
    /// A tensor name of 64 bytes or more (`GGML_MAX_NAME`; offset of the name).
    case tensorNameTooLong(name: String, length: UInt64)
    /// A tensor name that appeared before (offset of the second tensor info).
    case duplicateTensorName(String)
    /// Keys and tensor names (with the STRING values kept so far) would pass
    /// `GGUFLimits.maxHeaderTextBytes` (offset of the key's or name's length).
    case headerTextTooLarge(limit: UInt64)
  }

  public var reason: Reason
  public var location: SourceLocation

  public init(_ reason: Reason, at location: SourceLocation) {
    self.reason = reason
    self.location = location
  }

  /// Byte offset of the problem from the start of the artifact.
  public var offset: UInt64 { location.offset ?? 0 }

  public var message: String {
    switch reason {
    case .emptyFile:
      return "empty file (expected a GGUF header)"
    case .badMagic(let found):
      return "not a GGUF file: magic is \(GGUFError.show(found)), expected \"GGUF\""
    case .unsupportedVersion(let version):
      return "GGUF version \(version) is not supported (expected 2 or 3)"
    case .truncated(let needed, let available):
      return "GGUF file is truncated: \(needed) bytes needed, \(available) available"
    case .unknownValueType(let code, let key):
      return "unknown GGUF value type \(code) for key '\(key)' (expected 0 to 12)"
    case .nestedArray(let key):
      return "array of arrays in key '\(key)' (ggml rejects nested arrays)"
    case .stringTooLong(let length, let limit):
      return "GGUF string of \(length) bytes is longer than the \(limit)-byte limit"
    case .tooManyItems(let what, let count, let limit):
      return "GGUF \(what) count \(count) exceeds the limit of \(limit)"
    case .invalidBool(let byte, let key):
      return "BOOL value \(byte) for key '\(key)' (expected 0 or 1)"
    case .badAlignment(let value):
      return "general.alignment is \(value.typeName) \(value.factValue.displayText) (expected a UINT32 power of two)"
    case .emptyKey:
      return "empty GGUF metadata key"
    case .duplicateKey(let key):
      return "duplicate GGUF metadata key '\(key)'"
    case .tensorDimsInvalid(let name, let dims):
      return "tensor '\(name)' has invalid dimensions \(dims) (element count overflows int64)"
    case .tooManyDimensions(let name, let count):
      return "tensor '\(name)' has \(count) dimensions (at most 4)"
    case .tensorNameTooLong(let name, let length):
      return "tensor name '\(name.prefix(80))' is \(length) bytes (ggml allows at most 63)"
    case .duplicateTensorName(let name):
      return "duplicate tensor name '\(name)'"
    case .headerTextTooLarge(let limit):
      return "GGUF keys and names hold more than \(limit) bytes (the header text limit)"
    }
  }

  /// Printable ASCII as a quoted string, anything else as hex bytes.
  static func show(_ bytes: [UInt8]) -> String {
    if !bytes.isEmpty, bytes.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) {
      return "\"" + String(decoding: bytes, as: UTF8.self) + "\""
    }
    if bytes.isEmpty { return "empty" }
    let hex: [String] = bytes.map { byte in
      let digits = String(byte, radix: 16)
      return digits.count == 1 ? "0" + digits : digits
    }
    return hex.joined(separator: " ")
  }
}
