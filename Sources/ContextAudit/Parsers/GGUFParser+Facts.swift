extension GGUFParser {
  /// Reads a GGUF header and turns it into facts (docs/facts.md); never throws.
  ///
  /// Facts and their locations (byte offsets from the start of the file):
  /// - `gguf.header.version` @4, `gguf.header.byte_order` @4, `gguf.header.tensor_count` @8,
  ///   `gguf.header.kv_count` @16, `gguf.header.alignment` (@ the `general.alignment` key, or
  ///   no offset for the default 32), `gguf.header.data_offset` (@ the data offset itself, or @ the
///   end of the tensor infos when the file ends before its data section);
  /// - `gguf.kv.<key>` for every key/value, @ the key; skipped arrays as
  ///   `{"type": "array", "element_type": ..., "count": N}`;
  /// - `gguf.tensor.<name>` for each RoPE factor tensor, @ its tensor info: the float values,
  ///   or null when they could not be read, plus `.dims` and `.type`;
  /// - `gguf.file_size`, `gguf.vocab_size` (@ `tokenizer.ggml.tokens`), `gguf.tensors`
  ///   (tensor infos read, @ the first one).
  ///
  /// A file that fails part-way keeps the facts of the sections read before the problem.
  public static func parse(_ source: inout some ByteSource, path: ArtifactPath) -> ParsedArtifact {
    let (header, error) = readPartialHeader(&source, path: path)
    return ParsedArtifact(path: path, kind: .gguf, facts: facts(of: header, path: path), error: error.map { ParseFailure($0) })
  }

  /// The facts a (possibly partial) header gives.
  public static func facts(of header: GGUFHeader, path: ArtifactPath) -> [Fact] {
    func at(_ offset: UInt64?) -> SourceLocation { SourceLocation(path: path, offset: offset) }
    var facts: [Fact] = []
    if let size = header.fileSize {
      facts.append(Fact(key: "gguf.file_size", value: .int(Int64(clamping: size)), location: at(nil)))
    }
    guard header.section >= .version else { return facts }
    facts.append(Fact(key: "gguf.header.version", value: .int(Int64(header.version)), location: at(4)))
    facts.append(Fact(key: "gguf.header.byte_order", value: .string(header.byteOrder.rawValue), location: at(4)))
    guard header.section >= .counts else { return facts }
    facts.append(Fact(key: "gguf.header.tensor_count", value: .int(Int64(clamping: header.tensorCount)), location: at(8)))
    facts.append(Fact(key: "gguf.header.kv_count", value: .int(Int64(clamping: header.kvCount)), location: at(16)))

    for kv in header.keyValues {
      facts.append(Fact(key: "gguf.kv." + kv.key, value: kv.value.factValue, location: at(kv.offset)))
      if kv.key == "tokenizer.ggml.tokens", let count = kv.value.arrayCount {
        facts.append(Fact(key: "gguf.vocab_size", value: .int(Int64(clamping: count)), location: at(kv.offset)))
      }
    }
    guard header.section >= .keyValues else { return facts }
    let alignmentKey = header.keyValues.first { $0.key == "general.alignment" }
    facts.append(Fact(key: "gguf.header.alignment", value: .int(Int64(header.alignment)), location: at(alignmentKey?.offset)))
    guard header.section >= .tensorInfos else { return facts }
    // A header-only or cut file ends before its data section; the fact then points at the
    // padding after the tensor infos, never past the end of the file.
    let dataLocation = header.fileSize.map { header.dataOffset > $0 } == true ? header.tensorInfosEnd : header.dataOffset
    facts.append(Fact(key: "gguf.header.data_offset", value: .int(Int64(clamping: header.dataOffset)), location: at(dataLocation)))
    facts.append(Fact(key: "gguf.tensors", value: .int(Int64(header.tensors.count)), location: at(header.tensors.first?.infoOffset)))
    for info in header.tensors where ropeTensorNames.contains(info.name) {
      let values: FactValue = info.values.map { .array($0.map { .double(GGUFValue.shortestDouble($0)) }) } ?? .null
      let key = "gguf.tensor." + info.name
      facts.append(Fact(key: key, value: values, location: at(info.infoOffset)))
      facts.append(Fact(key: key + ".dims", value: .array(info.dims.map { .int(Int64(clamping: $0)) }), location: at(info.infoOffset)))
      facts.append(Fact(key: key + ".type", value: .string(info.typeName), location: at(info.infoOffset)))
    }
    return facts
  }
}
