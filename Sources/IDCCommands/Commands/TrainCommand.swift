import IDCCore
import IDCLang

/// `train`: finetune a cluster head on the answers with L_pos + L_neg + L_reg
/// (IDC Eq. 11–14; docs/method.md §4).
enum TrainCommand: IDCCommand {
  static let defaults = HeadTrainer.defaults
  static let answers = CommonParameters.answers("the answers to train on: a name, or all (every answer of the session); default: the latest")
  static let from: Parameter<String> = Parameter(
    ParameterSpec("from", .oneOf([.choice(["pretrained", "current"]), .name(kind: .model)]), default: .string("pretrained"),
                  help: "the head to start from: pretrained (fitted to the pre-trained assignment: the paper), current (the latest model), or a model's name")
  ) { $0?.stringValue ?? "pretrained" }
  static let epochs: Parameter<Int> = .int("epochs", in: 0...100_000, default: defaults.epochs, help: "finetuning epochs")
  static let lr: Parameter<Float> = .float("lr", in: 1e-8...10, default: defaults.learningRate, help: "Adam learning rate")
  static let recipe = CommonParameters.recipe
  static let flagged: Parameter<FlaggedAnswers> = .choice(
    "flagged", default: .keep,
    help: "answers 'feedback review' would flag as probably mistaken: keep (train on every answer) or drop (leave them out, except those asked again)")
  static let weightDecay: Parameter<Float> = .float("weight_decay", in: 0...1, default: defaults.weightDecay,
                                                   help: "Adam L2 weight decay (recipe=paper: 1e-4)")
  static let negScale: Parameter<HeadTrainer.NegativeScale> = .choice("neg_scale", default: defaults.negativeScale,
    help: "L_neg's denominator: answers (all answers of the batch) or negatives (M_neg, Eq. 13; recipe=paper)")
  static let regTarget: Parameter<HeadTrainer.RegularizationTarget> = .choice("reg_target", default: defaults.regularizationTarget,
    help: "which confident decisions L_reg keeps: agreeing (those the starting head made confidently too) or current (every confident one of the head being trained, Eq. 14; recipe=paper)")
  static let hidden: Parameter<Int> = .int("hidden", in: 1...65_536, default: defaults.hiddenDimension, help: "hidden width of the head")
  static let losses: Parameter<[HeadTrainer.Loss]> = .choices(
    "losses", default: HeadTrainer.Loss.allCases.filter(defaults.losses.contains),
    help: "which losses to use (the Table 4 ablation): pos, neg, reg")
  static let warmup: Parameter<Int> = .int("warmup", in: 0...100_000, default: defaults.warmupEpochs, help: "first epochs with L_pos + L_neg only")
  static let balanced: Parameter<Bool> = .bool("balanced", default: defaults.balanced, help: "class-balanced cross-entropy for L_pos and L_reg")
  static let tau: Parameter<Float> = .float("tau", in: 0...0.999_999, default: defaults.threshold, help: "confidence threshold τ of L_reg")
  static let batch: Parameter<Int> = .int("batch", in: 1...100_000, default: defaults.queriedBatch, help: "queried-sample batch")
  static let confidentBatch: Parameter<Int> = .int("confident_batch", in: 1...1_000_000, default: defaults.confidentBatch,
                                                   help: "confident-sample batch for L_reg (recipe=paper: 500)")
  static let initSteps: Parameter<Int> = .int("init_steps", in: 0...1_000_000, default: defaults.initSteps,
                                              help: "steps fitting the head to the pre-trained assignment")
  static let every: Parameter<Int> = .int("every", in: 0...100_000, default: 50,
                                          help: "print losses (and ACC) every this many epochs; 0 = only at the end")
  static let seed = CommonParameters.seed("seed (default: the session seed)")

  static let spec = CommandSpec(
    name: "train",
    abstract: "Finetune a two-layer cluster head on the answers with L = L_pos + L_neg + L_reg; its argmax becomes the current assignment.",
    discussion: """
      The head (D → hidden → C) is first fitted to the pre-trained assignment (cross-entropy, init_steps), \
      then finetuned from there — every 'train' starts from that same fitted head, so runs compare fairly; \
      from=current (or from=MODEL) continues a trained head instead, for rounds of questions (answers=all). \
      The default recipe (safe) never leaves the model worse than it found it on the measured sets: Adam lr 1e-3 \
      without weight decay, 300 epochs, class-balanced cross-entropy, L_reg only on decisions the starting head \
      made confidently too, L_neg over all answers, confident batches of 1000. recipe=paper is the official code's \
      (weight decay 1e-4, L_reg self-training, L_neg over the negatives, batches of 500), with which the paper's \
      tables are reproduced; a parameter given explicitly overrides either recipe. \
      Ctrl-C keeps the head as it is at that epoch, as a model marked interrupted.
      """,
    parameters: specs(answers, from, recipe, flagged, epochs, lr, weightDecay, negScale, regTarget, hidden, losses, warmup, balanced, tau, batch, confidentBatch, initSteps,
                      every, seed),
    examples: ["model = train", "train epochs=100 losses=[pos, reg]", "m2 = train from=m1 answers=all"],
    resultKind: .model)
  static let transcript = Transcript.recorded
  static let howToMake: String? = "run 'train' after 'feedback'"

  static func run(_ args: BoundArguments, _ context: CommandContext) throws -> WorkspaceValue? {
    let ws = context.workspace
    let (pretrained, centers) = try ws.requirePretrained()
    let answers = try trainingAnswers(args, context, announce: true)
    let trainer = try trainer(args, context)
    let start = try startingHead(args, trainer, pretrained: pretrained, classes: centers.rows, context)
    let labels = ws.data?.labels
    let every = args[every]
    // ACC with labels, and the audit estimate with audit answers, every `every` epochs.
    let audited = ws.auditLog.count > 0
    let evaluate: ((Int, [Int]) -> [String: Double])? = labels == nil && !audited ? nil : { epoch, assignment in
      var record: [String: Double] = [:]
      if let labels, let m = try? ClusteringMetrics.evaluate(truth: labels, prediction: assignment) {
        record = ["acc": m.accuracy, "nmi": m.nmi, "ari": m.ari]
      }
      if audited, let share = ws.auditEstimate(of: assignment)?.share { record["audit"] = share }
      return record
    }
    let result = try trainer.finetune(head: start, features: ws.z, feedback: answers.feedback, evaluate: every > 0 ? evaluate : nil,
                                      evaluateEvery: max(1, every), monitor: context.monitor)
    if every > 0 {
      for record in result.history where record.iteration % every == 0 {
        var line = "epoch \(record.iteration): loss \(format(record.total, 4)) (pos \(format(record.positive, 4)), neg \(format(record.negative, 4)), reg \(format(record.regularization, 4)))"
        if let acc = record.metrics["acc"] { line += ", ACC \(percent(acc))" }
        if let audit = record.metrics["audit"] { line += ", audit \(percent(audit)) % confirmed" }
        context.say(line)
      }
    }
    let previous = (assignment: ws.current ?? pretrained, source: ws.currentSource)
    let model = try adopt(result, trainer: trainer, answers: answers, interruptedAfter: nil, context)
    defer { reportAudit(of: result.assignment, against: previous, context) }
    if let loss = result.evaluationLoss, args[from] != "pretrained" {
      context.note("(continued from \(args[from]): loss on the fixed batch \(format(loss.start, 4)) → \(format(loss.end, 4)))")
    }
    if let after = model.metrics, let labels {
      let before = try ClusteringMetrics.evaluate(truth: labels, prediction: pretrained)
      context.say("trained: \(after)   (pre-trained: \(before); ACC \(after.accuracy >= before.accuracy ? "+" : "")\(format((after.accuracy - before.accuracy) * 100, 1)) points)")
    } else {
      context.say("trained: \(Set(result.assignment).count) clusters in use, \(percent(result.confidentFraction))% of samples above τ")
    }
    return .model(model)
  }

  /// The answers to train on: the chosen set, without the flagged answers under `flagged=drop`
  /// (an answer the person gave twice, through 'feedback review', is theirs: never left out).
  static func trainingAnswers(_ args: BoundArguments, _ context: CommandContext, announce: Bool) throws -> FeedbackSet {
    let ws = context.workspace
    let answers = try ws.feedbackSet(named: args[Self.answers])
    guard args[flagged] == .drop else { return answers }
    let drop = Set(try FeedbackCommand.assess(answers, context)
      .filter { $0.flagged && !ws.reviewedAnchors.contains($0.anchor) }.map(\.position))
    guard !drop.isEmpty else { return answers }
    let keep = (0..<answers.feedback.count).filter { !drop.contains($0) }
    if announce { context.say("left out \(drop.count) flagged answers (probably mistaken; 'feedback review n=0' lists them)") }
    return FeedbackSet(queries: keep.map { answers.queries[$0] },
                       feedback: Feedback(anchors: keep.map { answers.feedback.anchors[$0] }, answers: keep.map { answers.feedback.answers[$0] }),
                       source: answers.source + ", \(drop.count) flagged left out")
  }

  /// The audit estimate of a new clustering beside the one it replaces; a warning when the
  /// audit answers confirm fewer of its clusters.
  static func reportAudit(of assignment: [Int], against previous: (assignment: [Int], source: String), _ context: CommandContext) {
    let ws = context.workspace
    guard let after = ws.auditEstimate(of: assignment), let before = ws.auditEstimate(of: previous.assignment) else { return }
    context.say("audit: \(after)\(FeedbackCommand.trueAccuracy(of: assignment, context))")
    guard let a = after.share, let b = before.share else { return }
    if a < b {
      context.say("warning: the audit confirms fewer samples than before (\(percent(b)) % → \(percent(a)) %; before: \(previous.source)); "
        + "the previous clustering is not lost: 'use previous' makes it current again")
    } else {
      context.note("(before: \(percent(b)) % confirmed — \(previous.source))")
    }
  }

  /// The trainer the arguments describe.
  static func trainer(_ args: BoundArguments, _ context: CommandContext) throws -> HeadTrainer {
    let losses = Set(args[Self.losses])
    guard !losses.isEmpty else { throw args.error("give at least one loss", at: Self.losses) }
    var trainer = args[recipe].trainer
    trainer.hiddenDimension = args[hidden]
    trainer.learningRate = args[lr]
    if args.isExplicit(weightDecay.name) { trainer.weightDecay = args[weightDecay] }
    trainer.epochs = args[epochs]
    trainer.queriedBatch = args[batch]
    if args.isExplicit(confidentBatch.name) { trainer.confidentBatch = args[confidentBatch] }
    trainer.threshold = args[tau]
    trainer.warmupEpochs = args[warmup]
    trainer.losses = losses
    trainer.balanced = args[balanced]
    trainer.seed = context.seed(args[seed])
    trainer.initSteps = args[initSteps]
    if args.isExplicit(negScale.name) { trainer.negativeScale = args[negScale] }
    if args.isExplicit(regTarget.name) { trainer.regularizationTarget = args[regTarget] }
    try trainer.validate()
    return trainer
  }

  /// The trained head becomes the current assignment and a model value.
  static func adopt(_ result: HeadTrainingResult, trainer: HeadTrainer, answers: FeedbackSet,
                    interruptedAfter: Interrupted.Progress?, _ context: CommandContext) throws -> TrainedModel {
    let ws = context.workspace
    ws.makeCurrent(result.assignment, source: "model trained on \(answers.feedback.count) answers"
      + (interruptedAfter.map { " (interrupted after \($0))" } ?? ""))
    ws.snapshots.append(Workspace.Snapshot(label: ws.currentSource, answers: answers.feedback.count, assignment: result.assignment))
    let metrics = try ws.data?.labels.map { try ClusteringMetrics.evaluate(truth: $0, prediction: result.assignment) }
    return TrainedModel(result: result, trainer: trainer, feedbackCount: answers.feedback.count, metrics: metrics,
                        interruptedAfter: interruptedAfter)
  }

  /// Ctrl-C during finetuning keeps the head as it was: a model, marked interrupted, that
  /// `eval`, `plot training` and `export` use like any other. (An interrupted initial fit
  /// keeps nothing: there is no finetuned head yet.)
  static func partialResult(of interruption: Interrupted, _ args: BoundArguments, _ context: CommandContext) -> PartialResult? {
    guard interruption.what == "finetuning", let result = interruption.partial as? HeadTrainingResult,
          let answers = try? trainingAnswers(args, context, announce: false),
          let trainer = try? trainer(args, context),
          let model = try? adopt(result, trainer: trainer, answers: answers, interruptedAfter: interruption.progress, context)
    else { return nil }
    return PartialResult(.model(model), progress: interruption.progress,
                         replay: interruption.progress.map { args.statement.setting("epochs", to: .int($0.done)) })
  }

  /// The head finetuning starts from: the one fitted to the pre-trained assignment, or a
  /// trained model's (`from=current`: the latest model; `from=NAME`).
  static func startingHead(_ args: BoundArguments, _ trainer: HeadTrainer, pretrained: [Int], classes: Int,
                           _ context: CommandContext) throws -> ClusterHead {
    let ws = context.workspace
    switch args[from] {
    case "pretrained":
      return try initialHead(trainer, pretrained: pretrained, classes: classes, context).head
    case let name:
      let value: WorkspaceValue
      do {
        value = try ws.value(named: name == "current" ? nil : name, kind: .model)
      } catch let error as CommandError {
        throw args.error(error.message, at: from, help: error.help)
      }
      guard case .model(let model) = value else { throw args.error("'\(name)' is not a model", at: from) }
      let head = model.result.head
      guard head.inputDimension == ws.z.columns, head.classCount == classes else {
        throw args.error("the model's head is \(head.inputDimension)→\(head.classCount) but the data and clustering need \(ws.z.columns)→\(classes)", at: from)
      }
      return head
    }
  }

  /// The head fitted to the pre-trained assignment (cached per seed and shape).
  static func initialHead(_ trainer: HeadTrainer, pretrained: [Int], classes: Int, _ context: CommandContext) throws -> HeadTrainingResult {
    let ws = context.workspace
    let key = "\(trainer.seed)/\(trainer.hiddenDimension)/\(trainer.initSteps)/\(trainer.initLearningRate)"
    if let cached = ws.initialHeads[key] { return cached }
    let fitted = try trainer.fitInitial(features: ws.z, assignment: pretrained, classCount: classes, monitor: context.monitor)
    context.note("(head fitted to the pre-trained assignment: \(percent(fitted.agreement ?? 0))% agreement, \(percent(fitted.confidentFraction))% of samples above τ)")
    ws.initialHeads[key] = fitted
    return fitted
  }
}
