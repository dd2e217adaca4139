import Foundation

/// Reads Helm values files for LLM serving charts (manifests-and-layouts.md section 2.9).
///
/// The vLLM production-stack shape (`servingEngineSpec.modelSpec[]`) is read exactly as its
/// chart renders it. Other charts are read generously but not wildly: a values file (named
/// `values*.yaml`/`*-values.yaml`, or holding a Helm-style `image: {repository: ...}`) is
/// searched for window keys matching `max.?model.?len`, `max.?seq.?len`, `context.?length`,
/// `ctx.?size` or `num.?ctx` (any case) with an integer value, and for `args`/`extraArgs`
/// lists and `env` lists, which are read as the nearest image's server would read them.
/// A generic values file that yields nothing about a server gives no facts at all.
enum HelmValues {
  static func matchesProductionStack(_ root: YAMLCursor) -> Bool {
    root["servingEngineSpec"]?["modelSpec"]?.isSequence == true
  }

  static func matchesGeneric(_ root: YAMLCursor, fileName: String) -> Bool {
    guard root.isMapping else { return false }
    let lower = fileName.lowercased()
    let named = lower.hasPrefix("values") || lower.contains("-values.") || lower.contains("_values.")
    return named || hasHelmImage(root, depth: 0)
  }

  // MARK: - production-stack

  /// Mirrors `helm/templates/deployment-vllm-multi.yaml`: `vllm serve <modelURL>`, then
  /// `--max-model-len <vllmConfig.maxModelLen>`, then `vllmConfig.extraArgs` (so a
  /// `--max-model-len` in `extraArgs` wins), with `env` appended to the container env.
  static func readProductionStack(_ root: YAMLCursor) -> [Fact] {
    var facts = [ManifestKind.helmValues.fact(at: root.location)]
    for spec in root["servingEngineSpec"]?["modelSpec"]?.items ?? [] {
      var launch = ServerLaunch()
      let repository = spec["repository"]
      launch.hint = (.vllm, (repository ?? spec).location)
      if let repository, let text = repository.text, let kind = ServerKind.forImage(text), kind != .vllm {
        launch.hint = (kind, repository.location)
      }
      if let url = spec["modelURL"], let text = url.text {
        launch.presets.append(LaunchSetting(target: .model, value: .string(text), flag: "modelURL", location: url.location))
      }
      let config = spec["vllmConfig"]
      if let length = config?["maxModelLen"], let value = ManifestValues.value(length, style: .vllmInteger) {
        launch.presets.append(
          LaunchSetting(target: .servedWindow, value: value, flag: "vllmConfig.maxModelLen", location: length.location))
      }
      launch.words = KubernetesManifest.argvWords(config?["extraArgs"])
      launch.env = KubernetesManifest.envList(spec["env"])
      facts += launch.facts()
    }
    return facts
  }

  // MARK: - generic charts

  static func readGeneric(_ root: YAMLCursor) -> [Fact] {
    var facts: [Fact] = []
    walk(root, image: nil, depth: 0, into: &facts)
    guard !facts.isEmpty else { return [] }
    return [ManifestKind.helmValues.fact(at: root.location)] + facts
  }

  private static let windowKey = try? NSRegularExpression(
    pattern: "^(max.?model.?len|max.?seq.?len|context.?length|ctx.?size|num.?ctx)$", options: [.caseInsensitive])

  static func isWindowKey(_ key: String) -> Bool {
    guard let windowKey else { return false }
    return windowKey.firstMatch(in: key, range: NSRange(key.startIndex..., in: key)) != nil
  }

  /// Walks mappings; each mapping with `args`/`extraArgs`/`command` or `env` is one launch,
  /// served by the image in that mapping or the nearest one above it.
  private static func walk(_ node: YAMLCursor, image: (ArgWord, ServerKind?)?, depth: Int, into facts: inout [Fact]) {
    guard depth < 64 else { return }
    if node.isSequence {
      for item in node.items { walk(item, image: image, depth: depth + 1, into: &facts) }
      return
    }
    guard node.isMapping else { return }
    var image = image
    if let found = imageWord(node) { image = (found, ServerKind.forImage(found.text)) }
    let words = ["command", "args", "extraArgs"].flatMap { key -> [ArgWord] in
      guard let list = node[key], list.isSequence else { return [] }
      return KubernetesManifest.argvWords(list)
    }
    let env = ["env", "extraEnv"].flatMap { KubernetesManifest.envList(node[$0]) }
    var windows: [LaunchSetting] = []
    for (key, value) in node.pairs where isWindowKey(key) {
      guard let text = value.text, let number = Int64(text.trimmingCharacters(in: .whitespaces)) else { continue }
      windows.append(LaunchSetting(target: .servedWindow, value: .int(number), flag: value.keyPath, location: value.location))
    }
    if !words.isEmpty || !env.isEmpty || !windows.isEmpty {
      var launch = ServerLaunch()
      launch.words = words
      launch.env = env
      if let (word, kind) = image, let kind { launch.hint = (kind, word.location) }
      launch.presets = windows
      // Launches that inherit one image report its server once (at the image).
      for fact in launch.facts() where !facts.contains(fact) { facts.append(fact) }
    }
    // Lists already read as argv or env are not walked again; mappings under those keys
    // (`vllm.args.maxModelLen`) are.
    let consumed: Set<String> = ["command", "args", "extraArgs", "env", "extraEnv"]
    for (key, value) in node.pairs where !(consumed.contains(key) && value.isSequence) {
      walk(value, image: image, depth: depth + 1, into: &facts)
    }
  }

  /// `image: "repo:tag"` or `image: {repository: repo, tag: ...}` (optionally with `registry`).
  private static func imageWord(_ node: YAMLCursor) -> ArgWord? {
    guard let image = node["image"] else { return nil }
    if let word = image.word { return word }
    guard let repository = image["repository"], let text = repository.text else { return nil }
    let registry = image["registry"]?.text.map { $0 + "/" } ?? ""
    return ArgWord(text: registry + text, location: repository.location)
  }

  private static func hasHelmImage(_ node: YAMLCursor, depth: Int) -> Bool {
    guard depth < 8 else { return false }
    if node["image"]?["repository"]?.text != nil { return true }
    return node.pairs.contains { $0.value.isMapping && hasHelmImage($0.value, depth: depth + 1) }
  }
}
