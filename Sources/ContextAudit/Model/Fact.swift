/// One thing a source says about a model, with where it says it.
///
/// Keys are dotted and keep the source's own spelling after a prefix that names the source
/// kind: `config.rope_scaling.factor`, `gguf.kv.llama.context_length`,
/// `card.front_matter.base_model`, `manifest.served_window`. A key may repeat within one
/// artifact (two containers in one Deployment, several card claims).
public struct Fact: Hashable, Sendable {
  public var key: String
  public var value: FactValue
  public var location: SourceLocation

  public init(key: String, value: FactValue, location: SourceLocation) {
    self.key = key
    self.value = value
    self.location = location
  }
}
