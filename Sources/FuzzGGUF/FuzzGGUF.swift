import ContextAudit
import FuzzSupport

// libFuzzer target: GGUFParser over MemoryByteSource and StreamByteSource.
//
// Each input is read three times: from memory (seekable, size known), as a stream of known
// size delivered in small uneven chunks (as a tar member arrives from libarchive), and as a
// stream of unknown size (a zip member without a size). Invariants:
// - all three agree on the header (section reached, version, byte order, counts, every key
//   and value with its offsets, every tensor info, alignment and data offset) and on the error;
//   only the RoPE tensor values may differ (a stream cannot go back for overlapping tensors);
// - offsets of keys, values, tensor infos and errors never pass the input; a `.truncated`
//   error has fewer bytes available than needed;
// - `GGUFParser.parse` gives facts and an error with the artifact path and good offsets.
// A plain `swift build` links this file as a harmless executable that does nothing.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzGGUF(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  let bytes = FuzzCheck.bytes(data, size)
  let bounds = InputBounds(bytes)
  let path = ArtifactPath("fuzz/model.gguf")

  var memory = MemoryByteSource(bytes)
  let fromMemory = GGUFParser.readPartialHeader(&memory, path: path)
  FuzzCheck.require(memory.offset <= UInt64(bytes.count), "memory source offset \(memory.offset) past the end")
  check(fromMemory.header, fromMemory.error, bounds: bounds, path: path)

  // Chunk sizes 1...61 taken from the input's length, so a crash reproduces from the file alone.
  let chunk = 1 + bytes.count % 61
  var known = StreamByteSource(size: UInt64(bytes.count), readChunk: ChunkFeeder(bytes, chunk: chunk).read)
  let fromKnown = GGUFParser.readPartialHeader(&known, path: path)
  FuzzCheck.require(known.offset <= UInt64(bytes.count), "stream offset \(known.offset) past the end")
  compare(fromMemory, fromKnown, "stream of known size (chunk \(chunk))", sameFileSize: true)

  var unknown = StreamByteSource(size: nil, readChunk: ChunkFeeder(bytes, chunk: 4096 + chunk).read)
  let fromUnknown = GGUFParser.readPartialHeader(&unknown, path: path)
  FuzzCheck.require(unknown.offset <= UInt64(bytes.count), "stream offset \(unknown.offset) past the end")
  compare(fromMemory, fromUnknown, "stream of unknown size", sameFileSize: false)

  var again = MemoryByteSource(bytes)
  let parsed = GGUFParser.parse(&again, path: path)
  bounds.check(parsed, path: path, kind: .gguf)
  return 0
}

/// Hands out the input `chunk` bytes at a time, as a libarchive member stream would.
private final class ChunkFeeder {
  let bytes: [UInt8]
  let chunk: Int
  var position = 0

  init(_ bytes: [UInt8], chunk: Int) {
    self.bytes = bytes
    self.chunk = chunk
  }

  func read(_ buffer: UnsafeMutableRawBufferPointer) -> Int {
    let n = min(chunk, buffer.count, bytes.count - position)
    guard n > 0, let target = buffer.baseAddress else { return 0 }
    bytes.withUnsafeBytes { source in
      if let base = source.baseAddress { target.copyMemory(from: base + position, byteCount: n) }
    }
    position += n
    return n
  }
}

private func check(_ header: GGUFHeader, _ error: GGUFError?, bounds: InputBounds, path: ArtifactPath) {
  let size = UInt64(bounds.byteCount)
  for kv in header.keyValues {
    FuzzCheck.require(!kv.key.isEmpty, "an empty key was kept")
    FuzzCheck.require(kv.offset < kv.valueOffset && kv.valueOffset <= size, "key \(kv.key): offsets \(kv.offset), \(kv.valueOffset)")
    if case .array(_, let values) = kv.value {
      FuzzCheck.require(values.count <= 1024, "key \(kv.key): \(values.count) array values kept")
    }
  }
  for tensor in header.tensors {
    FuzzCheck.require(tensor.infoOffset < size, "tensor \(tensor.name): info offset \(tensor.infoOffset)")
    FuzzCheck.require(tensor.dims.count <= 4, "tensor \(tensor.name): \(tensor.dims.count) dims")
    if let values = tensor.values {
      FuzzCheck.require(UInt64(values.count) == tensor.elementCount, "tensor \(tensor.name): \(values.count) values")
    }
  }
  if header.section >= .tensorInfos {
    FuzzCheck.require(header.tensorInfosEnd <= size, "tensor infos end \(header.tensorInfosEnd) past the input")
    FuzzCheck.require(header.dataOffset >= header.tensorInfosEnd, "data offset before the end of the tensor infos")
    FuzzCheck.require(header.dataOffset % UInt64(header.alignment) == 0, "data offset \(header.dataOffset) not aligned")
  }
  if let error {
    bounds.check(error, path: path)
    FuzzCheck.require(error.location.offset != nil, "GGUF error without an offset: \(error.message)")
    if case .truncated(let needed, let available) = error.reason {
      FuzzCheck.require(available < needed, "truncated with \(available) of \(needed) bytes available")
    }
  } else {
    FuzzCheck.require(header.section == .ropeTensors, "no error, yet the header stopped at \(header.section)")
  }
}

/// Everything two reads of the same bytes must agree on (not the RoPE tensor values).
private func compare(
  _ a: (header: GGUFHeader, error: GGUFError?), _ b: (header: GGUFHeader, error: GGUFError?), _ what: String,
  sameFileSize: Bool
) {
  let x = a.header
  let y = b.header
  FuzzCheck.require(x.section == y.section, "\(what): section \(y.section), memory \(x.section)")
  FuzzCheck.require(
    x.version == y.version && x.byteOrder == y.byteOrder && x.tensorCount == y.tensorCount && x.kvCount == y.kvCount,
    "\(what): fixed header differs")
  // A NaN value is not equal to itself; only then are the printed forms compared (slow).
  FuzzCheck.require(x.keyValues == y.keyValues || "\(x.keyValues)" == "\(y.keyValues)", "\(what): key/values differ")
  FuzzCheck.require(
    x.tensors.count == y.tensors.count
      && zip(x.tensors, y.tensors).allSatisfy { a, b in
        a.name == b.name && a.dims == b.dims && a.type == b.type && a.relativeOffset == b.relativeOffset
          && a.infoOffset == b.infoOffset
      }, "\(what): tensor infos differ")
  FuzzCheck.require(
    x.alignment == y.alignment && x.dataOffset == y.dataOffset && x.tensorInfosEnd == y.tensorInfosEnd,
    "\(what): alignment or data offset differs")
  if sameFileSize { FuzzCheck.require(x.fileSize == y.fileSize, "\(what): file size differs") }
  // Compared as text too: a `badAlignment(.float32(.nan))` is not equal to itself.
  FuzzCheck.require(
    a.error == b.error || a.error.map { "\($0)" } == b.error.map { "\($0)" }, "\(what): error \(b.error.map(\.oneLine) ?? "none"), memory \(a.error.map(\.oneLine) ?? "none")")
}
