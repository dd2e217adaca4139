import Testing
@testable import ContextAudit

@Suite struct YAMLReaderTests {
  let path = ArtifactPath("t.yaml")

  @Test func composesMappingWithMarks() throws {
    let docs = try YAMLReader.documents("a: 1\nb:\n  - x\n  - 'y'\n", path: path)
    #expect(docs.count == 1)
    let root = try #require(docs.first)
    #expect(root["a"]?.factValue == .int(1))
    let b = try #require(root["b"])
    #expect(b.line == 3 && b.column == 3)
    #expect(b.sequence?.map(\.factValue) == [.string("x"), .string("y")])
  }

  @Test func quotedNumbersStayStrings() throws {
    let root = try #require(try YAMLReader.documents("a: '8192'\nb: 8192\nc: yes\nd: 1.5e3\n", path: path).first)
    #expect(root["a"]?.factValue == .string("8192"))
    #expect(root["b"]?.factValue == .int(8192))
    #expect(root["c"]?.factValue == .bool(true))
    #expect(root["d"]?.factValue == .double(1500))
  }

  @Test func reportsSyntaxErrorPosition() {
    #expect {
      _ = try YAMLReader.documents("a: [1, 2\nb: 3\n", path: path)
    } throws: { error in
      guard let e = error as? YAMLError, case .syntax = e.reason else { return false }
      return e.location.line == 2 && e.location.path == ArtifactPath("t.yaml")
    }
  }

  @Test func stopsAtDepthLimitWhileReading() {
    let deep = String(repeating: "[", count: 100_000)
    #expect {
      _ = try YAMLReader.documents(deep, path: path, limits: YAMLLimits(maxDepth: 64))
    } throws: { error in
      (error as? YAMLError)?.reason == .tooDeep(limit: 64) && (error as? YAMLError)?.location.column == 65
    }
  }

  @Test func stopsAliasBombs() {
    var text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
    for i in 1..<10 {
      text += "a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 10).joined(separator: ", ") + "]\n"
    }
    #expect {
      _ = try YAMLReader.documents(text, path: path)
    } throws: { error in
      (error as? YAMLError)?.reason == .tooManyAliasExpansions(limit: YAMLLimits.default.maxAliasExpansion)
    }
  }

  @Test func countsDocumentsAndLimitsThem() throws {
    #expect(try YAMLReader.documents("a: 1\n---\nb: 2\n", path: path).count == 2)
    #expect {
      _ = try YAMLReader.documents(String(repeating: "---\na: 1\n", count: 20), path: path, limits: YAMLLimits(maxDocuments: 10))
    } throws: { error in
      (error as? YAMLError)?.reason == .tooManyDocuments(limit: 10)
    }
  }

  @Test func lineOffsetShiftsMarks() throws {
    let root = try #require(try YAMLReader.documents("k: v\n", path: path, lineOffset: 1).first)
    #expect(root["k"]?.line == 2)
  }
}
