import IDCCore
import IDCLang

/// `select`: greedy value-based selection of the samples to ask about (IDC Algorithm 1).
enum SelectCommand: IDCCommand {
  static let m: Parameter<Int> = .int("m", in: 1...10_000_000, default: ValueSelector.defaults.count, help: "number of samples to select (the budget M)")
  static let strategy: Parameter<SelectionStrategy> = .choice("strategy", default: ValueSelector.defaults.strategy,
                                                              help: "which value terms drive the selection")
  static let wh: Parameter<Float> = .float("wh", default: ValueSelector.defaults.hardnessWeight, help: "weight of hardness")
  static let wr: Parameter<Float> = .float("wr", default: ValueSelector.defaults.representativenessWeight, help: "weight of representativeness")
  static let wd: Parameter<Float> = .float("wd", default: ValueSelector.defaults.diversityWeight, help: "weight of diversity")
  static let exclude: Parameter<String?> = .name("exclude", kind: .selection, help: "a previous selection whose samples are not picked again")
  static let reask: Parameter<Bool> = .bool("reask", default: false,
                                            help: "allow samples already asked in this session (to compare strategies on the same data)")
  static let seed = CommonParameters.seed("seed for random selection (default: the session seed)")

  static let spec = CommandSpec(
    name: "select",
    abstract: "Choose the M most valuable samples to ask about: v = h + r + d, greedily (IDC Algorithm 1).",
    discussion: """
      Strategies are the paper's ablations: random, hard (h), rep (r), hard+rep (h + r), hard+rep+div (the full method). \
      Runs 'score' first if needed. A sample already asked in this session is not picked again unless reask=true.
      """,
    parameters: specs(m, strategy, wh, wr, wd, exclude, reask, seed),
    examples: ["sel = select m=100 strategy=hard+rep+div", "select m=50 strategy=random seed=1"],
    resultKind: .selection)
  static let transcript = Transcript.recorded
  static let howToMake: String? = "run 'select m=100' first"

  static func run(_ args: BoundArguments, _ context: CommandContext) throws -> WorkspaceValue? {
    let ws = context.workspace
    _ = try ws.requirePretrained()
    let m = args[Self.m]
    var excluded = args[reask] ? Set<Int>() : ws.answerLog.asked
    if let name = args[exclude], case .selection(let previous) = try ws.value(named: name, kind: .selection) {
      excluded.formUnion(previous.indices)
    }
    if !excluded.isEmpty && !args[reask] && !ws.answerLog.asked.isEmpty {
      context.note("(leaving out the \(ws.answerLog.asked.count) samples already asked in this session; reask=true allows them)")
    }
    guard m <= ws.z.rows - excluded.count else {
      throw args.error("m = \(m) exceeds the number of samples available (\(ws.z.rows - excluded.count)); choose m ≤ \(ws.z.rows - excluded.count)", at: Self.m)
    }
    let scores = try ScoreCommand.scores(context)
    let selector = ValueSelector(count: m, strategy: args[strategy], hardnessWeight: args[wh], representativenessWeight: args[wr],
                                 diversityWeight: args[wd], seed: context.seed(args[seed]))
    let selection = try selector.select(ws.z, scores: scores, excluding: excluded, monitor: context.monitor)
    describe(selection, context)
    return .selection(selection)
  }

  /// The picks made before Ctrl-C: a selection, shorter than asked.
  static func partialResult(of interruption: Interrupted, _ args: BoundArguments, _ context: CommandContext) -> PartialResult? {
    guard let selection = interruption.partial as? Selection, !selection.indices.isEmpty else { return nil }
    // Greedy selection and the random shuffle both pick a prefix: m = picks redoes it.
    return PartialResult(.selection(selection), progress: interruption.progress,
                         replay: args.statement.setting("m", to: .int(selection.indices.count)))
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
