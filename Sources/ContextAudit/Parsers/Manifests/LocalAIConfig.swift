/// Reads LocalAI model YAML (manifests-and-layouts.md section 2.6), one model per mapping;
/// a file may also hold a list of them.
///
/// Field tags follow `core/config/model_config.go`: `context_size`, `rope_scaling`,
/// `yarn_ext_factor`, `yarn_attn_factor`, `yarn_beta_fast`, `yarn_beta_slow` at the top level;
/// `rope_freq_base`, `rope_freq_scale` and `model` under `parameters:`; `max_model_len` and
/// `engine_args` for the vLLM backend. For vLLM backends the window precedence is
/// `context_size` < `max_model_len` < `engine_args.max_model_len`; other backends read
/// `context_size` only (`-1` means the GGUF's trained maximum and is reported as written).
enum LocalAIConfig {
  static func matches(_ root: YAMLCursor) -> Bool {
    guard root.isMapping, root["name"]?.text != nil else { return false }
    return root["backend"]?.text != nil || root["parameters"]?["model"]?.text != nil
  }

  static func read(_ root: YAMLCursor) -> [Fact] {
    var launch = ServerLaunch()
    let backend = root["backend"]
    launch.hint = (.localAI, (backend ?? root).location)
    func preset(_ target: SettingTarget, _ node: YAMLCursor?, _ style: ValueStyle, _ flag: String) {
      guard let node, let value = ManifestValues.value(node, style: style) else { return }
      launch.presets.append(LaunchSetting(target: target, value: value, flag: flag, location: node.location))
    }
    let parameters = root["parameters"]
    preset(.model, parameters?["model"], .string, "parameters.model")
    preset(.servedWindow, root["context_size"], .integer, "context_size")
    if backend?.text?.lowercased().contains("vllm") == true {
      preset(.servedWindow, root["max_model_len"], .integer, "max_model_len")
      preset(.servedWindow, root["engine_args"]?["max_model_len"], .integer, "engine_args.max_model_len")
    }
    preset(.rope("rope_scaling"), root["rope_scaling"], .string, "rope_scaling")
    preset(.rope("rope_freq_base"), parameters?["rope_freq_base"], .number, "parameters.rope_freq_base")
    preset(.rope("rope_freq_scale"), parameters?["rope_freq_scale"], .number, "parameters.rope_freq_scale")
    for name in ["yarn_ext_factor", "yarn_attn_factor", "yarn_beta_fast", "yarn_beta_slow"] {
      preset(.rope(name), root[name], .number, name)
    }
    preset(.rope("hf_overrides"), root["engine_args"]?["hf_overrides"], .json, "engine_args.hf_overrides")
    return [ManifestKind.localAI.fact(at: root.location)] + launch.facts()
  }
}
