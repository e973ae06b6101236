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
        _ = try? evaluator.parse(pending, file: file)  // registers the text for the caret
        FileHandle.standardError.write(Data((evaluator.render(diagnostic, useColor: TerminalStyle(fileDescriptor: 2).isEnabled) + "\n").utf8))
        pending = ""
      case .complete(let program):
        editor.add(pending.trimmingCharacters(in: .newlines))
        _ = try? evaluator.parse(pending, file: file)
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
      fm.fileExists(atPath: path, isDirectory: &isDirectory)
      return isDirectory.boolValue ? path + "/" : path
    }
  }
}
