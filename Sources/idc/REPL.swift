import Foundation
import IDCCommands
import IDCLang
import IDCTerminal

/// The interactive session: prompt, history, completion, continuation lines
/// for incomplete input, Ctrl-C back to the prompt with the session intact.
/// When stdin is not a terminal, stdin runs as a script without prompts.
final class REPL: AnswerReader {
  let evaluator: Evaluator
  let progress: ProgressBar
  let loadRC: Bool
  /// Run `recover` before the first prompt (`idc --recover`).
  let recoverFirst: Bool
  let editor = LineEditor()
  private var entry = 0

  init(evaluator: Evaluator, progress: ProgressBar, loadRC: Bool, recoverFirst: Bool = false) {
    self.evaluator = evaluator
    self.progress = progress
    self.loadRC = loadRC
    self.recoverFirst = recoverFirst
  }

  func run() -> Int32 {
    evaluator.answerReader = self
    let runner = ScriptRunner(evaluator: evaluator)
    if loadRC, let home = ProcessInfo.processInfo.environment["HOME"], FileManager.default.fileExists(atPath: home + "/.idcrc") {
      _ = runner.run(file: home + "/.idcrc")
    }
    guard editor.isInteractive else {
      let input = FileHandle.standardInput.readDataToEndOfFile()
      let code = runner.run(source: String(decoding: input, as: UTF8.self), file: "<stdin>")
      progress.finish()
      return code
    }
    editor.completer = { [evaluator] line, cursor in
      let c = complete(line: line, cursor: cursor, registry: evaluator.registry,
                       workspaceNames: Array(evaluator.workspace.named.keys), variables: evaluator.environment.names,
                       pathCompleter: PathCompletion.complete)
      return (c.start, c.candidates)
    }
    print("idc — interactive deep clustering. Type 'help' for the commands, 'load digits' to begin, Ctrl-D to leave.")
    startRecoveryScript()
    defer { evaluator.workspace.sessionLog?.close() }
    if recoverFirst { runEntry("recover") }
    var pending = ""
    while true {
      switch editor.readLine(prompt: pending.isEmpty ? "idc> " : "...> ") {
      case .endOfFile:
        print("")
        return 0
      case .interrupted:
        pending = ""
        continue
      case .line(let line):
        pending += line + "\n"
      }
      entry += 1
      let file = "<input \(entry)>"
      switch checkComplete(pending, file: file) {
      case .incomplete:
        entry -= 1
        continue
      case .invalid(let diagnostic):
        editor.add(pending.trimmingCharacters(in: .newlines))
        evaluator.register(source: pending, file: file)
        report(evaluator.render(diagnostic, useColor: TerminalStyle(fileDescriptor: 2).isEnabled))
        pending = ""
      case .complete(let program):
        editor.add(pending.trimmingCharacters(in: .newlines))
        evaluator.register(source: pending, file: file)
        pending = ""
        if !run(program.statements) { return 0 }
      }
    }
  }

  /// Runs statements; false when `quit` asked to end the session.
  func run(_ statements: [Statement]) -> Bool {
    defer {
      progress.finish()
      Interrupts.endCommand()
    }
    do {
      try evaluator.run(statements)
    } catch let failure as EvaluationFailure {
      report(evaluator.render(failure, useColor: TerminalStyle(fileDescriptor: 2).isEnabled))
    } catch is QuitRequest {
      return false
    } catch {
      report("idc: \(error)")
    }
    return true
  }

  /// Runs one line typed for the user (`recover` for `idc --recover`).
  func runEntry(_ line: String) {
    entry += 1
    guard case .complete(let program) = checkComplete(line, file: "<input \(entry)>") else { return }
    evaluator.register(source: line, file: "<input \(entry)>")
    _ = run(program.statements)
  }

  /// An error or interrupt on stderr, on a line of its own: the progress bar (and the
  /// terminal's echoed ^C) are cleared first.
  func report(_ text: String) {
    progress.finish()
    FileHandle.standardError.write(Data(("\r\u{1B}[K" + text + "\n").utf8))
  }

  /// This session's recovery script (one file per session, see ``SessionLog``): every
  /// statement that ran, appended as it succeeds; the banner names an earlier session that
  /// did not end cleanly, which `recover` replays.
  func startRecoveryScript() {
    guard let directory = SessionLog.directory() else { return }
    let crashed = SessionLog.lastCrashed(in: directory)
    do {
      let log = try SessionLog.record(evaluator, in: directory)
      print("(this session is recorded in \(log.path))")
    } catch {
      report("idc: \(error) — this session is not recorded")
    }
    if let crashed, !recoverFirst {
      print("(the session in \(crashed.path) ended without quitting: type 'recover' to replay its \(crashed.statements) statements)")
    }
  }

  func readAnswer(prompt: String) -> String? {
    switch editor.readLine(prompt: prompt) {
    case .line(let text): return text
    case .interrupted: return "q"
    case .endOfFile: return nil
    }
  }
}
