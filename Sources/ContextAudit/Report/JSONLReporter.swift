/// JSON Lines for streaming consumers: one compact model object per line, in the same shape
/// as an element of the JSON report's `models`, then a last line `{"summary":{…}}`.
///
/// A consumer tells the two line kinds apart by the `summary` key, which no model object has.
/// Each line is validated by `#/$defs/jsonl_line` in `schema/ctxaudit-report.schema.json`.
/// A scan with no models is the summary line alone.
public struct JSONLReporter: Reporter {
  public static let id = "jsonl"

  public init() {}

  public func render(_ report: ScanReport) -> String {
    var out = ""
    for model in report.models {
      out += line(for: model)
    }
    out += summaryLine(report.summary)
    return out
  }

  /// One model's line, newline included; `ctxaudit scan --format jsonl` writes these one by one
  /// as models finish (`ScanRun.stream`), so the streamed bytes equal `render`'s.
  public func line(for model: ModelReport) -> String {
    String(decoding: lineBytes(for: model), as: UTF8.self)
  }

  /// `line(for:)` as UTF-8 bytes, newline included, without building a `String`.
  public func lineBytes(for model: ModelReport) -> [UInt8] {
    var bytes = model.jsonNode.compactBytes
    bytes.append(UInt8(ascii: "\n"))
    return bytes
  }

  /// The last line, `{"summary":{…}}`, newline included.
  public func summaryLine(_ summary: ScanReport.Summary) -> String {
    JSONNode.object(["summary": summary.jsonNode]).compact + "\n"
  }
}
