import Testing
@testable import ContextAudit

/// Expects `a` and `b` to agree to a relative tolerance (rope-methods.md section 7 uses 1e-6).
func expectClose(
  _ a: Double?, _ b: Double, rel: Double = 1e-6, _ note: String = "",
  sourceLocation: Testing.SourceLocation = #_sourceLocation
) {
  let suffix = note.isEmpty ? "" : " (\(note))"
  guard let a else {
    Issue.record(Comment(rawValue: "value is nil, expected \(b)" + suffix), sourceLocation: sourceLocation)
    return
  }
  let ok = abs(a - b) <= rel * max(abs(a), abs(b))
  #expect(ok, Comment(rawValue: "\(a) vs \(b) differ by more than \(rel) relative" + suffix), sourceLocation: sourceLocation)
}

/// The "L2-4k" geometry of rope-methods.md section 7 (Llama-2-7B: `d = 128`, `θ = 10000`, `L = 4096`),
/// with `s = 4` for scaled methods, then adjusted by `configure`.
func l2(_ method: RopeMethod, _ configure: (inout RoPEParameters) -> Void = { _ in }) -> RoPEParameters {
  var p = RoPEParameters(
    rotaryDim: 128, theta: 10000, method: method, factor: method == .none ? nil : 4, maxWindow: 4096)
  configure(&p)
  return p
}
