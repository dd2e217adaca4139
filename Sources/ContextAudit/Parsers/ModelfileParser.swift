// Stand-in so the package builds until the real reader lands; replace this whole file.

public enum ModelfileParser {
  public static func parse(_ bytes: [UInt8], path: ArtifactPath) -> ParsedArtifact {
    ParsedArtifact(path: path, kind: .modelfile, facts: [], error: ParseFailure(location: SourceLocation(path: path), message: "Modelfile reader not built yet"))
  }
}
