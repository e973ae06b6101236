import Testing

import IDCLang

/// SplitMix64 (Steele, Lea & Flood 2014): a tiny seeded generator, so every run fuzzes the same
/// scripts and a failure reproduces from its shard and index.
struct SplitMix64: RandomNumberGenerator {
  var state: UInt64

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

private enum FuzzCorpus {
  static let seeds: [String] = [
    Fixtures.tour,
    """
    # preamble comment
    train epochs=[1,
      2, 3] lr=1e-3 \\
      verbose=on
    # %% loops
    for k in 2..10:4 {
      for s in $strategies { select strategy=$s m=$k
        set title="run_${s}_$k" }
    }
    show sel model
    ?kmeans
    """,
    "load features=\"f.npy\" labels='y.npy'\nkmeans k=-1 seed=1e3 init=RANDOM\nplot tnse\nx = eval\n",
    "for s in [a, [b, c], 1..3,] {\n}\nfeedback file=\"answers.csv\" t=5\nsource other.idc\nquit\n",
    "set title=\"tab\\there \\u{e9} \\$5\" echo=yes\r\nshow\t[sel, model]\r\n# %% \u{e9}t\u{e9}\r\nhelp plot\n",
  ]

  static let fragments: [String] = [
    "for", "in", "{", "}", "[", "]", "(", ")", ",", "=", " = ", "\\\n", "\\", "\n", "\n\n", "#", "# %% cell\n", "$s", "${s}",
    "$", "${", "\"", "'", "\"a$s\"", "'q'", "1..5", "0..10:2", "5..1", "1..5:0", "-3", "+4", "1e-3", "1e999", ".5",
    "99999999999999999999", "kmeans", "km", "select", "plot tsne", "feedback", "train", "eval", "show", "load digits",
    "strategy=", "k=", "m=", "highlight=sel", "hard+rep", "data/x.npy", "?", "?kmeans", "x = ", "é", "\t", "\r\n", " ",
    "\u{0}", "\u{1F600}", "\\u{41}", "\"\\q\"", "\"unterminated", "[[[[", "]]]]", "{{", "}}", "for s in [a] {", "sel",
  ]

  static let alphabet: [Unicode.Scalar] = Array("abcxyz019 =[]{}(),\"'#$\\.:+-_%?\n\t\r/".unicodeScalars) + ["é", "\u{0}", "\u{2028}"]
}

private struct Mutator {
  var rng: SplitMix64

  mutating func int(_ range: Range<Int>) -> Int { Int.random(in: range, using: &rng) }

  mutating func pick<T>(_ items: [T]) -> T { items[int(0..<items.count)] }

  mutating func script() -> String {
    if int(0..<4) == 0 {
      var text = ""
      for _ in 0..<int(1..<40) { text += pick(FuzzCorpus.fragments) + pick([" ", " ", "", "\n"]) }
      return text
    }
    var text = pick(FuzzCorpus.seeds)
    for _ in 0..<int(1..<5) { text = mutate(text) }
    return text
  }

  mutating func mutate(_ text: String) -> String {
    var scalars = Array(text.unicodeScalars)
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let position = int(0..<(scalars.count + 1))
    switch int(0..<9) {
    case 0:
      scalars.insert(pick(FuzzCorpus.alphabet), at: position)
    case 1:
      scalars.removeSubrange(position..<min(scalars.count, position + int(1..<6)))
    case 2:
      if position < scalars.count { scalars[position] = pick(FuzzCorpus.alphabet) }
    case 3:
      scalars.insert(contentsOf: pick(FuzzCorpus.fragments).unicodeScalars, at: position)
    case 4:
      scalars.removeSubrange(position...)
    case 5:
      let line = int(0..<lines.count)
      lines.insert(lines[line], at: line)
      return lines.joined(separator: "\n")
    case 6:
      let (a, b) = (int(0..<lines.count), int(0..<lines.count))
      lines.swapAt(a, b)
      return lines.joined(separator: "\n")
    case 7:
      lines.remove(at: int(0..<lines.count))
      return lines.joined(separator: "\n")
    default:
      var words = text.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
      words[int(0..<words.count)] = pick(FuzzCorpus.fragments)
      return words.joined(separator: " ")
    }
    var result = ""
    result.unicodeScalars.append(contentsOf: scalars)
    return result
  }
}

/// Records an issue unless `diagnostic` points inside `source` and renders.
private func expectWellFormed(_ diagnostic: Diagnostic, in source: String, context: String) {
  #expect(isWithin(diagnostic.location, source), "\(context): \(diagnostic) is outside the source")
  for note in diagnostic.notes {
    if let location = note.location { #expect(isWithin(location, source), "\(context): note \(location) outside") }
  }
  let rendered = DiagnosticRenderer(file: diagnostic.location.file, source: source).render(diagnostic)
  #expect(rendered.hasPrefix(diagnostic.description + "\n"), "\(context)")
}

@Suite("Fuzz")
struct FuzzTests {
  static let scriptsPerShard = 5_000

  /// 4 × 5 000 random and mutated scripts through the lexer, the parser, the static checker
  /// (substitution and validation), formatting and completion: nothing crashes or hangs, every
  /// rejection is a diagnostic located inside the source, and formatting a parsed program gives
  /// text that parses back to the same text.
  @Test(.timeLimit(.minutes(1)), arguments: 0..<4)
  func scriptsNeverCrashAndErrorsAreLocated(shard: Int) throws {
    var mutator = Mutator(rng: SplitMix64(state: 0x1DC_0000 + UInt64(shard)))
    let variables: [String: Value] = ["strategies": .list([.word("hard"), .word("rep")]), "s": .word("hard"), "k": .int(3)]
    var outcomes = [0, 0, 0]
    for index in 0..<Self.scriptsPerShard {
      let source = mutator.script()
      let context = "shard \(shard) script \(index): \(source.debugDescription)"
      let lexer = Lexer(source: source, file: "f.idc")
      for diagnostic in lexer.diagnostics { expectWellFormed(diagnostic, in: source, context: context) }
      let lengths = lineLengths(source)
      if let token = lexer.tokens.first(where: { !isWithin($0.location, lineLengths: lengths) }) {
        Issue.record("\(context): token \(token) at \(token.location) is outside the source")
      }

      switch checkComplete(source, file: "f.idc") {
      case .complete(let program):
        outcomes[0] += 1
        let workspace: [String: ValueKind]? = index % 2 == 0 ? [:] : nil
        for diagnostic in checkProgram(program, registry: Fixtures.registry, variables: variables, workspace: workspace) {
          expectWellFormed(diagnostic, in: source, context: context)
        }
        let formatted = program.description
        do throws(Diagnostic) {
          #expect(try parse(formatted, file: "g.idc").description == formatted, "\(context)")
        } catch {
          Issue.record("\(context): formatted text \(formatted.debugDescription) does not parse: \(error)")
        }
      case .incomplete(let diagnostic):
        outcomes[1] += 1
        #expect(diagnostic.isIncomplete)
        expectWellFormed(diagnostic, in: source, context: context)
      case .invalid(let diagnostic):
        outcomes[2] += 1
        #expect(!diagnostic.isIncomplete)
        expectWellFormed(diagnostic, in: source, context: context)
      }

      let cursor = mutator.int(0..<(source.utf8.count + 1))
      let completion = complete(
        line: source, cursor: cursor, registry: Fixtures.registry, workspaceNames: ["sel"], variables: ["s"],
        pathCompleter: { [$0 + "x.npy"] })
      #expect(completion.start <= cursor)
    }
    #expect(outcomes.allSatisfy { $0 > Self.scriptsPerShard / 50 }, "too few of some outcome: \(outcomes)")
  }
}
