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

  /// The session seed unless the command was given one.
  func seed(_ args: BoundArguments) -> Int {
    args.isExplicit("seed") ? (args.int("seed") ?? workspace.options.seed) : workspace.options.seed
  }

  /// `path` inside the output directory unless it has a directory of its own.
  func outputPath(_ path: String) -> String {
    if path.hasPrefix("/") || path.contains("/") || workspace.options.outputDirectory == "." { return path }
    return workspace.options.outputDirectory + "/" + path
  }
}

/// A command of the idc language: one declared spec and a `run`.
public protocol IDCCommand: Sendable {
  static var spec: CommandSpec { get }
  /// Runs with validated arguments; returns the value a binding stores, if any.
  static func run(_ args: BoundArguments, _ context: CommandContext) throws -> WorkspaceValue?
}
