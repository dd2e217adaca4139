import CLibArchive

/// Limits on reading archives; every one is enforced while streaming.
public struct ArchiveLimits: Hashable, Sendable {
  /// Most bytes one text member (config, card, manifest) may decompress to before it is
  /// refused: 16 MiB. A member whose header declares more is refused before any byte is read;
  /// one that does not say is refused as soon as it passes the limit, so no more than this is
  /// ever held in memory for a member.
  public var maxTextMemberBytes: Int
  /// Most entries (of any kind) examined in one archive: 100,000. Real model archives hold tens;
  /// past the limit the pass stops, the members read so far are kept, and the archive is
  /// reported in `Contents.skipped` (an `input-skipped` warning, as a directory walk limit is).
  public var maxEntries: Int
  /// Most bytes of a GGUF member handed to the GGUF reader: 512 MiB (the largest real headers,
  /// with 256k-token vocabularies, are a few MiB). Past it the reader sees the end of the
  /// member and reports where it stopped.
  public var maxGGUFHeaderBytes: UInt64

  public init(maxTextMemberBytes: Int = 16 << 20, maxEntries: Int = 100_000, maxGGUFHeaderBytes: UInt64 = 512 << 20) {
    self.maxTextMemberBytes = maxTextMemberBytes
    self.maxEntries = maxEntries
    self.maxGGUFHeaderBytes = maxGGUFHeaderBytes
  }

  public static let `default` = ArchiveLimits()
}

/// An archive-level error (not a member's parse error), or a member that was not read.
public struct ArchiveError: Error, Hashable, Sendable, LocatedError {
  public var location: SourceLocation
  public var message: String

  public init(location: SourceLocation, message: String) {
    self.location = location
    self.message = message
  }
}

/// File-name suffixes read as archives (manifests-and-layouts.md section 3.7).
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

/// A member's data as a sequential stream of decompressed bytes.
///
/// Reads go straight to libarchive; nothing is extracted to disk. The stream takes libarchive's
/// blocks (`archive_read_data_block`) and copies from them, rather than calling
/// `archive_read_data`: that call drops the bytes it had already copied when a later block in
/// the same call fails, so a member cut short would lose its last readable part.
public struct ArchiveMemberStream {
  let handle: ArchiveHandle
  /// The member, for error locations.
  let display: ArtifactPath
  /// Bytes delivered so far: the byte offset from the start of the member of the next byte.
  public private(set) var delivered: UInt64 = 0
  /// True once a read has failed; libarchive cannot go on with this member.
  public private(set) var failed = false
  /// The part of libarchive's current block not yet delivered, and its offset in the member.
  private var pending = UnsafeRawBufferPointer(start: nil, count: 0)
  private var pendingOffset: UInt64 = 0
  private var ended = false

  init(handle: ArchiveHandle, display: ArtifactPath) {
    self.handle = handle
    self.display = display
  }

  /// Reads up to `buffer.count` bytes; 0 at the end of the member.
  ///
  /// A hole in a sparse member reads as zeros.
  ///
  /// - Throws: `ArchiveError` located at the member and the offset where decompression failed
  ///   (a truncated or corrupt archive).
  public mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(ArchiveError) -> Int {
    guard let base = buffer.baseAddress, buffer.count > 0, !ended else { return 0 }
    if pending.isEmpty {
      var block: UnsafeRawPointer?
      var size = 0
      var offset: la_int64_t = 0
      let status = archive_read_data_block(handle.pointer, &block, &size, &offset)
      if status == ARCHIVE_EOF {
        ended = true
        return 0
      }
      if status < ARCHIVE_WARN {
        failed = true
        ended = true
        throw ArchiveError(
          location: SourceLocation(path: display, offset: delivered),
          message: "archive member is damaged or truncated at byte \(delivered) (\(handle.errorString))")
      }
      pending = UnsafeRawBufferPointer(start: block, count: block == nil ? 0 : size)
      pendingOffset = UInt64(max(0, offset))
    }
    if pendingOffset > delivered {
      let zeros = Int(min(UInt64(buffer.count), pendingOffset - delivered))
      base.initializeMemory(as: UInt8.self, repeating: 0, count: zeros)
      delivered += UInt64(zeros)
      return zeros
    }
    let n = min(buffer.count, pending.count)
    if let source = pending.baseAddress { base.copyMemory(from: source, byteCount: n) }
    pending = UnsafeRawBufferPointer(rebasing: pending[n...])
    pendingOffset += UInt64(n)
    delivered += UInt64(n)
    return n
  }
}

/// Reads the members of an archive that ctxaudit cares about, in one forward pass.
///
/// Formats: tar (ustar, pax, GNU, v7) plain or compressed with gzip, bzip2, xz or zstd; zip
/// (also a llamafile, whose zip directory sits at the end of an executable); 7z. Which members
/// are read is decided from each header alone, by the same file-name rules as on disk
/// (`ArtifactKind.detect`): config JSONs, model cards, YAML manifests and Modelfiles whole (up
/// to `maxTextMemberBytes`), GGUF files up to the end of their header. Everything else is passed
/// over: a plain tar, a zip and a 7z member that is not solid-compressed are passed by seeking
/// (the bytes are never read); a compressed tar must decompress what it passes, but nothing of
/// it is kept. Only regular files are read: symbolic and hard links, devices and archives
/// inside the archive are not followed (those named like model files are reported in
/// `Contents.skipped`).
public struct ArchiveReader: Sendable {
  public var limits: ArchiveLimits
  public var artifactReader: ArtifactReader

  public init(limits: ArchiveLimits = .default, artifactReader: ArtifactReader = ArtifactReader()) {
    self.limits = limits
    self.artifactReader = artifactReader
  }

  /// What one pass over an archive produced.
  public struct Contents: Sendable {
    /// Parsed members in archive order, one per member path (when a path repeats, as after
    /// `tar -r`, the last copy wins, as it would on extraction); paths are
    /// `<archive display>!/<member path>`.
    public var artifacts: [ParsedArtifact]
    /// An archive-level error that stopped the pass (unreadable, truncated or corrupt archive);
    /// the members read before it are kept.
    public var error: ArchiveError?
    /// Members that look like model files (or archives) but were not read, each with the reason:
    /// links, special files, nested archives, earlier copies of a repeated path; and the
    /// archive itself when `maxEntries` stopped the pass.
    public var skipped: [ArchiveError]
    /// What the pass cost.
    public var statistics: ArchiveStatistics

    public init(
      artifacts: [ParsedArtifact] = [], error: ArchiveError? = nil, skipped: [ArchiveError] = [],
      statistics: ArchiveStatistics = ArchiveStatistics()
    ) {
      self.artifacts = artifacts
      self.error = error
      self.skipped = skipped
      self.statistics = statistics
    }
  }

  /// Streams the archive at `filePath`, parsing members of known kinds and passing over all others.
  ///
  /// A GGUF member is read with the same parser as a GGUF file, from the member's stream; only
  /// its header (and RoPE factor tensors within `GGUFLimits.maxForwardReadToRopeTensor` of it)
  /// is decompressed, and libarchive passes over the rest.
  public func read(filePath: String, display: ArtifactPath) -> Contents {
    let handle: ArchiveHandle
    do {
      handle = try ArchiveHandle(path: filePath)
    } catch {
      return Contents(error: ArchiveError(location: SourceLocation(path: display), message: "cannot open archive (\(error.reason))"))
    }
    return read(handle: handle, display: display)
  }

  /// Reads an archive held in memory, exactly as `read(filePath:display:)` reads a file
  /// (fuzzing, tests, archives nested in other containers).
  ///
  /// - Parameters:
  ///   - bytes: the whole archive (any format and compression ctxaudit reads).
  ///   - display: the archive's path as reports show it; members are `<display>!/<member>`.
  public func read(bytes: [UInt8], display: ArtifactPath) -> Contents {
    let handle: ArchiveHandle
    do {
      handle = try ArchiveHandle(bytes: bytes)
    } catch {
      return Contents(error: ArchiveError(location: SourceLocation(path: display), message: "cannot open archive (\(error.reason))"))
    }
    return read(handle: handle, display: display)
  }

  func read(handle: ArchiveHandle, display: ArtifactPath) -> Contents {
    var pass = Pass(reader: self, handle: handle, display: display)
    pass.run()
    return pass.contents
  }

  /// The state of one forward pass.
  private struct Pass {
    let reader: ArchiveReader
    let handle: ArchiveHandle
    let display: ArtifactPath
    var contents = Contents()
    /// Index in `contents.artifacts` of each member path read so far.
    var indexByPath: [ArtifactPath: Int] = [:]
    /// The member whose header was read last, and whether reading its data failed.
    var lastMember: ArtifactPath?
    var lastMemberFailed = false

    init(reader: ArchiveReader, handle: ArchiveHandle, display: ArtifactPath) {
      self.reader = reader
      self.handle = handle
      self.display = display
    }

    mutating func run() {
      defer {
        contents.statistics.archiveBytesRead = handle.bytesRead
        contents.statistics.archiveBytesSkipped = handle.bytesSkipped
        contents.statistics.seeks = handle.seeks
      }
      var entry: OpaquePointer?
      while true {
        let status = archive_read_next_header(handle.pointer, &entry)
        if status == ARCHIVE_EOF { return }
        if status == ARCHIVE_FATAL {
          stop(because: handle.errorString)
          return
        }
        contents.statistics.entries += 1
        if contents.statistics.entries > reader.limits.maxEntries {
          contents.skipped.append(
            ArchiveError(
              location: SourceLocation(path: display),
              message: "archive has more than \(reader.limits.maxEntries) entries; the rest were not read"))
          return
        }
        // RETRY: libarchive skipped something it could not read and asks to be called again;
        // the entry count above bounds how often.
        guard status != ARCHIVE_RETRY, let entry else { continue }
        let name = ArchiveReader.memberName(entry)
        guard !name.isEmpty else { continue }
        let member = ArtifactPath(display.value + "!/" + name)
        lastMember = member
        lastMemberFailed = false
        if status == ARCHIVE_FAILED {
          // The header was read but the entry cannot be (an unsupported compression method,
          // encryption); libarchive moves on to the next one.
          skip(member, "archive member cannot be read (\(handle.errorString)), skipped", onlyIfNamed: true)
          continue
        }
        visit(entry, member: member)
      }
    }

    /// Records the error that ended the pass. A failure right after a member whose data could
    /// not be read is the same damage, already reported on that member.
    mutating func stop(because reason: String) {
      if lastMemberFailed { return }
      if let lastMember {
        contents.error = ArchiveError(
          location: SourceLocation(path: lastMember),
          message: "archive is damaged or truncated in or after this member (\(reason)); later members were not read")
      } else {
        contents.error = ArchiveError(location: SourceLocation(path: display), message: "cannot read archive (\(reason))")
      }
    }

    /// Adds a skipped-member note; `onlyIfNamed` keeps the notes to names ctxaudit would read.
    mutating func skip(_ member: ArtifactPath, _ message: String, onlyIfNamed: Bool) {
      let fileName = member.fileName
      if onlyIfNamed, ArtifactKind.detect(fileName: fileName) == nil, !ArchiveFormat.isArchive(fileName: fileName) { return }
      contents.skipped.append(ArchiveError(location: SourceLocation(path: member), message: message))
    }

    mutating func visit(_ entry: OpaquePointer, member: ArtifactPath) {
      let type = archive_entry_filetype(entry)
      if let target = archive_entry_hardlink(entry) {
        skip(member, "hard link to \(String(cString: target)) in the archive, not read", onlyIfNamed: true)
        return
      }
      switch type {
      case AE_IFREG_VALUE:
        break
      case AE_IFDIR_VALUE:
        return
      case AE_IFLNK_VALUE:
        let target = archive_entry_symlink(entry).map { String(cString: $0) } ?? "?"
        skip(member, "symbolic link to \(target), not followed", onlyIfNamed: true)
        return
      default:
        skip(member, "not a regular file, skipped", onlyIfNamed: true)
        return
      }
      let fileName = member.fileName
      guard let kind = ArtifactKind.detect(fileName: fileName) else {
        if ArchiveFormat.isArchive(fileName: fileName) {
          skip(member, "archive inside an archive, not opened", onlyIfNamed: false)
        }
        return
      }
      let size = archive_entry_size_is_set(entry) != 0 ? UInt64(max(0, archive_entry_size(entry))) : nil
      var stream = ArchiveMemberStream(handle: handle, display: member)
      let parsed: ParsedArtifact
      switch kind {
      case .gguf:
        parsed = reader.readGGUF(&stream, size: size)
      case .configJSON, .modelCard, .yamlManifest, .modelfile, .ollamaParams:
        parsed = reader.readText(&stream, declaredSize: size, kind: kind)
      }
      contents.statistics.membersRead += 1
      contents.statistics.bytesDelivered += stream.delivered
      lastMemberFailed = stream.failed
      if let earlier = indexByPath[member] {
        contents.skipped.append(
          ArchiveError(location: SourceLocation(path: member), message: "member appears more than once; only the last copy was read"))
        contents.artifacts[earlier] = parsed
      } else {
        indexByPath[member] = contents.artifacts.count
        contents.artifacts.append(parsed)
      }
    }
  }

  /// Reads a GGUF member's header from the member's stream, handing the parser at most
  /// `maxGGUFHeaderBytes`.
  func readGGUF(_ stream: inout ArchiveMemberStream, size: UInt64?) -> ParsedArtifact {
    let state = StreamState(stream, cap: limits.maxGGUFHeaderBytes)
    var source = StreamByteSource(size: size) { buffer in state.read(into: buffer) }
    var parsed = GGUFParser.parse(&source, path: stream.display)
    stream = state.stream
    if let failure = state.failure {
      // Whatever the parser said after the stream broke is a consequence; keep its facts.
      parsed.error = ParseFailure(failure)
    } else if state.capped, parsed.error != nil {
      parsed.error = ParseFailure(
        location: SourceLocation(path: stream.display, offset: limits.maxGGUFHeaderBytes),
        message: "GGUF header is longer than \(limits.maxGGUFHeaderBytes) bytes (the archive member limit); not read further")
    }
    return parsed
  }

  /// Holds a member stream for a reading closure, stops it at `cap` bytes, and remembers the
  /// first decompression error.
  final class StreamState {
    var stream: ArchiveMemberStream
    let cap: UInt64
    var failure: ArchiveError?
    var capped = false

    init(_ stream: ArchiveMemberStream, cap: UInt64) {
      self.stream = stream
      self.cap = cap
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) -> Int {
      guard failure == nil else { return 0 }
      let room = cap > stream.delivered ? cap - stream.delivered : 0
      guard room > 0 else {
        capped = true
        return 0
      }
      let window = UnsafeMutableRawBufferPointer(rebasing: buffer[..<Int(min(UInt64(buffer.count), room))])
      do {
        return try stream.read(into: window)
      } catch {
        failure = error
        return 0
      }
    }
  }

  /// Reads a text member whole, refusing it once it passes `maxTextMemberBytes`.
  func readText(_ stream: inout ArchiveMemberStream, declaredSize: UInt64?, kind: ArtifactKind) -> ParsedArtifact {
    let cap = limits.maxTextMemberBytes
    let tooLarge = ParsedArtifact(
      path: stream.display, kind: kind, facts: [],
      error: ParseFailure(
        location: SourceLocation(path: stream.display, offset: UInt64(cap)),
        message: "archive member decompresses to more than \(cap) bytes (the text member limit); not read"))
    if let declaredSize, declaredSize > UInt64(cap) { return tooLarge }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 64 << 10)
    while true {
      let result = chunk.withUnsafeMutableBytes { buffer in
        Result { () throws(ArchiveError) -> Int in try stream.read(into: buffer) }
      }
      let n: Int
      switch result {
      case .success(let count): n = count
      case .failure(let error):
        return ParsedArtifact(path: stream.display, kind: kind, facts: [], error: ParseFailure(error))
      }
      if n == 0 { break }
      // Checked before appending: memory never holds more than `cap` bytes of one member.
      if bytes.count + n > cap { return tooLarge }
      bytes.append(contentsOf: chunk[..<n])
    }
    return artifactReader.parse(bytes: bytes, path: stream.display, kind: kind)
  }

  /// The member's path as shown: `/`-separated, relative, with `.` and `..` resolved inside
  /// the archive.
  ///
  /// A leading `/` or `./` is dropped, and a `..` above the top stays at the top, so
  /// `../../etc/config.json` is shown as `etc/config.json` and `/config.json` as
  /// `config.json`: a hostile name can never pretend to live outside the archive.
  static func normalise(_ name: String) -> String {
    var parts: [Substring] = []
    for part in name.split(separator: "/", omittingEmptySubsequences: true) {
      switch part {
      case ".": continue
      case "..": _ = parts.popLast()
      default: parts.append(part)
      }
    }
    return parts.joined(separator: "/")
  }

  /// An entry's normalised path, from its UTF-8 name when the archive gives one.
  static func memberName(_ entry: OpaquePointer) -> String {
    guard let raw = archive_entry_pathname_utf8(entry) ?? archive_entry_pathname(entry) else { return "" }
    return normalise(String(cString: raw))
  }
}

/// What one pass over an archive cost; tests use it to show what is never read.
public struct ArchiveStatistics: Hashable, Sendable {
  /// Entry headers read.
  public var entries = 0
  /// Members handed to a parser.
  public var membersRead = 0
  /// Decompressed member bytes handed to parsers, summed over members.
  public var bytesDelivered: UInt64 = 0
  /// Bytes read from the archive file (compressed bytes, for a compressed archive).
  public var archiveBytesRead: UInt64 = 0
  /// Bytes of the archive file passed over by seeking forward, never read.
  public var archiveBytesSkipped: UInt64 = 0
  /// Seeks libarchive asked for (the zip and 7z readers jump to their directories).
  public var seeks = 0

  public init() {}
}

/// File types as libarchive reports them (`AE_IFREG`, `AE_IFDIR`, `AE_IFLNK`).
private let AE_IFREG_VALUE: UInt32 = 0o100000
private let AE_IFDIR_VALUE: UInt32 = 0o040000
private let AE_IFLNK_VALUE: UInt32 = 0o120000
