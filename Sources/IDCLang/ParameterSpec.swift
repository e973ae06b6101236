/// The type of a command parameter: what values it accepts and how they are normalized.
///
/// | kind | accepts | bound as |
/// | --- | --- | --- |
/// | `.int(range:)` | an integer (not `10.0`) | `.int` |
/// | `.double(range:)` | an integer or a number | `.double` |
/// | `.string` | a word, a string or a number | `.string` |
/// | `.path(extensions:)` | a word or string ending in one of the extensions (any when empty; case-insensitive) | `.string` |
/// | `.choice(_:)` | one of the words (exact, else ignoring case) | `.string`, as declared |
/// | `.bool` | `true`/`false`, `yes`/`no`, `on`/`off`, `1`/`0` | `.bool` |
/// | `.list(of:)` | a list or range whose elements fit, or one value (a list of one) | `.list` |
/// | `.name(kind:)` | a name of a workspace value, of that kind when given | `.string` |
/// | `.oneOf(_:)` | anything the first fitting alternative accepts | as that alternative |
public indirect enum ParameterKind: Sendable, Hashable {
  /// An integer, optionally within a range.
  case int(range: ClosedRange<Int>?)
  /// A floating-point number, optionally within a range.
  case double(range: ClosedRange<Double>?)
  /// Free text.
  case string
  /// A file path, optionally with one of the given extensions (without dots, e.g. `"npy"`).
  case path(extensions: [String])
  /// One of a fixed set of words.
  case choice([String])
  /// A truth value.
  case bool
  /// A list of values of one kind.
  case list(of: ParameterKind)
  /// The name of a workspace value (a binding such as `sel`), optionally of one kind such as
  /// `.selection` (the ``CommandSpec/resultKind`` of the command that made it).
  case name(kind: ValueKind?)
  /// The first alternative that accepts the value, e.g. a built-in data set name or a path.
  case oneOf([ParameterKind])

  /// The placeholder in a usage line: `<int>`, `<number>`, `<text>`, `<path>`, `<choice>`,
  /// `<bool>`, `<list>`, `<name>`.
  public var placeholder: String {
    switch self {
    case .int: return "<int>"
    case .double: return "<number>"
    case .string: return "<text>"
    case .path: return "<path>"
    case .choice: return "<choice>"
    case .bool: return "<bool>"
    case .list: return "<list>"
    case .name: return "<name>"
    case .oneOf(let kinds): return kinds.first?.placeholder ?? "<value>"
    }
  }

  /// What the kind accepts, as a noun phrase for messages and help: "an integer in 1...100",
  /// "one of random, hard", "a .npy or .npz file", "a list of integers", …
  public var expectation: String {
    switch self {
    case .int(let range): return "an integer" + (range.map { " " + Self.describe($0) } ?? "")
    case .double(let range): return "a number" + (range.map { " " + Self.describe($0) } ?? "")
    case .string: return "a string"
    case .path(let extensions):
      if extensions.isEmpty { return "a path" }
      return "a " + Self.orList(extensions.map { "." + $0 }) + " file"
    case .choice(let choices): return "one of " + choices.joined(separator: ", ")
    case .bool: return "true or false"
    case .list(let element): return "a list of " + element.pluralExpectation
    case .name(let kind): return "the name of " + (kind.map { Self.withArticle($0.rawValue) } ?? "a value")
    case .oneOf(let kinds): return Self.orList(kinds.map(\.expectation))
    }
  }

  private var pluralExpectation: String {
    switch self {
    case .int(let range): return "integers" + (range.map { " " + Self.describe($0) } ?? "")
    case .double(let range): return "numbers" + (range.map { " " + Self.describe($0) } ?? "")
    case .string: return "strings"
    case .path: return "paths"
    case .choice(let choices): return "values among " + choices.joined(separator: ", ")
    case .bool: return "truth values"
    case .list: return "lists"
    case .name(let kind): return "names of " + (kind?.plural ?? "values")
    case .oneOf: return "values that are each " + expectation
    }
  }

  /// `in 1...100`, `at least 1`, `at most 5` (open ends are `Int.min`/`Int.max`).
  static func describe(_ range: ClosedRange<Int>) -> String {
    if range.upperBound == Int.max { return "at least \(range.lowerBound)" }
    if range.lowerBound == Int.min { return "at most \(range.upperBound)" }
    return "in \(range.lowerBound)...\(range.upperBound)"
  }

  /// `in 0.0...1.0`, `at least 0.0`, `at most 1.0` (open ends are infinite).
  static func describe(_ range: ClosedRange<Double>) -> String {
    if range.upperBound == .infinity { return "at least \(range.lowerBound)" }
    if range.lowerBound == -.infinity { return "at most \(range.upperBound)" }
    return "in \(range.lowerBound)...\(range.upperBound)"
  }

  static func orList(_ items: [String]) -> String {
    switch items.count {
    case 0: return "nothing"
    case 1: return items[0]
    default: return items.dropLast().joined(separator: ", ") + " or " + items[items.count - 1]
    }
  }

  static func withArticle(_ noun: String) -> String {
    let vowels: Set<Character> = ["a", "e", "i", "o", "u"]
    return (noun.first.map { vowels.contains(Character($0.lowercased())) } ?? false ? "an " : "a ") + noun
  }
}

/// One parameter of a command: a name, a type, a default and a line of help.
///
/// A parameter is either *required* (no default; leaving it out is an error) or optional
/// (bound to its default when left out; without a default it is simply absent).
public struct ParameterSpec: Sendable, Hashable {
  /// The name, written `name=value` (positional parameters may also be written that way).
  public var name: String
  /// What values it accepts.
  public var kind: ParameterKind
  /// The value used when it is left out.
  public var defaultValue: Value?
  /// One line for the help table.
  public var help: String
  /// Whether leaving it out is an error.
  public var isRequired: Bool

  /// Creates a parameter.
  public init(_ name: String, _ kind: ParameterKind, default defaultValue: Value? = nil, required: Bool = false, help: String) {
    self.name = name
    self.kind = kind
    self.defaultValue = defaultValue
    self.isRequired = required
    self.help = help
  }

  /// An integer parameter, e.g. `.int("k", in: 2...1000, default: 10, help: "number of clusters")`.
  public static func int(
    _ name: String, in range: ClosedRange<Int>? = nil, default value: Int? = nil, required: Bool = false, help: String
  ) -> ParameterSpec {
    ParameterSpec(name, .int(range: range), default: value.map(Value.int), required: required, help: help)
  }

  /// A number parameter.
  public static func double(
    _ name: String, in range: ClosedRange<Double>? = nil, default value: Double? = nil, required: Bool = false,
    help: String
  ) -> ParameterSpec {
    ParameterSpec(name, .double(range: range), default: value.map(Value.double), required: required, help: help)
  }

  /// A text parameter.
  public static func string(_ name: String, default value: String? = nil, required: Bool = false, help: String) -> ParameterSpec {
    ParameterSpec(name, .string, default: value.map(Value.string), required: required, help: help)
  }

  /// A file path parameter; `extensions` without dots, e.g. `["npy", "npz"]`.
  public static func path(
    _ name: String, extensions: [String] = [], default value: String? = nil, required: Bool = false, help: String
  ) -> ParameterSpec {
    ParameterSpec(name, .path(extensions: extensions), default: value.map(Value.string), required: required, help: help)
  }

  /// A parameter taking one of `choices`.
  public static func choice(
    _ name: String, _ choices: [String], default value: String? = nil, required: Bool = false, help: String
  ) -> ParameterSpec {
    ParameterSpec(name, .choice(choices), default: value.map(Value.string), required: required, help: help)
  }

  /// A truth-value parameter.
  public static func bool(_ name: String, default value: Bool? = nil, help: String) -> ParameterSpec {
    ParameterSpec(name, .bool, default: value.map(Value.bool), help: help)
  }

  /// A parameter naming a workspace value, e.g. `.name("highlight", kind: "selection", help: …)`.
  public static func name(_ name: String, kind: ValueKind? = nil, required: Bool = false, help: String) -> ParameterSpec {
    ParameterSpec(name, .name(kind: kind), required: required, help: help)
  }
}
