/// Trains a ``ClusterHead`` on frozen features the IDC way (Liu et al. 2024,
/// §3.3; docs/method.md §4.4 and the frozen-features recipe, §9.1–§9.4). The value holds
/// hyperparameters only; ``fitInitial(features:assignment:classCount:monitor:)``
/// and ``finetune(head:features:feedback:evaluate:evaluateEvery:monitor:)`` return a
/// ``HeadTrainingResult`` (scikit-learn's estimator shape).
///
/// 1. **Initial fit** — the head learns to reproduce the pre-trained model
///    (k-means assignment or a probability matrix): cross-entropy, Adam
///    (`initLearningRate`, `initWeightDecay`), `initSteps` steps of
///    `initBatch` samples from successive random permutations of all N.
/// 2. **Finetuning** with `L = L_pos + L_neg + L_reg` (``IDCLoss``), Adam
///    (`learningRate`, `weightDecay`, fresh state), for `epochs` epochs.
///    Each epoch shuffles the answered samples (M of them, skipped ones left
///    out) and runs `ceil(M / min(queriedBatch, M))` steps; step s takes the
///    next queried batch — positives for `L_pos`, negatives for `L_neg` with
///    `ỹ` re-drawn uniformly among each sample's rejected clusters — and the
///    next `confidentBatch` samples of a fresh permutation of all N for
///    `L_reg` (so an epoch touches M/100 confident batches, as the official
///    code's two loaders do). All rows of a step go through one forward and
///    one backward pass; `L_reg`'s confidences and pseudo-labels are that
///    forward's outputs, detached (on frozen features they equal the
///    official code's per-batch no-grad pass; there is no pass over all N).
///    During the first `warmupEpochs` epochs `L_reg` is off (the paper warms
///    a new head up with `L_pos + L_neg`).
///
/// ``paper`` is the recipe that reproduces the paper's tables on frozen features
/// (reference-results.md): hidden 512, lr 1e-3, weight decay 1e-4, 300
/// epochs, class-balanced cross-entropy, confident batches of 500; initial fit
/// 2000 steps of 500 at lr 1e-3. (The paper's lr 1e-4 for 100 epochs barely
/// moves a head.) The defaults (``Recipe/safe``, docs/method.md §13) differ in
/// four places that make training never worse than the model it starts from:
/// no weight decay, `L_reg` on agreeing confident decisions only, `L_neg` over
/// all answers of a batch, confident batches of 1000.
/// Features are used as given (idc passes L2-normalised rows).
///
/// Every random step draws from generators derived from `seed`, and the
/// arithmetic is sequential apart from BLAS, so the same seed gives a
/// bit-identical result for a fixed OpenBLAS thread count.
public struct HeadTrainer: Sendable, Equatable {
  /// A finetuning loss term, switchable for the loss ablation (Table 4).
  public enum Loss: String, Sendable, Hashable, CaseIterable {
    case positive = "pos"
    case negative = "neg"
    case regularization = "reg"
  }

  /// Whose confident decisions `L_reg` keeps.
  public enum RegularizationTarget: String, Sendable, Hashable, CaseIterable {
    /// The head being trained, at each step (Eq. 14: self-training).
    case current
    /// The head being trained, on the samples where its confident argmax is still the
    /// starting head's (decisions the answers moved are not self-reinforced).
    case agreeing
  }

  /// What `L_neg`'s sum over a batch is divided by.
  public enum NegativeScale: String, Sendable, Hashable, CaseIterable {
    /// The negatives of the batch, `M_neg` (Eq. 13).
    case negatives
    /// All answers of the batch, positive and negative.
    case answers
  }

  /// Hidden width of a head made by the initial fit.
  public var hiddenDimension: Int
  /// Adam step size while finetuning.
  public var learningRate: Float
  /// Adam L2 weight decay while finetuning.
  public var weightDecay: Float
  /// Finetuning epochs.
  public var epochs: Int
  /// Queried samples per step (capped at the number answered).
  public var queriedBatch: Int
  /// Samples per confident batch (`L_reg`).
  public var confidentBatch: Int
  /// Confidence threshold τ of `L_reg`.
  public var threshold: Float
  /// Leading epochs trained with `L_pos + L_neg` only.
  public var warmupEpochs: Int
  /// Enabled loss terms.
  public var losses: Set<Loss>
  /// Class-balanced cross-entropy for `L_pos` and `L_reg` (see ``IDCLoss``).
  public var balanced: Bool
  /// Seed of every random step (initialisation, batches, `ỹ` draws).
  public var seed: Int
  /// Optimiser steps of the initial fit.
  public var initSteps: Int
  /// Adam step size of the initial fit.
  public var initLearningRate: Float
  /// Batch size of the initial fit.
  public var initBatch: Int
  /// Adam L2 weight decay of the initial fit (the reference uses none).
  public var initWeightDecay: Float
  /// `L_neg`'s denominator.
  public var negativeScale: NegativeScale
  /// Whose confident decisions `L_reg` keeps.
  public var regularizationTarget: RegularizationTarget

  public init(
    hiddenDimension: Int = 512, learningRate: Float = 1e-3, weightDecay: Float = 0, epochs: Int = 300,
    queriedBatch: Int = 100, confidentBatch: Int = 1000, threshold: Float = 0.99, warmupEpochs: Int = 0,
    losses: Set<Loss> = Set(Loss.allCases), balanced: Bool = true, seed: Int = 0,
    initSteps: Int = 2000, initLearningRate: Float = 1e-3, initBatch: Int = 500, initWeightDecay: Float = 0,
    negativeScale: NegativeScale = .answers, regularizationTarget: RegularizationTarget = .agreeing
  ) {
    self.hiddenDimension = hiddenDimension
    self.learningRate = learningRate
    self.weightDecay = weightDecay
    self.epochs = epochs
    self.queriedBatch = queriedBatch
    self.confidentBatch = confidentBatch
    self.threshold = threshold
    self.warmupEpochs = warmupEpochs
    self.losses = losses
    self.balanced = balanced
    self.seed = seed
    self.initSteps = initSteps
    self.initLearningRate = initLearningRate
    self.initBatch = initBatch
    self.initWeightDecay = initWeightDecay
    self.negativeScale = negativeScale
    self.regularizationTarget = regularizationTarget
  }

  /// Throws a ``CoreError`` for a hyperparameter out of its range.
  public func validate() throws {
    func check(_ ok: Bool, _ message: String) throws { if !ok { throw CoreError(message) } }
    try check(hiddenDimension >= 1, "hidden must be at least 1, got \(hiddenDimension)")
    try check(learningRate > 0 && learningRate.isFinite, "lr must be positive, got \(learningRate)")
    try check(weightDecay >= 0 && weightDecay.isFinite, "weight decay must be >= 0, got \(weightDecay)")
    try check(epochs >= 0, "epochs must be >= 0, got \(epochs)")
    try check(queriedBatch >= 1, "queried batch must be at least 1, got \(queriedBatch)")
    try check(confidentBatch >= 1, "confident batch must be at least 1, got \(confidentBatch)")
    try check(threshold >= 0 && threshold < 1, "tau must be in [0, 1), got \(threshold)")
    try check(warmupEpochs >= 0, "warm-up epochs must be >= 0, got \(warmupEpochs)")
    try check(initSteps >= 0, "init steps must be >= 0, got \(initSteps)")
    try check(initLearningRate > 0 && initLearningRate.isFinite, "init lr must be positive, got \(initLearningRate)")
    try check(initBatch >= 1, "init batch must be at least 1, got \(initBatch)")
    try check(initWeightDecay >= 0 && initWeightDecay.isFinite, "init weight decay must be >= 0, got \(initWeightDecay)")
  }

  // MARK: - Initial fit

  /// Fits a new head (seeded Kaiming-uniform) to a hard pre-trained
  /// assignment by cross-entropy `−(1/B) Σ_i log p_{i, a_i}`.
  ///
  /// Reports progress and polls for cancellation every 50 steps; when
  /// cancelled, throws ``Interrupted`` whose `partial` is the
  /// ``HeadTrainingResult`` so far.
  ///
  /// - Complexity: O(initSteps · initBatch · hidden · (D + C)) plus one pass over N.
  public func fitInitial(
    features: Matrix, assignment: [Int], classCount: Int, monitor: WorkMonitor = .silent
  ) throws -> HeadTrainingResult {
    try validate()
    guard classCount >= 1 else { throw CoreError("need at least 1 cluster, got \(classCount)") }
    guard assignment.count == features.rows else {
      throw CoreError("assignment has \(assignment.count) entries for \(features.rows) samples")
    }
    if let bad = assignment.firstIndex(where: { $0 < 0 || $0 >= classCount }) {
      throw CoreError("assignment of sample \(bad) is \(assignment[bad]), outside 0..<\(classCount)")
    }
    return try fitInitial(features: features, classCount: classCount, monitor: monitor, target: .hard(assignment))
  }

  /// Fits a new head to a pre-trained probability matrix (`N × C`, rows the
  /// model's soft assignments) by cross-entropy to soft targets
  /// `−(1/B) Σ_i Σ_j q_ij log p_ij`. As the hard version otherwise.
  public func fitInitial(
    features: Matrix, probabilities: Matrix, monitor: WorkMonitor = .silent
  ) throws -> HeadTrainingResult {
    try validate()
    guard probabilities.rows == features.rows, probabilities.columns >= 1 else {
      throw CoreError("probability matrix is \(probabilities.rows)×\(probabilities.columns) for \(features.rows) samples")
    }
    if let bad = probabilities.firstNonFinite() {
      throw CoreError("probability matrix has a non-finite value at row \(bad.row), column \(bad.column)")
    }
    if probabilities.storage.contains(where: { $0 < 0 }) { throw CoreError("probability matrix has negative entries") }
    return try fitInitial(features: features, classCount: probabilities.columns, monitor: monitor,
                          target: .soft(probabilities))
  }

  private enum Target {
    case hard([Int])
    case soft(Matrix)
  }

  private func fitInitial(
    features: Matrix, classCount: Int, monitor: WorkMonitor, target: Target
  ) throws -> HeadTrainingResult {
    let n = features.rows
    guard n >= 1, features.columns >= 1 else { throw CoreError("no samples to fit the head to") }
    if let bad = features.firstNonFinite() {
      throw CoreError("features have a non-finite value at row \(bad.row), column \(bad.column)")
    }
    let root = SeededGenerator(seed: seed)
    var initGenerator = root.derived(0)
    var head = ClusterHead(inputDimension: features.columns, hiddenDimension: hiddenDimension,
                           classCount: classCount, generator: &initGenerator)
    var optimizer = Adam(parameterCount: head.parameterCount, learningRate: initLearningRate,
                         weightDecay: initWeightDecay)
    var batches = PermutationBatches(count: n, batch: min(initBatch, n), generator: root.derived(1))
    var pass = ClusterHead.Activations()
    var gradient: [Float] = []
    var history: [HeadTrainingResult.Record] = []
    var blockLoss: Double = 0, blockSteps = 0
    let reportEvery = 50
    let targetRows: [Int]
    switch target {
    case .hard(let a): targetRows = a
    case .soft(let q): targetRows = (0..<n).map { ClusterHead.argmax(q.storage, row: $0, columns: classCount) }
    }

    for step in 0..<initSteps {
      let indices = batches.next()
      head.forward(rows: indices, of: features, into: &pass)
      var logitGradient = Matrix(rows: indices.count, columns: classCount)
      let loss: Double
      switch target {
      case .hard(let a):
        loss = IDCLoss.positive(logits: pass.logits, rows: 0..<indices.count, labels: indices.map { a[$0] },
                                balanced: false, gradient: &logitGradient)
      case .soft(let q):
        loss = IDCLoss.softCrossEntropy(logits: pass.logits, rows: 0..<indices.count, targets: q.rows(indices),
                                        gradient: &logitGradient)
      }
      head.backward(&pass, logitGradient: logitGradient, into: &gradient)
      optimizer.step(&head.parameters, gradient: gradient)
      blockLoss += loss
      blockSteps += 1
      if blockSteps == reportEvery || step == initSteps - 1 {
        history.append(.init(iteration: step + 1, total: blockLoss / Double(blockSteps)))
        blockLoss = 0
        blockSteps = 0
        if monitor.step("fitting head", step + 1, of: initSteps) {
          throw Interrupted("head fit", partial: summarize(head, features, history, [:], steps: step + 1, reference: targetRows),
                            progress: .init(step + 1, of: initSteps, "steps"))
        }
      }
    }
    return summarize(head, features, history, [:], steps: initSteps, reference: targetRows)
  }

  // MARK: - Finetuning

  /// Finetunes `head` on the user's answers with the enabled IDC losses.
  ///
  /// `evaluate(epoch, assignment)`, when given, is called with the head's
  /// assignment of all N samples before the first epoch (epoch 0), after
  /// every `evaluateEvery`-th epoch and after the last; what it returns (e.g. ACC/NMI/ARI against known labels) is
  /// kept in the records. Reports progress and polls for cancellation once
  /// per epoch; when cancelled, throws ``Interrupted`` whose `partial` is the
  /// ``HeadTrainingResult`` so far (the partially trained head included).
  ///
  /// Negative answers with no rejected cluster carry no information and are
  /// left out like skipped ones. With no answered query an epoch has no step.
  ///
  /// - Complexity: O(epochs · ⌈M/100⌉ · (queriedBatch + confidentBatch) ·
  ///   hidden · (D + C)), plus one pass over N per `evaluate` call and at the end.
  public func finetune(
    head initialHead: ClusterHead, features: Matrix, feedback: Feedback,
    evaluate: ((_ epoch: Int, _ assignment: [Int]) -> [String: Double])? = nil,
    evaluateEvery: Int = 1,
    monitor: WorkMonitor = .silent
  ) throws -> HeadTrainingResult {
    try validate()
    let n = features.rows, c = initialHead.classCount
    guard initialHead.inputDimension == features.columns else {
      throw CoreError("head expects \(initialHead.inputDimension) features, data has \(features.columns)")
    }
    guard n >= 1 else { throw CoreError("no samples to finetune on") }
    if let bad = features.firstNonFinite() {
      throw CoreError("features have a non-finite value at row \(bad.row), column \(bad.column)")
    }
    try feedback.validate(sampleCount: n, clusterCount: c)

    // The answered queries: (anchor, positive cluster or -1, rejected clusters).
    var answered: [(anchor: Int, cluster: Int, rejected: [Int])] = []
    for (anchor, answer) in zip(feedback.anchors, feedback.answers) {
      switch answer {
      case .positive(let g): answered.append((anchor, g, []))
      case .negative(let rejected) where !rejected.isEmpty: answered.append((anchor, -1, rejected))
      case .negative, .skipped: break
      }
    }
    let m = answered.count
    let queried = min(queriedBatch, max(m, 1))
    let stepsPerEpoch = (m + queried - 1) / queried
    let usePositive = losses.contains(.positive), useNegative = losses.contains(.negative)
    let useRegularization = losses.contains(.regularization)

    let root = SeededGenerator(seed: seed)
    var queryGenerator = root.derived(2)
    var drawGenerator = root.derived(3)
    var confident = PermutationBatches(count: n, batch: min(confidentBatch, n), generator: root.derived(4))
    var head = initialHead
    var optimizer = Adam(parameterCount: head.parameterCount, learningRate: learningRate, weightDecay: weightDecay)
    // The starting head's confident argmax (−1 below τ): `.agreeing` keeps only these decisions.
    var startTargets: [Int] = []
    if regularizationTarget == .agreeing && useRegularization {
      let top = initialHead.topTwo(features)
      startTargets = (0..<n).map { i in top.first[i] > threshold ? top.argmax[i] : -1 }
    }
    var reference: [Int] = []
    var pass = ClusterHead.Activations()
    var gradient: [Float] = []
    var history: [HeadTrainingResult.Record] = []
    var order = Array(0..<m)
    var steps = 0
    let initialMetrics = evaluate.map { $0(0, head.predict(features)) } ?? [:]

    var batch: [Int] = []
    var positiveLabels: [Int] = [], negativeTargets: [Int] = []
    for epoch in 0..<epochs {
      PermutationBatches.shuffle(&order, &queryGenerator)
      let regularizing = useRegularization && epoch >= warmupEpochs
      if regularizing { confident.startEpoch() }
      var sumPositive: Double = 0, sumNegative: Double = 0, sumRegularization: Double = 0
      var confidentSeen = 0, confidentFound = 0
      for s in 0..<stepsPerEpoch {
        batch.removeAll(keepingCapacity: true)
        positiveLabels.removeAll(keepingCapacity: true)
        negativeTargets.removeAll(keepingCapacity: true)
        let chunk = order[(s * queried)..<min((s + 1) * queried, m)]
        if usePositive {
          for k in chunk where answered[k].cluster >= 0 {
            batch.append(answered[k].anchor)
            positiveLabels.append(answered[k].cluster)
          }
        }
        let positiveEnd = batch.count
        if useNegative {
          for k in chunk where answered[k].cluster < 0 {
            let rejected = answered[k].rejected
            batch.append(answered[k].anchor)
            negativeTargets.append(rejected[drawGenerator.nextInt(below: rejected.count)])
          }
        }
        let negativeEnd = batch.count
        if regularizing { batch.append(contentsOf: confident.next()) }
        guard !batch.isEmpty else { continue }

        head.forward(rows: batch, of: features, into: &pass)
        var logitGradient = Matrix(rows: batch.count, columns: c)
        if usePositive {
          sumPositive += IDCLoss.positive(logits: pass.logits, rows: 0..<positiveEnd, labels: positiveLabels,
                                          balanced: balanced, gradient: &logitGradient)
        }
        if useNegative {
          sumNegative += IDCLoss.negative(logits: pass.logits, rows: positiveEnd..<negativeEnd,
                                          rejected: negativeTargets,
                                          denominator: negativeScale == .answers ? chunk.count : nil,
                                          gradient: &logitGradient)
        }
        if regularizing {
          if !startTargets.isEmpty {
            reference.removeAll(keepingCapacity: true)
            for r in negativeEnd..<batch.count { reference.append(startTargets[batch[r]]) }
          }
          let reg = IDCLoss.regularization(logits: pass.logits, rows: negativeEnd..<batch.count, threshold: threshold,
                                           balanced: balanced, agreeingWith: startTargets.isEmpty ? nil : reference,
                                           gradient: &logitGradient)
          sumRegularization += reg.value
          confidentSeen += batch.count - negativeEnd
          confidentFound += reg.confidentCount
        }
        head.backward(&pass, logitGradient: logitGradient, into: &gradient)
        optimizer.step(&head.parameters, gradient: gradient)
        steps += 1
      }
      let perStep = 1 / Double(max(stepsPerEpoch, 1))
      var record = HeadTrainingResult.Record(
        iteration: epoch + 1, positive: sumPositive * perStep, negative: sumNegative * perStep,
        regularization: sumRegularization * perStep,
        total: (sumPositive + sumNegative + sumRegularization) * perStep,
        confidentShare: confidentSeen > 0 ? Double(confidentFound) / Double(confidentSeen) : 0)
      if let evaluate, (epoch + 1) % max(1, evaluateEvery) == 0 || epoch + 1 == epochs {
        record.metrics = evaluate(epoch + 1, head.predict(features))
      }
      history.append(record)
      if monitor.step("finetuning", epoch + 1, of: epochs) {
        throw Interrupted("finetuning", partial: summarize(head, features, history, initialMetrics, steps: steps, reference: nil),
                          progress: .init(epoch + 1, of: epochs, "epochs"))
      }
    }
    var result = summarize(head, features, history, initialMetrics, steps: steps, reference: nil)
    result.evaluationLoss = .init(start: evaluationLoss(head: initialHead, features: features, feedback: feedback),
                                  end: evaluationLoss(head: head, features: features, feedback: feedback))
    return result
  }

  /// The finetuning loss of `head` on one fixed batch, the same for every head: every
  /// positive answer (`L_pos`), every rejected cluster of every negative answer (`L_neg`,
  /// which training samples one of per step), and a fixed set of `confidentBatch` rows drawn
  /// with the trainer's seed (`L_reg`), for the enabled losses. No randomness depends on the
  /// head, so two heads compare exactly: a run continued from a head starts at its loss.
  public func evaluationLoss(head: ClusterHead, features: Matrix, feedback: Feedback) -> Double {
    let n = features.rows, c = head.classCount
    var positives: [Int] = [], labels: [Int] = [], negatives: [Int] = [], rejectedTargets: [Int] = []
    for (anchor, answer) in zip(feedback.anchors, feedback.answers) {
      switch answer {
      case .positive(let g) where losses.contains(.positive):
        positives.append(anchor)
        labels.append(g)
      case .negative(let rejected) where losses.contains(.negative):
        for g in rejected {
          negatives.append(anchor)
          rejectedTargets.append(g)
        }
      default: break
      }
    }
    var fixed: [Int] = []
    if losses.contains(.regularization) {
      var generator = SeededGenerator(seed: seed).derived(5)
      var order = Array(0..<n)
      PermutationBatches.shuffle(&order, &generator)
      fixed = Array(order.prefix(min(confidentBatch, n)))
    }
    let batch = positives + negatives + fixed
    guard !batch.isEmpty else { return 0 }
    var pass = ClusterHead.Activations()
    head.forward(rows: batch, of: features, into: &pass)
    var unused = Matrix(rows: batch.count, columns: c)
    let p = positives.count, q = p + negatives.count
    var total = 0.0
    if !positives.isEmpty {
      total += IDCLoss.positive(logits: pass.logits, rows: 0..<p, labels: labels, balanced: balanced, gradient: &unused)
    }
    if !negatives.isEmpty {
      total += IDCLoss.negative(logits: pass.logits, rows: p..<q, rejected: rejectedTargets, gradient: &unused)
    }
    if !fixed.isEmpty {
      total += IDCLoss.regularization(logits: pass.logits, rows: q..<batch.count, threshold: threshold, balanced: balanced,
                                      gradient: &unused).value
    }
    return total
  }

  /// The result for `head`: its assignment of all samples, the share above τ
  /// and, given a reference assignment, the share that agrees with it.
  private func summarize(
    _ head: ClusterHead, _ features: Matrix, _ history: [HeadTrainingResult.Record],
    _ initialMetrics: [String: Double], steps: Int, reference: [Int]?
  ) -> HeadTrainingResult {
    let top = head.topTwo(features)
    let assignment = top.argmax
    let confidentCount = top.first.count { $0 > threshold }
    let n = Double(max(features.rows, 1))
    let agreement = reference.map { ref in Double(zip(ref, assignment).filter { $0 == $1 }.count) / n }
    return HeadTrainingResult(head: head, history: history, initialMetrics: initialMetrics, assignment: assignment,
                              confidentFraction: Double(confidentCount) / n, agreement: agreement, steps: steps)
  }
}

extension HeadTrainer {
  /// The default recipe (docs/method.md §4 and §13): what `train` uses. Beyond the paper: it
  /// never leaves the model worse than it found it on the measured sets (see ``Recipe/safe``).
  public static let defaults = HeadTrainer()

  /// The official code's recipe on frozen features, with which the paper's tables (Table 3,
  /// Table 4, Fig. 4) were reproduced: Adam's coupled L2 weight decay 1e-4, `L_neg` over
  /// `M_neg`, `L_reg` self-training on the current head, confident batches of 500.
  public static let paper = HeadTrainer(
    weightDecay: 1e-4, confidentBatch: 500, negativeScale: .negatives, regularizationTarget: .current)

  /// A named training recipe: the defaults of the hyperparameters the two differ in.
  public enum Recipe: String, Sendable, Hashable, CaseIterable {
    /// ``HeadTrainer/defaults``: no coupled weight decay (Adam divides the decay term by
    /// √v, so where the loss gradient is tiny — confident samples, few answers — the decay
    /// alone moves every weight by ≈ lr per step: Loshchilov & Hutter, ICLR 2019; measured as
    /// the collapse at k = 200), `L_reg` only on decisions the starting head made confidently
    /// too (no self-reinforcement of what the answers moved), `L_neg` over all answers of the
    /// batch, confident batches of 1000.
    case safe
    /// ``HeadTrainer/paper``: the recipe the paper's tables were reproduced with.
    case paper

    /// The trainer this recipe starts from.
    public var trainer: HeadTrainer { self == .paper ? HeadTrainer.paper : HeadTrainer.defaults }
  }
}
