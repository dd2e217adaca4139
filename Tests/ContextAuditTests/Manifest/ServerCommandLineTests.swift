import Testing
@testable import ContextAudit

/// The shared flag reader: flag forms, shell quoting, precedence and value parsing.
@Suite struct ServerCommandLineTests {
  let here = SourceLocation(path: ArtifactPath("run.sh"), line: 3, column: 1)

  func facts(_ words: [String], env: [(name: String, value: String)] = [], image: String? = nil) -> [Fact] {
    ServerCommandLine.facts(arguments: words, environment: env, image: image, location: here)
  }

  @Test func equalsAndSpaceFormsReadTheSameValue() {
    let spaced = facts(["vllm", "serve", "Qwen/Qwen2.5-7B-Instruct", "--max-model-len", "32768"])
    let joined = facts(["vllm", "serve", "Qwen/Qwen2.5-7B-Instruct", "--max-model-len=32768"])
    #expect(spaced.first("manifest.served_window")?.value == .int(32768))
    #expect(spaced.map(\.value) == joined.map(\.value))
    #expect(spaced.first("manifest.model")?.value == .string("Qwen/Qwen2.5-7B-Instruct"))
  }

  @Test func repeatedFlagLastWinsAndNamesItsSpelling() throws {
    // Two separate YAML scalars, so the winner's location is checkable.
    let parsed = FactText.yaml(
      """
      services:
        llama:
          image: ghcr.io/ggml-org/llama.cpp:server
          command: ["-c", "4096", "--ctx-size", "8192"]
      """)
    let window = try #require(parsed.facts.first("manifest.served_window"))
    #expect(window.value == .int(8192))
    #expect(window.location.line == 4 && window.location.column == 43)
    #expect(parsed.facts.first("manifest.served_window_flag")?.value == .string("--ctx-size"))
    #expect(parsed.facts.all("manifest.served_window").count == 1)
  }

  @Test func shellScriptIsSplitWithQuotesAndInlineEnv() throws {
    let parsed = FactText.yaml(
      """
      apiVersion: v1
      kind: Pod
      spec:
        containers:
          - name: vllm
            image: python:3.12
            command:
              - /bin/bash
              - -lc
              - |
                pip install vllm && \\
                VLLM_ALLOW_LONG_MAX_MODEL_LEN=1 exec vllm serve "Qwen/Qwen2.5-7B-Instruct" \\
                  --max-model-len 65536 \\
                  --hf-overrides '{"rope_scaling": {"rope_type": "yarn", "factor": 2.0, "original_max_position_embeddings": 32768}}'
      """)
    #expect(
      FactText.lines(parsed.facts) == [
        #"manifest.kind="kubernetes"@2:7"#,
        #"manifest.server="vllm"@10:11"#,
        #"manifest.model="Qwen/Qwen2.5-7B-Instruct"@10:11"#,
        "manifest.served_window=65536@10:11",
        #"manifest.served_window_flag="--max-model-len"@10:11"#,
        #"manifest.rope_override.hf_overrides={"rope_scaling":{"factor":2.0,"original_max_position_embeddings":32768,"rope_type":"yarn"}}@10:11"#,
        "manifest.allow_long_context=true@10:11",
      ])
  }

  @Test func shellWordsFollowPOSIXQuoting() {
    #expect(ShellWords.words(#"a 'b c' "d \"e\" $X" f\ g"#) == ["a", "b c", #"d "e" $X"#, "f g"])
    #expect(ShellWords.words("x;y && z") == ["x;y", "&&", "z"])
    #expect(
      ShellWords.commands("export A=1; cd /x && exec llama-server -c 4096 # tail\nnext 'a;b'") == [
        ["export", "A=1"], ["cd", "/x"], ["exec", "llama-server", "-c", "4096"], ["next", "a;b"],
      ])
    #expect(ShellWords.commands("vllm serve m \\\n  --max-model-len 8192") == [["vllm", "serve", "m", "--max-model-len", "8192"]])
  }

  @Test func exportedEnvBeforeTheServerCounts() {
    let result = facts(["sh", "-c", "export SGLANG_ALLOW_OVERWRITE_LONGER_CONTEXT_LEN=1\npython3 -m sglang.launch_server --model-path Qwen/Qwen3-8B --context-length 65536"])
    #expect(result.first("manifest.server")?.value == .string("sglang"))
    #expect(result.first("manifest.allow_long_context")?.value == .bool(true))
    #expect(result.first("manifest.served_window")?.value == .int(65536))
  }

  @Test func hfOverridesJSONBecomesAnObjectAndBadJSONStaysText() {
    let good = facts(["vllm", "serve", "m", "--hf-overrides", #"{"rope_parameters": {"rope_type": "yarn", "factor": 4.0}, "max_model_len": 131072, "tie": true}"#])
    #expect(
      good.first("manifest.rope_override.hf_overrides")?.value
        == .object([
          "rope_parameters": .object(["rope_type": "yarn", "factor": .double(4.0)]), "max_model_len": .int(131072),
          "tie": .bool(true),
        ]))
    let bad = facts(["vllm", "serve", "m", "--hf-overrides", "{'rope_scaling': 'yarn'}"])
    #expect(bad.first("manifest.rope_override.hf_overrides")?.value == .string("{'rope_scaling': 'yarn'}"))
  }

  @Test func dottedHFOverridesMergeAndUnderscoreFlagNamesNormalise() {
    let result = facts([
      "vllm", "serve", "m", "--max_model_len", "65536", "--hf-overrides.rope_scaling.rope_type", "yarn",
      "--hf-overrides.rope_scaling.factor=4.0",
    ])
    #expect(result.first("manifest.served_window")?.value == .int(65536))
    #expect(result.first("manifest.served_window_flag")?.value == .string("--max_model_len"))
    #expect(
      result.first("manifest.rope_override.hf_overrides")?.value
        == .object(["rope_scaling": .object(["rope_type": "yarn", "factor": .double(4.0)])]))
  }

  @Test func vllmReadsHumanReadableLengths() {
    #expect(ManifestValues.vllmInteger("32k") == 32000)
    #expect(ManifestValues.vllmInteger("32K") == 32768)
    #expect(ManifestValues.vllmInteger("25.6k") == 25600)
    #expect(ManifestValues.vllmInteger("1m") == 1_000_000)
    #expect(ManifestValues.vllmInteger("1M") == 1_048_576)
    #expect(ManifestValues.vllmInteger("1.5K") == nil)
    #expect(ManifestValues.vllmInteger("auto") == nil)
    #expect(facts(["vllm", "serve", "m", "--max-model-len", "auto"]).first("manifest.served_window")?.value == .string("auto"))
    // llama.cpp takes plain integers only.
    #expect(facts(["llama-server", "-c", "32k"]).first("manifest.served_window")?.value == .string("32k"))
  }

  @Test func overrideKVKeepsEveryItemAndReadsContextLength() {
    let result = facts([
      "llama-server", "-m", "q.gguf", "--override-kv", "qwen2.context_length=int:131072,tokenizer.ggml.add_bos_token=bool:false",
      "--override-kv", "qwen2.rope.freq_base=float:500000",
    ])
    #expect(
      result.all("manifest.override_kv").map(\.value) == [
        "qwen2.context_length=int:131072", "tokenizer.ggml.add_bos_token=bool:false", "qwen2.rope.freq_base=float:500000",
      ])
    #expect(result.all("manifest.override_kv.context_length").map(\.value) == [.int(131072)])
  }

  @Test func flagsBeatEnvForTGI() {
    let result = facts(
      ["text-generation-launcher", "--model-id", "meta-llama/Llama-2-7b-hf", "--max-total-tokens", "16384"],
      env: [("MAX_TOTAL_TOKENS", "8192"), ("ROPE_FACTOR", "4")])
    #expect(result.first("manifest.served_window")?.value == .int(16384))
    #expect(result.first("manifest.served_window_flag")?.value == .string("--max-total-tokens"))
    #expect(result.first("manifest.rope_override.rope_factor")?.value == .double(4))
  }

  @Test func genericEnvNamesAreIgnoredOutsideTheirServer() {
    // MAX_TOTAL_TOKENS means something only to TGI.
    let result = facts(["vllm", "serve", "m"], env: [("MAX_TOTAL_TOKENS", "8192")])
    #expect(result.first("manifest.served_window") == nil)
  }

  @Test func llamaCppYarnFlags() {
    let result = facts([
      "/app/llama-server", "-hf", "bartowski/DeepSeek-V2.5-1210-GGUF", "--rope-scaling", "yarn", "--yarn-orig-ctx", "4096",
      "--yarn-attn-factor", "40", "--yarn-ext-factor", "-1", "--yarn-beta-fast", "32", "--yarn-beta-slow", "1",
      "--rope-freq-base", "1e6", "--rope-freq-scale", "0.25",
    ])
    #expect(
      result.map { "\($0.key)=\($0.value.jsonText)" } == [
        #"manifest.server="llama.cpp""#,
        #"manifest.model="bartowski/DeepSeek-V2.5-1210-GGUF""#,
        #"manifest.rope_override.rope_scaling="yarn""#,
        "manifest.rope_override.yarn_orig_ctx=4096",
        "manifest.rope_override.yarn_attn_factor=40.0",
        "manifest.rope_override.yarn_ext_factor=-1.0",
        "manifest.rope_override.yarn_beta_fast=32.0",
        "manifest.rope_override.yarn_beta_slow=1.0",
        "manifest.rope_override.rope_freq_base=1000000.0",
        "manifest.rope_override.rope_freq_scale=0.25",
      ])
  }

  @Test func serverProgramsAreRecognised() {
    #expect(facts(["python3", "-m", "vllm.entrypoints.openai.api_server", "--model", "m"]).first("manifest.server")?.value == "vllm")
    #expect(facts(["text-generation-launcher"]).first("manifest.server")?.value == "tgi")
    #expect(facts(["/bin/ollama", "serve"]).first("manifest.server")?.value == "ollama")
    #expect(facts(["local-ai", "run"]).first("manifest.server")?.value == "localai")
  }

  @Test func imagesNameTheirServer() {
    #expect(ServerKind.forImage("ghcr.io/ggml-org/llama.cpp:server-cuda") == .llamaCpp)
    #expect(ServerKind.forImage("vllm/vllm-openai:v0.10.1") == .vllm)
    #expect(ServerKind.forImage("registry.local:5000/vllm/vllm-openai") == .vllm)
    #expect(ServerKind.forImage("lmsysorg/sglang:latest") == .sglang)
    #expect(ServerKind.forImage("ghcr.io/huggingface/text-generation-inference:3.0@sha256:abc") == .tgi)
    #expect(ServerKind.forImage("ollama/ollama") == .ollama)
    #expect(ServerKind.forImage("localai/localai:latest-aio-cpu") == .localAI)
    #expect(ServerKind.forImage("nvcr.io/nim/meta/llama3-8b-instruct:1.0.3") == .nim)
    #expect(ServerKind.forImage("kserve/huggingfaceserver:v0.15.0") == .vllm)
    #expect(ServerKind.forImage("redis:7") == nil)
    #expect(ServerKind.forImage("docker.io/library/python:3.12") == nil)
  }

  @Test func genericFlagsDoNotInventAServer() {
    #expect(facts(["tail", "-c", "100", "/var/log/app.log"]).isEmpty)
    #expect(facts(["python", "app.py", "--context-length", "4096"]).isEmpty)
    // One strong flag is enough: wrappers pass vLLM flags through.
    let wrapped = facts(["python", "serve.py", "--max-model-len", "8192"])
    #expect(wrapped.first("manifest.server")?.value == "vllm")
    #expect(wrapped.first("manifest.served_window")?.value == .int(8192))
  }

  @Test func distinctiveEnvNamesTheServerWhenNothingElseDoes() {
    let result = facts(["/entrypoint.sh"], env: [("LLAMA_ARG_CTX_SIZE", "16384"), ("LLAMA_ARG_N_PARALLEL", "4")])
    #expect(result.first("manifest.server")?.value == "llama.cpp")
    #expect(result.first("manifest.served_window")?.value == .int(16384))
    #expect(result.first("manifest.parallel_slots")?.value == .int(4))
  }

  @Test func falsyLongContextSwitchIsNotReported() {
    #expect(facts(["vllm", "serve", "m"], env: [("VLLM_ALLOW_LONG_MAX_MODEL_LEN", "0")]).first("manifest.allow_long_context") == nil)
    #expect(facts(["vllm", "serve", "m"], env: [("VLLM_ALLOW_LONG_MAX_MODEL_LEN", "True")]).first("manifest.allow_long_context")?.value == .bool(true))
  }
}
