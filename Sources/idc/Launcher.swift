import Foundation
import IDCCommands
import IDCCore
import IDCTerminal

/// Builds the session (workspace, evaluator, sinks, interrupts, progress)
/// and runs a script, `-e` statements, or the REPL.
struct Launcher {
  var options: ScriptOptions

  func launch(file: String?, statements: [String]) -> Int32 {
    let sinks = OutputSinks(
      output: { text in FileHandle.standardOutput.write(Data(text.utf8)) },
      diagnostics: { text in FileHandle.standardError.write(Data(text.utf8)) })
    let progress = ProgressBar()
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
      let code = runner.run(file: file, fromCell: options.from)
      progress.finish()
      return code
    }
    if !statements.isEmpty {
      let code = runner.run(source: statements.joined(separator: "\n"), file: "<command line>")
      progress.finish()
      return code
    }
    let repl = REPL(evaluator: evaluator, progress: progress, loadRC: !options.noRc)
    return repl.run()
  }
}
