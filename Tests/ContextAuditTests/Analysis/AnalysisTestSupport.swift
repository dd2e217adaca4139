import Foundation
import Testing

@testable import ContextAudit

/// Audits real fixtures the way a scan does (`Auditor.audit` over parsed artifacts), without rules.
enum AnalysisFixtures {
  static let auditor = Auditor(rules: [])
  static let reader = ArtifactReader()

  /// `Fixtures/models/<name>`: every `.json` file in it, read as `config-json`.
  static func model(_ name: String) throws -> ModelReport {
    let directory = Paths.fixture("models/" + name)
    let files = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".json") }.sorted()
    let artifacts = files.map { file in
      reader.read(filePath: directory + "/" + file, display: ArtifactPath(name + "/" + file), kind: .configJSON)
    }
    return audit(name, artifacts)
  }

  /// `Fixtures/gguf/<name>.gguf` as a single-file unit.
  static func gguf(_ name: String) -> ModelReport {
    let artifact = reader.read(
      filePath: Paths.fixture("gguf/\(name).gguf"), display: ArtifactPath(name + ".gguf"), kind: .gguf)
    return audit(name + ".gguf", [artifact])
  }

  /// A unit with one `config.json` given as text.
  static func config(_ name: String, json: String) -> ModelReport {
    let path = ArtifactPath(name + "/config.json")
    return audit(name, [reader.parse(bytes: Array(json.utf8), path: path, kind: .configJSON)])
  }

  /// The text of `Fixtures/models/<name>/config.json` with `insert` placed after the line
  /// holding `after` (the fixtures are written one key per line).
  static func configText(_ name: String, inserting insert: String, after: String) throws -> String {
    let text = String(decoding: try Paths.fixtureBytes("models/\(name)/config.json"), as: UTF8.self)
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let index = try #require(lines.firstIndex { $0.contains(after) })
    lines.insert(insert, at: index + 1)
    return lines.joined(separator: "\n")
  }

  static func audit(_ path: String, _ artifacts: [ParsedArtifact]) -> ModelReport {
    auditor.audit(ScannedUnit(path: ArtifactPath(path), name: nil, artifacts: artifacts))
  }
}

extension RopeAnalysisReport {
  /// `[kept, blended, interpolated, compressed, overstretched]` counts.
  var kindCounts: [Int] { RoPEAnalysis.PairKind.allCases.map(count) }

  /// The pair kinds as one string, `k` for kept, `b` blended, `i` interpolated, `c` compressed, `o` overstretched.
  var kindString: String {
    String(pairs.map { pair -> Character in
      switch pair.kind {
      case .kept: return "k"
      case .blended: return "b"
      case .interpolated: return "i"
      case .compressed: return "c"
      case .overstretched: return "o"
      }
    })
  }
}

/// `n` copies of `c`, for expected kind strings.
func run(_ c: Character, _ n: Int) -> String { String(repeating: c, count: n) }
