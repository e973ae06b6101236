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
    let injected = InjectedInterrupt(ProcessInfo.processInfo.environment["IDC_TEST_SIGINT_AT"])
    let evaluator = Evaluator(sinks: sinks) {
      Interrupts.beginCommand()
      return WorkMonitor(
        isCancelled: { Interrupts.isInterrupted },
        progress: { label, done, total in
          injected?.check(label: label, done: done)
          progress.update(label: label, done: done, total: total)
        })
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

/// For end-to-end tests of work too short to interrupt by hand: `IDC_TEST_SIGINT_AT=LABEL:N`
/// sends this process a real SIGINT (the Ctrl-C path, handler and all) once the work labelled
/// `LABEL…` reports `N` units done. Unset, it does nothing.
final class InjectedInterrupt: @unchecked Sendable {
  let label: String
  let step: Int
  private let lock = NSLock()
  private var fired = false

  init?(_ setting: String?) {
    guard let setting, let colon = setting.lastIndex(of: ":"), let step = Int(setting[setting.index(after: colon)...]) else { return nil }
    label = String(setting[..<colon])
    self.step = step
  }

  func check(label: String, done: Int) {
    guard label.hasPrefix(self.label), done >= step else { return }
    lock.lock()
    defer { lock.unlock() }
    if !fired {
      fired = true
      raise(SIGINT)
    }
  }
}
