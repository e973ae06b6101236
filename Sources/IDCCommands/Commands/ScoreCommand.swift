import IDCCore
import IDCLang

/// `score`: hardness and representativeness of every sample (IDC Eq. 2–3).
enum ScoreCommand: IDCCommand {
  static let spec = CommandSpec(
    name: "score",
    abstract: "Score every sample: hardness h (two nearest centres) and representativeness r (K nearest neighbours).",
    discussion: "h_i = log(1 − z·c_g1 + z·c_g2) is near 0 on cluster borders; r_i = −log Σ_K ‖z_i − z_i(j)‖² is high in dense regions.",
    parameters: [
      .int("k", in: 1...1000, default: 20, help: "neighbours K for representativeness"),
      .choice("centers", ["pretrained", "current"], default: "pretrained",
              help: "centres for hardness: the pre-trained model's, or the mean feature of each cluster of the current assignment"),
    ],
    examples: ["score", "score k=20"])

  static func run(_ args: BoundArguments, _ context: CommandContext) throws -> WorkspaceValue? {
    let ws = context.workspace
    try compute(context, neighbors: args.int("k")!, useCurrent: args.string("centers") == "current", args: args)
    let s = ws.scores!
    func summary(_ xs: [Float]) -> String {
      let sorted = xs.sorted()
      return "min \(format(Double(sorted.first!), 3)), median \(format(Double(sorted[sorted.count / 2]), 3)), max \(format(Double(sorted.last!), 3))"
    }
    context.say("hardness h: \(summary(s.hardness))")
    context.say("representativeness r (K = \(ws.scoreNeighbors)): \(summary(s.representativeness))")
    let hardest = s.hardness.indices.max { s.hardness[$0] < s.hardness[$1] }!
    let densest = s.representativeness.indices.max { s.representativeness[$0] < s.representativeness[$1] }!
    context.say("hardest sample \(hardest) (on a border), most representative \(densest) (in a dense region)")
    return nil
  }

  /// Computes scores into the workspace (reusing the neighbour graph when K is unchanged).
  static func compute(_ context: CommandContext, neighbors: Int, useCurrent: Bool = false, args: BoundArguments? = nil) throws {
    let ws = context.workspace
    let (pretrained, pretrainedCenters) = try ws.requirePretrained()
    guard neighbors < ws.z.rows else {
      let message = "k = \(neighbors) neighbours needs more samples than \(ws.z.rows); choose k < \(ws.z.rows)"
      throw args?.error(message, at: "k") ?? CommandError(message)
    }
    let centers = useCurrent ? try centersOfAssignment(ws.z, assignment: ws.current ?? pretrained) : pretrainedCenters
    if ws.graph == nil || ws.scoreNeighbors != neighbors {
      ws.graph = try NearestNeighbors(k: neighbors).search(ws.z, monitor: context.monitor)
      ws.scoreNeighbors = neighbors
    }
    let (h, nearest) = ValueScores.hardness(ws.z, centers: centers)
    ws.scores = ValueScores(hardness: h, representativeness: ValueScores.representativeness(ws.graph!), nearestCenter: nearest)
  }
}
