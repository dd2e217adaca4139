/// Where a fact or finding came from.
///
/// Text formats carry a 1-based `line` and `column` (column counted in Unicode scalars) and,
/// for JSON and YAML, the dotted `keyPath` of the value. Binary formats carry `offset`, the byte
/// offset from the start of the artifact. A location never invents a line number: fields that
/// are not known are `nil`.
public struct SourceLocation: Hashable, Sendable, Codable, Comparable {
  /// Path of the artifact relative to the scan root; archive members use `!/`.
  public var path: ArtifactPath
  /// 1-based line, text formats only.
  public var line: Int?
  /// 1-based column in Unicode scalars, text formats only.
  public var column: Int?
  /// Dotted key path inside a JSON or YAML document (`rope_scaling.factor`, `spec.containers[0].args`).
  public var keyPath: String?
  /// Byte offset from the start of the artifact (binary formats, and JSON values and errors).
  public var offset: UInt64?

  public init(
    path: ArtifactPath, line: Int? = nil, column: Int? = nil, keyPath: String? = nil,
    offset: UInt64? = nil
  ) {
    self.path = path
    self.line = line
    self.column = column
    self.keyPath = keyPath
    self.offset = offset
  }

  enum CodingKeys: String, CodingKey {
    case path, line, column, offset
    case keyPath = "key_path"
  }

  /// `path:line:column`, `path@offset` or `path` alone, for one-line messages.
  public var compactDescription: String {
    var text = path.value
    if let line {
      text += ":\(line)"
      if let column { text += ":\(column)" }
    } else if let offset {
      text += " at byte \(offset)"
    }
    return text
  }

  public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
    if lhs.path != rhs.path { return lhs.path < rhs.path }
    if (lhs.line ?? 0) != (rhs.line ?? 0) { return (lhs.line ?? 0) < (rhs.line ?? 0) }
    if (lhs.column ?? 0) != (rhs.column ?? 0) { return (lhs.column ?? 0) < (rhs.column ?? 0) }
    if (lhs.offset ?? 0) != (rhs.offset ?? 0) { return (lhs.offset ?? 0) < (rhs.offset ?? 0) }
    return (lhs.keyPath ?? "") < (rhs.keyPath ?? "")
  }
}
