extension Condition {
  /// An indented, YAML-like rendering for people (`ctxaudit rules explain`), one check per line.
  ///
  /// Checks read `KEY OP OPERAND`: literals in JSON, parameters as `param.NAME`, fact operands
  /// as their key (with `× N` for `times:`).
  public func text(indent: String = "") -> String {
    switch self {
    case .all(let items), .any(let items):
      let name: String
      if case .all = self { name = "all" } else { name = "any" }
      return indent + name + ":\n" + items.map { "\(indent)  - " + $0.text(indent: indent + "    ").dropIndent(indent + "    ") }
        .joined(separator: "\n")
    case .not(let inner):
      return indent + "not:\n" + inner.text(indent: indent + "  ")
    case .check(let check):
      return indent + check.text
    }
  }
}

extension Check {
  /// `model.window.served > model.window.effective`, `model.rope.method in ["none","absolute"]`.
  public var text: String {
    switch test {
    case .exists(true): return "\(fact) exists"
    case .exists(false): return "\(fact) is absent"
    case .matches(let pattern): return "\(fact) matches /\(pattern.source)/"
    case .equals(let o): return "\(fact) == \(o.text)"
    case .notEquals(let o): return "\(fact) != \(o.text)"
    case .isIn(let o): return "\(fact) in \(o.text)"
    case .notIn(let o): return "\(fact) not in \(o.text)"
    case .less(let o): return "\(fact) < \(o.text)"
    case .lessOrEqual(let o): return "\(fact) <= \(o.text)"
    case .greater(let o): return "\(fact) > \(o.text)"
    case .greaterOrEqual(let o): return "\(fact) >= \(o.text)"
    }
  }
}

extension Operand {
  /// The operand as `Check.text` shows it.
  public var text: String {
    switch self {
    case .literal(let value): return value.jsonText
    case .param(let name): return "param.\(name)"
    case .fact(let key, nil): return key
    case .fact(let key, .number(let n)?): return "\(key) × \(MessageTemplate.text(.double(n)))"
    case .fact(let key, .param(let name)?): return "\(key) × param.\(name)"
    }
  }
}

extension String {
  fileprivate func dropIndent(_ indent: String) -> String {
    hasPrefix(indent) ? String(dropFirst(indent.count)) : self
  }
}
