/// Turns a `ScanReport` into text in one output format.
///
/// Each format is one struct in one file; `ReporterKind.makeReporter(options:)` picks one.
/// Reporters render the report and nothing else: no clock, no current directory, no
/// environment, so the same report gives byte-identical output.
public protocol Reporter: Sendable {
  /// The id users type after `--format` (`table`, `json`, `sarif`, `markdown`, `jsonl`).
  static var id: String { get }

  /// Renders the whole report; the text ends with a newline.
  ///
  /// - Throws: Nothing today; the requirement throws so a future format may fail cleanly
  ///   instead of trapping.
  func render(_ report: ScanReport) throws -> String
}

/// Settings that change how people-facing reports look; machine formats ignore them.
public struct ReporterOptions: Hashable, Sendable {
  /// ANSI colors for severities in the table. The CLI decides (`--color`/`--no-color`, else
  /// whether stdout is a terminal); reporters never look at the terminal themselves.
  public var color: Bool
  /// Target line width of the table, in terminal columns (one column per Unicode scalar).
  public var width: Int
  /// How the scan root is named in the table's summary line and the Markdown heading
  /// (usually the path the user passed). `nil` leaves it out. JSON, JSON Lines and SARIF
  /// never show it, so they hold no machine-specific path.
  public var rootLabel: String?

  public init(color: Bool = false, width: Int = 100, rootLabel: String? = nil) {
    self.color = color
    self.width = width
    self.rootLabel = rootLabel
  }
}

extension ScanReport {
  /// The findings of a model in report order: `Finding.<`, with severity (most severe
  /// first) as the final tie-break, so the order never depends on the input order.
  static func ordered(_ findings: [Finding]) -> [Finding] {
    findings.sorted { a, b in
      if a < b { return true }
      if b < a { return false }
      return a.severity > b.severity
    }
  }
}
