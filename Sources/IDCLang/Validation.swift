import IDCText

// Checking a command statement against its CommandSpec.

/// Lists and ranges bound to `.list` parameters hold at most this many elements.
public let maximumListLength = 100_000

/// Checks `command` against `spec` and binds its arguments.
///
/// In order: `$variables` are substituted from `environment`; a binding (`x = …`) needs a
/// `resultKind`; a subcommand is chosen; each `name=value` must name a parameter (with "did you
/// mean") and be given once; positional arguments fill the positional parameters in order (a
/// trailing `.list` one collects the rest) and may not be too many; each value must fit its
/// kind (type, range, choices, extension, workspace name); required parameters must be present;
/// defaults fill the rest. `workspace` maps the names of workspace values to their kinds
/// (e.g. `["sel": "selection"]`); when given, `.name` parameters must name one of them, of the
/// right kind, and when nil their existence is left to the evaluator.
/// - Throws: the first problem, located at the argument at fault (or at the statement for a
///   missing parameter).
public func validate(
  _ command: CommandStatement, against spec: CommandSpec, environment: Environment = Environment(),
  workspace: [String: ValueKind]? = nil
) throws(Diagnostic) -> BoundArguments {
  let statement = try environment.substitute(command)
  var arguments = statement.arguments
  var leaf = spec
  var path = [spec.name]
  var resultKind = spec.resultKind
  while !leaf.subcommands.isEmpty {
    let subcommandNames = leaf.subcommands.map(\.name)
    let firstPositional = arguments.firstIndex { $0.label == nil }
    let word = firstPositional.flatMap { arguments[$0].value.value?.stringValue }
    if let firstPositional, let word, let subcommand = leaf.subcommand(named: word) {
      arguments.remove(at: firstPositional)
      leaf = subcommand
    } else if let name = leaf.defaultSubcommand, let subcommand = leaf.subcommand(named: name) {
      leaf = subcommand
    } else if let firstPositional {
      throw .error(
        "unknown \(path.joined(separator: " ")) subcommand '\(arguments[firstPositional].value.value?.text ?? "")'",
        at: arguments[firstPositional].value.location,
        suggestion: word.flatMap { EditDistance.suggestion(for: $0, among: leaf.subcommands.flatMap(\.allNames)) },
        help: "the subcommands are " + subcommandNames.joined(separator: ", "))
    } else {
      throw .error(
        "\(path.joined(separator: " ")) needs a subcommand: " + subcommandNames.joined(separator: ", "),
        at: statement.nameLocation)
    }
    path.append(leaf.name)
    resultKind = leaf.resultKind ?? resultKind
  }
  let commandName = path.joined(separator: " ")
  if let binding = statement.binding, resultKind == nil {
    throw .error(
      "'\(commandName)' has no result to bind to '\(binding)'", at: statement.bindingLocation ?? statement.location,
      help: "remove '\(binding) ='")
  }

  let checker = ArgumentChecker(commandName: commandName, workspace: workspace)
  var entries: [String: BoundArguments.Entry] = [:]
  var positionalIndex = 0
  var collected: [Expression] = []
  for argument in arguments {
    let shown = argument.value.value?.text ?? argument.value.description
    let parameter: ParameterSpec
    if let label = argument.label {
      guard let found = leaf.parameter(named: label) else {
        let names = leaf.allParameters.map(\.name)
        let suggestion = EditDistance.suggestion(for: label, among: names)
        throw .error(
          "unknown parameter '\(label)' for \(commandName)", at: argument.labelLocation ?? argument.location,
          suggestion: suggestion,
          help: suggestion != nil ? nil
            : names.isEmpty ? "\(commandName) takes no parameters" : "\(commandName) takes " + names.joined(separator: ", "))
      }
      parameter = found
    } else if positionalIndex < leaf.positionals.count {
      parameter = leaf.positionals[positionalIndex]
      if leaf.isVariadic && positionalIndex == leaf.positionals.count - 1 {
        if entries[parameter.name] != nil { throw checker.givenTwice(parameter.name, at: argument, first: entries) }
        collected.append(argument.value)
        continue
      }
      positionalIndex += 1
    } else {
      let count = leaf.positionals.count
      let named = leaf.parameters.map(\.name)
      throw .error(
        count == 0
          ? "\(commandName) takes no positional arguments, got '\(shown)'"
          : "\(commandName) takes at most \(count) positional argument\(count == 1 ? "" : "s"), got '\(shown)'",
        at: argument.value.location,
        help: named.isEmpty ? "usage: \(leaf.usage(path: Array(path.dropLast())))"
          : "parameters are written name=value: " + named.joined(separator: ", "))
    }
    if entries[parameter.name] != nil || (parameter.name == leaf.positionals.last?.name && !collected.isEmpty) {
      throw checker.givenTwice(parameter.name, at: argument, first: entries)
    }
    let value = try checker.conform(argument.value, to: parameter.kind, parameter: parameter.name)
    entries[parameter.name] = BoundArguments.Entry(value: value, location: argument.value.location, isDefault: false)
  }
  if let variadic = leaf.positionals.last, !collected.isEmpty {
    let list = Expression(.list(collected), at: collected[0].location)
    let value = try checker.conform(list, to: variadic.kind, parameter: variadic.name)
    entries[variadic.name] = BoundArguments.Entry(value: value, location: collected[0].location, isDefault: false)
  }
  for parameter in leaf.allParameters where entries[parameter.name] == nil {
    if let value = parameter.defaultValue {
      entries[parameter.name] = BoundArguments.Entry(value: value, location: statement.location, isDefault: true)
    } else if parameter.isRequired {
      let isPositional = leaf.positionals.contains { $0.name == parameter.name }
      throw .error(
        isPositional
          ? "\(commandName) needs <\(parameter.name)>: \(parameter.kind.expectation)"
          : "\(commandName) needs \(parameter.name)=\(parameter.kind.placeholder): \(parameter.kind.expectation)",
        at: statement.nameLocation, help: "usage: \(leaf.usage(path: Array(path.dropLast()), resultKind: resultKind))")
    }
  }
  return BoundArguments(spec: leaf, path: path, statement: statement, entries: entries, resultKind: resultKind)
}

/// Checks values against parameter kinds for one statement.
struct ArgumentChecker {
  let commandName: String
  let workspace: [String: ValueKind]?

  func givenTwice(_ name: String, at argument: Argument, first entries: [String: BoundArguments.Entry]) -> Diagnostic {
    .error(
      "parameter '\(name)' is given twice", at: argument.labelLocation ?? argument.value.location,
      notes: entries[name].map { [Diagnostic.Note("first given here", at: $0.location)] } ?? [])
  }

  /// The value of `expression` normalized to `kind`, or the reason it does not fit.
  func conform(_ expression: Expression, to kind: ParameterKind, parameter name: String) throws(Diagnostic) -> Value {
    let location = expression.location
    switch kind {
    case .list(let element):
      return .list(try elements(of: expression, parameter: name).map { (item) throws(Diagnostic) in
        try conform(item, to: element, parameter: name)
      })
    case .oneOf(let alternatives):
      var suggestion: String?
      var nameError: Diagnostic?
      for alternative in alternatives {
        do throws(Diagnostic) {
          return try conform(expression, to: alternative, parameter: name)
        } catch {
          suggestion = suggestion ?? error.suggestion
          if case .name = alternative { nameError = nameError ?? error }
        }
      }
      // A bare word that is none of the choices was meant as a name: say which name is missing.
      if let nameError, case .word? = expression.value { throw nameError }
      throw .error("\(name) expects \(kind.expectation), got '\(shown(expression))'", at: location, suggestion: suggestion)
    default:
      break
    }
    guard let value = expression.value else { preconditionFailure("conform needs a substituted expression") }
    func mismatch() -> Diagnostic {
      .error("\(name) expects \(kind.expectation), got '\(value.text)'", at: location)
    }
    switch kind {
    case .int(let range):
      guard case .int(let number) = value else { throw mismatch() }
      if let range, !range.contains(number) {
        throw .error("\(name) must be \(ParameterKind.describe(range)), got \(number)", at: location)
      }
      return .int(number)
    case .double(let range):
      guard let number = value.doubleValue else { throw mismatch() }
      if let range, !range.contains(number) {
        throw .error("\(name) must be \(ParameterKind.describe(range)), got \(value.text)", at: location)
      }
      return .double(number)
    case .string:
      return .string(try text(of: value, orThrow: mismatch()))
    case .path(let extensions):
      let path = try text(of: value, orThrow: mismatch())
      guard !path.isEmpty else { throw .error("\(name) expects a path, got an empty string", at: location) }
      let lowered = path.lowercased()
      if !extensions.isEmpty && !extensions.contains(where: { lowered.hasSuffix("." + $0.lowercased()) }) {
        throw mismatch()
      }
      return .string(path)
    case .choice(let choices):
      let word = try text(of: value, orThrow: mismatch())
      if choices.contains(word) { return .string(word) }
      let lowered = word.lowercased()
      if let match = choices.first(where: { $0.lowercased() == lowered }) { return .string(match) }
      throw .error(
        "\(name) must be one of \(choices.joined(separator: ", ")); got '\(word)'", at: location,
        suggestion: EditDistance.suggestion(for: word, among: choices))
    case .bool:
      switch value {
      case .bool(let truth): return .bool(truth)
      case .int(1): return .bool(true)
      case .int(0): return .bool(false)
      case .word(let word), .string(let word):
        switch word.lowercased() {
        case "true", "yes", "on": return .bool(true)
        case "false", "no", "off": return .bool(false)
        default: throw mismatch()
        }
      default: throw mismatch()
      }
    case .name(let valueKind):
      guard let word = value.stringValue, Lexer.isName(word) else { throw mismatch() }
      guard let workspace else { return .string(word) }
      guard let actual = workspace[word] else {
        // The kind's own name (`highlight=selection`) means the latest value of that kind.
        if let valueKind, word == valueKind.rawValue { return .string(word) }
        let candidates = workspace.filter { valueKind == nil || $0.value == valueKind }.keys.sorted()
        let noun = valueKind?.rawValue ?? "value"
        throw .error(
          "no \(noun) named '\(word)'", at: location,
          suggestion: EditDistance.suggestion(for: word, among: candidates),
          help: candidates.isEmpty ? "there is no \(noun) yet" : nil)
      }
      if let valueKind, actual != valueKind {
        throw .error(
          "\(name) expects \(ParameterKind.withArticle(valueKind.rawValue)), but '\(word)' is \(ParameterKind.withArticle(actual.rawValue))",
          at: location)
      }
      return .string(word)
    case .list, .oneOf:
      preconditionFailure("handled above")
    }
  }

  private func text(of value: Value, orThrow error: Diagnostic) throws(Diagnostic) -> String {
    switch value {
    case .string(let text), .word(let text): return text
    case .int, .double: return value.description
    default: throw error
    }
  }

  private func shown(_ expression: Expression) -> String {
    expression.value?.text ?? expression.description
  }

  /// The element expressions of a list, range or single value (a list of one).
  private func elements(of expression: Expression, parameter name: String) throws(Diagnostic) -> [Expression] {
    switch expression.kind {
    case .list(let items):
      return items
    case .value(let value):
      switch value {
      case .list(let items):
        return items.map { Expression(.value($0), at: expression.location) }
      case .range(let range):
        guard range.count <= maximumListLength else {
          throw .error(
            "\(name) gets \(range.count) values from \(range), more than the \(maximumListLength) a list may hold",
            at: expression.location)
        }
        return range.map { Expression(.value(.int($0)), at: expression.location) }
      default:
        return [expression]
      }
    case .variable, .interpolation:
      preconditionFailure("conform needs a substituted expression")
    }
  }
}
