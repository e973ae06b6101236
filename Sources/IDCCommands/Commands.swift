import IDCCore
import IDCLang

/// The command table: every command of the language, declared once.
public enum Commands {
  static let all: [any IDCCommand.Type] = [
    LoadCommand.self, KMeansCommand.self, ScoreCommand.self, SelectCommand.self, FeedbackCommand.self,
    TrainCommand.self, RoundsCommand.self, UseCommand.self, NameCommand.self, MergeCommand.self, SplitCommand.self, UndoCommand.self, EvalCommand.self, BaselineCommand.self, SweepCommand.self, TSNECommand.self, PlotCommand.self,
    ShowCommand.self, SetCommand.self, SaveCommand.self, SourceCommand.self, RecoverCommand.self, ExportCommand.self,
    DefineCommand.self, PrintCommand.self, HelpCommand.self, QuitCommand.self,
  ]

  /// The registry that drives parsing, validation, help and completion.
  public static let registry = CommandRegistry(all.map { $0.spec })

  /// The standard table: every command with its real implementation.
  public static let standard = CommandTable(all.map { command in
    CommandTable.Entry(spec: command.spec, transcript: command.transcript,
                       run: { args, context in try command.run(args, context) },
                       partialResult: { interruption, args, context in command.partialResult(of: interruption, args, context) })
  })

  /// How to make a value of `kind`, from the command that produces it.
  public static func howToMake(_ kind: ValueKind) -> String? {
    all.first { $0.spec.resultKind == kind && $0.howToMake != nil }?.howToMake
  }

  /// The command type called `name`, for tests of the declarations.
  static func command(named name: String) -> (any IDCCommand.Type)? {
    all.first { $0.spec.name == name }
  }
}

/// Specs and implementations, by command name. The evaluator runs against one;
/// tests substitute cheap implementations to fuzz the language end to end.
public struct CommandTable: Sendable {
  public typealias Implementation = @Sendable (BoundArguments, CommandContext) throws -> WorkspaceValue?
  public typealias PartialResultHandler = @Sendable (Interrupted, BoundArguments, CommandContext) -> PartialResult?

  /// One command as the evaluator runs it.
  public struct Entry: Sendable {
    public var spec: CommandSpec
    public var transcript: Transcript
    public var run: Implementation
    public var partialResult: PartialResultHandler
    public init(spec: CommandSpec, transcript: Transcript, run: @escaping Implementation,
                partialResult: @escaping PartialResultHandler = { _, _, _ in nil }) {
      self.spec = spec
      self.transcript = transcript
      self.run = run
      self.partialResult = partialResult
    }
  }

  public let registry: CommandRegistry
  public let entries: [String: Entry]

  public init(_ entries: [Entry]) {
    registry = CommandRegistry(entries.map(\.spec))
    self.entries = Dictionary(uniqueKeysWithValues: entries.map { ($0.spec.name, $0) })
  }
}
