/// The shared flag reader for model-server command lines, for readers outside YAML
/// (shell scripts, llamafile `.args`, `docker run` lines).
///
/// It understands the vLLM, llama.cpp, SGLang, TGI, Ollama and NIM vocabularies described in
/// manifests-and-layouts.md sections 2.1-2.5 and 2.8: `--flag value` and `--flag=value`,
/// vLLM's dotted `--hf-overrides.a.b value`, JSON values, `sh -c "..."` scripts, and env vars.
/// Repeated flags: the last one wins (argparse and llama.cpp behaviour); `--override-kv`
/// keeps every occurrence.
public enum ServerCommandLine {
  /// Reads one command line into `manifest.` facts.
  ///
  /// - Parameters:
  ///   - arguments: argv words, program first (`["vllm", "serve", "Qwen/Qwen2.5-7B", ...]`).
  ///     When no known program appears, `image` or the flags decide the server.
  ///   - environment: env vars the process sees, in order (later ones win).
  ///   - image: a container image reference, if the command runs in one.
  ///   - location: where the command line sits; every fact points there.
  public static func facts(
    arguments: [String], environment: [(name: String, value: String)] = [], image: String? = nil,
    location: SourceLocation
  ) -> [Fact] {
    var launch = ServerLaunch()
    launch.words = arguments.map { ArgWord(text: $0, location: location) }
    launch.env = environment.map { EnvSetting(name: $0.name, value: $0.value, location: location) }
    launch.image = image.map { ArgWord(text: $0, location: location) }
    return launch.facts()
  }

  /// Splits one command string into words with POSIX shell quoting, without expansions.
  public static func splitWords(_ text: String) -> [String] {
    ShellWords.words(text)
  }
}
