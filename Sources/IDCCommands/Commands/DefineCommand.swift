import IDCCore
import IDCLang

/// `define`: a script variable, used as `$name` (paths at the top of a script).
enum DefineCommand: IDCCommand {
  static let name: Parameter<String> = .requiredString("name", help: "the variable's name")
  static let value: Parameter<Value?> = .value(
    ParameterSpec("value", .oneOf([.int(range: nil), .double(range: nil), .string, .list(of: .string)]), required: true,
                  help: "its value: a number, text or list"))

  static let spec = CommandSpec(
    name: "define",
    aliases: ["let"],
    abstract: "Define a variable for the rest of the session, used as $name (e.g. a data path at the top of a script).",
    positionals: specs(name, value),
    examples: ["define data \"../shared/data/fmnist_effnet128.json\"", "define budgets [50, 100, 200]"],
    definesVariable: true)
  static let transcript = Transcript.recorded
  static let howToMake: String? = nil

  static func partialResult(of interruption: Interrupted, _ args: BoundArguments, _ context: CommandContext) -> PartialResult? { nil }

  static func run(_ args: BoundArguments, _ context: CommandContext) throws -> WorkspaceValue? {
    let name = args[Self.name]
    guard name.first.map({ $0.isLetter || $0 == "_" }) == true, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
      throw args.error("'\(name)' is not a variable name (letters, digits, _)", at: Self.name)
    }
    guard let value = args[value] else { throw args.error("define needs a value", at: Self.value) }
    context.evaluator?.environment.define(name, value)
    return nil
  }
}
