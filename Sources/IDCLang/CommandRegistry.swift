import IDCText

/// The table of commands the language knows: lookup by name or declared alias, "did you mean"
/// for unknown ones, validation of statements, and (in HelpText.swift) help and the reference.
public struct CommandRegistry: Sendable {
  /// The commands in declaration order (the order of `help` and the reference).
  public let commands: [CommandSpec]
  private let indexByName: [String: Int]

  /// Creates a registry. When two commands claim a name or alias, the first declared wins
  /// (``lint()`` reports it).
  public init(_ commands: [CommandSpec]) {
    self.commands = commands
    var index: [String: Int] = [:]
    for (position, command) in commands.enumerated() {
      for name in command.allNames where index[name] == nil { index[name] = position }
    }
    indexByName = index
  }

  /// The primary command names, in declaration order.
  public var names: [String] { commands.map(\.name) }

  /// The command called `name` or having it as an alias (exact match only).
  public func spec(named name: String) -> CommandSpec? {
    indexByName[name].map { commands[$0] }
  }

  /// The nearest command name or alias to an unknown `name`, if one is close enough.
  public func suggestion(for name: String) -> String? {
    EditDistance.suggestion(for: name, among: commands.flatMap(\.allNames))
  }

  /// The spec of the statement's command.
  /// - Throws: `unknown command 'kmean'` with a near-miss suggestion.
  public func resolve(_ statement: CommandStatement) throws(Diagnostic) -> CommandSpec {
    if let spec = spec(named: statement.name) { return spec }
    let suggestion = suggestion(for: statement.name)
    throw .error(
      "unknown command '\(statement.name)'", at: statement.nameLocation, suggestion: suggestion,
      help: suggestion == nil && spec(named: "help") != nil ? "type 'help' to list the commands" : nil)
  }

  /// Resolves the statement's command and validates the statement against it; see
  /// ``validate(_:against:environment:workspace:)``.
  public func validate(
    _ statement: CommandStatement, environment: Environment = Environment(), workspace: [String: ValueKind]? = nil
  ) throws(Diagnostic) -> BoundArguments {
    try IDCLang.validate(statement, against: try resolve(statement), environment: environment, workspace: workspace)
  }

  /// Problems in the declarations, one sentence each; empty when the table is sound. Checks
  /// that names, aliases and parameter names are valid and unique, required parameters have no
  /// default, defaults fit their kinds, choices are not empty, only the last positional is a
  /// list, default subcommands exist, and every example parses and validates.
  public func lint() -> [String] {
    var problems: [String] = []
    var owner: [String: String] = [:]
    for command in commands {
      for name in command.allNames {
        if let other = owner[name] { problems.append("'\(name)' names both \(other) and \(command.name)") }
        owner[name] = owner[name] ?? command.name
      }
      problems += lint(command, path: [])
    }
    return problems
  }

  private func lint(_ command: CommandSpec, path: [String]) -> [String] {
    let qualified = (path + [command.name]).joined(separator: " ")
    var problems: [String] = []
    for name in command.allNames where !Lexer.isBareWord(name) || name.hasPrefix("?") {
      problems.append("\(qualified): '\(name)' cannot be typed as a command word")
    }
    var seen: Set<String> = []
    for parameter in command.allParameters {
      let where_ = "\(qualified) \(parameter.name)"
      if !Lexer.isName(parameter.name) { problems.append("\(where_): not a valid parameter name") }
      if !seen.insert(parameter.name).inserted { problems.append("\(where_): declared twice") }
      if parameter.isRequired && parameter.defaultValue != nil { problems.append("\(where_): required but has a default") }
      if case .choice(let choices) = parameter.kind, choices.isEmpty { problems.append("\(where_): no choices") }
      if let value = parameter.defaultValue {
        let checker = ArgumentChecker(commandName: qualified, workspace: nil)
        let location = SourceSpan(file: "<default>", line: 1, column: 1)
        do throws(Diagnostic) {
          let normalized = try checker.conform(Expression(.value(value), at: location), to: parameter.kind, parameter: parameter.name)
          if normalized != value { problems.append("\(where_): write the default as \(normalized) (\(normalized.kindDescription))") }
        } catch {
          problems.append("\(where_): default \(value) does not fit: \(error.message)")
        }
      }
    }
    for positional in command.positionals.dropLast() {
      if case .list = positional.kind { problems.append("\(qualified) \(positional.name): only the last positional may be a list") }
    }
    if let name = command.defaultSubcommand, command.subcommand(named: name) == nil {
      problems.append("\(qualified): default subcommand '\(name)' does not exist")
    }
    if !command.subcommands.isEmpty && !command.positionals.isEmpty {
      problems.append("\(qualified): a command with subcommands takes its positionals in the subcommands")
    }
    for example in command.examples {
      do throws(Diagnostic) {
        let program = try parse(example, file: "<example>")
        for statement in program.statements {
          guard case .command(let statement) = statement else { continue }
          _ = try validate(statement)
        }
      } catch {
        problems.append("\(qualified): example '\(example)': \(error.message)")
      }
    }
    for subcommand in command.subcommands { problems += lint(subcommand, path: path + [command.name]) }
    return problems
  }
}
