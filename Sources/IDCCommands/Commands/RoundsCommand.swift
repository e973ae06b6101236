import IDCCore
import IDCLang

/// `rounds`: the whole loop of interaction in R rounds — select from the current model, ask (the
/// simulated user, or with `by=ask` the person), continue training on all answers — in one statement
/// (``InteractionRounds``; docs/method.md §10). The explicit loop at the prompt is
/// `score centers=current` → `select` → `feedback` → `train from=current answers=all`.
enum RoundsCommand: IDCCommand {
  static let m: Parameter<Int> = .int("m", in: 1...10_000_000, default: ValueSelector.defaults.count, help: "the total budget M, split evenly over the rounds")
  static let r: Parameter<Int> = .int("r", in: 1...1000, default: 2, help: "number of rounds R")
  static let strategy: Parameter<StrategyName> = .choice("strategy", default: .full, help: "selection in each round (see 'help select')")
  static let t: Parameter<Int> = .int("t", in: 1...1000, default: QueryBuilder.defaults.candidates, help: "candidate clusters per query (T)")
  static let hardness: Parameter<InteractionRounds.Hardness> = .choice(
    "hardness", default: .margin,
    help: "hardness after the first round: margin (the head's softmax; it beat distance on every data set measured, README) or distance (centres of the current clusters)")
  static let recipe = CommonParameters.recipe
  static let epochs: Parameter<Int> = .int("epochs", in: 0...100_000, default: HeadTrainer.defaults.epochs, help: "finetuning epochs per round")
  static let seed = CommonParameters.seed()
  static let by: Parameter<AuditUser> = .choice(
    "by", default: .oracle, help: "who answers: oracle (simulated from the labels) or ask (the person, one query sheet per sample)")
  static let simulated: Parameter<RoundsPerson> = .choice(
    "oracle", default: .matching,
    help: "the simulated person (by=oracle): matching (the paper's), criterion (answers by what each cluster mostly holds), partition (criterion, and starts new clusters and merges; each merge costs one answer)")
  static let examples: Parameter<Int> = .int("examples", in: 1...20, default: QueryBuilder.defaults.examples,
                                             help: "samples shown per candidate cluster when asking the person")
  static let journal: Parameter<String> = .path("journal", extensions: ["csv"], default: "rounds.journal.csv",
                                                help: "journal of the person's answers (in the output directory): a rerun resumes from it")

  static let spec = CommandSpec(
    name: "rounds",
    abstract: "Interact in R rounds with the simulated user or the person (by=ask): each round selects M/R samples from the current model, asks, and continues training on all answers.",
    discussion: """
      Round 1 is the paper's one round; later rounds score hardness against the current model, never ask a sample \
      twice, build queries from the current clusters and continue the head. r=1 is exactly 'select', 'feedback oracle', \
      'train'. by=ask puts each round's queries to the person (no labels needed), journaling every answer: \
      after 'q' or a crash (then 'recover' first), running the same statement again resumes from the journal, and \
      a round the person stopped in is the last one. The person may answer 'new' (the sample starts a cluster of its \
      own). oracle=partition simulates a person with their own criterion who starts new clusters and merges clusters \
      (each merge paid for with one answer); the clusters, answers and names follow. Beyond the paper.
      """,
    parameters: specs(m, r, strategy, t, hardness, recipe, epochs, seed, by, simulated, examples, journal),
    examples: ["model = rounds m=500 r=5", "rounds m=100 r=2 hardness=margin", "rounds m=50 r=5 by=ask", "rounds m=100 r=5 oracle=partition"],
    resultKind: .model)
  static let transcript = Transcript.recorded
  static let howToMake: String? = nil

  static func partialResult(of interruption: Interrupted, _ args: BoundArguments, _ context: CommandContext) -> PartialResult? { nil }

  static func run(_ args: BoundArguments, _ context: CommandContext) throws -> WorkspaceValue? {
    let ws = context.workspace
    let person = args[by] == .ask
    let labels: [Int]? = person ? ws.data?.labels : try ws.requireLabels()
    let journalFile = FeedbackJournal(path: context.outputPath(args[journal]))
    let reader = person
      ? try FeedbackCommand.person(args, context, "rounds by=ask", at: by,
                                   help: "by=oracle simulates the answers from the labels; the explicit loop with 'feedback load' reads answers given elsewhere",
                                   journal: journalFile)
      : nil
    let (pretrained, centers) = try ws.requirePretrained()
    let seed = context.seed(args[seed])
    var trainer = args[recipe].trainer
    trainer.epochs = args[epochs]
    trainer.seed = seed
    var oracle = Oracle.defaults
    oracle.seed = seed
    let plan = InteractionRounds(budget: args[m], rounds: args[r], strategy: args[strategy].rawValue, candidates: args[t],
                                 hardness: args[hardness], oracle: oracle, trainer: trainer, seed: seed)
    do { try plan.validate(samples: ws.z.rows) } catch let error as CoreError {
      throw args.error(error.message, at: args[m] > ws.z.rows ? m : r)
    }
    guard args[t] <= centers.rows else {
      throw args.error("t = \(args[t]) exceeds the number of clusters (\(centers.rows)); choose t ≤ \(centers.rows)", at: t)
    }
    let graph = try ScoreCommand.neighborGraph(context)
    let initial = try TrainCommand.initialHead(trainer, pretrained: pretrained, classes: centers.rows, context)
    var answered = 0
    let roundDone: (Int, InteractionRounds.Round) throws -> Void = { index, round in
      let metrics = labels.flatMap { try? ClusteringMetrics.evaluate(truth: $0, prediction: round.result.assignment) }
      answered += round.feedback.count
      for edit in round.edits { context.say("round \(index + 1): " + edit.summary) }
      let audit = ws.auditEstimate(of: round.result.assignment).map { "audit: \($0)" }
      let quality = [metrics.map(\.description), audit].compactMap { $0 }.joined(separator: "; ")
      context.say("round \(index + 1) of \(plan.rounds): \(round.feedback.count) answered, \(round.feedback.positiveCount) positive"
                  + (quality.isEmpty ? "" : " → \(quality)"))
      if round.feedback.count < round.queries.count {
        context.say("stopped after round \(index + 1): the answers are in \(journalFile.path); the same statement resumes from them")
      }
    }
    let approximate = ws.graphSearch?.method == .approx
    let done: [InteractionRounds.Round]
    if let reader {
      done = try plan.run(ws.z, pretrained: (pretrained, centers), graph: graph, initial: initial.head, excluded: ws.auditLog.asked,
                          graphIsApproximate: approximate, monitor: context.monitor, roundDone: roundDone) { r, queries, _ in
        context.say("round \(r + 1) of \(plan.rounds): \(queries.count) queries")
        return try FeedbackCommand.askPerson(queries, reader: reader, examples: args[examples], journal: journalFile,
                                             source: "rounds (ask)", newClusters: true, context).feedback
      }
    } else if args[Self.simulated] != .matching {
      let criterion = CriterionOracle(labels: labels ?? [], changesPartition: args[Self.simulated] == .partition)
      done = try plan.run(ws.z, person: criterion, pretrained: (pretrained, centers), graph: graph, initial: initial.head,
                          excluded: ws.auditLog.asked, graphIsApproximate: approximate, monitor: context.monitor, roundDone: roundDone)
    } else {
      done = try plan.run(ws.z, labels: labels ?? [], pretrained: (pretrained, centers), graph: graph, initial: initial.head,
                          excluded: ws.auditLog.asked, graphIsApproximate: approximate, monitor: context.monitor, roundDone: roundDone)
    }
    // The session follows each round: its merges, its answers, the clusters they started.
    let names = person ? try journalFile.newClusterNames() : [:]
    var given = 0
    for (index, round) in done.enumerated() {
      for edit in round.edits { if case .merge = edit { try ws.apply(edit, seed: seed) } }
      let kept = round.queries.filter { q in round.feedback.anchors.contains(q.anchor) }
      ws.answerLog.record(FeedbackSet(queries: kept, feedback: round.feedback, source: person ? "rounds (ask)" : "rounds (oracle \(args[Self.simulated].rawValue))"))
      for edit in round.edits {
        guard case .newCluster = edit else { continue }
        let g = ws.clusterCount
        try ws.apply(edit, seed: seed)
        if let name = names[g] { ws.clusterNames[g] = name }
      }
      given += round.feedback.count
      if index + 1 < plan.rounds {  // the last round is adopted as the model below
        ws.snapshots.append(Workspace.Snapshot(label: "round \(index + 1) of \(plan.rounds)", answers: given, assignment: round.result.assignment))
      }
    }
    guard let last = done.last else {
      context.say("no answers: the model is unchanged")
      return nil
    }
    let all = ws.answerLog.set
    ws.store(.feedback(all), as: nil)
    if let lines = ShowCommand.suggestions(ws) { context.say(lines) }
    let model = try TrainCommand.adopt(last.result, trainer: trainer, answers: all, interruptedAfter: nil, context)
    ws.currentSource = "model after \(plan.rounds) rounds on \(all.feedback.count) answers"
    return .model(model)
  }
}
