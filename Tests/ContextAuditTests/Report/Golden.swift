import Foundation
import Testing

/// Compares rendered text with a golden file under `Fixtures/reports/`.
///
/// `RECORD_GOLDENS=1 swift test …` rewrites the file and records a failure, so a recording
/// run never passes by accident (swift-argument-parser's `RECORD_SNAPSHOTS`).
enum Golden {
  static var recording: Bool { ProcessInfo.processInfo.environment["RECORD_GOLDENS"] == "1" }

  static func url(_ name: String) -> URL {
    Paths.fixtures.appendingPathComponent("reports").appendingPathComponent(name)
  }

  static func check(_ actual: String, _ name: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    let url = url(name)
    if recording {
      do {
        try Data(actual.utf8).write(to: url)
        Issue.record("recorded Fixtures/reports/\(name); rerun without RECORD_GOLDENS=1", sourceLocation: sourceLocation)
      } catch {
        Issue.record("cannot write Fixtures/reports/\(name): \(error)", sourceLocation: sourceLocation)
      }
      return
    }
    guard let data = try? Data(contentsOf: url) else {
      Issue.record(
        "missing golden Fixtures/reports/\(name); record it with RECORD_GOLDENS=1 swift test --filter Golden",
        sourceLocation: sourceLocation)
      return
    }
    let expected = String(decoding: data, as: UTF8.self)
    guard expected != actual else { return }
    let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
    let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
    let line = (0..<min(e.count, a.count)).first { e[$0] != a[$0] } ?? min(e.count, a.count)
    let want = line < e.count ? String(e[line]) : "<end of file>"
    let got = line < a.count ? String(a[line]) : "<end of output>"
    Issue.record(
      Comment(
        rawValue: "output differs from Fixtures/reports/\(name) at line \(line + 1):\n  expected: \(want)\n"
          + "  actual:   \(got)\n(if the change is intended: RECORD_GOLDENS=1 swift test --filter Golden)"),
      sourceLocation: sourceLocation)
  }
}
