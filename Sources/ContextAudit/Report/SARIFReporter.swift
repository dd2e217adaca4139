/// SARIF 2.1.0 (OASIS), one run, for code-scanning tools such as GitHub's.
///
/// - `tool.driver.rules` lists every rule of the report plus `parse-error`, sorted by id;
///   each result's `ruleIndex` points into that list. A finding whose rule is not in the
///   report still gets a descriptor (id and name only), so every `ruleIndex` resolves.
/// - `level` is the finding's severity (`error`, `warning`, `note` map 1:1).
/// - `artifactLocation.uri` is the artifact path as a relative URI reference: each segment
///   percent-encoded as RFC 3986 requires (UTF-8, so spaces and non-ASCII become `%XX`),
///   `/` kept. Archive members keep ctxaudit's `!/` separator (`!` is a legal path
///   character), so `m.tar.gz!/llama/config.json` is the URI `m.tar.gz!/llama/config.json`;
///   a consumer that cannot open archives sees a path that names both the archive and the
///   member. An absolute path (only when the user passed one) becomes a `file://` URI.
/// - Text positions go to `region.startLine`/`startColumn` (1-based; the run declares
///   `columnKind: unicodeCodePoints`, since ctxaudit counts columns in Unicode scalars, not
///   SARIF's default UTF-16 code units). Byte offsets go to `region.byteOffset` with no
///   `byteLength`: ctxaudit knows where a field starts, not how long it is.
/// - A key path becomes `logicalLocations: [{fullyQualifiedName, kind: "property"}]`, the
///   kind SARIF §3.33.7 names for JSON-like documents.
/// - A finding with no location points at the model's own path, with no region.
///
/// Keys are sorted and output is deterministic, like the JSON report.
public struct SARIFReporter: Reporter {
  public static let id = "sarif"
  /// The `$schema` written into every log: the OASIS 2.1.0 errata 01 schema.
  public static let schemaURI =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

  /// The descriptor of the reserved `parse-error` rule, which is not a rule file.
  public static let parseErrorRule = RuleInfo(
    id: Finding.parseErrorRule, title: "Artifact is readable", severity: .error,
    rationale:
      "An artifact that cannot be parsed contributes only the facts read before the error, so its "
      + "claims go unchecked; the finding points at the line or byte where reading stopped")

  public init() {}

  public func render(_ report: ScanReport) -> String {
    let rules = Self.descriptors(for: report)
    var ruleIndex: [String: Int] = [:]
    for (index, rule) in rules.enumerated() { ruleIndex[rule.id] = index }

    var results: [JSONNode] = []
    for model in report.models {
      for finding in ScanReport.ordered(model.findings) {
        results.append(Self.result(finding, model: model, ruleIndex: ruleIndex[finding.rule]))
      }
    }

    let driver: JSONNode = .object([
      "name": .string(ToolInfo.name),
      "version": .string(ToolInfo.version),
      "rules": .array(rules.map(Self.descriptor)),
    ])
    let run: JSONNode = .object([
      "tool": .object(["driver": driver]),
      "columnKind": .string("unicodeCodePoints"),
      "results": .array(results),
    ])
    let log: JSONNode = .object([
      "$schema": .string(Self.schemaURI),
      "version": .string("2.1.0"),
      "runs": .array([run]),
    ])
    return log.pretty + "\n"
  }

  /// A rule as the driver lists it; `title` is `nil` for rules only known from a finding.
  struct Descriptor: Hashable {
    var id: String
    var info: RuleInfo?
  }

  /// The report's rules (first of each id), `parse-error`, and any rule id a finding uses
  /// that the report does not describe; sorted by id.
  static func descriptors(for report: ScanReport) -> [Descriptor] {
    var byID: [String: Descriptor] = [:]
    for rule in report.rules where byID[rule.id] == nil {
      byID[rule.id] = Descriptor(id: rule.id, info: rule)
    }
    if byID[Finding.parseErrorRule] == nil {
      byID[Finding.parseErrorRule] = Descriptor(id: Finding.parseErrorRule, info: parseErrorRule)
    }
    for finding in report.models.flatMap(\.findings) where byID[finding.rule] == nil {
      byID[finding.rule] = Descriptor(id: finding.rule, info: nil)
    }
    return byID.values.sorted { $0.id.unicodeScalars.lexicographicallyPrecedes($1.id.unicodeScalars) }
  }

  static func descriptor(_ rule: Descriptor) -> JSONNode {
    var members: [String: JSONNode] = ["id": .string(rule.id), "name": .string(pascalCase(rule.id))]
    if let info = rule.info {
      members["shortDescription"] = .object(["text": .string(info.title)])
      members["fullDescription"] = .object(["text": .string(info.rationale)])
      let more =
        info.id == Finding.parseErrorRule ? "" : "\n\nRun `ctxaudit rules explain \(info.id)` for examples."
      members["help"] = .object(["text": .string(info.rationale + more)])
      members["defaultConfiguration"] = .object(["level": .string(info.severity.rawValue)])
      if let uri = info.helpURI { members["helpUri"] = .string(uri) }
    }
    return .object(members)
  }

  static func result(_ finding: Finding, model: ModelReport, ruleIndex: Int?) -> JSONNode {
    var members: [String: JSONNode] = [
      "ruleId": .string(finding.rule),
      "level": .string(finding.severity.rawValue),
      "message": .object(["text": .string(finding.message)]),
      "locations": .array([location(finding.location, model: model)]),
    ]
    if let ruleIndex { members["ruleIndex"] = .int(Int64(ruleIndex)) }
    return .object(members)
  }

  static func location(_ location: SourceLocation?, model: ModelReport) -> JSONNode {
    let path = location?.path ?? model.path
    var physical: [String: JSONNode] = ["artifactLocation": .object(["uri": .string(uri(for: path))])]
    var region: [String: JSONNode] = [:]
    if let line = location?.line, line >= 1 {
      region["startLine"] = .int(Int64(line))
      if let column = location?.column, column >= 1 { region["startColumn"] = .int(Int64(column)) }
    }
    if let offset = location?.offset { region["byteOffset"] = .uint(offset) }
    if !region.isEmpty { physical["region"] = .object(region) }

    var members: [String: JSONNode] = ["physicalLocation": .object(physical)]
    if let keyPath = location?.keyPath, !keyPath.isEmpty {
      members["logicalLocations"] = .array([
        .object(["fullyQualifiedName": .string(keyPath), "kind": .string("property")])
      ])
    }
    return .object(members)
  }

  /// The artifact path as a URI reference (RFC 3986 section 3.3): unreserved characters,
  /// sub-delimiters, `@` and `/` stay; everything else, `:` included (a colon in a first
  /// segment would read as a scheme), is percent-encoded from its UTF-8 bytes.
  /// An absolute path becomes a `file://` URI.
  static func uri(for path: ArtifactPath) -> String {
    var out = ""
    for byte in path.value.utf8 {
      if isURIPathByte(byte) {
        out.unicodeScalars.append(Unicode.Scalar(byte))
      } else {
        let hex = String(byte, radix: 16, uppercase: true)
        out += "%" + (hex.count < 2 ? "0" : "") + hex
      }
    }
    return path.value.hasPrefix("/") ? "file://" + out : out
  }

  private static func isURIPathByte(_ b: UInt8) -> Bool {
    switch b {
    case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
      UInt8(ascii: "0")...UInt8(ascii: "9"):
      return true
    default:
      return Array("-._~!$&'()*+,;=@/".utf8).contains(b)
    }
  }

  /// `gguf-version-supported` → `GgufVersionSupported`, for `reportingDescriptor.name`,
  /// which SARIF wants identifier-like.
  static func pascalCase(_ id: String) -> String {
    id.split(whereSeparator: { !$0.isLetter && !$0.isNumber })
      .map { $0.prefix(1).uppercased() + $0.dropFirst() }
      .joined()
  }
}
