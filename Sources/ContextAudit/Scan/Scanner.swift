/// The files of one model unit after reading.
public struct ScannedUnit: Sendable {
  public var path: ArtifactPath
  public var name: String?
  /// Sorted by path.
  public var artifacts: [ParsedArtifact]
  /// Findings about reading the unit that no artifact carries: an archive-level error
  /// (`parse-error`) and archive members that were not read (`input-skipped`).
  public var notices: [Finding]

  public init(path: ArtifactPath, name: String?, artifacts: [ParsedArtifact], notices: [Finding] = []) {
    self.path = path
    self.name = name
    self.artifacts = artifacts
    self.notices = notices
  }
}

/// Finds and reads the model units under the paths a user gives.
public struct Scanner: Sendable {
  public var discovery: UnitDiscovery
  public var reader: ArtifactReader
  public var archiveReader: ArchiveReader
  /// Threads used to read units; defaults to the number of online cores.
  public var concurrency: Int

  public init(
    discovery: UnitDiscovery = UnitDiscovery(), reader: ArtifactReader = ArtifactReader(),
    archiveReader: ArchiveReader = ArchiveReader(), concurrency: Int = Scanner.defaultConcurrency
  ) {
    self.discovery = discovery
    self.reader = reader
    self.archiveReader = archiveReader
    self.concurrency = concurrency
  }

  public static var defaultConcurrency: Int { max(1, ProcessInfoCompat.activeProcessorCount) }

  /// Largest text artifact read, on disk or as an archive member (default 16 MiB): the one
  /// limit behind `reader.textLimit`, the archive reader's own reader and its text-member cap.
  public var textLimit: UInt64 {
    get { reader.textLimit }
    set {
      reader.textLimit = newValue
      archiveReader.artifactReader.textLimit = newValue
      archiveReader.limits.maxTextMemberBytes = Int(clamping: newValue)
    }
  }

  /// One unit of work: a model directory read file by file, or an archive read in one pass.
  public enum Item: Sendable, Hashable, Comparable {
    case unit(ModelUnit)
    case archive(UnitDiscovery.ArchiveItem)

    var sortKey: String {
      switch self {
      case .unit(let unit): return unit.path.value + "\u{0}" + (unit.name ?? "")
      case .archive(let archive): return archive.display.value
      }
    }

    public static func < (lhs: Item, rhs: Item) -> Bool { lhs.sortKey < rhs.sortKey }
  }

  /// What discovery found under every root.
  public struct Plan: Sendable {
    public var items: [Item]
    public var problems: [UnitDiscovery.Problem]
  }

  /// Discovers the work under `roots`. Paths are relative to the root when one root is given,
  /// and start with the root as typed when several are.
  public func plan(roots: [String]) throws(UnitDiscovery.MissingInput) -> Plan {
    var items: [Item] = []
    var problems: [UnitDiscovery.Problem] = []
    for root in roots {
      let trimmed = root.count > 1 && root.hasSuffix("/") ? String(root.dropLast()) : root
      let label = roots.count > 1 ? trimmed : nil
      let result = try discovery.discover(root: trimmed, label: label)
      items += result.units.map(Item.unit) + result.archives.map(Item.archive)
      problems += result.problems
    }
    return Plan(items: items.sorted(), problems: problems)
  }

  /// Reads one item into units; an archive may hold several.
  public func read(_ item: Item) -> [ScannedUnit] {
    switch item {
    case .unit(let unit):
      let artifacts = unit.members.map { reader.read(filePath: $0.filePath, display: $0.display, kind: $0.kind) }
      return [ScannedUnit(path: unit.path, name: unit.name, artifacts: artifacts)].filter(Scanner.isModel)
    case .archive(let archive):
      return Scanner.units(of: archiveReader.read(filePath: archive.filePath, display: archive.display), archive: archive.display)
    }
  }

  /// Groups what an archive pass produced into units and places its notices: the archive-level
  /// error as a `parse-error`, skipped members as `input-skipped`, each on the unit whose
  /// folder holds the member (or an enclosing one), else on a unit for the archive itself.
  static func units(of contents: ArchiveReader.Contents, archive: ArtifactPath) -> [ScannedUnit] {
    var units = group(contents.artifacts, archive: archive).filter(isModel)
    var notices: [Finding] = []
    if let error = contents.error {
      notices.append(Finding(rule: Finding.parseErrorRule, severity: .error, message: error.message, location: error.location))
    }
    for skipped in contents.skipped {
      notices.append(
        Finding(rule: ScanRun.inputSkippedRule, severity: .warning, message: skipped.message, location: skipped.location))
    }
    for orphan in orphanShards(contents.artifacts, archive: archive) {
      notices.append(Finding(rule: ScanRun.inputSkippedRule, severity: .warning, message: orphan.message, location: orphan.location))
    }
    for notice in notices {
      let member = notice.location?.path ?? archive
      if let index = owner(of: member, among: units, archive: archive) {
        units[index].notices.append(notice)
      } else {
        units.append(ScannedUnit(path: archive, name: nil, artifacts: [], notices: [notice]))
        units.sort { $0.path < $1.path }
      }
    }
    return units
  }

  /// The unit a notice about `member` belongs to: the unit of the deepest folder inside the
  /// archive that holds the member, the archive's own top-level unit counting as the outermost.
  static func owner(of member: ArtifactPath, among units: [ScannedUnit], archive: ArtifactPath) -> Int? {
    var best: (index: Int, depth: Int)?
    for (index, unit) in units.enumerated() {
      let folder = unitFolder(unit.path, archive: archive)
      let holds = folder == archive.value ? true : member.value.hasPrefix(folder + "/")
      let depth = folder.count
      if holds, depth > (best?.depth ?? -1) { best = (index, depth) }
    }
    return best?.index
  }

  /// The folder a unit stands for: its path, or the GGUF's folder for a one-GGUF unit.
  static func unitFolder(_ path: ArtifactPath, archive: ArtifactPath) -> String {
    guard path.value.lowercased().hasSuffix(".gguf"), path.value != archive.value else { return path.value }
    let value = path.value
    guard let slash = value.lastIndex(of: "/") else { return archive.value }
    let folder = String(value[..<slash])
    return folder.hasSuffix("!") ? archive.value : folder
  }

  /// Reads every item, in parallel, keeping the plan's order.
  public func readAll(_ plan: Plan) -> [ScannedUnit] {
    let scanner = self
    return parallelMap(plan.items, concurrency: concurrency) { scanner.read($0) }.flatMap { $0 }
  }

  /// A unit is a model when a file other than a README said something or failed to parse, or
  /// when its README has model-card front matter (readable or not). A folder holding only an unrelated YAML file,
  /// or a collection's index README (prose, no front matter), is not reported.
  static func isModel(_ unit: ScannedUnit) -> Bool {
    !unit.notices.isEmpty || unit.artifacts.contains { artifact in
      if artifact.kind == .modelCard {
        // Front matter that fails to parse still marks a model card; its parse error is reported.
        return artifact.error != nil || artifact.facts.contains { $0.key.hasPrefix("card.front_matter.") }
      }
      return !artifact.facts.isEmpty || artifact.error != nil
    }
  }

  /// Groups an archive's members by their directory inside the archive, with the same rules as
  /// directories on disk.
  static func group(_ artifacts: [ParsedArtifact], archive: ArtifactPath) -> [ScannedUnit] {
    var byDirectory: [String: [ParsedArtifact]] = [:]
    for artifact in artifacts {
      byDirectory[directory(of: artifact.path, archive: archive), default: []].append(artifact)
    }
    var units: [ScannedUnit] = []
    for (directory, group) in byDirectory {
      let byPath = Dictionary(group.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
      let members = group.map { ModelUnit.Member(filePath: "", display: $0.path, kind: $0.kind) }
      for unit in UnitDiscovery.units(directory: directory, members: members) {
        units.append(ScannedUnit(path: unit.path, name: nil, artifacts: unit.members.compactMap { byPath[$0.display] }))
      }
    }
    return units.sorted { $0.path < $1.path }
  }

  /// The folder inside the archive that holds a member; a member at the archive's top level
  /// belongs to the archive itself.
  static func directory(of member: ArtifactPath, archive: ArtifactPath) -> String {
    let value = member.value
    let directory = value.lastIndex(of: "/").map { String(value[..<$0]) } ?? archive.value
    return directory.hasSuffix("!") ? archive.value : directory
  }

  /// Split GGUF shards inside the archive whose first shard is missing, as discovery reports
  /// them on disk.
  static func orphanShards(_ artifacts: [ParsedArtifact], archive: ArtifactPath) -> [UnitDiscovery.Problem] {
    var byDirectory: [String: [ModelUnit.Member]] = [:]
    for artifact in artifacts where artifact.kind == .gguf {
      byDirectory[directory(of: artifact.path, archive: archive), default: []].append(
        ModelUnit.Member(filePath: "", display: artifact.path, kind: .gguf))
    }
    return byDirectory.keys.sorted().flatMap { key in
      UnitDiscovery.orphanShards(byDirectory[key] ?? []).map(UnitDiscovery.orphanProblem)
    }
  }
}
