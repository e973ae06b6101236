import IDCCore
import IDCLang

/// Where a command writes: results to `output` (stdout), notes and
/// progress to `diagnostics` (stderr).
public struct OutputSinks: Sendable {
  public var output: @Sendable (String) -> Void
  public var diagnostics: @Sendable (String) -> Void
  public init(output: @escaping @Sendable (String) -> Void, diagnostics: @escaping @Sendable (String) -> Void) {
    self.output = output
    self.diagnostics = diagnostics
  }
}

/// Reads one answer line from the person at the terminal (nil at end of input).
public protocol AnswerReader: AnyObject {
  func readAnswer(prompt: String) -> String?
}

/// What a running command can use: the workspace, output, the monitor for
/// long work, the person at the terminal, and the evaluator (for `source`).
public final class CommandContext {
  public let workspace: Workspace
  public let sinks: OutputSinks
  public let monitor: WorkMonitor
  public weak var evaluator: Evaluator?
  public var answerReader: AnswerReader?

  public init(workspace: Workspace, sinks: OutputSinks, monitor: WorkMonitor, evaluator: Evaluator?, answerReader: AnswerReader?) {
    self.workspace = workspace
    self.sinks = sinks
    self.monitor = monitor
    self.evaluator = evaluator
    self.answerReader = answerReader
  }

  /// Prints a result line on stdout.
  public func say(_ text: String) { sinks.output(text + "\n") }
  /// Prints a note on stderr.
  public func note(_ text: String) { sinks.diagnostics(text + "\n") }

  /// The seed the command was given, else the session seed.
  func seed(_ given: Int?) -> Int { given ?? workspace.options.seed }

  /// `path` inside the output directory unless it has a directory of its own.
  func outputPath(_ path: String) -> String {
    if path.hasPrefix("/") || path.contains("/") || workspace.options.outputDirectory == "." { return path }
    return workspace.options.outputDirectory + "/" + path
  }
}

/// A command of the idc language, declared in one file: its spec (parameters as typed
/// ``Parameter`` keys), whether it is replayed, how to make what it produces, what it keeps
/// when interrupted, and `run`. None of these has a default, so a new command that forgets
/// one does not compile; add it to ``Commands/all`` and it is parsed, validated, completed,
/// documented and run.
public protocol IDCCommand: Sendable {
  static var spec: CommandSpec { get }
  /// Whether a successful run goes into the session transcript (the recovery script and
  /// `save`'s script), so that replaying the transcript rebuilds the session.
  static var transcript: Transcript { get }
  /// For a command whose spec has a `resultKind`: how a user makes such a value, shown
  /// when one is needed and missing ("no selection yet — run 'select m=100' first").
  static var howToMake: String? { get }
  /// Runs with validated arguments; returns the value a binding stores, if any.
  static func run(_ args: BoundArguments, _ context: CommandContext) throws -> WorkspaceValue?
  /// What an interrupted run keeps: its partial result as a workspace value (nil: nothing).
  static func partialResult(of interruption: Interrupted, _ args: BoundArguments, _ context: CommandContext) -> PartialResult?
}

/// Whether a command's successful runs are replayed.
public enum Transcript: Sendable {
  /// Recorded: it changes the session (load, kmeans, select, train, set, …).
  case recorded
  /// Not recorded: it only reads or writes files or the screen (show, help, save, export, …).
  case notRecorded
}

/// What an interrupted command kept, how far it got, and the statement that redoes exactly
/// that work (recorded in the transcript, so the kept value survives `save` and a crash).
public struct PartialResult: Sendable {
  public var value: WorkspaceValue
  public var progress: Interrupted.Progress?
  public var replay: CommandStatement?
  public init(_ value: WorkspaceValue, progress: Interrupted.Progress?, replay: CommandStatement? = nil) {
    self.value = value
    self.progress = progress
    self.replay = replay
  }
}

/// The seed parameter every random command takes.
enum CommonParameters {
  static func seed(_ help: String = "random seed (default: the session seed)") -> Parameter<Int?> {
    .int("seed", help: help)
  }
}
