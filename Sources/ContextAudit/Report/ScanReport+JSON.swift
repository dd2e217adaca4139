/// The JSON shapes of the report, shared by `JSONReporter` and `JSONLReporter`.
///
/// Field names are the machine contract described by `schema/ctxaudit-report.schema.json`:
/// snake_case, every field always present, `null` for what is not known.
extension ScanReport {
  /// The whole document: `schema_version`, `tool`, `models`, `summary`.
  var jsonNode: JSONNode {
    .object([
      "schema_version": .int(Int64(ScanReport.schemaVersion)),
      "tool": .object(["name": .string(ToolInfo.name), "version": .string(ToolInfo.version)]),
      "models": .array(models.map(\.jsonNode)),
      "summary": summary.jsonNode,
    ])
  }
}

extension ScanReport.Summary {
  var jsonNode: JSONNode {
    .object([
      "models": .int(Int64(models)),
      "errors": .int(Int64(errors)),
      "warnings": .int(Int64(warnings)),
      "notes": .int(Int64(notes)),
    ])
  }
}

extension ModelReport {
  /// One model; findings in report order (`ScanReport.ordered`), sources and runtimes as given.
  var jsonNode: JSONNode {
    .object([
      "path": .string(path.value),
      "name": .string(name),
      "sources": .array(
        sources.map { .object(["path": .string($0.path.value), "kind": .string($0.kind.rawValue)]) }),
      "architecture": .string(architecture),
      "verdict": verdict.jsonNode,
      "windows": .object([
        "native": .int(windows.native),
        "effective": .int(windows.effective),
        "advertised": .int(windows.advertised),
        "served": .int(windows.served),
      ]),
      "runtimes": .array(
        runtimes.map {
          .object(["runtime": .string($0.runtime), "window": .int($0.window), "note": .string($0.note)])
        }),
      "findings": .array(ScanReport.ordered(findings).map(\.jsonNode)),
    ])
  }
}

extension Verdict {
  var jsonNode: JSONNode {
    .object([
      "kind": .string(kind.rawValue),
      "method": .string(method.rawValue),
      "factor": .double(factor),
      "fine_tuned": .bool(fineTuned),
      "summary": .string(summary),
      "followed": .string(followed?.value),
      "reason": .string(reason),
    ])
  }
}

extension Finding {
  var jsonNode: JSONNode {
    .object([
      "rule": .string(rule),
      "severity": .string(severity.rawValue),
      "message": .string(message),
      "location": location?.jsonNode ?? .null,
    ])
  }
}

extension SourceLocation {
  /// All five fields, `null` when unknown; `line`/`column` 1-based (column in Unicode
  /// scalars), `offset` in bytes from the start of the artifact.
  var jsonNode: JSONNode {
    .object([
      "path": .string(path.value),
      "line": line.map { .int(Int64($0)) } ?? .null,
      "column": column.map { .int(Int64($0)) } ?? .null,
      "key_path": .string(keyPath),
      "offset": offset.map { .uint($0) } ?? .null,
    ])
  }
}
