extension Scanner {
  /// Plans the audit of the model units that a set of changed files belong to, the way a
  /// pre-commit hook sees a commit: file names relative to the repository root.
  ///
  /// A changed file counts when its name is one ctxaudit reads (`ArtifactKind.detect`: configs,
  /// GGUFs, model cards, YAML manifests, Modelfiles) or an archive. Its directory is the model
  /// unit: every file ctxaudit reads in that directory (not below it) is read again, so a
  /// changed `vllm.yaml` is checked against the `config.json` beside it. Several changed files
  /// in one directory give one audit. A directory whose changed file was deleted is still
  /// audited when the directory exists; a deleted directory or archive is skipped. Names with
  /// a hidden component (`.github/workflows/ci.yaml`, `.pre-commit-config.yaml`) are ignored,
  /// as a scan of the tree ignores them. Everything else is ignored too.
  ///
  /// Display paths are the changed paths as given, cleaned of `.` components and doubled
  /// slashes; files at the top level belong to the unit `.`.
  ///
  /// - Parameter changedFiles: paths as the hook received them (relative to the working
  ///   directory, or absolute).
  /// - Returns: items in the usual sorted order; files that are not regular (FIFOs, dangling
  ///   links) become `problems`, as in a tree walk.
  public func plan(changedFiles: [String]) -> Plan {
    var directories: Set<String> = []
    var archives: Set<String> = []
    for file in changedFiles {
      guard let clean = Scanner.cleanPath(file) else { continue }
      let name = ArtifactPath(clean).fileName
      if ArchiveFormat.isArchive(fileName: name) {
        if case .regular = FileReading.entry(at: clean) { archives.insert(clean) }
      } else if ArtifactKind.detect(fileName: name) != nil {
        directories.insert(Scanner.parent(of: clean))
      }
    }
    var items: [Item] = archives.map { .archive(UnitDiscovery.ArchiveItem(filePath: $0, display: ArtifactPath($0))) }
    var problems: [UnitDiscovery.Problem] = []
    for directory in directories.sorted() where FileReading.entry(at: directory) == .directory {
      let (names, truncated) = UnitDiscovery.list(directory, limit: discovery.limits.maxEntriesPerDirectory)
      if truncated {
        problems.append(
          UnitDiscovery.Problem(
            location: SourceLocation(path: ArtifactPath(directory)),
            message: "more than \(discovery.limits.maxEntriesPerDirectory) entries; the rest were not scanned"))
      }
      var members: [ModelUnit.Member] = []
      for name in names where !name.hasPrefix(".") {
        guard let kind = ArtifactKind.detect(fileName: name) else { continue }
        let shown = directory == "." ? name : directory == "/" ? "/" + name : directory + "/" + name
        switch FileReading.entry(at: shown) {
        case .regular:
          members.append(ModelUnit.Member(filePath: shown, display: ArtifactPath(shown), kind: kind))
        case .other(let what):
          problems.append(
            UnitDiscovery.Problem(location: SourceLocation(path: ArtifactPath(shown)), message: "not a regular file (\(what)), skipped"))
        case .missing:
          problems.append(
            UnitDiscovery.Problem(location: SourceLocation(path: ArtifactPath(shown)), message: "dangling symlink, skipped"))
        case .directory:
          continue
        }
      }
      items += UnitDiscovery.units(directory: directory, members: members).map(Item.unit)
    }
    return Plan(items: items.sorted(), problems: problems)
  }

  /// `path` without `.` components, doubled or trailing slashes; `nil` when a component is
  /// hidden (starts with `.` but is not `..`) or nothing is left.
  static func cleanPath(_ path: String) -> String? {
    let absolute = path.hasPrefix("/")
    var parts: [Substring] = []
    for part in path.split(separator: "/", omittingEmptySubsequences: true) where part != "." {
      if part != ".." && part.hasPrefix(".") { return nil }
      parts.append(part)
    }
    guard !parts.isEmpty else { return nil }
    return (absolute ? "/" : "") + parts.joined(separator: "/")
  }

  /// The directory part of a cleaned path: `.` for a top-level name, `/` for a file at the root.
  static func parent(of path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "." }
    return slash == path.startIndex ? "/" : String(path[..<slash])
  }
}
