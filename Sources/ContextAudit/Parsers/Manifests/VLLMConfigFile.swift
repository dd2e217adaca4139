import Foundation

/// Reads a `vllm serve --config config.yaml` file (manifests-and-layouts.md section 2.1).
///
/// Keys are the long option names without dashes; vLLM's parser also takes underscores, so
/// `max-model-len` and `max_model_len` are the same key. `hf-overrides` and `rope-scaling`
/// may be JSON strings or nested mappings (which one a given vLLM accepts varies by version;
/// both are read). Env vars such as `VLLM_ALLOW_LONG_MAX_MODEL_LEN` cannot live in this file.
enum VLLMConfigFile {
  /// Long options that only vLLM has; one of them (dashed), or `model` with an underscored
  /// one, marks a vLLM config.
  static let signatureKeys: Set<String> = [
    "max-model-len", "hf-overrides", "tensor-parallel-size", "gpu-memory-utilization", "served-model-name",
    "rope-scaling", "rope-theta", "max-num-seqs", "max-num-batched-tokens", "enforce-eager", "kv-cache-dtype",
    "enable-prefix-caching", "pipeline-parallel-size", "uvicorn-log-level", "trust-remote-code",
  ]

  static func matches(_ root: YAMLCursor) -> Bool {
    let keys = root.pairs.map(\.key)
    if keys.contains(where: { signatureKeys.contains($0) }) { return true }
    let underscored = keys.contains { $0.contains("_") && signatureKeys.contains($0.replacingOccurrences(of: "_", with: "-")) }
    return underscored && keys.contains("model")
  }

  static func read(_ root: YAMLCursor) -> [Fact] {
    var launch = ServerLaunch()
    launch.hint = (.vllm, root.location)
    let options = ServerVocabulary.options(for: .vllm)
    for (key, value) in root.pairs {
      let flag = "--" + key.replacingOccurrences(of: "_", with: "-")
      guard let option = options.first(where: { $0.flags.contains(flag) }),
        let converted = ManifestValues.value(value, style: option.style)
      else { continue }
      launch.presets.append(LaunchSetting(target: option.target, value: converted, flag: key, location: value.location))
    }
    return [ManifestKind.vllmConfig.fact(at: root.location)] + launch.facts()
  }
}
