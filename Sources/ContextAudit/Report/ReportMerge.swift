/// Reads ctxaudit's own JSON and JSON Lines reports back, and merges the reports of a sharded
/// scan (`scan --shard K/N`) into the report one whole scan would have given.
///
/// The reader is the inverse of `JSONReporter` and `JSONLReporter`: every field the schema
/// (`schema/ctxaudit-report.schema.json`) requires must be present with its type, so a report
/// written by another version or cut short fails with the location of the first problem instead
/// of silently losing models. Rendering what it read gives the same bytes back.
public enum ReportMerge {
  /// A report file that cannot be read or merged, with where.
  public struct ReadError: Error, Hashable, Sendable, LocatedError {
    public var location: SourceLocation
    public var message: String

    public init(location: SourceLocation, message: String) {
      self.location = location
      self.message = message
    }
  }

  /// The models of one report file.
  public struct ShardReport: Hashable, Sendable {
    /// The file, as named to the reader.
    public var path: ArtifactPath
    public var models: [ModelReport]
    /// Where each model's object starts in the file (parallel to `models`).
    public var locations: [SourceLocation]
  }

  /// Reads a JSON report (`--format json`) or a JSON Lines report (`--format jsonl`).
  ///
  /// The format is told by the first non-empty line: a whole JSON object without `models`
  /// there means JSON Lines, anything else (a pretty-printed report opens with a lone `{`) a
  /// JSON document. A
  /// JSON document must have `schema_version` 1 and a `summary.models` equal to the number of
  /// models. JSON Lines must end with its `{"summary": …}` line, whose `models` count must match
  /// too: a shard killed mid-scan leaves no summary line and is refused.
  ///
  /// - Parameters:
  ///   - bytes: the file's contents, UTF-8.
  ///   - path: the file as shown in error locations.
  /// - Throws: `ReadError` at the first malformed value (line, column, key path and byte
  ///   offset from the start of the file).
  public static func read(_ bytes: [UInt8], path: ArtifactPath) throws(ReadError) -> ShardReport {
    guard let first = Line.firstNonBlank(bytes) else {
      throw ReadError(location: SourceLocation(path: path, offset: 0), message: "empty report (expected ctxaudit JSON or JSON Lines)")
    }
    let firstLine = Array(bytes[first.start..<first.end])
    if let root = (try? JSONReader.read(firstLine, path: path))?.root, root.kind == .object, root["models"] == nil {
      return try readLines(bytes, lines: Line.split(bytes), path: path)
    }
    return try readDocument(bytes, path: path)
  }

  /// Merges shard reports: every model once, sorted by path (ties keep the order of the
  /// arguments), with the summary recomputed and `rules` as the rule list.
  ///
  /// `rules` is not stored in JSON reports; the caller loads the same rules the shards ran
  /// with (SARIF lists them in `tool.driver.rules`).
  ///
  /// - Throws: `ReadError` at the second occurrence when two different files hold a model of
  ///   the same path (overlapping shards, or one file given twice).
  public static func merge(_ shards: [ShardReport], rules: [RuleInfo]) throws(ReadError) -> ScanReport {
    var owner: [ArtifactPath: Int] = [:]
    var models: [ModelReport] = []
    for (index, shard) in shards.enumerated() {
      for (model, location) in zip(shard.models, shard.locations) {
        if let earlier = owner[model.path], earlier != index {
          throw ReadError(
            location: location,
            message: "model '\(model.path.value)' is also in \(shards[earlier].path.value) (shards overlap, or a file was given twice)")
        }
        owner[model.path] = index
        models.append(model)
      }
    }
    // `sorted(by:)` is stable: equal paths keep argument order, as `ScanRun.run` keeps plan order.
    return ScanReport(models: models.sorted { $0.path < $1.path }, rules: rules)
  }

  // MARK: - Formats

  /// A line of the input: `[start, end)` excludes the `\n` (and a `\r` before it).
  struct Line {
    var number: Int
    var start: Int
    var end: Int

    func isBlank(in bytes: [UInt8]) -> Bool {
      bytes[start..<end].allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
    }

    /// The first line holding more than blanks, without splitting the rest.
    static func firstNonBlank(_ bytes: [UInt8]) -> Line? {
      var start = 0
      var number = 1
      while start < bytes.count {
        let newline = bytes[start...].firstIndex(of: 0x0A) ?? bytes.count
        let end = newline > start && bytes[newline - 1] == 0x0D ? newline - 1 : newline
        let line = Line(number: number, start: start, end: end)
        if !line.isBlank(in: bytes) { return line }
        start = newline + 1
        number += 1
      }
      return nil
    }

    static func split(_ bytes: [UInt8]) -> [Line] {
      var lines: [Line] = []
      var start = 0
      for index in bytes.indices where bytes[index] == 0x0A {
        lines.append(Line(number: lines.count + 1, start: start, end: index > start && bytes[index - 1] == 0x0D ? index - 1 : index))
        start = index + 1
      }
      if start < bytes.count { lines.append(Line(number: lines.count + 1, start: start, end: bytes.count)) }
      return lines
    }
  }

  static func readDocument(_ bytes: [UInt8], path: ArtifactPath) throws(ReadError) -> ShardReport {
    let limits = JSONLimits(maxInputBytes: max(JSONLimits.defaultMaxInputBytes, bytes.count))
    let document: JSONDocument
    do {
      document = try JSONReader.read(bytes, path: path, limits: limits)
    } catch {
      throw ReadError(location: error.location, message: error.message)
    }
    let decoder = ModelDecoder(path: path, line: nil, lineStart: 0)
    guard let root = document.root, root.kind == .object else {
      throw ReadError(location: SourceLocation(path: path, offset: 0), message: "not a ctxaudit report (expected an object)")
    }
    let version = try decoder.member(root, "schema_version", in: "the report")
    guard version.intValue == Int64(ScanReport.schemaVersion) else {
      throw decoder.error(version, "schema_version \(version.text) is not supported (expected \(ScanReport.schemaVersion))")
    }
    let models = try decoder.array(root, "models", in: "the report")
    var shard = ShardReport(path: path, models: [], locations: [])
    for model in models {
      shard.models.append(try decoder.model(model))
      shard.locations.append(decoder.location(model))
    }
    let summary = try decoder.object(root, "summary", in: "the report")
    try decoder.checkCount(summary, models: shard.models.count)
    return shard
  }

  static func readLines(_ bytes: [UInt8], lines: [Line], path: ArtifactPath) throws(ReadError) -> ShardReport {
    var shard = ShardReport(path: path, models: [], locations: [])
    var sawSummary = false
    for line in lines where !line.isBlank(in: bytes) {
      let decoder = ModelDecoder(path: path, line: line.number, lineStart: line.start)
      let root: JSONValue
      do {
        guard let value = try JSONReader.read(Array(bytes[line.start..<line.end]), path: path).root else { continue }
        root = value
      } catch {
        throw ReadError(location: decoder.shift(error.location), message: error.message)
      }
      if sawSummary {
        throw decoder.error(root, "a line after the summary line (the summary must be last)")
      }
      guard root.kind == .object else { throw decoder.error(root, "expected a model object or a summary line") }
      if let summary = root["summary"] {
        guard summary.kind == .object else { throw decoder.error(summary, "'summary' is \(summary.text) (expected an object)") }
        try decoder.checkCount(summary, models: shard.models.count)
        sawSummary = true
        continue
      }
      shard.models.append(try decoder.model(root))
      shard.locations.append(decoder.location(root))
    }
    guard sawSummary else {
      throw ReadError(
        location: SourceLocation(path: path, offset: UInt64(bytes.count)),
        message: "no summary line at the end (the scan that wrote it did not finish)")
    }
    return shard
  }
}

/// Turns the JSON objects of a report back into `ModelReport`s, with located errors.
struct ModelDecoder {
  let path: ArtifactPath
  /// For JSON Lines: the 1-based line the object is on, and that line's byte offset; the JSON
  /// reader saw the line alone, so its positions are shifted by these.
  let line: Int?
  let lineStart: Int

  func shift(_ location: SourceLocation) -> SourceLocation {
    guard let line else { return location }
    var shifted = location
    shifted.line = line
    shifted.offset = location.offset.map { $0 + UInt64(lineStart) }
    return shifted
  }

  func location(_ value: JSONValue) -> SourceLocation { shift(value.location(in: path)) }

  func error(_ value: JSONValue, _ message: String) -> ReportMerge.ReadError {
    ReportMerge.ReadError(location: location(value), message: message)
  }

  func member(_ object: JSONValue, _ key: String, in what: String) throws(ReportMerge.ReadError) -> JSONValue {
    guard let value = object[key] else { throw error(object, "'\(key)' is missing from \(what)") }
    return value
  }

  func object(_ object: JSONValue, _ key: String, in what: String) throws(ReportMerge.ReadError) -> JSONValue {
    let value = try member(object, key, in: what)
    guard value.kind == .object else { throw error(value, "'\(key)' is \(value.text) (expected an object)") }
    return value
  }

  func array(_ object: JSONValue, _ key: String, in what: String) throws(ReportMerge.ReadError) -> [JSONValue] {
    let value = try member(object, key, in: what)
    guard value.kind == .array else { throw error(value, "'\(key)' is \(value.text) (expected an array)") }
    return value.elements
  }

  func string(_ object: JSONValue, _ key: String, in what: String) throws(ReportMerge.ReadError) -> String {
    let value = try member(object, key, in: what)
    guard let text = value.stringValue else { throw error(value, "'\(key)' is \(value.text) (expected a string)") }
    return text
  }

  func optionalString(_ object: JSONValue, _ key: String, in what: String) throws(ReportMerge.ReadError) -> String? {
    let value = try member(object, key, in: what)
    if value.isNull { return nil }
    guard let text = value.stringValue else { throw error(value, "'\(key)' is \(value.text) (expected a string or null)") }
    return text
  }

  func optionalInt(_ object: JSONValue, _ key: String, in what: String) throws(ReportMerge.ReadError) -> Int64? {
    let value = try member(object, key, in: what)
    if value.isNull { return nil }
    guard let number = value.intValue else { throw error(value, "'\(key)' is \(value.text) (expected an integer or null)") }
    return number
  }

  func optionalDouble(_ object: JSONValue, _ key: String, in what: String) throws(ReportMerge.ReadError) -> Double? {
    let value = try member(object, key, in: what)
    if value.isNull { return nil }
    guard let number = value.doubleValue else { throw error(value, "'\(key)' is \(value.text) (expected a number or null)") }
    return number
  }

  func optionalBool(_ object: JSONValue, _ key: String, in what: String) throws(ReportMerge.ReadError) -> Bool? {
    let value = try member(object, key, in: what)
    if value.isNull { return nil }
    guard let flag = value.boolValue else { throw error(value, "'\(key)' is \(value.text) (expected true, false or null)") }
    return flag
  }

  func choice<E: RawRepresentable & CaseIterable>(
    _ object: JSONValue, _ key: String, in what: String, as type: E.Type
  ) throws(ReportMerge.ReadError) -> E where E.RawValue == String {
    let value = try member(object, key, in: what)
    if let raw = value.stringValue, let choice = E(rawValue: raw) { return choice }
    let names = E.allCases.map(\.rawValue)
    let expected = names.dropLast().joined(separator: ", ") + " or " + (names.last ?? "")
    throw error(value, "'\(key)' is \(value.text) (expected \(expected))")
  }

  func checkCount(_ summary: JSONValue, models: Int) throws(ReportMerge.ReadError) {
    let count = try member(summary, "models", in: "the summary")
    guard count.intValue == Int64(models) else {
      throw error(count, "the summary counts \(count.text) models but the report holds \(models)")
    }
  }

  func model(_ object: JSONValue) throws(ReportMerge.ReadError) -> ModelReport {
    guard object.kind == .object else { throw error(object, "a model is \(object.text) (expected an object)") }
    let what = "a model"
    let verdictObject = try self.object(object, "verdict", in: what)
    let windowsObject = try self.object(object, "windows", in: what)
    var sources: [SourceRef] = []
    for source in try array(object, "sources", in: what) {
      sources.append(
        SourceRef(
          path: ArtifactPath(try string(source, "path", in: "a source")),
          kind: try choice(source, "kind", in: "a source", as: ArtifactKind.self)))
    }
    var runtimes: [RuntimeView] = []
    for runtime in try array(object, "runtimes", in: what) {
      runtimes.append(
        RuntimeView(
          runtime: try string(runtime, "runtime", in: "a runtime"), window: try optionalInt(runtime, "window", in: "a runtime"),
          note: try string(runtime, "note", in: "a runtime")))
    }
    var findings: [Finding] = []
    for finding in try array(object, "findings", in: what) {
      let locationValue = try member(finding, "location", in: "a finding")
      findings.append(
        Finding(
          rule: try string(finding, "rule", in: "a finding"),
          severity: try choice(finding, "severity", in: "a finding", as: Severity.self),
          message: try string(finding, "message", in: "a finding"),
          location: locationValue.isNull ? nil : try sourceLocation(locationValue)))
    }
    let verdict = Verdict(
      kind: try choice(verdictObject, "kind", in: "the verdict", as: VerdictKind.self),
      method: try choice(verdictObject, "method", in: "the verdict", as: RopeMethod.self),
      factor: try optionalDouble(verdictObject, "factor", in: "the verdict"),
      fineTuned: try optionalBool(verdictObject, "fine_tuned", in: "the verdict"),
      summary: try string(verdictObject, "summary", in: "the verdict"),
      followed: try optionalString(verdictObject, "followed", in: "the verdict").map(ArtifactPath.init),
      reason: try optionalString(verdictObject, "reason", in: "the verdict"))
    let windows = Windows(
      native: try optionalInt(windowsObject, "native", in: "the windows"),
      effective: try optionalInt(windowsObject, "effective", in: "the windows"),
      advertised: try optionalInt(windowsObject, "advertised", in: "the windows"),
      served: try optionalInt(windowsObject, "served", in: "the windows"))
    return ModelReport(
      path: ArtifactPath(try string(object, "path", in: what)), name: try optionalString(object, "name", in: what),
      sources: sources, architecture: try optionalString(object, "architecture", in: what), verdict: verdict,
      windows: windows, runtimes: runtimes, analysis: try analysis(try member(object, "analysis", in: what)),
      findings: findings)
  }

  /// The `analysis` object (or `null`) as `RopeAnalysisReport` writes it; `counts` and `shares`
  /// are derived from the pairs, so they are not read back.
  func analysis(_ value: JSONValue) throws(ReportMerge.ReadError) -> RopeAnalysisReport? {
    if value.isNull { return nil }
    guard value.kind == .object else { throw error(value, "'analysis' is \(value.text) (expected an object or null)") }
    let what = "the analysis"
    func requiredInt(_ object: JSONValue, _ key: String, in what: String) throws(ReportMerge.ReadError) -> Int {
      guard let v = try optionalInt(object, key, in: what) else { throw error(object, "\(what) has no '\(key)'") }
      return Int(v)
    }
    func requiredDouble(_ object: JSONValue, _ key: String, in what: String) throws(ReportMerge.ReadError) -> Double {
      guard let v = try optionalDouble(object, key, in: what) else { throw error(object, "\(what) has no '\(key)'") }
      return v
    }
    var pairs: [RopeAnalysisReport.Pair] = []
    for pair in try array(value, "pairs", in: what) {
      pairs.append(
        RopeAnalysisReport.Pair(
          index: try requiredInt(pair, "k", in: "a pair"),
          originalWavelength: try requiredDouble(pair, "original_wavelength", in: "a pair"),
          scaledWavelength: try requiredDouble(pair, "scaled_wavelength", in: "a pair"),
          stretch: try requiredDouble(pair, "stretch", in: "a pair"),
          kind: try choice(pair, "kind", in: "a pair", as: RoPEAnalysis.PairKind.self)))
    }
    var notes: [String] = []
    for note in try array(value, "runtime_notes", in: what) {
      guard let text = note.stringValue else { throw error(note, "a runtime note is \(note.text) (expected a string)") }
      notes.append(text)
    }
    return RopeAnalysisReport(
      runtime: try string(value, "runtime", in: what), rotaryDim: try requiredInt(value, "rotary_dim", in: what),
      theta: try requiredDouble(value, "theta", in: what), pairCount: try requiredInt(value, "pair_count", in: what),
      fullStretch: try requiredDouble(value, "full_stretch", in: what),
      sequenceLength: try optionalInt(value, "sequence_length", in: what).map(Int.init),
      longestOriginalWavelength: try optionalDouble(value, "longest_original_wavelength", in: what),
      longestScaledWavelength: try optionalDouble(value, "longest_scaled_wavelength", in: what),
      coversAdvertised: try optionalBool(value, "covers_advertised", in: what),
      coversEffective: try optionalBool(value, "covers_effective", in: what),
      attentionScale: try optionalDouble(value, "attention_scale", in: what),
      softmaxScaleMultiplier: try optionalDouble(value, "softmax_scale_multiplier", in: what),
      summary: try string(value, "summary", in: what), runtimeNotes: notes, pairs: pairs)
  }

  func sourceLocation(_ value: JSONValue) throws(ReportMerge.ReadError) -> SourceLocation {
    guard value.kind == .object else { throw error(value, "'location' is \(value.text) (expected an object or null)") }
    let what = "a location"
    func position(_ key: String) throws(ReportMerge.ReadError) -> Int? {
      guard let number = try optionalInt(value, key, in: what) else { return nil }
      guard let position = Int(exactly: number), position >= 1 else {
        throw error(value[key] ?? value, "'\(key)' is \(number) (expected a 1-based number)")
      }
      return position
    }
    var offset: UInt64?
    if let number = try optionalInt(value, "offset", in: what) {
      guard let exact = UInt64(exactly: number) else {
        throw error(value["offset"] ?? value, "'offset' is \(number) (expected a byte offset, 0 or more)")
      }
      offset = exact
    }
    return SourceLocation(
      path: ArtifactPath(try string(value, "path", in: what)), line: try position("line"), column: try position("column"),
      keyPath: try optionalString(value, "key_path", in: what), offset: offset)
  }
}

extension JSONValue {
  /// A short description for messages: the value itself for scalars, `an object`/`an array`.
  var text: String {
    switch kind {
    case .object: return "an object"
    case .array: return "an array"
    case .string: return JSONText.quote(stringValue ?? "")
    default:
      if isNull { return "null" }
      if let flag = boolValue { return flag ? "true" : "false" }
      if let number = intValue { return String(number) }
      if let number = doubleValue { return "\(number)" }
      return kind.rawValue
    }
  }
}
