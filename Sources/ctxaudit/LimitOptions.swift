import ArgumentParser
import ContextAudit

/// A byte count given on the command line: digits with an optional K, M or G (KiB, MiB, GiB).
struct ByteCount: ExpressibleByArgument, Sendable {
  /// The largest accepted: 2 GiB - 1, the most the JSON reader addresses.
  static let maximum: UInt64 = (1 << 31) - 1

  var bytes: UInt64

  init?(argument: String) {
    var digits = Substring(argument)
    var unit: UInt64 = 1
    switch digits.last.map({ Character($0.uppercased()) }) {
    case "K": unit = 1 << 10
    case "M": unit = 1 << 20
    case "G": unit = 1 << 30
    default: break
    }
    if unit != 1 { digits = digits.dropLast() }
    guard !digits.isEmpty, digits.allSatisfy(\.isASCII), let count = UInt64(digits) else { return nil }
    let (product, overflow) = count.multipliedReportingOverflow(by: unit)
    guard !overflow, product >= 1, product <= ByteCount.maximum else { return nil }
    bytes = product
  }

  static var defaultValueDescription: String { "16M" }
}

/// The walk and read limits a user may raise or lower (README "Limits"), shared by `scan` and
/// `hook` (include with `@OptionGroup`). Unset options keep the library defaults.
struct LimitOptions: ParsableArguments {
  @Option(help: ArgumentHelp("Deepest directory level below a path that is walked (default: 32).", valueName: "n"))
  var maxDepth: Int?

  @Option(help: ArgumentHelp("Most entries read from one directory (default: 100000).", valueName: "n"))
  var maxEntries: Int?

  @Option(
    help: ArgumentHelp(
      "Largest config, card, manifest or Modelfile read, on disk or in an archive; K, M and G suffixes (default: 16M).",
      valueName: "bytes"))
  var maxTextBytes: ByteCount?

  @Option(help: ArgumentHelp("Most entries examined in one archive (default: 100000).", valueName: "n"))
  var maxArchiveEntries: Int?

  func validate() throws {
    if let maxDepth, maxDepth < 0 { throw ValidationError("'--max-depth' must be at least 0") }
    if let maxEntries, maxEntries < 1 { throw ValidationError("'--max-entries' must be at least 1") }
    if let maxArchiveEntries, maxArchiveEntries < 1 {
      throw ValidationError("'--max-archive-entries' must be at least 1")
    }
  }

  func apply(to scanner: inout Scanner) {
    if let maxDepth { scanner.discovery.limits.maxDepth = maxDepth }
    if let maxEntries { scanner.discovery.limits.maxEntriesPerDirectory = maxEntries }
    if let maxTextBytes { scanner.textLimit = maxTextBytes.bytes }
    if let maxArchiveEntries { scanner.archiveReader.limits.maxEntries = maxArchiveEntries }
  }
}
