/// Reads a Hugging Face `config.json`, `generation_config.json` or `tokenizer_config.json` into
/// facts (docs/facts.md), each with the line, column, key path and byte offset of its value.
///
/// What is extracted is what rope-methods.md sections 1 to 3 name. For `config.json` (and any
/// other JSON name, such as Mistral's `params.json`) the whole document is walked:
///
/// - every member whose key is in `configKeys` becomes a fact, wherever it sits, so nested
///   text configs keep their nesting (`config.text_config.rope_scaling.factor`,
///   `config.thinker_config.text_config.max_position_embeddings`);
/// - `rope_scaling`, `rope_parameters` (HF v5, section 2.2, including per-layer-type dicts such
///   as `{"full_attention": {...}, "sliding_attention": {...}}`) and MPT's `attn_config` are
///   opened and every key inside becomes a fact, so unknown method parameters are not lost; when
///   such a member is `null`, `{}` or not an object it is one fact as written;
/// - arrays are one fact each (`long_factor`, `layer_types`, `architectures`), and `auto_map` is
///   one object fact;
/// - other objects are searched for the same keys; arrays are not searched.
///
/// `generation_config.json` yields its top-level `max_length` and `max_new_tokens`;
/// `tokenizer_config.json` its top-level `model_max_length` (transformers writes the "no limit"
/// sentinel `int(1e30)` = 1000000000000000019884624838656, which is kept as the `Double` 1e30).
///
/// Reader diagnostics become `json.*` facts: `json.duplicate_key` and `json.duplicate_key.earlier`,
/// `json.non_finite_number`, `json.big_integer`, `json.lone_surrogate`, `json.utf8_bom`; values
/// loaders cannot use (a factor written as a string, a negative length) become
/// `json.invalid_value` (`ConfigJSONParser+ValueChecks.swift`).
public enum ConfigJSONParser {
  /// Keys that become `config.` facts wherever they appear (rope-methods.md sections 1 to 3 and 5.2).
  public static let configKeys: Set<String> = lengthKeys.union([
    // RoPE base and its aliases (section 2.3); ChatGLM's rope_ratio multiplies the base.
    "rope_theta", "rotary_emb_base", "rope_ratio", "global_rope_theta", "rope_global_theta", "rope_theta_global",
    "rope_local_base_freq",
    // Top-level method parameters (sections 2.1, 2.2) and Qwen-1's remote-code switches.
    "original_max_position_embeddings", "use_dynamic_ntk", "use_logn_attn",
    // Rotary dimension (section 1).
    "partial_rotary_factor", "rotary_pct", "rope_pct", "rope_percent", "rotary_dim", "head_dim", "qk_rope_head_dim",
    "hidden_size", "num_attention_heads", "num_key_value_heads", "num_hidden_layers",
    "n_embd", "n_head", "n_layer", "num_layers", "kv_channels", "multi_query_group_num", "d_model", "n_heads",
    "n_layers",
    // Windows that limit attention rather than positions.
    "sliding_window", "use_sliding_window", "sliding_window_pattern", "max_window_layers", "layer_types",
    "attention_chunk_size", "no_rope_layers",
    // Position method markers: ALiBi and absolute positions.
    "alibi", "use_alibi", "position_embedding_type", "learned_pos_emb",
    // Identity and loading.
    "architectures", "model_type", "torch_dtype", "dtype", "transformers_version",
  ])

  /// Keys vLLM and others read as "the" context length (rope-methods.md section 5.2), plus
  /// `n_ctx` (GPT-2 era) and `max_length`.
  public static let lengthKeys: Set<String> = [
    "max_position_embeddings", "n_positions", "max_seq_len", "seq_length", "max_sequence_length",
    "model_max_length", "max_seq_length", "seq_len", "max_target_positions", "n_ctx", "max_length",
  ]

  /// Members opened so that every key inside becomes a fact.
  public static let openedContainers: Set<String> = ["rope_scaling", "rope_parameters", "attn_config"]

  /// Members that are one object fact as a whole.
  public static let wholeObjectKeys: Set<String> = ["auto_map"]

  /// Top-level keys read from `generation_config.json`.
  public static let generationConfigKeys: Set<String> = ["max_length", "max_new_tokens"]

  /// Top-level keys read from `tokenizer_config.json`.
  public static let tokenizerConfigKeys: Set<String> = ["model_max_length"]

  /// The fact prefix for a file name: `generation_config.`, `tokenizer_config.`, else `config.`.
  public static func prefix(forFileName name: String) -> String {
    switch name.lowercased() {
    case "generation_config.json": return "generation_config."
    case "tokenizer_config.json": return "tokenizer_config."
    default: return "config."
    }
  }

  /// Parses one JSON config artifact. Never throws: a JSON error comes back as `error`, with the
  /// facts of every value that was complete before the error.
  public static func parse(_ bytes: [UInt8], path: ArtifactPath, limits: JSONLimits = .default) -> ParsedArtifact {
    let result = JSONReader.readPartial(bytes, path: path, limits: limits)
    let (read, stop) = configFacts(result.document, path: path)
    var facts = read
    facts += diagnosticFacts(result.document, path: path)
    facts += invalidValueFacts(read, prefix: prefix(forFileName: path.fileName))
    if let error = result.error {
      return ParsedArtifact(path: path, kind: .configJSON, facts: facts, error: ParseFailure(error))
    }
    if let stop {
      return ParsedArtifact(path: path, kind: .configJSON, facts: facts, error: stop)
    }
    if let root = result.document.root, root.kind != .object {
      let failure = ParseFailure(
        location: root.location(in: path),
        message: "\(path.fileName) top-level value is \(article(root.kind)) (expected an object)")
      return ParsedArtifact(path: path, kind: .configJSON, facts: facts, error: failure)
    }
    return ParsedArtifact(path: path, kind: .configJSON, facts: facts)
  }

  private static func article(_ kind: JSONValue.Kind) -> String {
    switch kind {
    case .array, .object, .int: return "an \(kind.rawValue)"
    case .null: return "null"
    default: return "a \(kind.rawValue)"
    }
  }

  /// Most `config.` facts read from one file: 4,096 (real configs give under 200).
  ///
  /// Every key inside `rope_scaling` is a fact, so without a cap a 16 MiB file holding one
  /// `rope_scaling` of a million keys 500 levels deep took gigabytes and minutes.
  public static let maxFacts = 4096
  /// Longest key path followed, in UTF-8 bytes of its keys plus one per level: 1,024 (real
  /// paths are under 100 bytes). Each fact carries its key path twice (key and location).
  public static let maxKeyPathBytes = 1024

  /// The `config.`/`generation_config.`/`tokenizer_config.` facts of a (possibly partial)
  /// document, and the failure that stopped the walk when `maxFacts` or `maxKeyPathBytes` was
  /// passed (located at the first value not read).
  static func configFacts(_ document: JSONDocument, path: ArtifactPath) -> (facts: [Fact], stop: ParseFailure?) {
    guard let root = document.root, root.kind == .object else { return ([], nil) }
    let prefix = prefix(forFileName: path.fileName)
    var facts: [Fact] = []
    func emit(_ value: JSONValue) {
      // A container cut short by an error would be a misleading fact.
      guard value.isComplete else { return }
      facts.append(Fact(key: prefix + value.keyPath, value: value.factValue, location: value.location(in: path)))
    }
    if prefix != "config." {
      let keys = prefix == "generation_config." ? generationConfigKeys : tokenizerConfigKeys
      for (key, value) in root.members where keys.contains(key) { emit(value) }
      return (facts, nil)
    }
    func stop(_ value: JSONValue, _ what: String) -> ParseFailure {
      ParseFailure(location: value.location(in: path), message: "\(path.fileName) \(what); the rest was not read")
    }
    // Depth-first in input order with an explicit stack; `openAll` is true inside opened
    // containers; `pathBytes` is the key path length of the members' parent.
    var stack: [(members: [(key: String, value: JSONValue)], next: Int, openAll: Bool, pathBytes: Int)] = [
      (root.members, 0, false, 0)
    ]
    while !stack.isEmpty {
      let top = stack.count - 1
      guard stack[top].next < stack[top].members.count else {
        stack.removeLast()
        continue
      }
      let (key, value) = stack[top].members[stack[top].next]
      stack[top].next += 1
      let pathBytes = stack[top].pathBytes + key.utf8.count + 1
      let nonEmptyObject = value.kind == .object && value.count > 0
      let opens = stack[top].openAll || openedContainers.contains(key)
      let wanted = opens || wholeObjectKeys.contains(key) || configKeys.contains(key) || nonEmptyObject
      if wanted, pathBytes > maxKeyPathBytes {
        return (facts, stop(value, "has a key path longer than \(maxKeyPathBytes) bytes"))
      }
      if opens {
        if nonEmptyObject { stack.append((value.members, 0, true, pathBytes)) } else { emit(value) }
      } else if wholeObjectKeys.contains(key) || configKeys.contains(key) {
        emit(value)
      } else if nonEmptyObject {
        stack.append((value.members, 0, false, pathBytes))
      }
      if facts.count > maxFacts {
        facts.removeLast()
        return (facts, stop(value, "holds more than \(maxFacts) values to read"))
      }
    }
    return (facts, nil)
  }

  /// The `json.*` facts for what the reader reported.
  static func diagnosticFacts(_ document: JSONDocument, path: ArtifactPath) -> [Fact] {
    var facts: [Fact] = []
    func location(_ p: JSONPosition, _ keyPath: String) -> SourceLocation {
      SourceLocation(
        path: path, line: p.line, column: p.column, keyPath: keyPath.isEmpty ? nil : keyPath, offset: UInt64(p.offset))
    }
    for d in document.duplicateKeys {
      facts.append(Fact(key: "json.duplicate_key", value: .string(d.keyPath), location: location(d.winning, d.keyPath)))
      facts.append(
        Fact(key: "json.duplicate_key.earlier", value: .string(d.keyPath), location: location(d.earlier, d.keyPath)))
    }
    for d in document.diagnostics {
      let value: FactValue = d.kind == .byteOrderMark ? .bool(true) : .string(d.keyPath)
      facts.append(Fact(key: "json." + d.kind.rawValue, value: value, location: location(d.position, d.keyPath)))
    }
    return facts
  }
}
