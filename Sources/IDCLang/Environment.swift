import IDCText

/// The `$variables` in scope while a script runs, and substitution of their values.
///
/// The evaluator keeps one `Environment`: it pushes a scope for each `for` loop, defines the
/// loop variable there for each element, and substitutes a statement before validating it:
///
/// ```swift
/// for value in try environment.loopValues(loop) {
///   environment.pushScope()
///   environment.define(loop.variable, value)
///   … run loop.body, each command via environment.substitute(command) …
///   environment.popScope()
/// }
/// ```
///
/// Bare names such as `highlight=sel` are not variables: they stay words, and the evaluator
/// resolves them against the workspace.
public struct Environment: Sendable, Hashable {
  private var scopes: [[String: Value]]

  /// Creates an environment with one (global) scope holding `variables`.
  public init(_ variables: [String: Value] = [:]) {
    scopes = [variables]
  }

  /// The value of `name` in the innermost scope defining it.
  public subscript(name: String) -> Value? {
    for scope in scopes.reversed() {
      if let value = scope[name] { return value }
    }
    return nil
  }

  /// Every defined name, sorted.
  public var names: [String] {
    Array(Set(scopes.flatMap(\.keys))).sorted()
  }

  /// Defines (or redefines) `name` in the innermost scope.
  public mutating func define(_ name: String, _ value: Value) {
    scopes[scopes.count - 1][name] = value
  }

  /// Opens a scope, e.g. for one iteration of a loop.
  public mutating func pushScope() {
    scopes.append([:])
  }

  /// Closes the innermost scope; the global scope is never removed.
  public mutating func popScope() {
    if scopes.count > 1 { scopes.removeLast() }
  }

  /// `statement` with every `$variable` and interpolated string replaced by its value.
  /// - Throws: an unknown variable, with a near-miss among the defined names.
  public func substitute(_ statement: CommandStatement) throws(Diagnostic) -> CommandStatement {
    var result = statement
    for index in result.arguments.indices {
      result.arguments[index].value = try resolve(result.arguments[index].value)
    }
    return result
  }

  /// `expression` with its variables replaced by their values.
  public func resolve(_ expression: Expression) throws(Diagnostic) -> Expression {
    try resolveExpression(expression, lookup: { self[$0] }, names: { names })
  }

  /// What a loop iterates over: its list or range, after substitution.
  /// - Throws: an unknown variable, or a sequence that is neither a list nor a range.
  public func loopValues(_ loop: ForLoop) throws(Diagnostic) -> LoopValues {
    let resolved = try resolve(loop.sequence)
    switch resolved.kind {
    case .value(let value):
      switch value {
      case .list, .range: return LoopValues(value)
      default:
        throw .error(
          "cannot loop over \(value.kindDescription) '\(value)'", at: resolved.location,
          help: "loop over a list such as [a, b] or a range such as 1..5")
      }
    case .list(let elements):
      return LoopValues(.list(elements.compactMap(\.value)))
    case .variable, .interpolation:
      preconditionFailure("resolve leaves no variables")
    }
  }
}

/// The values a `for` loop takes, in order: the elements of a list or the integers of a range
/// (not expanded in memory).
public struct LoopValues: Sequence, Sendable {
  /// The list or range.
  public let value: Value

  init(_ value: Value) { self.value = value }

  /// How many values the loop takes.
  public var count: Int {
    switch value {
    case .list(let elements): return elements.count
    case .range(let range): return range.count
    default: return 1
    }
  }

  /// Iterates the values.
  public struct Iterator: IteratorProtocol, Sendable {
    var elements: IndexingIterator<[Value]>?
    var range: IntRange.Iterator?

    /// The next value, or nil at the end.
    public mutating func next() -> Value? {
      if elements != nil { return elements!.next() }
      return range?.next().map(Value.int)
    }
  }

  /// An iterator over the values.
  public func makeIterator() -> Iterator {
    switch value {
    case .range(let range): return Iterator(elements: nil, range: range.makeIterator())
    case .list(let elements): return Iterator(elements: elements.makeIterator(), range: nil)
    default: return Iterator(elements: [value].makeIterator(), range: nil)
    }
  }
}

/// `statement` with every `$variable` replaced by `lookup(name)` and every interpolated string
/// joined into text (``Value/text`` of each variable). `names` are the defined names offered
/// as "did you mean" for an unknown one. Substituted values take the location of the variable.
public func substitute(
  _ statement: CommandStatement, lookup: (String) -> Value?, names: [String] = []
) throws(Diagnostic) -> CommandStatement {
  var result = statement
  for index in result.arguments.indices {
    result.arguments[index].value = try resolveExpression(result.arguments[index].value, lookup: lookup, names: { names })
  }
  return result
}

/// `expression` with every `$variable` replaced by `lookup(name)`; see
/// ``substitute(_:lookup:names:)-(CommandStatement,_,_)``.
public func substitute(
  _ expression: Expression, lookup: (String) -> Value?, names: [String] = []
) throws(Diagnostic) -> Expression {
  try resolveExpression(expression, lookup: lookup, names: { names })
}

/// ``substitute(_:lookup:names:)`` with the names computed only for an error message.
private func resolveExpression(
  _ expression: Expression, lookup: (String) -> Value?, names: () -> [String]
) throws(Diagnostic) -> Expression {
  switch expression.kind {
  case .value:
    return expression
  case .variable(let name):
    return Expression(.value(try lookUp(name, at: expression.location, lookup: lookup, names: names)), at: expression.location)
  case .interpolation(let segments):
    var text = ""
    for segment in segments {
      switch segment {
      case .text(let piece): text += piece
      case .variable(let name, let location): text += try lookUp(name, at: location, lookup: lookup, names: names).text
      }
    }
    return Expression(.value(.string(text)), at: expression.location)
  case .list(let elements):
    var resolved: [Expression] = []
    resolved.reserveCapacity(elements.count)
    for element in elements { resolved.append(try resolveExpression(element, lookup: lookup, names: names)) }
    return Expression(.list(resolved), at: expression.location)
  }
}

private func lookUp(
  _ name: String, at location: SourceSpan, lookup: (String) -> Value?, names: () -> [String]
) throws(Diagnostic) -> Value {
  if let value = lookup(name) { return value }
  let names = names()
  let suggestion = EditDistance.suggestion(for: name, among: names).map { "$" + $0 }
  throw .error(
    "unknown variable '$\(name)'", at: location, suggestion: suggestion,
    help: suggestion != nil ? nil
      : names.isEmpty ? "variables are defined by loops: for \(name) in [a, b] { … }"
      : "the variables here are " + names.map { "$" + $0 }.joined(separator: ", "))
}
