import IDCCore
import IDCLang

/// `train`: finetune a cluster head on the answers with L_pos + L_neg + L_reg (IDC Eq. 11–14).
enum TrainCommand: IDCCommand {
  static let lossNames = HeadTrainer.Loss.allCases.map(\.rawValue)

  static let spec = CommandSpec(
    name: "train",
    abstract: "Finetune a two-layer cluster head on the answers with L = L_pos + L_neg + L_reg; its argmax becomes the current assignment.",
    discussion: """
      The head (D → hidden → C) is first fitted to the pre-trained assignment (cross-entropy, init_steps), \
      then finetuned from there — every 'train' starts from that same fitted head, so runs compare fairly. \
      Defaults are the recipe that works on frozen features: Adam lr 1e-3, weight decay 1e-4, 300 epochs, \
      class-balanced cross-entropy (the paper's lr 1e-4 for 100 epochs barely moves a head on frozen features).
      """,
    parameters: [
      .name("answers", kind: "feedback", help: "the answers to train on (default: the latest)"),
      .int("epochs", in: 0...100_000, default: 300, help: "finetuning epochs"),
      .double("lr", in: 1e-8...10, default: 1e-3, help: "Adam learning rate"),
      .double("weight_decay", in: 0...1, default: 1e-4, help: "Adam L2 weight decay"),
      .int("hidden", in: 1...65_536, default: 512, help: "hidden width of the head"),
      ParameterSpec("losses", .list(of: .choice(lossNames)), default: .list(lossNames.map(Value.string)),
                    help: "which losses to use (the Table 4 ablation): pos, neg, reg"),
      .int("warmup", in: 0...100_000, default: 0, help: "first epochs with L_pos + L_neg only"),
      .bool("balanced", default: true, help: "class-balanced cross-entropy for L_pos and L_reg"),
      .double("tau", in: 0...0.999_999, default: 0.99, help: "confidence threshold τ of L_reg"),
      .int("batch", in: 1...100_000, default: 100, help: "queried-sample batch"),
      .int("confident_batch", in: 1...1_000_000, default: 500, help: "confident-sample batch for L_reg"),
      .int("init_steps", in: 0...1_000_000, default: 2000, help: "steps fitting the head to the pre-trained assignment"),
      .int("every", in: 0...100_000, default: 50, help: "print losses (and ACC) every this many epochs; 0 = only at the end"),
      .int("seed", help: "seed (default: the session seed)"),
    ],
    examples: ["model = train", "train epochs=100 losses=[pos, reg]", "train warmup=50 seed=1"],
    resultKind: "model")

  static func run(_ args: BoundArguments, _ context: CommandContext) throws -> WorkspaceValue? {
    let ws = context.workspace
    let (pretrained, centers) = try ws.requirePretrained()
    guard case .feedback(let answers) = try ws.value(named: args.string("answers"), kind: "feedback") else { return nil }
    let losses = Set((args.strings("losses") ?? lossNames).compactMap(HeadTrainer.Loss.init(rawValue:)))
    guard !losses.isEmpty else { throw args.error("give at least one loss", at: "losses") }
    let seed = context.seed(args)
    let trainer = HeadTrainer(
      hiddenDimension: args.int("hidden")!, learningRate: Float(args.double("lr")!),
      weightDecay: Float(args.double("weight_decay")!), epochs: args.int("epochs")!, queriedBatch: args.int("batch")!,
      confidentBatch: args.int("confident_batch")!, threshold: Float(args.double("tau")!), warmupEpochs: args.int("warmup")!,
      losses: losses, balanced: args.bool("balanced")!, seed: UInt64(bitPattern: Int64(seed)), initSteps: args.int("init_steps")!)
    try trainer.validate()
    let classes = centers.rows
    let initial = try initialHead(trainer, pretrained: pretrained, classes: classes, context)
    let labels = ws.data?.labels
    let every = args.int("every")!
    let say = context.sinks.output
    let evaluate: ((Int, [Int]) -> [String: Double])? = labels.map { labels in
      { epoch, assignment in
        guard let m = try? ClusteringMetrics.evaluate(truth: labels, prediction: assignment) else { return [:] }
        return ["acc": m.accuracy, "nmi": m.nmi, "ari": m.ari]
      }
    }
    let result = try trainer.finetune(head: initial.head, features: ws.z, feedback: answers.feedback, evaluate: every > 0 ? evaluate : nil, evaluateEvery: max(1, every),
                                      monitor: context.monitor)
    if every > 0 {
      for record in result.history where record.iteration % every == 0 {
        var line = "epoch \(record.iteration): loss \(format(record.total, 4)) (pos \(format(record.positive, 4)), neg \(format(record.negative, 4)), reg \(format(record.regularization, 4)))"
        if let acc = record.metrics["acc"] { line += ", ACC \(percent(acc))" }
        say(line + "\n")
      }
    }
    ws.current = result.assignment
    ws.currentSource = "model trained on \(answers.feedback.count) answers"
    var metrics: ClusteringMetrics?
    if let labels {
      let before = try ClusteringMetrics.evaluate(truth: labels, prediction: pretrained)
      let after = try ClusteringMetrics.evaluate(truth: labels, prediction: result.assignment)
      metrics = after
      context.say("trained: \(after)   (pre-trained: \(before); ACC \(after.accuracy >= before.accuracy ? "+" : "")\(format((after.accuracy - before.accuracy) * 100, 1)) points)")
    } else {
      context.say("trained: \(Set(result.assignment).count) clusters in use, \(percent(result.confidentFraction))% of samples above τ")
    }
    return .model(TrainedModel(result: result, trainer: trainer, feedbackCount: answers.feedback.count, metrics: metrics))
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
