/// The kinds of file ctxaudit reads.
public enum ArtifactKind: String, Hashable, Sendable, Codable, CaseIterable {
  /// `config.json`, `generation_config.json`, `tokenizer_config.json` and other JSON configs.
  case configJSON = "config-json"
  /// A GGUF model file (header only).
  case gguf
  /// A Hugging Face model card (`README.md` with YAML front matter and prose).
  case modelCard = "model-card"
  /// A YAML serving, deployment or training manifest.
  case yamlManifest = "yaml-manifest"
  /// An Ollama `Modelfile`.
  case modelfile
  /// An Ollama store's params layer (JSON options such as `num_ctx`); found through the
  /// store's manifests, never by file name.
  case ollamaParams = "ollama-params"

  /// The kind a file name suggests, or `nil` when ctxaudit does not read such files.
  ///
  /// Detection is by name only; a parser still checks the content (a JSON file named
  /// `.gguf` is a GGUF parse error, not a config).
  public static func detect(fileName: String) -> ArtifactKind? {
    let lower = fileName.lowercased()
    if lower.hasSuffix(".gguf") { return .gguf }
    if lower == "config.json" || lower == "generation_config.json" || lower == "tokenizer_config.json"
      || lower == "params.json" || lower == "config.yaml.json"
    {
      return .configJSON
    }
    if lower == "readme.md" || lower == "model_card.md" || lower == "modelcard.md" { return .modelCard }
    if lower == "modelfile" || lower.hasSuffix(".modelfile") { return .modelfile }
    if lower.hasSuffix(".yaml") || lower.hasSuffix(".yml") { return .yamlManifest }
    return nil
  }
}
