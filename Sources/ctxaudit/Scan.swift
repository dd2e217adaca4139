import ArgumentParser
import ContextAudit
@preconcurrency import Glibc

struct Scan: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Audit every model under the given paths: native or interpolated, and what claims more than it can deliver.",
    discussion: """
      Exit status: 0 no findings at or above --fail-on; 1 findings at or above it; \
      2 the tool could not do its job (missing path, bad rules or config, unwritable output); 64 usage error.
      """)

  enum Format: String, ExpressibleByArgument, CaseIterable {
    case table, json, sarif, markdown, jsonl
    var reporterKind: ReporterKind {
      switch self {
      case .table: return .table
      case .json: return .json
      case .sarif: return .sarif
      case .markdown: return .markdown
      case .jsonl: return .jsonl
      }
    }
  }

  enum FailOn: String, ExpressibleByArgument, CaseIterable {
    case error, warning, note, never
    var threshold: Severity? {
      switch self {
      case .error: return .error
      case .warning: return .warning
      case .note: return .note
      case .never: return nil
      }
    }
  }

  enum ColorMode: String, ExpressibleByArgument, CaseIterable { case auto, always, never }

  @Argument(help: "Files, model directories, stores (HF cache, Ollama, LM Studio) or archives. Default: the current directory.")
  var paths: [String] = []

  @Option(help: "Report format: table, json, sarif, markdown or jsonl.")
  var format: Format = .table

  @Option(name: .shortAndLong, help: ArgumentHelp("Write the report to a file instead of standard output.", valueName: "file"))
  var output: String?

  @Option(help: "Exit 1 when a finding is at or above this severity: error, warning, note or never.")
  var failOn: FailOn = .error

  @Option(name: .customLong("disable"), help: ArgumentHelp("Turn a rule off (repeatable).", valueName: "id"))
  var disabled: [String] = []

  @Option(help: "Color in the table report: auto (when standard output is a terminal and NO_COLOR is unset), always or never.")
  var color: ColorMode = .auto

  @Flag(help: "Never print the progress line on standard error.")
  var noProgress = false

  @Option(help: ArgumentHelp("Audit only shard K of N (1-based), a deterministic slice of the models found.", valueName: "K/N"))
  var shard: String?

  @Option(help: ArgumentHelp("Worker threads (default: the number of cores).", valueName: "n"))
  var jobs: Int?

  @OptionGroup(title: "Limits") var limits: LimitOptions

  @OptionGroup var rulesOptions: RulesOptions

  func validate() throws {
    if let output, case .directory = FileReading.entry(at: output) {
      throw ValidationError("'--output' must be a file, not a directory")
    }
    if let shard, Scan.parseShard(shard) == nil {
      throw ValidationError("'--shard' must be K/N with 1 <= K <= N, e.g. 2/8")
    }
    if let jobs, jobs < 1 { throw ValidationError("'--jobs' must be at least 1") }
  }

  static func parseShard(_ text: String) -> Shard? {
    let parts = text.split(separator: "/")
    guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]) else { return nil }
    return Shard(index: k - 1, count: n)
  }

  func run() throws {
    let roots = paths.isEmpty ? ["."] : paths
    let auditor = try ScanSupport.auditor(rulesOptions, disabled: disabled, configStart: roots[0])
    var scanner = Scanner()
    if let jobs { scanner.concurrency = jobs }
    limits.apply(to: &scanner)
    let run = ScanRun(scanner: scanner, auditor: auditor)
    var plan: Scanner.Plan
    do {
      plan = try scanner.plan(roots: roots)
    } catch {
      Output.error("ctxaudit: " + TerminalText.sanitize(error.oneLine))
      throw ExitCode(ExitStatus.toolFailure)
    }
    if let shard = shard.flatMap(Scan.parseShard) { plan = plan.sharded(shard) }
    // Streamed lines on a terminal would break into the progress line; draw it only when
    // the report does not go to that terminal as it is made.
    let streamsToTerminal = format == .jsonl && output == nil && isatty(STDOUT_FILENO) == 1
    let progress = Progress(enabled: !noProgress && isatty(STDERR_FILENO) == 1 && !streamsToTerminal)
    if format == .jsonl {
      try ScanSupport.stream(run, plan: plan, output: output, failOn: failOn, progress: progress)
      return
    }
    let report = run.run(plan: plan) { done, total in progress.update(done: done, total: total) }
    progress.finish()
    try ScanSupport.finish(
      report, format: format, output: output, color: color, failOn: failOn, rootLabel: roots.count == 1 ? roots[0] : nil)
  }
}

/// What `scan`, `hook` and `merge` share: loading rules, writing a report, the exit status.
enum ScanSupport {
  /// The auditor for the loaded rules, with every `--disable` id turned off (an unknown id
  /// prints an error and exits 2).
  static func auditor(_ rulesOptions: RulesOptions, disabled: [String], configStart: String) throws -> Auditor {
    var (config, catalog) = try rulesOptions.loadConfigAndCatalog(startingAt: configStart)
    for id in disabled {
      guard let rule = catalog.rule(id: id) else {
        Output.error("ctxaudit: '--disable \(TerminalText.sanitize(id))': no such rule")
        throw ExitCode(ExitStatus.toolFailure)
      }
      config.disabled.insert(rule.id)
    }
    return Auditor(rules: catalog.rules, config: config)
  }

  /// Whether the table gets ANSI colors.
  static func useColor(_ mode: Scan.ColorMode, output: String?) -> Bool {
    switch mode {
    case .always: return true
    case .never: return false
    case .auto: return output == nil && isatty(STDOUT_FILENO) == 1 && getenv("NO_COLOR") == nil
    }
  }

  /// Renders and writes the report, prints unreadable inputs on standard error, and exits 1
  /// when a finding is at or above `failOn` (2 when the output cannot be written).
  static func finish(
    _ report: ScanReport, format: Scan.Format, output: String?, color: Scan.ColorMode, failOn: Scan.FailOn,
    rootLabel: String?
  ) throws {
    let reporter = format.reporterKind.makeReporter(
      options: ReporterOptions(color: useColor(color, output: output) && format == .table, width: 100, rootLabel: rootLabel))
    let text = try reporter.render(report)
    if let output {
      guard Output.writeFile(output, text) else {
        Output.error("ctxaudit: cannot write '\(TerminalText.sanitize(output))': \(String(cString: strerror(errno)))")
        throw ExitCode(ExitStatus.toolFailure)
      }
    } else {
      Output.write(text)
    }
    for model in report.models { printReadProblems(model) }
    if let threshold = failOn.threshold, report.models.contains(where: { reaches($0, threshold) }) {
      throw ExitCode(ExitStatus.findings)
    }
  }

  /// Streams JSON Lines: each model's line is written (and flushed) as soon as its place in the
  /// report order is settled, then the summary line; the bytes equal `JSONLReporter`'s.
  static func stream(_ run: ScanRun, plan: Scanner.Plan, output: String?, failOn: Scan.FailOn, progress: Progress) throws {
    let file: UnsafeMutablePointer<FILE>
    if let output {
      guard let opened = fopen(output, "w") else {
        Output.error("ctxaudit: cannot write '\(TerminalText.sanitize(output))': \(String(cString: strerror(errno)))")
        throw ExitCode(ExitStatus.toolFailure)
      }
      file = opened
    } else {
      file = stdout
    }
    let reporter = JSONLReporter()
    var problems: [ModelReport] = []
    var failing = false
    var writeFailed = false
    let summary = run.stream(plan: plan, onUnit: { done, total in progress.update(done: done, total: total) }) { model in
      let line = reporter.lineBytes(for: model)
      let written = line.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
      if written != line.count || fflush(file) != 0 { writeFailed = true }
      if model.findings.contains(where: isReadProblem) { problems.append(model) }
      if let threshold = failOn.threshold, reaches(model, threshold) { failing = true }
    }
    progress.finish()
    if fputs(reporter.summaryLine(summary), file) < 0 || fflush(file) != 0 { writeFailed = true }
    if output != nil, fclose(file) != 0 { writeFailed = true }
    if writeFailed {
      Output.error("ctxaudit: cannot write '\(TerminalText.sanitize(output ?? "standard output"))': \(String(cString: strerror(errno)))")
      throw ExitCode(ExitStatus.toolFailure)
    }
    for model in problems { printReadProblems(model) }
    if failing { throw ExitCode(ExitStatus.findings) }
  }

  static func isReadProblem(_ finding: Finding) -> Bool {
    finding.rule == Finding.parseErrorRule || finding.rule == ScanRun.inputSkippedRule
  }

  /// One line on standard error per file that could not be read or path that was skipped.
  static func printReadProblems(_ model: ModelReport) {
    for finding in model.findings where isReadProblem(finding) {
      let place = finding.location?.compactDescription ?? model.path.value
      Output.error("ctxaudit: " + TerminalText.sanitize(place + ": " + finding.message))
    }
  }

  static func reaches(_ model: ModelReport, _ threshold: Severity) -> Bool {
    model.findings.contains { $0.severity >= threshold }
  }
}

/// A one-line progress display on standard error: models done, rate, time left.
final class Progress: @unchecked Sendable {
  private let enabled: Bool
  private let lock = NSLockCompat()
  private var start = Progress.now()
  private var lastDraw = 0.0
  private var drawn = false

  init(enabled: Bool) { self.enabled = enabled }

  static func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
  }

  func update(done: Int, total: Int) {
    guard enabled else { return }
    lock.withLock {
      let t = Progress.now()
      guard t - lastDraw >= 0.1 || done == total else { return }
      lastDraw = t
      let elapsed = max(t - start, 1e-6)
      let rate = Double(done) / elapsed
      let left = rate > 0 ? Double(total - done) / rate : 0
      let line = "\r\(done)/\(total) items  \(Int(rate.rounded()))/s  \(Int(left.rounded()))s left "
      fputs(line, stderr)
      drawn = true
    }
  }

  func finish() {
    guard enabled else { return }
    lock.withLock {
      if drawn { fputs("\r\u{1B}[K", stderr) }
    }
  }
}

/// A pthread mutex, so the CLI needs no Foundation.
final class NSLockCompat: @unchecked Sendable {
  private var mutex = pthread_mutex_t()
  init() { pthread_mutex_init(&mutex, nil) }
  deinit { pthread_mutex_destroy(&mutex) }
  func withLock<T>(_ body: () -> T) -> T {
    pthread_mutex_lock(&mutex)
    defer { pthread_mutex_unlock(&mutex) }
    return body()
  }
}
