import Testing

@testable import ContextAudit

/// `JSONText` escapes `"`, `\` and every control character (C0, DEL, C1) and nothing else, the
/// same way into a `String` and into a byte buffer (the path the reporters use).
@Suite struct JSONTextTests {
  static let cases: [(String, String)] = [
    ("plain ascii 131072", #""plain ascii 131072""#),
    ("", #""""#),
    ("quote \" and backslash \\", #""quote \" and backslash \\""#),
    ("line\nfeed\ttab\rreturn", #""line\nfeed\ttab\rreturn""#),
    ("\u{1B}[31mred\u{07}", #""\u001b[31mred\u0007""#),
    ("del \u{7F}", #""del \u007f""#),
    ("c1 \u{85} and \u{9F}", #""c1 \u0085 and \u009f""#),
    // Not controls: U+00A0 (C2 A0), "é" (C3 A9), U+0100 (C4 80) whose second byte is in 80...9F,
    // U+2028, an emoji.
    ("nbsp\u{A0} é \u{100} \u{2028} 😀", "\"nbsp\u{A0} é \u{100} \u{2028} 😀\""),
  ]

  @Test(arguments: cases)
  func quotesAsJSONWants(input: String, expected: String) {
    #expect(JSONText.quote(input) == expected)
    var bytes: [UInt8] = [0x5B]
    JSONText.appendQuoted(input, to: &bytes)
    #expect(bytes == [0x5B] + Array(expected.utf8))
  }

  @Test func longAndSlicedStringsAreCheckedWhole() {
    // A string built from a slice, and one too long for the small-string form.
    let long = String(repeating: "key", count: 40) + "\u{1}"
    let sliced = String(long.dropFirst(3))
    #expect(JSONText.quote(sliced) == "\"" + String(repeating: "key", count: 39) + "\\u0001\"")
    #expect(!JSONText.needsNoEscape(long))
    #expect(JSONText.needsNoEscape(String(repeating: "ok", count: 100)))
  }
}
