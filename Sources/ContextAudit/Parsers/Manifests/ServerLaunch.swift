import Foundation

/// A value one flag, env var or key set, with the spelling that set it and where it sits.
struct LaunchSetting: Hashable, Sendable {
  var target: SettingTarget
  var value: FactValue
  /// The flag, env var or key as written (`--max-model-len`, `LLAMA_ARG_CTX_SIZE`, `vllmConfig.maxModelLen`).
  var flag: String
  var location: SourceLocation
}

/// Everything ctxaudit knows about one server process: its command line, environment, image
/// and settings that a manifest gives outside the command line.
///
/// Precedence, lowest first: env vars, then `presets` (manifest keys such as Helm's
/// `vllmConfig.maxModelLen`, which charts render before free-form extra args), then flags in
/// command-line order. Repeated flags: the last one wins, as in argparse (vLLM, SGLang) and
/// llama.cpp's parser; `--override-kv` keeps every occurrence.
struct ServerLaunch {
  /// `command` followed by `args` (Kubernetes) or `entrypoint` followed by `command` (Compose).
  var words: [ArgWord] = []
  var env: [EnvSetting] = []
  var image: ArgWord? = nil
  /// The server the surrounding manifest implies (KServe's huggingface format, a Helm chart
  /// for vLLM), used when neither the command nor the image names one.
  var hint: (server: ServerKind, location: SourceLocation)? = nil
  var presets: [LaunchSetting] = []
  /// The model when no flag or key names it (KServe `storageUri`).
  var fallbackModel: LaunchSetting? = nil

  /// The facts this launch yields, in a fixed order: server, model, window, input limit,
  /// training window, advertised windows, RoPE overrides, long-context switch, metadata
  /// overrides, parallel slots.
  func facts() -> [Fact] {
    var (words, env) = ServerLaunch.expandShell(words)
    env = self.env + env
    let marker = ServerLaunch.findMarker(words)
    var server: (kind: ServerKind, location: SourceLocation)? = marker.map { ($0.server, $0.location) }
    if server == nil, let image, let kind = ServerKind.forImage(image.text) { server = (kind, image.location) }
    if server == nil, let hint { server = (hint.server, hint.location) }
    let flagStart = marker?.flagStart ?? 0
    let flagWords = Array(words[min(flagStart, words.count)...])
    if server == nil, let guess = ServerLaunch.guessFromFlags(flagWords) { server = guess }
    if server == nil, let guess = ServerLaunch.guessFromEnv(env) { server = guess }

    var settings = SettingsTable()
    let options = server.map { ServerVocabulary.options(for: $0.kind) } ?? []
    applyEnv(env, options: options, into: &settings)
    for preset in presets { settings.set(preset) }
    if let server {
      ServerLaunch.applyFlags(
        flagWords, options: options, server: server.kind,
        positionalModel: marker?.positionalModel ?? (server.kind == .vllm), into: &settings)
    }
    if settings.value(.model) == nil, let fallbackModel { settings.set(fallbackModel) }

    var facts: [Fact] = []
    if let server {
      facts.append(Fact(key: "manifest.server", value: .string(server.kind.rawValue), location: server.location))
    }
    facts += settings.facts()
    return facts
  }

  // MARK: - Environment

  /// Applies the env vars the server reads. (With no server known there is nothing to read:
  /// any env var that names a server has already made it the server.)
  private func applyEnv(_ env: [EnvSetting], options: [OptionSpec], into settings: inout SettingsTable) {
    var byName: [String: OptionSpec] = [:]
    for option in options { for name in option.env { byName[name] = option } }
    for entry in env {
      guard let option = byName[entry.name] else { continue }
      settings.set(option: option, text: entry.value, flag: entry.name, location: entry.location)
    }
  }

  // MARK: - Flags

  /// Reads flags in order; `--flag=value` and `--flag value` forms, vLLM's dotted
  /// `--hf-overrides.a.b value` form, and (for vLLM) underscores in flag names, which vLLM's
  /// `FlexibleArgumentParser` turns into dashes (`--max_model_len`, KServe's `--model_id`).
  static func applyFlags(
    _ words: [ArgWord], options: [OptionSpec], server: ServerKind, positionalModel: Bool,
    into settings: inout SettingsTable
  ) {
    var byFlag: [String: OptionSpec] = [:]
    for option in options { for flag in option.flags { byFlag[flag] = option } }
    var i = 0
    while i < words.count {
      let word = words[i]
      guard let (rawName, inline) = splitFlag(word.text) else {
        if i == 0, positionalModel {
          settings.set(LaunchSetting(target: .model, value: .string(word.text), flag: "positional", location: word.location))
        }
        i += 1
        continue
      }
      let name = server == .vllm ? vllmFlagName(rawName) : rawName

      if server == .vllm, name.hasPrefix("--hf-overrides.") {
        let keys = name.dropFirst("--hf-overrides.".count).split(separator: ".").map(String.init)
        let valueWord: ArgWord?
        if let inline {
          valueWord = ArgWord(text: inline, location: word.location)
        } else if i + 1 < words.count {
          valueWord = words[i + 1]
          i += 1
        } else {
          valueWord = nil
        }
        if let valueWord, !keys.isEmpty {
          let leaf = ManifestValues.json(valueWord.text) ?? .string(valueWord.text)
          settings.merge(
            rope: "hf_overrides", keys: keys, leaf: leaf, flag: "--hf-overrides", location: valueWord.location)
        }
        i += 1
        continue
      }

      guard let option = byFlag[name] else {
        i += 1
        continue
      }
      if let inline {
        settings.set(option: option, text: inline, flag: rawName, location: word.location)
      } else if i + 1 < words.count {
        let valueWord = words[i + 1]
        settings.set(option: option, text: valueWord.text, flag: rawName, location: valueWord.location)
        i += 1
      }
      i += 1
    }
  }

  /// vLLM's spelling of a flag: `FlexibleArgumentParser` turns underscores into dashes in the
  /// option name up to the first `.`, so `--max_model_len` is `--max-model-len` while
  /// `--hf-overrides.rope_scaling.factor` keeps the config's own key spelling.
  static func vllmFlagName(_ name: String) -> String {
    guard name.hasPrefix("--") else { return name }
    let body = name.dropFirst(2)
    let dot = body.firstIndex(of: ".") ?? body.endIndex
    return "--" + body[..<dot].replacingOccurrences(of: "_", with: "-") + body[dot...]
  }

  /// Splits `--name=value` into its parts; `-x`/`--name` come back with no value. Returns nil
  /// for words that are not flags (positionals, negative numbers, a lone `-`).
  static func splitFlag(_ text: String) -> (String, String?)? {
    guard text.hasPrefix("-"), text.count > 1 else { return nil }
    if let second = text.dropFirst().first, second.isNumber || second == "." { return nil }
    if text.hasPrefix("--"), let eq = text.firstIndex(of: "=") {
      return (String(text[..<eq]), String(text[text.index(after: eq)...]))
    }
    return (text, nil)
  }

  // MARK: - Server detection

  struct Marker {
    var server: ServerKind
    var location: SourceLocation
    /// Index of the first word after the program (and its subcommand or module).
    var flagStart: Int
    /// Whether the first word after the program is the model (`vllm serve MODEL`).
    var positionalModel: Bool
  }

  /// Finds the server program in a command line: `vllm serve`, `python -m
  /// vllm.entrypoints.openai.api_server`, `llama-server`, `python -m sglang.launch_server`,
  /// `text-generation-launcher`, `ollama serve`, `local-ai`.
  static func findMarker(_ words: [ArgWord]) -> Marker? {
    for (i, word) in words.enumerated() {
      let base = word.text.split(separator: "/").last.map(String.init) ?? word.text
      let next = i + 1 < words.count ? words[i + 1].text : nil
      switch base {
      case "vllm" where next == "serve":
        return Marker(server: .vllm, location: word.location, flagStart: i + 2, positionalModel: true)
      case "-m" where next == "vllm.entrypoints.openai.api_server" || next == "vllm.entrypoints.api_server":
        return Marker(server: .vllm, location: words[i + 1].location, flagStart: i + 2, positionalModel: false)
      case "-m" where next == "sglang.launch_server":
        return Marker(server: .sglang, location: words[i + 1].location, flagStart: i + 2, positionalModel: false)
      case "llama-server":
        return Marker(server: .llamaCpp, location: word.location, flagStart: i + 1, positionalModel: false)
      case "text-generation-launcher":
        return Marker(server: .tgi, location: word.location, flagStart: i + 1, positionalModel: false)
      case "ollama" where next == "serve":
        return Marker(server: .ollama, location: word.location, flagStart: i + 2, positionalModel: false)
      case "local-ai":
        return Marker(server: .localAI, location: word.location, flagStart: i + 1, positionalModel: false)
      default:
        continue
      }
    }
    return nil
  }

  static func guessFromFlags(_ words: [ArgWord]) -> (kind: ServerKind, location: SourceLocation)? {
    var best: (kind: ServerKind, count: Int, location: SourceLocation)? = nil
    var tie = false
    for kind in [ServerKind.vllm, .sglang, .tgi, .llamaCpp] {
      guard let flags = ServerVocabulary.distinctiveFlags[kind] else { continue }
      let hits = words.filter { word in
        guard let (name, _) = splitFlag(word.text) else { return false }
        let normalized = kind == .vllm ? vllmFlagName(name) : name
        return flags.contains(normalized) || (kind == .vllm && normalized.hasPrefix("--hf-overrides."))
      }
      guard let first = hits.first else { continue }
      let strong = hits.contains { word in
        guard let (name, _) = splitFlag(word.text) else { return false }
        let normalized = kind == .vllm ? vllmFlagName(name) : name
        return ServerVocabulary.strongFlags.contains(normalized) || normalized.hasPrefix("--hf-overrides.")
      }
      guard strong || hits.count >= 2 else { continue }
      if let current = best, hits.count == current.count {
        tie = true
      } else if best == nil || hits.count > best?.count ?? 0 {
        best = (kind, hits.count, first.location)
        tie = false
      }
    }
    guard let best, !tie else { return nil }
    return (best.kind, best.location)
  }

  static func guessFromEnv(_ env: [EnvSetting]) -> (kind: ServerKind, location: SourceLocation)? {
    for entry in env {
      if let match = ServerVocabulary.distinctiveEnv.first(where: { $0.name == entry.name }) {
        return (match.server, entry.location)
      }
      if entry.name.hasPrefix("NIM_") { return (.nim, entry.location) }
    }
    return nil
  }

  // MARK: - Shell

  /// Replaces `sh -c SCRIPT` (also `bash -lc`, `/bin/sh -ec`, ...) with the words of the
  /// script's server command, and turns `VAR=value cmd` prefixes and `export VAR=value`
  /// lines before it into env settings.
  ///
  /// The script's command that runs a known server is used; without one, the last command.
  /// Every word keeps the location of the script's scalar.
  static func expandShell(_ words: [ArgWord]) -> (words: [ArgWord], env: [EnvSetting]) {
    let shells: Set<String> = ["sh", "bash", "dash", "ash", "zsh", "ksh"]
    guard let shellIndex = words.firstIndex(where: { shells.contains($0.text.split(separator: "/").last.map(String.init) ?? "") })
    else { return (words, []) }
    var i = shellIndex + 1
    var scriptIndex: Int? = nil
    while i < words.count, words[i].text.hasPrefix("-") {
      let option = words[i].text
      if !option.hasPrefix("--"), option.contains("c") {
        scriptIndex = i + 1
        break
      }
      i += 1
    }
    guard let scriptIndex, scriptIndex < words.count else { return (words, []) }
    let script = words[scriptIndex]
    let commands = ShellWords.commands(script.text)
    var env: [EnvSetting] = []
    var chosen: [ArgWord]? = nil
    var lastCommand: [ArgWord] = []
    for command in commands {
      var rest = command[...]
      let isExport = rest.first == "export"
      if isExport || rest.first == "env" { rest = rest.dropFirst() }
      while let first = rest.first, let eq = first.firstIndex(of: "="), isEnvName(first[..<eq]) {
        env.append(EnvSetting(name: String(first[..<eq]), value: String(first[first.index(after: eq)...]), location: script.location))
        rest = rest.dropFirst()
      }
      if isExport { continue }
      while let first = rest.first, first == "exec" || first == "nohup" { rest = rest.dropFirst() }
      let argWords = rest.map { ArgWord(text: $0, location: script.location) }
      if argWords.isEmpty { continue }
      lastCommand = argWords
      if findMarker(argWords) != nil {
        chosen = argWords
        break
      }
    }
    let tail = Array(words[(scriptIndex + 1)...])
    return ((chosen ?? lastCommand) + tail, env)
  }

  private static func isEnvName(_ text: Substring) -> Bool {
    guard let first = text.unicodeScalars.first, first == "_" || first.properties.isAlphabetic else { return false }
    return text.unicodeScalars.allSatisfy { $0 == "_" || ("0"..."9").contains($0) || ("A"..."Z").contains($0) || ("a"..."z").contains($0) }
  }
}

/// Settings by target, last writer wins, remembering first-set order for stable output.
struct SettingsTable {
  private var order: [SettingTarget] = []
  private var single: [SettingTarget: LaunchSetting] = [:]
  private var repeated: [LaunchSetting] = []

  func value(_ target: SettingTarget) -> LaunchSetting? { single[target] }

  mutating func set(_ setting: LaunchSetting) {
    if setting.target.isRepeatable {
      repeated.append(setting)
      return
    }
    if single[setting.target] == nil { order.append(setting.target) }
    single[setting.target] = setting
  }

  /// Converts text by the option's style and stores it; `--override-kv a=int:1,b=str:x`
  /// becomes one setting per item when every item has the `KEY=TYPE:VALUE` shape.
  mutating func set(option: OptionSpec, text: String, flag: String, location: SourceLocation) {
    switch option.target {
    case .allowLongContext:
      guard ManifestValues.isTruthy(text) else { return }
      set(LaunchSetting(target: .allowLongContext, value: .bool(true), flag: flag, location: location))
    case .overrideKV:
      let items = text.split(separator: ",").map(String.init)
      let all = items.count > 1 && items.allSatisfy { OverrideKV($0) != nil }
      for item in all ? items : [text] {
        set(LaunchSetting(target: .overrideKV, value: .string(item), flag: flag, location: location))
      }
    default:
      set(LaunchSetting(target: option.target, value: ManifestValues.value(text, style: option.style), flag: flag, location: location))
    }
  }

  /// Sets `keys` inside the object held by `manifest.rope_override.<rope>`, creating it as needed.
  mutating func merge(rope name: String, keys: [String], leaf: FactValue, flag: String, location: SourceLocation) {
    let target = SettingTarget.rope(name)
    let existing = single[target]
    var root = existing?.value.objectValue ?? [:]
    SettingsTable.assign(&root, keys[...], leaf)
    set(LaunchSetting(target: target, value: .object(root), flag: flag, location: existing?.location ?? location))
  }

  private static func assign(_ object: inout [String: FactValue], _ keys: ArraySlice<String>, _ leaf: FactValue) {
    guard let key = keys.first else { return }
    if keys.count == 1 {
      object[key] = leaf
      return
    }
    var child = object[key]?.objectValue ?? [:]
    assign(&child, keys.dropFirst(), leaf)
    object[key] = .object(child)
  }

  func facts() -> [Fact] {
    var facts: [Fact] = []
    func add(_ key: String, _ setting: LaunchSetting) {
      facts.append(Fact(key: key, value: setting.value, location: setting.location))
    }
    if let model = single[.model] { add("manifest.model", model) }
    if let window = single[.servedWindow] {
      add("manifest.served_window", window)
      facts.append(Fact(key: "manifest.served_window_flag", value: .string(window.flag), location: window.location))
    }
    if let input = single[.maxInputTokens] { add("manifest.max_input_tokens", input) }
    if let training = single[.trainingWindow] { add("manifest.training_window", training) }
    for setting in repeated where setting.target == .advertisedWindow { add("manifest.advertised_window", setting) }
    for target in order {
      if case .rope(let name) = target, let setting = single[target] { add("manifest.rope_override." + name, setting) }
    }
    if let allow = single[.allowLongContext] { add("manifest.allow_long_context", allow) }
    for setting in repeated where setting.target == .overrideKV {
      add("manifest.override_kv", setting)
      if let parsed = setting.value.stringValue.flatMap(OverrideKV.init), parsed.key.hasSuffix(".context_length"),
        parsed.type == "int", let tokens = Int64(parsed.value)
      {
        facts.append(Fact(key: "manifest.override_kv.context_length", value: .int(tokens), location: setting.location))
      }
    }
    if let slots = single[.parallelSlots] { add("manifest.parallel_slots", slots) }
    return facts
  }
}

/// One llama.cpp `--override-kv KEY=TYPE:VALUE` item (TYPE is `int`, `float`, `bool` or `str`).
struct OverrideKV: Hashable, Sendable {
  var key: String
  var type: String
  var value: String

  init?(_ text: String) {
    guard let eq = text.firstIndex(of: "=") else { return nil }
    let rest = text[text.index(after: eq)...]
    guard let colon = rest.firstIndex(of: ":") else { return nil }
    let type = String(rest[..<colon])
    guard ["int", "float", "bool", "str"].contains(type), eq != text.startIndex else { return nil }
    key = String(text[..<eq])
    self.type = type
    value = String(rest[rest.index(after: colon)...])
  }
}
