import Glibc
import ContextAudit

// In-process GGUF header read, for scripts/bench.py (BENCHMARKS.md): reads FILE ten times through
// ArtifactReader, as `scan` and `inspect` do, and prints one line:
//   best_ms=<best of 10> bytes_read=<bytes pread> facts=<facts read> vocab_size=<gguf.vocab_size>
// Exit 2 when the file cannot be read as a GGUF.
let arguments = CommandLine.arguments
guard arguments.count == 2 else {
  print("usage: BenchGGUF FILE.gguf")
  exit(64)
}
let path = arguments[1]
let display = ArtifactPath("bench.gguf")
var best = Duration.seconds(1_000)
var artifact = ParsedArtifact(path: display, kind: .gguf, facts: [])
for _ in 0..<10 {
  let clock = ContinuousClock()
  let start = clock.now
  artifact = ArtifactReader().read(filePath: path, display: display, kind: .gguf)
  best = min(best, clock.now - start)
}
if let error = artifact.error {
  print("BenchGGUF: \(error.oneLine)")
  exit(2)
}
var bytesRead: UInt64 = 0
do {
  let (fd, size) = try FileReading.openRegular(path, display: display)
  var source = FileByteSource(fd: fd, size: size, closeOnDeinit: true)
  _ = GGUFParser.parse(&source, path: display)
  bytesRead = source.bytesRead
} catch {
  print("BenchGGUF: \(error)")
  exit(2)
}
let (seconds, attoseconds) = best.components
let milliseconds = Double(seconds) * 1_000 + Double(attoseconds) / 1e15
let vocab = artifact.facts.first { $0.key == "gguf.vocab_size" }?.value.intValue.map(String.init) ?? "unknown"
print("best_ms=\(milliseconds) bytes_read=\(bytesRead) facts=\(artifact.facts.count) vocab_size=\(vocab)")
