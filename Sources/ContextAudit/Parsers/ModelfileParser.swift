import Foundation

/// An error in an Ollama Modelfile or params layer, with where it happened.
public enum ModelfileError: Error, Hashable, Sendable, LocatedError {
  /// An instruction Ollama does not know (its parser's `errInvalidCommand`).
  case unknownInstruction(String, at: SourceLocation)
  /// An instruction (or `PARAMETER name`) with nothing after it (Ollama: unexpected EOF).
  case missingValue(String, at: SourceLocation)
  /// A `"` or `"""` with no closing quote; located at the opening quote.
  case unterminatedQuote(String, at: SourceLocation)
  /// No `FROM` line (Ollama's `errMissingFrom`).
  case missingFrom(at: SourceLocation)
  /// A params layer that is not JSON, or not a JSON object.
  case paramsNotJSONObject(at: SourceLocation)

  public var location: SourceLocation {
    switch self {
    case .unknownInstruction(_, let at), .missingValue(_, let at), .unterminatedQuote(_, let at),
      .missingFrom(let at), .paramsNotJSONObject(let at):
      return at
    }
  }

  public var message: String {
    switch self {
    case .unknownInstruction(let name, _):
      return "unknown Modelfile instruction \"\(name)\" (expected FROM, PARAMETER, TEMPLATE, SYSTEM, ADAPTER, LICENSE, MESSAGE, REQUIRES, RENDERER or PARSER)"
    case .missingValue(let what, _): return "Modelfile \(what) has no value"
    case .unterminatedQuote(let quote, _): return "Modelfile quote \(quote) is never closed"
    case .missingFrom: return "Modelfile has no FROM instruction"
    case .paramsNotJSONObject: return "Ollama params layer is not a JSON object"
    }
  }
}

/// Reads Ollama Modelfiles and Ollama's params layer into `manifest.` facts
/// (manifests-and-layouts.md sections 2.5 and 3.2).
///
/// Syntax follows Ollama's `parser/parser.go`: instructions are case-insensitive; `#` starts
/// a comment line; a value runs to the end of the line (trailing blanks trimmed) unless it
/// opens with `"` or `"""`, which may span lines; `PARAMETER` takes a name, then a value.
/// UTF-8 (BOM optional) and UTF-16 with a BOM are accepted, as Ollama accepts them.
///
/// Facts: `manifest.kind` = `modelfile` and `manifest.server` = `ollama` at the first
/// instruction, `manifest.model` from `FROM`, and `manifest.served_window` from
/// `PARAMETER num_ctx` (the last one wins, as `ollama create` keeps the last value of a
/// scalar option). Parameter names are matched exactly: Ollama rejects `NUM_CTX`.
/// Columns are 1-based, counted in Unicode scalars; a quoted value is located at its
/// opening quote.
public enum ModelfileParser {
  /// The instructions Ollama's parser accepts, lowercased.
  public static let instructions: Set<String> = [
    "from", "parameter", "template", "system", "adapter", "license", "message", "requires", "renderer", "parser",
  ]

  /// Reads a Modelfile.
  ///
  /// - Returns: the facts read so far and, on the first syntax problem (or a missing `FROM`),
  ///   an error located at the offending instruction or quote. Never throws.
  public static func parse(_ bytes: [UInt8], path: ArtifactPath) -> ParsedArtifact {
    var scanner = ModelfileScanner(text: decode(bytes), path: path)
    var first: SourceLocation? = nil
    var model: LaunchSetting? = nil
    var window: LaunchSetting? = nil
    var failure: ModelfileError? = nil
    do throws(ModelfileError) {
      while let command = try scanner.next() {
        if first == nil { first = command.location }
        switch command.instruction {
        case "from":
          model = LaunchSetting(target: .model, value: .string(command.value), flag: "FROM", location: command.valueLocation)
        case "parameter" where command.name == "num_ctx":
          window = LaunchSetting(
            target: .servedWindow, value: ManifestValues.value(command.value, style: .integer), flag: "num_ctx",
            location: command.valueLocation)
        default:
          break
        }
      }
      if model == nil { throw .missingFrom(at: SourceLocation(path: path)) }
    } catch {
      failure = error
    }
    var facts: [Fact] = []
    if let first {
      facts.append(ManifestKind.modelfile.fact(at: first))
      facts.append(Fact(key: "manifest.server", value: .string(ServerKind.ollama.rawValue), location: first))
    }
    var table = SettingsTable()
    if let model { table.set(model) }
    if let window { table.set(window) }
    facts += table.facts()
    return ParsedArtifact(path: path, kind: .modelfile, facts: facts, error: failure.map { ParseFailure($0) })
  }

  /// Reads an Ollama params layer (`application/vnd.ollama.image.params`), a flat JSON object
  /// such as `{"num_ctx": 8192, "stop": ["<|im_end|>"]}`, with the project's JSON reader, so
  /// `num_ctx` carries its line, column, byte offset and key path.
  public static func parseOllamaParams(_ bytes: [UInt8], path: ArtifactPath) -> ParsedArtifact {
    let whole = SourceLocation(path: path)
    let document: JSONDocument
    do {
      document = try JSONReader.read(bytes, path: path)
    } catch {
      return ParsedArtifact(path: path, kind: .ollamaParams, facts: [], error: ParseFailure(error))
    }
    guard let root = document.root, root.kind == .object else {
      return ParsedArtifact(
        path: path, kind: .ollamaParams, facts: [], error: ParseFailure(ModelfileError.paramsNotJSONObject(at: whole)))
    }
    var facts = [
      ManifestKind.ollamaParams.fact(at: whole),
      Fact(key: "manifest.server", value: .string(ServerKind.ollama.rawValue), location: whole),
    ]
    if let numCtx = root["num_ctx"] {
      let at = numCtx.location(in: path)
      // Ollama decodes options into Go ints, so an integral 8192.0 is the window 8192.
      var value = numCtx.factValue
      if case .double = value, let exact = value.intValue { value = .int(exact) }
      facts.append(Fact(key: "manifest.served_window", value: value, location: at))
      facts.append(Fact(key: "manifest.served_window_flag", value: .string("num_ctx"), location: at))
    }
    return ParsedArtifact(path: path, kind: .ollamaParams, facts: facts)
  }

  /// UTF-16 with a BOM (either byte order), else UTF-8 with an optional BOM.
  static func decode(_ bytes: [UInt8]) -> String {
    if bytes.count >= 2, (bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF) {
      let little = bytes[0] == 0xFF
      var units: [UInt16] = []
      units.reserveCapacity(bytes.count / 2)
      var i = 2
      while i + 1 < bytes.count {
        units.append(little ? UInt16(bytes[i]) | UInt16(bytes[i + 1]) << 8 : UInt16(bytes[i]) << 8 | UInt16(bytes[i + 1]))
        i += 2
      }
      return String(decoding: units, as: UTF16.self)
    }
    let body = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes
    return String(decoding: body, as: UTF8.self)
  }
}

/// One Modelfile instruction.
struct ModelfileCommand {
  /// Lowercased instruction name.
  var instruction: String
  /// The parameter or message-role name, for `PARAMETER` and `MESSAGE`.
  var name: String?
  var value: String
  var location: SourceLocation
  var valueLocation: SourceLocation
}

/// Walks Modelfile text one instruction at a time, tracking 1-based line and column.
struct ModelfileScanner {
  private let scalars: [Unicode.Scalar]
  private let path: ArtifactPath
  private var index = 0
  private var line = 1
  private var column = 1

  init(text: String, path: ArtifactPath) {
    scalars = Array(text.unicodeScalars)
    self.path = path
  }

  private var here: SourceLocation { SourceLocation(path: path, line: line, column: column) }
  private var current: Unicode.Scalar? { index < scalars.count ? scalars[index] : nil }

  private mutating func advance() {
    guard let c = current else { return }
    index += 1
    if c == "\n" {
      line += 1
      column = 1
    } else {
      column += 1
    }
  }

  private static func isBlank(_ c: Unicode.Scalar) -> Bool { c == " " || c == "\t" || c == "\r" }

  private mutating func skipBlanks() {
    while let c = current, ModelfileScanner.isBlank(c) { advance() }
  }

  private mutating func word() -> String {
    var text = ""
    while let c = current, !ModelfileScanner.isBlank(c), c != "\n" {
      text.unicodeScalars.append(c)
      advance()
    }
    return text
  }

  private mutating func skipLine() {
    while let c = current, c != "\n" { advance() }
  }

  private func starts(with text: String) -> Bool {
    let needle = Array(text.unicodeScalars)
    return index + needle.count <= scalars.count && Array(scalars[index..<index + needle.count]) == needle
  }

  /// The next instruction, or nil at the end of the text.
  mutating func next() throws(ModelfileError) -> ModelfileCommand? {
    while let c = current {
      if ModelfileScanner.isBlank(c) || c == "\n" {
        advance()
      } else if c == "#" {
        skipLine()
      } else {
        break
      }
    }
    guard current != nil else { return nil }
    let start = here
    let written = word()
    let instruction = written.lowercased()
    guard ModelfileParser.instructions.contains(instruction) else {
      throw .unknownInstruction(written, at: start)
    }
    skipBlanks()
    var name: String? = nil
    if instruction == "parameter" || instruction == "message" {
      guard current != nil, current != "\n" else { throw .missingValue(written, at: start) }
      name = word()
      skipBlanks()
    }
    guard current != nil, current != "\n" else {
      throw .missingValue(name.map { "\(written) \($0)" } ?? written, at: start)
    }
    let valueStart = here
    let value: String
    if starts(with: "\"\"\"") {
      value = try quoted("\"\"\"", opening: valueStart)
    } else if starts(with: "\"") {
      value = try quoted("\"", opening: valueStart)
    } else {
      var text = ""
      while let c = current, c != "\n" {
        text.unicodeScalars.append(c)
        advance()
      }
      while let last = text.unicodeScalars.last, ModelfileScanner.isBlank(last) { text.unicodeScalars.removeLast() }
      value = text
    }
    return ModelfileCommand(instruction: instruction, name: name, value: value, location: start, valueLocation: valueStart)
  }

  /// Reads a quoted value (the scanner sits on the opening quote) and skips the rest of its line.
  private mutating func quoted(_ quote: String, opening: SourceLocation) throws(ModelfileError) -> String {
    for _ in quote.unicodeScalars { advance() }
    var text = ""
    while current != nil {
      if starts(with: quote) {
        for _ in quote.unicodeScalars { advance() }
        skipLine()
        return text
      }
      if let c = current { text.unicodeScalars.append(c) }
      advance()
    }
    throw .unterminatedQuote(quote, at: opening)
  }
}
