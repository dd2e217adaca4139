import Foundation
import Testing
@testable import ContextAudit

/// Our reader against gguf-py's own `GGUFReader` (Fixtures/gguf/expected/*.json, written by
/// make_fixtures.py): same keys in the same order at the same offsets, same types and values,
/// same tensor infos, data offsets and RoPE factor values.
@Suite struct GGUFCrossCheckTests {
  static let expectedFiles: [String] = {
    let dir = Paths.fixture("gguf/expected")
    return ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.hasSuffix(".json") }.sorted()
  }()

  @Test func everyGoodFixtureHasAnExpectedView() {
    #expect(Self.expectedFiles.count == 14)
  }

  @Test(arguments: expectedFiles)
  func matchesGGUFPyReader(expectedFile: String) throws {
    let fixture = String(expectedFile.dropLast(".json".count))
    let data = try Data(contentsOf: URL(fileURLWithPath: Paths.fixture("gguf/expected/" + expectedFile)))
    let expected = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    let (fd, size) = try FileReading.openRegular(Paths.fixture("gguf/" + fixture), display: ArtifactPath(fixture))
    var source = FileByteSource(fd: fd, size: size, closeOnDeinit: true)
    let header = try GGUFParser.readHeader(&source, path: ArtifactPath(fixture))

    #expect(header.byteOrder.rawValue == expected["byte_order"] as? String)
    #expect(Int(header.alignment) == expected["alignment"] as? Int)
    #expect(Int(header.dataOffset) == expected["data_offset"] as? Int)
    #expect(header.fileSize.map(Int.init) == expected["file_size"] as? Int)

    let kvs = try #require(expected["kvs"] as? [[String: Any]])
    #expect(header.keyValues.map(\.key) == kvs.compactMap { $0["key"] as? String })
    for (kv, want) in zip(header.keyValues, kvs) {
      #expect(Int(kv.offset) == want["offset"] as? Int, "\(kv.key)")
      #expect(kv.value.type.name == want["type"] as? String, "\(kv.key)")
      if let count = kv.value.arrayCount {
        #expect(Int(count) == want["count"] as? Int, "\(kv.key)")
        #expect(kv.value.typeName == "[\(want["element_type"] as? String ?? "?")]", "\(kv.key)")
      }
      if let wanted = want["value"] { #expect(Self.same(kv.value, wanted), "\(kv.key): \(kv.value) vs \(wanted)") }
    }

    let tensors = try #require(expected["tensors"] as? [[String: Any]])
    #expect(header.tensors.map(\.name) == tensors.compactMap { $0["name"] as? String })
    for (info, want) in zip(header.tensors, tensors) {
      #expect(info.typeName == want["type"] as? String)
      #expect(info.dims.map(Int.init) == want["dims"] as? [Int])
      #expect(Int(info.infoOffset) == want["info_offset"] as? Int)
      #expect(Int(header.dataOffset + info.relativeOffset) == want["data_offset"] as? Int)
      if let values = want["values"] as? [Double] {
        #expect(info.values == values.map { Float($0) }, "\(info.name)")
      }
    }
  }

  /// Compares one of our values with gguf-py's `contents()` as JSON gives it back.
  static func same(_ value: GGUFValue, _ json: Any) -> Bool {
    switch value {
    case .string(let s): return s == json as? String
    case .bool(let b): return (json as? Bool) == b
    case .float32(let f): return (json as? NSNumber).map { Float($0.doubleValue) == f } ?? false
    case .float64(let d): return (json as? NSNumber)?.doubleValue == d
    case .uint64(let v): return (json as? NSNumber)?.uint64Value == v
    case .array(_, let values):
      guard let items = json as? [Any], items.count == values.count else { return false }
      return zip(values, items).allSatisfy { same($0, $1) }
    case .skippedArray: return true
    default:
      guard let v = value.factValue.intValue else { return false }
      return (json as? NSNumber)?.int64Value == v
    }
  }
}
