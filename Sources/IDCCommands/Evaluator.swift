import Foundation
import IDCCore
import IDCLang

/// Why a script stopped: the exit code follows from it (65 syntax, 70 a
/// failed command, 130 an interrupt).
public struct EvaluationFailure: Error, Sendable {
  public enum Kind: Sendable { case syntax, command, interrupted }
  public var kind: Kind
  public var diagnostic: Diagnostic

  public var exitCode: Int32 {
    switch kind {
    case .syntax: 65
    case .command: 70
    case .interrupted: 130
    }
  }
}

/// Thrown by `quit`; the REPL and the script runner end cleanly on it.
public struct QuitRequest: Error, Sendable {
  public init() {}
}

/// Runs idc programs against a workspace: statements in order, `for` loops
/// with their variables, bindings stored by name, `source` recursively.
///
/// An error stops the program being run (not the session): the workspace
/// keeps everything done before it.
public final class Evaluator {
  public let commands: CommandTable
  public var registry: CommandRegistry { commands.registry }
  public let workspace: Workspace
  public var sinks: OutputSinks
  public var monitorFactory: () -> WorkMonitor
  public weak var answerReader: AnswerReader?
  /// Told each statement that ran successfully (the REPL appends them to a
  /// recovery script, so a killed session can be replayed with `source`).
  public var transcriptSink: ((String) -> Void)?
  public internal(set) var environment = Environment()
  /// Source texts by file name, for rendering diagnostics with their lines.
  public private(set) var sources: [String: String] = [:]
  private var sourceDepth = 0

  public init(workspace: Workspace = Workspace(), sinks: OutputSinks, commands: CommandTable = Commands.standard,
              monitorFactory: @escaping () -> WorkMonitor = { .silent }) {
    self.commands = commands
    self.workspace = workspace
    self.sinks = sinks
    self.monitorFactory = monitorFactory
  }

  /// The diagnostic rendered as people see it: location, line, caret, help.
  public func render(_ diagnostic: Diagnostic, useColor: Bool = false) -> String {
    DiagnosticRenderer(sources: sources, useColor: useColor).render(diagnostic)
  }

  /// A failure as people see it: an interrupt as one plain line (it is not a mistake in the
  /// script, so no location or caret), anything else as its located diagnostic.
  public func render(_ failure: EvaluationFailure, useColor: Bool = false) -> String {
    failure.kind == .interrupted ? failure.diagnostic.message : render(failure.diagnostic, useColor: useColor)
  }

  /// Keeps `source` so diagnostics located in `file` can show their line.
  public func register(source: String, file: String) {
    sources[file] = source
  }

  /// Parses `source` (a script or a REPL entry) named `file`.
  public func parse(_ source: String, file: String) throws(EvaluationFailure) -> Program {
    register(source: source, file: file)
    do throws(Diagnostic) {
      return try IDCLang.parse(source, file: file)
    } catch {
      throw EvaluationFailure(kind: .syntax, diagnostic: error)
    }
  }

  /// Runs `source` from cell `fromCell`; with `keepGoing`, failed statements
  /// are reported through `report` and the rest still runs.
  @discardableResult
  public func run(source: String, file: String, fromCell: Int = 0, keepGoing: Bool = false,
                  report: (EvaluationFailure) -> Void = { _ in }) throws -> [EvaluationFailure] {
    let program = try parse(source, file: file)
    return try run(program.statements(fromCell: fromCell), keepGoing: keepGoing, report: report)
  }

  /// Runs statements in order. Throws the first failure unless `keepGoing`;
  /// `QuitRequest` always propagates.
  @discardableResult
  public func run(_ statements: [Statement], keepGoing: Bool = false,
                  report: (EvaluationFailure) -> Void = { _ in }) throws -> [EvaluationFailure] {
    var failures: [EvaluationFailure] = []
    for statement in statements {
      do {
        try execute(statement)
      } catch let failure as EvaluationFailure {
        if failure.kind == .interrupted || !keepGoing { throw failure }
        failures.append(failure)
        report(failure)
      }
    }
    return failures
  }

  /// Executes one statement (a command or a loop).
  public func execute(_ statement: Statement) throws {
    switch statement {
    case .command(let command):
      try execute(command)
    case .forLoop(let loop):
      let values: LoopValues
      do throws(Diagnostic) {
        values = try environment.loopValues(loop)
      } catch {
        throw EvaluationFailure(kind: .command, diagnostic: error)
      }
      environment.pushScope()
      defer { environment.popScope() }
      for value in values {
        environment.define(loop.variable, value)
        for inner in loop.body { try execute(inner) }
      }
    }
  }

  func execute(_ statement: CommandStatement) throws {
    let args: BoundArguments
    do throws(Diagnostic) {
      args = try registry.validate(statement, environment: environment, workspace: workspace.nameKinds)
    } catch {
      throw EvaluationFailure(kind: .command, diagnostic: error)
    }
    guard let command = commands.entries[args.path.first ?? args.spec.name] else {
      throw EvaluationFailure(kind: .command, diagnostic: .error("'\(args.commandName)' is declared but has no implementation", at: statement.location))
    }
    if workspace.options.echo { sinks.output("» \(args.statement)\n") }
    let context = CommandContext(workspace: workspace, sinks: sinks, monitor: monitorFactory(), evaluator: self,
                                 answerReader: answerReader)
    let started = Date()
    if workspace.options.timing { ResidentMemory.resetPeak() }
    do {
      let value = try command.run(args, context)
      if let value { workspace.store(value, as: statement.binding) }
      if command.transcript == .recorded { record(args.statement.description) }
      if workspace.options.timing {
        // The command's time, and the process's peak and current resident memory during it.
        let memory = [ResidentMemory.peak().map { "peak \(megabytes($0))" }, ResidentMemory.current().map { "now \(megabytes($0))" }]
          .compactMap { $0 }.joined(separator: ", ")
        sinks.diagnostics("(\(args.commandName): \(format(Date().timeIntervalSince(started), 2)) s\(memory.isEmpty ? "" : ", " + memory))\n")
      }
    } catch let quit as QuitRequest {
      throw quit
    } catch let failure as EvaluationFailure {
      throw failure
    } catch let interrupted as Interrupted {
      // Keep whatever partial result the command declares for the work it did.
      var message = "interrupted — "
      if let kept = command.partialResult(interrupted, args, context) {
        workspace.store(kept.value, as: statement.binding)
        if let replay = kept.replay?.description { record(replay) }
        message += "kept the \(kept.value.kind)" + (kept.progress.map { " after \($0)" } ?? "")
          + (statement.binding.map { " as \($0)" } ?? " (the latest \(kept.value.kind))")
      } else {
        message += "\(interrupted.what) stopped" + (interrupted.progress.map { " after \($0)" } ?? "") + "; nothing kept"
      }
      throw EvaluationFailure(kind: .interrupted, diagnostic: .error(message, at: statement.location))
    } catch {
      throw EvaluationFailure(kind: .command, diagnostic: diagnostic(for: error, at: statement.location))
    }
  }

  /// Appends a statement to the session transcript (and the recovery script).
  func record(_ statement: String) {
    workspace.transcript.append(statement)
    transcriptSink?(statement)
  }

  /// Runs the script at `path` inside this session (`source`), guarding recursion.
  func source(path: String, from cell: Int = 0) throws {
    guard sourceDepth < 16 else { throw CommandError("'source' nested more than 16 deep (does a script source itself?)") }
    let text: String
    do {
      text = try String(contentsOfFile: path, encoding: .utf8)
    } catch {
      throw CommandError("cannot read '\(path)': \((error as NSError).localizedDescription)")
    }
    sourceDepth += 1
    defer { sourceDepth -= 1 }
    try run(source: text, file: path, fromCell: cell)
  }
}
