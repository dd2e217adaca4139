/// Everything before the tensor data of a GGUF file, with the byte offset of each part.
///
/// Offsets are from the start of the artifact. Multi-byte values in the file use
/// `byteOrder` throughout (rope-methods.md §6.1: a file is either all little-endian or all
/// big-endian; ggml detects big-endian files from the version field). A header read from a
/// truncated or invalid file is partial: `section` says how far the reader got, and the
/// fields of later sections keep their empty defaults.
public struct GGUFHeader: Hashable, Sendable {
  /// Byte order of every value in the file.
  public enum ByteOrder: String, Hashable, Sendable {
    case little, big
  }

  /// How far a reader got; each case includes the ones before it.
  public enum Section: Int, Hashable, Sendable, Comparable {
    case none, version, counts, keyValues, tensorInfos, ropeTensors

    public static func < (lhs: Section, rhs: Section) -> Bool { lhs.rawValue < rhs.rawValue }
  }

  /// The last section read completely.
  public var section: Section = .none
  /// Format version (2 or 3 for a valid file), at offset 4.
  public var version: UInt32 = 0
  public var byteOrder: ByteOrder = .little
  /// Number of tensor infos announced at offset 8.
  public var tensorCount: UInt64 = 0
  /// Number of metadata key/value pairs announced at offset 16.
  public var kvCount: UInt64 = 0
  /// Metadata in file order (the first 24 bytes are the fixed header).
  public var keyValues: [GGUFKeyValue] = []
  /// Tensor infos in file order.
  public var tensors: [GGUFTensorInfo] = []
  /// `general.alignment`, or 32 when the key is absent.
  public var alignment: UInt32 = GGUFHeader.defaultAlignment
  /// Byte offset where the tensor data starts: the end of the tensor infos rounded up to
  /// `alignment`. Zero until the tensor infos are read.
  public var dataOffset: UInt64 = 0
  /// Byte offset just past the last tensor info. Zero until the tensor infos are read.
  public var tensorInfosEnd: UInt64 = 0
  /// File size in bytes when the source knows it.
  public var fileSize: UInt64?

  /// Alignment when `general.alignment` is absent.
  public static let defaultAlignment: UInt32 = 32

  public init() {}

  /// The first key/value with this key.
  public func value(_ key: String) -> GGUFValue? {
    keyValues.first { $0.key == key }?.value
  }

  /// The tensor info with this name.
  public func tensor(_ name: String) -> GGUFTensorInfo? {
    tensors.first { $0.name == name }
  }
}

/// One metadata key/value pair.
public struct GGUFKeyValue: Hashable, Sendable {
  public var key: String
  public var value: GGUFValue
  /// Byte offset of the key (its 8-byte length prefix); facts point here.
  public var offset: UInt64
  /// Byte offset of the value, just after its 4-byte type code.
  public var valueOffset: UInt64

  public init(key: String, value: GGUFValue, offset: UInt64, valueOffset: UInt64) {
    self.key = key
    self.value = value
    self.offset = offset
    self.valueOffset = valueOffset
  }
}

/// One tensor info: the tensor's name, shape and type, and where its data is.
public struct GGUFTensorInfo: Hashable, Sendable {
  public var name: String
  /// Dimensions in ggml order: `dims[0]` varies fastest (the reverse of the numpy shape).
  public var dims: [UInt64]
  /// ggml type code (`0` = F32, `1` = F16, `30` = BF16, ...).
  public var type: UInt32
  /// Offset of the data relative to the start of the data section, as stored.
  public var relativeOffset: UInt64
  /// Byte offset of this tensor info (its name's length prefix) in the file.
  public var infoOffset: UInt64
  /// Float values of a RoPE factor tensor (`rope_freqs.weight`, `rope_factors_long.weight`,
  /// `rope_factors_short.weight`) when they could be read; nil for every other tensor.
  public var values: [Float]?

  public init(name: String, dims: [UInt64], type: UInt32, relativeOffset: UInt64, infoOffset: UInt64, values: [Float]? = nil) {
    self.name = name
    self.dims = dims
    self.type = type
    self.relativeOffset = relativeOffset
    self.infoOffset = infoOffset
    self.values = values
  }

  /// Number of elements (product of the dims; 1 for a 0-dimensional tensor).
  ///
  /// The reader rejects dims whose product overflows int64, so this does not overflow.
  public var elementCount: UInt64 { dims.reduce(1, *) }

  /// `F32`, `Q4_K`, ... or `type 99` for codes this reader does not know.
  public var typeName: String { GGMLTypeName.name(type) ?? "type \(type)" }
}
