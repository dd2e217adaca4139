/// GitHub-flavoured Markdown for a pull-request comment: a heading with the counts per
/// severity, then per model a one-row table (model, verdict, the four windows), a `RoPE:` line
/// with the RoPE analysis summary when the model has one, and a findings table (severity,
/// rule, message, location), or "No findings.".
///
/// No HTML is written. Identifiers (paths, rule ids, locations) go in code spans; free text
/// (verdicts, messages, notes) has Markdown punctuation backslash-escaped. In both, pipes are
/// escaped for GFM tables and control characters (newlines included) are shown as visible
/// escapes (`\n`) by `ReportText.display`, so input text can neither break a table row nor
/// inject markup.
public struct MarkdownReporter: Reporter {
  public static let id = "markdown"

  public var options: ReporterOptions

  public init(options: ReporterOptions = ReporterOptions()) {
    self.options = options
  }

  public func render(_ report: ScanReport) -> String {
    let summary = report.summary
    let total = summary.errors + summary.warnings + summary.notes
    var blocks: [String] = []
    let counts = total == 0 ? "no findings" : ReportText.counts(summary)
    blocks.append("## ctxaudit: \(counts) in \(ReportText.count(summary.models, "model"))")
    if let root = options.rootLabel {
      blocks.append("Scanned " + Self.code(root) + ".")
    }
    for model in report.models {
      blocks.append(modelTable(model))
      if let analysis = model.analysis {
        blocks.append("RoPE: " + Self.text(analysis.summary))
      }
      blocks.append(findingsTable(model))
    }
    return blocks.joined(separator: "\n\n") + "\n"
  }

  func modelTable(_ model: ModelReport) -> String {
    var title = Self.code(model.path.value)
    if let name = model.name { title += " " + Self.code(name) }
    title += " (" + (model.architecture.map(Self.text) ?? "architecture unknown") + ")"
    var verdict = model.verdict.kind.rawValue + ": " + Self.text(model.verdict.summary)
    if let reason = model.verdict.reason { verdict += " — " + Self.text(reason) }
    let w = model.windows
    return [
      "| Model | Verdict | Native | Effective | Advertised | Served |",
      "| --- | --- | ---: | ---: | ---: | ---: |",
      "| " + [
        title, verdict, ReportText.window(w.native), ReportText.window(w.effective),
        ReportText.window(w.advertised), ReportText.window(w.served),
      ].joined(separator: " | ") + " |",
    ].joined(separator: "\n")
  }

  func findingsTable(_ model: ModelReport) -> String {
    let findings = ScanReport.ordered(model.findings)
    guard !findings.isEmpty else { return "No findings." }
    var rows = ["| Severity | Rule | Message | Location |", "| --- | --- | --- | --- |"]
    for finding in findings {
      let location = finding.location == nil ? "—" : Self.code(ReportText.location(finding.location, in: model.path))
      rows.append(
        "| " + [finding.severity.rawValue, Self.code(finding.rule), Self.text(finding.message), location]
          .joined(separator: " | ") + " |")
    }
    return rows.joined(separator: "\n")
  }

  /// Free text for a table cell: made displayable, then every ASCII character that could
  /// start markup (emphasis, links, autolinks, raw HTML, entities, code, strikethrough,
  /// table cells) is backslash-escaped, which CommonMark allows for any ASCII punctuation.
  static func text(_ s: String) -> String {
    var out = ""
    for scalar in ReportText.display(s).unicodeScalars {
      if "\\`*_[]<>|~&".unicodeScalars.contains(scalar) { out += "\\" }
      out.unicodeScalars.append(scalar)
    }
    return out
  }

  /// An identifier as a code span: made displayable, pipes escaped (GFM table cells honour
  /// `\|` even inside code spans), and fenced with one more backtick than the longest run of
  /// backticks inside, padded with spaces when it starts or ends with a backtick.
  static func code(_ s: String) -> String {
    var body = ""
    for scalar in ReportText.display(s).unicodeScalars {
      if scalar == "|" { body += "\\" }
      body.unicodeScalars.append(scalar)
    }
    var longest = 0
    var run = 0
    for scalar in body.unicodeScalars {
      run = scalar == "`" ? run + 1 : 0
      longest = max(longest, run)
    }
    let fence = String(repeating: "`", count: longest + 1)
    let pad = body.hasPrefix("`") || body.hasSuffix("`") ? " " : ""
    return fence + pad + body + pad + fence
  }
}
