@testable import IDCCore
import Testing

/// Training never leaves the model worse than it found it (issue 17; docs/method.md §13): at
/// k = 200 with five answers, the default recipe keeps ACC, NMI and ARI and every cluster,
/// while the paper's recipe — Adam's coupled weight decay on a head whose loss gradient is tiny —
/// collapses on the same data, so this test fails if the cause comes back.
@Suite(.serialized) struct NoHarmTests {
  struct Setup {
    let z: Matrix, labels: [Int], pre: KMeans.Result, feedback: Feedback, initial: ClusterHead
    let before: ClusteringMetrics
  }

  /// 200 groups of 40 in 64 dimensions (well separated: k-means errs only by its local optima),
  /// k-means with k = 200, IDC's five most valuable samples answered by the oracle.
  static func setup() throws -> Setup {
    let (z, labels) = blobs(k: 200, perCluster: 40, dimension: 64, spread: 0.6, seed: 11)
    let pre = try KMeans(k: 200, nInit: 2, seed: 0).fit(z)
    let graph = try NearestNeighbors(k: 20).search(z)
    let scores = ValueScores(hardness: ValueScores.hardness(z, centers: pre.centers).hardness,
                             representativeness: ValueScores.representativeness(graph), nearestCenter: [])
    let selection = try ValueSelector(count: 5, terms: .hardRepDiv, seed: 0).select(z, scores: scores)
    let queries = try QueryBuilder(candidates: 5, examples: 1).build(z, centers: pre.centers, anchors: selection.indices,
                                                                      assignment: pre.assignment)
    let feedback = try Oracle().answer(queries, labels: labels, assignment: pre.assignment)
    let initial = try HeadTrainer.defaults.fitInitial(features: z, assignment: pre.assignment, classCount: 200).head
    let before = try ClusteringMetrics.evaluate(truth: labels, prediction: pre.assignment)
    return Setup(z: z, labels: labels, pre: pre, feedback: feedback, initial: initial, before: before)
  }

  @Test func trainingAtK200WithFiveAnswersLosesNothing() throws {
    let s = try Self.setup()
    #expect(s.before.accuracy > 0.85, "the fixture is a good pre-trained model with few mistakes")

    let safe = try HeadTrainer.defaults.finetune(head: s.initial, features: s.z, feedback: s.feedback)
    let after = try ClusteringMetrics.evaluate(truth: s.labels, prediction: safe.assignment)
    #expect(after.accuracy >= s.before.accuracy - 0.003, "ACC \(after.accuracy) < \(s.before.accuracy)")
    #expect(after.nmi >= s.before.nmi - 0.003, "NMI \(after.nmi) < \(s.before.nmi)")
    #expect(after.ari >= s.before.ari - 0.003, "ARI \(after.ari) < \(s.before.ari)")
    // A cluster may vanish only where k-means split one group in two: its majority group is
    // also another cluster's, and that other cluster takes it over.
    let kept = Set(safe.assignment)
    func majority(_ c: Int) -> Int {
      var counts: [Int: Int] = [:]
      for (a, y) in zip(s.pre.assignment, s.labels) where a == c { counts[y, default: 0] += 1 }
      return counts.max { $0.value < $1.value }?.key ?? -1
    }
    let keptGroups = Set(kept.map(majority))
    for c in Set(s.pre.assignment).subtracting(kept) {
      #expect(keptGroups.contains(majority(c)), "cluster \(c) (group \(majority(c))) vanished without a twin")
    }

    // The failure this guards against, on the same data and answers.
    let paper = try HeadTrainer.paper.finetune(head: s.initial, features: s.z, feedback: s.feedback)
    let collapsed = try ClusteringMetrics.evaluate(truth: s.labels, prediction: paper.assignment)
    #expect(collapsed.accuracy < s.before.accuracy - 0.05,
            "the paper's recipe was measured to collapse here (ACC \(collapsed.accuracy) vs \(s.before.accuracy))")
  }
}
