import Testing

@testable import ContextAudit

@Suite struct TableReporterTests {
  let text = TableReporter().render(.sample)
  var lines: [Substring] { text.split(separator: "\n", omittingEmptySubsequences: false) }

  @Test func fitsOneHundredColumns() {
    for line in lines {
      #expect(TerminalText.width(String(line)) <= 100, "\(line.count) columns: \(line)")
    }
  }

  @Test func headerWindowsRuntimesAndSummary() {
    #expect(
      lines.contains(
        "models/Llama-3.1-8B-Instruct [meta-llama/Llama-3.1-8B-Instruct@0e9e39f] (llama): interpolated, 131072 from 8192 native (llama3, factor 8.0, fine-tuned)"
      ) == false)  // 127 columns: split onto a verdict line instead
    #expect(lines.contains("models/Llama-3.1-8B-Instruct [meta-llama/Llama-3.1-8B-Instruct@0e9e39f] (llama)"))
    #expect(lines.contains("  verdict    interpolated, 131072 from 8192 native (llama3, factor 8.0, fine-tuned)"))
    #expect(lines.contains("gguf/Mistral-7B-Instruct-v0.3.Q4_K_M.gguf (llama): native, 32768 native (no scaling)"))
    #expect(lines.contains("  windows    native 32768, effective 131072, advertised 131072, served unknown"))
    #expect(lines.contains("  runtime    llama.cpp  unknown  no GGUF in this package"))
    #expect(lines.contains("  reason     no config.json, GGUF or Modelfile in this unit"))
    #expect(lines.contains("  followed   bundles/qwen2.5-7b.tar.gz!/Qwen2.5-7B-Instruct/config.json"))
    #expect(lines.contains("  no findings"))
    #expect(lines.last == "")
    #expect(lines.dropLast().last == "5 models, 3 errors, 3 warnings, 2 notes")
  }

  @Test func findingsAlignedWithShortLocations() throws {
    let rows = lines.filter { $0.hasPrefix("  error ") || $0.hasPrefix("  note ") || $0.hasPrefix("  warning ") }
    #expect(rows.count == 8)
    // a single-file model's own path is left out of its locations; the message column is wide enough
    #expect(
      rows[3] == "  warning  gguf-context-length-confirmed  byte 1207  llama.context_length 32768 is not confirmed by")
    // a missing location shows as (model); rule and location columns padded to the block's widest
    #expect(
      rows[6] == "  error    model-window-source-present  (model)        the card claims 8192 tokens but nothing in")
    #expect(rows[7].hasPrefix("  warning  model-card-claim-backed      README.md:3:1  card claim"))
  }

  /// Long locations would leave the message fewer than 40 columns: the block stacks instead.
  @Test func stacksFindingsWhenTheMessageColumnIsNarrow() throws {
    let index = try #require(lines.firstIndex { $0.hasPrefix("  error    cross-file-window-agrees") })
    #expect(lines[index] == "  error    cross-file-window-agrees     config.json:12:3")
    #expect(
      lines[index + 1]
        == #"           card row | Context Length | 131072 | disagrees with max_position_embeddings 32768\n(YaRN"#)
    #expect(lines[index + 2] == "           not enabled by default)")
    #expect(lines[index + 3] == "  note     config-json-yarn-fine-tuned  config.json:21:15")
    #expect(lines[index + 5] == "  error    parse-error                  generation_config.json:7:3")
    // key path only, inside the model directory
    #expect(lines.contains("  note     config-json-llama3-scaling        config.json rope_scaling.rope_type"))
  }

  @Test func wrapsMessagesUnderTheMessageColumn() throws {
    let index = try #require(lines.firstIndex { $0.contains("llama.context_length 32768 is") })
    let column = try #require(lines[index].range(of: "llama.context_length 32768")).lowerBound
    let offset = lines[index].distance(from: lines[index].startIndex, to: column)
    let next = lines[index + 1]
    #expect(next.prefix(offset).allSatisfy { $0 == " " })
    #expect(next.dropFirst(offset).first != " ")
    #expect(lines[index + 1].hasSuffix(" a config.json or model card"))
    #expect(offset == 53)
  }

  @Test func inputControlCharactersAreShownEscaped() {
    #expect(text.contains(#"card claim "\x1b[31m8K context\x1b[0m" is not"#))
    #expect(text.contains(#"32768\n(YaRN"#))
    #expect(!text.contains("\u{1B}"))
  }

  @Test func colorsSeveritiesOnlyWhenAsked() {
    let colored = TableReporter(options: ReporterOptions(color: true)).render(.sample)
    #expect(colored.contains("  \u{1B}[31merror  \u{1B}[0m  cross-file-window-agrees"))
    #expect(colored.contains("  \u{1B}[33mwarning\u{1B}[0m  "))
    #expect(colored.contains("  \u{1B}[36mnote   \u{1B}[0m  "))
    #expect(colored.hasSuffix("5 models, \u{1B}[31m3 errors\u{1B}[0m, \u{1B}[33m3 warnings\u{1B}[0m, \u{1B}[36m2 notes\u{1B}[0m\n"))
    // the input's own ESC sequence stays escaped even in color mode
    #expect(colored.contains(#"\x1b[31m8K context"#))
  }

  @Test func narrowWidthWrapsAndRootLabelLeadsSummary() {
    let narrow = TableReporter(options: ReporterOptions(width: 60, rootLabel: "./store")).render(.sample)
    let narrowLines = narrow.split(separator: "\n")
    #expect(narrowLines.last == "./store: 5 models, 3 errors, 3 warnings, 2 notes")
    #expect(narrowLines.contains("  windows    native 32768, effective 131072, advertised"))
    #expect(narrowLines.contains("             131072, served unknown"))
  }

  @Test func emptyScan() {
    #expect(TableReporter().render(ScanReport(models: [], rules: [])) == "0 models, 0 errors, 0 warnings, 0 notes\n")
  }

  @Test func wrapAndClip() {
    #expect(ReportText.wrap("aa bb cc", width: 5) == ["aa bb", "cc"])
    #expect(ReportText.wrap("abcdefgh x", width: 3) == ["abc", "def", "gh", "x"])
    #expect(ReportText.wrap("ab   cd", width: 10) == ["ab cd"])
    #expect(ReportText.wrap("", width: 10) == [""])
    #expect(ReportText.clip("config.json:12:3", 8, keepEnd: true) == "…on:12:3")
    #expect(ReportText.clip("gguf-context-length", 8) == "gguf-co…")
  }
}
