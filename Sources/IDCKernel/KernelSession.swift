import Foundation
import IDCCommands
import IDCCore
import IDCLang
import IDCTerminal

/// The idc session behind a kernel: the same workspace, evaluator and commands as the REPL and
/// scripts, with output routed to the notebook. A cell is a script fragment (several
/// statements, `for` loops, `# %%` markers).
final class KernelSession {
  let evaluator: Evaluator
  let output: KernelOutput
  let answers: KernelAnswerReader
  /// A session that ended without quitting, named in the banner (run `recover` to replay it).
  private(set) var crashedSession: (path: String, statements: Int)?

  init(output: KernelOutput, answers: KernelAnswerReader) {
    self.output = output
    self.answers = answers
    let sinks = OutputSinks(
      output: { [output] text in output.stream("stdout", text) },
      diagnostics: { [output] text in output.stream("stderr", text) },
      rich: { [output] rich in output.show(rich) })
    evaluator = Evaluator(sinks: sinks) { [output] in
      WorkMonitor(isCancelled: Interrupts.isCancelled, progress: { label, done, total in
        output.progress(label: label, done: done, total: total)
      })
    }
    evaluator.answerReader = answers
    evaluator.workspace.options.plotTerminal = .png
    startSessionLog()
  }

  /// Like the REPL, every statement that ran is appended to this session's script in
  /// `~/.idc/sessions` (or `$IDC_SESSION_DIR`), so a killed kernel can be replayed with `recover`.
  private func startSessionLog() {
    guard let directory = SessionLog.directory() else { return }
    if let crashed = SessionLog.lastCrashed(in: directory) { crashedSession = (crashed.path, crashed.statements) }
    do {
      _ = try SessionLog.record(evaluator, in: directory)
    } catch {
      notRecorded = "\(error)"
      FileHandle.standardError.write(Data("idc kernel: \(error) — this session is not recorded\n".utf8))
    }
  }

  /// Why this session has no session script (shown in the banner), or nil.
  private(set) var notRecorded: String?

  /// Ends the session: the session script gets its end marker, gnuplot is closed.
  func close() {
    evaluator.workspace.sessionLog?.close()
    evaluator.workspace.plotSession.close()
  }

  enum Outcome {
    case ok
    case error(name: String, value: String, traceback: [String])
    case quit
  }

  /// Runs a cell named `file` (`cell[3]`), statement by statement; the first failure stops it.
  func execute(_ code: String, file: String) -> Outcome {
    Interrupts.clear()
    do {
      let program = try evaluator.parse(code, file: file)
      let statements = program.statements
      for (i, statement) in statements.enumerated() {
        output.isLastStatement = i == statements.count - 1
        output.beginStatement()
        defer { output.endStatement() }
        try evaluator.execute(statement)
      }
      return .ok
    } catch let failure as EvaluationFailure {
      let name = switch failure.kind {
      case .syntax: "SyntaxError"
      case .command: "Error"
      case .interrupted: "Interrupted"
      }
      let rendered = evaluator.render(failure, useColor: true)
      var lines = rendered.components(separatedBy: "\n")
      while lines.last?.isEmpty == true { lines.removeLast() }
      return .error(name: name, value: failure.diagnostic.message, traceback: lines)
    } catch is QuitRequest {
      return .quit
    } catch {
      return .error(name: "Error", value: "\(error)", traceback: ["idc: \(error)"])
    }
  }

  /// Completion at `cursor` (in Unicode scalars, as the protocol counts) of a possibly
  /// multi-line cell: the REPL's completer on the cursor's line.
  func complete(_ code: String, cursor: Int) -> (matches: [String], start: Int, end: Int) {
    let (line, lineStart, column) = Self.line(of: code, at: cursor)
    let utf8Cursor = line.unicodeScalars.prefix(column).reduce(0) { $0 + UTF8.width($1) }
    let c = IDCLang.complete(line: line, cursor: utf8Cursor, registry: evaluator.registry,
                             workspaceNames: Array(evaluator.workspace.named.keys), variables: evaluator.environment.names,
                             pathCompleter: PathCompletion.complete)
    let startColumn = String(decoding: Array(line.utf8).prefix(c.start), as: UTF8.self).unicodeScalars.count
    return (c.candidates, lineStart + startColumn, lineStart + column)
  }

  /// The help of the command on the cursor's line (`train`, `feedback ask`), or nil.
  func inspect(_ code: String, cursor: Int) -> String? {
    let (line, _, _) = Self.line(of: code, at: cursor)
    var words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
    if words.count >= 2, words[1] == "=" { words.removeFirst(2) }
    if let first = words.first, first.hasPrefix("?") { words[0] = String(first.dropFirst()) }
    guard let first = words.first else { return nil }
    let registry = evaluator.registry
    if words.count >= 2, let text = registry.helpText(for: "\(first) \(words[1])") { return text }
    return registry.helpText(for: first)
  }

  /// `complete`, `incomplete` (with an indent for an open loop body or list) or `invalid`.
  func isComplete(_ code: String) -> (status: String, indent: String?) {
    switch checkComplete(code, file: "<cell>") {
    case .complete: return ("complete", nil)
    case .invalid: return ("invalid", nil)
    case .incomplete(let diagnostic):
      let opened = diagnostic.message.contains("'{'") || diagnostic.message.contains("'['")
      return ("incomplete", opened ? "  " : "")
    }
  }

  /// The line holding scalar offset `cursor`, the scalar offset where it starts, and the
  /// cursor's column in it.
  static func line(of code: String, at cursor: Int) -> (String, Int, Int) {
    let scalars = Array(code.unicodeScalars)
    let cursor = min(max(0, cursor), scalars.count)
    var start = cursor
    while start > 0 && scalars[start - 1] != "\n" { start -= 1 }
    var end = cursor
    while end < scalars.count && scalars[end] != "\n" { end += 1 }
    var line = String.UnicodeScalarView()
    line.append(contentsOf: scalars[start..<end])
    return (String(line), start, cursor - start)
  }
}
