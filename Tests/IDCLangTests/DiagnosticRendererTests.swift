import Testing

import IDCLang
import IDCText

@Suite("Diagnostic rendering")
struct DiagnosticRendererTests {
  @Test func unknownCommandWithSuggestion() throws {
    let source = "load digits\nkmean k=10\n"
    let program = try parsed(source, file: "tour.idc")
    guard case .command(let statement) = program.statements[1] else { return }
    #expect(throws: Diagnostic.self) { try Fixtures.registry.resolve(statement) }
    let diagnostic = Diagnostic.error(
      "unknown command 'kmean'", at: statement.nameLocation, suggestion: Fixtures.registry.suggestion(for: "kmean"))
    #expect(
      DiagnosticRenderer(file: "tour.idc", source: source).render(diagnostic) == """
        tour.idc:2:1: error: unknown command 'kmean'
        kmean k=10
        ^~~~~
        help: did you mean 'kmeans'?

        """)
  }

  @Test func choiceErrorUnderlinesTheValue() throws {
    #expect(
      try validationError("sel = select m=100 strategy=hrad") == """
        t.idc:1:29: error: strategy must be one of random, hard, rep, hard+rep, hard+rep+div; got 'hrad'
        sel = select m=100 strategy=hrad
                                    ^~~~
        help: did you mean 'hard'?

        """)
  }

  @Test func tabsAreKeptInTheCaretLine() {
    let source = "\tkmeans\tk=ten"
    let diagnostic = Diagnostic.error(
      "k expects an integer, got 'ten'", at: SourceSpan(file: "t.idc", line: 1, column: 11, length: 3))
    #expect(
      DiagnosticRenderer(file: "t.idc", source: source).render(diagnostic)
        == "t.idc:1:11: error: k expects an integer, got 'ten'\n\tkmeans\tk=ten\n\t      \t  ^~~\n")
  }

  @Test func locatedNotesRepeatTheExcerptAndHelpComesLast() throws {
    #expect(
      try validationError("kmeans k=3 seed=1 k=4") == """
        t.idc:1:19: error: parameter 'k' is given twice
        kmeans k=3 seed=1 k=4
                          ^
        t.idc:1:10: note: first given here
        kmeans k=3 seed=1 k=4
                 ^

        """)
    let diagnostic = Diagnostic(
      .warning, "odd", at: SourceSpan(file: "t.idc", line: 1, column: 1, length: 2), notes: [Diagnostic.Note("plain")],
      suggestion: "even", help: "think again")
    #expect(
      DiagnosticRenderer(file: "t.idc", source: "ab").render(diagnostic)
        == "t.idc:1:1: warning: odd\nab\n^~\nnote: plain\nhelp: did you mean 'even'?\nhelp: think again\n")
  }

  @Test func caretAfterTheEndOfTheLine() throws {
    let source = "kmeans k=\r\neval"
    let error = try #require(parseError(source))
    #expect(
      DiagnosticRenderer(file: "t.idc", source: source).render(error) == """
        t.idc:1:10: error: expected a value after 'k=', got end of line
        kmeans k=
                 ^

        """)
  }

  @Test func spansPastTheLineAreClipped() {
    let diagnostic = Diagnostic.error("x", at: SourceSpan(file: "t.idc", line: 1, column: 2, length: 40))
    #expect(DiagnosticRenderer(file: "t.idc", source: "abc").render(diagnostic) == "t.idc:1:2: error: x\nabc\n ^~\n")
  }

  @Test func unknownSourceOmitsTheExcerpt() {
    let diagnostic = Diagnostic.error("boom", at: SourceSpan(file: "other.idc", line: 3, column: 2))
    #expect(DiagnosticRenderer(file: "t.idc", source: "x").render(diagnostic) == "other.idc:3:2: error: boom\n")
    #expect(DiagnosticRenderer(file: "other.idc", source: "x").render(diagnostic) == "other.idc:3:2: error: boom\n")
    #expect(diagnostic.description == "other.idc:3:2: error: boom")
  }

  @Test func colourIsOffByDefaultAndOnWhenAsked() {
    let diagnostic = Diagnostic.error("boom", at: SourceSpan(file: "t.idc", line: 1, column: 1))
    #expect(!DiagnosticRenderer(file: "t.idc", source: "x").render(diagnostic).contains("\u{1B}"))
    let coloured = DiagnosticRenderer(file: "t.idc", source: "x", useColor: true).render(diagnostic)
    #expect(coloured.contains("\u{1B}[31m\u{1B}[1merror:\u{1B}[0m"))
    #expect(coloured.contains("\u{1B}[32m\u{1B}[1m^\u{1B}[0m"))
  }

  @Test func incompleteInputPointsAtTheOpener() throws {
    let source = "for s in [random, hard] {\n  eval\n"
    let error = try #require(parseError(source))
    #expect(
      DiagnosticRenderer(file: "t.idc", source: source).render(error) == """
        t.idc:1:25: error: unclosed '{' at the end of the input
        for s in [random, hard] {
                                ^
        help: end the loop body with '}'

        """)
  }
}

@Suite("Edit distance")
struct EditDistanceTests {
  @Test(arguments: [
    ("", "", 0), ("", "abc", 3), ("abc", "", 3), ("kitten", "sitting", 3), ("hrad", "hard", 1), ("ca", "abc", 3),
    ("kmean", "kmeans", 1), ("select", "select", 0), ("abcdef", "badcfe", 3),
  ])
  func distances(a: String, b: String, distance: Int) {
    #expect(EditDistance.damerauLevenshtein(a, b) == distance)
    #expect(EditDistance.damerauLevenshtein(b, a) == distance)
  }

  @Test func thresholdGrowsWithLength() {
    #expect([1, 2, 3, 5, 6, 9].map { EditDistance.threshold(for: String(repeating: "a", count: $0)) } == [1, 1, 1, 1, 2, 3])
  }

  @Test func suggestions() {
    let names = ["kmeans", "eval", "select", "score", "set"]
    #expect(EditDistance.suggestion(for: "kmean", among: names) == "kmeans")
    #expect(EditDistance.suggestion(for: "KMeans", among: names) == "kmeans")
    #expect(EditDistance.suggestion(for: "sat", among: names) == "set")
    #expect(EditDistance.suggestion(for: "scor", among: names) == "score")
    #expect(EditDistance.suggestion(for: "sleect", among: names) == "select")
    #expect(EditDistance.suggestion(for: "train", among: names) == nil)
    #expect(EditDistance.suggestion(for: "set", among: names) == nil)
    #expect(EditDistance.suggestion(for: "sx", among: ["s", "x"]) == "s")
  }
}
