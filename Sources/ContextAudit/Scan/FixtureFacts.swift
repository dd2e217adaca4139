/// Reads a rule example's fixture with the real pipeline: readers, model unit, model view.
public enum FixtureFacts {
  /// A fixture reader for `RuleExampleRunner`.
  ///
  /// A file is read as a unit of one; a directory's top-level files are read as one model unit
  /// (as `scan` would read that directory), and the derived `model.*` facts are added. Paths in
  /// locations are relative to the fixture (`config.json`, `model.gguf`), as a scan of the
  /// fixture path would show them. Relative fixture paths resolve against `root`.
  public static func reader(root: String, scanner: Scanner = Scanner(concurrency: 1)) -> RuleExampleRunner.FixtureReader {
    return { relative in
      let path = relative.hasPrefix("/") ? relative : root + "/" + relative
      let plan = try scanner.plan(roots: [path])
      // Only the fixture's own top level forms the unit (nested directories are other models).
      let items = plan.items.filter {
        if case .unit(let unit) = $0 { return unit.path.value == "." || !unit.path.value.contains("/") }
        return true
      }
      guard let first = items.first else {
        throw RuleExampleSkip(reason: "no model files in \(relative)")
      }
      let units = scanner.read(first)
      guard let unit = units.first else { throw RuleExampleSkip(reason: "nothing readable in \(relative)") }
      let view = ModelView.build(artifacts: unit.artifacts)
      return unit.artifacts.flatMap(\.facts) + view.facts
    }
  }
}
