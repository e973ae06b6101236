// The whole front end in one call: parse a script and check every statement against the
// registry before anything runs (for `idc check`, for a script runner that wants to fail fast,
// and for golden tests).

/// The outcome of running the front end on a script.
public struct FrontEndReport: Sendable {
  /// The file name used in locations.
  public var file: String
  /// The source text.
  public var source: String
  /// The program, or nil when it did not parse.
  public var program: Program?
  /// The syntax error, or every validation problem found, in the order the checker met them.
  public var diagnostics: [Diagnostic]

  /// True when the script parsed and no statement was rejected.
  public var succeeded: Bool { program != nil && diagnostics.isEmpty }

  /// All diagnostics rendered as the user sees them.
  public func rendered(useColor: Bool = false) -> String {
    DiagnosticRenderer(file: file, source: source, useColor: useColor).render(diagnostics)
  }
}

/// Parses `source` and, when it parses, checks it with ``checkProgram(_:registry:variables:workspace:)``.
public func runFrontEnd(
  source: String, file: String, registry: CommandRegistry, variables: [String: Value] = [:],
  workspace: [String: ValueKind]? = nil
) -> FrontEndReport {
  do throws(Diagnostic) {
    let program = try parse(source, file: file)
    let diagnostics = checkProgram(program, registry: registry, variables: variables, workspace: workspace)
    return FrontEndReport(file: file, source: source, program: program, diagnostics: diagnostics)
  } catch {
    return FrontEndReport(file: file, source: source, program: nil, diagnostics: [error])
  }
}

/// Checks every statement of `program` without running it: commands exist, arguments fit
/// their specs, variables are defined.
///
/// A loop body is checked once for each of the first ``staticLoopSampleSize`` distinct values of
/// its list or range, with the loop variable bound to it, so `for s in [hard, hrad]` reports
/// `hrad`. `variables` are defined globally. When `workspace` is given (names to kinds), `.name`
/// parameters must name a value in it or one bound earlier in the script (with the binding
/// command's result kind); when nil, names are not checked — a script may load or `source`
/// values the checker cannot see. A loop whose sequence cannot be resolved is reported and its
/// body skipped. Identical diagnostics are reported once.
public func checkProgram(
  _ program: Program, registry: CommandRegistry, variables: [String: Value] = [:], workspace: [String: ValueKind]? = nil
) -> [Diagnostic] {
  var checker = StaticChecker(registry: registry, environment: Environment(variables), workspace: workspace)
  checker.check(program.statements)
  return checker.diagnostics
}

/// How many distinct loop values a static check tries per loop.
public let staticLoopSampleSize = 16

private struct StaticChecker {
  let registry: CommandRegistry
  var environment: Environment
  var workspace: [String: ValueKind]?
  var diagnostics: [Diagnostic] = []
  var seen: Set<Diagnostic> = []

  init(registry: CommandRegistry, environment: Environment, workspace: [String: ValueKind]?) {
    self.registry = registry
    self.environment = environment
    self.workspace = workspace
  }

  mutating func report(_ diagnostic: Diagnostic) {
    if seen.insert(diagnostic).inserted { diagnostics.append(diagnostic) }
  }

  mutating func check(_ statements: [Statement]) {
    for statement in statements {
      switch statement {
      case .command(let command):
        var kind = registry.spec(named: command.name)?.resultKind
        do throws(Diagnostic) {
          let bound = try registry.validate(command, environment: environment, workspace: workspace)
          kind = bound.resultKind
          // `define NAME VALUE`: the rest of the script sees $NAME, as it will when it runs.
          if bound.spec.definesVariable, let name = bound["name"]?.stringValue, let value = bound["value"] {
            environment.define(name, value)
          }
        } catch {
          report(error)
        }
        if let binding = command.binding, let kind, workspace != nil { workspace?[binding] = kind }
      case .forLoop(let loop):
        let values: LoopValues
        do throws(Diagnostic) {
          values = try environment.loopValues(loop)
        } catch {
          report(error)
          continue
        }
        var tried: Set<Value> = []
        for value in values {
          guard tried.count < staticLoopSampleSize else { break }
          guard tried.insert(value).inserted else { continue }
          environment.pushScope()
          environment.define(loop.variable, value)
          check(loop.body)
          environment.popScope()
        }
      }
    }
  }
}
