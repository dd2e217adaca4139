import Foundation
import Testing

@testable import ContextAudit

/// Every reporter renders `ScanReport.sample` exactly as its golden file says.
@Suite struct ReportGoldenTests {
  static let options = ReporterOptions(rootLabel: "./store")

  @Test(arguments: ReporterKind.allCases)
  func sampleMatchesGolden(kind: ReporterKind) throws {
    let text = try kind.makeReporter(options: Self.options).render(.sample)
    Golden.check(text, "sample.\(kind.rawValue).\(kind.fileExtension)")
  }

  @Test func coloredTableMatchesGolden() throws {
    var options = Self.options
    options.color = true
    Golden.check(try ReporterKind.table.makeReporter(options: options).render(.sample), "sample.table.color.txt")
  }

  @Test(arguments: ReporterKind.allCases)
  func reporterIDMatchesKind(kind: ReporterKind) {
    #expect(type(of: kind.makeReporter()).id == kind.rawValue)
  }

  /// No control character from an input reaches any output: the sample holds an ESC
  /// sequence and a newline in messages. Only `\n` line ends remain (and, in the colored
  /// table, the reporter's own SGR codes, checked separately).
  @Test(arguments: ReporterKind.allCases)
  func emitsNoInputControlCharacters(kind: ReporterKind) throws {
    let text = try kind.makeReporter(options: Self.options).render(.sample)
    let controls = text.unicodeScalars.filter {
      $0 != "\n" && ($0.value < 0x20 || $0.value == 0x7F || (0x80...0x9F).contains($0.value))
    }
    #expect(controls.isEmpty, "control characters \(controls.map { $0.value }) in \(kind) output")
    #expect(text.hasSuffix("\n") && !text.hasSuffix("\n\n"))
  }

  /// The people-facing formats also neutralise bidi overrides (the sample's model name has U+202E).
  @Test(arguments: [ReporterKind.table, .markdown])
  func escapesBidiOverridesForPeople(kind: ReporterKind) throws {
    let text = try kind.makeReporter(options: Self.options).render(.sample)
    #expect(!text.unicodeScalars.contains("\u{202E}"))
    #expect(text.contains("u202elmth.exe"))
  }

  /// The same report built with findings in another order renders byte for byte the same.
  @Test(arguments: ReporterKind.allCases)
  func outputDoesNotDependOnFindingOrder(kind: ReporterKind) throws {
    var shuffled = ScanReport.sample
    for index in shuffled.models.indices { shuffled.models[index].findings.reverse() }
    let reporter = kind.makeReporter(options: Self.options)
    #expect(try reporter.render(shuffled) == reporter.render(.sample))
  }
}
