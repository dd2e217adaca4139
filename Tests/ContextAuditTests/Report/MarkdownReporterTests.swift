import Testing

@testable import ContextAudit

@Suite struct MarkdownReporterTests {
  let text = MarkdownReporter(options: ReporterOptions(rootLabel: "./store")).render(.sample)
  var lines: [Substring] { text.split(separator: "\n", omittingEmptySubsequences: false) }

  /// Cell separators: pipes not escaped by a backslash.
  static func cells(_ row: Substring) -> Int {
    var count = 0
    var escaped = false
    for c in row {
      if c == "|" && !escaped { count += 1 }
      escaped = c == "\\" && !escaped
    }
    return count - 1
  }

  @Test func headingCountsPerSeverity() {
    #expect(lines[0] == "## ctxaudit: 3 errors, 3 warnings, 2 notes in 5 models")
    #expect(lines[2] == "Scanned `./store`.")
    #expect(
      MarkdownReporter().render(ScanReport(models: [ScanReport.phi3], rules: []))
        .hasPrefix("## ctxaudit: no findings in 1 model\n\n| Model |"))
  }

  @Test func everyTableRowHasItsColumns() {
    var modelRows = 0
    var findingRows = 0
    for line in lines where line.hasPrefix("|") {
      let cells = Self.cells(line)
      #expect(cells == 6 || cells == 4, "\(cells) cells: \(line)")
      if cells == 6 { modelRows += 1 } else { findingRows += 1 }
    }
    #expect(modelRows == 5 * 3)  // header, delimiter, one row per model
    #expect(findingRows == 4 * 2 + 8)  // four models with findings
    #expect(text.contains("No findings."))
  }

  @Test func modelRowShowsVerdictAndWindows() {
    #expect(
      lines.contains(
        "| `bundles/qwen2.5-7b.tar.gz!/Qwen2.5-7B-Instruct` (qwen2) | interpolated: 131072 = 32768 x 4 (YaRN, not fine-tuned) | 32768 | 131072 | 131072 | unknown |"
      ))
    #expect(
      lines.contains(
        "| `modèles/Été 7B` `été\\u202elmth.exe` (architecture unknown) | unknown: no window source, only a model card — no config.json, GGUF or Modelfile in this unit | unknown | unknown | 8192 | unknown |"
      ))
  }

  @Test func pipesAndNewlinesInMessagesStayInTheirCell() {
    #expect(
      lines.contains(
        #"| error | `cross-file-window-agrees` | card row \| Context Length \| 131072 \| disagrees with max\_position\_embeddings 32768\\n(YaRN not enabled by default) | `config.json:12:3` |"#
      ))
    #expect(lines.contains("| error | `model-window-source-present` | the card claims 8192 tokens but nothing in the package declares a window | — |"))
    #expect(lines.contains("| warning | `gguf-context-length-confirmed` | llama.context\\_length 32768 is not confirmed by a config.json or model card | `byte 1207` |"))
  }

  @Test func noHTMLOrMarkupFromInputs() {
    let hostile = ModelReport(
      path: ArtifactPath("x|`y`"), sources: [], architecture: "<b>a</b>",
      verdict: Verdict(kind: .unknown, method: .unknown, summary: "*bold* [link](http://e.x) &amp;"),
      windows: Windows(),
      findings: [Finding(rule: "r", severity: .note, message: "<script>alert(1)</script>\r\n~~gone~~", location: nil)])
    let md = MarkdownReporter().render(ScanReport(models: [hostile], rules: []))
    #expect(md.contains("| `` x\\|`y` `` (\\<b\\>a\\</b\\>) | unknown: \\*bold\\* \\[link\\](http://e.x) \\&amp; |"))
    #expect(md.contains("| note | `r` | \\<script\\>alert(1)\\</script\\>\\\\r\\\\n\\~\\~gone\\~\\~ | — |"))
    #expect(md.split(separator: "\n").filter { $0.hasPrefix("|") }.allSatisfy { Self.cells($0) == 6 || Self.cells($0) == 4 })
  }

  @Test func codeSpans() {
    #expect(MarkdownReporter.code("a`b") == "``a`b``")
    #expect(MarkdownReporter.code("`x") == "`` `x ``")
    #expect(MarkdownReporter.code("p|q") == "`p\\|q`")
  }
}
