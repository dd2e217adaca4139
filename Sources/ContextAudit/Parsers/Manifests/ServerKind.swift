import Foundation

/// The model servers (and tools) whose command lines and settings ctxaudit reads.
///
/// The raw values are the `manifest.server` fact values (docs/facts.md).
public enum ServerKind: String, Hashable, Sendable, CaseIterable {
  case vllm
  case llamaCpp = "llama.cpp"
  case sglang
  case tgi
  case ollama
  case localAI = "localai"
  /// NVIDIA NIM for LLMs (wraps vLLM or SGLang; configured by `NIM_*` env, section 2.8).
  case nim
  case lmStudio = "lmstudio"
  case axolotl

  /// The server a container image runs by default, from its repository path.
  ///
  /// Registry host, tag and digest are ignored except for NIM, which is recognised by its
  /// `nvcr.io/nim/` prefix. `kserve/huggingfaceserver` counts as vLLM, KServe's default
  /// backend for that runtime (section 2.7).
  public static func forImage(_ image: String) -> ServerKind? {
    var name = image.lowercased().trimmingCharacters(in: .whitespaces)
    if let at = name.firstIndex(of: "@") { name = String(name[..<at]) }
    if let slash = name.lastIndex(of: "/"), let colon = name.lastIndex(of: ":"), colon > slash {
      name = String(name[..<colon])
    } else if !name.contains("/"), let colon = name.firstIndex(of: ":") {
      name = String(name[..<colon])
    }
    if name.hasPrefix("nvcr.io/nim/") { return .nim }
    let parts = name.split(separator: "/").map(String.init)
    if parts.contains(where: { $0.contains("sglang") }) { return .sglang }
    if parts.contains(where: { $0.contains("text-generation-inference") }) { return .tgi }
    if parts.contains(where: { $0 == "localai" || $0 == "local-ai" }) { return .localAI }
    if parts.last == "ollama" { return .ollama }
    if parts.contains(where: { $0.contains("vllm") }) || parts.last == "huggingfaceserver" { return .vllm }
    if parts.contains(where: { $0 == "llama.cpp" || $0 == "llama-cpp" || $0 == "llamacpp" }) { return .llamaCpp }
    return nil
  }
}

/// One word of a command line and the YAML scalar (or Modelfile span) it came from.
///
/// Words split out of one shell string all carry the location of that string's scalar: a
/// column inside a quoted or folded scalar cannot be recovered exactly once escapes and
/// folding have been applied.
struct ArgWord: Hashable, Sendable {
  var text: String
  var location: SourceLocation
}

/// One environment variable given to a server, located at its value.
struct EnvSetting: Hashable, Sendable {
  var name: String
  var value: String
  var location: SourceLocation
}
