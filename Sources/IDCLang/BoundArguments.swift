/// A command statement checked against its spec: every parameter's value normalized to its
/// kind (see ``ParameterKind``), defaults filled in, with locations for run-time errors.
///
/// ```swift
/// let arguments = try registry.validate(statement, environment: environment)
/// let k = arguments.int("k")!                 // present: it has a default
/// guard k <= samples else {
///   throw arguments.error("k=\(k) exceeds the number of samples (\(samples))", at: "k")
/// }
/// ```
public struct BoundArguments: Sendable, Hashable {
  /// One bound parameter.
  public struct Entry: Sendable, Hashable {
    /// The normalized value.
    public var value: Value
    /// Where it was written (the statement, for a default).
    public var location: SourceSpan
    /// Whether it came from the spec's default rather than the statement.
    public var isDefault: Bool
  }

  /// The spec the statement was checked against (the subcommand's, for a subcommand).
  public var spec: CommandSpec
  /// The command words, e.g. `["kmeans"]` or `["plot", "tsne"]`, primary names even when an
  /// alias was typed.
  public var path: [String]
  /// The statement after substitution, as written otherwise (what `--echo` prints).
  public var statement: CommandStatement
  /// The bound parameters by name.
  public var entries: [String: Entry]
  /// The kind of value the statement produces (the spec's, or its parent command's).
  public var resultKind: ValueKind?

  /// The command words joined: `kmeans`, `plot tsne`.
  public var commandName: String { path.joined(separator: " ") }

  /// The name the result is bound to, if any.
  public var binding: String? { statement.binding }

  /// The value of parameter `name`, or nil when it is absent (optional, no default).
  public subscript(name: String) -> Value? { entries[name]?.value }

  /// The `.int` of `name`.
  public func int(_ name: String) -> Int? { self[name]?.intValue }
  /// The `.double` of `name`.
  public func double(_ name: String) -> Double? { self[name]?.doubleValue }
  /// The `.bool` of `name`.
  public func bool(_ name: String) -> Bool? { self[name]?.boolValue }
  /// The text of `name` (`.string`, `.path`, `.choice` and `.name` parameters).
  public func string(_ name: String) -> String? { self[name]?.stringValue }
  /// The elements of a `.list` parameter.
  public func list(_ name: String) -> [Value]? { self[name]?.listValue }
  /// The elements of a `.list` parameter as texts.
  public func strings(_ name: String) -> [String]? { list(name)?.compactMap(\.stringValue) }
  /// The elements of a `.list` parameter as integers.
  public func ints(_ name: String) -> [Int]? { list(name)?.compactMap(\.intValue) }

  /// Whether `name` was written in the statement (not defaulted, not absent).
  public func isExplicit(_ name: String) -> Bool { entries[name].map { !$0.isDefault } ?? false }

  /// Where `name` was written, else the statement.
  public func location(of name: String) -> SourceSpan {
    entries[name].flatMap { $0.isDefault ? nil : $0.location } ?? statement.location
  }

  /// An error about parameter `name` (located at its value, or at the statement when it was
  /// defaulted), or about the whole statement when `name` is nil.
  public func error(_ message: String, at name: String? = nil, help: String? = nil) -> Diagnostic {
    .error(message, at: name.map(location(of:)) ?? statement.location, help: help)
  }
}
