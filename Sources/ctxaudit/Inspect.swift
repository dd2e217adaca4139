import ArgumentParser
import ContextAudit

struct Inspect: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Print every fact read from a file or model directory, with where it came from.")

  enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

  @Argument(help: "A config.json, GGUF, README.md, YAML manifest or Modelfile, or a model directory.")
  var path: String

  @Option(help: "Output format: text or json.")
  var format: Format = .text

  @Option(
    help: ArgumentHelp(
      "Largest config, card, manifest or Modelfile read; K, M and G suffixes (default: 16M).", valueName: "bytes"))
  var maxTextBytes: ByteCount?

  func run() throws {
    let result: Inspector.Result
    do {
      var reader = ArtifactReader()
      if let maxTextBytes { reader.textLimit = maxTextBytes.bytes }
      result = try Inspector(reader: reader).inspect(path: path)
    } catch {
      Output.error("ctxaudit: " + TerminalText.sanitize(error.oneLine))
      throw ExitCode(ExitStatus.toolFailure)
    }
    switch format {
    case .text: Output.write(InspectRenderer.text(result))
    case .json: Output.write(InspectRenderer.json(result))
    }
    let failures = result.artifacts.compactMap(\.error)
    for failure in failures {
      Output.error("ctxaudit: " + TerminalText.sanitize(failure.oneLine))
    }
    if !failures.isEmpty { throw ExitCode(ExitStatus.toolFailure) }
  }
}
