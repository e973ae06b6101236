import IDCCore
import IDCLang

/// `select`: the samples to ask about, by IDC's value (Algorithm 1) or any strategy of the field.
enum SelectCommand: IDCCommand {
  static let m: Parameter<Int> = .int("m", in: 1...10_000_000, default: ValueSelector.defaults.count, help: "number of samples to select (the budget M)")
  static let strategy: Parameter<StrategyName> = .choice("strategy", default: .full,
                                                         help: "how samples are chosen (see 'help select')")
  static let wh: Parameter<Float> = .float("wh", default: ValueSelector.defaults.hardnessWeight, help: "weight of hardness")
  static let wr: Parameter<Float> = .float("wr", default: ValueSelector.defaults.representativenessWeight, help: "weight of representativeness")
  static let wd: Parameter<Float> = .float("wd", default: ValueSelector.defaults.diversityWeight, help: "weight of diversity")
  static let delta: Parameter<Double?> = .double("delta", in: 1e-6...4, help: "ProbCover's ball radius δ (default: chosen by k-means purity ≥ 0.95)")
  static let sigma: Parameter<Double> = .double("sigma", in: 1e-6...100, default: StrategyOptions().sigma, help: "MaxHerding's Gaussian kernel width σ")
  static let exclude: Parameter<String?> = .name("exclude", kind: .selection, help: "a previous selection whose samples are not picked again")
  static let reask: Parameter<Bool> = .bool("reask", default: false,
                                            help: "allow samples already asked in this session (to compare strategies on the same data)")
  static let seed = CommonParameters.seed("seed for random selection (default: the session seed)")

  static let spec = CommandSpec(
    name: "select",
    abstract: "Choose the M samples to ask about: by IDC's value v = h + r + d, greedily (Algorithm 1), or by a strategy of the field.",
    discussion: """
      Strategies — \(StrategyName.helpList). \
      The model-based ones use the latest trained model, or before any training the head fitted to the pre-trained \
      assignment. Runs 'score' first if the strategy needs it. A sample already asked in this session is not picked \
      again unless reask=true. 'show' lists why the first picks were chosen.
      """,
    parameters: specs(m, strategy, wh, wr, wd, delta, sigma, exclude, reask, seed),
    examples: ["sel = select m=100 strategy=hard+rep+div", "select m=50 strategy=random seed=1", "select m=20 strategy=typiclust",
               "select m=100 strategy=probcover delta=0.5"],
    resultKind: .selection)
  static let transcript = Transcript.recorded
  static let howToMake: String? = "run 'select m=100' first"

  static func run(_ args: BoundArguments, _ context: CommandContext) throws -> WorkspaceValue? {
    let ws = context.workspace
    _ = try ws.requirePretrained()
    let m = args[Self.m]
    // Audited samples are never picked, even with reask=true: training on them would bias the audit.
    var excluded = args[reask] ? ws.auditLog.asked : ws.askedOrAudited
    if let name = args[exclude], case .selection(let previous) = try ws.value(named: name, kind: .selection) {
      excluded.formUnion(previous.indices)
    }
    if !excluded.isEmpty && !args[reask] && !ws.answerLog.asked.isEmpty {
      context.note("(leaving out the \(ws.answerLog.asked.count) samples already asked in this session; reask=true allows them)")
    }
    if ws.auditLog.count > 0 { context.note("(leaving out the \(ws.auditLog.count) audited samples: they stay held out)") }
    guard m <= ws.z.rows - excluded.count else {
      throw args.error("m = \(m) exceeds the number of samples available (\(ws.z.rows - excluded.count)); choose m ≤ \(ws.z.rows - excluded.count)", at: Self.m)
    }
    var options = StrategyOptions()
    options.hardnessWeight = args[wh]
    options.representativenessWeight = args[wr]
    options.diversityWeight = args[wd]
    options.delta = args[delta]
    options.sigma = args[sigma]
    let selection = try select(args[strategy], m: m, options: options, excluded: excluded, seed: context.seed(args[seed]), context)
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

  /// Selects with `name`, giving the strategy what it needs from the session: the scores and
  /// neighbour graph, the current assignment, and the latest model's head (before any
  /// training, the head fitted to the pre-trained assignment).
  static func select(_ name: StrategyName, m: Int, options: StrategyOptions, excluded: Set<Int>, seed: Int,
                     _ context: CommandContext) throws -> Selection {
    let ws = context.workspace
    let (pretrained, centers) = try ws.requirePretrained()
    let needs = name.descriptor.needs
    var input = SelectionInput(features: ws.z, assignment: ws.current ?? pretrained, clusterCount: centers.rows,
                               asked: excluded, round: 0, seed: seed)
    if needs.contains(.graph) {
      input.hardness = try ScoreCommand.scores(context).hardness
      input.graph = try ScoreCommand.neighborGraph(context)
      input.graphIsApproximate = ws.graphSearch?.method == .approx
    } else if needs.contains(.hardness) {
      // The session's scores when there are any; else Eq. 2 against the pre-trained centres, as
      // `score` would give, without the neighbour graph this strategy does not read.
      input.hardness = ws.scores?.hardness ?? ValueScores.hardness(ws.z, centers: centers).hardness
    }
    let trained: TrainedModel? = if let value = ws.latest[.model], case .model(let model) = value { model } else { nil }
    if needs.contains(.head) || (needs.contains(.trainedHead) && trained != nil) {
      if let trained {
        input.head = trained.result.head
        input.round = 1
        input.assignment = trained.result.assignment
      } else {
        var trainer = HeadTrainer.defaults
        trainer.seed = seed
        input.head = try TrainCommand.initialHead(trainer, pretrained: pretrained, classes: centers.rows, context).head
      }
    }
    return try name.descriptor.make(options).select(m, from: input, monitor: context.monitor)
  }

  static func describe(_ s: Selection, _ context: CommandContext) {
    let ws = context.workspace
    let first = s.indices.prefix(8).map(String.init).joined(separator: ", ")
    context.say("selected \(s.indices.count) samples by \(s.strategy): \(first)\(s.indices.count > 8 ? ", …" : "")")
    if !s.note.isEmpty { context.say(s.note) }
    if s.strategy == ValueTerms.hardRepDiv.rawValue, let v0 = s.values.first, let vl = s.values.last {
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

  /// Why the first picks were chosen: the strategy's terms, one row per pick.
  static func explanation(_ s: Selection, first count: Int = 10) -> [[String]] {
    guard !s.terms.isEmpty, !s.explanations.isEmpty else {
      return [["pick", "sample", "value"]] + zip(s.indices, s.values).prefix(count).enumerated().map {
        [String($0.offset + 1), String($0.element.0), format(Double($0.element.1), 4)]
      }
    }
    return [["pick", "sample"] + s.terms] + zip(s.indices, s.explanations).prefix(count).enumerated().map { k, pick in
      [String(k + 1), String(pick.0)] + pick.1.map { value in
        value == value.rounded() && abs(value) < 1e9 ? String(Int(value)) : format(value, 4)
      }
    }
  }
}
