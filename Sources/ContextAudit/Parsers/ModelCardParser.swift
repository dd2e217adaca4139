// Stand-in so the package builds until the real reader lands; replace this whole file.

public enum ModelCardParser {
  public static func parse(_ bytes: [UInt8], path: ArtifactPath) -> ParsedArtifact {
    ParsedArtifact(path: path, kind: .modelCard, facts: [], error: ParseFailure(location: SourceLocation(path: path), message: "model card reader not built yet"))
  }
}
