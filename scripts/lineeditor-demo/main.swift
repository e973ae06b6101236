// lineeditor-demo: a tiny echo REPL on IDCTerminal, driven by scripts/repl-smoke-lineeditor.sh.
//
// Commands (all fake): `kmeans`, `kernel`, `load` echo their line; `sleep5` works for five
// seconds with a progress bar and stops at Ctrl-C (it polls the interrupt flag every 100 ms);
// `hang5` sleeps five seconds without polling (a second Ctrl-C ends the process with 130);
// `quit` or Ctrl-D exits. A line ending in `\` continues on a `...> ` prompt.
// Usage: lineeditor-demo [--history PATH]
import IDCTerminal

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

var historyPath = LineHistory.defaultPath
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
  if argument == "--history", let path = arguments.popFirst() {
    historyPath = path
  } else {
    print("usage: lineeditor-demo [--history PATH]")
    exit(64)
  }
}

let commands = ["kmeans", "kernel", "load", "sleep5", "hang5", "quit"]
let parameters = ["kmeans": ["k=", "seed="], "kernel": ["gamma="], "load": ["features=", "labels="]]

let editor = LineEditor(historyPath: historyPath)
editor.completer = { line, cursor in
  let before = Array(line.utf8.prefix(cursor))
  let wordStart = before.lastIndex(where: { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "=") }).map { $0 + 1 } ?? 0
  let partial = String(decoding: before[wordStart...], as: UTF8.self)
  let words = String(decoding: before[..<wordStart], as: UTF8.self).split(separator: " ")
  guard let command = words.first else {
    return (wordStart, commands.filter { $0.hasPrefix(partial) })
  }
  return (wordStart, (parameters[String(command)] ?? []).filter { $0.hasPrefix(partial) })
}

let style = TerminalStyle(fileDescriptor: 1)
let bar = ProgressBar()
var pending = ""

func run(_ statement: String) {
  switch statement.split(separator: " ").first.map(String.init) ?? "" {
  case "quit":
    print("bye")
    exit(0)
  case "sleep5":
    Interrupts.beginCommand()
    defer { Interrupts.endCommand() }
    for step in 0..<50 {
      if Interrupts.isCancelled() {
        bar.finish()
        print(style.yellow("sleep5 interrupted after \(step * 100) ms"))
        return
      }
      bar.update(label: "sleep5", done: step, total: 50)
      usleep(100_000)
    }
    bar.finish()
    print(style.green("sleep5 done"))
  case "hang5":
    Interrupts.beginCommand()
    defer { Interrupts.endCommand() }
    print("hang5: not polling for 5 s")
    let end = ContinuousClock.now + .seconds(5)
    while ContinuousClock.now < end { usleep(50_000) }  // a signal cuts one usleep short, not the wait
    print("hang5 done (interrupted: \(Interrupts.isInterrupted))")
  default:
    print("echo: \(statement)")
  }
}

while true {
  switch editor.readLine(prompt: pending.isEmpty ? style.bold("demo>", inPrompt: true) + " " : "...> ") {
  case .endOfFile:
    print("bye")
    exit(0)
  case .interrupted:
    pending = ""
  case .line(let line):
    if line.hasSuffix("\\") {
      pending += line.dropLast() + " "
      continue
    }
    let statement = pending + line
    pending = ""
    editor.add(statement)
    run(statement)
  }
}
