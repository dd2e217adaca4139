@testable import ContextAudit

/// The report every reporter renders into `Fixtures/reports/sample.<id>.<ext>`.
///
/// Windows and scaling values are those published with the real models (Llama 3.1 8B's
/// llama3 scaling from 8192, Qwen2.5-7B-Instruct's YaRN x4 from 32768, Mistral 7B v0.3's
/// 32768 native, Phi-3-mini-4k's 4096). Edge cases, one each at least:
/// - a model with no findings (Phi-3), a model with nothing but a card (`modèles/Été 7B`);
/// - a finding with no location, one with line/column, one with line/column and key path,
///   one with a byte offset, one with a key path only;
/// - a Unicode path with a space, an archive member path (`…tar.gz!/…`);
/// - a pipe and a newline in a message, an ESC sequence in a message, a bidi override in a name;
/// - all three severities and a `parse-error`; a nil window and nil runtime window;
/// - a RoPE analysis (Llama 3.1's 64 pairs) on one model and none on the others;
/// - a finding whose rule is not in `rules` (SARIF must still describe it) and a rule that
///   did not fire; findings given out of order (reporters sort them).
extension ScanReport {
  static let sample = ScanReport(
    models: [qwenInArchive, mistralGGUF, llama31, phi3, cardOnly],
    rules: [
      RuleInfo(
        id: "cross-file-window-agrees", title: "Config and card agree on the window", severity: .error,
        rationale: "A card that advertises a window the config does not declare misleads whoever sizes a deployment"),
      RuleInfo(
        id: "config-json-yarn-fine-tuned", title: "YaRN scaling is fine-tuned", severity: .note,
        rationale: "Static YaRN without long-context fine-tuning degrades quality on short inputs (Qwen2.5 card)"),
      RuleInfo(
        id: "config-json-llama3-scaling", title: "llama3 scaling parameters are complete", severity: .note,
        rationale: "llama3 scaling needs factor, low_freq_factor, high_freq_factor and original_max_position_embeddings"),
      RuleInfo(
        id: "manifest-served-within-effective", title: "Served window is within the effective window",
        severity: .warning,
        rationale: "A server that accepts more tokens than the model reaches returns degraded output without error"),
      RuleInfo(
        id: "gguf-context-length-confirmed", title: "GGUF context length is confirmed by another source",
        severity: .warning, rationale: "A converted GGUF can carry a context_length its source model never had"),
      RuleInfo(
        id: "model-window-source-present", title: "A window is declared", severity: .error,
        rationale: "Without a config, GGUF or Modelfile no runtime window can be derived"),
      RuleInfo(
        id: "gguf-version-supported", title: "GGUF version is supported", severity: .error,
        rationale: "Current loaders read only v2 and v3 headers; v1 files fail at load time",
        helpURI: "https://github.com/ggml-org/ggml/blob/master/docs/gguf.md"),
    ])

  static let qwenDir = "bundles/qwen2.5-7b.tar.gz!/Qwen2.5-7B-Instruct"

  static let qwenInArchive = ModelReport(
    path: ArtifactPath(qwenDir),
    sources: [
      SourceRef(path: ArtifactPath(qwenDir + "/config.json"), kind: .configJSON),
      SourceRef(path: ArtifactPath(qwenDir + "/generation_config.json"), kind: .configJSON),
      SourceRef(path: ArtifactPath(qwenDir + "/README.md"), kind: .modelCard),
    ],
    architecture: "qwen2",
    verdict: Verdict(
      kind: .interpolated, method: .yarn, factor: 4.0, fineTuned: false,
      summary: "131072 = 32768 x 4 (YaRN, not fine-tuned)", followed: ArtifactPath(qwenDir + "/config.json")),
    windows: Windows(native: 32768, effective: 131072, advertised: 131072, served: nil),
    runtimes: [
      RuntimeView(runtime: "vllm", window: 131072, note: "static YaRN x4 from config.json rope_scaling"),
      RuntimeView(runtime: "llama.cpp", window: nil, note: "no GGUF in this package"),
    ],
    findings: [
      Finding(
        rule: "config-json-yarn-fine-tuned", severity: .note,
        message: "YaRN factor 4.0 is applied to every request, short ones included",
        location: SourceLocation(
          path: ArtifactPath(qwenDir + "/config.json"), line: 21, column: 15, keyPath: "rope_scaling.factor")),
      Finding(
        rule: "parse-error", severity: .error, message: "expected ',' or '}' after an object member",
        location: SourceLocation(path: ArtifactPath(qwenDir + "/generation_config.json"), line: 7, column: 3)),
      Finding(
        rule: "cross-file-window-agrees", severity: .error,
        message: "card row | Context Length | 131072 | disagrees with max_position_embeddings 32768\n(YaRN not enabled by default)",
        location: SourceLocation(
          path: ArtifactPath(qwenDir + "/config.json"), line: 12, column: 3, keyPath: "max_position_embeddings")),
    ])

  static let mistralGGUF = ModelReport(
    path: ArtifactPath("gguf/Mistral-7B-Instruct-v0.3.Q4_K_M.gguf"),
    sources: [SourceRef(path: ArtifactPath("gguf/Mistral-7B-Instruct-v0.3.Q4_K_M.gguf"), kind: .gguf)],
    architecture: "llama",
    verdict: Verdict(kind: .native, method: .none, summary: "32768 native (no scaling)"),
    windows: Windows(native: 32768, effective: 32768),
    runtimes: [
      RuntimeView(runtime: "llama.cpp", window: 32768, note: "n_ctx 0 takes llama.context_length"),
      RuntimeView(runtime: "ollama", window: 2048, note: "num_ctx defaults to 2048 when the Modelfile sets none"),
    ],
    findings: [
      Finding(
        rule: "gguf-context-length-confirmed", severity: .warning,
        message: "llama.context_length 32768 is not confirmed by a config.json or model card",
        location: SourceLocation(path: ArtifactPath("gguf/Mistral-7B-Instruct-v0.3.Q4_K_M.gguf"), offset: 1207))
    ])

  static let llamaDir = "models/Llama-3.1-8B-Instruct"

  static let llama31 = ModelReport(
    path: ArtifactPath(llamaDir), name: "meta-llama/Llama-3.1-8B-Instruct@0e9e39f",
    sources: [
      SourceRef(path: ArtifactPath(llamaDir + "/config.json"), kind: .configJSON),
      SourceRef(path: ArtifactPath(llamaDir + "/README.md"), kind: .modelCard),
      SourceRef(path: ArtifactPath(llamaDir + "/deploy/vllm.yaml"), kind: .yamlManifest),
    ],
    architecture: "llama",
    verdict: Verdict(
      kind: .interpolated, method: .llama3, factor: 8.0, fineTuned: true,
      summary: "131072 from 8192 native (llama3, factor 8.0, fine-tuned)"),
    windows: Windows(native: 8192, effective: 131072, advertised: 131072, served: 262144),
    runtimes: [
      RuntimeView(runtime: "vllm", window: 262144, note: "--max-model-len 262144 in deploy/vllm.yaml"),
      RuntimeView(runtime: "transformers", window: 131072, note: "max_position_embeddings from config.json"),
    ],
    analysis: llama31Analysis,
    findings: [
      Finding(
        rule: "manifest-served-within-effective", severity: .warning,
        message:
          "vLLM is started with --max-model-len 262144, twice the effective window 131072; requests past 131072 tokens are accepted and answered with degraded output",
        location: SourceLocation(
          path: ArtifactPath(llamaDir + "/deploy/vllm.yaml"), line: 14, column: 11, keyPath: "spec.containers[0].args")
      ),
      Finding(
        rule: "config-json-llama3-scaling", severity: .note,
        message: "llama3 scaling with factor 8.0, low_freq_factor 1.0, high_freq_factor 4.0",
        location: SourceLocation(path: ArtifactPath(llamaDir + "/config.json"), keyPath: "rope_scaling.rope_type")),
    ])

  /// Llama 3.1 8B's published RoPE (head_dim 128, θ 500000, llama3 8 / 1 / 4 from 8192, L 131072),
  /// analysed by the library: 29 kept, 6 blended, 29 interpolated pairs.
  static let llama31Analysis = RopeAnalysisReport(
    RoPEAnalysis.analyze(
      RoPEParameters(
        rotaryDim: 128, theta: 500_000, method: .llama3, factor: 8, originalWindow: 8192, maxWindow: 131_072,
        lowFreqFactor: 1, highFreqFactor: 4)),
    windows: Windows(native: 8192, effective: 131072, advertised: 131072, served: 262144))

  static let phi3 = ModelReport(
    path: ArtifactPath("models/Phi-3-mini-4k-instruct"), name: "microsoft/Phi-3-mini-4k-instruct",
    sources: [SourceRef(path: ArtifactPath("models/Phi-3-mini-4k-instruct/config.json"), kind: .configJSON)],
    architecture: "phi3",
    verdict: Verdict(kind: .native, method: .none, summary: "4096 native (no scaling)"),
    windows: Windows(native: 4096, effective: 4096, advertised: 4096),
    runtimes: [RuntimeView(runtime: "transformers", window: 4096, note: "max_position_embeddings from config.json")],
    findings: [])

  static let cardOnly = ModelReport(
    path: ArtifactPath("modèles/Été 7B"), name: "été\u{202E}lmth.exe",
    sources: [SourceRef(path: ArtifactPath("modèles/Été 7B/README.md"), kind: .modelCard)],
    architecture: nil,
    verdict: Verdict(
      kind: .unknown, method: .unknown, summary: "no window source, only a model card",
      reason: "no config.json, GGUF or Modelfile in this unit"),
    windows: Windows(advertised: 8192),
    findings: [
      Finding(
        rule: "model-card-claim-backed", severity: .warning,
        message: "card claim \"\u{1B}[31m8K context\u{1B}[0m\" is not backed by a config",
        location: SourceLocation(path: ArtifactPath("modèles/Été 7B/README.md"), line: 3, column: 1)),
      Finding(
        rule: "model-window-source-present", severity: .error,
        message: "the card claims 8192 tokens but nothing in the package declares a window", location: nil),
    ])
}
