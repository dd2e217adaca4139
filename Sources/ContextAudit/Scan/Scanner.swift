/// The files of one model unit after reading.
public struct ScannedUnit: Sendable {
  public var path: ArtifactPath
  public var name: String?
  /// Sorted by path.
  public var artifacts: [ParsedArtifact]

  public init(path: ArtifactPath, name: String?, artifacts: [ParsedArtifact]) {
    self.path = path
    self.name = name
    self.artifacts = artifacts
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
      let contents = archiveReader.read(filePath: archive.filePath, display: archive.display)
      var units = Scanner.group(contents.artifacts, archive: archive.display).filter(Scanner.isModel)
      if let error = contents.error {
        let failure = ParsedArtifact(
          path: archive.display, kind: .configJSON, facts: [], error: ParseFailure(error))
        if units.isEmpty {
          units = [ScannedUnit(path: archive.display, name: nil, artifacts: [failure])]
        } else {
          units[0].artifacts.insert(failure, at: 0)
        }
      }
      return units
    }
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
    unit.artifacts.contains { artifact in
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
      let value = artifact.path.value
      let directory = value.lastIndex(of: "/").map { String(value[..<$0]) } ?? archive.value
      // A member at the archive's top level belongs to the archive itself.
      let key = directory.hasSuffix("!") ? archive.value : directory
      byDirectory[key, default: []].append(artifact)
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
}
