@testable import IDCCore
import Testing

/// Interaction in rounds (docs/method.md §10): one round is the paper's path, rounds are
/// deterministic by seed, never ask a sample twice, and continue the head.
@Suite(.serialized) struct InteractionRoundsTests {
  /// Overlapping blobs (so k-means makes mistakes to fix) and everything a run needs.
  struct Setup {
    let z: Matrix, labels: [Int], pre: KMeans.Result, graph: NeighborGraph, initial: HeadTrainingResult, trainer: HeadTrainer
  }

  static func setup(seed: Int = 0) throws -> Setup {
    let (z, labels) = blobs(k: 5, perCluster: 80, dimension: 12, spread: 0.9, seed: 7)
    let pre = try KMeans(k: 5, nInit: 2, seed: seed).fit(z)
    let graph = try NearestNeighbors(k: 10).search(z)
    var trainer = HeadTrainer.defaults
    trainer.epochs = 20
    trainer.initSteps = 100
    trainer.hiddenDimension = 32
    trainer.seed = seed
    let initial = try trainer.fitInitial(features: z, assignment: pre.assignment, classCount: 5)
    return Setup(z: z, labels: labels, pre: pre, graph: graph, initial: initial, trainer: trainer)
  }

  func plan(_ s: Setup, rounds: Int, hardness: InteractionRounds.Hardness = .distance, seed: Int = 0) -> InteractionRounds {
    InteractionRounds(budget: 40, rounds: rounds, strategy: "hard+rep+div", candidates: 3, hardness: hardness,
                      oracle: Oracle(), trainer: s.trainer, seed: seed)
  }

  func run(_ s: Setup, _ p: InteractionRounds) throws -> [InteractionRounds.Round] {
    try p.run(s.z, labels: s.labels, pretrained: (s.pre.assignment, s.pre.centers), graph: s.graph, initial: s.initial.head)
  }

  /// r = 1 is the paper's one round exactly: the selection, queries, answers and head of
  /// select → oracle → train from the head fitted to the pre-trained assignment.
  @Test func oneRoundIsThePaper() throws {
    let s = try Self.setup()
    let rounds = try run(s, plan(s, rounds: 1))
    let scores = ValueScores(hardness: ValueScores.hardness(s.z, centers: s.pre.centers).hardness,
                             representativeness: ValueScores.representativeness(s.graph), nearestCenter: [])
    let selection = try ValueSelector(count: 40, terms: .hardRepDiv, seed: 0).select(s.z, scores: scores)
    let queries = try QueryBuilder(candidates: 3, examples: 1).build(s.z, centers: s.pre.centers, anchors: selection.indices,
                                                                      assignment: s.pre.assignment)
    let feedback = try Oracle().answer(queries, labels: s.labels, assignment: s.pre.assignment)
    let result = try s.trainer.finetune(head: s.initial.head, features: s.z, feedback: feedback)
    #expect(rounds.count == 1)
    #expect(rounds[0].selection == selection)
    #expect(rounds[0].feedback == feedback)
    #expect(rounds[0].result.head == result.head)
  }

  @Test func sameSeedSameRounds() throws {
    let s = try Self.setup()
    let a = try run(s, plan(s, rounds: 4, hardness: .margin))
    let b = try run(s, plan(s, rounds: 4, hardness: .margin))
    #expect(a.map(\.selection) == b.map(\.selection))
    #expect(a.map(\.feedback) == b.map(\.feedback))
    #expect(a.last?.result.head == b.last?.result.head)
    let other = try run(s, plan(s, rounds: 4, hardness: .margin, seed: 1))
    #expect(other.last?.result.head != a.last?.result.head, "the seed drives each round's training")
  }

  @Test func noSampleIsAskedTwice() throws {
    let s = try Self.setup()
    for hardness in InteractionRounds.Hardness.allCases {
      let rounds = try run(s, plan(s, rounds: 5, hardness: hardness))
      let asked = rounds.flatMap(\.selection.indices)
      #expect(asked.count == 40)
      #expect(Set(asked).count == 40, "\(hardness)")
      #expect(rounds.map { $0.selection.indices.count } == [8, 8, 8, 8, 8])
    }
    #expect(InteractionRounds(budget: 10, rounds: 3).budgets == [4, 3, 3])
  }

  /// A round continues the head: its loss on the fixed batch starts where the last round's ended.
  @Test func trainingContinuesFromTheHead() throws {
    let s = try Self.setup()
    let rounds = try run(s, plan(s, rounds: 1))
    let first = rounds[0].result
    let continued = try s.trainer.finetune(head: first.head, features: s.z, feedback: rounds[0].feedback)
    let end = try #require(first.evaluationLoss?.end)
    #expect(continued.evaluationLoss?.start == end)
    #expect(s.trainer.evaluationLoss(head: first.head, features: s.z, feedback: rounds[0].feedback) == end)
    // From the fitted head again, training starts elsewhere: the head is what continues.
    let restarted = try s.trainer.finetune(head: s.initial.head, features: s.z, feedback: rounds[0].feedback)
    #expect(restarted.evaluationLoss?.start != end)
  }

  @Test func marginHardnessIsZeroOnATie() {
    var p = Matrix(rows: 3, columns: 3)
    for (i, row) in [[0.5, 0.5, 0], [1, 0, 0], [0.6, 0.3, 0.1]].enumerated() { for j in 0..<3 { p[i, j] = Float(row[j]) } }
    let h = ValueScores.marginHardness(p)
    #expect(abs(h[0]) < 1e-6)
    #expect(h[1] < -18)
    #expect(abs(Double(h[2]) - (-0.356_674_943_9)) < 1e-6)  // log(1 − 0.6 + 0.3)
  }

  @Test func impossiblePlansAreRefused() {
    #expect(throws: CoreError.self) { try InteractionRounds(budget: 3, rounds: 4).validate(samples: 100) }
    #expect(throws: CoreError.self) { try InteractionRounds(budget: 300, rounds: 2).validate(samples: 100) }
    #expect(throws: CoreError.self) { try InteractionRounds(budget: 10, rounds: 0).validate(samples: 100) }
  }
}
