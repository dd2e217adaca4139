/// The machine contract: one pretty-printed JSON document.
///
/// Shape (all keys always present, sorted, `null` when unknown; see
/// `schema/ctxaudit-report.schema.json`):
///
/// ```
/// { "models": [ { "architecture", "findings": [ { "location", "message", "rule", "severity" } ],
///                 "name", "path", "runtimes", "sources", "verdict", "windows" } ],
///   "schema_version": 1, "summary": { "errors", "models", "notes", "warnings" },
///   "tool": { "name", "version" } }
/// ```
///
/// Models keep the order the caller gave; findings are sorted (`ScanReport.ordered`).
/// Integers are written as integers, doubles in shortest round-trip form, non-finite
/// doubles as `null`. 2-space indent, final newline.
public struct JSONReporter: Reporter {
  public static let id = "json"

  public init() {}

  public func render(_ report: ScanReport) -> String {
    report.jsonNode.pretty + "\n"
  }
}
