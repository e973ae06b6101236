import IDCCore
import IDCLang

/// `eval`: ACC / NMI / ARI of an assignment against the labels (docs/method.md §7), and the
/// audit estimate from the session's audit answers (``Audit``) — the only measure without labels.
enum EvalCommand: IDCCommand {
  static let what: Parameter<String> = Parameter(
    ParameterSpec("what", .oneOf([.choice(["current", "pretrained"]), .name(kind: nil)]), default: .string("current"),
                  help: "current, pretrained, or the name of a model or clustering")) { $0?.stringValue ?? "current" }

  static let spec = CommandSpec(
    name: "eval",
    abstract: "Evaluate the current assignment (or a named model / clustering, or the pre-trained one): ACC, NMI, ARI in percent.",
    discussion: "ACC maps clusters to classes one-to-one with the Hungarian algorithm; NMI uses the arithmetic mean; ARI is the adjusted Rand index. After 'feedback audit' it also prints the share of audit answers that confirm the clustering, with a 95 % Wilson interval — without labels, that alone.",
    positionals: specs(what),
    examples: ["eval", "eval pretrained", "eval model"],
    resultKind: .metrics)
  static let transcript = Transcript.recorded
  static let howToMake: String? = "run 'eval' (after 'kmeans' or 'train')"

  static func run(_ args: BoundArguments, _ context: CommandContext) throws -> WorkspaceValue? {
    let ws = context.workspace
    let data = try ws.requireData()
    guard data.labels != nil || ws.auditLog.count > 0 else {
      throw CommandError("the data set '\(data.name)' has no labels and this session no audit answers",
                         help: "run 'feedback audit n=50' to estimate the quality from answers, or load labels=FILE with the features")
    }
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
    let audit = ws.auditEstimate(of: assignment)
    let auditHeader = ["audit: confirmed", "95 % CI", "answers"]
    func auditCells(_ e: Audit.Estimate, answers: String) -> [String] {
      [e.share.map { percent($0) } ?? "–", "\(percent(e.low))–\(percent(e.high))", answers]
    }
    guard let labels = data.labels else {
      let e = audit!
      let table = TextTable(header: [""] + auditHeader,
                            rows: [[description] + auditCells(e, answers: "\(e.determined)" + (e.undetermined > 0 ? " (+\(e.undetermined) undetermined)" : ""))])
      context.result("audit: \(e)   [\(description)]", html: table.html(), markdown: table.markdown)
      return nil
    }
    let m = try ClusteringMetrics.evaluate(truth: labels, prediction: assignment)
    var header = ["", "ACC", "NMI", "ARI"]
    var row = [description, percent(m.accuracy), percent(m.nmi), percent(m.ari)]
    if let e = audit {
      header += auditHeader
      row += auditCells(e, answers: "\(e.determined)")
    }
    let table = TextTable(header: header, rows: [row])
    context.result("\(m)\(audit.map { "   audit: \($0)" } ?? "")   [\(description)]", html: table.html(), markdown: table.markdown)
    return .metrics(m)
  }

  static func partialResult(of interruption: Interrupted, _ args: BoundArguments, _ context: CommandContext) -> PartialResult? { nil }
}
