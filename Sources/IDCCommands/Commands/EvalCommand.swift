import IDCCore
import IDCLang

/// `eval`: ACC / NMI / ARI of an assignment against the labels (docs/method.md §7).
enum EvalCommand: IDCCommand {
  static let what: Parameter<String> = Parameter(
    ParameterSpec("what", .oneOf([.choice(["current", "pretrained"]), .name(kind: nil)]), default: .string("current"),
                  help: "current, pretrained, or the name of a model or clustering")) { $0?.stringValue ?? "current" }

  static let spec = CommandSpec(
    name: "eval",
    abstract: "Evaluate the current assignment (or a named model / clustering, or the pre-trained one): ACC, NMI, ARI in percent.",
    discussion: "ACC maps clusters to classes one-to-one with the Hungarian algorithm; NMI uses the arithmetic mean; ARI is the adjusted Rand index.",
    positionals: specs(what),
    examples: ["eval", "eval pretrained", "eval model"],
    resultKind: .metrics)
  static let transcript = Transcript.recorded
  static let howToMake: String? = "run 'eval' (after 'kmeans' or 'train')"

  static func run(_ args: BoundArguments, _ context: CommandContext) throws -> WorkspaceValue? {
    let ws = context.workspace
    let labels = try ws.requireLabels()
    let (pretrained, _) = try ws.requirePretrained()
    let what = args[Self.what]
    let assignment: [Int]
    let description: String
    switch what {
    case "current":
      assignment = ws.current ?? pretrained
      description = ws.currentSource
    case "pretrained":
      assignment = pretrained
      description = ws.pretrainedSource
    default:
      let value: WorkspaceValue
      do { value = try ws.value(named: what) } catch let error as CommandError { throw args.error(error.message, at: Self.what, help: error.help) }
      switch value {
      case .model(let m): assignment = m.result.assignment
      case .clustering(let c): assignment = c.assignment
      default: throw args.error("'\(what)' is a \(value.kind); eval takes a model or a clustering", at: Self.what)
      }
      description = what
    }
    let m = try ClusteringMetrics.evaluate(truth: labels, prediction: assignment)
    let table = TextTable(header: ["", "ACC", "NMI", "ARI"],
                          rows: [[description, percent(m.accuracy), percent(m.nmi), percent(m.ari)]])
    context.result("\(m)   [\(description)]", html: table.html(), markdown: table.markdown)
    return .metrics(m)
  }

  static func partialResult(of interruption: Interrupted, _ args: BoundArguments, _ context: CommandContext) -> PartialResult? { nil }
}
