/// Reads the header of a GGUF file (versions 2 and 3): metadata, tensor infos and the small
/// RoPE factor tensors, never the weights.
///
/// Layout and reader constraints follow rope-methods.md §6.1–6.3; where the spec and ggml's
/// reference reader disagree this reader takes ggml's side, because a file ggml rejects does
/// not load: nested arrays, empty or duplicate keys, a `general.alignment` that is not a
/// UINT32 power of two, more than 4 dimensions and tensor names of 64 bytes or more are errors.
/// Every count is checked against `GGUFLimits`, and every string length against the limits
/// and the bytes left (when the size is known), before anything is allocated or looped over.
public enum GGUFParser {
  /// Names of the tensors whose values are read (rope-methods.md §6.5).
  public static let ropeTensorNames: Set<String> = [
    "rope_freqs.weight", "rope_factors_long.weight", "rope_factors_short.weight",
  ]

  /// Reads a complete header, or throws at the first problem.
  ///
  /// - Parameters:
  ///   - source: positioned at the start of the file; left after the last byte read.
  ///   - path: the artifact path that error locations carry.
  /// - Throws: `GGUFError` with the byte offset of the problem.
  public static func readHeader(
    _ source: inout some ByteSource, path: ArtifactPath, limits: GGUFLimits = .default
  ) throws(GGUFError) -> GGUFHeader {
    let (header, error) = readPartialHeader(&source, path: path, limits: limits)
    if let error { throw error }
    return header
  }

  /// Reads as much of the header as the file allows.
  ///
  /// - Returns: the header read so far (its `section` says how far) and the error that stopped
  ///   the reader, if any. A truncated file still gives its version and the keys before the cut.
  public static func readPartialHeader(
    _ source: inout some ByteSource, path: ArtifactPath, limits: GGUFLimits = .default
  ) -> (header: GGUFHeader, error: GGUFError?) {
    var reading = GGUFReading(source: source, path: path, limits: limits)
    var failure: GGUFError?
    do {
      try reading.readAll()
    } catch {
      failure = error
    }
    source = reading.source
    return (reading.header, failure)
  }
}

/// Limits that stop hostile or corrupt headers before they allocate or loop for long.
public struct GGUFLimits: Hashable, Sendable {
  /// Longest metadata key or tensor name read (the spec's key limit): 65,535 bytes.
  public var maxKeyLength: UInt64 = 65_535
  /// Longest string value, kept or skipped: 64 MiB (chat templates are tens of KiB).
  public var maxStringLength: UInt64 = 64 << 20
  /// Longest STRING value kept as text: 1 MiB. A longer one (up to `maxStringLength`) is passed
  /// over and kept as `.skippedString(length:)`, so a file cannot make the reader hold its
  /// strings in memory (a sparse file of 2 GB of "string" zeros takes no disk space).
  public var maxKeptStringLength: UInt64 = 1 << 20
  /// Most bytes of keys, tensor names and kept STRING values held for one header: 64 MiB.
  /// Past it, further STRING values are skipped and a further key or tensor name is an error.
  public var maxHeaderTextBytes: UInt64 = 64 << 20
  /// Most metadata key/value pairs: 65,536 (real files have tens; vocabularies are one key each).
  /// Every key is held with its value, so this bounds memory for a file of many tiny keys.
  public var maxKeyValueCount: UInt64 = 1 << 16
  /// Most tensor infos: 4,194,304 (large MoE files have tens of thousands).
  public var maxTensorCount: UInt64 = 1 << 22
  /// Most elements in one array: 2^32 (vocabularies have up to a few hundred thousand).
  public var maxArrayCount: UInt64 = 1 << 32
  /// Arrays of numbers or bools up to this many elements are kept as values; longer ones are
  /// skipped and summarised by type and count.
  public var maxKeptArrayCount: UInt64 = 1024
  /// String arrays up to this many elements are kept; longer ones (vocabularies, merges) are skipped.
  public var maxKeptStringArrayCount: UInt64 = 64
  /// Most elements read from one RoPE factor tensor (`n_rot / 2` is at most a few hundred).
  public var maxRopeTensorElements: UInt64 = 4096
  /// How far a source that cannot seek reads forward past the header to reach a RoPE factor
  /// tensor: 16 MiB. Further ones are reported present without values.
  public var maxForwardReadToRopeTensor: UInt64 = 16 << 20

  public init() {}

  public static let `default` = GGUFLimits()
}

/// One pass over a GGUF header; owns the source while it reads.
struct GGUFReading<Source: ByteSource> {
  var source: Source
  let path: ArtifactPath
  let limits: GGUFLimits
  var header = GGUFHeader()
  var bigEndian = false
  /// Bytes of keys, tensor names and kept strings read so far (`GGUFLimits.maxHeaderTextBytes`).
  var textBytes: UInt64 = 0

  init(source: Source, path: ArtifactPath, limits: GGUFLimits) {
    self.source = source
    self.path = path
    self.limits = limits
  }

  func error(_ reason: GGUFError.Reason, at offset: UInt64) -> GGUFError {
    GGUFError(reason, at: SourceLocation(path: path, offset: offset))
  }

  mutating func readAll() throws(GGUFError) {
    header.fileSize = source.size
    try readFixedHeader()
    try readKeyValues()
    try readTensorInfos()
    readRopeTensors()
    header.section = .ropeTensors
  }

  // MARK: Fixed header (offsets 0–23)

  mutating func readFixedHeader() throws(GGUFError) {
    let magic: [UInt8] = source.peek(4) { Array($0) }
    if magic != Array("GGUF".utf8) {
      if magic.isEmpty { throw error(.emptyFile, at: 0) }
      if Array("GGUF".utf8).starts(with: magic) {
        throw error(.truncated(needed: 4, available: UInt64(magic.count)), at: 0)
      }
      throw error(.badMagic(found: magic), at: 0)
    }
    source.consume(4)
    let raw = try u32()
    // ggml: a version whose low 16 bits are zero was written in the other byte order.
    if raw & 0xFFFF == 0, raw != 0 {
      bigEndian = true
      header.byteOrder = .big
      header.version = raw.byteSwapped
    } else {
      header.version = raw
    }
    header.section = .version
    guard header.version == 2 || header.version == 3 else {
      throw error(.unsupportedVersion(header.version), at: 4)
    }
    let tensorCount = try u64()
    let kvCount = try u64()
    header.tensorCount = tensorCount
    header.kvCount = kvCount
    header.section = .counts
    try checkCount(kvCount, what: "key/value", limit: limits.maxKeyValueCount, at: 16)
    try checkCount(tensorCount, what: "tensor", limit: limits.maxTensorCount, at: 8)
  }

  /// Fails when a count exceeds its named limit.
  ///
  /// A count that is within the limit but larger than what the bytes left could hold is not
  /// rejected here: the loop reads item by item (allocating nothing in proportion to the
  /// count) and stops with `.truncated` where the data runs out, so a cut file still gives
  /// every item before the cut.
  func checkCount(_ count: UInt64, what: String, limit: UInt64, at offset: UInt64) throws(GGUFError) {
    if count > limit {
      throw error(.tooManyItems(what: what, count: count, limit: limit), at: offset)
    }
  }

  // MARK: Key/value pairs

  mutating func readKeyValues() throws(GGUFError) {
    var seen = Set<String>()
    header.keyValues.reserveCapacity(Int(min(header.kvCount, 1024)))
    for _ in 0..<header.kvCount {
      let keyOffset = source.offset
      let key = try string(limit: limits.maxKeyLength)
      if key.isEmpty { throw error(.emptyKey, at: keyOffset) }
      if !seen.insert(key).inserted { throw error(.duplicateKey(key), at: keyOffset) }
      let typeOffset = source.offset
      let code = try u32()
      guard let type = GGUFValueType(rawValue: code) else {
        throw error(.unknownValueType(code, key: key), at: typeOffset)
      }
      let valueOffset = source.offset
      let value = try value(of: type, key: key)
      header.keyValues.append(GGUFKeyValue(key: key, value: value, offset: keyOffset, valueOffset: valueOffset))
    }
    if let kv = header.keyValues.first(where: { $0.key == "general.alignment" }) {
      guard case .uint32(let alignment) = kv.value, alignment != 0, alignment & (alignment - 1) == 0 else {
        throw error(.badAlignment(kv.value), at: kv.offset)
      }
      header.alignment = alignment
    }
    header.section = .keyValues
  }

  mutating func value(of type: GGUFValueType, key: String) throws(GGUFError) -> GGUFValue {
    switch type {
    case .uint8: return .uint8(try u8())
    case .int8: return .int8(Int8(bitPattern: try u8()))
    case .uint16: return .uint16(try integer(UInt16.self))
    case .int16: return .int16(try integer(Int16.self))
    case .uint32: return .uint32(try u32())
    case .int32: return .int32(try integer(Int32.self))
    case .float32: return .float32(Float(bitPattern: try u32()))
    case .uint64: return .uint64(try u64())
    case .int64: return .int64(try integer(Int64.self))
    case .float64: return .float64(Double(bitPattern: try u64()))
    case .bool: return .bool(try bool(key: key))
    case .string: return try stringValue()
    case .array: return try array(key: key)
    }
  }

  mutating func bool(key: String) throws(GGUFError) -> Bool {
    let at = source.offset
    let byte = try u8()
    guard byte <= 1 else { throw error(.invalidBool(byte, key: key), at: at) }
    return byte == 1
  }

  mutating func array(key: String) throws(GGUFError) -> GGUFValue {
    let typeOffset = source.offset
    let code = try u32()
    guard let element = GGUFValueType(rawValue: code) else {
      throw error(.unknownValueType(code, key: key), at: typeOffset)
    }
    if element == .array { throw error(.nestedArray(key: key), at: typeOffset) }
    let countOffset = source.offset
    let count = try u64()
    try checkCount(count, what: "array element", limit: limits.maxArrayCount, at: countOffset)
    let keep = element == .string ? limits.maxKeptStringArrayCount : limits.maxKeptArrayCount
    if count <= keep {
      var values: [GGUFValue] = []
      values.reserveCapacity(Int(min(count, 1024)))
      for _ in 0..<count { values.append(try value(of: element, key: key)) }
      return .array(elementType: element, values: values)
    }
    if let size = element.fixedSize {
      // Skipped numbers and bools are not checked one by one.
      let (bytes, overflow) = count.multipliedReportingOverflow(by: UInt64(size))
      if overflow {
        throw error(.tooManyItems(what: "array element", count: count, limit: UInt64.max / UInt64(size)), at: countOffset)
      }
      try skip(bytes)
    } else {
      for _ in 0..<count { try skipString() }
    }
    return .skippedArray(elementType: element, count: count)
  }

  // MARK: Tensor infos

  mutating func readTensorInfos() throws(GGUFError) {
    var seen = Set<String>()
    header.tensors.reserveCapacity(Int(min(header.tensorCount, 4096)))
    for _ in 0..<header.tensorCount {
      let infoOffset = source.offset
      let nameLength = try peekU64()
      let name = try string(limit: limits.maxKeyLength)
      if nameLength >= 64 { throw error(.tensorNameTooLong(name: name, length: nameLength), at: infoOffset) }
      let dimsOffset = source.offset
      let dimCount = try u32()
      guard dimCount <= 4 else { throw error(.tooManyDimensions(name: name, count: dimCount), at: dimsOffset) }
      var dims: [UInt64] = []
      dims.reserveCapacity(Int(dimCount))
      var elements: UInt64 = 1
      var overflow = false
      for _ in 0..<dimCount {
        let dim = try u64()
        dims.append(dim)
        let (product, over) = elements.multipliedReportingOverflow(by: dim)
        if over || dim > UInt64(Int64.max) || product > UInt64(Int64.max) { overflow = true }
        elements = product
      }
      if overflow { throw error(.tensorDimsInvalid(name: name, dims: dims), at: dimsOffset) }
      let type = try u32()
      let offset = try u64()
      if !seen.insert(name).inserted { throw error(.duplicateTensorName(name), at: infoOffset) }
      header.tensors.append(GGUFTensorInfo(name: name, dims: dims, type: type, relativeOffset: offset, infoOffset: infoOffset))
    }
    header.tensorInfosEnd = source.offset
    let alignment = UInt64(header.alignment)
    let end = header.tensorInfosEnd
    header.dataOffset = (end % alignment == 0) ? end : end + (alignment - end % alignment)
    header.section = .tensorInfos
  }

  // MARK: RoPE factor tensors

  /// Reads the values of the F32 RoPE factor tensors (rope-methods.md §6.5).
  ///
  /// Seekable sources seek to each one. A stream reads forward only within
  /// `maxForwardReadToRopeTensor` of where it is; a tensor that is further, not F32, too
  /// large or past the end of the file is left without values (not an error: the header is fine).
  mutating func readRopeTensors() {
    let wanted = header.tensors.indices
      .filter { GGUFParser.ropeTensorNames.contains(header.tensors[$0].name) }
      .sorted { header.tensors[$0].relativeOffset < header.tensors[$1].relativeOffset }
    for index in wanted {
      let info = header.tensors[index]
      guard info.type == 0, info.elementCount <= limits.maxRopeTensorElements else { continue }
      let (start, over) = header.dataOffset.addingReportingOverflow(info.relativeOffset)
      let byteCount = info.elementCount * 4
      guard !over else { continue }
      if let size = source.size, start > size || size - start < byteCount { continue }
      if source.canSeek {
        guard source.seek(to: start) else { continue }
      } else {
        guard start >= source.offset, start - source.offset <= limits.maxForwardReadToRopeTensor else { continue }
        let distance = start - source.offset
        guard source.skip(distance) == distance else { return }
      }
      var values: [Float] = []
      values.reserveCapacity(Int(info.elementCount))
      for _ in 0..<info.elementCount {
        guard let value = source.readFloat32(bigEndian: bigEndian) else { break }
        values.append(value)
      }
      if values.count == Int(info.elementCount) { header.tensors[index].values = values }
    }
  }

  // MARK: Primitive reads; the one place a short read becomes `.truncated`

  mutating func truncated(needed: UInt64, at offset: UInt64) -> GGUFError {
    let consumed = source.offset - offset
    let available = consumed + source.availableBytes(upTo: needed - min(needed, consumed))
    return error(.truncated(needed: needed, available: available), at: offset)
  }

  @inline(__always)
  mutating func integer<T: FixedWidthInteger>(_: T.Type) throws(GGUFError) -> T {
    let at = source.offset
    guard let value = source.readInteger(T.self, bigEndian: bigEndian) else {
      throw truncated(needed: UInt64(MemoryLayout<T>.size), at: at)
    }
    return value
  }

  @inline(__always) mutating func u8() throws(GGUFError) -> UInt8 { try integer(UInt8.self) }
  @inline(__always) mutating func u32() throws(GGUFError) -> UInt32 { try integer(UInt32.self) }
  @inline(__always) mutating func u64() throws(GGUFError) -> UInt64 { try integer(UInt64.self) }

  /// The next u64 without consuming it.
  mutating func peekU64() throws(GGUFError) -> UInt64 {
    let at = source.offset
    let big = bigEndian
    let value: UInt64? = source.peek(8) { raw in
      guard raw.count >= 8 else { return nil }
      let stored = raw.loadUnaligned(as: UInt64.self)
      return big ? UInt64(bigEndian: stored) : UInt64(littleEndian: stored)
    }
    guard let value else { throw truncated(needed: 8, at: at) }
    return value
  }

  /// Reads a string's length and checks it against `limit` and the bytes left.
  mutating func stringLength(limit: UInt64) throws(GGUFError) -> UInt64 {
    let lengthOffset = source.offset
    let length = try u64()
    if length > limit { throw error(.stringTooLong(length: length, limit: limit), at: lengthOffset) }
    if let remaining = source.remaining, length > remaining {
      throw error(.truncated(needed: length, available: remaining), at: source.offset)
    }
    return length
  }

  /// Reads a key or tensor name (u64 length + bytes, no terminator); invalid UTF-8 is repaired
  /// with U+FFFD. Counts against `maxHeaderTextBytes`.
  mutating func string(limit: UInt64) throws(GGUFError) -> String {
    let lengthOffset = source.offset
    let length = try stringLength(limit: min(limit, UInt64(Int.max)))
    if length > limits.maxHeaderTextBytes - min(textBytes, limits.maxHeaderTextBytes) {
      throw error(.headerTextTooLarge(limit: limits.maxHeaderTextBytes), at: lengthOffset)
    }
    let at = source.offset
    guard let bytes = source.read(Int(length)) else { throw truncated(needed: length, at: at) }
    textBytes += length
    return String(decoding: bytes, as: UTF8.self)
  }

  /// Reads a STRING value: kept as text up to `maxKeptStringLength` while the header's text
  /// budget lasts, else passed over and summarised by its length.
  mutating func stringValue() throws(GGUFError) -> GGUFValue {
    let length = try stringLength(limit: min(limits.maxStringLength, UInt64(Int.max)))
    let budget = limits.maxHeaderTextBytes - min(textBytes, limits.maxHeaderTextBytes)
    if length > limits.maxKeptStringLength || length > budget {
      try skip(length)
      return .skippedString(length: length)
    }
    let at = source.offset
    guard let bytes = source.read(Int(length)) else { throw truncated(needed: length, at: at) }
    textBytes += length
    return .string(String(decoding: bytes, as: UTF8.self))
  }

  /// Passes over a string without materialising it.
  @inline(__always)
  mutating func skipString() throws(GGUFError) {
    let length = try stringLength(limit: limits.maxStringLength)
    try skip(length)
  }

  mutating func skip(_ count: UInt64) throws(GGUFError) {
    let at = source.offset
    if let remaining = source.remaining, count > remaining {
      throw error(.truncated(needed: count, available: remaining), at: at)
    }
    let passed = source.skip(count)
    if passed < count { throw error(.truncated(needed: count, available: passed), at: at) }
  }
}
