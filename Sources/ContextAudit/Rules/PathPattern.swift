/// The `path:` of a `.ctxaudit.yaml` ignore entry: a glob or a plain prefix.
///
/// Matched against the artifact path reports show (relative to the scan root, archive members
/// after `!/`); a leading `./` on either side is ignored.
/// - Without `*` or `?` the pattern is a prefix: it matches the path itself and anything under
///   it (`models/qwen` matches `models/qwen/config.json` and `models/qwen.zip` does not).
/// - With them it is a glob: `*` matches any run of characters except `/`, `**` any run
///   including `/`, `?` one character except `/`. A glob matches a path when it matches the
///   whole path or a leading part of it that ends at a `/` (so `models/*` covers everything
///   under each model folder), as gitignore patterns do.
public struct PathPattern: Hashable, Sendable, CustomStringConvertible {
  /// Longest pattern and path compared, in Unicode scalars (keeps the glob match bounded).
  public static let maxLength = 4096

  /// The pattern as written in the config.
  public let pattern: String

  public init(_ pattern: String) {
    self.pattern = pattern
  }

  /// Whether the pattern uses `*` or `?` (else it is a prefix).
  public var isGlob: Bool { pattern.contains("*") || pattern.contains("?") }

  public var description: String { pattern }

  /// Whether the pattern covers the artifact path `path` (see the type's summary).
  public func matches(_ path: String) -> Bool {
    let p = PathPattern.normalize(pattern)
    let s = PathPattern.normalize(path)
    guard p.count <= PathPattern.maxLength, s.count <= PathPattern.maxLength else { return false }
    if !isGlob {
      if p.isEmpty { return true }
      if s == p { return true }
      let base = p.hasSuffix("/") ? p : p + "/"
      return s.hasPrefix(base) || s.hasPrefix(p + "!/")
    }
    let pat = Array(p.unicodeScalars)
    let str = Array(s.unicodeScalars)
    let ends = PathPattern.globPrefixEnds(pat, str)
    if ends[str.count] { return true }
    for (i, scalar) in str.enumerated() where scalar == "/" && ends[i] { return true }
    return false
  }

  static func normalize(_ s: String) -> String {
    var text = Substring(s)
    while text.hasPrefix("./") { text = text.dropFirst(2) }
    return String(text)
  }

  /// `ends[j]` is true when the whole pattern matches `str[0..<j]` (dynamic programming, O(n·m)).
  static func globPrefixEnds(_ pat: [Unicode.Scalar], _ str: [Unicode.Scalar]) -> [Bool] {
    // row[j]: pattern prefix consumed so far matches str[0..<j].
    var row = [Bool](repeating: false, count: str.count + 1)
    row[0] = true
    var i = 0
    while i < pat.count {
      var next = [Bool](repeating: false, count: str.count + 1)
      if pat[i] == "*" {
        let crossesSlash = i + 1 < pat.count && pat[i + 1] == "*"
        for j in 0...str.count {
          if row[j] {
            next[j] = true
          } else if j > 0, next[j - 1], crossesSlash || str[j - 1] != "/" {
            next[j] = true
          }
        }
        i += crossesSlash ? 2 : 1
      } else {
        for (j, c) in str.enumerated() where row[j] {
          next[j + 1] = pat[i] == "?" ? c != "/" : c == pat[i]
        }
        i += 1
      }
      row = next
    }
    return row
  }
}
