import Foundation
import Glibc

/// Limits on walking a tree of model directories.
public struct WalkLimits: Hashable, Sendable {
  /// Deepest directory level below a scan root that is visited.
  public var maxDepth: Int
  /// Most entries read from one directory; the rest are reported and skipped.
  public var maxEntriesPerDirectory: Int

  public init(maxDepth: Int = 32, maxEntriesPerDirectory: Int = 100_000) {
    self.maxDepth = maxDepth
    self.maxEntriesPerDirectory = maxEntriesPerDirectory
  }

  public static let `default` = WalkLimits()
}

/// Finds the model units under the paths a user gives.
///
/// A directory that holds at least one file of a kind ctxaudit reads is a unit. When it holds
/// several GGUF files (quantisations of one model side by side), each GGUF is a unit of its own
/// and shares the directory's other files. Directories are walked depth-first in name order,
/// symlinked directories are followed once (a loop is cut at the first revisit), and only
/// regular files are read.
public struct UnitDiscovery: Sendable {
  public var limits: WalkLimits

  public init(limits: WalkLimits = .default) {
    self.limits = limits
  }

  /// A problem met while walking; the walk goes on.
  public struct Problem: Hashable, Sendable, LocatedError {
    public var location: SourceLocation
    public var message: String
  }

  /// An archive to read in one pass; its members form units of their own.
  public struct ArchiveItem: Hashable, Sendable, Comparable {
    public var filePath: String
    public var display: ArtifactPath

    public static func < (lhs: ArchiveItem, rhs: ArchiveItem) -> Bool { lhs.display < rhs.display }
  }

  public struct Result: Sendable {
    public var units: [ModelUnit]
    public var archives: [ArchiveItem]
    public var problems: [Problem]
  }

  /// An input path that does not exist or cannot be scanned at all.
  public struct MissingInput: Error, Sendable, LocatedError {
    public var location: SourceLocation
    public var message: String
  }

  /// Discovers units under `root`; report paths are relative to `root`, prefixed with `label`
  /// when given (used when several roots are scanned in one run).
  public func discover(root: String, label: String? = nil) throws(MissingInput) -> Result {
    let rootDisplay = label ?? "."
    switch FileReading.entry(at: root) {
    case .missing:
      throw MissingInput(location: SourceLocation(path: ArtifactPath(root)), message: "no such file or directory")
    case .other(let what):
      throw MissingInput(location: SourceLocation(path: ArtifactPath(root)), message: "not a regular file or directory (\(what))")
    case .regular:
      let name = ArtifactPath(root).fileName
      let display = ArtifactPath(label ?? name)
      if ArchiveFormat.isArchive(fileName: name) {
        return Result(units: [], archives: [ArchiveItem(filePath: root, display: display)], problems: [])
      }
      let kind = ArtifactKind.detect(fileName: name) ?? .configJSON
      return Result(
        units: [ModelUnit(path: display, members: [.init(filePath: root, display: display, kind: kind)])],
        archives: [], problems: [])
    case .directory:
      var walker = Walker(limits: limits)
      walker.walk(directory: root, display: rootDisplay, depth: 0)
      return Result(units: walker.units.sorted(), archives: walker.archives.sorted(), problems: walker.problems)
    }
  }

  private struct Walker {
    let limits: WalkLimits
    var units: [ModelUnit] = []
    var archives: [ArchiveItem] = []
    var problems: [Problem] = []
    var visited: Set<[UInt64]> = []

    init(limits: WalkLimits) { self.limits = limits }

    static func join(_ display: String, _ name: String) -> String {
      display == "." ? name : display + "/" + name
    }

    mutating func walk(directory: String, display: String, depth: Int) {
      let base = ArtifactPath(display).fileName
      if base.hasPrefix("models--"), FileReading.entry(at: directory + "/snapshots") == .directory {
        walkHubRepository(directory: directory, display: display, folder: base, depth: depth)
        return
      }
      // Dataset and Space repositories share the hub cache (manifests-and-layouts.md 3.1); their
      // cards have front matter too, but they are not models.
      if base.hasPrefix("datasets--") || base.hasPrefix("spaces--"), FileReading.entry(at: directory + "/snapshots") == .directory {
        return
      }
      if FileReading.entry(at: directory + "/manifests") == .directory, FileReading.entry(at: directory + "/blobs") == .directory {
        walkOllamaStore(directory: directory, display: display)
        return
      }
      var st = stat()
      guard stat(directory, &st) == 0 else { return }
      let identity = [UInt64(st.st_dev), UInt64(st.st_ino)]
      guard visited.insert(identity).inserted else {
        problems.append(Problem(location: SourceLocation(path: ArtifactPath(display)), message: "directory already visited (symlink loop), skipped"))
        return
      }
      // `list` cannot tell an unreadable directory from an empty one; say why it is skipped.
      if access(directory, R_OK | X_OK) != 0 {
        let reason = String(cString: strerror(errno))
        problems.append(Problem(location: SourceLocation(path: ArtifactPath(display)), message: "directory cannot be read (\(reason)), skipped"))
        return
      }
      let (names, truncated) = UnitDiscovery.list(directory, limit: limits.maxEntriesPerDirectory)
      if truncated {
        problems.append(
          Problem(
            location: SourceLocation(path: ArtifactPath(display)),
            message: "more than \(limits.maxEntriesPerDirectory) entries; the rest were not scanned"))
      }
      var members: [ModelUnit.Member] = []
      var subdirectories: [(String, String)] = []
      for name in names where !name.hasPrefix(".") {
        let path = directory + "/" + name
        let shown = Walker.join(display, name)
        switch FileReading.entry(at: path) {
        case .directory:
          subdirectories.append((path, shown))
        case .regular:
          if let kind = ArtifactKind.detect(fileName: name) {
            members.append(.init(filePath: path, display: ArtifactPath(shown), kind: kind))
          } else if ArchiveFormat.isArchive(fileName: name) {
            archives.append(ArchiveItem(filePath: path, display: ArtifactPath(shown)))
          }
        case .other(let what):
          if ArtifactKind.detect(fileName: name) != nil {
            problems.append(Problem(location: SourceLocation(path: ArtifactPath(shown)), message: "not a regular file (\(what)), skipped"))
          }
        case .missing:
          // `list` decodes names as UTF-8, so a name that is not (U+FFFD in its place) cannot be opened.
          if name.unicodeScalars.contains("\u{FFFD}") {
            problems.append(Problem(location: SourceLocation(path: ArtifactPath(shown)), message: "name is not valid UTF-8, skipped"))
          } else if ArtifactKind.detect(fileName: name) != nil {
            problems.append(Problem(location: SourceLocation(path: ArtifactPath(shown)), message: "dangling symlink, skipped"))
          }
        }
      }
      addUnits(members, display: display)
      guard depth < limits.maxDepth else {
        if !subdirectories.isEmpty {
          problems.append(
            Problem(location: SourceLocation(path: ArtifactPath(display)), message: "deeper than \(limits.maxDepth) levels; subdirectories not scanned"))
        }
        return
      }
      for (path, shown) in subdirectories {
        walk(directory: path, display: shown, depth: depth + 1)
      }
    }

    /// A Hugging Face hub cache repository (`models--ORG--NAME`, manifests-and-layouts.md 3.1):
    /// one unit per snapshot, named `ORG/NAME@revision`; `blobs/` is never walked, since the
    /// snapshot entries are symlinks into it.
    mutating func walkHubRepository(directory: String, display: String, folder: String, depth: Int) {
      let repoID = UnitDiscovery.hubRepoID(folder: folder)
      let snapshots = directory + "/snapshots"
      let (revisions, _) = UnitDiscovery.list(snapshots, limit: limits.maxEntriesPerDirectory)
      for revision in revisions where FileReading.entry(at: snapshots + "/" + revision) == .directory {
        let before = units.count
        walk(directory: snapshots + "/" + revision, display: Walker.join(display, "snapshots/" + revision), depth: depth + 2)
        for index in before..<units.count where units[index].name == nil {
          let short = revision.count > 12 ? String(revision.prefix(12)) : revision
          units[index].name = repoID + "@" + short
        }
      }
    }

    /// An Ollama store (`manifests/<host>/<namespace>/<model>/<tag>` JSON manifests pointing at
    /// `blobs/sha256-<hex>`, manifests-and-layouts.md 3.2): one unit per manifest, named
    /// `model:tag` (with the namespace when it is not `library`, and the host when it is not
    /// `registry.ollama.ai`), made of the model layer (a GGUF) and the params layer.
    mutating func walkOllamaStore(directory: String, display: String) {
      var manifests: [(path: String, parts: [String])] = []
      func collect(_ path: String, _ parts: [String]) {
        guard parts.count < 4 else { return }
        for name in UnitDiscovery.list(path, limit: limits.maxEntriesPerDirectory).names where !name.hasPrefix(".") {
          let child = path + "/" + name
          switch FileReading.entry(at: child) {
          case .directory: collect(child, parts + [name])
          case .regular where parts.count == 3: manifests.append((child, parts + [name]))
          default: break
          }
        }
      }
      collect(directory + "/manifests", [])
      for manifest in manifests {
        let shownManifest = Walker.join(display, "manifests/" + manifest.parts.joined(separator: "/"))
        let (host, namespace, model, tag) = (manifest.parts[0], manifest.parts[1], manifest.parts[2], manifest.parts[3])
        var name = model + ":" + tag
        if namespace != "library" { name = namespace + "/" + name }
        if host != "registry.ollama.ai" { name = host + "/" + name }
        guard let bytes = try? FileReading.readRegularFile(manifest.path, display: ArtifactPath(shownManifest), limit: 1 << 20),
          let root = try? JSONReader.read(bytes, path: ArtifactPath(shownManifest)).root
        else {
          problems.append(Problem(location: SourceLocation(path: ArtifactPath(shownManifest)), message: "Ollama manifest is not readable JSON, skipped"))
          continue
        }
        var members: [ModelUnit.Member] = []
        var sawModel = false
        for layer in root["layers"]?.elements ?? [] {
          guard let mediaType = layer["mediaType"]?.stringValue, let digest = layer["digest"]?.stringValue else { continue }
          let blobName = digest.replacingOccurrences(of: ":", with: "-")
          guard !blobName.contains("/"), !blobName.hasPrefix(".") else { continue }
          let blob = directory + "/blobs/" + blobName
          let shownBlob = ArtifactPath(Walker.join(display, "blobs/" + blobName))
          let kind: ArtifactKind?
          switch mediaType {
          case "application/vnd.ollama.image.model" where !sawModel:
            sawModel = true
            kind = .gguf
          case "application/vnd.ollama.image.params": kind = .ollamaParams
          default: kind = nil
          }
          guard let kind else { continue }
          guard case .regular = FileReading.entry(at: blob) else {
            problems.append(Problem(location: SourceLocation(path: shownBlob), message: "blob named by \(shownManifest) is missing"))
            continue
          }
          members.append(.init(filePath: blob, display: shownBlob, kind: kind))
        }
        if !members.isEmpty {
          units.append(ModelUnit(path: ArtifactPath(shownManifest), name: name, members: members))
        }
      }
    }

    mutating func addUnits(_ members: [ModelUnit.Member], display: String) {
      units += UnitDiscovery.units(directory: display, members: members)
      problems += UnitDiscovery.orphanShards(members).map(UnitDiscovery.orphanProblem)
    }
  }

  /// Groups the files of one directory into units.
  ///
  /// Split GGUFs (`*-00001-of-00003.gguf`): the first shard carries every context key
  /// (manifests-and-layouts.md 3.4), so it stands for the model; later shards are not units.
  /// mmproj files are vision projectors with no language-model window: not units either.
  /// Several GGUFs side by side (quantisations of one model) are one unit each, sharing the
  /// directory's other files. A directory of only YAML files or a README may not be a model at
  /// all (CI configs, a collection's index page); the scanner drops units whose files yield no
  /// facts.
  public static func units(directory display: String, members: [ModelUnit.Member]) -> [ModelUnit] {
    guard !members.isEmpty else { return [] }
    let ggufs = members.filter {
      $0.kind == .gguf && !isProjector($0.display.fileName) && (shardNumber($0.display.fileName) ?? 1) == 1
    }
    let shared = members.filter { $0.kind != .gguf }
    // Only projectors or later shards: nothing here describes a language model.
    if ggufs.isEmpty && shared.isEmpty { return [] }
    if ggufs.count <= 1 {
      return [ModelUnit(path: ArtifactPath(display), members: shared + ggufs)]
    }
    return ggufs.map { ModelUnit(path: $0.display, members: shared + [$0]) }
  }

  /// `ORG/NAME` from a hub cache folder name `models--ORG--NAME` (`models--gpt2` gives `gpt2`).
  static func hubRepoID(folder: String) -> String {
    let parts = folder.components(separatedBy: "--")
    return parts.dropFirst().joined(separator: "/")
  }

  /// The 1-based shard number of a split GGUF name (`x-00002-of-00003.gguf` gives 2).
  static func shardNumber(_ fileName: String) -> Int? { shard(fileName)?.number }

  /// The shard number, shard count and common prefix of a split GGUF name
  /// (`<prefix>-00002-of-00003.gguf`, manifests-and-layouts.md 3.4), or nil for other names.
  static func shard(_ fileName: String) -> (prefix: String, number: Int, count: Int)? {
    let lower = fileName.lowercased()
    guard lower.hasSuffix(".gguf") else { return nil }
    let stem = lower.dropLast(5)
    // "-NNNNN-of-NNNNN" is 15 characters.
    guard stem.count >= 15 else { return nil }
    let chars = Array(stem.suffix(15))
    guard chars[0] == "-", String(chars[6...9]) == "-of-" else { return nil }
    guard chars[1...5].allSatisfy(\.isASCII), chars[10...14].allSatisfy(\.isASCII),
      let number = Int(String(chars[1...5])), let count = Int(String(chars[10...14]))
    else { return nil }
    return (String(stem.dropLast(15)), number, count)
  }

  /// The problem reported for a split GGUF shard whose first shard is missing.
  static func orphanProblem(_ shard: ModelUnit.Member) -> Problem {
    let parts = UnitDiscovery.shard(shard.display.fileName)
    return Problem(
      location: SourceLocation(path: shard.display),
      message: "split GGUF shard \(parts?.number ?? 0) of \(parts?.count ?? 0) without its first shard, which holds the metadata; skipped")
  }

  /// Shards of split GGUFs whose first shard is not among `members`: one per split set, the
  /// lowest-numbered shard present. Without shard 1 there is no metadata to read, so the set
  /// is no unit; these are reported rather than dropped without a word.
  static func orphanShards(_ members: [ModelUnit.Member]) -> [ModelUnit.Member] {
    var lowest: [String: (number: Int, member: ModelUnit.Member)] = [:]
    for member in members where member.kind == .gguf && !isProjector(member.display.fileName) {
      guard let shard = shard(member.display.fileName) else { continue }
      if let seen = lowest[shard.prefix], seen.number <= shard.number { continue }
      lowest[shard.prefix] = (shard.number, member)
    }
    return lowest.values.filter { $0.number != 1 }.map(\.member).sorted()
  }

  /// Whether a GGUF file name is a multimodal projector (`mmproj-*.gguf`, `*mmproj*.gguf`).
  static func isProjector(_ fileName: String) -> Bool {
    fileName.lowercased().contains("mmproj")
  }

  /// Up to `limit` names in a directory, sorted, without `.` and `..`.
  static func list(_ path: String, limit: Int) -> (names: [String], truncated: Bool) {
    guard let dir = opendir(path) else { return ([], false) }
    defer { closedir(dir) }
    var names: [String] = []
    var truncated = false
    while let entry = readdir(dir) {
      let name = FileReading.entryName(entry)
      if name == "." || name == ".." { continue }
      if names.count >= limit {
        truncated = true
        break
      }
      names.append(name)
    }
    return (names.sorted(), truncated)
  }
}
