import ContextAudit
import FuzzSupport

// libFuzzer target: everything after the readers. A fuzzed artifact, alone or next to a real
// config, goes through the model view (verdict, windows, runtimes, per-pair RoPE analysis), every
// built-in rule, and all five reporters, as `ctxaudit scan` runs them.
//
// The first input byte picks the unit; the rest is the fuzzed file:
//   0 config.json alone             1 model.gguf alone
//   2 model.gguf beside a config    3 README.md (card) beside a config
//   4 vllm.yaml (manifest) beside a config, 5 Modelfile beside a config
// The config beside is Qwen2.5-7B-Instruct's (32,768 tokens, no scaling), so a fuzzed card,
// manifest or GGUF can disagree with it in every way the rules look for.
//
// Invariants:
// - nothing traps: numbers the readers accept (1e308, -0, 2^63-1, NaN) reach the RoPE and
//   window arithmetic;
// - no report holds a control character other than line feed (names and values from the
//   input are escaped in every format);
// - the JSON and SARIF reports read back as JSON without an error, and the JSONL report is
//   the model's line and the summary line, each JSON;
// - every finding location names a file of the unit (or the unit itself).
// Leaks are not checked here (scripts/fuzz.sh passes -detect_leaks=0 for this target): the rule
// catalog lives in a global, and LeakSanitizer mistakes the rule values it holds behind Swift
// multi-payload enums for leaks (docs/fuzzing.md, "Why not LeakSanitizer inside the test
// binary"). The same code is leak-checked through the tool by scripts/sanitize.sh address.
// A plain `swift build` links this file as a harmless executable that does nothing.

private let auditor: Auditor? = (try? RuleCatalog.loadEmbedded()).map { Auditor(rules: $0.rules) }

private let besideConfig = Array(
  #"""
  {"architectures": ["Qwen2ForCausalLM"], "attention_dropout": 0.0, "bos_token_id": 151643,
   "eos_token_id": 151645, "hidden_act": "silu", "hidden_size": 3584, "initializer_range": 0.02,
   "intermediate_size": 18944, "max_position_embeddings": 32768, "max_window_layers": 28,
   "model_type": "qwen2", "num_attention_heads": 28, "num_hidden_layers": 28,
   "num_key_value_heads": 4, "rms_norm_eps": 1e-06, "rope_theta": 1000000.0,
   "sliding_window": 131072, "tie_word_embeddings": false, "torch_dtype": "bfloat16",
   "transformers_version": "4.43.1", "use_cache": true, "use_sliding_window": false,
   "vocab_size": 152064}
  """#.utf8)

/// The config beside the fuzzed file, read once (it never changes between inputs).
private let besideConfigArtifact = ArtifactReader().parse(
  bytes: besideConfig, path: ArtifactPath("fuzz/config.json"), kind: .configJSON)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzAudit(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  let input = FuzzCheck.bytes(data, size)
  guard let selector = input.first, let auditor else { return 0 }
  let bytes = Array(input.dropFirst())
  let reader = ArtifactReader()
  let unitPath = ArtifactPath("fuzz")
  let config = besideConfigArtifact
  FuzzCheck.require(config.error == nil, "the fixed config does not read: \(config.error?.message ?? "")")

  var artifacts: [ParsedArtifact]
  switch selector % 6 {
  case 0: artifacts = [reader.parse(bytes: bytes, path: ArtifactPath("fuzz/config.json"), kind: .configJSON)]
  case 1: artifacts = [reader.parse(bytes: bytes, path: ArtifactPath("fuzz/model.gguf"), kind: .gguf)]
  case 2: artifacts = [config, reader.parse(bytes: bytes, path: ArtifactPath("fuzz/model.gguf"), kind: .gguf)]
  case 3: artifacts = [config, reader.parse(bytes: bytes, path: ArtifactPath("fuzz/README.md"), kind: .modelCard)]
  case 4: artifacts = [config, reader.parse(bytes: bytes, path: ArtifactPath("fuzz/vllm.yaml"), kind: .yamlManifest)]
  default: artifacts = [config, reader.parse(bytes: bytes, path: ArtifactPath("fuzz/Modelfile"), kind: .modelfile)]
  }
  artifacts.sort { $0.path < $1.path }

  let model = auditor.audit(ScannedUnit(path: unitPath, name: nil, artifacts: artifacts))
  let known = Set(artifacts.map(\.path) + [unitPath])
  for finding in model.findings {
    if let location = finding.location {
      FuzzCheck.require(known.contains(location.path), "finding \(finding.rule) located in \(location.path)")
    }
  }

  let report = ScanReport(models: [model], rules: auditor.ruleInfos)
  let json = JSONReporter().render(report)
  let sarif = SARIFReporter().render(report)
  let jsonl = JSONLReporter().render(report)
  for (name, text) in [
    ("table", TableReporter().render(report)), ("markdown", MarkdownReporter().render(report)),
    ("json", json), ("sarif", sarif), ("jsonl", jsonl),
  ] {
    let control = text.utf8.first { ($0 < 0x20 && $0 != 0x0A) || $0 == 0x7F }
    FuzzCheck.require(control == nil, "\(name) report holds control byte \(control ?? 0)")
    for scalar in text.unicodeScalars where (0x80...0x9F).contains(scalar.value) {
      FuzzCheck.require(false, "\(name) report holds C1 control U+\(String(scalar.value, radix: 16))")
    }
  }
  for (name, text) in [("json", json), ("sarif", sarif)] {
    do {
      _ = try JSONReader.read(Array(text.utf8), path: ArtifactPath("report.json"))
    } catch {
      FuzzCheck.require(false, "\(name) report is not JSON: \(error.message)")
    }
  }
  let lines = jsonl.split(separator: "\n", omittingEmptySubsequences: false)
  FuzzCheck.require(lines.count == 3 && lines[2].isEmpty, "JSONL report has \(lines.count - 1) lines for one model")
  for line in lines.dropLast() {
    do {
      _ = try JSONReader.read(Array(line.utf8), path: ArtifactPath("report.jsonl"))
    } catch {
      FuzzCheck.require(false, "a JSONL line is not JSON: \(error.message)")
    }
  }
  return 0
}
