import IDCCore
import IDCLang

/// Where a command writes: results to `output` (stdout), notes and
/// progress to `diagnostics` (stderr), and — in a front end that shows more than text, the
/// Jupyter kernel — pictures and tables to `rich`.
public struct OutputSinks: Sendable {
  public var output: @Sendable (String) -> Void
  public var diagnostics: @Sendable (String) -> Void
  /// Shows a picture or a result with richer forms than text; nil at a text terminal.
  public var rich: (@Sendable (RichOutput) -> Void)?
  public init(output: @escaping @Sendable (String) -> Void, diagnostics: @escaping @Sendable (String) -> Void,
              rich: (@Sendable (RichOutput) -> Void)? = nil) {
    self.output = output
    self.diagnostics = diagnostics
    self.rich = rich
  }
}

/// Output with forms beyond text, for front ends that show them (a notebook): a picture as
/// PNG (and SVG), a table as HTML and Markdown. `plain` is always there, for text-only views.
public struct RichOutput: Sendable {
  /// A result is what a command answers (`show`, `eval`, a sweep table): a notebook shows
  /// the last one of a cell as the cell's result (`Out[n]`). A figure is a picture.
  public enum Role: Sendable { case result, figure }
  public var role: Role
  public var plain: String
  public var html: String?
  public var markdown: String?
  public var png: [UInt8]?
  public var svg: String?
  /// The width to show a picture at, in CSS pixels (it may be drawn larger, for sharpness).
  public var displayWidth: Int?

  public init(role: Role, plain: String, html: String? = nil, markdown: String? = nil, png: [UInt8]? = nil,
              svg: String? = nil, displayWidth: Int? = nil) {
    self.role = role
    self.plain = plain
    self.html = html
    self.markdown = markdown
    self.png = png
    self.svg = svg
    self.displayWidth = displayWidth
  }
}

/// Reads one answer line from the person at the terminal (nil at end of input).
public protocol AnswerReader: AnyObject {
  func readAnswer(prompt: String) -> String?
  /// Why no answer can be read here (a notebook client that does not allow input), or nil.
  var unavailableReason: String? { get }
}

extension AnswerReader {
  public var unavailableReason: String? { nil }
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

  /// Whether pictures and tables can be shown beside text (the Jupyter kernel).
  public var showsRichOutput: Bool { sinks.rich != nil }

  /// A command's answer: `plain` on stdout at a terminal; in a notebook also as HTML/Markdown,
  /// shown as the cell's result.
  public func result(_ plain: String, html: String? = nil, markdown: String? = nil) {
    if let rich = sinks.rich {
      rich(RichOutput(role: .result, plain: plain, html: html, markdown: markdown))
    } else {
      say(plain)
    }
  }

  /// A table as the command's answer: aligned text, and HTML/Markdown in a notebook.
  public func result(_ table: TextTable, caption: String? = nil) {
    let plain = (caption.map { $0 + "\n" } ?? "") + table.aligned
    result(plain, html: table.html(caption: caption), markdown: (caption.map { $0 + "\n\n" } ?? "") + table.markdown)
  }

  /// Runs `body` with its stdout lines gathered into one ``result(_:html:markdown:)``
  /// (`show`'s several lines become one cell result in a notebook).
  func gatheringResult(_ body: (CommandContext) throws -> Void) rethrows {
    guard sinks.rich != nil else { return try body(self) }
    let gathered = GatheredText()
    var inner = sinks
    inner.output = { text in gathered.append(text) }
    let context = CommandContext(workspace: workspace, sinks: inner, monitor: monitor, evaluator: evaluator, answerReader: answerReader)
    defer {
      let text = gathered.text
      if !text.isEmpty { result(text.hasSuffix("\n") ? String(text.dropLast()) : text) }
    }
    try body(context)
  }

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

  /// `recall=`: the recall@K an approximate neighbour search's probes are calibrated to
  /// (its audited recall is reported either way).
  static func recallTarget(default value: Double) -> Parameter<Double> {
    .double("recall", in: 0.5...0.999, default: value,
            help: "recall@K that knn=approx calibrates its probes to (higher: slower, closer to exact)")
  }

  /// `recipe=safe|paper`: the training recipe (``HeadTrainer/Recipe``).
  static let recipe: Parameter<HeadTrainer.Recipe> = .choice(
    "recipe", default: .safe,
    help: "training recipe: safe (never worse than the model it starts from, on the measured sets) or paper (the official code's, for the paper's tables)")

  /// `answers=NAME` or `answers=all` (the session's ``AnswerLog``); nil means the latest.
  static func answers(_ help: String) -> Parameter<String?> {
    Parameter(ParameterSpec("answers", .oneOf([.choice(["all"]), .name(kind: .feedback)]), help: help)) { $0?.stringValue }
  }
}
