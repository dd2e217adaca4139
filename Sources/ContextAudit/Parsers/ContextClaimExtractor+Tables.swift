/// Tables in model cards (manifests-and-layouts.md §1.3, phrasing 14).
///
/// Cards give per-size windows in tables: Markdown (`| Model | Context Window |`, NousResearch
/// Yarn cards, the LongLoRA model list) or HTML (`<td><strong>Context length</strong>` in the
/// Llama 3.1 card, with `rowspan`). A column whose header names the context gives one claim per
/// body row; a row whose first cell names it (a transposed table) gives one claim per column.
/// Only exact context headers count: `Short Context` / `Long Context` link columns and
/// benchmark columns headed `8k PPL` or `4K` are not windows of this model.
extension ContextClaimExtractor {
  static let contextHeaders: Set<String> = [
    "context", "context length", "context window", "context size", "context len", "context window size",
    "ctx", "ctx size", "ctx len", "max context", "max ctx", "max context length", "max context window",
    "maximum context", "maximum context length", "maximum context window",
  ]
  /// Columns, besides the first, that name a row: the size of the model.
  static let labelHeaders: Set<String> = [
    "params", "param", "parameters", "parameter count", "params count", "num params", "size", "model size",
    "variant",
  ]
  /// Caps on `rowspan` and `colspan`, so a hostile table cannot make a huge grid.
  static let maxRowSpan = 1_000
  static let maxColumnSpan = 64

  // MARK: - Markdown

  func readMarkdownTable(
    bytes: [UInt8], lines: [Range<Int>], header: Int, rows: Range<Int>, into out: inout Collector
  ) {
    var grid: [[CardText]] = [ContextClaimExtractor.markdownCells(bytes[lines[header]], lineNumber: header + 1)]
    for index in rows {
      grid.append(ContextClaimExtractor.markdownCells(bytes[lines[index]], lineNumber: index + 1))
    }
    readTable(grid, into: &out)
  }

  /// The cells of one GFM table row; `\|` does not split, and neither does a `|` in inline code.
  static func markdownCells(_ raw: ArraySlice<UInt8>, lineNumber: Int) -> [CardText] {
    let line = String(decoding: raw, as: UTF8.self)
    var text = CardText(line: line.unicodeScalars, lineNumber: lineNumber)
    text.blankMarkup()
    var whole = text.trimmed(0..<text.count)
    if let first = whole.first, text.lower[first] == 0x7C { whole = (first + 1)..<whole.upperBound }
    if let last = whole.last, text.lower[last] == 0x7C, whole.count > 0 {
      let escaped = last > whole.lowerBound && text.lower[last - 1] == 0x5C
      if !escaped { whole = whole.lowerBound..<last }
    }
    var cells: [CardText] = []
    var start = whole.lowerBound
    for i in whole where text.lower[i] == 0x7C && (i == 0 || text.lower[i - 1] != 0x5C) {
      cells.append(text.slice(text.trimmed(start..<i)))
      start = i + 1
    }
    cells.append(text.slice(text.trimmed(start..<whole.upperBound)))
    return cells
  }

  // MARK: - HTML

  private struct HTMLCell {
    var text = CardText()
    var rowSpan: Int
    var columnSpan: Int
  }

  /// Reads `<table>` ... `</table>` spread over `range` lines: `<tr>`, `<td>`/`<th>` with
  /// `rowspan`/`colspan`; other tags (`<strong>`, `<ul>`) are dropped and `<br>` is a space.
  func readHTMLTable(bytes: [UInt8], lines: [Range<Int>], range: Range<Int>, into out: inout Collector) {
    var block = CardText()
    for index in range {
      let raw = bytes[lines[index]]
      guard raw.count <= limits.maxLineBytes else { continue }
      var column = 1
      for scalar in String(decoding: raw, as: UTF8.self).unicodeScalars {
        block.append(scalar, line: index + 1, column: column)
        column += 1
      }
      block.append(" ", line: index + 1, column: column)
    }
    let rows = ContextClaimExtractor.htmlRows(block)
    readTable(ContextClaimExtractor.placeSpans(rows), into: &out)
  }

  private static func htmlRows(_ block: CardText) -> [[HTMLCell]] {
    var rows: [[HTMLCell]] = []
    var row: [HTMLCell]? = nil
    var cell: HTMLCell? = nil
    func finishCell() {
      if let done = cell {
        if row == nil { row = [] }
        row?.append(done)
      }
      cell = nil
    }
    func finishRow() {
      finishCell()
      if let done = row, !done.isEmpty { rows.append(done) }
      row = nil
    }
    let lower = block.lower
    var i = 0
    while i < block.count {
      guard lower[i] == 0x3C else {
        cell?.text.append(from: block, at: i)
        i += 1
        continue
      }
      var j = i + 1
      while j < block.count && lower[j] != 0x3E { j += 1 }
      guard j < block.count else { break }
      let tag = (i + 1)..<j
      let closing = lower[tag.lowerBound] == 0x2F
      var nameEnd = closing ? tag.lowerBound + 1 : tag.lowerBound
      let nameStart = nameEnd
      while nameEnd < j && CardText.isWordByte(lower[nameEnd]) { nameEnd += 1 }
      let name = String(decoding: lower[nameStart..<nameEnd], as: UTF8.self)
      switch (name, closing) {
      case ("tr", false):
        finishRow()
        row = []
      case ("tr", true):
        finishRow()
      case ("td", false), ("th", false):
        finishCell()
        cell = HTMLCell(
          rowSpan: min(maxRowSpan, attribute("rowspan", in: block, tag: tag)),
          columnSpan: min(maxColumnSpan, attribute("colspan", in: block, tag: tag)))
      case ("td", true), ("th", true):
        finishCell()
      case ("br", _):
        cell?.text.append(" ", line: block.lines[i], column: block.columns[i])
      case ("table", true):
        finishRow()
        i = block.count
        continue
      default:
        break
      }
      i = j + 1
    }
    finishRow()
    return rows
  }

  /// `name="N"` inside a tag, or 1.
  private static func attribute(_ name: String, in block: CardText, tag: Range<Int>) -> Int {
    guard let at = block.find(Keyword(stringLiteral: name), in: tag) else { return 1 }
    var i = at + name.utf8.count
    while i < tag.upperBound, CardText.isSpaceByte(block.lower[i]) || block.lower[i] == 0x3D
      || block.lower[i] == 0x22 || block.lower[i] == 0x27
    {
      i += 1
    }
    var value = 0
    var digits = 0
    while i < tag.upperBound, CardText.isDigit(block.lower[i]), digits < 6 {
      value = value * 10 + Int(block.lower[i] - 0x30)
      digits += 1
      i += 1
    }
    return max(1, value)
  }

  /// Lays cells out on a grid, repeating `rowspan` cells in the rows below and `colspan`
  /// cells across.
  private static func placeSpans(_ rows: [[HTMLCell]]) -> [[CardText]] {
    var grid: [[CardText]] = []
    var carried: [Int: (remaining: Int, text: CardText)] = [:]
    for row in rows {
      var out: [CardText] = []
      func fillCarried() {
        while let held = carried[out.count], held.remaining > 0 {
          carried[out.count] = (held.remaining - 1, held.text)
          out.append(held.text)
        }
      }
      for var cell in row {
        fillCarried()
        cell.text.blankMarkup()
        for _ in 0..<cell.columnSpan {
          if cell.rowSpan > 1 { carried[out.count] = (cell.rowSpan - 1, cell.text) }
          out.append(cell.text)
        }
      }
      fillCarried()
      grid.append(out)
    }
    return grid
  }

  // MARK: - Both kinds

  func readTable(_ grid: [[CardText]], into out: inout Collector) {
    guard let header = grid.first, grid.count > 1 else { return }
    let keys = header.map(ContextClaimExtractor.headerKey)
    let contextColumns = keys.indices.filter { ContextClaimExtractor.contextHeaders.contains(keys[$0]) }
    if !contextColumns.isEmpty {
      let labelColumns = keys.indices.filter {
        ($0 == 0 || ContextClaimExtractor.labelHeaders.contains(keys[$0])) && !contextColumns.contains($0)
      }
      for row in grid.dropFirst() {
        for c in contextColumns where c < row.count {
          let label = labelColumns.filter { $0 < row.count }.map { row[$0].display(0..<row[$0].count) }
            .filter { !$0.isEmpty }.joined(separator: " ")
          readCell(row[c], header: header[c].display(0..<header[c].count), label: label, into: &out)
        }
      }
      return
    }
    for row in grid.dropFirst() {
      guard let first = row.first, ContextClaimExtractor.contextHeaders.contains(ContextClaimExtractor.headerKey(first))
      else { continue }
      for j in 1..<max(1, row.count) {
        let label = j < header.count ? header[j].display(0..<header[j].count) : ""
        readCell(row[j], header: first.display(0..<first.count), label: label, into: &out)
      }
    }
  }

  private func readCell(_ cell: CardText, header: String, label: String, into out: inout Collector) {
    let readings = ContextClaimExtractor.read(cell, sentence: 0..<cell.count, quoted: [], cell: true)
    guard !readings.isEmpty else { return }
    let shown = (label.isEmpty ? "" : label + " | ") + header + ": " + cell.display(0..<cell.count)
    for (number, reading) in readings {
      out.add(number, reading, in: cell, text: shown, label: label)
    }
  }

  /// A header cell as lowercase words joined by single spaces, without a trailing
  /// `(tokens)` / `in tokens`.
  static func headerKey(_ cell: CardText) -> String {
    var words: [String] = []
    var current: [UInt8] = []
    for b in cell.lower {
      if CardText.isLetter(b) || CardText.isDigit(b) {
        current.append(b)
      } else if !current.isEmpty {
        words.append(String(decoding: current, as: UTF8.self))
        current = []
      }
    }
    if !current.isEmpty { words.append(String(decoding: current, as: UTF8.self)) }
    if words.last == "tokens" || words.last == "token" { words.removeLast() }
    if words.last == "in" { words.removeLast() }
    return words.joined(separator: " ")
  }
}
