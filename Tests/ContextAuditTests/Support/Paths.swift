import Foundation

/// Locations in the repository, found from this file's path so tests do not depend on the
/// current directory.
enum Paths {
  /// The repository root (the folder holding Package.swift).
  static let root: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent()  // Support
    .deletingLastPathComponent()  // ContextAuditTests
    .deletingLastPathComponent()  // Tests
    .deletingLastPathComponent()

  static let fixtures = root.appendingPathComponent("Fixtures")
  static let rules = root.appendingPathComponent("Rules")

  /// `Fixtures/<relative>` as a file system path.
  static func fixture(_ relative: String) -> String {
    fixtures.appendingPathComponent(relative).path
  }

  /// The bytes of `Fixtures/<relative>`.
  static func fixtureBytes(_ relative: String) throws -> [UInt8] {
    Array(try Data(contentsOf: fixtures.appendingPathComponent(relative)))
  }
}
