import ContextAudit
import FuzzSupport

// libFuzzer target: the YAML reader and every text parser built on it or beside it.
//
// Each input goes through YAMLReader (all documents), ManifestParser (as `values.yaml`, so the
// generic Helm reader is reachable too), ModelCardParser (front matter and the prose claim
// extractor) and ModelfileParser. Invariants:
// - every YAML node has a 1-based line and column inside the input, no tree is deeper than
//   the depth limit, and the node count stays within the node and alias limits;
// - each parser's facts and error carry the artifact path and good locations;
// - YAML errors and the card's front-matter errors have a line;
// - a card keeps at most `ContextClaimExtractor.maxClaims` claims and budgets, and says so
//   (`card.claims_truncated`, once) only when it reached the cap.
// A plain `swift build` links this file as a harmless executable that does nothing.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzYAML(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  let bytes = FuzzCheck.bytes(data, size)
  let bounds = InputBounds(bytes)

  let yamlPath = ArtifactPath("fuzz/stream.yaml")
  let limits = YAMLLimits.default
  do {
    let documents = try YAMLReader.documents(bytes, path: yamlPath)
    FuzzCheck.require(documents.count <= limits.maxDocuments, "\(documents.count) documents")
    var visited = 0
    for document in documents {
      visited += checkTree(document, bounds: bounds, limits: limits)
      _ = document.factValue
    }
    FuzzCheck.require(
      visited <= limits.maxNodes + limits.maxAliasExpansion, "\(visited) nodes visited, over the node and alias limits")
  } catch {
    bounds.check(error, path: yamlPath)
    FuzzCheck.require(error.location.line != nil, "YAML error without a line: \(error.message)")
  }

  let manifestPath = ArtifactPath("fuzz/values.yaml")
  bounds.check(ManifestParser.parse(bytes, path: manifestPath), path: manifestPath, kind: .yamlManifest)

  let cardPath = ArtifactPath("fuzz/README.md")
  let card = ModelCardParser.parse(bytes, path: cardPath)
  bounds.check(card, path: cardPath, kind: .modelCard)
  if let error = card.error { FuzzCheck.require(error.location.line != nil, "card error without a line: \(error.message)") }
  let kept = card.facts.filter { $0.key == "card.claim" || $0.key == "card.generation_budget" }.count
  let truncated = card.facts.filter { $0.key == "card.claims_truncated" }.count
  FuzzCheck.require(
    kept <= ContextClaimExtractor.maxClaims && truncated <= 1, "\(kept) claims and budgets, \(truncated) truncation facts")
  FuzzCheck.require(truncated == 0 || kept == ContextClaimExtractor.maxClaims, "claims truncated after only \(kept)")

  let modelfilePath = ArtifactPath("fuzz/Modelfile")
  bounds.check(ModelfileParser.parse(bytes, path: modelfilePath), path: modelfilePath, kind: .modelfile)
  return 0
}

/// Checks every node's mark and the depth; returns the number of nodes visited.
private func checkTree(_ root: YAMLNode, bounds: InputBounds, limits: YAMLLimits) -> Int {
  var stack: [(node: YAMLNode, depth: Int)] = [(root, 0)]
  var visited = 0
  while let (node, depth) = stack.popLast() {
    visited += 1
    FuzzCheck.require(
      node.line >= 1 && node.line <= bounds.maxLine && node.column >= 1 && node.column <= bounds.byteCount + 1,
      "node at \(node.line):\(node.column) outside the input (\(bounds.maxLine) lines, \(bounds.byteCount) bytes)")
    FuzzCheck.require(depth <= limits.maxDepth, "node at depth \(depth)")
    switch node.content {
    case .scalar(let text, _):
      FuzzCheck.require(text.utf8.count <= limits.maxScalarBytes * 4, "scalar of \(text.utf8.count) bytes")
    case .sequence(let items):
      for item in items { stack.append((item, depth + 1)) }
    case .mapping(let pairs):
      for pair in pairs {
        stack.append((pair.key, depth + 1))
        stack.append((pair.value, depth + 1))
      }
    }
  }
  return visited
}
