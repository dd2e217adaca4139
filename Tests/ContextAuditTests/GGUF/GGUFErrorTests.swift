import Testing
@testable import ContextAudit

/// Each invalid input fails with its own reason at the byte offset of the problem.
@Suite struct GGUFErrorTests {
  let path = ArtifactPath("bad.gguf")

  func failure(_ bytes: [UInt8], limits: GGUFLimits = .default) -> (GGUFHeader, GGUFError?) {
    var source = MemoryByteSource(bytes)
    return GGUFParser.readPartialHeader(&source, path: path, limits: limits)
  }

  func fixtureFailure(_ name: String) throws -> GGUFError? {
    var source = MemoryByteSource(try Paths.fixtureBytes("gguf/" + name))
    return GGUFParser.readPartialHeader(&source, path: path).error
  }

  func at(_ offset: UInt64) -> ContextAudit.SourceLocation { ContextAudit.SourceLocation(path: path, offset: offset) }

  @Test(arguments: [
    ("bad-magic.gguf", GGUFError.Reason.badMagic(found: Array("GGML".utf8)), UInt64(0)),
    ("config-json-named.gguf", .badMagic(found: Array("{\n  ".utf8)), 0),
    ("empty.gguf", .emptyFile, 0),
    ("version-1.gguf", .unsupportedVersion(1), 4),
    ("version-4.gguf", .unsupportedVersion(4), 4),
    ("truncated-in-kv-string.gguf", .truncated(needed: 5, available: 2), 64),
    ("huge-string-length.gguf", .stringTooLong(length: 1 << 40, limit: 64 << 20), 56),
    ("huge-kv-count.gguf", .tooManyItems(what: "key/value", count: 1 << 62, limit: 1 << 16), 16),
    ("nested-array.gguf", .nestedArray(key: "t.nested"), 44),
    ("unknown-value-type.gguf", .unknownValueType(13, key: "t.weird"), 39),
    ("invalid-bool.gguf", .invalidBool(2, key: "llama.rope.scaling.finetuned"), 64),
    ("bad-alignment.gguf", .badAlignment(.uint32(3)), 24),
  ])
  func brokenFixtureFailsAtItsOffset(name: String, reason: GGUFError.Reason, offset: UInt64) throws {
    #expect(try fixtureFailure(name) == GGUFError(reason, at: at(offset)))
  }

  @Test func messagesNameTheValueAndTheExpectation() throws {
    #expect(try fixtureFailure("version-1.gguf")?.message == "GGUF version 1 is not supported (expected 2 or 3)")
    #expect(try fixtureFailure("bad-magic.gguf")?.message == "not a GGUF file: magic is \"GGML\", expected \"GGUF\"")
    #expect(try fixtureFailure("nested-array.gguf")?.message == "array of arrays in key 't.nested' (ggml rejects nested arrays)")
    #expect(try fixtureFailure("bad-alignment.gguf")?.message == "general.alignment is UINT32 3 (expected a UINT32 power of two)")
    #expect(try fixtureFailure("truncated-in-kv-string.gguf")?.oneLine == "bad.gguf at byte 64: GGUF file is truncated: 5 bytes needed, 2 available")
  }

  @Test func readHeaderThrowsTheSameError() throws {
    var source = MemoryByteSource(try Paths.fixtureBytes("gguf/version-4.gguf"))
    #expect(throws: GGUFError(.unsupportedVersion(4), at: at(4))) {
      _ = try GGUFParser.readHeader(&source, path: path)
    }
  }

  @Test func unsupportedVersionStillReportsTheVersionFact() throws {
    var source = MemoryByteSource(try Paths.fixtureBytes("gguf/version-1.gguf"))
    let result = GGUFParser.parse(&source, path: path)
    #expect(result.error?.location.offset == 4)
    #expect(result.facts.map(\.key) == ["gguf.file_size", "gguf.header.version", "gguf.header.byte_order"])
    #expect(result.facts[1].value == 1)
  }

  @Test func truncatedFileKeepsTheFactsBeforeTheCut() throws {
    let bytes = Array(try Paths.fixtureBytes("gguf/llama3-8b-rope-freqs.gguf")[..<700])
    var source = MemoryByteSource(bytes)
    let result = GGUFParser.parse(&source, path: path)
    // tokenizer.ggml.pre starts at 680: its 18-byte key starts at 688, 12 bytes remain.
    #expect(result.error == ParseFailure(GGUFError(.truncated(needed: 18, available: 12), at: at(688))))
    let kvs = result.facts.filter { $0.key.hasPrefix("gguf.kv.") }
    #expect(kvs.count == 16)
    #expect(kvs.last?.key == "gguf.kv.tokenizer.ggml.model" && kvs.last?.location.offset == 636)
    #expect(result.facts.contains { $0.key == "gguf.kv.llama.context_length" && $0.value == 131072 })
    #expect(!result.facts.contains { $0.key == "gguf.header.data_offset" })
  }

  @Test func hugeStringLengthIsCheckedAgainstTheBytesLeftBeforeAllocating() throws {
    var limits = GGUFLimits()
    limits.maxStringLength = .max
    let (header, error) = failure(try Paths.fixtureBytes("gguf/huge-string-length.gguf"), limits: limits)
    #expect(error == GGUFError(.truncated(needed: 1 << 40, available: 5), at: at(64)))
    #expect(header.section == .counts)
  }

  @Test func hugeTensorCountFailsAtOffset8() {
    var b = GGUFBytes(tensorCount: 1 << 62, kvCount: 0)
    b.tensorInfo("a", dims: [1], type: 0, offset: 0)
    #expect(failure(b.bytes).1 == GGUFError(.tooManyItems(what: "tensor", count: 1 << 62, limit: 1 << 22), at: at(8)))
  }

  @Test func hugeArrayCountFailsAtTheCount() {
    var b = GGUFBytes(kvCount: 1)
    b.key("tokenizer.ggml.tokens", type: 9)  // key at 24, type at 53
    b.u32(8)  // element type at 57
    b.u64(1 << 61)  // count at 61
    b.string("a")
    #expect(failure(b.bytes).1 == GGUFError(.tooManyItems(what: "array element", count: 1 << 61, limit: 1 << 32), at: at(61)))
  }

  @Test func countLargerThanTheFileIsReadUntilTheCut() throws {
    var b = GGUFBytes(kvCount: 1000)
    b.kvString("general.architecture", "llama")
    b.kvU32("llama.context_length", 4096)  // 69 + 8 + 20 + 4 + 4: ends at 105
    let (header, error) = failure(b.bytes)
    #expect(error == GGUFError(.truncated(needed: 8, available: 0), at: at(105)))
    #expect(header.keyValues.map(\.key) == ["general.architecture", "llama.context_length"])
    var array = GGUFBytes(kvCount: 1)
    array.key("tokenizer.ggml.scores", type: 9)  // key at 24, element type at 57, count at 61, data at 69
    array.u32(6)
    array.u64(150_000)
    array.f32(0)
    #expect(failure(array.bytes).1 == GGUFError(.truncated(needed: 600_000, available: 4), at: at(69)))
  }

  @Test func rejectsEmptyAndDuplicateKeys() {
    var empty = GGUFBytes(kvCount: 1)
    empty.kvU32("", 1)
    #expect(failure(empty.bytes).1 == GGUFError(.emptyKey, at: at(24)))
    var twice = GGUFBytes(kvCount: 2)
    twice.kvU32("llama.context_length", 4096)  // 24 + 8 + 20 + 4 + 4 = 60
    twice.kvU32("llama.context_length", 131072)
    let (header, error) = failure(twice.bytes)
    #expect(error == GGUFError(.duplicateKey("llama.context_length"), at: at(60)))
    #expect(header.keyValues.count == 1)
  }

  @Test func alignmentMustBeUInt32() {
    var b = GGUFBytes(kvCount: 1)
    b.key("general.alignment", type: 10)
    b.u64(32)
    #expect(failure(b.bytes).1 == GGUFError(.badAlignment(.uint64(32)), at: at(24)))
    var zero = GGUFBytes(kvCount: 1)
    zero.kvU32("general.alignment", 0)
    #expect(failure(zero.bytes).1 == GGUFError(.badAlignment(.uint32(0)), at: at(24)))
  }

  @Test func rejectsBadTensorInfos() {
    var five = GGUFBytes(tensorCount: 1)
    five.tensorInfo("blk.0.attn_q.weight", dims: [1, 1, 1, 1, 1], type: 0, offset: 0)  // n_dims at 24 + 8 + 19
    #expect(failure(five.bytes).1 == GGUFError(.tooManyDimensions(name: "blk.0.attn_q.weight", count: 5), at: at(51)))

    var overflow = GGUFBytes(tensorCount: 1)
    overflow.tensorInfo("t", dims: [1 << 32, 1 << 32], type: 0, offset: 0)
    #expect(failure(overflow.bytes).1 == GGUFError(.tensorDimsInvalid(name: "t", dims: [1 << 32, 1 << 32]), at: at(33)))

    let long = String(repeating: "x", count: 64)
    var named = GGUFBytes(tensorCount: 1)
    named.tensorInfo(long, dims: [1], type: 0, offset: 0)
    #expect(failure(named.bytes).1 == GGUFError(.tensorNameTooLong(name: long, length: 64), at: at(24)))

    var twice = GGUFBytes(tensorCount: 2)
    twice.tensorInfo("t", dims: [1], type: 0, offset: 0)  // 24 + 8 + 1 + 4 + 8 + 4 + 8 = 57
    twice.tensorInfo("t", dims: [1], type: 0, offset: 32)
    #expect(failure(twice.bytes).1 == GGUFError(.duplicateTensorName("t"), at: at(57)))
  }

  @Test func bigEndianErrorsUseTheSameOffsets() {
    let v1 = GGUFBytes(version: 1, kvCount: 1, bigEndian: true)
    let (header, error) = failure(v1.bytes)
    #expect(header.byteOrder == .big)
    #expect(error == GGUFError(.unsupportedVersion(1), at: at(4)))
    var b = GGUFBytes(kvCount: 1, bigEndian: true)
    b.key("llama.rope.scaling.finetuned", type: 7)
    b.u8(2)
    #expect(failure(b.bytes).1 == GGUFError(.invalidBool(2, key: "llama.rope.scaling.finetuned"), at: at(64)))
  }

  @Test func truncationInsideTheFixedHeader() {
    #expect(failure(Array("GG".utf8)).1 == GGUFError(.truncated(needed: 4, available: 2), at: at(0)))
    let cut = Array(GGUFBytes().bytes[..<13])
    #expect(failure(cut).1 == GGUFError(.truncated(needed: 8, available: 5), at: at(8)))
  }

  @Test func streamOfUnknownSizeReportsWhatWasAvailable() throws {
    let bytes = try Paths.fixtureBytes("gguf/truncated-in-kv-string.gguf")
    var source = StreamByteSource(size: nil, readChunk: Self.chunks(of: bytes, size: 7))
    let (header, error) = GGUFParser.readPartialHeader(&source, path: path)
    #expect(error == GGUFError(.truncated(needed: 5, available: 2), at: at(64)))
    #expect(header.kvCount == 1)
  }

  @Test func streamOfUnknownSizeDoesNotTrustALongStringLength() {
    var b = GGUFBytes(kvCount: 1)
    b.key("general.architecture", type: 8)
    b.u64(60 << 20)  // under the 64 MiB limit, but only 5 bytes follow
    b.bytes += Array("llama".utf8)
    var source = StreamByteSource(size: nil, readChunk: Self.chunks(of: b.bytes, size: 16))
    let (_, error) = GGUFParser.readPartialHeader(&source, path: path)
    #expect(error == GGUFError(.truncated(needed: 60 << 20, available: 5), at: at(64)))
  }

  @Test func arrayByteSizeOverflowIsAnError() {
    var b = GGUFBytes(kvCount: 1)
    b.key("t.big", type: 9)  // key at 24, type at 37, element type at 41, count at 45
    b.u32(10)
    b.u64(1 << 62)
    var limits = GGUFLimits()
    limits.maxArrayCount = .max
    var source = StreamByteSource(size: nil, readChunk: Self.chunks(of: b.bytes, size: 64))
    let (_, error) = GGUFParser.readPartialHeader(&source, path: path, limits: limits)
    #expect(error == GGUFError(.tooManyItems(what: "array element", count: 1 << 62, limit: .max / 8), at: at(45)))
  }

  @Test(arguments: [("custom-alignment-64.gguf", 1, "rope_freqs.weight", 64), ("phi3-mini-128k-longrope.gguf", 7, "rope_factors_short.weight", 96)])
  func cutsOfARealFileFailCleanlyAtOrBeforeTheCut(name: String, stride step: Int, lastRope: String, ropeEnd: Int) throws {
    let bytes = try Paths.fixtureBytes("gguf/" + name)
    var full = MemoryByteSource(bytes)
    let header = try GGUFParser.readHeader(&full, path: path)
    for cut in Swift.stride(from: 0, to: bytes.count, by: step) {
      var source = MemoryByteSource(Array(bytes[..<cut]))
      let (partial, error) = GGUFParser.readPartialHeader(&source, path: path)
      if UInt64(cut) < header.tensorInfosEnd {
        let reason = try #require(error?.reason, "cut \(cut)")
        if cut == 0 {
          #expect(reason == .emptyFile)
        } else {
          guard case .truncated = reason else {
            Issue.record("cut \(cut): \(reason)")
            continue
          }
        }
        #expect((error?.offset ?? .max) <= UInt64(cut), "cut \(cut)")
        #expect(partial.keyValues.count <= header.keyValues.count)
      } else {
        #expect(error == nil, "cut \(cut)")
        #expect(partial.dataOffset == header.dataOffset)
        // The last RoPE tensor's data ends `ropeEnd` floats after the data offset.
        let complete = UInt64(cut) >= header.dataOffset + UInt64(ropeEnd) * 4
        #expect((partial.tensor(lastRope)?.values != nil) == complete, "cut \(cut)")
      }
    }
  }

  @Test func flippedBytesNeverCrashTheReader() throws {
    let bytes = try Paths.fixtureBytes("gguf/llama3-8b-rope-freqs.gguf")
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    var failures = 0
    for _ in 0..<3000 {
      var copy = bytes
      for _ in 0..<3 {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        copy[Int((state >> 33) % UInt64(copy.count))] = UInt8(truncatingIfNeeded: state >> 17)
      }
      var source = MemoryByteSource(copy)
      let result = GGUFParser.parse(&source, path: path)
      if let error = result.error {
        failures += 1
        #expect(error.location.offset.map { $0 <= UInt64(copy.count) } == true)
        #expect(!error.message.isEmpty && !error.message.hasSuffix("."))
      }
    }
    #expect(failures > 0)
  }

  /// A stream that hands out `bytes` in pieces of at most `size` bytes.
  static func chunks(of bytes: [UInt8], size: Int) -> (UnsafeMutableRawBufferPointer) -> Int {
    var position = 0
    return { buffer in
      let n = min(size, buffer.count, bytes.count - position)
      guard n > 0 else { return 0 }
      bytes.withUnsafeBytes { src in
        buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: src[position..<(position + n)]))
      }
      position += n
      return n
    }
  }
}
