/// The declaration of a command: everything parsing, validation, `help`, completion and the
/// README reference need to know about it (compare swift-argument-parser's `@Option`,
/// scikit-learn's `_parameter_constraints`, gnuplot's `command_ftbl`).
///
/// ```swift
/// let kmeans = CommandSpec(
///   name: "kmeans", abstract: "cluster the features with k-means++",
///   parameters: [
///     .int("k", in: 2...10_000, default: 10, help: "number of clusters"),
///     .int("seed", default: 0, help: "random seed"),
///   ],
///   examples: ["kmeans k=10 seed=0"], resultKind: .clustering)
/// ```
///
/// Positional parameters are bound in order (they may also be written `name=value`); when the
/// last one is a `.list`, it collects all remaining positional arguments. A command with
/// `subcommands` takes the subcommand's name as its first positional argument
/// (`plot tsne highlight=sel`), or runs `defaultSubcommand` when the first positional names
/// none. Aliases are declared here, never guessed from prefixes.
public struct CommandSpec: Sendable, Hashable {
  /// The name typed to run it.
  public var name: String
  /// Other names that run it.
  public var aliases: [String]
  /// One line: what it does, lowercase, no period.
  public var abstract: String
  /// Longer help, shown after the usage line.
  public var discussion: String?
  /// Parameters given by position, in order.
  public var positionals: [ParameterSpec]
  /// Parameters given as `name=value`.
  public var parameters: [ParameterSpec]
  /// Subcommands, chosen by the first positional argument.
  public var subcommands: [CommandSpec]
  /// The subcommand used when the first positional argument names none.
  public var defaultSubcommand: String?
  /// Example statements, each of which validates against the registry.
  public var examples: [String]
  /// What kind of value it produces for `name = command …` (e.g. `.selection`); nil when it
  /// produces none, and binding it is an error. A subcommand without one inherits its parent's.
  public var resultKind: ValueKind?
  /// Whether the command defines a script variable from its `name` and `value` positionals
  /// (`define`), so that checking a script without running it knows `$name` from then on.
  public var definesVariable: Bool

  /// Creates a command declaration.
  public init(
    name: String, aliases: [String] = [], abstract: String, discussion: String? = nil,
    positionals: [ParameterSpec] = [], parameters: [ParameterSpec] = [], subcommands: [CommandSpec] = [],
    defaultSubcommand: String? = nil, examples: [String] = [], resultKind: ValueKind? = nil,
    definesVariable: Bool = false
  ) {
    self.definesVariable = definesVariable
    self.name = name
    self.aliases = aliases
    self.abstract = abstract
    self.discussion = discussion
    self.positionals = positionals
    self.parameters = parameters
    self.subcommands = subcommands
    self.defaultSubcommand = defaultSubcommand
    self.examples = examples
    self.resultKind = resultKind
  }

  /// The name and the aliases.
  public var allNames: [String] { [name] + aliases }

  /// Positional and named parameters, positional first.
  public var allParameters: [ParameterSpec] { positionals + parameters }

  /// The parameter called `name`, positional or not.
  public func parameter(named name: String) -> ParameterSpec? {
    allParameters.first { $0.name == name }
  }

  /// The subcommand called `name` (or with that alias).
  public func subcommand(named name: String) -> CommandSpec? {
    subcommands.first { $0.allNames.contains(name) }
  }

  /// Whether the last positional collects the remaining positional arguments.
  var isVariadic: Bool {
    if case .list = positionals.last?.kind { return true }
    return false
  }

  /// The usage line, e.g. `[name =] select [m=<int>] [strategy=<choice>]`; `path` is the
  /// words before the name for a subcommand (`["plot"]`).
  public func usage(path: [String] = [], resultKind inherited: ValueKind? = nil) -> String {
    var words = path + [name]
    if !subcommands.isEmpty {
      words.append("<" + subcommands.map(\.name).joined(separator: "|") + ">")
      words.append("…")
    }
    for (index, positional) in positionals.enumerated() {
      var word = "<\(positional.name)>"
      if index == positionals.count - 1 && isVariadic { word += "…" }
      words.append(positional.isRequired ? word : "[\(word)]")
    }
    for parameter in parameters {
      let word = "\(parameter.name)=\(parameter.kind.placeholder)"
      words.append(parameter.isRequired ? word : "[\(word)]")
    }
    let prefix = (resultKind ?? inherited) == nil ? "" : "[name =] "
    return prefix + words.joined(separator: " ")
  }
}
