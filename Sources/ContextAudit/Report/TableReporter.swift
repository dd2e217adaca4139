/// Aligned plain text for a terminal, readable at `options.width` columns (100 by default).
///
/// One block per model, then a summary line:
///
/// ```
/// gguf/Mistral-7B-Instruct-v0.3.Q4_K_M.gguf (llama): native, 32768 native (no scaling)
///   windows    native 32768, effective 32768, advertised unknown, served unknown
///   rope       64 pairs: 64 kept; longest wavelength 5.1M tokens
///   runtime    llama.cpp  32768  n_ctx 0 takes llama.context_length
///   warning  gguf-context-length-confirmed  byte 1207  llama.context_length 32768 is not confirmed by
///                                                      a config.json or model card
///
/// 5 models, 3 errors, 3 warnings, 2 notes
/// ```
///
/// The header (path, `[name]`, `(architecture)`, verdict kind and summary) moves the verdict
/// to its own line when it does not fit. `reason` and `followed` lines appear when the
/// verdict has them, and a `rope` line with the RoPE analysis summary when the model has one
/// (`64 pairs: 29 kept, 6 blended, 29 interpolated ×8; …`). Findings are rows of severity, rule, location and message, the message
/// wrapped under its own column; when that column would be narrower than 40, the block
/// stacks each finding instead (severity, rule and location on one line, the message
/// wrapped below). Locations are shortened against the model path
/// (`ReportText.location`). Every input-derived string goes through `ReportText.display`,
/// so no control character from an input reaches the terminal. With `options.color`,
/// severities are colored with ANSI SGR codes (error red, warning yellow, note cyan);
/// without it the text has no escape codes at all.
public struct TableReporter: Reporter {
  public static let id = "table"

  public var options: ReporterOptions

  public init(options: ReporterOptions = ReporterOptions()) {
    self.options = options
  }

  /// Column of the values after a line label (`  windows    `).
  static let labelWidth = 13
  static let severityWidth = 7
  /// Wider rule ids or locations switch a block to stacked rows.
  static let maxRuleWidth = 36
  static let maxLocationWidth = 28
  /// The narrowest message column worth aligning; below it a block uses stacked rows.
  static let minMessageWidth = 40

  public func render(_ report: ScanReport) -> String {
    var lines: [String] = []
    for (index, model) in report.models.enumerated() {
      if index > 0 { lines.append("") }
      lines += block(model)
    }
    if !report.models.isEmpty { lines.append("") }
    lines.append(summaryLine(report.summary))
    return lines.joined(separator: "\n") + "\n"
  }

  func block(_ model: ModelReport) -> [String] {
    let width = max(options.width, 40)
    var lines: [String] = []
    var title = ReportText.display(model.path.value)
    if let name = model.name { title += " [" + ReportText.display(name) + "]" }
    title += " (" + (model.architecture.map(ReportText.display) ?? "architecture unknown") + ")"
    let verdict = model.verdict.kind.rawValue + ", " + ReportText.display(model.verdict.summary)
    if TerminalText.width(title) + 2 + TerminalText.width(verdict) <= width {
      lines.append(title + ": " + verdict)
    } else {
      lines.append(title)
      lines += labelled("verdict", verdict, width: width)
    }

    let w = model.windows
    lines += labelled(
      "windows",
      "native \(ReportText.window(w.native)), effective \(ReportText.window(w.effective)), "
        + "advertised \(ReportText.window(w.advertised)), served \(ReportText.window(w.served))",
      width: width)
    if let reason = model.verdict.reason {
      lines += labelled("reason", ReportText.display(reason), width: width)
    }
    if let followed = model.verdict.followed {
      lines += labelled("followed", ReportText.display(followed.value), width: width)
    }
    if let analysis = model.analysis {
      lines += labelled("rope", ReportText.display(analysis.summary), width: width)
    }

    let runtimeWidth = model.runtimes.map { TerminalText.width(ReportText.display($0.runtime)) }.max() ?? 0
    let runtimeWindowWidth = model.runtimes.map { ReportText.window($0.window).count }.max() ?? 0
    for runtime in model.runtimes {
      let head =
        TerminalText.pad(ReportText.display(runtime.runtime), runtimeWidth) + "  "
        + TerminalText.pad(ReportText.window(runtime.window), runtimeWindowWidth) + "  "
      let noteWidth = max(width - Self.labelWidth - TerminalText.width(head), Self.minMessageWidth)
      let note = ReportText.wrap(ReportText.display(runtime.note), width: noteWidth)
      lines.append(TerminalText.pad("  runtime", Self.labelWidth) + head + note[0])
      let indent = String(repeating: " ", count: Self.labelWidth + TerminalText.width(head))
      lines += note.dropFirst().map { indent + $0 }
    }

    lines += findingLines(model, width: width)
    return lines
  }

  /// Findings as aligned rows. When the message column would be narrower than
  /// `minMessageWidth` (long rule ids or locations), the block switches to stacked rows:
  /// severity, rule and location on one line, the message wrapped on the lines below it.
  func findingLines(_ model: ModelReport, width: Int) -> [String] {
    let findings = ScanReport.ordered(model.findings)
    guard !findings.isEmpty else { return ["  no findings"] }
    let rows = findings.map { finding in
      (
        finding.severity,
        ReportText.display(finding.rule),
        ReportText.display(ReportText.location(finding.location, in: model.path)),
        ReportText.display(finding.message)
      )
    }
    let ruleWidth = min(Self.maxRuleWidth, rows.map { TerminalText.width($0.1) }.max() ?? 0)
    let locationWidth = min(Self.maxLocationWidth, rows.map { TerminalText.width($0.2) }.max() ?? 0)
    let severityColumn = 2 + Self.severityWidth + 2
    let messageColumn = severityColumn + ruleWidth + 2 + locationWidth + 2
    let stacked = width - messageColumn < Self.minMessageWidth
      || rows.contains { TerminalText.width($0.1) > ruleWidth || TerminalText.width($0.2) > locationWidth }

    var lines: [String] = []
    for (severity, rule, location, message) in rows {
      let severityCell = "  " + paint(TerminalText.pad(severity.rawValue, Self.severityWidth), severity) + "  "
      if stacked {
        let fullRuleWidth = rows.map { TerminalText.width($0.1) }.max() ?? 0
        let room = max(width - severityColumn - fullRuleWidth - 2, 8)
        lines.append(
          severityCell + TerminalText.pad(rule, fullRuleWidth) + "  " + ReportText.clip(location, room, keepEnd: true))
        let indent = String(repeating: " ", count: severityColumn)
        lines += ReportText.wrap(message, width: width - severityColumn).map { indent + $0 }
      } else {
        let wrapped = ReportText.wrap(message, width: width - messageColumn)
        let indent = String(repeating: " ", count: messageColumn)
        lines.append(
          severityCell + TerminalText.pad(rule, ruleWidth) + "  " + TerminalText.pad(location, locationWidth) + "  "
            + wrapped[0])
        lines += wrapped.dropFirst().map { indent + $0 }
      }
    }
    return lines
  }

  /// `  label      value`, the value wrapped under its own column.
  func labelled(_ label: String, _ value: String, width: Int) -> [String] {
    let wrapped = ReportText.wrap(value, width: max(width - Self.labelWidth, Self.minMessageWidth))
    let indent = String(repeating: " ", count: Self.labelWidth)
    return [TerminalText.pad("  " + label, Self.labelWidth) + wrapped[0]] + wrapped.dropFirst().map { indent + $0 }
  }

  func summaryLine(_ summary: ScanReport.Summary) -> String {
    var parts = [ReportText.count(summary.models, "model")]
    parts.append(summary.errors > 0 ? paint(ReportText.count(summary.errors, "error"), .error) : "0 errors")
    parts.append(
      summary.warnings > 0 ? paint(ReportText.count(summary.warnings, "warning"), .warning) : "0 warnings")
    parts.append(summary.notes > 0 ? paint(ReportText.count(summary.notes, "note"), .note) : "0 notes")
    let root = options.rootLabel.map { ReportText.display($0) + ": " } ?? ""
    return root + parts.joined(separator: ", ")
  }

  /// The text in the severity's ANSI color when `options.color` is on, else unchanged.
  func paint(_ text: String, _ severity: Severity) -> String {
    guard options.color else { return text }
    let code: String
    switch severity {
    case .error: code = "31"
    case .warning: code = "33"
    case .note: code = "36"
    }
    return "\u{1B}[\(code)m" + text + "\u{1B}[0m"
  }
}
