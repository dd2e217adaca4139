import Testing
@testable import ContextAudit

/// Every fixture under Fixtures/manifests/, read end to end: the exact facts, values and
/// 1-based line:column of each (see Fixtures/manifests/README.md for where the shapes come from).
@Suite struct ManifestFixtureTests {
  @Test func vllmDeploymentWithYaRNOverrideAndLongLenSwitch() throws {
    let parsed = try FactText.parseFixture("kubernetes/vllm-deployment.yaml")
    #expect(parsed.error == nil)
    #expect(parsed.kind == .yamlManifest)
    #expect(
      FactText.lines(parsed.facts) == [
        #"manifest.kind="kubernetes"@4:7"#,
        #"manifest.server="vllm"@22:21"#,
        #"manifest.model="Qwen/Qwen2.5-7B-Instruct"@24:15"#,
        "manifest.served_window=131072@26:15",
        #"manifest.served_window_flag="--max-model-len"@26:15"#,
        #"manifest.rope_override.hf_overrides={"rope_scaling":{"factor":4.0,"original_max_position_embeddings":32768,"rope_type":"yarn"}}@28:15"#,
        "manifest.allow_long_context=true@32:22",
      ])
    #expect(parsed.facts.first("manifest.served_window")?.location.keyPath == "spec.template.spec.containers[0].args[2]")
    #expect(parsed.facts.first("manifest.allow_long_context")?.location.keyPath == "spec.template.spec.containers[0].env[0].value")
  }

  @Test func tgiStatefulSetConfiguredByEnv() throws {
    let parsed = try FactText.parseFixture("kubernetes/tgi-statefulset.yaml")
    #expect(
      FactText.lines(parsed.facts) == [
        #"manifest.kind="kubernetes"@3:7"#,
        #"manifest.server="tgi"@19:18"#,
        #"manifest.model="meta-llama/Llama-2-7b-chat-hf"@22:22"#,
        "manifest.served_window=8192@26:22",
        #"manifest.served_window_flag="MAX_TOTAL_TOKENS"@26:22"#,
        "manifest.max_input_tokens=7168@24:22",
        #"manifest.rope_override.rope_scaling="dynamic"@28:22"#,
        "manifest.rope_override.rope_factor=2.0@30:22",
      ])
  }

  @Test func sglangIndexedJobWithJSONModelOverride() throws {
    let parsed = try FactText.parseFixture("kubernetes/sglang-indexed-job.yaml")
    #expect(
      FactText.lines(parsed.facts) == [
        #"manifest.kind="kubernetes"@3:7"#,
        #"manifest.server="sglang"@19:15"#,
        #"manifest.model="Qwen/Qwen3-8B"@22:15"#,
        "manifest.served_window=131072@24:15",
        #"manifest.served_window_flag="--context-length"@24:15"#,
        #"manifest.rope_override.json_model_override_args={"rope_scaling":{"factor":4.0,"original_max_position_embeddings":32768,"rope_type":"yarn"}}@26:15"#,
        "manifest.allow_long_context=true@29:22",
      ])
  }

  @Test func llamaServerInsideShellWrapperPointsAtTheScript() throws {
    let parsed = try FactText.parseFixture("kubernetes/llamacpp-shell-pod.yaml")
    // Every word of the folded `>-` script carries the script scalar's mark (line 17, column 11);
    // the init container's curl script names no server and yields nothing.
    #expect(
      FactText.lines(parsed.facts) == [
        #"manifest.kind="kubernetes"@4:7"#,
        #"manifest.server="llama.cpp"@17:11"#,
        #"manifest.model="/models/qwen2.5-coder-14b-instruct-q4_k_m.gguf"@17:11"#,
        "manifest.served_window=81920@17:11",
        #"manifest.served_window_flag="--ctx-size"@17:11"#,
        "manifest.rope_override.rope_scale=2.5@17:11",
        #"manifest.override_kv="qwen2.context_length=int:81920"@17:11"#,
        "manifest.override_kv.context_length=81920@17:11",
        "manifest.parallel_slots=2@17:11",
      ])
    #expect(parsed.facts.first("manifest.server")?.location.keyPath == "spec.containers[0].args[0]")
  }

  @Test func nimConfigMapAndDeploymentInOneStream() throws {
    let parsed = try FactText.parseFixture("kubernetes/nim-configmap.yaml")
    #expect(
      FactText.lines(parsed.facts) == [
        #"manifest.kind="kubernetes"@3:7"#,
        #"manifest.server="nim"@7:22"#,
        "manifest.served_window=32768@7:22",
        #"manifest.served_window_flag="NIM_MAX_MODEL_LEN"@7:22"#,
        #"manifest.kind="kubernetes"@12:7"#,
        #"manifest.server="nim"@20:18"#,
      ])
  }

  @Test func kserveHuggingFaceRuntimeReadsVLLMFlags() throws {
    let parsed = try FactText.parseFixture("kserve/huggingface-inferenceservice.yaml")
    #expect(
      FactText.lines(parsed.facts) == [
        #"manifest.kind="kserve"@4:7"#,
        #"manifest.server="vllm"@11:15"#,
        #"manifest.model="meta-llama/meta-llama-3-8b-instruct"@16:11"#,
        "manifest.served_window=1024@18:11",
        #"manifest.served_window_flag="--max-model-len"@18:11"#,
      ])
  }

  @Test func kserveRawContainerAndServingRuntime() throws {
    let parsed = try FactText.parseFixture("kserve/vllm-raw-container.yaml")
    #expect(
      FactText.lines(parsed.facts) == [
        #"manifest.kind="kserve"@4:7"#,
        #"manifest.server="vllm"@12:32"#,
        #"manifest.model="facebook/opt-125m"@15:13"#,
        "manifest.served_window=512@17:13",
        #"manifest.served_window_flag="--max-model-len"@17:13"#,
        #"manifest.kind="kserve"@23:7"#,
        #"manifest.server="vllm"@32:14"#,
        "manifest.served_window=8192@36:11",
        #"manifest.served_window_flag="--max_model_len"@36:11"#,
      ])
  }

  @Test func productionStackValuesExtraArgsWinOverMaxModelLen() throws {
    let parsed = try FactText.parseFixture("helm-values/production-stack-values.yaml")
    #expect(
      FactText.lines(parsed.facts) == [
        #"manifest.kind="helm-values"@2:1"#,
        #"manifest.server="vllm"@6:17"#,
        #"manifest.model="mistralai/Mistral-7B-Instruct-v0.2"@8:15"#,
        "manifest.served_window=16384@14:20",
        #"manifest.served_window_flag="vllmConfig.maxModelLen"@14:20"#,
        #"manifest.server="vllm"@20:17"#,
        #"manifest.model="Qwen/Qwen2.5-14B-Instruct"@22:15"#,
        // `--max-model-len=128k`: vLLM reads a lowercase k as 1000.
        "manifest.served_window=128000@26:11",
        #"manifest.served_window_flag="--max-model-len"@26:11"#,
        #"manifest.rope_override.hf_overrides={"rope_scaling":{"factor":4.0,"original_max_position_embeddings":32768,"rope_type":"yarn"}}@28:11"#,
        "manifest.allow_long_context=true@35:14",
      ])
  }

  @Test func nimChartValuesReadEnvList() throws {
    let parsed = try FactText.parseFixture("helm-values/nim-values.yaml")
    #expect(
      FactText.lines(parsed.facts) == [
        #"manifest.kind="helm-values"@2:1"#,
        #"manifest.server="nim"@3:15"#,
        "manifest.served_window=8192@11:12",
        #"manifest.served_window_flag="NIM_MAX_MODEL_LEN"@11:12"#,
      ])
  }

  @Test func genericChartWindowKeyUnderArgsMapping() throws {
    let parsed = try FactText.parseFixture("helm-values/generic-chart-values.yaml")
    #expect(
      FactText.lines(parsed.facts) == [
        #"manifest.kind="helm-values"@2:1"#,
        #"manifest.server="vllm"@5:17"#,
        "manifest.served_window=18000@9:18",
        #"manifest.served_window_flag="vllm.args.maxModelLen"@9:18"#,
      ])
  }

  @Test func composeLlamaCppFlagsBeatEnvAndOllamaEnvMap() throws {
    let parsed = try FactText.parseFixture("compose/llamacpp-ollama-compose.yaml")
    // The command string's words all sit at its scalar (6:14); `-c 131072` beats
    // LLAMA_ARG_CTX_SIZE=32768; the web UI's OLLAMA_BASE_URL is no server setting.
    #expect(
      FactText.lines(parsed.facts) == [
        #"manifest.kind="compose"@3:1"#,
        #"manifest.server="llama.cpp"@5:12"#,
        #"manifest.model="/models/Qwen2.5-7B-Instruct-Q4_K_M.gguf"@6:14"#,
        "manifest.served_window=131072@6:14",
        #"manifest.served_window_flag="-c"@6:14"#,
        #"manifest.rope_override.rope_scaling="yarn"@6:14"#,
        "manifest.rope_override.rope_scale=4.0@6:14",
        "manifest.rope_override.yarn_orig_ctx=32768@6:14",
        "manifest.parallel_slots=1@9:9",
        #"manifest.server="ollama"@15:12"#,
        "manifest.served_window=65536@17:30",
        #"manifest.served_window_flag="OLLAMA_CONTEXT_LENGTH"@17:30"#,
      ])
  }

  @Test func composeVLLMAndModelRunnerModel() throws {
    let parsed = try FactText.parseFixture("compose/vllm-compose.yaml")
    #expect(
      FactText.lines(parsed.facts) == [
        #"manifest.kind="compose"@3:1"#,
        #"manifest.server="vllm"@5:12"#,
        #"manifest.model="Qwen/Qwen3.6-35B-A3B-NVFP4"@9:26"#,
        "manifest.served_window=262144@9:75",
        #"manifest.served_window_flag="--max-model-len"@9:75"#,
        "manifest.allow_long_context=true@7:9",
        #"manifest.server="llama.cpp"@17:12"#,
        #"manifest.model="ai/smollm2"@17:12"#,
        "manifest.served_window=8192@18:19",
        #"manifest.served_window_flag="context_size"@18:19"#,
      ])
  }

  @Test func vllmConfigFileWithJSONStringOverrides() throws {
    let parsed = try FactText.parseFixture("vllm-config/yarn-config.yaml")
    #expect(
      FactText.lines(parsed.facts) == [
        #"manifest.kind="vllm-config"@2:1"#,
        #"manifest.server="vllm"@2:1"#,
        #"manifest.model="Qwen/Qwen3-8B"@2:8"#,
        "manifest.served_window=131072@5:16",
        #"manifest.served_window_flag="max-model-len"@5:16"#,
        #"manifest.rope_override.hf_overrides={"rope_parameters":{"factor":4.0,"original_max_position_embeddings":32768,"rope_theta":1000000,"rope_type":"yarn"}}@6:15"#,
      ])
  }

  @Test func vllmConfigFileWithUnderscoresAndNestedMapping() throws {
    let parsed = try FactText.parseFixture("vllm-config/mapping-overrides.yaml")
    #expect(
      FactText.lines(parsed.facts) == [
        #"manifest.kind="vllm-config"@2:1"#,
        #"manifest.server="vllm"@2:1"#,
        #"manifest.model="Qwen/Qwen3-8B"@2:8"#,
        "manifest.served_window=64000@3:16",
        #"manifest.served_window_flag="max_model_len"@3:16"#,
        #"manifest.rope_override.hf_overrides={"rope_scaling":{"factor":2.0,"original_max_position_embeddings":32768,"rope_type":"yarn"}}@5:3"#,
      ])
  }

  @Test func localAIModelWithYarnAndParameters() throws {
    let parsed = try FactText.parseFixture("localai/qwen-yarn.yaml")
    #expect(
      FactText.lines(parsed.facts) == [
        #"manifest.kind="localai"@2:1"#,
        #"manifest.server="localai"@3:10"#,
        #"manifest.model="qwen2.5-7b-instruct-q4_k_m.gguf"@11:10"#,
        "manifest.served_window=131072@4:15",
        #"manifest.served_window_flag="context_size"@4:15"#,
        #"manifest.rope_override.rope_scaling="yarn"@5:15"#,
        "manifest.rope_override.rope_freq_base=1000000.0@12:19",
        "manifest.rope_override.rope_freq_scale=0.25@13:20",
        "manifest.rope_override.yarn_ext_factor=1.0@6:18",
        "manifest.rope_override.yarn_attn_factor=1.0@7:19",
        "manifest.rope_override.yarn_beta_fast=32.0@8:17",
        "manifest.rope_override.yarn_beta_slow=1.0@9:17",
      ])
  }

  @Test func localAIListAppliesVLLMBackendPrecedence() throws {
    let parsed = try FactText.parseFixture("localai/vllm-backend-list.yaml")
    #expect(
      FactText.lines(parsed.facts) == [
        #"manifest.kind="localai"@3:3"#,
        #"manifest.server="localai"@4:12"#,
        #"manifest.model="Qwen/Qwen3-8B"@11:12"#,
        "manifest.served_window=65536@8:20",
        #"manifest.served_window_flag="engine_args.max_model_len"@8:20"#,
        #"manifest.rope_override.hf_overrides={"rope_scaling":{"factor":2.0,"original_max_position_embeddings":32768,"rope_type":"yarn"}}@9:19"#,
        #"manifest.kind="localai"@12:3"#,
        #"manifest.server="localai"@13:12"#,
        #"manifest.model="phi-4-q4_k_m.gguf"@16:12"#,
        "manifest.served_window=-1@14:17",
        #"manifest.served_window_flag="context_size"@14:17"#,
      ])
  }

  @Test func lmStudioModelYAMLSkipsUncheckedField() throws {
    let parsed = try FactText.parseFixture("lmstudio/model.yaml")
    #expect(
      FactText.lines(parsed.facts) == [
        #"manifest.kind="lmstudio"@2:1"#,
        #"manifest.server="lmstudio"@2:1"#,
        #"manifest.model="qwen/qwen3-8b"@2:8"#,
        "manifest.served_window=32768@32:16",
        #"manifest.served_window_flag="llm.load.contextLength"@32:16"#,
        "manifest.advertised_window=40960@20:7",
        "manifest.rope_override.rope_freq_base=1000000.0@36:18",
      ])
  }

  @Test func axolotlTrainingWindowAndRopeOverrides() throws {
    let parsed = try FactText.parseFixture("axolotl/qwen-coder-yarn.yaml")
    #expect(
      FactText.lines(parsed.facts) == [
        #"manifest.kind="axolotl"@2:1"#,
        #"manifest.server="axolotl"@2:1"#,
        #"manifest.model="Qwen/Qwen2.5-Coder-7B-Instruct"@2:13"#,
        "manifest.training_window=8192@14:15",
        #"manifest.rope_override.rope_scaling={"factor":2.0,"type":"yarn"}@20:5"#,
        "manifest.rope_override.rope_theta=1000000.0@18:15",
      ])
  }

  @Test func modelfileLastNumCtxWins() throws {
    let parsed = try FactText.parseFixture("modelfile/Modelfile")
    #expect(parsed.error == nil)
    #expect(parsed.kind == .modelfile)
    #expect(
      FactText.lines(parsed.facts) == [
        #"manifest.kind="modelfile"@2:1"#,
        #"manifest.server="ollama"@2:1"#,
        #"manifest.model="qwen2.5:7b-instruct-q4_K_M"@2:6"#,
        "manifest.served_window=32768@8:19",
        #"manifest.served_window_flag="num_ctx"@8:19"#,
      ])
  }

  @Test func ollamaParamsLayerLocatedByLineColumnAndKeyPath() throws {
    let parsed = try FactText.parseFixture("ollama-params/params.json")
    #expect(parsed.error == nil)
    #expect(parsed.kind == .ollamaParams)
    #expect(
      FactText.lines(parsed.facts) == [
        #"manifest.kind="ollama-params"@-:-"#,
        #"manifest.server="ollama"@-:-"#,
        "manifest.served_window=8192@1:12",
        #"manifest.served_window_flag="num_ctx"@1:12"#,
      ])
    #expect(parsed.facts.first("manifest.served_window")?.location.keyPath == "num_ctx")
  }

  @Test func workflowYAMLIsNoManifest() throws {
    let parsed = try FactText.parseFixture("not-manifest/github-workflow.yaml")
    #expect(parsed.error == nil)
    #expect(parsed.facts.isEmpty)
  }

  @Test func malformedYAMLIsAnErrorWithLineAndColumn() throws {
    let parsed = try FactText.parseFixture("malformed/unclosed-flow.yaml")
    #expect(parsed.facts.isEmpty)
    let error = try #require(parsed.error)
    #expect(error.location.line == 9 && error.location.column == 11)
    #expect(error.location.path == ArtifactPath("malformed/unclosed-flow.yaml"))
    #expect(error.message == "YAML syntax error: while parsing a flow sequence: did not find expected ',' or ']'")
  }
}
