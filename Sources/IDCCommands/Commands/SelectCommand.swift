import IDCCore
import IDCLang

/// `select`: greedy value-based selection of the samples to ask about (IDC Algorithm 1).
enum SelectCommand: IDCCommand {
  static let strategies = SelectionStrategy.allCases.map(\.rawValue)

  static let spec = CommandSpec(
    name: "select",
    abstract: "Choose the M most valuable samples to ask about: v = h + r + d, greedily (IDC Algorithm 1).",
    discussion: "Strategies are the paper's ablations: random, hard (h), rep (r), hard+rep (h + r), hard+rep+div (the full method). Runs 'score' first if needed.",
    parameters: [
      .int("m", in: 1...10_000_000, default: 100, help: "number of samples to select (the budget M)"),
      .choice("strategy", strategies, default: "hard+rep+div", help: "which value terms drive the selection"),
      .double("wh", default: 1, help: "weight of hardness"),
      .double("wr", default: 1, help: "weight of representativeness"),
      .double("wd", default: 1, help: "weight of diversity"),
      .name("exclude", kind: "selection", help: "a previous selection whose samples are not picked again"),
      .int("seed", help: "seed for random selection (default: the session seed)"),
    ],
    examples: ["sel = select m=100 strategy=hard+rep+div", "select m=50 strategy=random seed=1"],
    resultKind: "selection")

  static func run(_ args: BoundArguments, _ context: CommandContext) throws -> WorkspaceValue? {
    let ws = context.workspace
    _ = try ws.requirePretrained()
    let m = args.int("m")!
    var excluded = Set<Int>()
    if let name = args.string("exclude"), case .selection(let previous) = try ws.value(named: name, kind: "selection") {
      excluded = Set(previous.indices)
    }
    guard m <= ws.z.rows - excluded.count else {
      throw args.error("m = \(m) exceeds the number of samples available (\(ws.z.rows - excluded.count)); choose m ≤ \(ws.z.rows - excluded.count)", at: "m")
    }
    if ws.scores == nil {
      context.note("(computing scores first: score k=20)")
      try ScoreCommand.compute(context, neighbors: min(20, ws.z.rows - 1))
    }
    let strategy = SelectionStrategy(rawValue: args.string("strategy")!)!
    let selector = ValueSelector(count: m, strategy: strategy, hardnessWeight: Float(args.double("wh")!),
                                 representativenessWeight: Float(args.double("wr")!), diversityWeight: Float(args.double("wd")!),
                                 seed: context.seed(args))
    let selection = try selector.select(ws.z, scores: ws.scores!, excluding: excluded, monitor: context.monitor)
    describe(selection, context)
    return .selection(selection)
  }

  static func describe(_ s: Selection, _ context: CommandContext) {
    let ws = context.workspace
    let first = s.indices.prefix(8).map(String.init).joined(separator: ", ")
    context.say("selected \(s.indices.count) samples by \(s.strategy.rawValue): \(first)\(s.indices.count > 8 ? ", …" : "")")
    if s.strategy != .random, let v0 = s.values.first, let vl = s.values.last {
      context.say("value of the picks: first \(format(Double(v0), 3)), last \(format(Double(vl), 3)) (non-increasing from the second pick on: Theorem 1)")
    }
    if let scores = ws.scores {
      func median(_ xs: [Float]) -> Double { Double(xs.sorted()[xs.count / 2]) }
      context.say("median hardness of the picks \(format(median(s.indices.map { scores.hardness[$0] }), 2)) vs \(format(median(scores.hardness), 2)) over all samples (0 = on a border)")
    }
    if let labels = ws.data?.labels {
      let classes = Set(s.indices.map { labels[$0] }).count
      context.say("they cover \(classes) of \(Set(labels).count) classes")
    }
  }
}
