/// What a flag, env var or manifest key sets.
enum SettingTarget: Hashable, Sendable {
  /// `manifest.served_window` (+ `manifest.served_window_flag`).
  case servedWindow
  /// `manifest.max_input_tokens` (TGI's prompt limit, below the window).
  case maxInputTokens
  /// `manifest.model`.
  case model
  /// `manifest.rope_override.<name>`.
  case rope(String)
  /// `manifest.allow_long_context`, set only when the value is truthy.
  case allowLongContext
  /// `manifest.override_kv` (repeatable; comma-separated lists are split).
  case overrideKV
  /// `manifest.parallel_slots` (llama-server `-np`).
  case parallelSlots
  /// `manifest.training_window` (axolotl `sequence_len`).
  case trainingWindow
  /// `manifest.advertised_window` (LM Studio `metadataOverrides.contextLengths`; repeatable).
  case advertisedWindow

  /// Targets that keep every occurrence instead of the last one.
  var isRepeatable: Bool {
    switch self {
    case .overrideKV, .advertisedWindow: return true
    default: return false
    }
  }
}

/// One option a server reads, with its command-line spellings and env twin.
struct OptionSpec: Sendable {
  var flags: [String]
  var env: [String]
  var target: SettingTarget
  var style: ValueStyle

  init(_ flags: [String], env: [String] = [], _ target: SettingTarget, _ style: ValueStyle) {
    self.flags = flags
    self.env = env
    self.target = target
    self.style = style
  }
}

/// The options each server reads that bear on the window or RoPE (manifests-and-layouts.md
/// sections 2.1-2.5 and 2.8).
///
/// Only spellings the reference names (or the servers' own argument tables confirm) are
/// listed. TGI's env names (`MAX_TOTAL_TOKENS`, `ROPE_FACTOR`, ...) are generic words, so they
/// are read only for containers already known to run TGI.
enum ServerVocabulary {
  static func options(for server: ServerKind) -> [OptionSpec] {
    switch server {
    case .vllm:
      return [
        OptionSpec(["--max-model-len"], .servedWindow, .vllmInteger),
        // `--model-id` is KServe's huggingfaceserver spelling (`--model_id`), which also
        // hands the remaining flags to vLLM's parser.
        OptionSpec(["--model", "--model-id"], .model, .string),
        OptionSpec(["--hf-overrides"], .rope("hf_overrides"), .json),
        // Older releases only (section 2.1); the context-extension docs now point to --hf-overrides.
        OptionSpec(["--rope-scaling"], .rope("rope_scaling"), .json),
        OptionSpec(["--rope-theta"], .rope("rope_theta"), .number),
        OptionSpec([], env: ["VLLM_ALLOW_LONG_MAX_MODEL_LEN"], .allowLongContext, .string),
      ]
    case .llamaCpp:
      return [
        OptionSpec(["-c", "--ctx-size"], env: ["LLAMA_ARG_CTX_SIZE"], .servedWindow, .integer),
        OptionSpec(["-m", "--model"], env: ["LLAMA_ARG_MODEL"], .model, .string),
        OptionSpec(["-hf", "-hfr", "--hf-repo"], env: ["LLAMA_ARG_HF_REPO"], .model, .string),
        OptionSpec(["--rope-scaling"], env: ["LLAMA_ARG_ROPE_SCALING_TYPE"], .rope("rope_scaling"), .string),
        OptionSpec(["--rope-scale"], env: ["LLAMA_ARG_ROPE_SCALE"], .rope("rope_scale"), .number),
        OptionSpec(["--rope-freq-base"], env: ["LLAMA_ARG_ROPE_FREQ_BASE"], .rope("rope_freq_base"), .number),
        OptionSpec(["--rope-freq-scale"], env: ["LLAMA_ARG_ROPE_FREQ_SCALE"], .rope("rope_freq_scale"), .number),
        OptionSpec(["--yarn-orig-ctx"], env: ["LLAMA_ARG_YARN_ORIG_CTX"], .rope("yarn_orig_ctx"), .integer),
        OptionSpec(["--yarn-ext-factor"], env: ["LLAMA_ARG_YARN_EXT_FACTOR"], .rope("yarn_ext_factor"), .number),
        OptionSpec(["--yarn-attn-factor"], env: ["LLAMA_ARG_YARN_ATTN_FACTOR"], .rope("yarn_attn_factor"), .number),
        OptionSpec(["--yarn-beta-slow"], env: ["LLAMA_ARG_YARN_BETA_SLOW"], .rope("yarn_beta_slow"), .number),
        OptionSpec(["--yarn-beta-fast"], env: ["LLAMA_ARG_YARN_BETA_FAST"], .rope("yarn_beta_fast"), .number),
        OptionSpec(["--override-kv"], .overrideKV, .string),
        // LLAMA_ARG_N_PARALLEL is in llama.cpp's common/arg.cpp (the reference table leaves it blank).
        OptionSpec(["-np", "--parallel"], env: ["LLAMA_ARG_N_PARALLEL"], .parallelSlots, .integer),
      ]
    case .sglang:
      return [
        OptionSpec(["--context-length"], .servedWindow, .integer),
        OptionSpec(["--model-path", "--model"], .model, .string),
        OptionSpec(["--json-model-override-args"], .rope("json_model_override_args"), .json),
        OptionSpec([], env: ["SGLANG_ALLOW_OVERWRITE_LONGER_CONTEXT_LEN"], .allowLongContext, .string),
      ]
    case .tgi:
      return [
        OptionSpec(["--max-total-tokens"], env: ["MAX_TOTAL_TOKENS"], .servedWindow, .integer),
        OptionSpec(
          ["--max-input-tokens", "--max-input-length"], env: ["MAX_INPUT_TOKENS", "MAX_INPUT_LENGTH"],
          .maxInputTokens, .integer),
        OptionSpec(["--rope-scaling"], env: ["ROPE_SCALING"], .rope("rope_scaling"), .string),
        OptionSpec(["--rope-factor"], env: ["ROPE_FACTOR"], .rope("rope_factor"), .number),
        OptionSpec(["--model-id"], env: ["MODEL_ID"], .model, .string),
      ]
    case .ollama:
      return [OptionSpec([], env: ["OLLAMA_CONTEXT_LENGTH"], .servedWindow, .integer)]
    case .nim:
      // NIM images wrap vLLM or SGLang, so their override switches apply too.
      return [
        OptionSpec([], env: ["NIM_MAX_MODEL_LEN"], .servedWindow, .integer),
        OptionSpec([], env: ["NIM_MODEL_PATH"], .model, .string),
        OptionSpec([], env: ["VLLM_ALLOW_LONG_MAX_MODEL_LEN"], .allowLongContext, .string),
        OptionSpec([], env: ["SGLANG_ALLOW_OVERWRITE_LONGER_CONTEXT_LEN"], .allowLongContext, .string),
      ]
    case .localAI, .lmStudio, .axolotl:
      return []
    }
  }

  /// Env vars that name their server unambiguously; read even when no image or command
  /// says which server runs, and used to guess it.
  static let distinctiveEnv: [(name: String, server: ServerKind)] = [
    ("VLLM_ALLOW_LONG_MAX_MODEL_LEN", .vllm),
    ("SGLANG_ALLOW_OVERWRITE_LONGER_CONTEXT_LEN", .sglang),
    ("NIM_MAX_MODEL_LEN", .nim),
    ("OLLAMA_CONTEXT_LENGTH", .ollama),
    ("LLAMA_ARG_CTX_SIZE", .llamaCpp),
    ("LLAMA_ARG_ROPE_SCALING_TYPE", .llamaCpp),
    ("LLAMA_ARG_ROPE_SCALE", .llamaCpp),
    ("LLAMA_ARG_ROPE_FREQ_BASE", .llamaCpp),
    ("LLAMA_ARG_ROPE_FREQ_SCALE", .llamaCpp),
    ("LLAMA_ARG_YARN_ORIG_CTX", .llamaCpp),
  ]

  /// Flags only one server has; a command line with no recognisable program or image is
  /// attributed to the server whose flags it uses, when it uses one of its `strongFlags` or
  /// at least two of these. Short generic flags (`-c`, `-m`, `-np`) are left out: `tail -c 100`
  /// is not a llama.cpp server.
  static let distinctiveFlags: [ServerKind: Set<String>] = [
    .vllm: [
      "--max-model-len", "--hf-overrides", "--tensor-parallel-size", "--gpu-memory-utilization",
      "--enforce-eager", "--max-num-seqs", "--max-num-batched-tokens",
    ],
    .sglang: ["--context-length", "--json-model-override-args", "--model-path", "--tp-size", "--mem-fraction-static"],
    .tgi: ["--max-total-tokens", "--max-input-tokens", "--max-input-length", "--max-batch-prefill-tokens", "--num-shard"],
    .llamaCpp: [
      "--ctx-size", "-ngl", "--n-gpu-layers", "--rope-freq-base", "--rope-scale", "--yarn-orig-ctx", "--override-kv",
    ],
  ]

  /// Flags that name their server on their own.
  static let strongFlags: Set<String> = [
    "--max-model-len", "--hf-overrides", "--json-model-override-args", "--max-total-tokens", "--max-input-tokens",
    "--override-kv", "--yarn-orig-ctx",
  ]
}
