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
  let editor = LineEditor()
  private var entry = 0

  init(evaluator: Evaluator, progress: ProgressBar, loadRC: Bool) {
    self.evaluator = evaluator
    self.progress = progress
    self.loadRC = loadRC
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
                       pathCompleter: REPL.completePath)
      return (c.start, c.candidates)
    }
    startRecoveryScript()
    print("idc — interactive deep clustering. Type 'help' for the commands, 'load digits' to begin, Ctrl-D to leave.")
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
        FileHandle.standardError.write(Data((evaluator.render(diagnostic, useColor: TerminalStyle(fileDescriptor: 2).isEnabled) + "\n").utf8))
        pending = ""
      case .complete(let program):
        editor.add(pending.trimmingCharacters(in: .newlines))
        evaluator.register(source: pending, file: file)
        pending = ""
        do {
          try evaluator.run(program.statements)
        } catch let failure as EvaluationFailure {
          FileHandle.standardError.write(Data((evaluator.render(failure.diagnostic, useColor: TerminalStyle(fileDescriptor: 2).isEnabled) + "\n").utf8))
        } catch is QuitRequest {
          progress.finish()
          return 0
        } catch {
          FileHandle.standardError.write(Data("idc: \(error)\n".utf8))
        }
        progress.finish()
        Interrupts.endCommand()
      }
    }
  }

  /// `~/.idc_session.idc`: every statement that ran, appended as it succeeds,
  /// so a session killed mid-way is replayed with `source ~/.idc_session.idc`
  /// (answers given at `feedback ask` are in their journal as well).
  func startRecoveryScript() {
    guard let home = ProcessInfo.processInfo.environment["HOME"] else { return }
    let path = home + "/.idc_session.idc"
    guard FileManager.default.createFile(atPath: path, contents: Data("# idc session (replay with: source \(path))\n".utf8)),
          let handle = FileHandle(forWritingAtPath: path) else { return }
    _ = try? handle.seekToEnd()
    evaluator.transcriptSink = { line in
      try? handle.write(contentsOf: Data((line + "\n").utf8))
      try? handle.synchronize()
    }
    print("(statements are also written to \(path); after a crash: source \(path))")
  }

  func readAnswer(prompt: String) -> String? {
    switch editor.readLine(prompt: prompt) {
    case .line(let text): return text
    case .interrupted: return "q"
    case .endOfFile: return nil
    }
  }

  /// File-system completion for paths: entries of the directory part that start with the rest.
  static func completePath(_ partial: String) -> [String] {
    let fm = FileManager.default
    let slash = partial.lastIndex(of: "/")
    let directory = slash.map { String(partial[...$0]) } ?? ""
    let stem = slash.map { String(partial[partial.index(after: $0)...]) } ?? partial
    let listed = (try? fm.contentsOfDirectory(atPath: directory.isEmpty ? "." : directory)) ?? []
    return listed.filter { $0.hasPrefix(stem) && !$0.hasPrefix(".") || (stem.hasPrefix(".") && $0.hasPrefix(stem)) }.sorted().map { name in
      var isDirectory: ObjCBool = false
      let path = directory + name
      _ = fm.fileExists(atPath: path, isDirectory: &isDirectory)
      return isDirectory.boolValue ? path + "/" : path
    }
  }
}
