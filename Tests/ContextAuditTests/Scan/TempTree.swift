import Foundation

/// A temporary directory tree for file-system tests; removed when the value is dropped.
final class TempTree {
  let root: String

  init() throws {
    let base = FileManager.default.temporaryDirectory.appendingPathComponent("ctxaudit-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
    root = base.path
  }

  deinit { try? FileManager.default.removeItem(atPath: root) }

  func path(_ relative: String) -> String { root + "/" + relative }

  @discardableResult
  func file(_ relative: String, _ text: String = "{}") throws -> String {
    let full = path(relative)
    try FileManager.default.createDirectory(
      atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    try Data(text.utf8).write(to: URL(fileURLWithPath: full))
    return full
  }

  func directory(_ relative: String) throws {
    try FileManager.default.createDirectory(atPath: path(relative), withIntermediateDirectories: true)
  }

  func symlink(_ relative: String, to destination: String) throws {
    try FileManager.default.createDirectory(
      atPath: (path(relative) as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    try FileManager.default.createSymbolicLink(atPath: path(relative), withDestinationPath: destination)
  }
}
