import Foundation
import IDCCommands
import IDCCore
import IDCTerminal

/// Builds the session (workspace, evaluator, sinks, interrupts, progress)
/// and runs a script, `-e` statements, or the REPL.
struct Launcher {
  var options: ScriptOptions

  func launch(file: String?, statements: [String]) -> Int32 {
    let progress = ProgressBar()
    // Output clears a progress bar first, so results never share its line.
    let sinks = OutputSinks(
      output: { text in progress.finish(); FileHandle.standardOutput.write(Data(text.utf8)) },
      diagnostics: { text in progress.finish(); FileHandle.standardError.write(Data(text.utf8)) })
    let evaluator = Evaluator(sinks: sinks) {
      Interrupts.beginCommand()
      return WorkMonitor(
        isCancelled: { Interrupts.isInterrupted },
        progress: { label, done, total in progress.update(label: label, done: done, total: total) })
    }
    let ws = evaluator.workspace
    if let seed = options.seed { ws.options.seed = seed }
    ws.options.echo = options.echo
    Interrupts.install()
    var runner = ScriptRunner(evaluator: evaluator)
    runner.keepGoing = options.keepGoing
    runner.useColor = TerminalStyle(fileDescriptor: 2).isEnabled

    if let file {
      // A script may still ask a person: answers come from stdin, one per line.
      let reader = StandardInputAnswerReader()
      evaluator.answerReader = reader
      let code = runner.run(file: file, fromCell: options.from)
      progress.finish()
      return code
    }
    if !statements.isEmpty {
      let code = runner.run(source: statements.joined(separator: "\n"), file: "<command line>")
      progress.finish()
      return code
    }
    let repl = REPL(evaluator: evaluator, progress: progress, loadRC: !options.noRc, recoverFirst: options.recover)
    return repl.run()
  }
}

/// Answers read from stdin, one per line, with the prompt on stderr (for
/// `feedback ask` inside a script file).
final class StandardInputAnswerReader: AnswerReader {
  func readAnswer(prompt: String) -> String? {
    FileHandle.standardError.write(Data(prompt.utf8))
    return Swift.readLine(strippingNewline: true)
  }
}
