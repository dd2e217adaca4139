import CLibArchive
import Foundation
import Glibc
import Testing
@testable import ContextAudit

/// Scans with the repository's rules, one thread, as the CLI would.
enum ArchiveScan {
  static func rules() throws -> [RuleDefinition] {
    try RuleCatalog.load(directories: [Paths.rules.path]).rules
  }

  static func report(_ root: String, reader: ArchiveReader = ArchiveReader()) throws -> ScanReport {
    let scanner = Scanner(archiveReader: reader, concurrency: 1)
    return try ScanRun(scanner: scanner, auditor: Auditor(rules: try rules())).run(roots: [root])
  }

  /// The JSON report with every occurrence of `prefix` removed.
  static func json(_ report: ScanReport, removing prefix: String = "") -> String {
    let text = JSONReporter().render(report)
    return prefix.isEmpty ? text : text.replacingOccurrences(of: prefix, with: "")
  }

  /// Reads one archive under `Fixtures/archives/`, shown by its file name.
  static func contents(_ relative: String, reader: ArchiveReader = ArchiveReader()) -> ArchiveReader.Contents {
    let path = Paths.fixture("archives/" + relative)
    return reader.read(filePath: path, display: ArtifactPath(ArtifactPath(path).fileName))
  }
}

extension ArchiveReader.Contents {
  func artifact(_ path: String) -> ParsedArtifact? { artifacts.first { $0.path.value == path } }
}

extension ParsedArtifact {
  func value(_ key: String) -> FactValue? { facts.first { $0.key == key }?.value }
  func fact(_ key: String) -> Fact? { facts.first { $0.key == key } }
}

/// Facts without their artifact path: what a metamorphic comparison compares.
struct PathlessFact: Hashable, CustomStringConvertible {
  var key: String
  var value: FactValue
  var line: Int?
  var column: Int?
  var keyPath: String?
  var offset: UInt64?

  init(_ fact: Fact) {
    key = fact.key
    value = fact.value
    line = fact.location.line
    column = fact.location.column
    keyPath = fact.location.keyPath
    offset = fact.location.offset
  }

  var description: String { "\(key)=\(value) @\(line ?? 0):\(column ?? 0)/\(keyPath ?? "")/\(offset ?? 0)" }
}

/// Writes test archives with libarchive's own writer.
final class TestArchiveWriter {
  enum Format { case pax, zip, sevenZip }
  enum Filter { case none, gzip, xz, zstd }

  private let pointer: OpaquePointer
  private var closed = false

  init(path: String, format: Format, filter: Filter = .none) throws {
    guard let a = archive_write_new() else { throw WriterError(message: "archive_write_new failed") }
    pointer = a
    switch format {
    case .pax: archive_write_set_format_pax_restricted(a)
    case .zip: archive_write_set_format_zip(a)
    case .sevenZip: archive_write_set_format_7zip(a)
    }
    switch filter {
    case .none: archive_write_add_filter_none(a)
    case .gzip: archive_write_add_filter_gzip(a)
    case .xz: archive_write_add_filter_xz(a)
    case .zstd: archive_write_add_filter_zstd(a)
    }
    guard archive_write_open_filename(a, path) == ARCHIVE_OK else {
      throw WriterError(message: archive_error_string(a).map { String(cString: $0) } ?? "cannot open \(path)")
    }
  }

  deinit {
    if !closed { archive_write_close(pointer) }
    archive_write_free(pointer)
  }

  struct WriterError: Error { var message: String }

  /// A regular file; `zeros` extra zero bytes follow `bytes`, written in 1 MiB pieces.
  func file(_ name: String, _ bytes: [UInt8], zeros: Int = 0) throws {
    let entry = try header(name, type: 0o100000, size: bytes.count + zeros)
    defer { archive_entry_free(entry) }
    try check(archive_write_header(pointer, entry))
    if !bytes.isEmpty {
      _ = bytes.withUnsafeBytes { archive_write_data(pointer, $0.baseAddress, $0.count) }
    }
    var left = zeros
    let block = [UInt8](repeating: 0, count: 1 << 20)
    while left > 0 {
      let n = min(left, block.count)
      _ = block.withUnsafeBytes { archive_write_data(pointer, $0.baseAddress, n) }
      left -= n
    }
  }

  func file(_ name: String, text: String) throws { try file(name, Array(text.utf8)) }

  func symlink(_ name: String, to target: String) throws {
    let entry = try header(name, type: 0o120000, size: 0)
    defer { archive_entry_free(entry) }
    archive_entry_set_symlink(entry, target)
    try check(archive_write_header(pointer, entry))
  }

  func close() throws {
    closed = true
    try check(archive_write_close(pointer))
  }

  private func header(_ name: String, type: UInt32, size: Int) throws -> OpaquePointer {
    guard let entry = archive_entry_new() else { throw WriterError(message: "archive_entry_new failed") }
    archive_entry_set_pathname(entry, name)
    archive_entry_set_filetype(entry, type)
    archive_entry_set_perm(entry, 0o644)
    archive_entry_set_size(entry, la_int64_t(size))
    archive_entry_set_mtime(entry, 1_721_692_800, 0)
    return entry
  }

  private func check(_ status: Int32) throws {
    guard status >= ARCHIVE_WARN else {
      throw WriterError(message: archive_error_string(pointer).map { String(cString: $0) } ?? "write failed (\(status))")
    }
  }
}

/// A plain ustar archive written by hand, so that a large member can be a hole in a sparse
/// file: the test never writes (and the reader must never read) its bytes.
enum SparseTar {
  enum Member {
    case file(String, [UInt8])
    /// A member of `size` zero bytes left as a hole on disk.
    case hole(String, size: Int)
  }

  static func write(_ members: [Member], to path: String) throws {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    guard fd >= 0 else { throw TestArchiveWriter.WriterError(message: "cannot create \(path)") }
    defer { close(fd) }
    var position: off_t = 0
    func put(_ bytes: [UInt8]) {
      _ = bytes.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, position) }
      position += off_t(bytes.count)
    }
    for member in members {
      switch member {
      case .file(let name, let bytes):
        put(header(name, size: bytes.count))
        put(bytes + [UInt8](repeating: 0, count: (512 - bytes.count % 512) % 512))
      case .hole(let name, let size):
        put(header(name, size: size))
        position += off_t((size + 511) / 512 * 512)
      }
    }
    put([UInt8](repeating: 0, count: 1024))
    _ = ftruncate(fd, position)
  }

  /// A ustar header block for a regular file (names up to 100 bytes).
  static func header(_ name: String, size: Int) -> [UInt8] {
    var block = [UInt8](repeating: 0, count: 512)
    func field(_ offset: Int, _ text: String) {
      for (i, byte) in text.utf8.enumerated() { block[offset + i] = byte }
    }
    field(0, name)
    field(100, "0000644")
    field(108, "0000000")
    field(116, "0000000")
    field(124, String(format: "%011o", size))
    field(136, String(format: "%011o", 1_721_692_800))
    block[156] = UInt8(ascii: "0")
    field(257, "ustar")
    field(263, "00")
    for i in 148..<156 { block[i] = UInt8(ascii: " ") }
    let sum = block.reduce(0) { $0 + Int($1) }
    field(148, String(format: "%06o", sum))
    block[154] = 0
    block[155] = UInt8(ascii: " ")
    return block
  }
}

/// A temporary directory removed when the value goes away.
final class ArchiveTemp {
  let root: String

  init() throws {
    let base = FileManager.default.temporaryDirectory.appendingPathComponent("ctxaudit-archive-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
    root = base.path
  }

  deinit { try? FileManager.default.removeItem(atPath: root) }

  func path(_ name: String) -> String { root + "/" + name }
}
