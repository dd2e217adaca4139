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

  @Option(help: ArgumentHelp("Deepest directory level below a path that is walked (default: 32).", valueName: "n"))
  var maxDepth: Int?

  @Option(help: ArgumentHelp("Most entries read from one directory (default: 100000).", valueName: "n"))
  var maxEntries: Int?

  @OptionGroup var rulesOptions: RulesOptions

  func validate() throws {
    if let output, case .directory = FileReading.entry(at: output) {
      throw ValidationError("'--output' must be a file, not a directory")
    }
    if let shard, Scan.parseShard(shard) == nil {
      throw ValidationError("'--shard' must be K/N with 1 <= K <= N, e.g. 2/8")
    }
    if let jobs, jobs < 1 { throw ValidationError("'--jobs' must be at least 1") }
    if let maxDepth, maxDepth < 0 { throw ValidationError("'--max-depth' must be at least 0") }
    if let maxEntries, maxEntries < 1 { throw ValidationError("'--max-entries' must be at least 1") }
  }

  static func parseShard(_ text: String) -> Shard? {
    let parts = text.split(separator: "/")
    guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]) else { return nil }
    return Shard(index: k - 1, count: n)
  }

  func run() throws {
    let roots = paths.isEmpty ? ["."] : paths
    var (config, catalog) = try rulesOptions.loadConfigAndCatalog(startingAt: roots[0])
    for id in disabled {
      guard let rule = catalog.rule(id: id) else {
        Output.error("ctxaudit: '--disable \(TerminalText.sanitize(id))': no such rule")
        throw ExitCode(ExitStatus.toolFailure)
      }
      config.disabled.insert(rule.id)
    }
    var scanner = Scanner()
    if let jobs { scanner.concurrency = jobs }
    if let maxDepth { scanner.discovery.limits.maxDepth = maxDepth }
    if let maxEntries { scanner.discovery.limits.maxEntriesPerDirectory = maxEntries }
    let run = ScanRun(scanner: scanner, auditor: Auditor(rules: catalog.rules, config: config))
    let progress = Progress(enabled: !noProgress && isatty(STDERR_FILENO) == 1)
    let report: ScanReport
    do {
      report = try run.run(roots: roots, shard: shard.flatMap(Scan.parseShard)) { done, total in
        progress.update(done: done, total: total)
      }
    } catch {
      progress.finish()
      Output.error("ctxaudit: " + TerminalText.sanitize(error.oneLine))
      throw ExitCode(ExitStatus.toolFailure)
    }
    progress.finish()

    let useColor: Bool
    switch color {
    case .always: useColor = true
    case .never: useColor = false
    case .auto: useColor = output == nil && isatty(STDOUT_FILENO) == 1 && getenv("NO_COLOR") == nil
    }
    let reporter = format.reporterKind.makeReporter(
      options: ReporterOptions(color: useColor && format == .table, width: 100, rootLabel: roots.count == 1 ? roots[0] : nil))
    let text = try reporter.render(report)
    if let output {
      guard Output.writeFile(output, text) else {
        Output.error("ctxaudit: cannot write '\(TerminalText.sanitize(output))': \(String(cString: strerror(errno)))")
        throw ExitCode(ExitStatus.toolFailure)
      }
    } else {
      Output.write(text)
    }
    for model in report.models {
      for finding in model.findings where finding.rule == Finding.parseErrorRule || finding.rule == ScanRun.inputSkippedRule {
        let place = finding.location?.compactDescription ?? model.path.value
        Output.error("ctxaudit: " + TerminalText.sanitize(place + ": " + finding.message))
      }
    }
    if let threshold = failOn.threshold,
      report.models.contains(where: { $0.findings.contains { $0.severity >= threshold } })
    {
      throw ExitCode(ExitStatus.findings)
    }
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
