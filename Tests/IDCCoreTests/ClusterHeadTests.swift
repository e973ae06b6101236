import Testing
@testable import IDCCore

/// Small synthetic data and a brute-force ACC for the head and trainer tests.
enum HeadTestSupport {
  /// `perClass` Gaussian samples (σ = 1) around `spread · e_k` for k < classes, in `dimension` ≥ classes.
  static func blobs(classes: Int, perClass: Int, dimension: Int, spread: Double = 3, seed: UInt64) -> (Matrix, [Int]) {
    var g = SeededGenerator(seed: seed)
    var x = Matrix(rows: classes * perClass, columns: dimension)
    var labels: [Int] = []
    for k in 0..<classes {
      for _ in 0..<perClass {
        let r = labels.count
        for j in 0..<dimension { x[r, j] = Float(g.nextGaussian() + (j == k ? spread : 0)) }
        labels.append(k)
      }
    }
    return (x, labels)
  }

  /// Best one-to-one mapping of clusters to classes by trying every permutation (C ≤ 6).
  static func accuracy(_ assignment: [Int], _ labels: [Int], classes: Int) -> Double {
    var best = 0
    func permute(_ p: inout [Int], _ k: Int) {
      if k == p.count {
        best = max(best, zip(assignment, labels).filter { p[$0] == $1 }.count)
        return
      }
      for i in k..<p.count {
        p.swapAt(k, i)
        permute(&p, k + 1)
        p.swapAt(k, i)
      }
    }
    var p = Array(0..<classes)
    permute(&p, 0)
    return Double(best) / Double(labels.count)
  }

  /// The head's forward pass in `Double`, from its flat parameters.
  static func referenceLogits(_ theta: [Double], _ x: [[Double]], d: Int, h: Int, c: Int) -> [[Double]] {
    x.map { z in
      let hidden = (0..<h).map { u in max(0, (0..<d).reduce(theta[h * d + u]) { $0 + theta[u * d + $1] * z[$1] }) }
      let w2 = h * d + h, b2 = w2 + c * h
      return (0..<c).map { k in (0..<h).reduce(theta[b2 + k]) { $0 + theta[w2 + k * h + $1] * hidden[$1] } }
    }
  }
}

@Suite("Cluster head")
struct ClusterHeadTests {
  @Test("initialisation is PyTorch's nn.Linear default: U(±1/√fan_in), seeded")
  func initialisation() {
    let head = ClusterHead(inputDimension: 16, hiddenDimension: 64, classCount: 5, seed: 3)
    #expect(head.parameterCount == 64 * 16 + 64 + 5 * 64 + 5)
    let bound1: Float = 1 / 4, bound2: Float = 1 / 8
    #expect(head.w1.storage.allSatisfy { abs($0) <= bound1 } && head.b1.allSatisfy { abs($0) <= bound1 })
    #expect(head.w2.storage.allSatisfy { abs($0) <= bound2 } && head.b2.allSatisfy { abs($0) <= bound2 })
    #expect(head.w1.storage.contains { abs($0) > bound1 * 0.9 })
    #expect(head == ClusterHead(inputDimension: 16, hiddenDimension: 64, classCount: 5, seed: 3))
    #expect(head != ClusterHead(inputDimension: 16, hiddenDimension: 64, classCount: 5, seed: 4))
    let rebuilt = ClusterHead(w1: head.w1, b1: head.b1, w2: head.w2, b2: head.b2)
    #expect(rebuilt == head)
  }

  @Test("forward, probabilities and predict agree with a Double reference, in any block size")
  func forward() {
    let (x, _) = HeadTestSupport.blobs(classes: 3, perClass: 7, dimension: 5, seed: 1)
    let head = ClusterHead(inputDimension: 5, hiddenDimension: 9, classCount: 3, seed: 2)
    let reference = HeadTestSupport.referenceLogits(head.parameters.map(Double.init), LossReference.nested(x), d: 5, h: 9, c: 3)
    let logits = head.logits(x, blockRows: 4)
    #expect(logits == head.logits(x) && logits == head.forward(x).logits)
    for r in 0..<x.rows { for j in 0..<3 { #expect(abs(Double(logits[r, j]) - reference[r][j]) < 1e-4) } }
    let p = head.probabilities(x, blockRows: 5)
    for r in 0..<x.rows { #expect(abs(p.row(r).reduce(0, +) - 1) < 1e-5) }
    let predicted = head.predict(x, blockRows: 2)
    for r in 0..<x.rows { #expect(predicted[r] == reference[r].firstIndex(of: reference[r].max()!)!) }
  }

  @Test("topTwo and predict equal the per-row summaries of the full probability matrix, plain and grouped heads")
  func topTwoWithoutTheFullMatrix() {
    let (x, _) = HeadTestSupport.blobs(classes: 4, perClass: 40, dimension: 6, seed: 8)
    let plain = ClusterHead(inputDimension: 6, hiddenDimension: 11, classCount: 5, seed: 9)
    for head in [plain, plain.regrouped([0, 1, 1, 2, 3])] {
      let p = head.probabilities(x)
      for blockRows in [2048, 7] {
        let top = head.topTwo(x, blockRows: blockRows)
        for r in 0..<x.rows {
          let t = IDCCore.topTwo(p, row: r)
          #expect(top.argmax[r] == t.argmax && top.first[r] == t.first && top.second[r] == t.second)
        }
        #expect(head.predict(x, blockRows: blockRows) == (0..<x.rows).map { IDCCore.topTwo(head.logits(x), row: $0).argmax })
      }
    }
  }

  @Test("full backward pass (L_pos + L_neg + L_reg) matches Double central differences")
  func backwardMatchesFiniteDifferences() {
    let d = 4, h = 6, c = 3
    let (x, _) = HeadTestSupport.blobs(classes: 3, perClass: 3, dimension: d, seed: 5)
    let head = ClusterHead(inputDimension: d, hiddenDimension: h, classCount: c, seed: 6)
    let labels = [2, 0], rejected = [1, 2]
    // τ = 0.3 < 1/3: every row of the confident part is confident, so the mask cannot flip.
    var pass = head.forward(x)
    var logitGradient = Matrix(rows: x.rows, columns: c)
    _ = IDCLoss.positive(logits: pass.logits, rows: 0..<2, labels: labels, balanced: true, gradient: &logitGradient)
    _ = IDCLoss.negative(logits: pass.logits, rows: 2..<4, rejected: rejected, gradient: &logitGradient)
    _ = IDCLoss.regularization(logits: pass.logits, rows: 4..<x.rows, threshold: 0.3, balanced: true, gradient: &logitGradient)
    var gradient: [Float] = []
    head.backward(&pass, logitGradient: logitGradient, into: &gradient)

    let input = LossReference.nested(x)
    let theta0 = head.parameters.map(Double.init)
    let fixedLabels = Array(HeadTestSupport.referenceLogits(theta0, input, d: d, h: h, c: c)[4...])
    func loss(_ theta: [Double]) -> Double {
      let s = HeadTestSupport.referenceLogits(theta, input, d: d, h: h, c: c)
      return LossReference.positive(Array(s[0..<2]), labels, balanced: true)
        + LossReference.negative(Array(s[2..<4]), rejected)
        + LossReference.regularization(Array(s[4...]), labelsFrom: fixedLabels, threshold: 0.3, balanced: true)
    }
    let numeric = LossReference.numericGradient([theta0], h: 1e-6) { loss($0[0]) }[0]
    #expect(LossReference.relativeError(gradient.map(Double.init), numeric) < 1e-2)
    // Every block of parameters, not only the largest, must agree.
    let blocks = [0..<(h * d), (h * d)..<(h * d + h), (h * d + h)..<(h * d + h + c * h), (h * d + h + c * h)..<theta0.count]
    for block in blocks {
      #expect(LossReference.relativeError(gradient[block].map(Double.init), Array(numeric[block])) < 1e-2)
    }
  }

  @Test("an empty batch gives a zero gradient")
  func emptyBackward() {
    let head = ClusterHead(inputDimension: 3, hiddenDimension: 4, classCount: 2, seed: 1)
    var pass = head.forward(Matrix(rows: 0, columns: 3))
    var gradient = [Float](repeating: 7, count: head.parameterCount)
    head.backward(&pass, logitGradient: Matrix(rows: 0, columns: 2), into: &gradient)
    #expect(gradient.allSatisfy { $0 == 0 })
  }
}

@Suite("Head trainer")
struct HeadTrainerTests {
  static let small = HeadTrainer(
    hiddenDimension: 32, epochs: 40, queriedBatch: 20, confidentBatch: 100, seed: 11,
    initSteps: 300, initBatch: 100)

  /// Blobs, their labels, an assignment with 40 % of class 0 (the part nearest class 1) moved to cluster 1,
  /// and oracle feedback on 80 random samples: 2/3 positive, 1/3 negative with two wrong clusters.
  static func corruptedProblem() -> (x: Matrix, labels: [Int], corrupted: [Int], feedback: Feedback) {
    let (x, labels) = HeadTestSupport.blobs(classes: 4, perClass: 200, dimension: 8, seed: 21)
    var corrupted = labels
    let class0 = (0..<x.rows).filter { labels[$0] == 0 }.sorted { x[$0, 1] - x[$0, 0] > x[$1, 1] - x[$1, 0] }
    for i in class0.prefix(80) { corrupted[i] = 1 }
    var g = SeededGenerator(seed: 5)
    var anchors: [Int] = []
    while anchors.count < 80 {
      let i = Int(g.next() % UInt64(x.rows))
      if !anchors.contains(i) { anchors.append(i) }
    }
    let answers: [Answer] = anchors.enumerated().map { k, i in
      k % 3 == 2 ? .negative(rejected: [(labels[i] + 1) % 4, (labels[i] + 2) % 4]) : .positive(cluster: labels[i])
    }
    return (x, labels, corrupted, Feedback(anchors: anchors, answers: answers))
  }

  @Test("initial fit reproduces the pre-trained assignment")
  func initialFit() throws {
    // A nearest-centre (k-means-like) assignment: linear boundaries a head can reproduce.
    let (x, _) = HeadTestSupport.blobs(classes: 3, perClass: 100, dimension: 6, seed: 2)
    let labels = (0..<x.rows).map { i in (0..<3).max { x[i, $0] < x[i, $1] }! }
    let result = try Self.small.fitInitial(features: x, assignment: labels, classCount: 3)
    #expect(result.agreement! > 0.98)
    #expect(result.steps == 300 && result.history.count == 6 && result.history.last!.iteration == 300)
    #expect(result.history.last!.total < result.history.first!.total)
    var q = Matrix(rows: x.rows, columns: 3)
    for i in 0..<x.rows { for j in 0..<3 { q[i, j] = j == labels[i] ? 0.9 : 0.05 } }
    let soft = try Self.small.fitInitial(features: x, probabilities: q)
    #expect(soft.agreement! > 0.97)
  }

  @Test("feedback raises ACC over a corrupted pre-trained assignment")
  func endToEnd() throws {
    let (x, labels, corrupted, feedback) = Self.corruptedProblem()
    let before = HeadTestSupport.accuracy(corrupted, labels, classes: 4)
    let initial = try Self.small.fitInitial(features: x, assignment: corrupted, classCount: 4)
    let fitted = HeadTestSupport.accuracy(initial.assignment, labels, classes: 4)
    var evaluated: [Int] = []
    let result = try Self.small.finetune(head: initial.head, features: x, feedback: feedback) { epoch, assignment in
      evaluated.append(epoch)
      return ["acc": HeadTestSupport.accuracy(assignment, labels, classes: 4)]
    }
    let after = HeadTestSupport.accuracy(result.assignment, labels, classes: 4)
    #expect(before < 0.92 && fitted < 0.93)
    #expect(after > fitted + 0.04, "ACC \(fitted) → \(after)")
    #expect(evaluated == Array(0...40))
    #expect(result.history.count == 40 && result.history.last!.metrics["acc"] == after)
    #expect(result.initialMetrics["acc"] == fitted)
    #expect(result.steps == 40 * 4)
    for record in result.history {
      #expect(record.total.isFinite && abs(record.total - record.positive - record.negative - record.regularization) < 1e-9)
    }
  }

  @Test("same seed, bit-identical head; another seed, another head")
  func determinism() throws {
    let (x, _, corrupted, feedback) = Self.corruptedProblem()
    var trainer = Self.small
    trainer.epochs = 5
    func run(_ t: HeadTrainer) throws -> HeadTrainingResult {
      let initial = try t.fitInitial(features: x, assignment: corrupted, classCount: 4)
      return try t.finetune(head: initial.head, features: x, feedback: feedback)
    }
    let a = try run(trainer), b = try run(trainer)
    #expect(a == b)
    #expect(a.head.parameters == b.head.parameters)
    trainer.seed = 12
    #expect(try run(trainer).head.parameters != a.head.parameters)
  }

  @Test("no positives, no negatives, nothing confident, nothing answered: finite, no NaN")
  func emptyCases() throws {
    let (x, _, corrupted, feedback) = Self.corruptedProblem()
    var trainer = Self.small
    trainer.epochs = 3
    let initial = try trainer.fitInitial(features: x, assignment: corrupted, classCount: 4)
    let onlyNegative = Feedback(anchors: [1, 2, 3], answers: [.negative(rejected: [0]), .negative(rejected: [1, 2]), .skipped])
    let onlyPositive = Feedback(anchors: [4, 5], answers: [.positive(cluster: 0), .positive(cluster: 3)])
    for fb in [onlyNegative, onlyPositive, feedback] {
      for tau: Float in [0.5, 0.999_999] {
        trainer.threshold = tau
        let result = try trainer.finetune(head: initial.head, features: x, feedback: fb)
        #expect(result.head.parameters.allSatisfy { $0.isFinite })
        #expect(result.history.allSatisfy { $0.total.isFinite })
      }
    }
    trainer.threshold = 0.99
    let skipped = Feedback(anchors: [1, 2], answers: [.skipped, .negative(rejected: [])])
    let none = try trainer.finetune(head: initial.head, features: x, feedback: skipped)
    #expect(none.steps == 0 && none.head == initial.head)
    trainer.losses = []
    let noLoss = try trainer.finetune(head: initial.head, features: x, feedback: feedback)
    #expect(noLoss.steps == 0 && noLoss.head == initial.head)
  }

  @Test("loss switches and warm-up leave the disabled terms at zero")
  func switchesAndWarmup() throws {
    let (x, _, corrupted, feedback) = Self.corruptedProblem()
    var trainer = Self.small
    trainer.epochs = 4
    trainer.warmupEpochs = 2
    let initial = try trainer.fitInitial(features: x, assignment: corrupted, classCount: 4)
    let warm = try trainer.finetune(head: initial.head, features: x, feedback: feedback)
    #expect(warm.history[0].regularization == 0 && warm.history[1].regularization == 0)
    #expect(warm.history[0].confidentShare == 0)
    #expect(warm.history[2].regularization > 0 && warm.history[2].confidentShare > 0)
    trainer.warmupEpochs = 0
    trainer.losses = [.negative]
    let negOnly = try trainer.finetune(head: initial.head, features: x, feedback: feedback)
    #expect(negOnly.history.allSatisfy { $0.positive == 0 && $0.regularization == 0 && $0.negative > 0 })
  }

  @Test("cancellation throws Interrupted carrying the partial result")
  func interruption() throws {
    let (x, _, corrupted, feedback) = Self.corruptedProblem()
    let initial = try Self.small.fitInitial(features: x, assignment: corrupted, classCount: 4)
    let monitor = WorkMonitor(isCancelled: { true })
    do {
      _ = try Self.small.finetune(head: initial.head, features: x, feedback: feedback, monitor: monitor)
      Issue.record("finetuning was not interrupted")
    } catch let stop as Interrupted {
      let partial = try #require(stop.partial as? HeadTrainingResult)
      #expect(partial.history.count == 1 && partial.assignment.count == x.rows)
      #expect(partial.head != initial.head)
    }
    do {
      _ = try Self.small.fitInitial(features: x, assignment: corrupted, classCount: 4, monitor: monitor)
      Issue.record("initial fit was not interrupted")
    } catch let stop as Interrupted {
      let partial = try #require(stop.partial as? HeadTrainingResult)
      #expect(partial.steps == 50)
    }
  }

  @Test("bad inputs are refused with a message")
  func badInputs() throws {
    let (x, labels) = HeadTestSupport.blobs(classes: 2, perClass: 5, dimension: 3, seed: 1)
    #expect(throws: CoreError("assignment of sample 0 is 5, outside 0..<2")) {
      try Self.small.fitInitial(features: x, assignment: [5] + labels.dropFirst(), classCount: 2)
    }
    let head = ClusterHead(inputDimension: 3, hiddenDimension: 4, classCount: 2, seed: 1)
    #expect(throws: CoreError("feedback 0: cluster 2 out of range 0..<2")) {
      try Self.small.finetune(head: head, features: x, feedback: Feedback(anchors: [0], answers: [.positive(cluster: 2)]))
    }
    #expect(throws: CoreError("feedback 0: anchor 10 is not a sample index (0..<10)")) {
      try Self.small.finetune(head: head, features: x, feedback: Feedback(anchors: [10], answers: [.skipped]))
    }
    var bad = Self.small
    bad.threshold = 1
    #expect(throws: CoreError("tau must be in [0, 1), got 1.0")) { try bad.validate() }
  }
}
