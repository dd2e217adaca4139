import Glibc

/// Reads every artifact of one file or one model directory, for `ctxaudit inspect`.
public struct Inspector: Sendable {
  public var reader: ArtifactReader

  public init(reader: ArtifactReader = ArtifactReader()) {
    self.reader = reader
  }

  /// What inspecting a path found.
  public struct Result: Sendable {
    /// The artifacts read, sorted by path.
    public var artifacts: [ParsedArtifact]
  }

  /// An error that stops inspection before any artifact is read.
  public struct InputError: Error, Sendable, LocatedError {
    public var location: SourceLocation
    public var message: String
  }

  /// Reads `path`: a file of a kind ctxaudit knows (by name, else by its first bytes), or a
  /// directory whose top-level files of known kinds are read in name order.
  ///
  /// Paths in the result are as the user wrote `path` for a file, and `path/name` for
  /// directory members.
  public func inspect(path: String) throws(InputError) -> Result {
    let display = ArtifactPath(path)
    switch FileReading.entry(at: path) {
    case .missing:
      throw InputError(location: SourceLocation(path: display), message: "no such file or directory")
    case .other(let what):
      throw InputError(location: SourceLocation(path: display), message: "not a regular file or directory (\(what))")
    case .regular:
      let name = display.fileName
      guard let kind = ArtifactKind.detect(fileName: name) ?? sniffKind(path) else {
        throw InputError(
          location: SourceLocation(path: display),
          message: "not a kind of file ctxaudit reads (config.json, *.gguf, README.md, *.yaml, Modelfile)")
      }
      return Result(artifacts: [reader.read(filePath: path, display: display, kind: kind)])
    case .directory:
      let names = Inspector.listDirectory(path)
      var artifacts: [ParsedArtifact] = []
      let base = path.hasSuffix("/") ? String(path.dropLast()) : path
      for name in names {
        guard let kind = ArtifactKind.detect(fileName: name) else { continue }
        let member = base + "/" + name
        guard case .regular = FileReading.entry(at: member) else { continue }
        artifacts.append(reader.read(filePath: member, display: ArtifactPath(member), kind: kind))
      }
      return Result(artifacts: artifacts.sorted { $0.path < $1.path })
    }
  }

  private func sniffKind(_ path: String) -> ArtifactKind? {
    guard let (fd, _) = try? FileReading.openRegular(path, display: ArtifactPath(path)) else { return nil }
    defer { close(fd) }
    var prefix = [UInt8](repeating: 0, count: 64)
    let n = prefix.withUnsafeMutableBytes { pread(fd, $0.baseAddress, 64, 0) }
    guard n > 0 else { return nil }
    return ArtifactReader.sniff(Array(prefix[..<n]))
  }

  /// The names in a directory, sorted, without `.` and `..`.
  public static func listDirectory(_ path: String) -> [String] {
    guard let dir = opendir(path) else { return [] }
    defer { closedir(dir) }
    var names: [String] = []
    while let entry = readdir(dir) {
      let name = FileReading.entryName(entry)
      if name != "." && name != ".." { names.append(name) }
    }
    return names.sorted()
  }
}
