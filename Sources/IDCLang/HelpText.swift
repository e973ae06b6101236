/// Help texts and the Markdown command reference, generated from the specs.
extension CommandRegistry {
  /// The list of commands for a bare `help`: one line each, name and abstract, aligned.
  public func overview() -> String {
    let width = (commands.map(\.name.count).max() ?? 0) + 2
    var text = "Commands:\n"
    for command in commands {
      text += "  " + padded(command.name, to: width) + command.abstract + "\n"
    }
    if spec(named: "help") != nil { text += "\nType 'help COMMAND' for a command's parameters.\n" }
    return text
  }

  /// The help of a command or subcommand named by its words, e.g. `"select"`, `"plot tsne"`
  /// or an alias; nil when the words name none (use ``suggestion(for:)`` for a near miss).
  public func helpText(for name: String) -> String? {
    let words = name.split(separator: " ").map(String.init)
    guard let first = words.first, var spec = spec(named: first) else { return nil }
    var path: [String] = []
    var inherited = spec.resultKind
    for word in words.dropFirst() {
      guard let subcommand = spec.subcommand(named: word) else { return nil }
      path.append(spec.name)
      spec = subcommand
      inherited = spec.resultKind ?? inherited
    }
    return helpText(for: spec, path: path, resultKind: inherited)
  }

  /// The help of `spec`:
  ///
  /// ```
  /// select — pick the most valuable samples to ask about
  ///
  /// Usage: [name =] select [m=<int>] [strategy=<choice>]
  ///
  /// Parameters:
  ///   m=<int>            how many samples (default: 100; an integer in 1...100000)
  ///   strategy=<choice>  what makes a sample valuable (default: hard+rep+div; one of …)
  ///
  /// Examples:
  ///   sel = select m=100
  /// ```
  ///
  /// followed by aliases, subcommands and what it produces when there are any. `path` holds
  /// the words before a subcommand's name.
  public func helpText(for spec: CommandSpec, path: [String] = [], resultKind: ValueKind? = nil) -> String {
    let qualified = (path + [spec.name]).joined(separator: " ")
    var text = "\(qualified) — \(spec.abstract)\n\n"
    text += "Usage: \(spec.usage(path: path, resultKind: resultKind))\n"
    if let discussion = spec.discussion { text += "\n\(discussion)\n" }
    let rows = spec.positionals.map { ("<\($0.name)>", $0) } + spec.parameters.map { ("\($0.name)=\($0.kind.placeholder)", $0) }
    if !rows.isEmpty {
      let width = (rows.map(\.0.count).max() ?? 0) + 2
      text += "\nParameters:\n"
      for (left, parameter) in rows {
        text += "  " + padded(left, to: width) + parameter.help + " (" + details(of: parameter) + ")\n"
      }
    }
    if !spec.subcommands.isEmpty {
      let width = (spec.subcommands.map(\.name.count).max() ?? 0) + 2
      text += "\nSubcommands:\n"
      for subcommand in spec.subcommands {
        let marker = subcommand.name == spec.defaultSubcommand ? " (default)" : ""
        text += "  " + padded(subcommand.name, to: width) + subcommand.abstract + marker + "\n"
      }
      text += "Type 'help \(qualified) SUBCOMMAND' for a subcommand's parameters.\n"
    }
    if !spec.aliases.isEmpty { text += "\nAliases: \(spec.aliases.joined(separator: ", "))\n" }
    if let kind = spec.resultKind ?? resultKind {
      text += "\nResult: \(ParameterKind.withArticle(kind.rawValue)), bound with 'name = \(qualified) …'\n"
    }
    if !spec.examples.isEmpty {
      text += "\nExamples:\n"
      for example in spec.examples { text += "  \(example)\n" }
    }
    return text
  }

  /// The command reference for the README, in Markdown: a summary table, then a section per
  /// command (and subcommand) with its usage, discussion, parameter table, aliases, result and
  /// examples.
  public func markdownReference() -> String {
    var text = "| Command | Aliases | Summary |\n| --- | --- | --- |\n"
    for command in commands {
      let aliases = command.aliases.map { "`\($0)`" }.joined(separator: ", ")
      text += "| [`\(command.name)`](#\(command.name)) | \(aliases) | \(cell(command.abstract)) |\n"
    }
    for command in commands { text += markdown(for: command, path: [], resultKind: nil) }
    return text
  }

  private func markdown(for spec: CommandSpec, path: [String], resultKind: ValueKind?) -> String {
    let qualified = (path + [spec.name]).joined(separator: " ")
    let kind = spec.resultKind ?? resultKind
    let sentence = capitalized(spec.abstract)
    var text = "\n### \(qualified)\n\n\(sentence)\(sentence.hasSuffix(".") || sentence.hasSuffix("?") ? "" : ".")\n\n"
    text += "```\n\(spec.usage(path: path, resultKind: resultKind))\n```\n"
    if let discussion = spec.discussion { text += "\n\(discussion)\n" }
    if !spec.allParameters.isEmpty {
      text += "\n| Parameter | Type | Default | Description |\n| --- | --- | --- | --- |\n"
      for parameter in spec.allParameters {
        let isPositional = spec.positionals.contains(parameter)
        let name = isPositional ? "`<\(parameter.name)>`" : "`\(parameter.name)=`"
        let fallback = parameter.isRequired ? "required" : "—"
        let defaultText = parameter.defaultValue.map { "`\($0.displayText)`" } ?? fallback
        text += "| \(name) | \(cell(parameter.kind.expectation)) | \(cell(defaultText)) | \(cell(parameter.help)) |\n"
      }
    }
    var facts: [String] = []
    if !spec.aliases.isEmpty { facts.append("Aliases: " + spec.aliases.map { "`\($0)`" }.joined(separator: ", ") + ".") }
    if !spec.subcommands.isEmpty {
      facts.append("Subcommands: " + spec.subcommands.map { "`\($0.name)`" }.joined(separator: ", ") + ".")
    }
    if let kind { facts.append("Result: \(ParameterKind.withArticle(kind.rawValue)).") }
    if !facts.isEmpty { text += "\n" + facts.joined(separator: " ") + "\n" }
    if !spec.examples.isEmpty {
      text += "\n```\n" + spec.examples.map { $0 + "\n" }.joined() + "```\n"
    }
    for subcommand in spec.subcommands {
      text += markdown(for: subcommand, path: path + [spec.name], resultKind: kind)
    }
    return text
  }

  private func details(of parameter: ParameterSpec) -> String {
    var parts: [String] = []
    if parameter.isRequired { parts.append("required") }
    if let value = parameter.defaultValue { parts.append("default: \(value.displayText)") }
    parts.append(parameter.kind.expectation)
    return parts.joined(separator: "; ")
  }

  private func padded(_ text: String, to width: Int) -> String {
    text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
  }

  private func cell(_ text: String) -> String {
    text.split(separator: "|", omittingEmptySubsequences: false).joined(separator: "\\|")
  }

  private func capitalized(_ text: String) -> String {
    text.prefix(1).uppercased() + text.dropFirst()
  }
}
