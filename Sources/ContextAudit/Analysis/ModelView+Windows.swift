extension ModelView.Assembly {
  /// Native and effective windows from the followed source (rope-methods.md section 5.4),
  /// advertised from the cards, served from the manifests.
  ///
  /// - llama3, LongRoPE: `L` is the extended length; native is `L0`.
  /// - YaRN: effective `(L0 or L) × s`; native `L0 or L`.
  /// - linear, dynamic, static NTK: `L × s` when `L` is the native length, else `L`. `L` is
  ///   taken as already extended when `L0` is declared, when another length key times `s`
  ///   gives `L` (vicuna-16k keeps `max_sequence_length 4096`), when the card's native claim
  ///   times `s` gives `L`, or for a vendor-trained family (Gemma 3, whose pre-extension
  ///   length is not in the files: native stays unknown). Otherwise the canonical rule
  ///   applies and a caveat says `L` may already be extended.
  /// - No scaling, ALiBi, absolute: native = effective = `L`.
  /// - Unknown method: native `L0 or L`, effective unknown.
  mutating func resolveWindows(_ f: ModelView.SourceReading) {
    let l = f.window
    let l0 = f.originalWindow
    let s = f.factor

    /// `base × s`, located at the factor (the fact that makes the window larger than the file says).
    func times(_ base: ModelView.Located<Int64>, _ s: ModelView.Located<Double>) -> ModelView.Located<Int64> {
      ModelView.Located(ModelView.Format.tokens(Double(base.value) * s.value), s.location)
    }

    switch f.method.value {
    case .none, .alibi, .absolute:
      windows.native = l
      windows.effective = l
    case .unknown:
      windows.native = l0 ?? l
    case .llama3, .longrope:
      windows.native = f.scales ? l0 : (l0 ?? l)
      windows.effective = l
    case .yarn:
      let base = l0 ?? l
      windows.native = base
      if let base, let s, s.value > 1 { windows.effective = times(base, s) } else { windows.effective = base }
    case .linear, .dynamic, .ntk:
      guard let s, s.value > 1, let l else {
        // No factor (Qwen-1 use_dynamic_ntk) or s ≤ 1: the declared lengths are the windows.
        windows.native = l0 ?? l
        windows.effective = l
        return
      }
      if let l0 {
        windows.native = l0
        windows.effective = times(l0, s)
      } else if let other = f.vllm?.lengths.first(where: { $0.key != f.windowKey && Double($0.value.value) * s.value == Double(l.value) }) {
        windows.native = other.value
        windows.effective = l
      } else if let claim = claims.native, Double(claim.value) * s.value == Double(l.value) {
        windows.native = claim
        windows.effective = l
      } else if vendorFamily != nil {
        windows.effective = l
        caveats.append("\(f.windowKey ?? "context_length") \(l.value) is the vendor's extended length; the length before x\(ModelView.Format.factor(s.value)) is not in the files")
      } else {
        windows.native = l
        windows.effective = times(l, s)
        caveats.append("ambiguous: \(f.windowKey ?? "context_length") \(l.value) may already be the extended length (then the window is \(l.value), not \(l.value) x \(ModelView.Format.factor(s.value)))")
      }
    }
  }
}
