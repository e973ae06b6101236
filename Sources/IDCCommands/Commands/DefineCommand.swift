import IDCLang

/// `define`: a script variable, used as `$name` (paths at the top of a script).
enum DefineCommand: IDCCommand {
  static let spec = CommandSpec(
    name: "define",
    aliases: ["let"],
    abstract: "Define a variable for the rest of the session, used as $name (e.g. a data path at the top of a script).",
    positionals: [
      .string("name", required: true, help: "the variable's name"),
      ParameterSpec("value", .oneOf([.int(range: nil), .double(range: nil), .string, .list(of: .string)]), required: true,
                    help: "its value: a number, text or list"),
    ],
    examples: ["define data \"../shared/data/fmnist_effnet128.json\"", "define budgets [50, 100, 200]"])

  static func run(_ args: BoundArguments, _ context: CommandContext) throws -> WorkspaceValue? {
    let name = args.string("name")!
    guard name.first.map({ $0.isLetter || $0 == "_" }) == true, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
      throw args.error("'\(name)' is not a variable name (letters, digits, _)", at: "name")
    }
    context.evaluator?.environment.define(name, args["value"]!)
    return nil
  }
}
