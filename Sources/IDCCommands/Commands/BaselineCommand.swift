import IDCCore
import IDCLang

/// `baseline`: the paper's comparisons for the same answers (docs/method.md §6).
enum BaselineCommand: IDCCommand {
  static let answers: Parameter<String?> = .name("answers", kind: .feedback, help: "the answers (default: the latest)")
  static let maxIter: Parameter<Int> = .int("max_iter", in: 1...10_000, default: CopKMeans.defaults.maxIterations, help: "iterations")

  static let spec = CommandSpec(
    name: "baseline",
    abstract: "Baselines for the same answers: dagger (†, only the answered samples corrected) or cop-kmeans (answers as must-/cannot-link constraints).",
    subcommands: [
      CommandSpec(name: "dagger", abstract: "The pre-trained assignment with the positively answered samples moved to their cluster.",
                  parameters: specs(answers)),
      CommandSpec(name: "cop-kmeans", aliases: ["copkmeans"],
                  abstract: "Cop-Kmeans (Wagstaff et al. 2001) from the pre-trained centres with constraints from the answers; Ctrl-C keeps the assignment so far.",
                  parameters: specs(answers, maxIter)),
    ],
    examples: ["baseline dagger", "baseline cop-kmeans"],
    resultKind: .metrics)
  static let transcript = Transcript.recorded
  static let howToMake: String? = nil

  static func run(_ args: BoundArguments, _ context: CommandContext) throws -> WorkspaceValue? {
    let ws = context.workspace
    let (pretrained, centers) = try ws.requirePretrained()
    guard case .feedback(let answers) = try ws.value(named: args[answers], kind: .feedback) else { return nil }
    if args.path.last == "dagger" {
      return try adopt(correctedAssignment(pretrained, feedback: answers.feedback), name: "dagger", note: "", context)
    }
    let reps = QueryBuilder(candidates: 1, examples: 1).representatives(ws.z, centers: centers, assignment: pretrained).map { $0.first ?? 0 }
    let constraints = try PairwiseConstraints(feedback: answers.feedback, representatives: reps)
    var copKMeans = CopKMeans.defaults
    copKMeans.maxIterations = args[maxIter]
    let result = try copKMeans.fit(ws.z, initialCenters: centers, constraints: constraints, monitor: context.monitor)
    let note = result.infeasibleSample.map { " (infeasible: sample \($0) could not be placed)" }
      ?? " (all \(constraints.mustLink.count) must-link and \(constraints.cannotLink.count) cannot-link constraints met)"
    return try adopt(result.assignment, name: "cop-kmeans", note: note, context)
  }

  /// The baseline's assignment becomes the current one; its metrics are the value.
  static func adopt(_ assignment: [Int], name: String, note: String, _ context: CommandContext) throws -> WorkspaceValue? {
    let ws = context.workspace
    ws.makeCurrent(assignment, source: "baseline \(name)" + note)
    guard let labels = ws.data?.labels else {
      context.say("\(name): assignment updated\(note)")
      return nil
    }
    let m = try ClusteringMetrics.evaluate(truth: labels, prediction: assignment)
    context.say("\(name): \(m)\(note)")
    return .metrics(m)
  }

  /// Ctrl-C during Cop-Kmeans keeps its assignment after the last full iteration as the
  /// current assignment (what `eval` and `plot tsne` show), with its metrics.
  static func partialResult(of interruption: Interrupted, _ args: BoundArguments, _ context: CommandContext) -> PartialResult? {
    guard let result = interruption.partial as? CopKMeans.Result else { return nil }
    let ws = context.workspace
    ws.makeCurrent(result.assignment,
                   source: "baseline cop-kmeans, interrupted after \(interruption.progress?.description ?? "\(result.iterations) iterations")")
    guard let labels = ws.data?.labels, let m = try? ClusteringMetrics.evaluate(truth: labels, prediction: result.assignment) else {
      return nil
    }
    return PartialResult(.metrics(m), progress: interruption.progress,
                         replay: interruption.progress.map { args.statement.setting("max_iter", to: .int($0.done)) })
  }
}
