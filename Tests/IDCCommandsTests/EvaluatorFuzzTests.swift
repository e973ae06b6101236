import Foundation
import IDCCommands
import IDCCore
import IDCLang
import Testing

/// 20 000 random and mutated scripts (from the examples and the golden corpus)
/// through lexer, parser, validation and the evaluator, with cheap command
/// implementations: no crash, no hang, and every rejection is a diagnostic
/// with a location inside the script.
@Suite struct EvaluatorFuzzTests {

  static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  static func corpus() -> [String] {
    var texts: [String] = []
    for dir in ["examples", "Tests/IDCCommandsTests/Scripts"] {
      let url = packageRoot.appendingPathComponent(dir)
      for name in ((try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []).sorted() where name.hasSuffix(".idc") {
        if let t = try? String(contentsOf: url.appendingPathComponent(name), encoding: .utf8) { texts.append(t) }
      }
    }
    return texts
  }

  /// Cheap stand-ins with the real specs: each returns a value of its result kind.
  static func cheapTable(budget: Counter) -> CommandTable {
    CommandTable(Commands.registry.commands.map { spec in
      CommandTable.Entry(spec: spec, transcript: .recorded) { @Sendable args, _ in
        if budget.bump() > 2000 { throw CommandError("fuzz budget exhausted") }
        if spec.name == "quit" { throw QuitRequest() }
        switch args.resultKind {
        case .selection: return .selection(Selection(strategy: "random", indices: [0], values: [0]))
        case .feedback: return .feedback(FeedbackSet(queries: [], feedback: Feedback(), source: "fuzz"))
        case .table: return .table(ExperimentTable())
        case nil: return nil
        default: return .metrics(ClusteringMetrics(accuracy: 0, nmi: 0, ari: 0))
        }
      }
    })
  }

  final class Counter: @unchecked Sendable {
    var n = 0
    func bump() -> Int { n += 1; return n }
  }

  static let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789 =[]{}(),.\"'#$\\+-_:/\n\t?%é")
  static let words = Commands.registry.commands.flatMap { [$0.name] + $0.allParameters.map { "\($0.name)=" } }
    + ["for", "in", "{", "}", "[", "]", "$s", "1..3", "\"x\"", "sel", "=", "# %% cell", "\\\n", "-1e9", "99999999999999999999"]

  static func mutate(_ text: String, _ rng: inout SeededGenerator) -> String {
    var chars = Array(text)
    for _ in 0..<(1 + rng.nextInt(below: 4)) {
      switch rng.nextInt(below: 7) {
      case 0 where !chars.isEmpty: chars.remove(at: rng.nextInt(below: max(chars.count, 1)))
      case 1: chars.insert(alphabet[rng.nextInt(below: max(alphabet.count, 1))], at: rng.nextInt(below: max(chars.count + 1, 1)))
      case 2 where !chars.isEmpty: chars[rng.nextInt(below: max(chars.count, 1))] = alphabet[rng.nextInt(below: max(alphabet.count, 1))]
      case 3: chars.insert(contentsOf: " " + words[rng.nextInt(below: max(words.count, 1))] + " ", at: rng.nextInt(below: max(chars.count + 1, 1)))
      case 4: chars = Array(chars.prefix(rng.nextInt(below: max(chars.count + 1, 1))))
      case 5:
        var lines = String(chars).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if !lines.isEmpty { let i = rng.nextInt(below: max(lines.count, 1)); lines.insert(lines[i], at: rng.nextInt(below: max(lines.count + 1, 1))) }
        chars = Array(lines.joined(separator: "\n"))
      default:
        var lines = String(chars).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.count > 1 { lines.swapAt(rng.nextInt(below: max(lines.count, 1)), rng.nextInt(below: max(lines.count, 1))) }
        chars = Array(lines.joined(separator: "\n"))
      }
    }
    return String(chars)
  }

  static func random(_ rng: inout SeededGenerator) -> String {
    (0..<(1 + rng.nextInt(below: 8))).map { _ in
      (0..<(1 + rng.nextInt(below: 6))).map { _ in rng.nextInt(below: 3) == 0 ? String(alphabet[rng.nextInt(below: max(alphabet.count, 1))]) : words[rng.nextInt(below: max(words.count, 1))] }
        .joined(separator: " ")
    }.joined(separator: "\n")
  }

  @Test func twentyThousandScripts() {
    let corpus = Self.corpus()
    #expect(corpus.count >= 8)
    var rng = SeededGenerator(seed: 2024)
    var rejected = 0
    for i in 0..<20_000 {
      let text = i % 5 == 0 ? Self.random(&rng) : Self.mutate(corpus[rng.nextInt(below: max(corpus.count, 1))], &rng)
      let counter = Counter()
      let evaluator = Evaluator(sinks: OutputSinks(output: { _ in }, diagnostics: { _ in }), commands: Self.cheapTable(budget: counter))
      let lineCount = text.split(separator: "\n", omittingEmptySubsequences: false).count
      do {
        try evaluator.run(source: text, file: "fuzz.idc", keepGoing: i % 2 == 0) { failure in
          Self.check(failure.diagnostic, lineCount: lineCount, text: text)
        }
      } catch let failure as EvaluationFailure {
        rejected += 1
        Self.check(failure.diagnostic, lineCount: lineCount, text: text)
        #expect(!evaluator.render(failure.diagnostic).isEmpty)
      } catch is QuitRequest {
      } catch {
        Issue.record("non-diagnostic error \(error) for script:\n\(text)")
      }
    }
    #expect(rejected > 1000, "the fuzzer should hit many errors")
  }

  static func check(_ d: Diagnostic, lineCount: Int, text: String) {
    #expect(d.location.line >= 1 && d.location.line <= lineCount + 1, "line \(d.location.line) of \(lineCount): \(d.message)\n\(text)")
    #expect(d.location.column >= 1, "column \(d.location.column): \(d.message)")
    #expect(d.location.file == "fuzz.idc")
  }
}
