@preconcurrency import Glibc

/// Writes to the standard streams without Foundation.
enum Output {
  static func write(_ text: String) {
    fputs(text, stdout)
    fflush(stdout)
  }

  static func error(_ line: String) {
    fputs(line + "\n", stderr)
  }

  /// Writes `text` to `path`, replacing it; false when the file cannot be written.
  static func writeFile(_ path: String, _ text: String) -> Bool {
    guard let file = fopen(path, "w") else { return false }
    let ok = fputs(text, file) >= 0
    return fclose(file) == 0 && ok
  }
}

/// Exit codes, decided here and documented in README.
enum ExitStatus {
  /// Nothing at or above the threshold.
  static let ok: Int32 = 0
  /// Findings at or above `--fail-on`.
  static let findings: Int32 = 1
  /// The tool could not do its job: missing input, unreadable input, bad rules, unwritable output.
  static let toolFailure: Int32 = 2
  /// Usage error (ArgumentParser's validation failure).
  static let usage: Int32 = 64
}
