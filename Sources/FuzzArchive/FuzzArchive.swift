import ContextAudit
import FuzzSupport

// libFuzzer target: ArchiveReader over an archive held in memory (any format and filter
// libarchive reads: tar, zip, 7z, cpio, gzip, xz, zstd, bzip2, ...).
//
// Invariants:
// - every member's path is `<display>!/<member>` where the member name is non-empty, relative,
//   and has no empty, `.` or `..` segment (a hostile name cannot point outside the archive);
// - each member's kind is the one its file name suggests, and its facts and error carry the
//   member's path, 1-based lines and columns, and (text members) offsets within the text limit;
// - an archive-level error carries the archive's path and a message.
// libarchive itself is not instrumented for coverage; AddressSanitizer still watches the
// memory it reads from and the buffers it fills.
// A plain `swift build` links this file as a harmless executable that does nothing.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzArchive(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  let bytes = FuzzCheck.bytes(data, size)
  let display = ArtifactPath("fuzz/model.tar")
  let reader = ArchiveReader()
  let contents = reader.read(bytes: bytes, display: display)

  let prefix = display.value + "!/"
  FuzzCheck.require(contents.artifacts.count <= reader.limits.maxEntries, "\(contents.artifacts.count) members")
  for artifact in contents.artifacts {
    let path = artifact.path.value
    FuzzCheck.require(path.hasPrefix(prefix), "member path \(path) outside the archive")
    let member = String(path.dropFirst(prefix.count))
    let segments = member.split(separator: "/", omittingEmptySubsequences: false)
    FuzzCheck.require(
      !member.isEmpty && !segments.contains { $0.isEmpty || $0 == "." || $0 == ".." }, "member name \(member) not normalised")
    let expected = ArtifactKind.detect(fileName: artifact.path.fileName)
    FuzzCheck.require(expected == artifact.kind, "member \(member) read as \(artifact.kind)")

    let offsetLimit: UInt64 =
      artifact.kind == .gguf ? reader.limits.maxGGUFHeaderBytes : UInt64(reader.limits.maxTextMemberBytes)
    let locations = artifact.facts.map(\.location) + (artifact.error.map { [$0.location] } ?? [])
    for location in locations {
      FuzzCheck.require(location.path == artifact.path, "location path \(location.path) in member \(member)")
      if let line = location.line { FuzzCheck.require(line >= 1, "line \(line) in member \(member)") }
      if let column = location.column {
        FuzzCheck.require(column >= 1 && location.line != nil, "column \(column) in member \(member)")
      }
      if let offset = location.offset { FuzzCheck.require(offset <= offsetLimit, "offset \(offset) in member \(member)") }
    }
    if let error = artifact.error { FuzzCheck.require(!error.message.isEmpty, "member \(member): empty error message") }
  }
  if let error = contents.error {
    // The pass-ending error is placed on the archive, or on the member being read when it broke.
    let path = error.location.path.value
    FuzzCheck.require(
      path == display.value || path.hasPrefix(display.value + "!/"), "archive error at \(error.location.path)")
    FuzzCheck.require(!error.message.isEmpty, "archive error with an empty message")
  }
  return 0
}
