/// Reads Kubernetes objects: workloads, KServe InferenceService / ServingRuntime, ConfigMaps
/// and `kind: List` wrappers (manifests-and-layouts.md sections 2.7, 2.8 and 3.8).
enum KubernetesManifest {
  /// Kinds whose pod template holds the serving containers.
  static let workloadKinds: Set<String> = [
    "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job", "CronJob", "Pod",
    "PodTemplate", "LeaderWorkerSet",
  ]

  static let kserveKinds: Set<String> = ["InferenceService", "ServingRuntime", "ClusterServingRuntime", "LLMInferenceService"]

  /// A document with string `apiVersion` and `kind` at its root.
  static func matches(_ root: YAMLCursor) -> Bool {
    root["apiVersion"]?.text != nil && root["kind"]?.text != nil
  }

  static func read(_ root: YAMLCursor) -> [Fact] {
    guard let kindNode = root["kind"], let kind = kindNode.text else { return [] }
    let apiVersion = root["apiVersion"]?.text ?? ""
    if kind == "List" {
      return root["items"]?.items.flatMap { matches($0) ? read($0) : [] } ?? []
    }
    if kserveKinds.contains(kind), apiVersion.hasPrefix("serving.kserve.io") {
      return [ManifestKind.kserve.fact(at: kindNode.location)] + readKServe(root, kind: kind)
    }
    if workloadKinds.contains(kind) {
      let containers = podSpecs(root, kind: kind).flatMap(containersOf)
      return [ManifestKind.kubernetes.fact(at: kindNode.location)] + containers.flatMap { readContainer($0) }
    }
    if kind == "ConfigMap" {
      let facts = readConfigMap(root)
      return facts.isEmpty ? [] : [ManifestKind.kubernetes.fact(at: kindNode.location)] + facts
    }
    return []
  }

  /// The pod specs of a workload (`spec.template.spec`, CronJob's job template, a Pod's
  /// `spec`, LeaderWorkerSet's leader and worker templates).
  static func podSpecs(_ root: YAMLCursor, kind: String) -> [YAMLCursor] {
    switch kind {
    case "Pod": return root["spec"].map { [$0] } ?? []
    case "PodTemplate": return root["template"]?["spec"].map { [$0] } ?? []
    case "CronJob": return root["spec"]?["jobTemplate"]?["spec"]?["template"]?["spec"].map { [$0] } ?? []
    case "LeaderWorkerSet":
      let lws = root["spec"]?["leaderWorkerTemplate"]
      return [lws?["leaderTemplate"]?["spec"], lws?["workerTemplate"]?["spec"]].compactMap { $0 }
    default: return root["spec"]?["template"]?["spec"].map { [$0] } ?? []
    }
  }

  /// `initContainers` then `containers`.
  static func containersOf(_ podSpec: YAMLCursor) -> [YAMLCursor] {
    (podSpec["initContainers"]?.items ?? []) + (podSpec["containers"]?.items ?? [])
  }

  /// Reads one container: `command` + `args` as argv, `env` name/value pairs (entries with
  /// `valueFrom` have no value to read), `image`.
  static func readContainer(
    _ container: YAMLCursor, hint: (server: ServerKind, location: SourceLocation)? = nil,
    fallbackModel: LaunchSetting? = nil
  ) -> [Fact] {
    var launch = ServerLaunch()
    launch.words = argvWords(container["command"]) + argvWords(container["args"])
    launch.env = envList(container["env"])
    launch.image = container["image"]?.word
    launch.hint = hint
    launch.fallbackModel = fallbackModel
    return launch.facts()
  }

  /// A list of argv words; a single string (not valid Kubernetes, but common in Compose-like
  /// shapes) is split with shell quoting rules.
  static func argvWords(_ node: YAMLCursor?) -> [ArgWord] {
    guard let node else { return [] }
    if node.isSequence { return node.items.compactMap(\.word) }
    guard let word = node.word else { return [] }
    return ShellWords.words(word.text).map { ArgWord(text: $0, location: word.location) }
  }

  /// Kubernetes-style env: `- name: X` / `value: Y`, located at the value.
  static func envList(_ node: YAMLCursor?) -> [EnvSetting] {
    guard let node else { return [] }
    return node.items.compactMap { entry in
      guard let name = entry["name"]?.text, let value = entry["value"], let text = value.text else { return nil }
      return EnvSetting(name: name, value: text, location: value.location)
    }
  }

  // MARK: - KServe

  private static func readKServe(_ root: YAMLCursor, kind: String) -> [Fact] {
    switch kind {
    case "InferenceService":
      guard let predictor = root["spec"]?["predictor"] else { return [] }
      var facts: [Fact] = []
      if let model = predictor["model"] { facts += readPredictorModel(model) }
      if let huggingface = predictor["huggingface"] { facts += readPredictorModel(huggingface, format: "huggingface") }
      for container in predictor["containers"]?.items ?? [] { facts += readContainer(container) }
      return facts
    case "ServingRuntime", "ClusterServingRuntime":
      return (root["spec"]?["containers"]?.items ?? []).flatMap { readContainer($0) }
    default:
      // LLMInferenceService (newer KServe; shape unverified): containers under spec.template.
      return (root["spec"]?["template"]?["containers"]?.items ?? []).flatMap { readContainer($0) }
    }
  }

  /// `spec.predictor.model`: the runtime's container gets `args`, `env`, maybe `image`.
  ///
  /// The huggingface model format runs KServe's huggingfaceserver, whose default backend is
  /// vLLM (section 2.7); its vLLM flags are read unless `--backend=huggingface` picks the
  /// Transformers backend. `storageUri` names the model when `--model_id` does not.
  private static func readPredictorModel(_ model: YAMLCursor, format: String? = nil) -> [Fact] {
    let formatNode = model["modelFormat"]?["name"]
    let formatName = format ?? formatNode?.text
    let words = argvWords(model["command"]) + argvWords(model["args"])
    var hint: (server: ServerKind, location: SourceLocation)? = nil
    if formatName?.lowercased() == "huggingface", !usesTransformersBackend(words) {
      hint = (.vllm, (formatNode ?? model).location)
    } else if let runtime = model["runtime"], runtime.text?.lowercased().contains("vllm") == true {
      hint = (.vllm, runtime.location)
    }
    var launch = ServerLaunch()
    launch.words = words
    launch.env = envList(model["env"])
    launch.image = model["image"]?.word
    launch.hint = hint
    if let storage = model["storageUri"], let uri = storage.text {
      launch.fallbackModel = LaunchSetting(target: .model, value: .string(uri), flag: "storageUri", location: storage.location)
    }
    return launch.facts()
  }

  private static func usesTransformersBackend(_ words: [ArgWord]) -> Bool {
    for (i, word) in words.enumerated() {
      if word.text == "--backend=huggingface" { return true }
      if word.text == "--backend", i + 1 < words.count, words[i + 1].text == "huggingface" { return true }
    }
    return false
  }

  // MARK: - ConfigMap

  /// ConfigMap `data` entries named like the env vars servers read (`NIM_MAX_MODEL_LEN`,
  /// `VLLM_ALLOW_LONG_MAX_MODEL_LEN`, ...); they reach containers through `envFrom`.
  private static func readConfigMap(_ root: YAMLCursor) -> [Fact] {
    guard let data = root["data"] else { return [] }
    let env = data.pairs.compactMap { pair -> EnvSetting? in
      guard let text = pair.value.text else { return nil }
      return EnvSetting(name: pair.key, value: text, location: pair.value.location)
    }
    guard env.contains(where: { entry in ServerVocabulary.distinctiveEnv.contains { $0.name == entry.name } }) else {
      return []
    }
    var launch = ServerLaunch()
    launch.env = env
    return launch.facts()
  }
}
