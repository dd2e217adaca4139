/// The files that together describe one model: a model directory's config, GGUF, card and
/// manifests, or a single file given on its own.
public struct ModelUnit: Hashable, Sendable, Comparable {
  /// One file of the unit: where to read it and how to name it in reports.
  public struct Member: Hashable, Sendable, Comparable {
    /// File system path used to open the file.
    public var filePath: String
    /// Path shown in reports, relative to the scan root.
    public var display: ArtifactPath
    public var kind: ArtifactKind

    public init(filePath: String, display: ArtifactPath, kind: ArtifactKind) {
      self.filePath = filePath
      self.display = display
      self.kind = kind
    }

    public static func < (lhs: Member, rhs: Member) -> Bool { lhs.display < rhs.display }
  }

  /// The unit's path relative to the scan root (`.` for the root itself).
  public var path: ArtifactPath
  /// A display name when a store knows one.
  public var name: String?
  /// Sorted by display path.
  public var members: [Member]

  public init(path: ArtifactPath, name: String? = nil, members: [Member]) {
    self.path = path
    self.name = name
    self.members = members.sorted()
  }

  public static func < (lhs: ModelUnit, rhs: ModelUnit) -> Bool {
    lhs.path != rhs.path ? lhs.path < rhs.path : (lhs.name ?? "") < (rhs.name ?? "")
  }
}
