/// Reads Docker Compose files: `services.<name>` (`image`, `entrypoint`, `command`,
/// `environment`) and the top-level `models:` of Docker Model Runner (sections 2.14, 3.8).
enum ComposeManifest {
  /// A root `services:` mapping with at least one service that has `image`, `build`,
  /// `command` or `entrypoint`. (GitLab CI's top-level `services:` is a list, so it does not match.)
  static func matches(_ root: YAMLCursor) -> Bool {
    guard let services = root["services"], services.isMapping else { return false }
    return services.pairs.contains { pair in
      ["image", "build", "command", "entrypoint"].contains { pair.value[$0] != nil }
    }
  }

  static func read(_ root: YAMLCursor) -> [Fact] {
    var facts = [ManifestKind.compose.fact(at: root.location)]
    for (_, service) in root["services"]?.pairs ?? [] {
      var launch = ServerLaunch()
      // A Compose `command:` string is split shlex-style, not run through a shell; an
      // `entrypoint:` replaces the image's, and `command:` follows it.
      launch.words = KubernetesManifest.argvWords(service["entrypoint"]) + KubernetesManifest.argvWords(service["command"])
      launch.env = environment(service["environment"])
      launch.image = service["image"]?.word
      facts += launch.facts()
    }
    for (_, model) in root["models"]?.pairs ?? [] {
      facts += readModel(model)
    }
    return facts
  }

  /// `environment:` as a list of `KEY=value` strings (located at the item) or as a mapping
  /// (located at the value). `KEY` alone passes the host's value through, which is unknown here.
  static func environment(_ node: YAMLCursor?) -> [EnvSetting] {
    guard let node else { return [] }
    if node.isSequence {
      return node.items.compactMap { item in
        guard let text = item.text, let eq = text.firstIndex(of: "=") else { return nil }
        return EnvSetting(name: String(text[..<eq]), value: String(text[text.index(after: eq)...]), location: item.location)
      }
    }
    return node.pairs.compactMap { pair in
      guard let text = pair.value.text else { return nil }
      return EnvSetting(name: pair.key, value: text, location: pair.value.location)
    }
  }

  /// A Docker Model Runner model: `model`, `context_size`, `runtime_flags` (llama.cpp flags,
  /// the runner's default engine). The short form `name: ai/model` names only the model.
  private static func readModel(_ model: YAMLCursor) -> [Fact] {
    var launch = ServerLaunch()
    launch.hint = (.llamaCpp, (model["model"] ?? model).location)
    if let name = model.text ?? model["model"]?.text {
      let node = model["model"] ?? model
      launch.presets.append(LaunchSetting(target: .model, value: .string(name), flag: "model", location: node.location))
    }
    if let size = model["context_size"], let value = ManifestValues.value(size, style: .integer) {
      launch.presets.append(LaunchSetting(target: .servedWindow, value: value, flag: "context_size", location: size.location))
    }
    launch.words = KubernetesManifest.argvWords(model["runtime_flags"])
    return launch.facts()
  }
}
