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
      "analysis": analysis?.jsonNode ?? .null,
      "findings": .array(ScanReport.ordered(findings).map(\.jsonNode)),
    ])
  }
}

extension RopeAnalysisReport {
  /// `counts` and `shares` list every pair kind; numbers are written at full precision.
  var jsonNode: JSONNode {
    let kinds = RoPEAnalysis.PairKind.allCases
    return .object([
      "runtime": .string(runtime),
      "rotary_dim": .int(Int64(rotaryDim)),
      "theta": .double(theta),
      "pair_count": .int(Int64(pairCount)),
      "counts": .object(Dictionary(uniqueKeysWithValues: kinds.map { ($0.rawValue, .int(Int64(count($0)))) })),
      "shares": .object(Dictionary(uniqueKeysWithValues: kinds.map { ($0.rawValue, .double(share($0))) })),
      "full_stretch": .double(fullStretch),
      "sequence_length": .int(sequenceLength.map(Int64.init)),
      "longest_original_wavelength": .double(longestOriginalWavelength),
      "longest_scaled_wavelength": .double(longestScaledWavelength),
      "covers_advertised": .bool(coversAdvertised),
      "covers_effective": .bool(coversEffective),
      "attention_scale": .double(attentionScale),
      "softmax_scale_multiplier": .double(softmaxScaleMultiplier),
      "summary": .string(summary),
      "runtime_notes": .array(runtimeNotes.map { .string($0) }),
      "pairs": .array(
        pairs.map {
          // Keys already in sorted order (the writer's order for `.object`).
          .fields([
            JSONField("k", .int(Int64($0.index))),
            JSONField("kind", .string($0.kind.rawValue)),
            JSONField("original_wavelength", .double($0.originalWavelength)),
            JSONField("scaled_wavelength", .double($0.scaledWavelength)),
            JSONField("stretch", .double($0.stretch)),
          ])
        }),
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
