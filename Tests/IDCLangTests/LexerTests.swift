import Testing

import IDCLang

private func kinds(_ source: String) throws -> [Token.Kind] {
  try Lexer.tokenize(source, file: "t.idc").map(\.kind)
}

private func lexError(_ source: String) -> Diagnostic? {
  Lexer(source: source, file: "t.idc").diagnostics.first
}

@Suite("Lexer")
struct LexerTests {
  @Test func statementWithBindingAndChoice() throws {
    #expect(
      try kinds("sel = select m=100 strategy=hard+rep+div") == [
        .word("sel"), .equals, .word("select"), .word("m"), .equals, .integer(100), .word("strategy"), .equals,
        .word("hard+rep+div"), .newline, .endOfInput(unclosed: nil),
      ])
  }

  @Test func numbersRangesAndWords() throws {
    #expect(
      try kinds("1 -3 +4 0.5 1e-3 -2.5E+2 .5 1. 10k 1..5 0..1000:100 -5..-1 1...5 data/x.npy ../a.npy").dropLast(2) == [
        .integer(1), .integer(-3), .integer(4), .number(0.5), .number(0.001), .number(-250), .number(0.5),
        .word("1."), .word("10k"), .range(IntRange(1, 5)), .range(IntRange(0, 1000, step: 100)),
        .range(IntRange(-5, -1)), .word("1...5"), .word("data/x.npy"), .word("../a.npy"),
      ])
  }

  @Test func delimitersEndWords() throws {
    #expect(
      try kinds("a=b[c,d](e){f}").dropLast(2) == [
        .word("a"), .equals, .word("b"), .leftBracket, .word("c"), .comma, .word("d"), .rightBracket, .leftParen,
        .word("e"), .rightParen, .leftBrace, .word("f"), .rightBrace,
      ])
  }

  @Test func stringsDecodeEscapesAndInterpolate() throws {
    let tokens = try Lexer.tokenize(#"x "a\tb\"\\\$ \u{e9}" 'it\'s $s' "run_$s.csv" "${n}x""#, file: "t.idc")
    #expect(
      tokens[1].kind
        == .string(StringLiteral(segments: [.text("a\tb\"\\$ é")], isSingleQuoted: false, isTerminated: true)))
    #expect(tokens[2].kind == .string(StringLiteral(segments: [.text("it's $s")], isSingleQuoted: true, isTerminated: true)))
    guard case .string(let run) = tokens[3].kind, case .string(let braced) = tokens[4].kind else {
      Issue.record("expected strings")
      return
    }
    #expect(run.segments == [.text("run_"), .variable("s", SourceSpan(file: "t.idc", line: 1, column: 39, length: 2)), .text(".csv")])
    #expect(braced.segments == [.variable("n", SourceSpan(file: "t.idc", line: 1, column: 48, length: 4)), .text("x")])
    #expect(run.plainText == nil)
  }

  @Test func emptyStringIsOneEmptyText() throws {
    #expect(try kinds(#"x """#)[1] == .string(StringLiteral(segments: [.text("")], isSingleQuoted: false, isTerminated: true)))
  }

  @Test func variables() throws {
    #expect(try kinds("$s ${name_2}").dropLast(2) == [.variable("s"), .variable("name_2")])
  }

  @Test func locationsCountScalarsFromOne() throws {
    let tokens = try Lexer.tokenize("  kmeans k=10\n\té=1", file: "f.idc")
    #expect(tokens[0].location == SourceSpan(file: "f.idc", line: 1, column: 3, length: 6))
    #expect(tokens[3].location == SourceSpan(file: "f.idc", line: 1, column: 12, length: 2))
    #expect(tokens[4].kind == .newline)
    #expect(tokens[4].location == SourceSpan(file: "f.idc", line: 1, column: 14, length: 0))
    #expect(tokens[5].location == SourceSpan(file: "f.idc", line: 2, column: 2, length: 1))
    #expect(tokens[5].text == "é")
  }

  @Test func commentsAndCellMarkers() throws {
    #expect(
      try kinds("# intro\n# %% the model  \neval # trailing\n  #%%\n[a, # %% not a cell\n b]") == [
        .cellMarker(title: "the model"), .newline, .word("eval"), .newline, .cellMarker(title: ""), .newline,
        .leftBracket, .word("a"), .comma, .word("b"), .rightBracket, .newline, .endOfInput(unclosed: nil),
      ])
  }

  @Test func lineBreaksInsideBracketsAreIgnoredButNotInsideBraces() throws {
    #expect(
      try kinds("x [a,\n b]\nfor s in [a] {\n eval\n}") == [
        .word("x"), .leftBracket, .word("a"), .comma, .word("b"), .rightBracket, .newline, .word("for"), .word("s"),
        .word("in"), .leftBracket, .word("a"), .rightBracket, .leftBrace, .newline, .word("eval"), .newline, .rightBrace,
        .newline, .endOfInput(unclosed: nil),
      ])
  }

  @Test func backslashContinuesExactlyOneLine() throws {
    #expect(try kinds("kmeans k=10 \\\n  seed=0") == (try kinds("kmeans k=10 seed=0")))
    #expect(try kinds("kmeans k=10\\   # note\nseed=0") == (try kinds("kmeans k=10 seed=0")))
    #expect(
      try kinds("eval \\\n\nkmeans") == [.word("eval"), .newline, .word("kmeans"), .newline, .endOfInput(unclosed: nil)])
    #expect(try kinds("a\\b c")[0] == .word("a\\b"))
  }

  @Test func endOfInputNamesWhatIsOpen() throws {
    let location = { (column: Int) in SourceSpan(file: "t.idc", line: 1, column: column, length: 1) }
    #expect(try kinds("x [a,").last == .endOfInput(unclosed: Token.Unclosed(spelling: "[", location: location(3))))
    #expect(try kinds("x \\").last == .endOfInput(unclosed: Token.Unclosed(spelling: "\\", location: location(3))))
    #expect(try kinds("x \\\n").last == .endOfInput(unclosed: Token.Unclosed(spelling: "\\", location: location(3))))
    #expect(try kinds("for s in [a] {").suffix(2) == [.newline, .endOfInput(unclosed: Token.Unclosed(spelling: "{", location: location(14)))])
  }

  @Test func bareWordRule() {
    #expect(Lexer.isBareWord("hard+rep+div"))
    #expect(Lexer.isBareWord("data/x.npy"))
    #expect(!Lexer.isBareWord("10"))
    #expect(!Lexer.isBareWord("1..3"))
    #expect(!Lexer.isBareWord("a b"))
    #expect(!Lexer.isBareWord("a=b"))
    #expect(!Lexer.isBareWord("x\\"))
    #expect(!Lexer.isBareWord(""))
    #expect(Lexer.isName("_sel2"))
    #expect(!Lexer.isName("2sel"))
    #expect(!Lexer.isName("a-b"))
  }

  @Test(arguments: [
    (#"x "abc"#, "unterminated string", 3, 4),
    (#"x "a\qb""#, #"unknown escape sequence '\q' in a string"#, 5, 2),
    (#"x "\u{zz}""#, "malformed unicode escape", 4, 3),
    ("x $", "expected a variable name after '$'", 3, 1),
    ("x ${a", "expected '}' to close '${a'", 3, 3),
    ("x ${}", "expected a variable name after '${'", 3, 2),
    (#"x "a $ b""#, "expected a variable name after '$'", 6, 1),
    ("k=99999999999999999999", "integer 99999999999999999999 does not fit in 64 bits", 3, 20),
    ("x 5..1", "range 5..1 is empty: 5 is greater than 1", 3, 4),
    ("x 1..5:0", "range step must be at least 1, got 0", 3, 6),
    ("x 1e999", "number 1e999 is too large", 3, 5),
  ])
  func lexicalErrors(source: String, message: String, column: Int, length: Int) throws {
    let error = try #require(lexError(source))
    #expect(error.message == message)
    #expect(error.location == SourceSpan(file: "t.idc", line: 1, column: column, length: length))
  }

  @Test func lexerRecoversAndKeepsGoing() {
    let lexer = Lexer(source: "x $ \"abc\ny 1..0 z", file: "t.idc")
    #expect(lexer.diagnostics.map(\.location.line) == [1, 1, 2])
    #expect(lexer.tokens.contains { $0.kind == .word("z") })
  }
}
