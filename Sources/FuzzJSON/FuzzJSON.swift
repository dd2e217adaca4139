import ContextAudit
import FuzzSupport

// libFuzzer target: JSONReader, ConfigJSONParser and the Ollama params reader over arbitrary bytes.
//
// Invariants (any failure aborts, and libFuzzer keeps the input):
// - every location (values, duplicate keys, diagnostics, errors, facts) has the line and
//   column its byte offset implies under the reader's own rules: only LF ends a line, columns
//   count Unicode scalars from 1, a UTF-8 BOM is not counted; offsets never pass the input;
// - a document that reads without error survives a round trip: its value written back as JSON
//   reads again to the same value (NaN equal to NaN);
// - the parsers' facts and errors carry the artifact path and good locations.
// A plain `swift build` links this file as a harmless executable that does nothing.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSON(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  let bytes = FuzzCheck.bytes(data, size)
  let index = JSONLineIndex(bytes)
  let path = ArtifactPath("fuzz/config.json")

  let result = JSONReader.readPartial(bytes, path: path)
  if let root = result.document.root {
    checkValues(root, index: index)
  }
  for duplicate in result.document.duplicateKeys {
    index.check(duplicate.winning, "duplicate key \(duplicate.keyPath) (winning)")
    index.check(duplicate.earlier, "duplicate key \(duplicate.keyPath) (earlier)")
    FuzzCheck.require(duplicate.earlier.offset < duplicate.winning.offset, "duplicate key \(duplicate.keyPath): earlier after winning")
  }
  for diagnostic in result.document.diagnostics {
    index.check(diagnostic.position, "diagnostic \(diagnostic.kind.rawValue)")
  }
  if let error = result.error {
    FuzzCheck.require(!result.document.isComplete, "an error, yet the document is complete")
    index.check(error.location, path: path, "error \(error.message)")
  } else {
    FuzzCheck.require(result.document.isComplete, "no error, yet the document is incomplete")
    if let root = result.document.root { roundTrip(root.factValue) } else { FuzzCheck.require(false, "no error and no root") }
  }

  let config = ConfigJSONParser.parse(bytes, path: path)
  index.bounds.check(config, path: path, kind: .configJSON)
  for fact in config.facts { index.check(fact.location, path: path, "fact \(fact.key)") }
  if let error = config.error { index.check(error.location, path: path, "config error \(error.message)") }

  let paramsPath = ArtifactPath("fuzz/params")
  let params = ModelfileParser.parseOllamaParams(bytes, path: paramsPath)
  index.bounds.check(params, path: paramsPath, kind: .ollamaParams)
  return 0
}

/// Walks every value with an explicit stack and checks its position.
private func checkValues(_ root: JSONValue, index: JSONLineIndex) {
  var stack = [root]
  while let value = stack.popLast() {
    index.check(value.position, "value at \(value.keyPath)")
    FuzzCheck.require(value.offset < index.bounds.byteCount, "value at \(value.keyPath) starts past the input")
    switch value.kind {
    case .array: stack.append(contentsOf: value.elements)
    case .object: stack.append(contentsOf: value.members.map(\.value))
    default: break
    }
  }
}

/// Writes `value` as JSON, reads it back and requires the same value.
private func roundTrip(_ value: FactValue) {
  var text = ""
  write(value, to: &text)
  let again: JSONDocument
  do {
    again = try JSONReader.read(text, path: ArtifactPath("round-trip.json"))
  } catch {
    FuzzCheck.require(false, "round trip does not read: \(error.message) in \(text.prefix(200))")
    return
  }
  let back = again.root?.factValue ?? .null
  FuzzCheck.require(FuzzCheck.same(value, back), "round trip changed the value: \(value) -> \(back)")
}

private func write(_ value: FactValue, to out: inout String) { FlowWriter.json.write(value, to: &out) }

/// Line and column of any byte offset under JSONReader's rules, in O(1) after O(n) setup.
private struct JSONLineIndex {
  let bounds: InputBounds
  /// Offsets at which lines start (0, and one past every LF).
  let lineStarts: [Int]
  /// `scalarsBefore[i]`: bytes in `0..<i` that start a UTF-8 sequence (not 10xxxxxx).
  let scalarsBefore: [Int]
  let hasBOM: Bool

  init(_ bytes: [UInt8]) {
    bounds = InputBounds(bytes)
    var starts = [0]
    var before = [0]
    before.reserveCapacity(bytes.count + 1)
    var count = 0
    for (i, b) in bytes.enumerated() {
      if b & 0xC0 != 0x80 { count += 1 }
      before.append(count)
      if b == 0x0A { starts.append(i + 1) }
    }
    lineStarts = starts
    scalarsBefore = before
    hasBOM = bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF
  }

  /// The (line, column) that `offset` should be reported at.
  func expected(_ offset: Int) -> (line: Int, column: Int) {
    var low = 0
    var high = lineStarts.count - 1
    while low < high {
      let mid = (low + high + 1) / 2
      if lineStarts[mid] <= offset { low = mid } else { high = mid - 1 }
    }
    var start = lineStarts[low]
    if low == 0 && hasBOM { start = min(3, offset) }
    return (low + 1, 1 + scalarsBefore[offset] - scalarsBefore[start])
  }

  func check(_ position: JSONPosition, _ what: @autoclosure () -> String) {
    FuzzCheck.require(
      position.offset >= 0 && position.offset <= bounds.byteCount, "\(what()): offset \(position.offset) outside the input")
    let (line, column) = expected(position.offset)
    FuzzCheck.require(
      position.line == line && position.column == column,
      "\(what()): reported \(position.line):\(position.column) at offset \(position.offset), expected \(line):\(column)")
  }

  func check(_ location: SourceLocation, path: ArtifactPath, _ what: @autoclosure () -> String) {
    bounds.check(location, path: path, what())
    guard let offset = location.offset, let line = location.line, let column = location.column else { return }
    check(JSONPosition(line: line, column: column, offset: Int(offset)), what())
  }
}
