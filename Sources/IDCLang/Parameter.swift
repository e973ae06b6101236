/// A command parameter declared once, with its Swift type: the ``ParameterSpec`` that drives
/// parsing, validation, help, completion and the README reference, and how `run` reads the
/// validated value — `args[Self.nInit]` is an `Int`, `args[Self.k]` an `Int?`,
/// `args[Self.strategy]` a `SelectionStrategy`. No string look-ups, no force-unwraps: a
/// defaulted parameter reads as its type, an optional one as an optional.
///
/// ```swift
/// static let nInit: Parameter<Int> = .int("n_init", in: 1...1000, default: KMeans.defaults.nInit,
///                                         help: "restarts; the best objective is kept")
/// static let k: Parameter<Int?> = .int("k", in: 1...100_000, help: "number of clusters")
/// …
/// let km = KMeans(k: k, nInit: args[nInit])
/// ```
public struct Parameter<Wrapped: Sendable>: ParameterDeclaration, Sendable {
  /// The declaration the language sees.
  public let spec: ParameterSpec
  /// The value as `run` reads it, from the validated (normalised, defaulted) value.
  let read: @Sendable (Value?) -> Wrapped

  /// A parameter with an explicit reader (for kinds the factories below do not cover).
  public init(_ spec: ParameterSpec, read: @escaping @Sendable (Value?) -> Wrapped) {
    self.spec = spec
    self.read = read
  }

  /// The name written `name=value`.
  public var name: String { spec.name }
}

/// Anything that declares a parameter: a typed ``Parameter`` or a bare ``ParameterSpec``.
public protocol ParameterDeclaration: Sendable {
  var spec: ParameterSpec { get }
}

extension ParameterSpec: ParameterDeclaration {
  public var spec: ParameterSpec { self }
}

/// The `ParameterSpec`s of a list of declarations, for a ``CommandSpec``.
public func specs(_ declarations: any ParameterDeclaration...) -> [ParameterSpec] { declarations.map(\.spec) }

/// A choice parameter's Swift type: an enum whose raw values are the words typed.
public protocol ChoiceValue: RawRepresentable, CaseIterable, Sendable where RawValue == String {}

extension BoundArguments {
  /// The validated value of `parameter`.
  public subscript<T>(_ parameter: Parameter<T>) -> T { parameter.read(self[parameter.name]) }

  /// Whether `parameter` was written in the statement (not defaulted, not absent).
  public func isExplicit<T>(_ parameter: Parameter<T>) -> Bool { isExplicit(parameter.name) }

  /// An error about `parameter`, located at its value (or at the statement when defaulted).
  public func error<T>(_ message: String, at parameter: Parameter<T>, help: String? = nil) -> Diagnostic {
    error(message, at: parameter.name, help: help)
  }
}

// MARK: - Numbers

extension Parameter where Wrapped == Int {
  /// An integer with a default.
  public static func int(_ name: String, in range: ClosedRange<Int>? = nil, default value: Int, help: String) -> Self {
    Self(.int(name, in: range, default: value, help: help)) { $0?.intValue ?? value }
  }
}

extension Parameter where Wrapped == Int? {
  /// An optional integer (nil when left out).
  public static func int(_ name: String, in range: ClosedRange<Int>? = nil, help: String) -> Self {
    Self(.int(name, in: range, help: help)) { $0?.intValue }
  }
}

extension Parameter where Wrapped == Double {
  /// A number with a default.
  public static func double(_ name: String, in range: ClosedRange<Double>? = nil, default value: Double, help: String) -> Self {
    Self(.double(name, in: range, default: value, help: help)) { $0?.doubleValue ?? value }
  }
}

extension Parameter where Wrapped == Double? {
  /// An optional number (nil when left out).
  public static func double(_ name: String, in range: ClosedRange<Double>? = nil, help: String) -> Self {
    Self(.double(name, in: range, help: help)) { $0?.doubleValue }
  }
}

extension Parameter where Wrapped == Float {
  /// A number with a default, read as `Float` (the core's training precision).
  public static func float(_ name: String, in range: ClosedRange<Double>? = nil, default value: Float, help: String) -> Self {
    // The default as written (0.001), not as the nearest Double to the Float (0.0010000000474974513).
    Self(.double(name, in: range, default: Double(value.description) ?? Double(value), help: help)) {
      $0?.doubleValue.map(Float.init) ?? value
    }
  }
}

extension Parameter where Wrapped == Bool {
  /// A truth value with a default.
  public static func bool(_ name: String, default value: Bool, help: String) -> Self {
    Self(.bool(name, default: value, help: help)) { $0?.boolValue ?? value }
  }
}

extension Parameter where Wrapped == Bool? {
  /// An optional truth value.
  public static func bool(_ name: String, help: String) -> Self {
    Self(.bool(name, help: help)) { $0?.boolValue }
  }
}

// MARK: - Text, paths and names

extension Parameter where Wrapped == String {
  /// Text with a default.
  public static func string(_ name: String, default value: String, help: String) -> Self {
    Self(.string(name, default: value, help: help)) { $0?.stringValue ?? value }
  }

  /// Required text: leaving it out is a validation error.
  public static func requiredString(_ name: String, help: String) -> Self {
    Self(.string(name, required: true, help: help)) { $0?.stringValue ?? "" }
  }

  /// A path with a default; `extensions` without dots.
  public static func path(_ name: String, extensions: [String] = [], default value: String, help: String) -> Self {
    Self(.path(name, extensions: extensions, default: value, help: help)) { $0?.stringValue ?? value }
  }

  /// A required path.
  public static func requiredPath(_ name: String, extensions: [String] = [], help: String) -> Self {
    Self(.path(name, extensions: extensions, required: true, help: help)) { $0?.stringValue ?? "" }
  }
}

extension Parameter where Wrapped == String? {
  /// Optional text.
  public static func string(_ name: String, help: String) -> Self {
    Self(.string(name, help: help)) { $0?.stringValue }
  }

  /// An optional path.
  public static func path(_ name: String, extensions: [String] = [], help: String) -> Self {
    Self(.path(name, extensions: extensions, help: help)) { $0?.stringValue }
  }

  /// The name of a workspace value of `kind` (nil: use the latest of that kind).
  public static func name(_ name: String, kind: ValueKind?, help: String) -> Self {
    Self(.name(name, kind: kind, help: help)) { $0?.stringValue }
  }
}

extension Parameter where Wrapped == Value? {
  /// A parameter of any kind, read as the language value (`define`'s value, `print`'s text).
  public static func value(_ spec: ParameterSpec) -> Self { Self(spec) { $0 } }
}

// MARK: - Choices and lists

extension Parameter where Wrapped: ChoiceValue {
  /// One of `Wrapped`'s cases, typed as its raw value, with a default.
  public static func choice(_ name: String, default value: Wrapped, help: String) -> Self {
    Self(.choice(name, Wrapped.allCases.map(\.rawValue), default: value.rawValue, help: help)) {
      $0?.stringValue.flatMap(Wrapped.init(rawValue:)) ?? value
    }
  }
}

extension Parameter {
  /// An optional choice among `E`'s cases.
  public static func choice<E: ChoiceValue>(_ name: String, of type: E.Type, help: String) -> Self where Wrapped == E? {
    Self(.choice(name, E.allCases.map(\.rawValue), help: help)) { $0?.stringValue.flatMap(E.init(rawValue:)) }
  }

  /// A list of `E`'s cases, with a default list.
  public static func choices<E: ChoiceValue>(_ name: String, default value: [E], help: String) -> Self where Wrapped == [E] {
    Self(ParameterSpec(name, .list(of: .choice(E.allCases.map(\.rawValue))), default: .list(value.map { .string($0.rawValue) }),
                       help: help)) {
      $0?.listValue.map { $0.compactMap { $0.stringValue.flatMap(E.init(rawValue:)) } } ?? value
    }
  }
}

extension Parameter where Wrapped == [Int] {
  /// A list of integers (each in `range`), with a default list.
  public static func ints(_ name: String, in range: ClosedRange<Int>? = nil, default value: [Int], help: String) -> Self {
    Self(ParameterSpec(name, .list(of: .int(range: range)), default: .list(value.map(Value.int)), help: help)) {
      $0?.listValue.map { $0.compactMap(\.intValue) } ?? value
    }
  }
}

extension Parameter where Wrapped == [String] {
  /// A list of texts, empty when left out.
  public static func strings(_ name: String, help: String) -> Self {
    Self(ParameterSpec(name, .list(of: .string), help: help)) { $0?.listValue.map { $0.compactMap(\.stringValue) } ?? [] }
  }
}
