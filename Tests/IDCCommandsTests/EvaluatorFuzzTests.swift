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
  struct SplitMix {
    var state: UInt64
    mutating func next() -> UInt64 {
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(n, 1))) }
  }

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
        case .selection: return .selection(Selection(strategy: .random, indices: [0], values: [0]))
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

  static func mutate(_ text: String, _ rng: inout SplitMix) -> String {
    var chars = Array(text)
    for _ in 0..<(1 + rng.below(4)) {
      switch rng.below(7) {
      case 0 where !chars.isEmpty: chars.remove(at: rng.below(chars.count))
      case 1: chars.insert(alphabet[rng.below(alphabet.count)], at: rng.below(chars.count + 1))
      case 2 where !chars.isEmpty: chars[rng.below(chars.count)] = alphabet[rng.below(alphabet.count)]
      case 3: chars.insert(contentsOf: " " + words[rng.below(words.count)] + " ", at: rng.below(chars.count + 1))
      case 4: chars = Array(chars.prefix(rng.below(chars.count + 1)))
      case 5:
        var lines = String(chars).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if !lines.isEmpty { let i = rng.below(lines.count); lines.insert(lines[i], at: rng.below(lines.count + 1)) }
        chars = Array(lines.joined(separator: "\n"))
      default:
        var lines = String(chars).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.count > 1 { lines.swapAt(rng.below(lines.count), rng.below(lines.count)) }
        chars = Array(lines.joined(separator: "\n"))
      }
    }
    return String(chars)
  }

  static func random(_ rng: inout SplitMix) -> String {
    (0..<(1 + rng.below(8))).map { _ in
      (0..<(1 + rng.below(6))).map { _ in rng.below(3) == 0 ? String(alphabet[rng.below(alphabet.count)]) : words[rng.below(words.count)] }
        .joined(separator: " ")
    }.joined(separator: "\n")
  }

  @Test func twentyThousandScripts() {
    let corpus = Self.corpus()
    #expect(corpus.count >= 8)
    var rng = SplitMix(state: 2024)
    var rejected = 0
    for i in 0..<20_000 {
      let text = i % 5 == 0 ? Self.random(&rng) : Self.mutate(corpus[rng.below(corpus.count)], &rng)
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
