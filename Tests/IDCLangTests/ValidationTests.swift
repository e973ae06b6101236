import Testing

import IDCLang

@Suite("Validation")
struct ValidationTests {
  @Test func defaultsFillWhatIsLeftOut() throws {
    let arguments = try bound("sel = select m=50")
    #expect(arguments.commandName == "select")
    #expect(arguments.binding == "sel")
    #expect(arguments.resultKind == .selection)
    #expect(arguments.int("m") == 50)
    #expect(arguments.string("strategy") == "hard+rep+div")
    #expect(arguments.isExplicit("m"))
    #expect(!arguments.isExplicit("strategy"))
    #expect(arguments.location(of: "m") == SourceSpan(file: "t.idc", line: 1, column: 16, length: 2))
    #expect(arguments.location(of: "strategy") == arguments.statement.location)
    let error = arguments.error("m=50 exceeds the 40 unlabelled samples", at: "m")
    #expect(error.location.column == 16)
  }

  @Test func valuesAreNormalizedToTheirKinds() throws {
    let train = try bound("train lr=1 verbose=yes epochs=1..3 seed=-1")
    #expect(train["lr"] == .double(1))
    #expect(train.bool("verbose") == true)
    #expect(train.ints("epochs") == [1, 2, 3])
    #expect(train.int("seed") == -1)
    #expect(try bound("train epochs=7").list("epochs") == [.int(7)])
    #expect(try bound("train verbose=0").bool("verbose") == false)
    #expect(try bound("kmeans init=RANDOM").string("init") == "random")
    #expect(try bound("set title=2024").string("title") == "2024")
    #expect(try bound("set seed=1")["echo"] == nil)
  }

  @Test func aliasesPositionalsAndSubcommands() throws {
    #expect(try bound("km k=3").commandName == "kmeans")
    #expect(try bound("feedback ask").string("source") == "ask")
    #expect(try bound("feedback").string("source") == "oracle")
    #expect(try bound("feedback source=ask t=2").string("source") == "ask")
    let plot = try bound("plot tsne highlight=sel perplexity=20")
    #expect(plot.path == ["plot", "tsne"])
    #expect(plot.string("highlight") == "sel")
    #expect(plot.double("perplexity") == 20)
    #expect(try bound("show a b c").strings("names") == ["a", "b", "c"])
    #expect(try bound("load digits").string("source") == "digits")
    #expect(try bound("load \"data/X.NPY\"").string("source") == "data/X.NPY")
    #expect(try bound("source other.idc").string("file") == "other.idc")
  }

  @Test func workspaceNamesAreCheckedWhenKnown() throws {
    let workspace: [String: ValueKind] = ["sel": .selection, "model": .model]
    #expect(try bound("plot tsne highlight=sel", workspace: workspace).string("highlight") == "sel")
    #expect(
      try validationError("plot tsne highlight=sle", workspace: workspace) == """
        t.idc:1:21: error: no selection named 'sle'
        plot tsne highlight=sle
                            ^~~
        help: did you mean 'sel'?

        """)
    #expect(
      try validationError("plot tsne highlight=model", workspace: workspace)?.hasPrefix(
        "t.idc:1:21: error: highlight expects a selection, but 'model' is a model\n") == true)
    #expect(
      try validationError("show sel x", workspace: workspace)?.hasPrefix("t.idc:1:10: error: no value named 'x'\n") == true)
    #expect(
      try validationError("plot tsne highlight=s", workspace: [:])
        == "t.idc:1:21: error: no selection named 's'\nplot tsne highlight=s\n                    ^\nhelp: there is no selection yet\n")
  }

  @Test(arguments: [
    ("kmeans k=ten", "t.idc:1:10: error: k expects an integer in 1...100000, got 'ten'", "^~~"),
    ("kmeans k=2.5", "t.idc:1:10: error: k expects an integer in 1...100000, got '2.5'", "^~~"),
    ("kmeans k=0", "t.idc:1:10: error: k must be in 1...100000, got 0", "^"),
    ("train lr=2", "t.idc:1:10: error: lr must be in 0.0...1.0, got 2", "^"),
    ("train lr=fast", "t.idc:1:10: error: lr expects a number in 0.0...1.0, got 'fast'", "^~~~"),
    ("train verbose=maybe", "t.idc:1:15: error: verbose expects true or false, got 'maybe'", "^~~~~"),
    ("train epochs=[1, 0]", "t.idc:1:18: error: epochs must be in 1...1000, got 0", "^"),
    ("train epochs=[1, x]", "t.idc:1:18: error: epochs expects an integer in 1...1000, got 'x'", "^"),
    ("feedback file=answers.txt", "t.idc:1:15: error: file expects a .csv file, got 'answers.txt'", "^~~~~~~~~~~"),
    ("feedback file=\"\"", "t.idc:1:15: error: file expects a path, got an empty string", "^~"),
    ("load x.csv", "t.idc:1:6: error: source expects one of digits or a .npy or .npz file, got 'x.csv'", "^~~~~"),
    ("set title=[a]", "t.idc:1:11: error: title expects a string, got '[a]'", "^~~"),
    ("plot tsne highlight=5", "t.idc:1:21: error: highlight expects the name of a selection, got '5'", "^"),
    ("eval 3", "t.idc:1:6: error: eval takes no positional arguments, got '3'", "^"),
    ("feedback oracle ask", "t.idc:1:17: error: feedback takes at most 1 positional argument, got 'ask'", "^~~"),
    ("x = eval", "t.idc:1:1: error: 'eval' has no result to bind to 'x'", "^"),
    ("source", "t.idc:1:1: error: source needs <file>: a .idc file", "^~~~~~"),
    ("plot", "t.idc:1:1: error: plot needs a subcommand: tsne, scores", "^~~~"),
    ("show a names=[b]", "t.idc:1:8: error: parameter 'names' is given twice", "^~~~~"),
    ("feedback ask source=oracle", "t.idc:1:14: error: parameter 'source' is given twice", "^~~~~~"),
  ] as [(String, String, String)])
  func rejections(source: String, firstLine: String, caret: String) throws {
    let rendered = try #require(try validationError(source))
    let lines = rendered.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    #expect(lines[0] == firstLine)
    #expect(lines[1] == source)
    #expect(lines[2].trimmingPrefix(while: { $0 == " " }) == caret)
  }

  @Test func helpLinesOfRejections() throws {
    #expect(
      try validationError("kmeans kk=3") == """
        t.idc:1:8: error: unknown parameter 'kk' for kmeans
        kmeans kk=3
               ^~
        help: did you mean 'k'?

        """)
    #expect(
      try validationError("kmeans zzz=3")?.hasSuffix("help: kmeans takes k, seed, init\n") == true)
    #expect(try validationError("eval x=3")?.hasSuffix("help: eval takes no parameters\n") == true)
    #expect(
      try validationError("kmeans 10")?.hasSuffix("help: parameters are written name=value: k, seed, init\n") == true)
    #expect(try validationError("source")?.hasSuffix("help: usage: source <file>\n") == true)
    #expect(try validationError("x = eval")?.hasSuffix("help: remove 'x ='\n") == true)
    #expect(
      try validationError("plot tnse") == """
        t.idc:1:6: error: unknown plot subcommand 'tnse'
        plot tnse
             ^~~~
        help: did you mean 'tsne'?
        help: the subcommands are tsne, scores

        """)
    #expect(
      try validationError("kmeans k=3 k=4")?.contains("t.idc:1:10: note: first given here\nkmeans k=3 k=4\n         ^") == true)
  }

  @Test func unknownCommands() throws {
    #expect(
      try validationError("kmean k=3") == """
        t.idc:1:1: error: unknown command 'kmean'
        kmean k=3
        ^~~~~
        help: did you mean 'kmeans'?

        """)
    #expect(try validationError("frobnicate")?.hasSuffix("help: type 'help' to list the commands\n") == true)
    #expect(try validationError("exti")?.hasSuffix("help: did you mean 'exit'?\n") == true)
  }

  @Test func hugeRangesAreRefusedAsLists() throws {
    #expect(
      try validationError("train epochs=1..200000")?.hasPrefix(
        "t.idc:1:14: error: epochs gets 200000 values from 1..200000, more than the 100000 a list may hold") == true)
  }
}

@Suite("Substitution")
struct SubstitutionTests {
  @Test func variablesAndInterpolationsAreReplaced() throws {
    var environment = Environment(["s": .word("hard")])
    environment.pushScope()
    environment.define("n", .int(3))
    let arguments = try bound(#"select strategy=$s m=${n}"#, environment: environment)
    #expect(arguments.string("strategy") == "hard")
    #expect(arguments.int("m") == 3)
    #expect(arguments.statement.description == "select strategy=hard m=3")
    let text = try Environment(["s": .word("hard"), "k": .list([.int(1), .string("x")])]).substitute(
      try command(#"set title="run_$s-${k}.csv""#))
    #expect(text.arguments[0].value.value == .string("run_hard-[1, \"x\"].csv"))
    environment.popScope()
    environment.popScope()
    #expect(environment["n"] == nil)
    #expect(environment["s"] == .word("hard"))
    #expect(environment.names == ["s"])
  }

  @Test func unknownVariablesSuggestDefinedOnes() throws {
    #expect(
      try validationError("select strategy=$sx", environment: Environment(["s": .word("hard")])) == """
        t.idc:1:17: error: unknown variable '$sx'
        select strategy=$sx
                        ^~~
        help: did you mean '$s'?

        """)
    #expect(
      try validationError(#"set title="a${zz}""#)
        == "t.idc:1:13: error: unknown variable '$zz'\nset title=\"a${zz}\"\n            ^~~~~\nhelp: variables are defined by loops: for zz in [a, b] { … }\n")
  }

  @Test func substitutionWithAClosure() throws {
    let statement = try command("select strategy=[$a, $b]")
    let resolved = try substitute(statement, lookup: { $0 == "a" ? .word("hard") : $0 == "b" ? .word("rep") : nil })
    #expect(resolved.arguments[0].value.value == .list([.word("hard"), .word("rep")]))
  }

  @Test func loopValues() throws {
    let program = try parsed("for s in 1..7:3 {}\nfor s in [a, [b]] {}\nfor s in $x {}\nfor s in $y {}")
    let loops = program.statements.compactMap { statement -> ForLoop? in
      if case .forLoop(let loop) = statement { return loop }
      return nil
    }
    let environment = Environment(["x": .range(IntRange(1, 2)), "y": .int(4)])
    #expect(Array(try environment.loopValues(loops[0])) == [.int(1), .int(4), .int(7)])
    #expect(try environment.loopValues(loops[0]).count == 3)
    #expect(Array(try environment.loopValues(loops[1])) == [.word("a"), .list([.word("b")])])
    #expect(Array(try environment.loopValues(loops[2])) == [.int(1), .int(2)])
    #expect(throws: Diagnostic.error("cannot loop over an integer '4'", at: loops[3].sequence.location,
      help: "loop over a list such as [a, b] or a range such as 1..5")) {
      try environment.loopValues(loops[3])
    }
  }

  @Test func rangesIterateWithoutOverflow() {
    #expect(Array(IntRange(Int.max - 2, Int.max)) == [Int.max - 2, Int.max - 1, Int.max])
    #expect(IntRange(Int.min, Int.max).count == Int.max)
    #expect(IntRange(0, 10, step: 3).count == 4)
    #expect(Array(IntRange(0, 10, step: 3)) == [0, 3, 6, 9])
  }
}

@Suite("Static check")
struct StaticCheckTests {
  @Test func tourChecksClean() {
    let report = runFrontEnd(source: Fixtures.tour, file: "tour.idc", registry: Fixtures.registry, workspace: [:])
    #expect(report.succeeded, "\(report.rendered())")
  }

  @Test func everyProblemIsReportedOnce() {
    let source = """
      kmeans k=0
      for s in [hard, hrad, hrad] {
        select strategy=$s
        plot tsne highlight=sle
      }
      sel = select
      plot tsne highlight=sel
      evl
      for t in $missing { eval }
      """
    let report = runFrontEnd(source: source, file: "s.idc", registry: Fixtures.registry, workspace: [:])
    #expect(
      report.diagnostics.map(\.description) == [
        "s.idc:1:10: error: k must be in 1...100000, got 0",
        "s.idc:4:23: error: no selection named 'sle'",
        "s.idc:3:19: error: strategy must be one of random, hard, rep, hard+rep, hard+rep+div; got 'hrad'",
        "s.idc:8:1: error: unknown command 'evl'",
        "s.idc:9:10: error: unknown variable '$missing'",
      ])
    #expect(report.rendered().hasPrefix("s.idc:1:10: error: k must be in 1...100000, got 0\nkmeans k=0\n         ^\n"))
  }

  @Test func syntaxErrorsStopTheFrontEnd() {
    let report = runFrontEnd(source: "kmeans k=", file: "s.idc", registry: Fixtures.registry)
    #expect(report.program == nil)
    #expect(report.diagnostics.map(\.message) == ["expected a value after 'k=', got end of line"])
  }
}
