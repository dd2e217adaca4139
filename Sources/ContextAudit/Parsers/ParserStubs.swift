// Temporary stand-ins so the package builds while the parsers land; each is replaced by its own file.

enum StubError {
  static func failure(_ path: ArtifactPath, _ what: String) -> ParseFailure {
    ParseFailure(location: SourceLocation(path: path), message: "\(what) reader not built yet")
  }
}

public enum ConfigJSONParser {
  public static func parse(_ bytes: [UInt8], path: ArtifactPath) -> ParsedArtifact {
    ParsedArtifact(path: path, kind: .configJSON, facts: [], error: StubError.failure(path, "JSON"))
  }
}

public enum ModelCardParser {
  public static func parse(_ bytes: [UInt8], path: ArtifactPath) -> ParsedArtifact {
    ParsedArtifact(path: path, kind: .modelCard, facts: [], error: StubError.failure(path, "model card"))
  }
}

public enum ManifestParser {
  public static func parse(_ bytes: [UInt8], path: ArtifactPath) -> ParsedArtifact {
    ParsedArtifact(path: path, kind: .yamlManifest, facts: [], error: StubError.failure(path, "manifest"))
  }
}

public enum ModelfileParser {
  public static func parse(_ bytes: [UInt8], path: ArtifactPath) -> ParsedArtifact {
    ParsedArtifact(path: path, kind: .modelfile, facts: [], error: StubError.failure(path, "Modelfile"))
  }
}

public protocol ByteSource {}

public struct FileByteSource: ByteSource {
  public init(fd: Int32, size: UInt64, closeOnDeinit: Bool) {}
}

public struct MemoryByteSource: ByteSource {
  public init(_ bytes: [UInt8]) {}
}

public enum GGUFParser {
  public static func parse(_ source: inout some ByteSource, path: ArtifactPath) -> ParsedArtifact {
    ParsedArtifact(path: path, kind: .gguf, facts: [], error: StubError.failure(path, "GGUF"))
  }
}
