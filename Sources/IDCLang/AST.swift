// The syntax tree of idc statements.
//
// Every node keeps the location of its source so any later stage — substitution, validation,
// the evaluator — can point at it. `description` prints a node back as canonical idc source
// (see SourceFormatting.swift), which parses to the same tree.

/// One statement: a command or a `for` loop.
public enum Statement: Sendable, Hashable {
  /// `[name =] command argument…`
  case command(CommandStatement)
  /// `for name in sequence { statement… }`
  case forLoop(ForLoop)

  /// The location of the statement's first line.
  public var location: SourceSpan {
    switch self {
    case .command(let command): return command.location
    case .forLoop(let loop): return loop.location
    }
  }
}

/// A command with its arguments and an optional binding: `sel = select m=100 strategy=hard`.
public struct CommandStatement: Sendable, Hashable {
  /// The name the result is bound to (`sel`), if any.
  public var binding: String?
  /// Where the binding name is.
  public var bindingLocation: SourceSpan?
  /// The command name as written (`select`, or an alias).
  public var name: String
  /// Where the command name is.
  public var nameLocation: SourceSpan
  /// The arguments in source order, positional and labelled mixed.
  public var arguments: [Argument]
  /// The statement's span on its first line (binding through last argument there).
  public var location: SourceSpan

  /// Creates a command statement.
  public init(
    binding: String? = nil, bindingLocation: SourceSpan? = nil, name: String, nameLocation: SourceSpan,
    arguments: [Argument], location: SourceSpan
  ) {
    self.binding = binding
    self.bindingLocation = bindingLocation
    self.name = name
    self.nameLocation = nameLocation
    self.arguments = arguments
    self.location = location
  }

  /// The arguments without a label, in order.
  public var positionalArguments: [Argument] { arguments.filter { $0.label == nil } }

  /// The first argument labelled `label`, if any.
  public func argument(labeled label: String) -> Argument? {
    arguments.first { $0.label == label }
  }

  /// The statement with `label=value` (replacing any argument of that label): the
  /// statement that redoes an interrupted command's partial work (`train epochs=2016`).
  public func setting(_ label: String, to value: Value) -> CommandStatement {
    var copy = self
    copy.arguments.removeAll { $0.label == label }
    copy.arguments.append(Argument(label: label, value: Expression(.value(value), at: location)))
    return copy
  }
}

/// One argument: a positional `value` or a labelled `key=value`.
public struct Argument: Sendable, Hashable {
  /// The parameter name before `=`, or nil for a positional argument.
  public var label: String?
  /// Where the label is.
  public var labelLocation: SourceSpan?
  /// The value.
  public var value: Expression

  /// Creates an argument.
  public init(label: String? = nil, labelLocation: SourceSpan? = nil, value: Expression) {
    self.label = label
    self.labelLocation = labelLocation
    self.value = value
  }

  /// The span from the label (if any) to the end of the value, when both sit on one line.
  public var location: SourceSpan {
    labelLocation?.extended(through: value.location) ?? value.location
  }
}

/// `for variable in sequence { body }`.
public struct ForLoop: Sendable, Hashable {
  /// The loop variable, referenced as `$variable` in the body.
  public var variable: String
  /// Where the loop variable is.
  public var variableLocation: SourceSpan
  /// What to iterate: a list, a range or a `$variable` holding one.
  public var sequence: Expression
  /// The statements run for each element.
  public var body: [Statement]
  /// The span of the `for` keyword.
  public var location: SourceSpan

  /// Creates a loop.
  public init(
    variable: String, variableLocation: SourceSpan, sequence: Expression, body: [Statement],
    location: SourceSpan
  ) {
    self.variable = variable
    self.variableLocation = variableLocation
    self.sequence = sequence
    self.body = body
    self.location = location
  }
}

/// A value as written: a literal, a variable, an interpolated string or a list of expressions.
public struct Expression: Sendable, Hashable {
  /// The forms an expression takes.
  public enum Kind: Sendable, Hashable {
    /// A literal (or a value substituted for a variable).
    case value(Value)
    /// `$name`.
    case variable(String)
    /// A double-quoted string with at least one `$name` in it.
    case interpolation([StringSegment])
    /// `[e1, e2, …]`.
    case list([Expression])
  }

  /// The form.
  public var kind: Kind
  /// Where the expression is (for a list, its `[`…`]` when on one line, else the `[`).
  public var location: SourceSpan

  /// Creates an expression.
  public init(_ kind: Kind, at location: SourceSpan) {
    self.kind = kind
    self.location = location
  }

  /// The value when the expression contains no variable, else nil.
  public var value: Value? {
    switch kind {
    case .value(let value): return value
    case .variable, .interpolation: return nil
    case .list(let elements):
      var values: [Value] = []
      values.reserveCapacity(elements.count)
      for element in elements {
        guard let value = element.value else { return nil }
        values.append(value)
      }
      return .list(values)
    }
  }
}
