import IDCCore
import IDCLang

/// The command table: every command of the language, declared once.
public enum Commands {
  static let all: [any IDCCommand.Type] = [
    LoadCommand.self, KMeansCommand.self, ScoreCommand.self, SelectCommand.self, FeedbackCommand.self,
    TrainCommand.self, EvalCommand.self, BaselineCommand.self, SweepCommand.self, TSNECommand.self, PlotCommand.self,
    ShowCommand.self, SetCommand.self, SaveCommand.self, SourceCommand.self, ExportCommand.self,
    DefineCommand.self, PrintCommand.self, HelpCommand.self, QuitCommand.self,
  ]

  /// The registry that drives parsing, validation, help and completion.
  public static let registry = CommandRegistry(all.map { $0.spec })

  /// The standard table: every command with its real implementation.
  public static let standard = CommandTable(specs: all.map { $0.spec },
                                            implementations: Dictionary(uniqueKeysWithValues: all.map { command in (command.spec.name, { @Sendable args, context in try command.run(args, context) }) }))

  /// Whether a successful run of the command goes into the saved session script.
  static func recorded(_ name: String) -> Bool {
    !["save", "show", "help", "quit", "source", "export", "print"].contains(name)
  }

  /// The workspace value for an interrupted command's partial result.
  static func partialValue(_ partial: any Sendable) -> WorkspaceValue? {
    switch partial {
    case let r as KMeans.Result: .clustering(r)
    case let s as Selection: .selection(s)
    case let t as ExperimentTable: .table(t)
    case let e as Embedding: .embedding(e)
    case let r as TSNE.Result: .embedding(TSNECommand.embedding(r))
    default: nil
    }
  }
}

/// Specs and implementations, by command name. The evaluator runs against one;
/// tests substitute cheap implementations to fuzz the language end to end.
public struct CommandTable: Sendable {
  public typealias Implementation = @Sendable (BoundArguments, CommandContext) throws -> WorkspaceValue?
  public let registry: CommandRegistry
  public let implementations: [String: Implementation]

  public init(specs: [CommandSpec], implementations: [String: Implementation]) {
    registry = CommandRegistry(specs)
    self.implementations = implementations
  }
}
