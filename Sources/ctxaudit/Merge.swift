import ArgumentParser
import ContextAudit
@preconcurrency import Glibc

/// `ctxaudit merge FILE...`: one report from the reports of a sharded scan.
struct Merge: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Merge the JSON or JSON Lines reports of 'scan --shard K/N' runs into one report.",
    discussion: """
      Models are sorted by path and the summary is recomputed, so merging every shard of a scan \
      gives the bytes one whole scan gives. A JSON Lines report without its final summary line (a \
      shard that did not finish) and a model found in two files are errors. Pass the same rule \
      options as the scans: SARIF lists the loaded rules. \
      Exit status: 0 no findings at or above --fail-on; 1 findings at or above it; \
      2 a report cannot be read or merged, or the output cannot be written; 64 usage error.
      """)

  @Argument(help: "Shard reports written by 'ctxaudit scan --format json' or '--format jsonl'.")
  var files: [String]

  @Option(help: "Report format: json, jsonl, table, sarif or markdown.")
  var format: Scan.Format = .json

  @Option(name: .shortAndLong, help: ArgumentHelp("Write the report to a file instead of standard output.", valueName: "file"))
  var output: String?

  @Option(help: "Exit 1 when a finding is at or above this severity: error, warning, note or never.")
  var failOn: Scan.FailOn = .error

  @Option(help: "Color in the table report: auto, always or never.")
  var color: Scan.ColorMode = .auto

  @OptionGroup var rulesOptions: RulesOptions

  /// Largest report file read: 1 GiB (a JSON Lines line is a few KiB per model).
  static let fileLimit: UInt64 = 1 << 30

  func validate() throws {
    if files.isEmpty { throw ValidationError("'merge' needs at least one report file") }
    if let output, case .directory = FileReading.entry(at: output) {
      throw ValidationError("'--output' must be a file, not a directory")
    }
  }

  func run() throws {
    let auditor = try ScanSupport.auditor(rulesOptions, disabled: [], configStart: ".")
    var shards: [ReportMerge.ShardReport] = []
    let report: ScanReport
    do {
      for file in files {
        let display = ArtifactPath(file)
        let bytes = try FileReading.readRegularFile(file, display: display, limit: Merge.fileLimit)
        shards.append(try ReportMerge.read(bytes, path: display))
      }
      report = try ReportMerge.merge(shards, rules: auditor.ruleInfos)
    } catch let error as any LocatedError {
      Output.error("ctxaudit: " + TerminalText.sanitize(error.oneLine))
      throw ExitCode(ExitStatus.toolFailure)
    }
    try ScanSupport.finish(report, format: format, output: output, color: color, failOn: failOn, rootLabel: nil)
  }
}
