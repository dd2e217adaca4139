import Glibc

/// A forward reader of bytes from one artifact: a file, an array in memory or a stream.
///
/// The same binary parser reads from all of them. Sources keep a window of buffered bytes
/// (64 KiB for files and streams) so fixed-width reads come straight from the buffer without
/// allocating. `offset` is the byte offset from the start of the artifact of the next unread
/// byte. A stream (a libarchive entry) cannot go back and skips by reading; a file skips by
/// moving its offset and never reads what it skips.
public protocol ByteSource {
  /// Byte offset from the start of the artifact of the next unread byte.
  var offset: UInt64 { get }
  /// Total length of the artifact in bytes, when known.
  var size: UInt64? { get }
  /// True when `seek(to:)` works (files and memory); false for streams.
  var canSeek: Bool { get }

  /// Buffers up to `count` bytes from `offset` and passes them to `body` without consuming them.
  ///
  /// `count` is at most `ByteSourceWindow.size`. `body` sees fewer than `count` bytes only at
  /// the end of the input (or on a read error, which is treated as the end).
  mutating func peek<R>(_ count: Int, _ body: (UnsafeRawBufferPointer) -> R) -> R

  /// Consumes `count` bytes that a previous `peek` showed.
  mutating func consume(_ count: Int)

  /// Moves `count` bytes forward and returns how many bytes were really passed (fewer at the end).
  ///
  /// Seekable sources move the offset without reading; streams read and discard.
  mutating func skip(_ count: UInt64) -> UInt64

  /// Moves to an absolute byte offset; returns false when the source cannot seek or the
  /// offset is past the known end.
  mutating func seek(to offset: UInt64) -> Bool
}

/// Sizes shared by the buffered sources.
public enum ByteSourceWindow {
  /// Largest `peek`, and the buffer size of file and stream sources: 64 KiB.
  public static let size = 64 << 10
}

extension ByteSource {
  /// Bytes left before the known end, or nil when the size is unknown.
  public var remaining: UInt64? {
    guard let size else { return nil }
    return size >= offset ? size - offset : 0
  }

  /// Reads exactly `count` bytes, or returns nil (having consumed nothing) when fewer remain.
  ///
  /// Reads larger than the window are put together from several buffer fills; a stream that
  /// ends half-way has then consumed the part it had. Callers check `count` against their
  /// limits and against `remaining` before calling.
  public mutating func read(_ count: Int) -> [UInt8]? {
    guard count > 0 else { return [] }
    if count <= ByteSourceWindow.size {
      let bytes: [UInt8]? = peek(count) { raw in raw.count < count ? nil : Array(raw) }
      if bytes != nil { consume(count) }
      return bytes
    }
    if let remaining, remaining < UInt64(count) { return nil }
    var out = [UInt8]()
    // Grow as bytes arrive: a stream of unknown size may end long before `count`.
    out.reserveCapacity(min(count, 1 << 20))
    while out.count < count {
      let want = min(ByteSourceWindow.size, count - out.count)
      let got = peek(want) { raw in
        out.append(contentsOf: raw)
        return raw.count
      }
      consume(got)
      if got < want { return nil }
    }
    return out
  }
}

/// Bytes already in memory: the whole artifact is the window.
public struct MemoryByteSource: ByteSource, Sendable {
  private let bytes: [UInt8]
  private var index: Int = 0

  public init(_ bytes: [UInt8]) { self.bytes = bytes }

  public var offset: UInt64 { UInt64(index) }
  public var size: UInt64? { UInt64(bytes.count) }
  public var canSeek: Bool { true }

  @inline(__always)
  public mutating func peek<R>(_ count: Int, _ body: (UnsafeRawBufferPointer) -> R) -> R {
    let end = index + min(count, bytes.count - index)
    return bytes.withUnsafeBytes { all in body(UnsafeRawBufferPointer(rebasing: all[index..<end])) }
  }

  @inline(__always)
  public mutating func consume(_ count: Int) { index += min(count, bytes.count - index) }

  public mutating func skip(_ count: UInt64) -> UInt64 {
    let step = min(count, UInt64(bytes.count - index))
    index += Int(step)
    return step
  }

  public mutating func seek(to offset: UInt64) -> Bool {
    guard offset <= UInt64(bytes.count) else { return false }
    index = Int(offset)
    return true
  }
}

/// The buffer that file and stream sources fill: a 64 KiB window over the artifact.
struct ByteWindow {
  var storage = [UInt8](repeating: 0, count: ByteSourceWindow.size)
  /// First unread byte in `storage`.
  var start = 0
  /// One past the last valid byte in `storage`.
  var end = 0
  /// Offset in the artifact of `storage[start]`: the source's `offset`.
  var position: UInt64 = 0

  var buffered: Int { end - start }

  /// Consumes up to `count` buffered bytes (`ByteSource.consume`).
  @inline(__always)
  mutating func consume(_ count: Int) {
    let n = min(count, buffered)
    start += n
    position += UInt64(n)
  }

  /// Drops the buffered bytes; the next read starts at `position`.
  mutating func discard() {
    start = 0
    end = 0
  }

  /// Moves unread bytes to the front so `count` of them fit.
  mutating func compact() {
    guard start > 0 else { return }
    let unread = buffered
    if unread > 0 {
      storage.withUnsafeMutableBytes { raw in
        guard let base = raw.baseAddress else { return }
        memmove(base, base + start, unread)
      }
    }
    start = 0
    end = unread
  }

  @inline(__always)
  func view<R>(_ count: Int, _ body: (UnsafeRawBufferPointer) -> R) -> R {
    let n = min(count, buffered)
    return storage.withUnsafeBytes { all in body(UnsafeRawBufferPointer(rebasing: all[start..<(start + n)])) }
  }
}

/// Owns a file descriptor and closes it once, when the last copy of its source goes away.
final class FileDescriptorOwner: Sendable {
  let fd: Int32
  let closeOnDeinit: Bool
  /// `close(2)`, replaceable so tests can count calls without racing other tests for fd numbers.
  let closer: @Sendable (Int32) -> Void

  init(fd: Int32, closeOnDeinit: Bool, closer: @escaping @Sendable (Int32) -> Void = { _ = close($0) }) {
    self.fd = fd
    self.closeOnDeinit = closeOnDeinit
    self.closer = closer
  }

  deinit {
    if closeOnDeinit { closer(fd) }
  }
}

/// A regular file read with `pread` through a 64 KiB window.
///
/// Never maps the file and never reads it whole: `skip` and `seek` move the offset without
/// reading, so a header followed by gigabytes of tensor data costs a few buffer fills.
/// Copies share the descriptor, which is closed exactly once (when `closeOnDeinit` is true)
/// after the last copy is gone.
public struct FileByteSource: ByteSource, Sendable {
  private let owner: FileDescriptorOwner
  private var window = ByteWindow()
  private let fileSize: UInt64
  /// Bytes returned by `pread` so far; tests use it to show that skipped data is never read.
  public private(set) var bytesRead: UInt64 = 0
  /// Number of `pread` calls so far.
  public private(set) var readCalls: Int = 0

  /// - Parameters:
  ///   - fd: an open descriptor of a regular file; reads use absolute offsets, so its own
  ///     file position is neither used nor changed.
  ///   - size: the file size in bytes (from `fstat`).
  ///   - closeOnDeinit: close `fd` when the last copy of this source is gone.
  public init(fd: Int32, size: UInt64, closeOnDeinit: Bool) {
    owner = FileDescriptorOwner(fd: fd, closeOnDeinit: closeOnDeinit)
    fileSize = size
  }

  /// For tests: `closer` replaces `close(2)`.
  init(fd: Int32, size: UInt64, closeOnDeinit: Bool, closer: @escaping @Sendable (Int32) -> Void) {
    owner = FileDescriptorOwner(fd: fd, closeOnDeinit: closeOnDeinit, closer: closer)
    fileSize = size
  }

  public var offset: UInt64 { window.position }
  public var size: UInt64? { fileSize }
  public var canSeek: Bool { true }

  @inline(__always)
  public mutating func peek<R>(_ count: Int, _ body: (UnsafeRawBufferPointer) -> R) -> R {
    if window.buffered < count { fill(count) }
    return window.view(count, body)
  }

  @inline(__always)
  public mutating func consume(_ count: Int) { window.consume(count) }

  public mutating func skip(_ count: UInt64) -> UInt64 {
    let position = window.position
    let step = min(count, fileSize >= position ? fileSize - position : 0)
    _ = seek(to: position + step)
    return step
  }

  public mutating func seek(to target: UInt64) -> Bool {
    guard target <= fileSize else { return false }
    let position = window.position
    if target >= position, target - position <= UInt64(window.buffered) {
      window.consume(Int(target - position))
    } else {
      window.discard()
      window.position = target
    }
    return true
  }

  /// Reads from the file until `count` bytes are buffered or the file ends.
  private mutating func fill(_ count: Int) {
    window.compact()
    let fd = owner.fd
    while window.buffered < count {
      let fileOffset = window.position + UInt64(window.buffered)
      guard fileOffset < fileSize else { return }
      let room = window.storage.count - window.end
      let want = Int(min(UInt64(room), fileSize - fileOffset))
      let end = window.end
      let n = window.storage.withUnsafeMutableBytes { raw in
        pread(fd, raw.baseAddress.map { $0 + end }, want, off_t(fileOffset))
      }
      readCalls += 1
      if n < 0 {
        if errno == EINTR { continue }
        return
      }
      if n == 0 { return }
      window.end += n
      bytesRead += UInt64(n)
    }
  }
}

/// A sequential stream (a libarchive entry, a pipe) read through a 64 KiB window.
///
/// It cannot seek: `skip` reads and discards. `readChunk` fills the buffer it is given and
/// returns the number of bytes written, 0 at the end and a negative number on error (treated
/// as the end).
public struct StreamByteSource: ByteSource {
  private var window = ByteWindow()
  private let knownSize: UInt64?
  private let readChunk: (UnsafeMutableRawBufferPointer) -> Int
  private var finished = false
  /// Bytes taken from the stream so far.
  public private(set) var bytesRead: UInt64 = 0

  /// - Parameters:
  ///   - size: the entry size when the container says it (tar headers do), else nil.
  ///   - readChunk: fills the buffer from the stream; returns bytes written, 0 at the end.
  public init(size: UInt64?, readChunk: @escaping (UnsafeMutableRawBufferPointer) -> Int) {
    knownSize = size
    self.readChunk = readChunk
  }

  public var offset: UInt64 { window.position }
  public var size: UInt64? { knownSize }
  public var canSeek: Bool { false }

  @inline(__always)
  public mutating func peek<R>(_ count: Int, _ body: (UnsafeRawBufferPointer) -> R) -> R {
    if window.buffered < count { fill(count) }
    return window.view(count, body)
  }

  @inline(__always)
  public mutating func consume(_ count: Int) { window.consume(count) }

  public mutating func skip(_ count: UInt64) -> UInt64 {
    var left = count
    while left > 0 {
      if window.buffered == 0 {
        fill(1)
        if window.buffered == 0 { break }
      }
      let n = Int(min(left, UInt64(window.buffered)))
      window.consume(n)
      left -= UInt64(n)
    }
    return count - left
  }

  public mutating func seek(to offset: UInt64) -> Bool { false }

  private mutating func fill(_ count: Int) {
    window.compact()
    while window.buffered < count, !finished {
      let end = window.end
      let n = window.storage.withUnsafeMutableBytes { raw in
        readChunk(UnsafeMutableRawBufferPointer(rebasing: raw[end...]))
      }
      if n <= 0 {
        finished = true
        return
      }
      window.end += n
      bytesRead += UInt64(n)
    }
  }
}
