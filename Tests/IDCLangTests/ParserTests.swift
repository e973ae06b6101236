import Testing

import IDCLang

private func location(_ line: Int, _ column: Int, _ length: Int) -> SourceSpan {
  SourceSpan(file: "t.idc", line: line, column: column, length: length)
}

@Suite("Parser")
struct ParserTests {
  @Test func tourParsesIntoCellsAndStatements() throws {
    let program = try parsed(Fixtures.tour)
    #expect(program.cells.count == 2)
    #expect(program.cells[0].statements.isEmpty)
    #expect(program.cells[1].title == "the pre-trained model")
    #expect(program.cells[1].line == 1)
    #expect(program.statements.count == 10)
    guard case .command(let select) = program.statements[4] else {
      Issue.record("expected a command")
      return
    }
    #expect(select.binding == "sel")
    #expect(select.name == "select")
    #expect(select.arguments.map(\.label) == ["m", "strategy"])
    #expect(select.arguments[1].value.kind == .value(.word("hard+rep+div")))
    #expect(select.location == location(6, 1, 40))
    #expect(select.nameLocation == location(6, 7, 6))
    guard case .forLoop(let loop) = program.statements[8] else {
      Issue.record("expected a loop")
      return
    }
    #expect(loop.variable == "s")
    #expect(loop.body.count == 4)
    #expect(loop.sequence.value == .list([.word("random"), .word("hard"), .word("hard+rep"), .word("hard+rep+div")]))
    guard case .command(let body) = loop.body[0] else {
      Issue.record("expected a command")
      return
    }
    #expect(body.arguments[1].value == Expression(.variable("s"), at: location(11, 25, 2)))
    #expect(program.statements[9].description == "source other.idc")
  }

  @Test func valuesOfEveryKind() throws {
    let statement = try command(#"set a=1 b=-2.5 c="x y" d='q' e=w f=1..3 g=[a, 2, [3], 1..2,] h=$v i="n$v" j=[] p"#)
    #expect(
      statement.arguments.map(\.value.kind) == [
        .value(.int(1)), .value(.double(-2.5)), .value(.string("x y")), .value(.string("q")), .value(.word("w")),
        .value(.range(IntRange(1, 3))),
        .list([
          Expression(.value(.word("a")), at: location(1, 44, 1)), Expression(.value(.int(2)), at: location(1, 47, 1)),
          Expression(.list([Expression(.value(.int(3)), at: location(1, 51, 1))]), at: location(1, 50, 3)),
          Expression(.value(.range(IntRange(1, 2))), at: location(1, 55, 4)),
        ]),
        .variable("v"),
        .interpolation([.text("n"), .variable("v", location(1, 71, 2))]),
        .list([]),
        .value(.word("p")),
      ])
    #expect(statement.positionalArguments.count == 1)
    #expect(statement.argument(labeled: "e")?.value.value == .word("w"))
  }

  @Test func multiLineListsAndContinuations() throws {
    let program = try parsed("train epochs=[1,\n  2,\n  3] \\\n  seed=4\neval")
    #expect(program.statements.map(\.description) == ["train epochs=[1, 2, 3] seed=4", "eval"])
  }

  @Test func nestedLoopsAndOneLineBodies() throws {
    let program = try parsed(
      """
      for k in 2..10:4 {
        for s in $strategies { select strategy=$s
          eval }
        for m in [1, 2] {}
      }
      """)
    guard case .forLoop(let outer) = program.statements[0], case .forLoop(let inner) = outer.body[0],
      case .forLoop(let empty) = outer.body[1]
    else {
      Issue.record("expected nested loops")
      return
    }
    #expect(outer.sequence.value == .range(IntRange(2, 10, step: 4)))
    #expect(inner.sequence.kind == .variable("strategies"))
    #expect(inner.body.map(\.description) == ["select strategy=$s", "eval"])
    #expect(empty.body.isEmpty)
    #expect(
      program.description
        == "for k in 2..10:4 {\n  for s in $strategies {\n    select strategy=$s\n    eval\n  }\n  for m in [1, 2] {\n  }\n}\n")
  }

  @Test func questionMarkIsHelp() throws {
    let statement = try command("?kmeans")
    #expect(statement.name == "help")
    #expect(statement.arguments == [Argument(value: Expression(.value(.word("kmeans")), at: location(1, 2, 6)))])
    #expect(try command("?").arguments.isEmpty)
  }

  @Test func cellsAreFoundByNumberOrTitle() throws {
    let program = try parsed("load digits\n# %% Train\ntrain\n# %% Evaluate\neval\n")
    #expect(program.cells.map(\.title) == [nil, "Train", "Evaluate"])
    #expect(program.cells.map(\.line) == [1, 2, 4])
    #expect(try program.cellIndex(for: "2") == 2)
    #expect(try program.cellIndex(for: "Train") == 1)
    #expect(try program.cellIndex(for: "evaluate") == 2)
    #expect(program.statements(fromCell: 1).map(\.description) == ["train", "eval"])
    #expect(throws: CellLookupError(message: "t.idc has no cell titled 'Trian'", suggestion: "Train")) {
      try program.cellIndex(for: "Trian")
    }
    #expect(throws: CellLookupError(message: "t.idc has no cell 3; its cells are numbered 0...2", suggestion: nil)) {
      try program.cellIndex(for: "3")
    }
    #expect(
      CellLookupError(message: "t.idc has no cell titled 'Trian'", suggestion: "Train").description
        == "t.idc has no cell titled 'Trian'; did you mean 'Train'?")
  }

  @Test func formattingRoundTrips() throws {
    let source = #"a = b x "q\"\$" y="$v-${w}" z=[1, 1.5, 1..4:2] w=$v 'c d' e="""#
    let once = try parsed(source).description
    #expect(once == #"a = b x "q\"\$" y="${v}-${w}" z=[1, 1.5, 1..4:2] w=$v "c d" e="""# + "\n")
    #expect(try parsed(once).description == once)
  }

  @Test(arguments: [
    ("kmeans k=", "expected a value after 'k=', got end of line", location(1, 10, 0)),
    ("kmeans k= # why", "expected a value after 'k=', got end of line", location(1, 10, 0)),
    ("= kmeans", "expected a name before '='", location(1, 1, 1)),
    ("10 kmeans", "expected a command, got '10'", location(1, 1, 2)),
    ("a+b = kmeans", "'a+b' is not a valid name to bind a result to", location(1, 1, 3)),
    ("x = 5", "expected a command after 'x =', got '5'", location(1, 5, 1)),
    ("x =", "expected a command after 'x =', got end of line", location(1, 4, 0)),
    ("kmeans a+b=3", "'a+b' is not a valid parameter name", location(1, 8, 3)),
    ("kmeans k=10 =", "expected a parameter name before '='", location(1, 13, 1)),
    ("kmeans [a b]", "expected ',' or ']' after 'a' in the list, got 'b'", location(1, 11, 1)),
    ("kmeans [a,,b]", "expected a value in the list, got ','", location(1, 11, 1)),
    ("export file=out_$s", "missing space between 'out_' and '$s'", location(1, 17, 2)),
    ("kmeans\"x\"", "missing space between 'kmeans' and '\"x\"'", location(1, 7, 3)),
    ("kmeans (k=1)", "expected a value as an argument of 'kmeans', got '('", location(1, 8, 1)),
    ("for s [a] {", "expected 'in' after 'for s', got '['", location(1, 7, 1)),
    ("for 1 in [a] {", "expected a loop variable name after 'for', got '1'", location(1, 5, 1)),
    ("for s in x {", "expected a list, a range or a $variable after 'in', got 'x'", location(1, 10, 1)),
    ("for s in [a]\n{\n}", "expected '{' on the same line as 'for'", location(1, 13, 0)),
    ("for s in [a] eval", "expected '{' to start the loop body, got 'eval'", location(1, 14, 4)),
    ("for s in [a] { eval } eval", "unexpected 'eval' after the end of the statement", location(1, 23, 4)),
    ("}", "unexpected '}' outside a 'for' body", location(1, 1, 1)),
    ("eval }", "unexpected '}' outside a 'for' body", location(1, 6, 1)),
    ("x = for s in [a] {}", "a 'for' loop has no result to bind to 'x'", location(1, 5, 3)),
    ("for s in [a] {\n# %% cell\n}", "a cell marker cannot be inside a 'for' body", location(2, 1, 9)),
    ("kmeans k=10 ]", "expected a value as an argument of 'kmeans', got ']'", location(1, 13, 1)),
    ("# %% a b\n\"x\" y", "expected a command, got '\"x\"'", location(2, 1, 3)),
  ] as [(String, String, SourceSpan)])
  func syntaxErrors(source: String, message: String, at expected: SourceSpan) throws {
    let error = try #require(parseError(source))
    #expect(error.message == message)
    #expect(error.location == expected)
    #expect(!error.isIncomplete)
  }

  @Test func nestingIsLimited() throws {
    let deep = "x " + String(repeating: "[", count: 40) + String(repeating: "]", count: 40)
    let error = try #require(parseError(deep))
    #expect(error.message == "lists and loops nest more than 32 levels deep")
    #expect(error.location == location(1, 35, 1))
    var loops = ""
    for _ in 0..<40 { loops += "for s in [a] {\n" }
    #expect(parseError(loops)?.message == "lists and loops nest more than 32 levels deep")
    let fine = "x " + String(repeating: "[", count: 31) + String(repeating: "]", count: 31)
    #expect(parseError(fine) == nil)
  }

  @Test func lexicalErrorsBeforeSyntaxErrorsWin() throws {
    #expect(parseError("x \"abc\n]")?.message == "unterminated string")
    #expect(parseError("]\nx \"abc")?.message == "expected a command, got ']'")
    #expect(parseError("kmeans [a,\n\"b")?.message == "unterminated string")
  }
}

@Suite("Completeness")
struct CompletenessTests {
  @Test(arguments: [
    ("kmeans k=10 \\", "the input ends after a line continuation '\\'", location(1, 13, 1)),
    ("kmeans k=10 \\\n", "the input ends after a line continuation '\\'", location(1, 13, 1)),
    ("select strategy=[a,", "unclosed '[' at the end of the input", location(1, 17, 1)),
    ("plot [a,\n b", "unclosed '[' at the end of the input", location(1, 6, 1)),
    ("for s in [a] {", "unclosed '{' at the end of the input", location(1, 14, 1)),
    ("for s in [a] {\n eval\n", "unclosed '{' at the end of the input", location(1, 14, 1)),
    ("for a in [1] {\n for b in [2] {\n eval\n }\n", "unclosed '{' at the end of the input", location(1, 14, 1)),
    ("for a in [1] {\n for b in [2] {\n eval", "unclosed '{' at the end of the input", location(2, 15, 1)),
    ("for s in [a,\n b,\n", "unclosed '[' at the end of the input", location(1, 10, 1)),
    ("for s \\\n", "the input ends after a line continuation '\\'", location(1, 7, 1)),
  ] as [(String, String, SourceSpan)])
  func incomplete(source: String, message: String, at expected: SourceSpan) {
    guard case .incomplete(let diagnostic) = checkComplete(source, file: "t.idc") else {
      Issue.record("\(source.debugDescription) should be incomplete, is \(checkComplete(source, file: "t.idc"))")
      return
    }
    #expect(diagnostic.message == message)
    #expect(diagnostic.location == expected)
    #expect(diagnostic.isIncomplete)
  }

  @Test(arguments: ["kmeans k=", "for s in [a]", "kmeans \"abc", "]", "for s in [a] { ] ", "x [a,\n\"b", "kmeans (",
    "for s in [a] {\n # %% no\n"])
  func invalid(source: String) {
    guard case .invalid(let diagnostic) = checkComplete(source) else {
      Issue.record("\(source.debugDescription) should be invalid, is \(checkComplete(source))")
      return
    }
    #expect(!diagnostic.isIncomplete)
  }

  @Test(arguments: ["", "\n\n", "# only a comment", "kmeans", "kmeans \\\n\n", "for s in [a] {\n eval\n}", "x [a,\n b]"])
  func complete(source: String) {
    guard case .complete = checkComplete(source) else {
      Issue.record("\(source.debugDescription) should be complete, is \(checkComplete(source))")
      return
    }
  }
}
