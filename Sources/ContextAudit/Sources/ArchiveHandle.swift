import CLibArchive
import Glibc

/// One open libarchive reader over one archive file; owns the C handle and the file descriptor
/// and frees each exactly once.
///
/// The file is fed to libarchive through our own read, skip and seek callbacks rather than
/// `archive_read_open_filename`, for two reasons. The bytes really read from disk can be
/// counted, which is how the tests show that a plain tar or a zip passes over a weights member
/// by seeking instead of reading it. And only the formats and filters ctxaudit reads are
/// enabled: `archive_read_support_format_all` would also enable mtree, whose reader opens the
/// files an mtree text names on the scanning machine, and `archive_read_support_filter_all`
/// would enable filters (lrzip, lzop, grzip) that run an external program on the input.
final class ArchiveHandle {
  /// Why an archive could not be opened: libarchive's reason, a fragment.
  struct OpenError: Error {
    var reason: String
  }

  /// Size of each `read(2)` the read callback makes: 64 KiB.
  static let blockSize = 64 << 10

  let pointer: OpaquePointer
  /// The archive file, or -1 when the archive is held in memory.
  private let fd: Int32
  private let fileSize: Int64
  /// A private copy of an in-memory archive, and the read position in it.
  private let memory: UnsafeMutableRawBufferPointer?
  private var memoryOffset: Int64 = 0
  private let block: UnsafeMutableRawPointer
  /// Bytes returned by `read(2)` so far: the compressed bytes libarchive consumed.
  private(set) var bytesRead: UInt64 = 0
  /// Bytes passed over by the skip callback without being read.
  private(set) var bytesSkipped: UInt64 = 0
  /// Calls of the seek callback (zip and 7z readers seek to their central directories).
  private(set) var seeks = 0
  /// The last failed system call, for error messages libarchive cannot word itself.
  private var ioError: String?

  /// Opens the archive at `path` and lets libarchive recognise its filter and format.
  ///
  /// - Throws: `OpenError` when the file cannot be opened, or libarchive recognises no
  ///   supported format in it ("Unrecognized archive format"), or the first block cannot be
  ///   decompressed.
  init(path: String) throws(OpenError) {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw OpenError(reason: String(cString: strerror(errno))) }
    var st = stat()
    guard fstat(fd, &st) == 0, let archive = archive_read_new() else {
      close(fd)
      throw OpenError(reason: "cannot start a libarchive reader")
    }
    self.fd = fd
    fileSize = Int64(st.st_size)
    pointer = archive
    memory = nil
    block = UnsafeMutableRawPointer.allocate(byteCount: ArchiveHandle.blockSize, alignment: 16)
    // From here on deinit frees everything, also when this initialiser throws.
    try start()
  }

  /// Opens an archive held in memory (fuzzing, tests); the bytes are copied and served to
  /// libarchive through the same callbacks as a file.
  init(bytes: [UInt8]) throws(OpenError) {
    guard let archive = archive_read_new() else { throw OpenError(reason: "cannot start a libarchive reader") }
    fd = -1
    fileSize = Int64(bytes.count)
    pointer = archive
    let copy = UnsafeMutableRawBufferPointer.allocate(byteCount: max(bytes.count, 1), alignment: 16)
    bytes.withUnsafeBytes { source in
      if let base = source.baseAddress, let target = copy.baseAddress { target.copyMemory(from: base, byteCount: source.count) }
    }
    memory = copy
    block = UnsafeMutableRawPointer.allocate(byteCount: ArchiveHandle.blockSize, alignment: 16)
    try start()
  }

  /// Enables the supported formats and filters, installs the callbacks and reads the first block.
  private func start() throws(OpenError) {
    let archive = pointer
    for enable in [
      archive_read_support_filter_gzip, archive_read_support_filter_bzip2, archive_read_support_filter_xz,
      archive_read_support_filter_lzma, archive_read_support_filter_zstd, archive_read_support_format_tar,
      archive_read_support_format_zip, archive_read_support_format_7zip, archive_read_support_format_empty,
    ] {
      _ = enable(archive)
    }
    archive_read_set_callback_data(archive, Unmanaged.passUnretained(self).toOpaque())
    archive_read_set_read_callback(archive, archiveHandleRead)
    archive_read_set_skip_callback(archive, archiveHandleSkip)
    archive_read_set_seek_callback(archive, archiveHandleSeek)
    guard archive_read_open1(archive) == ARCHIVE_OK else { throw OpenError(reason: errorString) }
  }

  deinit {
    archive_read_free(pointer)
    block.deallocate()
    memory?.deallocate()
    if fd >= 0 { close(fd) }
  }

  /// libarchive's description of the last error, or the failed system call's.
  var errorString: String {
    if let ioError { return ioError }
    return archive_error_string(pointer).map { String(cString: $0) } ?? "unknown archive error"
  }

  /// Uncompressed bytes the format reader has consumed: the position in the tar stream.
  var uncompressedPosition: UInt64 { UInt64(max(0, archive_filter_bytes(pointer, 0))) }

  fileprivate func read(_ out: UnsafeMutablePointer<UnsafeRawPointer?>) -> Int {
    if let memory, let base = memory.baseAddress {
      let n = Int(min(Int64(ArchiveHandle.blockSize), fileSize - memoryOffset))
      out.pointee = UnsafeRawPointer(base + Int(memoryOffset))
      memoryOffset += Int64(n)
      bytesRead += UInt64(n)
      return n
    }
    while true {
      let n = Glibc.read(fd, block, ArchiveHandle.blockSize)
      if n < 0 {
        if errno == EINTR { continue }
        ioError = "read error: " + String(cString: strerror(errno))
        return -1
      }
      out.pointee = UnsafeRawPointer(block)
      bytesRead += UInt64(n)
      return n
    }
  }

  fileprivate func skip(_ request: Int64) -> Int64 {
    if memory != nil {
      let step = max(0, min(request, fileSize - memoryOffset))
      memoryOffset += step
      bytesSkipped += UInt64(step)
      return step
    }
    let here = lseek(fd, 0, SEEK_CUR)
    guard here >= 0, request > 0 else { return 0 }
    let step = min(request, max(0, fileSize - Int64(here)))
    guard step > 0, lseek(fd, off_t(step), SEEK_CUR) >= 0 else { return 0 }
    bytesSkipped += UInt64(step)
    return step
  }

  fileprivate func seek(_ offset: Int64, _ whence: Int32) -> Int64 {
    seeks += 1
    if memory != nil {
      let base: Int64 = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? memoryOffset : fileSize
      let target = base + offset
      guard target >= 0, target <= fileSize else { return -1 }
      memoryOffset = target
      return target
    }
    let result = lseek(fd, off_t(offset), whence)
    if result < 0 { ioError = "seek error: " + String(cString: strerror(errno)) }
    return Int64(result)
  }
}

// The C callbacks: no captures; the handle travels as libarchive's client data.

private func archiveHandleRead(
  _: OpaquePointer?, _ client: UnsafeMutableRawPointer?, _ out: UnsafeMutablePointer<UnsafeRawPointer?>?
) -> la_ssize_t {
  guard let client, let out else { return -1 }
  return Unmanaged<ArchiveHandle>.fromOpaque(client).takeUnretainedValue().read(out)
}

private func archiveHandleSkip(_: OpaquePointer?, _ client: UnsafeMutableRawPointer?, _ request: la_int64_t) -> la_int64_t {
  guard let client else { return 0 }
  return Unmanaged<ArchiveHandle>.fromOpaque(client).takeUnretainedValue().skip(request)
}

private func archiveHandleSeek(
  _: OpaquePointer?, _ client: UnsafeMutableRawPointer?, _ offset: la_int64_t, _ whence: Int32
) -> la_int64_t {
  guard let client else { return -1 }
  return Unmanaged<ArchiveHandle>.fromOpaque(client).takeUnretainedValue().seek(offset, whence)
}
