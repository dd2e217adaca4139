import Foundation
import Glibc
import Synchronization
import Testing
@testable import ContextAudit

/// The same parser over files, memory and streams; what files skip is never read.
@Suite struct GGUFSourceTests {
  let path = ArtifactPath("m.gguf")

  /// A temporary directory removed when the test ends.
  final class TempDir {
    let url: URL
    init() throws {
      url = FileManager.default.temporaryDirectory.appendingPathComponent("ctxaudit-gguf-" + UUID().uuidString)
      try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(at: url) }
    func file(_ name: String) -> String { url.appendingPathComponent(name).path }
  }

  func write(_ bytes: [UInt8], to file: String) throws {
    try Data(bytes).write(to: URL(fileURLWithPath: file))
  }

  func openSource(_ file: String) throws -> FileByteSource {
    let (fd, size) = try FileReading.openRegular(file, display: path)
    return FileByteSource(fd: fd, size: size, closeOnDeinit: true)
  }

  /// A header with a 20,000-token vocabulary and a key after it.
  func vocabulary(_ count: Int) -> (bytes: [UInt8], nameOffset: UInt64) {
    var b = GGUFBytes(kvCount: 3)
    b.kvString("general.architecture", "llama")
    b.kvStringArray("tokenizer.ggml.tokens", count: count, prefix: "\u{0120}token_")
    let nameOffset = UInt64(b.count)
    b.kvString("general.name", "after the vocabulary")
    return (b.bytes, nameOffset)
  }

  @Test func skipsA20000EntryStringArrayFromEverySource() throws {
    let (bytes, nameOffset) = vocabulary(20_000)
    #expect(bytes.count > 4 * ByteSourceWindow.size)
    var memory = MemoryByteSource(bytes)
    let fromMemory = GGUFParser.parse(&memory, path: path)
    #expect(fromMemory.error == nil)
    let byKey = Dictionary(fromMemory.facts.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
    #expect(byKey["gguf.vocab_size"]?.value == 20_000)
    #expect(byKey["gguf.kv.tokenizer.ggml.tokens"]?.value == .object(["type": "array", "element_type": "STRING", "count": 20_000]))
    #expect(byKey["gguf.kv.general.name"]?.value == "after the vocabulary")
    #expect(byKey["gguf.kv.general.name"]?.location.offset == nameOffset)

    let dir = try TempDir()
    try write(bytes, to: dir.file("vocab.gguf"))
    var file = try openSource(dir.file("vocab.gguf"))
    #expect(GGUFParser.parse(&file, path: path).facts == fromMemory.facts)

    for chunk in [1, 4093, 70_000] {
      var stream = StreamByteSource(size: nil, readChunk: GGUFErrorTests.chunks(of: bytes, size: chunk))
      let fromStream = GGUFParser.parse(&stream, path: path)
      #expect(fromStream.facts.filter { $0.key != "gguf.file_size" } == fromMemory.facts.filter { $0.key != "gguf.file_size" })
      #expect(stream.bytesRead == UInt64(bytes.count))
    }
  }

  @Test func sparseMultiGigabyteFileIsReadWithoutReadingTheData() throws {
    let ropeAt: UInt64 = 3 << 30
    var b = GGUFBytes(tensorCount: 2, kvCount: 2)
    b.kvString("general.architecture", "llama")
    b.kvU32("llama.context_length", 131072)
    b.tensorInfo("token_embd.weight", dims: [4096, 128256], type: 1, offset: 0)
    b.tensorInfo("rope_freqs.weight", dims: [64], type: 0, offset: ropeAt)
    b.pad(to: 32)
    let dataOffset = UInt64(b.count)
    let dir = try TempDir()
    let file = dir.file("sparse.gguf")
    try write(b.bytes, to: file)
    let fd = open(file, O_RDWR)
    #expect(fd >= 0)
    let size: UInt64 = 4 << 30
    #expect(ftruncate(fd, off_t(size)) == 0)
    var factors = GGUFBytes(version: 0)
    factors.bytes = []
    for k in 0..<64 { factors.f32(k < 35 ? 1 : 8) }
    let written = factors.bytes.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, off_t(dataOffset + ropeAt)) }
    #expect(written == 256)
    close(fd)

    var source = try openSource(file)
    let header = try GGUFParser.readHeader(&source, path: path)
    #expect(header.fileSize == size)
    #expect(header.dataOffset == dataOffset)
    #expect(header.tensor("rope_freqs.weight")?.values?[34] == 1)
    #expect(header.tensor("rope_freqs.weight")?.values?[35] == 8)
    #expect(source.bytesRead <= 2 * UInt64(ByteSourceWindow.size))
    #expect(source.readCalls <= 2)
  }

  @Test func streamReadsRopeTensorsOnlyWithinTheForwardLimit() throws {
    let bytes = try Paths.fixtureBytes("gguf/llama3-8b-rope-freqs.gguf")
    var near = StreamByteSource(size: UInt64(bytes.count), readChunk: GGUFErrorTests.chunks(of: bytes, size: 1000))
    let header = try GGUFParser.readHeader(&near, path: path)
    #expect(header.tensor("rope_freqs.weight")?.values?[35] == 8)

    var limits = GGUFLimits()
    limits.maxForwardReadToRopeTensor = 0
    var far = StreamByteSource(size: UInt64(bytes.count), readChunk: GGUFErrorTests.chunks(of: bytes, size: 1000))
    let (partial, error) = GGUFParser.readPartialHeader(&far, path: path, limits: limits)
    #expect(error == nil)
    #expect(partial.tensorInfosEnd < partial.dataOffset)
    #expect(partial.tensor("rope_freqs.weight")?.values == nil)
    let facts = GGUFParser.facts(of: partial, path: path)
    #expect(facts.first { $0.key == "gguf.tensor.rope_freqs.weight" }?.value == .null)
    #expect(facts.first { $0.key == "gguf.tensor.rope_freqs.weight.dims" }?.value == .array([64]))
  }

  @Test func ropeTensorPastTheEndOfTheFileHasNoValues() throws {
    var b = GGUFBytes(tensorCount: 1)
    b.tensorInfo("rope_factors_long.weight", dims: [48], type: 0, offset: 0)
    b.pad(to: 32)
    b.f32(1.5)  // 4 of the 192 bytes
    var source = MemoryByteSource(b.bytes)
    let (header, error) = GGUFParser.readPartialHeader(&source, path: path)
    #expect(error == nil)
    #expect(header.section == .ropeTensors)
    #expect(header.tensor("rope_factors_long.weight")?.values == nil)
  }

  @Test func fileSourceClosesItsDescriptorExactlyOnce() throws {
    let closes = Mutex<[Int32]>([])
    do {
      let source = FileByteSource(fd: 1234, size: 0, closeOnDeinit: true, closer: { fd in closes.withLock { $0.append(fd) } })
      var copy = source
      #expect(copy.skip(10) == 0)
      _ = consume source
      #expect(closes.withLock { $0 }.isEmpty)
    }
    #expect(closes.withLock { $0 } == [1234])
    do {
      _ = FileByteSource(fd: 99, size: 0, closeOnDeinit: false, closer: { fd in closes.withLock { $0.append(fd) } })
    }
    #expect(closes.withLock { $0 } == [1234])
  }

  @Test func artifactReaderGivesTheSameFactsFromFileAndMemory() throws {
    let names = try FileManager.default.contentsOfDirectory(atPath: Paths.fixture("gguf")).filter { $0.hasSuffix(".gguf") }.sorted()
    #expect(names.count >= 25)
    let reader = ArtifactReader()
    for name in names {
      let display = ArtifactPath("gguf/" + name)
      let fromFile = reader.read(filePath: Paths.fixture("gguf/" + name), display: display, kind: .gguf)
      let fromMemory = reader.parse(bytes: try Paths.fixtureBytes("gguf/" + name), path: display, kind: .gguf)
      #expect(fromFile.facts == fromMemory.facts, "\(name)")
      #expect(fromFile.error == fromMemory.error, "\(name)")
    }
  }
}
