import CLibArchive

/// Limits on reading archives; every one is enforced while streaming.
public struct ArchiveLimits: Hashable, Sendable {
  /// Most bytes one text member (config, card, manifest) may decompress to before it is refused.
  public var maxTextMemberBytes: Int
  /// Most entries examined in one archive.
  public var maxEntries: Int
  /// Most bytes a GGUF member's header may take.
  public var maxGGUFHeaderBytes: UInt64

  public init(maxTextMemberBytes: Int = 16 << 20, maxEntries: Int = 1_000_000, maxGGUFHeaderBytes: UInt64 = 512 << 20) {
    self.maxTextMemberBytes = maxTextMemberBytes
    self.maxEntries = maxEntries
    self.maxGGUFHeaderBytes = maxGGUFHeaderBytes
  }

  public static let `default` = ArchiveLimits()
}

/// An archive-level error (not a member's parse error).
public struct ArchiveError: Error, Hashable, Sendable, LocatedError {
  public var location: SourceLocation
  public var message: String
}

/// File-name suffixes read as archives.
public enum ArchiveFormat {
  public static let suffixes = [
    ".tar", ".tar.gz", ".tgz", ".tar.xz", ".txz", ".tar.zst", ".tzst", ".tar.bz2", ".tbz2", ".zip", ".7z",
    ".llamafile",
  ]

  public static func isArchive(fileName: String) -> Bool {
    let lower = fileName.lowercased()
    return suffixes.contains { lower.hasSuffix($0) }
  }
}

/// One open libarchive reader; owns the C handle and frees it exactly once.
final class ArchiveHandle {
  let pointer: OpaquePointer
  /// A private copy of the archive's bytes when it is read from memory; libarchive reads from
  /// it until the handle is freed, so it is released after `archive_read_free`.
  private let memory: UnsafeMutableRawBufferPointer?

  init?(path: String, blockSize: Int = 64 * 1024) {
    guard let a = archive_read_new() else { return nil }
    archive_read_support_filter_all(a)
    archive_read_support_format_all(a)
    // Refuse archives that are not archives instead of reading them as one raw member.
    guard archive_read_open_filename(a, path, blockSize) == ARCHIVE_OK else {
      archive_read_free(a)
      return nil
    }
    pointer = a
    memory = nil
  }

  /// Opens an archive held in memory (`archive_read_open_memory`); the bytes are copied.
  init?(bytes: [UInt8]) {
    guard let a = archive_read_new() else { return nil }
    archive_read_support_filter_all(a)
    archive_read_support_format_all(a)
    let copy = UnsafeMutableRawBufferPointer.allocate(byteCount: max(bytes.count, 1), alignment: 16)
    bytes.withUnsafeBytes { source in
      if let base = source.baseAddress, let target = copy.baseAddress { target.copyMemory(from: base, byteCount: source.count) }
    }
    guard archive_read_open_memory(a, copy.baseAddress, bytes.count) == ARCHIVE_OK else {
      archive_read_free(a)
      copy.deallocate()
      return nil
    }
    pointer = a
    memory = copy
  }

  deinit {
    archive_read_free(pointer)
    memory?.deallocate()
  }

  var errorString: String {
    archive_error_string(pointer).map { String(cString: $0) } ?? "unknown archive error"
  }
}

/// A member's data as a sequential stream of bytes.
///
/// Reads go straight to libarchive; nothing is extracted to disk.
public struct ArchiveMemberStream {
  let handle: ArchiveHandle
  /// Bytes delivered so far.
  public private(set) var delivered: UInt64 = 0

  init(handle: ArchiveHandle) { self.handle = handle }

  /// Reads up to `buffer.count` bytes; 0 at the end of the member; throws on a decompression error.
  public mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(ArchiveError) -> Int {
    guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
    let n = archive_read_data(handle.pointer, base, buffer.count)
    if n < 0 {
      throw ArchiveError(location: SourceLocation(path: ArtifactPath("")), message: handle.errorString)
    }
    delivered += UInt64(n)
    return n
  }
}

/// Reads the members of an archive that ctxaudit cares about, in one forward pass.
public struct ArchiveReader: Sendable {
  public var limits: ArchiveLimits
  public var artifactReader: ArtifactReader

  public init(limits: ArchiveLimits = .default, artifactReader: ArtifactReader = ArtifactReader()) {
    self.limits = limits
    self.artifactReader = artifactReader
  }

  /// What one pass over an archive produced.
  public struct Contents: Sendable {
    /// Parsed members, in archive order; paths are `<archive display>!/<member path>`.
    public var artifacts: [ParsedArtifact]
    /// An archive-level error that stopped the pass (truncated or corrupt archive); the
    /// members read before it are kept.
    public var error: ArchiveError?
  }

  /// Streams the archive at `filePath`, parsing members of known kinds and skipping all others
  /// without decompressing more than libarchive needs to find the next header.
  ///
  /// A GGUF member is read with the same parser as a GGUF file, from the member's stream; only
  /// its header is decompressed, and libarchive skips the rest (by seeking, in a plain tar).
  public func read(filePath: String, display: ArtifactPath) -> Contents {
    read(handle: ArchiveHandle(path: filePath), display: display)
  }

  /// Reads an archive held in memory, exactly as `read(filePath:display:)` reads a file
  /// (fuzzing, tests, archives nested in other containers).
  ///
  /// - Parameters:
  ///   - bytes: the whole archive (any format and compression libarchive reads).
  ///   - display: the archive's path as reports show it; members are `<display>!/<member>`.
  public func read(bytes: [UInt8], display: ArtifactPath) -> Contents {
    read(handle: ArchiveHandle(bytes: bytes), display: display)
  }

  func read(handle: ArchiveHandle?, display: ArtifactPath) -> Contents {
    guard let handle else {
      return Contents(
        artifacts: [],
        error: ArchiveError(location: SourceLocation(path: display), message: "not a readable archive"))
    }
    var artifacts: [ParsedArtifact] = []
    var entries = 0
    var entry: OpaquePointer?
    while true {
      let status = archive_read_next_header(handle.pointer, &entry)
      if status == ARCHIVE_EOF { break }
      if status < ARCHIVE_WARN {
        return Contents(
          artifacts: artifacts,
          error: ArchiveError(location: SourceLocation(path: display), message: "archive error: \(handle.errorString)"))
      }
      entries += 1
      if entries > limits.maxEntries {
        return Contents(
          artifacts: artifacts,
          error: ArchiveError(
            location: SourceLocation(path: display), message: "more than \(limits.maxEntries) entries; the rest were not read"))
      }
      guard let entry, let cName = archive_entry_pathname(entry) else { continue }
      let memberName = ArchiveReader.normalise(String(cString: cName))
      // Only regular files: symlink and hard-link members, devices and directories are skipped.
      guard archive_entry_filetype(entry) == UInt32(S_IFREG_VALUE), !memberName.isEmpty else { continue }
      let fileName = ArtifactPath(memberName).fileName
      guard let kind = ArtifactKind.detect(fileName: fileName) else { continue }
      let memberDisplay = ArtifactPath(display.value + "!/" + memberName)
      var stream = ArchiveMemberStream(handle: handle)
      switch kind {
      case .gguf:
        let size = archive_entry_size_is_set(entry) != 0 ? UInt64(max(0, archive_entry_size(entry))) : nil
        artifacts.append(readGGUF(stream, size: size, display: memberDisplay))
      case .configJSON, .modelCard, .yamlManifest, .modelfile, .ollamaParams:
        artifacts.append(readText(&stream, display: memberDisplay, kind: kind))
      }
    }
    return Contents(artifacts: artifacts, error: nil)
  }

  func readGGUF(_ stream: ArchiveMemberStream, size: UInt64?, display: ArtifactPath) -> ParsedArtifact {
    let state = StreamState(stream)
    var source = StreamByteSource(size: size) { buffer in state.read(into: buffer) }
    var parsed = GGUFParser.parse(&source, path: display)
    if let failure = state.failure, parsed.error == nil || parsed.error?.message.contains("truncated") == true {
      parsed.error = ParseFailure(
        location: SourceLocation(path: display, offset: state.stream.delivered),
        message: "archive member could not be decompressed: \(failure.message)")
    }
    return parsed
  }

  /// Holds a member stream for a reading closure and remembers the first decompression error.
  final class StreamState {
    var stream: ArchiveMemberStream
    var failure: ArchiveError?

    init(_ stream: ArchiveMemberStream) { self.stream = stream }

    func read(into buffer: UnsafeMutableRawBufferPointer) -> Int {
      guard failure == nil else { return 0 }
      do {
        return try stream.read(into: buffer)
      } catch {
        failure = error
        return 0
      }
    }
  }

  func readText(_ stream: inout ArchiveMemberStream, display: ArtifactPath, kind: ArtifactKind) -> ParsedArtifact {
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 64 * 1024)
    while true {
      let result = chunk.withUnsafeMutableBytes { buffer in
        Result { () throws(ArchiveError) -> Int in try stream.read(into: buffer) }
      }
      let n: Int
      switch result {
      case .success(let count): n = count
      case .failure(let error):
        return ParsedArtifact(
          path: display, kind: kind, facts: [],
          error: ParseFailure(location: SourceLocation(path: display, offset: stream.delivered), message: error.message))
      }
      if n == 0 { break }
      if bytes.count + n > limits.maxTextMemberBytes {
        return ParsedArtifact(
          path: display, kind: kind, facts: [],
          error: ParseFailure(
            location: SourceLocation(path: display, offset: UInt64(limits.maxTextMemberBytes)),
            message: "member decompresses to more than \(limits.maxTextMemberBytes) bytes; not read"))
      }
      bytes.append(contentsOf: chunk[..<n])
    }
    return artifactReader.parse(bytes: bytes, path: display, kind: kind)
  }

  /// Member names as shown: no leading `./` or `/`, and `..` segments dropped so a hostile
  /// name cannot pretend to live outside the archive.
  static func normalise(_ name: String) -> String {
    name.split(separator: "/", omittingEmptySubsequences: true)
      .filter { $0 != "." && $0 != ".." }
      .joined(separator: "/")
  }
}

/// `S_IFREG` as libarchive reports file types (`AE_IFREG`).
private let S_IFREG_VALUE: Int32 = 0o100000
