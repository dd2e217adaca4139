/// Reads LM Studio's `model.yaml` virtual-model files (manifests-and-layouts.md sections
/// 2.14 and 3.3; https://lmstudio.ai/docs/app/modelyaml).
///
/// `metadataOverrides.contextLengths` is what the catalog advertises
/// (`manifest.advertised_window`, one fact per entry). `config.load.fields[]` holds load-time
/// settings as `{key, value}`; `llm.load.contextLength` is the served window and
/// `llm.load.llama.ropeFrequencyBase` / `ropeFrequencyScale` are llama.cpp's RoPE overrides.
/// A value may be wrapped as `{checked: bool, value: ...}` (LM Studio's checkbox fields); an
/// unchecked one is not applied and is skipped.
enum LMStudioModelYAML {
  static func matches(_ root: YAMLCursor) -> Bool {
    guard let model = root["model"]?.text, model.contains("/") else { return false }
    return root["base"] != nil || root["metadataOverrides"] != nil || root["config"]?["load"] != nil
  }

  static func read(_ root: YAMLCursor) -> [Fact] {
    var launch = ServerLaunch()
    launch.hint = (.lmStudio, root.location)
    if let model = root["model"], let text = model.text {
      launch.presets.append(LaunchSetting(target: .model, value: .string(text), flag: "model", location: model.location))
    }
    for length in root["metadataOverrides"]?["contextLengths"]?.items ?? [] {
      guard let value = ManifestValues.value(length, style: .integer) else { continue }
      launch.presets.append(
        LaunchSetting(target: .advertisedWindow, value: value, flag: "metadataOverrides.contextLengths", location: length.location))
    }
    let targets: [String: (SettingTarget, ValueStyle)] = [
      "llm.load.contextLength": (.servedWindow, .integer),
      "llm.load.llama.ropeFrequencyBase": (.rope("rope_freq_base"), .number),
      "llm.load.llama.ropeFrequencyScale": (.rope("rope_freq_scale"), .number),
      "llm.load.ropeFrequencyBase": (.rope("rope_freq_base"), .number),
      "llm.load.ropeFrequencyScale": (.rope("rope_freq_scale"), .number),
    ]
    for field in root["config"]?["load"]?["fields"]?.items ?? [] {
      guard let key = field["key"]?.text, let (target, style) = targets[key], var value = field["value"] else { continue }
      if value.isMapping, value["checked"] != nil || value["value"] != nil {
        if value["checked"]?.node.factValue == .bool(false) { continue }
        guard let inner = value["value"] else { continue }
        value = inner
      }
      guard let converted = ManifestValues.value(value, style: style) else { continue }
      launch.presets.append(LaunchSetting(target: target, value: converted, flag: key, location: value.location))
    }
    return [ManifestKind.lmStudio.fact(at: root.location)] + launch.facts()
  }
}
