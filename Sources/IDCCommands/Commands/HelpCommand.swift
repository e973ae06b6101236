import IDCCore
import IDCLang

/// `help`: the command list, or one command's usage, parameters and examples.
enum HelpCommand: IDCCommand {
  static let spec = CommandSpec(
    name: "help",
    abstract: "List the commands, or show one command's usage, parameters and examples ('?cmd' works too).",
    positionals: specs(command),
    examples: ["help", "help select", "help feedback oracle", "?kmeans"])
  static let command: Parameter<[String]> = .strings("command", help: "a command (and subcommand), e.g. feedback oracle")
  static let transcript = Transcript.notRecorded
  static let howToMake: String? = nil

  static func partialResult(of interruption: Interrupted, _ args: BoundArguments, _ context: CommandContext) -> PartialResult? { nil }

  static func run(_ args: BoundArguments, _ context: CommandContext) throws -> WorkspaceValue? {
    let registry = Commands.registry
    let words = args[command]
    guard let first = words.first else {
      context.say(registry.overview())
      return nil
    }
    guard registry.spec(named: first) != nil else {
      throw args.error("no command '\(first)'", at: command, help: registry.suggestion(for: first).map { "did you mean '\($0)'?" } ?? "type 'help' to list the commands")
    }
    context.say(registry.helpText(for: words.joined(separator: " ")) ?? registry.helpText(for: first) ?? "")
    return nil
  }
}

/// `quit`: end the session.
enum QuitCommand: IDCCommand {
  static let spec = CommandSpec(name: "quit", aliases: ["exit"], abstract: "End the session (Ctrl-D works too).", examples: ["quit"])
  static let transcript = Transcript.notRecorded
  static let howToMake: String? = nil

  static func partialResult(of interruption: Interrupted, _ args: BoundArguments, _ context: CommandContext) -> PartialResult? { nil }

  static func run(_ args: BoundArguments, _ context: CommandContext) throws -> WorkspaceValue? {
    throw QuitRequest()
  }
}
