/// The path of an artifact relative to the scan root.
///
/// Archive members are joined with `!/`, for example `model.tar.gz!/llama/config.json`.
/// The string is what every report shows; it never holds an absolute path of the scanning
/// machine unless the user passed one.
public struct ArtifactPath: Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
  public var value: String

  public init(_ value: String) { self.value = value }

  public var description: String { value }

  /// The last path component (after the last `/` or `!/`).
  public var fileName: String {
    if let slash = value.lastIndex(of: "/") { return String(value[value.index(after: slash)...]) }
    return value
  }

  public static func < (lhs: ArtifactPath, rhs: ArtifactPath) -> Bool { lhs.value < rhs.value }

  public init(from decoder: any Decoder) throws {
    value = try decoder.singleValueContainer().decode(String.self)
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(value)
  }
}
