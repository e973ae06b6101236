import Foundation

/// The subset of Python literal syntax a `.npy` header uses, parsed the way
/// `ast.literal_eval` would: a dict of string keys to strings, integers,
/// `True`/`False`/`None`, tuples and lists.
///
/// Strings take single or double quotes with backslash escapes; integers may
/// carry Python 2's `L` suffix (old NumPy wrote `(3L, 4L)`); trailing commas
/// are allowed, and a one-element tuple needs its comma (`(3,)`), as in Python.
indirect enum PythonLiteral: Equatable {
  case string(String)
  case integer(Int)
  case boolean(Bool)
  case none
  case tuple([PythonLiteral])
  case list([PythonLiteral])
  case dict([(key: String, value: PythonLiteral)])

  static func == (lhs: PythonLiteral, rhs: PythonLiteral) -> Bool {
    switch (lhs, rhs) {
    case (.string(let a), .string(let b)): a == b
    case (.integer(let a), .integer(let b)): a == b
    case (.boolean(let a), .boolean(let b)): a == b
    case (.none, .none): true
    case (.tuple(let a), .tuple(let b)), (.list(let a), .list(let b)): a == b
    case (.dict(let a), .dict(let b)): a.map(\.key) == b.map(\.key) && a.map(\.value) == b.map(\.value)
    default: false
    }
  }

  /// Python's `repr`, used to quote header values in messages.
  var repr: String {
    switch self {
    case .string(let s): "'" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
    case .integer(let i): String(i)
    case .boolean(let b): b ? "True" : "False"
    case .none: "None"
    case .tuple(let items): items.count == 1 ? "(\(items[0].repr),)" : "(" + items.map(\.repr).joined(separator: ", ") + ")"
    case .list(let items): "[" + items.map(\.repr).joined(separator: ", ") + "]"
    case .dict(let pairs): "{" + pairs.map { "'\($0.key)': \($0.value.repr)" }.joined(separator: ", ") + "}"
    }
  }

  /// Parses `text` as one literal, optionally surrounded by whitespace.
  /// Throws a message (no path) saying what was expected where.
  static func parse(_ text: String) throws(LiteralError) -> PythonLiteral {
    var parser = Parser(scalars: Array(text.unicodeScalars))
    let value = try parser.value(depth: 0)
    parser.skipSpace()
    guard parser.position == parser.scalars.count else {
      throw parser.error("unexpected text after the literal")
    }
    return value
  }

  struct LiteralError: Error {
    var message: String
  }

  private struct Parser {
    let scalars: [Unicode.Scalar]
    var position = 0

    func error(_ what: String) -> LiteralError {
      LiteralError(message: "\(what) at character \(position + 1)")
    }

    mutating func skipSpace() {
      while position < scalars.count, scalars[position].properties.isWhitespace { position += 1 }
    }

    func peek() -> Unicode.Scalar? { position < scalars.count ? scalars[position] : nil }

    mutating func value(depth: Int) throws(LiteralError) -> PythonLiteral {
      guard depth < 32 else { throw error("literal nested too deeply") }
      skipSpace()
      guard let c = peek() else { throw error("unexpected end of header") }
      switch c {
      case "{": return try dict(depth: depth)
      case "(":
        let (items, sawComma) = try sequence(close: ")", depth: depth)
        if items.count == 1 && !sawComma { return items[0] }  // parenthesised expression
        return .tuple(items)
      case "[": return .list(try sequence(close: "]", depth: depth).items)
      case "'", "\"": return .string(try string())
      case "-", "+", "0"..."9": return .integer(try integer())
      default:
        var word = ""
        while let s = peek(), s.properties.isAlphabetic || s == "_" {
          word.unicodeScalars.append(s)
          position += 1
        }
        switch word {
        case "True": return .boolean(true)
        case "False": return .boolean(false)
        case "None": return .none
        case "": throw error("unexpected character '\(c)'")
        default: throw error("unexpected name '\(word)'")
        }
      }
    }

    mutating func sequence(close: Unicode.Scalar, depth: Int) throws(LiteralError) -> (items: [PythonLiteral], sawComma: Bool) {
      position += 1  // opening bracket
      var items: [PythonLiteral] = []
      var sawComma = false
      while true {
        skipSpace()
        if peek() == close { position += 1; return (items, sawComma) }
        items.append(try value(depth: depth + 1))
        skipSpace()
        if peek() == "," { position += 1; sawComma = true; continue }
        if peek() == close { position += 1; return (items, sawComma) }
        throw error("expected ',' or '\(close)'")
      }
    }

    mutating func dict(depth: Int) throws(LiteralError) -> PythonLiteral {
      position += 1  // {
      var pairs: [(key: String, value: PythonLiteral)] = []
      while true {
        skipSpace()
        if peek() == "}" { position += 1; return .dict(pairs) }
        guard case .string(let key) = try value(depth: depth + 1) else {
          throw error("dictionary keys must be strings")
        }
        skipSpace()
        guard peek() == ":" else { throw error("expected ':' after key '\(key)'") }
        position += 1
        pairs.append((key, try value(depth: depth + 1)))
        skipSpace()
        if peek() == "," { position += 1; continue }
        if peek() == "}" { position += 1; return .dict(pairs) }
        throw error("expected ',' or '}'")
      }
    }

    mutating func string() throws(LiteralError) -> String {
      guard let quote = peek() else { throw error("expected a string") }
      position += 1
      var out = String.UnicodeScalarView()
      while let c = peek() {
        position += 1
        if c == quote { return String(out) }
        if c == "\n" { break }
        if c == "\\" {
          guard let e = peek() else { break }
          position += 1
          switch e {
          case "n": out.append("\n")
          case "t": out.append("\t")
          case "r": out.append("\r")
          case "0": out.append("\0")
          default: out.append(e)  // \\ \' \" and anything else literally
          }
        } else {
          out.append(c)
        }
      }
      throw error("unterminated string")
    }

    mutating func integer() throws(LiteralError) -> Int {
      let start = position
      var negative = false
      if let s = peek(), s == "-" || s == "+" { negative = s == "-"; position += 1 }
      var value = 0
      var digits = 0
      while let s = peek(), ("0"..."9").contains(s) {
        let (times, o1) = value.multipliedReportingOverflow(by: 10)
        let (plus, o2) = times.addingReportingOverflow(Int(s.value - 48))
        guard !o1, !o2 else { throw error("integer too large") }
        value = plus
        digits += 1
        position += 1
      }
      guard digits > 0 else { position = start; throw error("expected digits") }
      if let s = peek(), s == "L" || s == "l" { position += 1 }
      if let s = peek(), s == "." || s == "e" || s == "E" || s.properties.isAlphabetic {
        throw error("expected an integer")
      }
      return negative ? -value : value
    }
  }
}
