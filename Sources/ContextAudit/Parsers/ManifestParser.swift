/// The manifest shapes ctxaudit recognises; raw values are the `manifest.kind` fact values.
public enum ManifestKind: String, Hashable, Sendable, CaseIterable {
  case kubernetes
  case kserve
  case helmValues = "helm-values"
  case compose
  case vllmConfig = "vllm-config"
  case localAI = "localai"
  case lmStudio = "lmstudio"
  case axolotl
  case modelfile
  case ollamaParams = "ollama-params"

  func fact(at location: SourceLocation) -> Fact {
    Fact(key: "manifest.kind", value: .string(rawValue), location: location)
  }
}

/// Reads serving, deployment and training YAML into `manifest.` facts (docs/facts.md).
///
/// Every document of a multi-document stream is examined and recognised by its content,
/// since file names vary (manifests-and-layouts.md section 3.8), in this order:
/// Kubernetes objects (`apiVersion` + `kind`, including KServe), Docker Compose (`services:`),
/// vLLM production-stack Helm values (`servingEngineSpec.modelSpec`), axolotl (`base_model`
/// + `sequence_len`/`datasets`/...), LM Studio `model.yaml` (`model: publisher/name` +
/// `base`/`metadataOverrides`), LocalAI (`name` + `backend`/`parameters.model`), a vLLM
/// `--config` file (vLLM long option keys), and last other Helm values files. A document
/// that is none of these yields no facts and no error.
///
/// Locations are the YAML node of the scalar holding each value (1-based line and column,
/// plus its key path). Values taken from a shell string (`sh -c "vllm serve ..."`) or a
/// Compose `command:` string carry the location of that whole scalar.
///
/// A YAML syntax error (or a reader limit) makes the whole file an error with libyaml's
/// line and column; no facts are kept, because the YAML reader composes the stream first.
public enum ManifestParser {
  /// Reads every document of a YAML stream.
  ///
  /// - Parameters:
  ///   - bytes: the file's bytes (UTF-8, or UTF-16 with a BOM, as libyaml reads them).
  ///   - path: the artifact path every location reports.
  /// - Returns: the facts of all recognised documents in stream order; `error` is set only
  ///   when the YAML itself cannot be read. Never throws.
  public static func parse(_ bytes: [UInt8], path: ArtifactPath) -> ParsedArtifact {
    let documents: [YAMLNode]
    do {
      documents = try YAMLReader.documents(bytes, path: path)
    } catch {
      return ParsedArtifact(path: path, kind: .yamlManifest, facts: [], error: ParseFailure(error))
    }
    var facts: [Fact] = []
    for document in documents {
      facts += read(YAMLCursor(document, path: path), fileName: path.fileName)
    }
    return ParsedArtifact(path: path, kind: .yamlManifest, facts: facts)
  }

  /// The kind of one YAML document, or nil when ctxaudit does not read such documents.
  ///
  /// A root sequence counts as LocalAI when its first mapping is a LocalAI model (LocalAI's
  /// `--models-config-file` holds a list).
  public static func recognize(_ document: YAMLNode, fileName: String) -> ManifestKind? {
    kind(of: YAMLCursor(document, path: ArtifactPath(fileName)), fileName: fileName)
  }

  static func kind(of root: YAMLCursor, fileName: String) -> ManifestKind? {
    if root.isSequence {
      return root.items.contains(where: LocalAIConfig.matches) ? .localAI : nil
    }
    guard root.isMapping else { return nil }
    if KubernetesManifest.matches(root) {
      let apiVersion = root["apiVersion"]?.text ?? ""
      return apiVersion.hasPrefix("serving.kserve.io") ? .kserve : .kubernetes
    }
    if ComposeManifest.matches(root) { return .compose }
    if HelmValues.matchesProductionStack(root) { return .helmValues }
    if AxolotlConfig.matches(root) { return .axolotl }
    if LMStudioModelYAML.matches(root) { return .lmStudio }
    if LocalAIConfig.matches(root) { return .localAI }
    if VLLMConfigFile.matches(root) { return .vllmConfig }
    if HelmValues.matchesGeneric(root, fileName: fileName) { return .helmValues }
    return nil
  }

  static func read(_ root: YAMLCursor, fileName: String) -> [Fact] {
    switch kind(of: root, fileName: fileName) {
    case .kubernetes?, .kserve?: return KubernetesManifest.read(root)
    case .compose?: return ComposeManifest.read(root)
    case .helmValues?:
      return HelmValues.matchesProductionStack(root) ? HelmValues.readProductionStack(root) : HelmValues.readGeneric(root)
    case .axolotl?: return AxolotlConfig.read(root)
    case .lmStudio?: return LMStudioModelYAML.read(root)
    case .localAI?:
      return root.isSequence ? root.items.filter(LocalAIConfig.matches).flatMap(LocalAIConfig.read) : LocalAIConfig.read(root)
    case .vllmConfig?: return VLLMConfigFile.read(root)
    case .modelfile?, .ollamaParams?, nil: return []
    }
  }
}
