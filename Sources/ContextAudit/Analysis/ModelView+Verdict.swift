extension ModelView.Assembly {
  /// The verdict for the followed source (issue wording; rope-methods.md section 4).
  ///
  /// - native: no scaling, a factor of 1, a raised base only, ALiBi, absolute positions;
  /// - interpolated: static scaling declared in the model's own files (linear, YaRN, llama3,
  ///   LongRoPE, static NTK);
  /// - dynamic: dynamic NTK (`rope_type: dynamic`, Qwen-1 `use_dynamic_ntk`);
  /// - unknown: no source, an unknown rope type, or remote modeling code with no position fields.
  ///
  /// The summary is one line, e.g. `131072 = 32768 x 4 (YaRN, not fine-tuned)` or
  /// `131072 (llama3 x8 from 8192, vendor-trained)`.
  func verdict() -> Verdict {
    guard let f = followed else {
      if let unread = unreadSource {
        return Verdict(
          kind: .unknown, method: .unknown, summary: "unknown: \(unread.path.fileName) could not be read",
          reason: unread.message)
      }
      return Verdict(
        kind: .unknown, method: .unknown, summary: "unknown: no config.json or GGUF in the unit",
        reason: "no config.json or GGUF in the unit")
    }
    var reasons = caveats
    var followedPath: ArtifactPath?
    if let disagreement {
      reasons.append(disagreement + "; followed " + f.path.fileName)
      followedPath = f.path
    }
    if f.origin == .gguf, config != nil { followedPath = f.path }
    func reason(_ lead: String? = nil) -> String? {
      let all = (lead.map { [$0] } ?? []) + reasons
      return all.isEmpty ? nil : all.joined(separator: "; ")
    }
    let factor = f.factor?.value

    if let unusable = f.unusable {
      return Verdict(
        kind: .unknown, method: f.method.value, summary: "unknown: " + unusable.summary, followed: followedPath,
        reason: reason(unusable.reason))
    }
    if opaqueRemoteCode {
      return Verdict(
        kind: .unknown, method: .unknown, factor: factor, summary: "unknown: remote code may change RoPE",
        followed: followedPath,
        reason: reason("auto_map names modeling code and config.json declares no position fields"))
    }
    if f.method.value == .unknown {
      let what = f.declaredType.map { "rope type \"\($0.value)\" is not one loaders know" } ?? "position method not recognised"
      return Verdict(
        kind: .unknown, method: .unknown, factor: factor, summary: "unknown: " + what, followed: followedPath,
        reason: reason(what))
    }

    let window = windows.effective?.value ?? f.window?.value
    let lengthText = window.map(String.init) ?? "window unknown"
    switch f.method.value {
    case .none, .alibi, .absolute:
      let what: String
      switch f.method.value {
      case .alibi: what = "ALiBi"
      case .absolute: what = "absolute positions"
      default: what = "no scaling"
      }
      let summary = window.map { "\($0) native (\(what))" } ?? "native (\(what)), no length in the files"
      return Verdict(
        kind: .native, method: f.method.value, factor: factor, summary: summary, followed: followedPath,
        reason: reason())
    default: break
    }
    let name = ModelView.Format.methodName(f.method.value)
    if !f.scales {
      let s = factor.map { " x" + ModelView.Format.factor($0) } ?? ""
      return Verdict(
        kind: .native, method: f.method.value, factor: factor,
        summary: "\(lengthText) native (\(name)\(s) is no scaling)", followed: followedPath, reason: reason())
    }

    let tuned: String
    switch (finetuned?.value, finetuneReason) {
    case (true?, .vendor?): tuned = "vendor-trained"
    case (true?, _): tuned = "fine-tuned"
    case (false?, _): tuned = "not fine-tuned"
    default: tuned = "fine-tuning unknown"
    }
    let summary: String
    let native = windows.native?.value
    if let effective = windows.effective?.value, let native, let s = factor, Double(native) * s == Double(effective) {
      summary = "\(effective) = \(native) x \(ModelView.Format.factor(s)) (\(name), \(tuned))"
    } else {
      var detail = name
      if let s = factor { detail += " x" + ModelView.Format.factor(s) }
      if let native, native != windows.effective?.value { detail += " from \(native)" }
      summary = "\(windows.effective.map { String($0.value) } ?? "window unknown") (\(detail), \(tuned))"
    }
    var lead: String?
    switch finetuneReason {
    case .vendor(let family)?: lead = "vendor-trained extension (family \(family))"
    case .recipe(let family)?: lead = "\(family) documents this YaRN setting as an inference-time recipe, not trained at the long length"
    case .flag?: lead = nil
    case nil: lead = nil
    }
    return Verdict(
      kind: f.method.value == .dynamic ? .dynamic : .interpolated, method: f.method.value, factor: factor,
      fineTuned: finetuned?.value, summary: summary, followed: followedPath, reason: reason(lead))
  }
}

extension ModelView {
  /// Number and name formatting shared by summaries and notes.
  enum Format {
    /// `8` for 8.0, `2.5` for 2.5: integral factors print without a fraction.
    static func factor(_ s: Double) -> String {
      if s.isFinite, s.rounded() == s, abs(s) < 1e15 { return String(Int64(s)) }
      let short = (s * 1000).rounded() / 1000
      return FactValue.format(short)
    }

    /// A token count from a product of doubles, saturating instead of trapping on overflow or NaN.
    static func tokens(_ value: Double) -> Int64 {
      guard value.isFinite else { return value < 0 ? Int64.min : Int64.max }
      if value >= 9.2e18 { return Int64.max }
      if value <= -9.2e18 { return Int64.min }
      return Int64(value.rounded())
    }

    static func methodName(_ method: RopeMethod) -> String {
      switch method {
      case .none: return "no scaling"
      case .linear: return "linear"
      case .dynamic: return "dynamic NTK"
      case .ntk: return "NTK"
      case .yarn: return "YaRN"
      case .llama3: return "llama3"
      case .longrope: return "LongRoPE"
      case .alibi: return "ALiBi"
      case .absolute: return "absolute positions"
      case .unknown: return "unknown"
      }
    }
  }
}
