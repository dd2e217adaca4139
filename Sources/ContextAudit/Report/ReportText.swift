/// Text helpers shared by the people-facing reporters (table and Markdown).
enum ReportText {
  /// Input-derived text made safe to show: control characters escaped by
  /// `TerminalText.sanitize`, and bidirectional formatting characters (U+061C, U+200E,
  /// U+200F, U+202A–U+202E, U+2066–U+2069) escaped as `\u202e`, so a file name cannot
  /// reorder what is printed after it ("Trojan Source", CVE-2021-42574).
  static func display(_ s: String) -> String {
    let clean = TerminalText.sanitize(s)
    guard clean.unicodeScalars.contains(where: isBidiControl) else { return clean }
    var out = ""
    for scalar in clean.unicodeScalars {
      if isBidiControl(scalar) {
        out += "\\u" + String(scalar.value, radix: 16)
      } else {
        out.unicodeScalars.append(scalar)
      }
    }
    return out
  }

  static func isBidiControl(_ s: Unicode.Scalar) -> Bool {
    switch s.value {
    case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: return true
    default: return false
    }
  }

  /// Where a finding sits, shortened against its model: `config.json:12:3`,
  /// `weights/m.gguf@1234` (byte offset), `config.json rope_scaling.factor` (key path only),
  /// or `(model)` when the finding has no location.
  ///
  /// A path inside the model's directory or archive loses the model's prefix. A path equal
  /// to the model's own (a single-file model, whose path heads the block) is left out:
  /// `line 12:3`, `byte 1234`, `rope_scaling.factor`, or the file name when nothing else is
  /// known. Other paths stay whole.
  static func location(_ location: SourceLocation?, in model: ArtifactPath) -> String {
    guard let location else { return "(model)" }
    let full = location.path.value
    var path: String? = full
    for separator in ["/", "!/"] where !model.value.isEmpty && full.hasPrefix(model.value + separator) {
      path = String(full.dropFirst(model.value.count + separator.count))
    }
    if full == model.value { path = nil }
    if let line = location.line {
      let position = location.column.map { "\(line):\($0)" } ?? "\(line)"
      return path.map { "\($0):\(position)" } ?? "line \(position)"
    }
    if let offset = location.offset {
      return path.map { "\($0)@\(offset)" } ?? "byte \(offset)"
    }
    if let keyPath = location.keyPath {
      return path.map { "\($0) \(keyPath)" } ?? keyPath
    }
    return path ?? location.path.fileName
  }

  /// `1 error`, `2 warnings`.
  static func count(_ n: Int, _ noun: String) -> String {
    "\(n) \(noun)\(n == 1 ? "" : "s")"
  }

  /// `1 error, 0 warnings, 3 notes`.
  static func counts(_ summary: ScanReport.Summary) -> String {
    [count(summary.errors, "error"), count(summary.warnings, "warning"), count(summary.notes, "note")]
      .joined(separator: ", ")
  }

  /// A window for people: the number, or `unknown`.
  static func window(_ value: Int64?) -> String {
    value.map(String.init) ?? "unknown"
  }

  /// Splits `text` into lines of at most `width` columns at spaces; a word longer than the
  /// width is cut. Runs of spaces collapse. Always returns at least one line.
  static func wrap(_ text: String, width: Int) -> [String] {
    let width = max(1, width)
    var lines: [String] = []
    var line = ""
    for word in text.split(separator: " ", omittingEmptySubsequences: true) {
      var word = Substring(word)
      while TerminalText.width(String(word)) > width {
        if !line.isEmpty {
          lines.append(line)
          line = ""
        }
        let head = String(String.UnicodeScalarView(word.unicodeScalars.prefix(width)))
        lines.append(head)
        word = Substring(String(String.UnicodeScalarView(word.unicodeScalars.dropFirst(width))))
      }
      if word.isEmpty { continue }
      let candidate = line.isEmpty ? String(word) : line + " " + word
      if TerminalText.width(candidate) <= width {
        line = candidate
      } else {
        lines.append(line)
        line = String(word)
      }
    }
    if !line.isEmpty || lines.isEmpty { lines.append(line) }
    return lines
  }

  /// At most `width` columns; a longer text loses its end (or, with `keepEnd`, its start,
  /// which keeps a location's file name and line) to a `…`.
  static func clip(_ s: String, _ width: Int, keepEnd: Bool = false) -> String {
    let scalars = s.unicodeScalars
    guard scalars.count > width, width >= 1 else { return s }
    if keepEnd {
      return "…" + String(String.UnicodeScalarView(scalars.suffix(width - 1)))
    }
    return String(String.UnicodeScalarView(scalars.prefix(width - 1))) + "…"
  }
}
