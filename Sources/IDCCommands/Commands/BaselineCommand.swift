import IDCCore
import IDCLang

/// `baseline`: the paper's comparisons for the same answers.
enum BaselineCommand: IDCCommand {
  static let spec = CommandSpec(
    name: "baseline",
    abstract: "Baselines for the same answers: dagger (†, only the answered samples corrected) or cop-kmeans (answers as must-/cannot-link constraints).",
    subcommands: [
      CommandSpec(name: "dagger", abstract: "The pre-trained assignment with the positively answered samples moved to their cluster.",
                  parameters: [.name("answers", kind: "feedback", help: "the answers (default: the latest)")]),
      CommandSpec(name: "cop-kmeans", aliases: ["copkmeans"],
                  abstract: "Cop-Kmeans (Wagstaff et al. 2001) from the pre-trained centres with constraints from the answers.",
                  parameters: [
                    .name("answers", kind: "feedback", help: "the answers (default: the latest)"),
                    .int("max_iter", in: 1...10_000, default: 100, help: "iterations"),
                  ]),
    ],
    examples: ["baseline dagger", "baseline cop-kmeans"],
    resultKind: "metrics")

  static func run(_ args: BoundArguments, _ context: CommandContext) throws -> WorkspaceValue? {
    let ws = context.workspace
    let (pretrained, centers) = try ws.requirePretrained()
    guard case .feedback(let answers) = try ws.value(named: args.string("answers"), kind: "feedback") else { return nil }
    let assignment: [Int]
    var note = ""
    if args.path.last == "dagger" {
      assignment = correctedAssignment(pretrained, feedback: answers.feedback)
    } else {
      let reps = QueryBuilder(candidates: 1, examples: 1).representatives(ws.z, centers: centers, assignment: pretrained).map { $0.first ?? 0 }
      let constraints = try PairwiseConstraints(feedback: answers.feedback, representatives: reps)
      let result = try CopKMeans(maxIterations: args.int("max_iter")!).fit(ws.z, initialCenters: centers, constraints: constraints, monitor: context.monitor)
      assignment = result.assignment
      note = result.isFeasible ? " (all \(constraints.mustLink.count) must-link and \(constraints.cannotLink.count) cannot-link constraints met)"
        : " (infeasible: sample \(result.infeasibleSample!) could not be placed)"
    }
    ws.current = assignment
    ws.currentSource = "baseline \(args.path.last!)"
    if let labels = ws.data?.labels {
      let m = try ClusteringMetrics.evaluate(truth: labels, prediction: assignment)
      context.say("\(args.path.last!): \(m)\(note)")
      return .metrics(m)
    }
    context.say("\(args.path.last!): assignment updated\(note)")
    return nil
  }
}
