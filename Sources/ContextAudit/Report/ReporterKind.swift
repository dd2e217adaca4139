/// The output formats of `ctxaudit scan --format`.
///
/// A new case does not compile until `makeReporter(options:)` and `fileExtension` handle it
/// (the exhaustive switches are the registry; there is no id lookup that could trap).
public enum ReporterKind: String, CaseIterable, Sendable {
  /// Aligned text for a terminal, 100 columns by default, optional ANSI colors.
  case table
  /// One pretty-printed JSON document; the machine contract (`schema/ctxaudit-report.schema.json`).
  case json
  /// SARIF 2.1.0 for code-scanning tools.
  case sarif
  /// GitHub-flavoured Markdown for a pull-request comment.
  case markdown
  /// JSON Lines: one model object per line, then one `{"summary": …}` line.
  case jsonl

  /// The reporter for this format.
  public func makeReporter(options: ReporterOptions = ReporterOptions()) -> any Reporter {
    switch self {
    case .table: return TableReporter(options: options)
    case .json: return JSONReporter()
    case .sarif: return SARIFReporter()
    case .markdown: return MarkdownReporter(options: options)
    case .jsonl: return JSONLReporter()
    }
  }

  /// The usual file extension for this format, without a dot (`txt`, `json`, `sarif`, `md`, `jsonl`).
  public var fileExtension: String {
    switch self {
    case .table: return "txt"
    case .json: return "json"
    case .sarif: return "sarif"
    case .markdown: return "md"
    case .jsonl: return "jsonl"
    }
  }
}
