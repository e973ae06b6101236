import ArgumentParser
import Foundation
import IDCCommands
import IDCLang

/// The `idc` executable: flags and wiring only.
@main
struct IDC: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "idc",
    abstract: "idc — a workbench for interactive deep clustering (IDC, Liu et al. NeurIPS 2024).",
    discussion: """
      Without a file, idc starts an interactive session (or reads a script from stdin when it is not a terminal).
      Type 'help' inside for the commands.
      """,
    version: (["idc \(IDCVersion.current)"] + BLASStartup.status.lines).joined(separator: "\n"),
    subcommands: [Session.self, Run.self, Check.self, Reference.self, Bench.self, Kernel.self],
    defaultSubcommand: Session.self)

  /// Chooses the BLAS core first (which may restart the process once), then parses.
  static func main() {
    BLASStartup.run()
    main(nil)
  }
}

struct ScriptOptions: ParsableArguments {
  @Flag(name: .long, help: "Continue after a failed statement.") var keepGoing = false
  @Flag(name: .long, help: "Print each statement before its output.") var echo = false
  @Flag(name: .long, help: "Do not run ~/.idcrc first.") var noRc = false
  @Option(name: .long, help: "Start at this cell (# %% marker): its number or title.") var from: String?
  @Option(name: .long, help: "Default seed for every random step.") var seed: Int?
  @Flag(name: .long, help: "Start the interactive session by replaying the last one that did not end cleanly.") var recover = false
}

struct Session: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "session", abstract: "Run a script file, or start the REPL without one.")
  @ArgumentParser.Argument(help: "An idc script to run.") var file: String?
  @OptionGroup var options: ScriptOptions
  @Option(name: .shortAndLong, help: "Run these statements (then exit).") var execute: [String] = []

  func run() throws {
    let code = Launcher(options: options).launch(file: file, statements: execute)
    throw ExitCode(code)
  }
}

struct Run: ParsableCommand {
  static let configuration = CommandConfiguration(abstract: "Run a script top to bottom like a notebook.")
  @ArgumentParser.Argument(help: "The idc script.") var file: String
  @OptionGroup var options: ScriptOptions

  func run() throws {
    throw ExitCode(Launcher(options: options).launch(file: file, statements: []))
  }
}

struct Check: ParsableCommand {
  static let configuration = CommandConfiguration(abstract: "Check a script without running it (syntax, commands, parameters).")
  @ArgumentParser.Argument(help: "The idc script.") var file: String

  func run() throws {
    guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
      FileHandle.standardError.write(Data("idc: cannot read '\(file)'\n".utf8))
      throw ExitCode(66)
    }
    let report = runFrontEnd(source: text, file: file, registry: Commands.registry)
    if report.succeeded {
      print("\(file): ok (\(report.program?.statements.count ?? 0) statements)")
      return
    }
    FileHandle.standardError.write(Data((report.rendered() + "\n").utf8))
    throw ExitCode(report.program == nil ? 65 : 70)
  }
}

struct Reference: ParsableCommand {
  static let configuration = CommandConfiguration(abstract: "Print the command reference in Markdown (for the README).")
  func run() throws { print(Commands.registry.markdownReference()) }
}
