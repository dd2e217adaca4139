/// What reading one artifact produced: its facts, or the error that stopped the reader.
///
/// A reader that fails part-way keeps the facts it had read before the error (a truncated
/// GGUF still tells its version and the keys before the cut).
public struct ParsedArtifact: Sendable {
  public var path: ArtifactPath
  public var kind: ArtifactKind
  public var facts: [Fact]
  public var error: ParseFailure?

  public init(path: ArtifactPath, kind: ArtifactKind, facts: [Fact], error: ParseFailure? = nil) {
    self.path = path
    self.kind = kind
    self.facts = facts
    self.error = error
  }
}

/// A reader's error in a form every later stage understands.
public struct ParseFailure: Error, Hashable, Sendable, LocatedError {
  public var location: SourceLocation
  public var message: String

  public init(location: SourceLocation, message: String) {
    self.location = location
    self.message = message
  }

  public init(_ error: any LocatedError) {
    self.location = error.location
    self.message = error.message
  }
}

/// An error that knows where in an input it happened.
///
/// Every parser's error enum conforms, so the engine turns any of them into a `parse-error`
/// finding without special cases. `message` is a fragment with no final period that names
/// the value and the expectation.
public protocol LocatedError: Error, Sendable {
  var location: SourceLocation { get }
  var message: String { get }
}

extension LocatedError {
  /// `path:line:column: message` (or `path at byte N: message`), one line.
  public var oneLine: String { "\(location.compactDescription): \(message)" }
}
