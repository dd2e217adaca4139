import Testing
@testable import ContextAudit

/// Which documents count as manifests, multi-document streams, and style independence.
@Suite struct ManifestRecognitionTests {
  @Test(arguments: [
    ("kubernetes/vllm-deployment.yaml", ManifestKind.kubernetes),
    ("kserve/huggingface-inferenceservice.yaml", .kserve),
    ("helm-values/production-stack-values.yaml", .helmValues),
    ("helm-values/nim-values.yaml", .helmValues),
    ("compose/vllm-compose.yaml", .compose),
    ("vllm-config/yarn-config.yaml", .vllmConfig),
    ("localai/qwen-yarn.yaml", .localAI),
    ("localai/vllm-backend-list.yaml", .localAI),
    ("lmstudio/model.yaml", .lmStudio),
    ("axolotl/qwen-coder-yarn.yaml", .axolotl),
  ])
  func recognisesFixtureKind(_ file: String, _ kind: ManifestKind) throws {
    let path = ArtifactPath(file)
    let first = try #require(try YAMLReader.documents(Paths.fixtureBytes("manifests/" + file), path: path).first)
    #expect(ManifestParser.recognize(first, fileName: path.fileName) == kind)
  }

  @Test func unrelatedYAMLGivesNoFactsAndNoError() throws {
    for text in ["a: 1\nb: [x, y]\n", "- one\n- two\n", "just a string\n", "", "name: demo\nsteps: []\n"] {
      let parsed = FactText.yaml(text)
      #expect(parsed.error == nil)
      #expect(parsed.facts.isEmpty, "\(text)")
    }
    let workflow = try #require(
      try YAMLReader.documents(Paths.fixtureBytes("manifests/not-manifest/github-workflow.yaml"), path: ArtifactPath("w.yaml")).first)
    #expect(ManifestParser.recognize(workflow, fileName: "w.yaml") == nil)
  }

  @Test func kubernetesObjectsWithoutServingContainersStayQuiet() {
    let parsed = FactText.yaml("apiVersion: v1\nkind: Service\nmetadata:\n  name: x\n---\napiVersion: v1\nkind: ConfigMap\ndata:\n  LOG_LEVEL: debug\n")
    #expect(parsed.facts.isEmpty)
  }

  @Test func everyDocumentOfAStreamIsRead() {
    let parsed = FactText.yaml(
      """
      # first document: not a manifest
      title: notes
      ---
      model: Qwen/Qwen3-8B
      max-model-len: 40960
      ---
      services:
        ollama:
          image: ollama/ollama
          environment: ["OLLAMA_CONTEXT_LENGTH=16384"]
      """)
    #expect(parsed.facts.all("manifest.kind").map(\.value) == ["vllm-config", "compose"])
    #expect(
      parsed.facts.all("manifest.served_window").map { FactText.line($0) } == [
        "manifest.served_window=40960@5:16", "manifest.served_window=16384@10:19",
      ])
  }

  @Test func kindListItemsAreRead() {
    let parsed = FactText.yaml(
      """
      apiVersion: v1
      kind: List
      items:
        - apiVersion: apps/v1
          kind: Deployment
          spec:
            template:
              spec:
                containers:
                  - name: s
                    image: lmsysorg/sglang:latest
                    command: [python3, -m, sglang.launch_server, --context-length, "65536"]
      """)
    #expect(
      FactText.lines(parsed.facts) == [
        #"manifest.kind="kubernetes"@5:11"#,
        #"manifest.server="sglang"@12:38"#,
        "manifest.served_window=65536@12:78",
        #"manifest.served_window_flag="--context-length"@12:78"#,
      ])
  }

  @Test func blockAndFlowStyleGiveTheSameFactValues() {
    let block = FactText.yaml(
      """
      name: m
      backend: llama-cpp
      context_size: 16384
      rope_scaling: linear
      parameters:
        model: m.gguf
        rope_freq_scale: 0.5
      """)
    let flow = FactText.yaml(
      #"{name: m, backend: llama-cpp, context_size: 16384, rope_scaling: linear, parameters: {model: m.gguf, rope_freq_scale: 0.5}}"#)
    #expect(block.facts.map(\.key) == flow.facts.map(\.key))
    #expect(block.facts.map(\.value) == flow.facts.map(\.value))
    #expect(block.facts.map(\.location.keyPath) == flow.facts.map(\.location.keyPath))
    #expect(block.facts.first("manifest.served_window")?.value == .int(16384))
  }

  @Test func helmValuesNeedAServerSignal() {
    // A values file with no window key, args or env says nothing about a server.
    let quiet = FactText.yaml("image:\n  repository: nginx\n  tag: 1.27\nreplicaCount: 2\n", name: "values.yaml")
    #expect(quiet.facts.isEmpty)
    // An unnamed file needs a Helm-style image mapping before its keys are searched.
    let plain = FactText.yaml("settings:\n  maxModelLen: 4096\n", name: "app.yaml")
    #expect(plain.facts.isEmpty)
    let named = FactText.yaml("settings:\n  maxModelLen: 4096\n", name: "values-prod.yaml")
    #expect(FactText.lines(named.facts) == [
      #"manifest.kind="helm-values"@1:1"#,
      "manifest.served_window=4096@2:16",
      #"manifest.served_window_flag="settings.maxModelLen"@2:16"#,
    ])
  }

  @Test func kserveTransformersBackendIsNotVLLM() {
    let parsed = FactText.yaml(
      """
      apiVersion: serving.kserve.io/v1beta1
      kind: InferenceService
      spec:
        predictor:
          model:
            modelFormat: {name: huggingface}
            args: [--backend=huggingface, --model_id=bert-base-uncased]
            storageUri: hf://google-bert/bert-base-uncased
      """)
    #expect(parsed.facts.first("manifest.server") == nil)
    #expect(parsed.facts.first("manifest.model")?.value == .string("hf://google-bert/bert-base-uncased"))
  }
}
