/// Reads axolotl training YAML (manifests-and-layouts.md section 2.10).
///
/// `sequence_len` is the length actually trained (`manifest.training_window`). RoPE changes
/// live under `overrides_of_model_config:` (alias `model_config:`); a top-level
/// `rope_scaling:` is the deprecated spelling current axolotl rejects, read only when the
/// overrides do not set it. These are training-time overrides: the facts carry
/// `manifest.server = axolotl` so readers can tell them from serve-time ones.
enum AxolotlConfig {
  static func matches(_ root: YAMLCursor) -> Bool {
    guard root["base_model"]?.text != nil else { return false }
    return ["sequence_len", "datasets", "adapter", "micro_batch_size", "num_epochs"].contains { root[$0] != nil }
  }

  static func read(_ root: YAMLCursor) -> [Fact] {
    var launch = ServerLaunch()
    launch.hint = (.axolotl, root.location)
    func preset(_ target: SettingTarget, _ node: YAMLCursor?, _ style: ValueStyle, _ flag: String) {
      guard let node, let value = ManifestValues.value(node, style: style) else { return }
      launch.presets.append(LaunchSetting(target: target, value: value, flag: flag, location: node.location))
    }
    preset(.model, root["base_model"], .string, "base_model")
    preset(.trainingWindow, root["sequence_len"], .integer, "sequence_len")
    let overrides = root["overrides_of_model_config"] ?? root["model_config"]
    if overrides?["rope_scaling"] == nil {
      preset(.rope("rope_scaling"), root["rope_scaling"], .json, "rope_scaling")
    }
    if let overrides {
      preset(.rope("rope_scaling"), overrides["rope_scaling"], .json, overrides.keyPath + ".rope_scaling")
      preset(.rope("rope_parameters"), overrides["rope_parameters"], .json, overrides.keyPath + ".rope_parameters")
      preset(.rope("rope_theta"), overrides["rope_theta"], .number, overrides.keyPath + ".rope_theta")
    }
    return [ManifestKind.axolotl.fact(at: root.location)] + launch.facts()
  }
}
