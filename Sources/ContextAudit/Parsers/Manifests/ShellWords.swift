/// Splits command text into words the way a POSIX shell does, without running expansions.
///
/// Quoting follows `sh`: single quotes keep everything literally; double quotes keep
/// everything except `\"`, `\\`, `\$`, `` \` `` and backslash-newline; an unquoted backslash
/// escapes the next character and backslash-newline joins lines. `$VAR` and `$(...)` are kept
/// as written, since ctxaudit never runs anything. An unterminated quote ends at the end of
/// the text (a shell would fail; the words read so far are still useful evidence).
enum ShellWords {
  /// Splits text into words only, as Python's `shlex.split` does for a Compose `command:`
  /// string: `;`, `&&` and `|` are ordinary characters and `#` starts no comment.
  static func words(_ text: String) -> [String] {
    split(text, script: false).flatMap { $0 }
  }

  /// Splits a shell script (the argument of `sh -c`) into simple commands.
  ///
  /// Newlines, `;`, `&`, `&&`, `|` and `||` outside quotes end a command, and `#` at the
  /// start of a word starts a comment that runs to the end of the line. Empty commands are
  /// dropped.
  static func commands(_ text: String) -> [[String]] {
    split(text, script: true)
  }

  private static func split(_ text: String, script: Bool) -> [[String]] {
    var commands: [[String]] = []
    var words: [String] = []
    var word: String? = nil
    let scalars = Array(text.unicodeScalars)
    var i = 0

    func endWord() {
      if let current = word { words.append(current) }
      word = nil
    }
    func endCommand() {
      endWord()
      if !words.isEmpty { commands.append(words) }
      words = []
    }

    while i < scalars.count {
      let c = scalars[i]
      switch c {
      case " ", "\t", "\r":
        endWord()
      case "\n":
        if script { endCommand() } else { endWord() }
      case ";", "&", "|":
        if script {
          endCommand()
        } else {
          word = (word ?? "") + String(c)
        }
      case "#" where script && word == nil:
        while i < scalars.count, scalars[i] != "\n" { i += 1 }
        continue
      case "\\":
        if i + 1 < scalars.count {
          if scalars[i + 1] != "\n" { word = (word ?? "") + String(scalars[i + 1]) }
          i += 2
          continue
        }
        word = (word ?? "") + "\\"
      case "'":
        var text = word ?? ""
        i += 1
        while i < scalars.count, scalars[i] != "'" {
          text.unicodeScalars.append(scalars[i])
          i += 1
        }
        word = text
      case "\"":
        var text = word ?? ""
        i += 1
        while i < scalars.count, scalars[i] != "\"" {
          if scalars[i] == "\\", i + 1 < scalars.count {
            let next = scalars[i + 1]
            if next == "\n" {
              i += 2
              continue
            }
            if next == "\"" || next == "\\" || next == "$" || next == "`" {
              text.unicodeScalars.append(next)
              i += 2
              continue
            }
          }
          text.unicodeScalars.append(scalars[i])
          i += 1
        }
        word = text
      default:
        var text = word ?? ""
        text.unicodeScalars.append(c)
        word = text
      }
      i += 1
    }
    endCommand()
    return commands
  }
}
