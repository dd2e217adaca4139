import Foundation
import Testing
@testable import ContextAudit

/// Times the header read of a big-vocabulary file made by `make_fixtures.py --bench DIR`.
///
/// Runs only when `CTXAUDIT_GGUF_BENCH` names that file, for example:
/// `CTXAUDIT_GGUF_BENCH=/tmp/bench/vocab-150k.gguf swift test -c release -Xswiftc -enable-testing --filter GGUFBenchmarkTests`
@Suite struct GGUFBenchmarkTests {
  static let file = ProcessInfo.processInfo.environment["CTXAUDIT_GGUF_BENCH"]

  @Test(.enabled(if: file != nil)) func timesA150kVocabularyHeader() throws {
    let file = try #require(Self.file)
    var best = Duration.seconds(1000)
    var facts: [Fact] = []
    var bytesRead: UInt64 = 0
    var viaReader = Duration.seconds(1000)
    for _ in 0..<10 {
      let clock = ContinuousClock()
      let start = clock.now
      // ArtifactReader calls the parser inside the module, with the concrete FileByteSource.
      facts = ArtifactReader().read(filePath: file, display: ArtifactPath("bench.gguf"), kind: .gguf).facts
      viaReader = min(viaReader, clock.now - start)
    }
    #expect(facts.first { $0.key == "gguf.vocab_size" }?.value == 150_000)
    for _ in 0..<10 {
      let clock = ContinuousClock()
      let start = clock.now
      let (fd, size) = try FileReading.openRegular(file, display: ArtifactPath("bench.gguf"))
      var source = FileByteSource(fd: fd, size: size, closeOnDeinit: true)
      facts = GGUFParser.parse(&source, path: ArtifactPath("bench.gguf")).facts
      best = min(best, clock.now - start)
      bytesRead = source.bytesRead
    }
    #expect(facts.first { $0.key == "gguf.vocab_size" }?.value == 150_000)
    #expect(facts.first { $0.key == "gguf.tensor.rope_freqs.weight" }?.value.arrayValue?.count == 64)
    print("GGUF header read, 150k vocabulary: best of 10 \(viaReader) via ArtifactReader, \(best) via the generic entry point, \(bytesRead) bytes read")
  }
}
