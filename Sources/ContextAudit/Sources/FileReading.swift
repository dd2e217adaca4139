import Glibc

/// An error reading a file from the file system, before any parser sees it.
public struct FileReadError: Error, Hashable, Sendable, LocatedError {
  public enum Reason: Hashable, Sendable {
    case notFound
    case notRegularFile(String)
    case tooLarge(size: UInt64, limit: UInt64)
    case system(String)
  }

  public var reason: Reason
  public var location: SourceLocation

  public var message: String {
    switch reason {
    case .notFound: return "no such file or directory"
    case .notRegularFile(let what): return "not a regular file (\(what)); only regular files are read"
    case .tooLarge(let size, let limit): return "file is \(size) bytes, more than the \(limit)-byte limit for this kind"
    case .system(let text): return text
    }
  }
}

/// Bounded reads of regular files.
///
/// Files are opened with `O_NONBLOCK` and checked with `fstat` before any read, so a FIFO,
/// socket or device named like a model file is refused instead of blocking or streaming forever.
public enum FileReading {
  /// Largest text artifact (JSON, YAML, Markdown, Modelfile) read whole: 16 MiB.
  public static let defaultTextLimit: UInt64 = 16 << 20

  /// The kind of file system object at `path` (symlinks followed).
  public enum Entry: Sendable, Equatable {
    case regular(size: UInt64)
    case directory
    case other(String)
    case missing
  }

  public static func entry(at path: String) -> Entry {
    var st = stat()
    guard stat(path, &st) == 0 else { return .missing }
    return classify(st.st_mode, size: st.st_size)
  }

  static func classify(_ mode: mode_t, size: Int) -> Entry {
    switch mode & S_IFMT {
    case S_IFREG: return .regular(size: UInt64(max(0, size)))
    case S_IFDIR: return .directory
    case S_IFIFO: return .other("a FIFO")
    case S_IFSOCK: return .other("a socket")
    case S_IFCHR: return .other("a character device")
    case S_IFBLK: return .other("a block device")
    default: return .other("a special file")
    }
  }

  /// The name in a `readdir` entry, decoded as UTF-8 (invalid bytes become U+FFFD).
  ///
  /// The name is read in place up to its NUL. Copying the `d_name` array out of the struct
  /// would read all 256 bytes, but glibc packs entries by `d_reclen`, so the last entry of a
  /// buffer may end before the array does (AddressSanitizer reports that read as a heap
  /// buffer overflow).
  public static func entryName(_ entry: UnsafeMutablePointer<dirent>) -> String {
    guard let offset = MemoryLayout<dirent>.offset(of: \dirent.d_name) else { return "" }
    let name = UnsafeRawPointer(entry).advanced(by: offset).assumingMemoryBound(to: UInt8.self)
    return String(decoding: UnsafeBufferPointer(start: name, count: strlen(name)), as: UTF8.self)
  }

  /// Opens a regular file for reading; the caller closes the descriptor.
  public static func openRegular(_ path: String, display: ArtifactPath) throws(FileReadError) -> (fd: Int32, size: UInt64) {
    let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
    guard fd >= 0 else {
      let code = errno
      // A socket cannot be opened at all (ENXIO); name what it is rather than the errno.
      if code != ENOENT, case .other(let what) = entry(at: path) {
        throw FileReadError(reason: .notRegularFile(what), location: SourceLocation(path: display))
      }
      throw FileReadError(
        reason: code == ENOENT ? .notFound : .system(String(cString: strerror(code))),
        location: SourceLocation(path: display))
    }
    var st = stat()
    guard fstat(fd, &st) == 0 else {
      let text = String(cString: strerror(errno))
      close(fd)
      throw FileReadError(reason: .system(text), location: SourceLocation(path: display))
    }
    guard case .regular(let size) = classify(st.st_mode, size: st.st_size) else {
      close(fd)
      if case .other(let what) = classify(st.st_mode, size: st.st_size) {
        throw FileReadError(reason: .notRegularFile(what), location: SourceLocation(path: display))
      }
      throw FileReadError(reason: .notRegularFile("a directory"), location: SourceLocation(path: display))
    }
    return (fd, size)
  }

  /// Reads a whole regular file of at most `limit` bytes.
  public static func readRegularFile(
    _ path: String, display: ArtifactPath, limit: UInt64 = defaultTextLimit
  ) throws(FileReadError) -> [UInt8] {
    let (fd, size) = try openRegular(path, display: display)
    defer { close(fd) }
    guard size <= limit else {
      throw FileReadError(reason: .tooLarge(size: size, limit: limit), location: SourceLocation(path: display))
    }
    var bytes = [UInt8](repeating: 0, count: Int(size))
    var filled = 0
    while filled < bytes.count {
      let n = bytes.withUnsafeMutableBytes { buffer in
        pread(fd, buffer.baseAddress.map { $0 + filled }, buffer.count - filled, off_t(filled))
      }
      if n < 0 {
        if errno == EINTR { continue }
        throw FileReadError(reason: .system(String(cString: strerror(errno))), location: SourceLocation(path: display))
      }
      if n == 0 { break }
      filled += n
    }
    if filled < bytes.count { bytes.removeLast(bytes.count - filled) }
    return bytes
  }
}
