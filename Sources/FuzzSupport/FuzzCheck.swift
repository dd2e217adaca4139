@preconcurrency import Glibc
import ContextAudit

/// Invariant checks shared by the libFuzzer targets (`Sources/Fuzz*`).
///
/// A failed check prints one line to standard error and aborts, so libFuzzer reports a
/// deadly signal and writes the input to its crash file. Nothing here allocates in proportion
/// to more than the input, so the checks stay cheap next to the parsers they watch.
public enum FuzzCheck {
  /// Aborts with `message` when `condition` is false.
  public static func require(
    _ condition: Bool, _ message: @autoclosure () -> String, file: StaticString = #fileID, line: UInt = #line
  ) {
    if condition { return }
    fputs("fuzz invariant failed at \(file):\(line): \(message())\n", stderr)
    abort()
  }

  /// The fuzzer's input as an array (libFuzzer may pass a null pointer with size 0).
  public static func bytes(_ data: UnsafePointer<UInt8>?, _ size: Int) -> [UInt8] {
    guard let data, size > 0 else { return [] }
    return Array(UnsafeBufferPointer(start: data, count: size))
  }

  /// Equality of fact values in which NaN equals NaN (a parsed `NaN` must survive a round trip).
  public static func same(_ a: FactValue, _ b: FactValue) -> Bool {
    switch (a, b) {
    case let (.double(x), .double(y)): return x == y || (x.isNaN && y.isNaN)
    case let (.array(x), .array(y)): return x.count == y.count && zip(x, y).allSatisfy { same($0, $1) }
    case let (.object(x), .object(y)):
      return x.count == y.count && x.allSatisfy { key, value in y[key].map { same(value, $0) } ?? false }
    default: return a == b
    }
  }
}

/// What any location reported for one input may hold.
///
/// `maxLine` counts every byte that could end a line under any reader's rules (LF, CR, VT, FF,
/// and the last byte of NEL, LINE SEPARATOR and PARAGRAPH SEPARATOR in UTF-8, plus the
/// separators' low bytes in UTF-16), so it is an upper bound for libyaml, the JSON reader and
/// Swift's `isNewline` alike. Columns count Unicode scalars, so none exceeds the byte count + 1.
public struct InputBounds: Sendable {
  public let byteCount: Int
  public let maxLine: Int

  /// - Parameter lineOffset: lines before the input (a card's front matter is read from line 2).
  public init(_ bytes: [UInt8], lineOffset: Int = 0) {
    byteCount = bytes.count
    // A table lookup, not a switch: coverage instrumentation traces every comparison.
    let table = InputBounds.breakBytes
    let breaks = bytes.withUnsafeBufferPointer { buffer in
      table.withUnsafeBufferPointer { isBreak in buffer.reduce(0) { $0 + isBreak[Int($1)] } }
    }
    maxLine = breaks + 1 + lineOffset
  }

  private static let breakBytes: [Int] = (0..<256).map { [0x0A, 0x0B, 0x0C, 0x0D, 0x85, 0xA8, 0xA9, 0x28, 0x29].contains($0) ? 1 : 0 }

  /// Checks one location: the expected path, 1-based line and column within the input, no
  /// column without a line, and a byte offset no larger than the input.
  public func check(_ location: SourceLocation, path: ArtifactPath?, _ what: @autoclosure () -> String) {
    if let path {
      FuzzCheck.require(location.path == path, "\(what()): path \(location.path) (expected \(path))")
    }
    if let line = location.line {
      FuzzCheck.require(line >= 1 && line <= maxLine, "\(what()): line \(line) outside 1...\(maxLine)")
    }
    if let column = location.column {
      FuzzCheck.require(location.line != nil, "\(what()): column \(column) without a line")
      FuzzCheck.require(column >= 1 && column <= byteCount + 1, "\(what()): column \(column) outside 1...\(byteCount + 1)")
    }
    if let offset = location.offset {
      FuzzCheck.require(offset <= UInt64(byteCount), "\(what()): offset \(offset) past the input's \(byteCount) bytes")
    }
  }

  /// Checks a parser's whole result: every fact has a key and a good location, and an error
  /// has a non-empty message and a good location.
  public func check(_ artifact: ParsedArtifact, path: ArtifactPath, kind: ArtifactKind? = nil) {
    FuzzCheck.require(artifact.path == path, "artifact path \(artifact.path) (expected \(path))")
    if let kind { FuzzCheck.require(artifact.kind == kind, "artifact kind \(artifact.kind) (expected \(kind))") }
    for fact in artifact.facts {
      FuzzCheck.require(!fact.key.isEmpty, "a fact with an empty key")
      check(fact.location, path: path, "fact \(fact.key)")
    }
    if let error = artifact.error {
      FuzzCheck.require(!error.message.isEmpty, "an error with an empty message")
      check(error.location, path: path, "error \(error.message)")
    }
  }

  /// Checks an error of one of the parsers (anything `LocatedError`).
  public func check(_ error: any LocatedError, path: ArtifactPath) {
    FuzzCheck.require(!error.message.isEmpty, "an error with an empty message")
    check(error.location, path: path, "error \(error.message)")
  }
}
