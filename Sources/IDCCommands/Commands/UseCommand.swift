import IDCCore
import IDCLang

/// `use`: make an earlier clustering current again — the one before the latest change
/// (`previous`), the pre-trained one, or a named model — so a `train` the audit (or ACC) shows
/// to be worse never costs the clustering it replaced.
enum UseCommand: IDCCommand {
  static let which: Parameter<String> = Parameter(
    ParameterSpec("which", .oneOf([.choice(["previous", "pretrained"]), .name(kind: .model)]),
                  help: "previous (the clustering before the latest change; 'use previous' twice swaps back), pretrained, or a model's name")
  ) { $0?.stringValue ?? "previous" }

  static let spec = CommandSpec(
    name: "use",
    abstract: "Make an earlier clustering current again: the previous one, the pre-trained one, or a named model.",
    discussion: """
      The current clustering is what eval, show, export assignment, plot tsne and score centers=current use. \
      'use NAME' also makes that model the one train from=current continues. Nothing is retrained or lost: \
      the clustering it replaces becomes the previous one.
      """,
    positionals: specs(which),
    examples: ["use previous", "use pretrained", "use m1"])
  static let transcript = Transcript.recorded
  static let howToMake: String? = nil

  static func partialResult(of interruption: Interrupted, _ args: BoundArguments, _ context: CommandContext) -> PartialResult? { nil }

  /// `makeCurrent` keeps the replaced clustering, with the latest model, as the previous one
  /// before the latest model changes below.
  static func run(_ args: BoundArguments, _ context: CommandContext) throws -> WorkspaceValue? {
    let ws = context.workspace
    let (pretrained, _) = try ws.requirePretrained()
    switch args[which] {
    case "previous":
      guard let previous = ws.previous else {
        throw args.error("there is no previous clustering yet", at: which,
                         help: "the previous clustering is the one a 'train', 'rounds', 'baseline' or 'use' replaced")
      }
      ws.makeCurrent(previous.assignment, source: previous.source)
      ws.latest[.model] = previous.model
    case "pretrained":
      ws.makeCurrent(pretrained, source: ws.pretrainedSource)
    case let name:
      let value: WorkspaceValue
      do { value = try ws.value(named: name, kind: .model) } catch let error as CommandError {
        throw args.error(error.message, at: which, help: error.help)
      }
      guard case .model(let model) = value else { throw args.error("'\(name)' is not a model", at: which) }
      ws.makeCurrent(model.result.assignment, source: "model \(name)")
      ws.latest[.model] = value
    }
    var line = "current: \(ws.currentSource)"
    if let labels = ws.data?.labels, let current = ws.current, let m = try? ClusteringMetrics.evaluate(truth: labels, prediction: current) {
      line += " — \(m)"
    }
    if let current = ws.current, let audit = ws.auditEstimate(of: current) { line += "; audit: \(audit)" }
    context.say(line)
    return nil
  }
}
