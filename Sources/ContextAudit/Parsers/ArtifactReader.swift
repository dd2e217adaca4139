/// Reads one artifact from the file system with the parser its kind calls for.
///
/// This is the one place that maps a kind to a parser, so every caller (inspect, scan, and
/// later archives and stores) reads the same way.
public struct ArtifactReader: Sendable {
  /// Largest JSON, YAML, Markdown or Modelfile read, in bytes (default 16 MiB). A config.json
  /// may be as large: the JSON reader's own input limit is raised to match when this is.
  public var textLimit: UInt64

  public init(textLimit: UInt64 = FileReading.defaultTextLimit) {
    self.textLimit = textLimit
  }

  /// The JSON limits for a config read under `textLimit`: the defaults, with the input limit
  /// raised to `textLimit` when that is larger (never lowered: a smaller `textLimit` has
  /// already refused the file).
  var jsonLimits: JSONLimits {
    var limits = JSONLimits.default
    let text = Int(clamping: textLimit)
    if text > limits.maxInputBytes { limits.maxInputBytes = text }
    return limits
  }

  /// Reads the regular file at `filePath`, reporting locations under `display`.
  ///
  /// Never throws: a file that cannot be read or parsed comes back with `error` set and
  /// whatever facts were read before the problem.
  public func read(filePath: String, display: ArtifactPath, kind: ArtifactKind) -> ParsedArtifact {
    do {
      switch kind {
      case .gguf:
        let (fd, size) = try FileReading.openRegular(filePath, display: display)
        var source = FileByteSource(fd: fd, size: size, closeOnDeinit: true)
        return GGUFParser.parse(&source, path: display)
      case .configJSON, .modelCard, .yamlManifest, .modelfile, .ollamaParams:
        let bytes = try FileReading.readRegularFile(filePath, display: display, limit: textLimit)
        return parse(bytes: bytes, path: display, kind: kind)
      }
    } catch {
      return ParsedArtifact(path: display, kind: kind, facts: [], error: ParseFailure(error))
    }
  }

  /// Parses an artifact already in memory (archive members, tests).
  public func parse(bytes: [UInt8], path: ArtifactPath, kind: ArtifactKind) -> ParsedArtifact {
    switch kind {
    case .configJSON: return ConfigJSONParser.parse(bytes, path: path, limits: jsonLimits)
    case .gguf:
      var source = MemoryByteSource(bytes)
      return GGUFParser.parse(&source, path: path)
    case .modelCard: return ModelCardParser.parse(bytes, path: path)
    case .yamlManifest: return ManifestParser.parse(bytes, path: path)
    case .modelfile: return ModelfileParser.parse(bytes, path: path)
    case .ollamaParams: return ModelfileParser.parseOllamaParams(bytes, path: path)
    }
  }

  /// Guesses the kind of a file whose name says nothing, from its first bytes.
  public static func sniff(_ prefix: [UInt8]) -> ArtifactKind? {
    if prefix.starts(with: Array("GGUF".utf8)) || prefix.starts(with: Array("FUGG".utf8)) { return .gguf }
    var body = prefix[...]
    if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
    guard let first = body.first(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }) else { return nil }
    if first == UInt8(ascii: "{") { return .configJSON }
    if body.starts(with: Array("---".utf8)) { return .modelCard }
    return nil
  }
}
