import IDCCore
import IDCLang

/// `print`: a line of text, for scripts that explain themselves.
enum PrintCommand: IDCCommand {
  static let text: Parameter<Value?> = .value(
    ParameterSpec("text", .list(of: .oneOf([.int(range: nil), .double(range: nil), .string,
                                            .list(of: .oneOf([.int(range: nil), .double(range: nil), .string]))])),
                  help: "what to print"))

  static let spec = CommandSpec(
    name: "print",
    aliases: ["echo"],
    abstract: "Print text (its arguments joined by spaces); strings interpolate $variables.",
    positionals: specs(text),
    examples: ["print \"step 1: load the data\"", "print \"k-means on\" digits"])
  static let transcript = Transcript.notRecorded
  static let howToMake: String? = nil

  static func partialResult(of interruption: Interrupted, _ args: BoundArguments, _ context: CommandContext) -> PartialResult? { nil }

  static func run(_ args: BoundArguments, _ context: CommandContext) throws -> WorkspaceValue? {
    context.say((args[text]?.listValue ?? []).map { value in
      if case .list(let items) = value { return "[" + items.map(\.text).joined(separator: ", ") + "]" }
      return value.text
    }.joined(separator: " "))
    return nil
  }
}
