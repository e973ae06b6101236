import IDCCore
import IDCLang

/// `score`: hardness and representativeness of every sample (IDC Eq. 2–3).
enum ScoreCommand: IDCCommand {
  /// Which centres hardness is measured against.
  enum Centers: String, ChoiceValue {
    case pretrained, current
  }

  static let k: Parameter<Int> = .int("k", in: 1...1000, default: NearestNeighbors.defaults.k, help: "neighbours K for representativeness")
  static let centers: Parameter<Centers> = .choice(
    "centers", default: .pretrained,
    help: "centres for hardness: the pre-trained model's, or the mean feature of each cluster of the current assignment")

  static let hardness: Parameter<InteractionRounds.Hardness> = .choice(
    "hardness", default: .distance,
    help: "distance: the paper's two nearest centres; margin: the two largest probabilities of a trained head (beyond the paper)")
  static let model: Parameter<String?> = .name("model", kind: .model, help: "the head for hardness=margin (default: the latest model)")
  static let knn: Parameter<NeighborSearch> = .choice(
    "knn", default: .auto,
    help: "neighbour search: exact; approx (inverted lists + NN-descent, recall audited on 1000 rows); auto: exact up to N²·D = 1.3e12")
  /// The selection reads r from the graph, and a greedy selection amplifies small errors in r:
  /// at 70 000 rows, select m=500 after an approximate graph shared 85–97 % of the exact
  /// graph's picks at recall 0.95 and 98–99.6 % at 0.99 (3 seeds × 3 shared sets, README "At
  /// scale"), for 23 % more search time at 10⁶ × 128.
  static let selectionRecallTarget = 0.99
  static let recall: Parameter<Double> = CommonParameters.recallTarget(default: selectionRecallTarget)

  static let spec = CommandSpec(
    name: "score",
    abstract: "Score every sample: hardness h (two nearest centres) and representativeness r (K nearest neighbours).",
    discussion: """
      h_i = log(1 − z·c_g1 + z·c_g2) is near 0 on cluster borders; r_i = −log Σ_K ‖z_i − z_i(j)‖² is high in dense regions. \
      For a next round of questions, centers=current (or hardness=margin) scores against the current model, and the \
      queries that follow show its clusters.
      """,
    parameters: specs(k, centers, hardness, model, knn, recall),
    examples: ["score", "score k=20", "score centers=current", "score hardness=margin", "score knn=approx", "score knn=approx recall=0.99"])
  static let transcript = Transcript.recorded
  static let howToMake: String? = nil

  static func run(_ args: BoundArguments, _ context: CommandContext) throws -> WorkspaceValue? {
    let ws = context.workspace
    let neighbors = args[k]
    guard neighbors < ws.z.rows || ws.data == nil else {
      throw args.error("k = \(neighbors) neighbours needs more samples than \(ws.z.rows); choose k < \(ws.z.rows)", at: k)
    }
    var reference = args[centers] == .current ? Reference.current : .pretrained
    if args[hardness] == .margin {
      guard case .model(let m) = try ws.value(named: args[model], kind: .model) else { return nil }
      reference = .margin(m)
    }
    let s = try compute(context, neighbors: neighbors, reference: reference, search: args[knn], recall: args[recall])
    func summary(_ xs: [Float]) -> String {
      let sorted = xs.sorted()
      return "min \(format(Double(sorted[0]), 3)), median \(format(Double(sorted[sorted.count / 2]), 3)), max \(format(Double(sorted[sorted.count - 1]), 3))"
    }
    context.say("hardness h: \(summary(s.hardness))")
    context.say("representativeness r (K = \(ws.scoreNeighbors)): \(summary(s.representativeness))")
    if let search = ws.graphSearch, search.method == .approx { context.say("neighbours: \(search)") }
    if let hardest = s.hardness.indices.max(by: { s.hardness[$0] < s.hardness[$1] }),
       let densest = s.representativeness.indices.max(by: { s.representativeness[$0] < s.representativeness[$1] }) {
      context.say("hardest sample \(hardest) (on a border), most representative \(densest) (in a dense region)")
    }
    return nil
  }

  static func partialResult(of interruption: Interrupted, _ args: BoundArguments, _ context: CommandContext) -> PartialResult? { nil }

  /// The session's scores, computed with the default K first when there are none
  /// (as `select` and `plot compare` need them).
  static func scores(_ context: CommandContext) throws -> ValueScores {
    if let scores = context.workspace.scores { return scores }
    let neighbors = min(NearestNeighbors.defaults.k, max(1, context.workspace.z.rows - 1))
    context.note("(computing scores first: score k=\(neighbors))")
    return try compute(context, neighbors: neighbors)
  }

  /// The session's K-nearest-neighbour graph with `neighbors` (nil: whatever K it has, else
  /// the default), searched only when there is none with that K found by `search`.
  /// An approximate graph is reused only when it was calibrated to `recall` (nil: any).
  static func neighborGraph(_ context: CommandContext, neighbors: Int? = nil,
                            search: NeighborSearch = .auto, recall: Double? = nil) throws -> NeighborGraph {
    let ws = context.workspace
    let wanted = search.resolved(rows: ws.z.rows, columns: ws.z.columns)
    if let existing = ws.graph, neighbors == nil || ws.scoreNeighbors == neighbors,
       search == .auto || ws.graphSearch?.method == wanted,
       recall == nil || ws.graphSearch?.method != .approx || ws.graphSearch?.recallTarget == recall {
      return existing
    }
    let k = neighbors ?? min(NearestNeighbors.defaults.k, max(1, ws.z.rows - 1))
    let (graph, outcome) = try search.search(ws.z, k: k, seed: context.seed(nil),
                                             recallTarget: recall ?? selectionRecallTarget,
                                             monitor: context.monitor)
    ws.graph = graph
    ws.graphSearch = outcome
    ws.scoreNeighbors = k
    return graph
  }

  /// What hardness is measured against.
  enum Reference {
    /// The pre-trained centres (the paper).
    case pretrained
    /// The centres of the current assignment's clusters.
    case current
    /// A trained head's softmax margin; its clusters' centres for the queries.
    case margin(TrainedModel)
  }

  /// Computes scores into the workspace (reusing the neighbour graph when K is unchanged), and
  /// makes the queries that follow refer to the same clustering.
  @discardableResult
  static func compute(_ context: CommandContext, neighbors: Int, reference: Reference = .pretrained,
                      search: NeighborSearch = .auto, recall: Double? = nil) throws -> ValueScores {
    let ws = context.workspace
    let (pretrained, pretrainedCenters) = try ws.requirePretrained()
    guard neighbors < ws.z.rows else {
      throw CommandError("k = \(neighbors) neighbours needs more samples than \(ws.z.rows); choose k < \(ws.z.rows)")
    }
    let centers: Matrix
    switch reference {
    case .pretrained:
      centers = pretrainedCenters
      ws.queryReference = nil
    case .current:
      let assignment = ws.current ?? pretrained
      centers = try centersOfAssignment(ws.z, assignment: assignment, clusterCount: pretrainedCenters.rows)
      ws.queryReference = (assignment, centers, ws.currentSource)
    case .margin(let model):
      centers = try centersOfAssignment(ws.z, assignment: model.result.assignment, clusterCount: pretrainedCenters.rows)
      ws.queryReference = (model.result.assignment, centers, "model margin")
    }
    let graph = try neighborGraph(context, neighbors: neighbors, search: search, recall: recall)
    var (h, nearest) = ValueScores.hardness(ws.z, centers: centers)
    if case .margin(let model) = reference { h = ValueScores.marginHardness(model.result.head.topTwo(ws.z)) }
    let scores = ValueScores(hardness: h, representativeness: ValueScores.representativeness(graph), nearestCenter: nearest)
    ws.scores = scores
    return scores
  }
}
