import Foundation
import IDCLang
import Testing

@testable import IDCCommands

/// Everything a front end with a rich sink (the Jupyter kernel) receives: pictures as PNG (and
/// SVG), results gathered into one, tables as HTML/Markdown, queries as one picture; and
/// answers that cannot be asked.
final class RichCapture: @unchecked Sendable {
  private let lock = NSLock()
  private var items: [RichOutput] = []
  private var out = ""
  var outputs: [RichOutput] { lock.withLock { items } }
  var stdout: String { lock.withLock { out } }
  var sinks: OutputSinks {
    OutputSinks(output: { text in self.lock.withLock { self.out += text } }, diagnostics: { _ in },
                rich: { item in self.lock.withLock { self.items.append(item) } })
  }
}

/// Answers from a list; or none, with a reason.
final class ScriptedAnswers: AnswerReader {
  var answers: [String]
  let reason: String?
  private(set) var prompts: [String] = []
  init(_ answers: [String], reason: String? = nil) {
    self.answers = answers
    self.reason = reason
  }
  var unavailableReason: String? { reason }
  func readAnswer(prompt: String) -> String? {
    prompts.append(prompt)
    return answers.isEmpty ? nil : answers.removeFirst()
  }
}

@Suite(.serialized) struct RichOutputTests {
  static let pngMagic: [UInt8] = [0x89, 0x50, 0x4E, 0x47]

  func session(_ capture: RichCapture, _ script: String, answers: AnswerReader? = nil) -> Int32 {
    let evaluator = Evaluator(sinks: capture.sinks)
    evaluator.workspace.options.plotTerminal = .png
    evaluator.workspace.options.outputDirectory = NSTemporaryDirectory()
    evaluator.answerReader = answers
    return ScriptRunner(evaluator: evaluator).run(source: script, file: "rich.idc")
  }

  @Test func plotsWithoutAFileAreShownInline() {
    let capture = RichCapture()
    #expect(session(capture, "load digits\nkmeans k=10 n_init=1 seed=0\nscore\nplot scores\nset plot=svg\nplot scores\n") == 0)
    let figures = capture.outputs.filter { $0.role == .figure }
    #expect(figures.count == 2)
    #expect(figures.allSatisfy { Array($0.png?.prefix(4) ?? []) == Self.pngMagic })
    #expect(figures[0].svg == nil)
    #expect(figures[1].svg?.contains("<svg") == true)
    #expect(figures.allSatisfy { ($0.displayWidth ?? 0) > 0 && ($0.displayWidth ?? 0) <= PlotCommand.notebookWidth })
    #expect(!capture.stdout.contains("wrote"), "no numbered plot files in a notebook")
  }

  @Test func aFileIsWrittenAndShown() throws {
    let capture = RichCapture()
    let file = NSTemporaryDirectory() + "/idc-rich-\(UUID().uuidString).png"
    defer { try? FileManager.default.removeItem(atPath: file) }
    #expect(session(capture, "load digits\nkmeans k=10 n_init=1 seed=0\nscore\nplot scores to=\"\(file)\"\n") == 0)
    #expect(FileManager.default.fileExists(atPath: file))
    #expect(capture.stdout.contains("wrote \(file)"))
    #expect(capture.outputs.filter { $0.role == .figure }.count == 1)
  }

  @Test func showIsOneResultAndTablesHaveHTML() {
    let capture = RichCapture()
    #expect(session(capture, "load digits\nkmeans k=10 n_init=1 seed=0\nshow\neval\n") == 0)
    let results = capture.outputs.filter { $0.role == .result }
    #expect(results.count == 2)
    #expect(results[0].plain.hasPrefix("data: digits, 1797 × 64, labelled\npre-trained: kmeans"))
    #expect(results[1].plain.contains("ACC"))
    #expect(results[1].html?.hasPrefix("<table>") == true)
    #expect(results[1].markdown?.contains("| ACC |") == true)
  }

  @Test func queriesAreOnePictureEach() {
    let capture = RichCapture()
    let answers = ScriptedAnswers(["1", "0", "q"])
    let journal = NSTemporaryDirectory() + "/idc-rich-\(UUID().uuidString).csv"
    defer { try? FileManager.default.removeItem(atPath: journal) }
    #expect(session(capture, "load digits\nkmeans k=10 n_init=1 seed=0\nselect m=4\nfeedback ask t=3 journal=\"\(journal)\"\n",
                    answers: answers) == 0)
    let sheets = capture.outputs.filter { $0.role == .figure && $0.png != nil }
    #expect(sheets.count == 3)
    #expect(answers.prompts.count == 3)
    #expect(capture.stdout.contains("── query 1 of 4: sample"))
    #expect(capture.stdout.contains("2 answers (ask): 1 positive"))
  }

  @Test func askSaysWhyItCannotAsk() {
    let capture = RichCapture()
    let evaluator = Evaluator(sinks: capture.sinks)
    let reader = ScriptedAnswers([], reason: "this client allows no input")  // the evaluator holds it weakly
    evaluator.answerReader = reader
    var failure: EvaluationFailure?
    do {
      try evaluator.run(source: "load digits\nkmeans k=10 n_init=1 seed=0\nselect m=4\nfeedback ask\n", file: "ask.idc")
    } catch let error as EvaluationFailure {
      failure = error
    } catch {
      Issue.record("unexpected \(error)")
    }
    #expect(failure?.diagnostic.message == "'feedback ask' cannot ask here: this client allows no input")
    #expect(failure?.diagnostic.help?.contains("feedback oracle") == true)
    #expect(failure.map { evaluator.render($0) }?.contains("ask.idc:4:1") == true)
    #expect(reader.prompts.isEmpty)
  }

  /// At a terminal whose plots are sixel graphics, a query is the same picture, as sixels.
  @Test func sixelTerminalShowsQueriesAsPictures() {
    let capture = Capture()
    let evaluator = Evaluator(sinks: capture.sinks)
    let answers = ScriptedAnswers(["q"])
    evaluator.answerReader = answers
    let journal = NSTemporaryDirectory() + "/idc-sixel-\(UUID().uuidString).csv"
    defer { try? FileManager.default.removeItem(atPath: journal) }
    let code = ScriptRunner(evaluator: evaluator).run(
      source: "load digits\nkmeans k=10 n_init=1 seed=0\nselect m=2\nset plot=sixelgd\nfeedback ask journal=\"\(journal)\"\n", file: "s.idc")
    #expect(code == 0, "\(capture.stderr)")
    #expect(capture.stdout.contains("\u{1B}P"), "a sixel image (DCS) in the output")
    #expect(!capture.stdout.contains("this sample:"), "not the character art")
  }

  @Test func textTableForms() {
    let table = TextTable(header: ["a", "b|c"], rows: [["<1>", "2"]])
    #expect(table.aligned == "a    b|c\n<1>  2")
    #expect(table.markdown == "| a | b\\|c |\n|---|---|\n| <1> | 2 |")
    #expect(table.html(caption: "x & y") == "<table><caption>x &amp; y</caption><thead><tr><th>a</th><th>b|c</th></tr></thead><tbody><tr><td>&lt;1&gt;</td><td>2</td></tr></tbody></table>")
  }
}
