/// Splits idc source text into tokens.
///
/// The rules, in the order they are tried at each position:
/// - A line break ends a statement (a `.newline` token) unless a `[` or `(` is open or the line
///   ended with a continuation `\`; consecutive breaks give one token, and one is added at the
///   end of input when a statement is pending. Inside `{ … }` breaks still separate statements.
/// - White space other than the line break separates tokens.
/// - `#` starts a comment to the end of the line; `# %% title` as the first thing on a line
///   (outside brackets) is a `.cellMarker`.
/// - `\` followed only by blanks or a comment up to the line break continues the statement on
///   the next line (exactly one break is joined).
/// - `"…"` and `'…'` are strings on one line (see ``StringLiteral``).
/// - `$name` and `${name}` are variables; a name is an ASCII letter or `_` followed by ASCII
///   letters, digits or `_`.
/// - `= , [ ] { } ( )` are punctuation.
/// - Anything else starts a bare word, which runs to the next white space or one of
///   `= [ ] { } ( ) , " ' # $` (or a continuation `\`). A word that spells an integer
///   (`[+-]digits`) is an `.integer`, one that spells `int..int` or `int..int:step` a `.range`,
///   one that spells a decimal number (`[+-]` digits with a `.` fraction and/or an `e`
///   exponent, or `.5`) a `.number`; every other word — `hard+rep+div`, `../data/x.npy`,
///   `10k` — stays a `.word`.
///
/// The lexer never stops early: it records each error as a diagnostic, recovers, and goes on,
/// so completion can work on half-typed lines. ``tokenize(_:file:)`` throws the first error.
public struct Lexer: Sendable {
  /// The tokens, always ending with `.endOfInput`.
  public private(set) var tokens: [Token] = []
  /// The errors found, in source order.
  public private(set) var diagnostics: [Diagnostic] = []

  private let file: String
  private let scalars: [Unicode.Scalar]
  private var index = 0
  private var line = 1
  private var lineStart = 0
  private var openers: [(spelling: Unicode.Scalar, location: SourceSpan)] = []
  private var continuation: SourceSpan?
  private var continuationJoinedLine = false
  private var atLineStart = true

  /// Scans all of `source`; `file` names it in locations.
  /// - Complexity: O(n) in the length of the source.
  public init(source: String, file: String = "<input>") {
    self.file = file
    self.scalars = Array(source.unicodeScalars)
    scanAll()
  }

  /// The tokens of `source`, or the first lexical error.
  public static func tokenize(_ source: String, file: String = "<input>") throws(Diagnostic) -> [Token] {
    let lexer = Lexer(source: source, file: file)
    if let first = lexer.diagnostics.first { throw first }
    return lexer.tokens
  }

  // MARK: - Character classes

  /// True for the characters that end a bare word besides white space.
  static func isDelimiter(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar {
    case "=", "[", "]", "{", "}", "(", ")", ",", "\"", "'", "#", "$": return true
    default: return false
    }
  }

  /// True for white space other than the line break.
  static func isBlank(_ scalar: Unicode.Scalar) -> Bool {
    if scalar == "\n" { return false }
    if scalar.isASCII {
      return scalar == " " || scalar == "\t" || scalar == "\r" || scalar == "\u{0B}" || scalar == "\u{0C}"
    }
    return scalar.properties.isWhitespace
  }

  static func isNameStart(_ scalar: Unicode.Scalar) -> Bool {
    (scalar >= "a" && scalar <= "z") || (scalar >= "A" && scalar <= "Z") || scalar == "_"
  }

  static func isNameContinuation(_ scalar: Unicode.Scalar) -> Bool {
    isNameStart(scalar) || isDigit(scalar)
  }

  static func isDigit(_ scalar: Unicode.Scalar) -> Bool { scalar >= "0" && scalar <= "9" }

  /// True when `text` is a name: an ASCII letter or `_`, then ASCII letters, digits or `_`.
  /// Names are what bindings, loop variables, parameters and `$variables` are called.
  public static func isName(_ text: String) -> Bool {
    var scalars = text.unicodeScalars.makeIterator()
    guard let first = scalars.next(), isNameStart(first) else { return false }
    while let scalar = scalars.next() {
      if !isNameContinuation(scalar) { return false }
    }
    return true
  }

  /// True when `text`, written unquoted as an argument, lexes back as the single word `text`.
  public static func isBareWord(_ text: String) -> Bool {
    let scalars = Array(text.unicodeScalars)
    guard !scalars.isEmpty, scalars.last != "\\" else { return false }
    for scalar in scalars where scalar == "\n" || isBlank(scalar) || isDelimiter(scalar) {
      return false
    }
    if case .word = classify(scalars[...]) { return true }
    return false
  }

  // MARK: - Scanning

  private mutating func scanAll() {
    while index < scalars.count {
      let scalar = scalars[index]
      switch scalar {
      case "\n": lineBreak()
      case _ where Self.isBlank(scalar): index += 1
      case "#": comment()
      case "\\" where restOfLineIsBlank(from: index + 1): continuationMark()
      case "\"", "'": string(quote: scalar)
      case "$": variable()
      case "=": punctuation(.equals)
      case ",": punctuation(.comma)
      case "[": open(.leftBracket)
      case "{": open(.leftBrace)
      case "(": open(.leftParen)
      case "]": close(.rightBracket, matching: "[")
      case "}": close(.rightBrace, matching: "{")
      case ")": close(.rightParen, matching: "(")
      default: word()
      }
    }
    finish()
  }

  private func location(from start: Int, length: Int) -> SourceSpan {
    SourceSpan(file: file, line: line, column: start - lineStart + 1, length: length)
  }

  private func text(from start: Int, to end: Int) -> String {
    var text = ""
    text.unicodeScalars.append(contentsOf: scalars[start..<end])
    return text
  }

  private mutating func emit(_ kind: Token.Kind, from start: Int) {
    tokens.append(
      Token(
        kind: kind, text: text(from: start, to: index), location: location(from: start, length: index - start),
        offset: start, endOffset: index))
    continuation = nil
    atLineStart = false
  }

  private mutating func report(
    _ message: String, from start: Int, length: Int, help: String? = nil
  ) {
    diagnostics.append(.error(message, at: location(from: start, length: length), help: help))
  }

  /// True when only blanks, then a comment, a line break or the end follow `position`.
  private func restOfLineIsBlank(from position: Int) -> Bool {
    var position = position
    while position < scalars.count {
      let scalar = scalars[position]
      if scalar == "\n" || scalar == "#" { return true }
      if !Self.isBlank(scalar) { return false }
      position += 1
    }
    return true
  }

  private var insideListOrParens: Bool {
    guard let top = openers.last?.spelling else { return false }
    return top == "[" || top == "("
  }

  private mutating func lineBreak() {
    let breakLocation = location(from: index, length: 0)
    index += 1
    defer {
      line += 1
      lineStart = index
    }
    if continuation != nil && !continuationJoinedLine {
      continuationJoinedLine = true
      return
    }
    continuation = nil
    if !insideListOrParens, let last = tokens.last, last.kind != .newline {
      tokens.append(Token(kind: .newline, text: "\n", location: breakLocation, offset: index - 1, endOffset: index))
    }
    atLineStart = !insideListOrParens
  }

  private mutating func skipToEndOfLine() {
    while index < scalars.count && scalars[index] != "\n" { index += 1 }
  }

  private mutating func comment() {
    let start = index
    if atLineStart && continuation == nil {
      var position = index + 1
      while position < scalars.count && Self.isBlank(scalars[position]) { position += 1 }
      if position + 1 < scalars.count && scalars[position] == "%" && scalars[position + 1] == "%" {
        skipToEndOfLine()
        var titleStart = position + 2
        var titleEnd = index
        while titleStart < titleEnd && Self.isBlank(scalars[titleStart]) { titleStart += 1 }
        while titleEnd > titleStart && Self.isBlank(scalars[titleEnd - 1]) { titleEnd -= 1 }
        emit(.cellMarker(title: text(from: titleStart, to: titleEnd)), from: start)
        return
      }
    }
    skipToEndOfLine()
  }

  private mutating func continuationMark() {
    continuation = location(from: index, length: 1)
    continuationJoinedLine = false
    atLineStart = false
    index += 1
  }

  private mutating func punctuation(_ kind: Token.Kind) {
    let start = index
    index += 1
    emit(kind, from: start)
  }

  private mutating func open(_ kind: Token.Kind) {
    let start = index
    let spelling = scalars[index]
    index += 1
    emit(kind, from: start)
    openers.append((spelling, location(from: start, length: 1)))
  }

  private mutating func close(_ kind: Token.Kind, matching opener: Unicode.Scalar) {
    if let depth = openers.lastIndex(where: { $0.spelling == opener }) {
      openers.removeSubrange(depth...)
    }
    punctuation(kind)
  }

  private mutating func variable() {
    let start = index
    if let (name, end) = scanVariable(at: index) {
      index = end
      emit(.variable(name), from: start)
    } else {
      index += 1
    }
  }

  /// Scans `$name` or `${name}` starting at the `$` at `start`; on success returns the name and
  /// the offset past it, else reports an error and returns nil.
  private mutating func scanVariable(at start: Int) -> (String, Int)? {
    var position = start + 1
    let braced = position < scalars.count && scalars[position] == "{"
    if braced { position += 1 }
    let nameStart = position
    if position < scalars.count && Self.isNameStart(scalars[position]) {
      position += 1
      while position < scalars.count && Self.isNameContinuation(scalars[position]) { position += 1 }
    }
    let name = text(from: nameStart, to: position)
    if name.isEmpty {
      report(
        "expected a variable name after '\(braced ? "${" : "$")'", from: start, length: position - start,
        help: "a variable is written $name or ${name}; write \\$ inside double quotes for a dollar sign")
      return nil
    }
    if braced {
      guard position < scalars.count && scalars[position] == "}" else {
        report("expected '}' to close '${\(name)'", from: start, length: position - start)
        return nil
      }
      position += 1
    }
    return (name, position)
  }

  private mutating func string(quote: Unicode.Scalar) {
    let start = index
    let interpolates = quote == "\""
    var segments: [StringSegment] = []
    var pending = ""
    index += 1
    var terminated = false
    while index < scalars.count && scalars[index] != "\n" {
      let scalar = scalars[index]
      if scalar == quote {
        index += 1
        terminated = true
        break
      }
      if scalar == "\\" {
        if let decoded = escape() { pending.unicodeScalars.append(decoded) }
      } else if scalar == "$" && interpolates {
        if let (name, end) = scanVariable(at: index) {
          if !pending.isEmpty { segments.append(.text(pending)) }
          pending = ""
          segments.append(.variable(name, location(from: index, length: end - index)))
          index = end
        } else {
          pending.unicodeScalars.append(scalar)
          index += 1
        }
      } else {
        pending.unicodeScalars.append(scalar)
        index += 1
      }
    }
    if !pending.isEmpty || segments.isEmpty { segments.append(.text(pending)) }
    if !terminated {
      report(
        "unterminated string", from: start, length: index - start,
        help: "add the closing \(quote) before the end of the line")
    }
    emit(.string(StringLiteral(segments: segments, isSingleQuoted: !interpolates, isTerminated: terminated)), from: start)
  }

  /// Decodes the escape at `index` (a backslash) and moves past it; nil after an error or when
  /// the line ends right after the backslash.
  private mutating func escape() -> Unicode.Scalar? {
    let start = index
    index += 1
    guard index < scalars.count, scalars[index] != "\n" else { return nil }
    let code = scalars[index]
    index += 1
    switch code {
    case "n": return "\n"
    case "t": return "\t"
    case "r": return "\r"
    case "0": return "\0"
    case "\\", "\"", "'", "$": return code
    case "u":
      guard index < scalars.count, scalars[index] == "{" else {
        report("expected '{' after '\\u' in a string", from: start, length: index - start, help: "write \\u{hex digits}, e.g. \\u{e9}")
        return nil
      }
      var position = index + 1
      var value: UInt32 = 0
      var digits = 0
      while position < scalars.count, let digit = Self.hexValue(scalars[position]), digits < 8 {
        value = value &* 16 &+ digit
        digits += 1
        position += 1
      }
      guard digits > 0, position < scalars.count, scalars[position] == "}" else {
        index = min(position, scalars.count)
        report("malformed unicode escape", from: start, length: index - start, help: "write \\u{hex digits}, e.g. \\u{e9}")
        return nil
      }
      index = position + 1
      guard let decoded = Unicode.Scalar(value) else {
        report("'\\u{\(String(value, radix: 16))}' is not a unicode scalar", from: start, length: index - start)
        return nil
      }
      return decoded
    default:
      var spelling = "\\"
      spelling.unicodeScalars.append(code)
      report(
        "unknown escape sequence '\(spelling)' in a string", from: start, length: 2,
        help: "the escapes are \\\\ \\\" \\' \\n \\t \\r \\0 \\$ \\u{hex}")
      return nil
    }
  }

  private static func hexValue(_ scalar: Unicode.Scalar) -> UInt32? {
    switch scalar {
    case "0"..."9": return scalar.value - 48
    case "a"..."f": return scalar.value - 87
    case "A"..."F": return scalar.value - 55
    default: return nil
    }
  }

  private mutating func word() {
    let start = index
    while index < scalars.count {
      let scalar = scalars[index]
      if scalar == "\n" || Self.isBlank(scalar) || Self.isDelimiter(scalar) { break }
      if scalar == "\\" && restOfLineIsBlank(from: index + 1) { break }
      index += 1
    }
    let spelling = text(from: start, to: index)
    switch Self.classify(scalars[start..<index]) {
    case .word: emit(.word(spelling), from: start)
    case .integer(let value): emit(.integer(value), from: start)
    case .number(let value): emit(.number(value), from: start)
    case .range(let value): emit(.range(value), from: start)
    case .invalid(let message, let help):
      report(message, from: start, length: index - start, help: help)
      emit(.word(spelling), from: start)
    }
  }

  private mutating func finish() {
    let end = location(from: index, length: 0)
    var unclosed = openers.last.map { opener in
      var spelling = ""
      spelling.unicodeScalars.append(opener.spelling)
      return Token.Unclosed(spelling: spelling, location: opener.location)
    }
    if let continuation {
      unclosed = Token.Unclosed(spelling: "\\", location: continuation)
    } else if !insideListOrParens, let last = tokens.last, last.kind != .newline {
      tokens.append(Token(kind: .newline, text: "", location: end, offset: index, endOffset: index))
    }
    tokens.append(Token(kind: .endOfInput(unclosed: unclosed), text: "", location: end, offset: index, endOffset: index))
  }

  // MARK: - Classifying bare words

  enum Classification {
    case word
    case integer(Int)
    case number(Double)
    case range(IntRange)
    case invalid(String, help: String?)
  }

  /// Classifies a bare word as an integer, a range, a number or a plain word.
  static func classify(_ scalars: ArraySlice<Unicode.Scalar>) -> Classification {
    guard let first = scalars.first, isDigit(first) || first == "+" || first == "-" || first == "." else { return .word }
    let spelling = String(String.UnicodeScalarView(scalars))
    if isIntegerSpelling(scalars) {
      guard let value = Int(spelling) else {
        return .invalid("integer \(spelling) does not fit in 64 bits", help: "write it as a decimal number, e.g. 1e20")
      }
      return .integer(value)
    }
    if let range = classifyRange(scalars, spelling: spelling) { return range }
    if isDecimalSpelling(scalars) {
      guard let value = Double(spelling), value.isFinite else {
        return .invalid("number \(spelling) is too large", help: nil)
      }
      return .number(value)
    }
    return .word
  }

  private static func isIntegerSpelling(_ scalars: ArraySlice<Unicode.Scalar>) -> Bool {
    var digits = scalars[...]
    if let first = digits.first, first == "+" || first == "-" { digits = digits.dropFirst() }
    return !digits.isEmpty && digits.allSatisfy(isDigit)
  }

  private static func classifyRange(_ scalars: ArraySlice<Unicode.Scalar>, spelling: String) -> Classification? {
    guard let dots = scalars.indices.first(where: { $0 + 1 < scalars.endIndex && scalars[$0] == "." && scalars[$0 + 1] == "." }),
      isIntegerSpelling(scalars[..<dots])
    else { return nil }
    let rest = scalars[(dots + 2)...]
    let colon = rest.firstIndex(of: ":")
    let upper = rest[..<(colon ?? rest.endIndex)]
    let step = colon.map { rest[($0 + 1)...] }
    guard isIntegerSpelling(upper), step.map(isIntegerSpelling) ?? true else { return nil }
    func integer(_ part: ArraySlice<Unicode.Scalar>) -> Int? { Int(String(String.UnicodeScalarView(part))) }
    guard let low = integer(scalars[..<dots]), let high = integer(upper), let by = step.map(integer) ?? 1 else {
      return .invalid("range bound in \(spelling) does not fit in 64 bits", help: nil)
    }
    if by < 1 {
      return .invalid("range step must be at least 1, got \(by)", help: "ranges count upwards: write low..high:step")
    }
    if low > high {
      return .invalid("range \(spelling) is empty: \(low) is greater than \(high)", help: "ranges count upwards: write low..high")
    }
    return .range(IntRange(low, high, step: by))
  }

  private static func isDecimalSpelling(_ scalars: ArraySlice<Unicode.Scalar>) -> Bool {
    var rest = scalars[...]
    if let first = rest.first, first == "+" || first == "-" { rest = rest.dropFirst() }
    let integerDigits = rest.prefix(while: isDigit).count
    rest = rest.dropFirst(integerDigits)
    var fractionDigits = 0
    var hasPoint = false
    if rest.first == "." {
      hasPoint = true
      rest = rest.dropFirst()
      fractionDigits = rest.prefix(while: isDigit).count
      rest = rest.dropFirst(fractionDigits)
      if fractionDigits == 0 { return false }
    }
    guard integerDigits + fractionDigits > 0 else { return false }
    var hasExponent = false
    if let e = rest.first, e == "e" || e == "E" {
      hasExponent = true
      rest = rest.dropFirst()
      if let sign = rest.first, sign == "+" || sign == "-" { rest = rest.dropFirst() }
      let exponentDigits = rest.prefix(while: isDigit).count
      if exponentDigits == 0 { return false }
      rest = rest.dropFirst(exponentDigits)
    }
    return rest.isEmpty && (hasPoint || hasExponent)
  }
}
