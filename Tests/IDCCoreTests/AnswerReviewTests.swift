@testable import IDCCore
import Testing

/// ``AnswerReview``: an answer is flagged when the model and the nearest answered samples both
/// contradict it, never on one of the two alone, never a skip; the reason names both.
@Suite struct AnswerReviewTests {
  /// Three tight groups of answered samples, each answered with its group's cluster.
  static func setup() -> (Matrix, [Int], Matrix) {
    let (z, labels) = blobs(k: 3, perCluster: 6, dimension: 8, spread: 0.05, seed: 3)
    // The model: confident in each sample's group.
    var p = Matrix(rows: z.rows, columns: 3)
    for i in 0..<z.rows { for j in 0..<3 { p[i, j] = j == labels[i] ? 0.96 : 0.02 } }
    return (z, labels, p)
  }

  @Test func aWrongAnswerAmongRightOnesIsFlaggedWithItsReason() throws {
    let (z, labels, p) = Self.setup()
    var answers: [Answer] = labels.map { .positive(cluster: $0) }
    answers[4] = .positive(cluster: (labels[4] + 1) % 3)            // wrong cluster
    answers[10] = .negative(rejected: [labels[10], (labels[10] + 2) % 3])  // "none" that rejects its own cluster
    answers[15] = .skipped
    let feedback = Feedback(anchors: Array(0..<z.rows), answers: answers)
    let assessed = try AnswerReview().assess(features: z, feedback: feedback, probabilities: p)
    #expect(assessed.count == z.rows)
    let flagged = AnswerReview.ranked(assessed).map(\.position)
    #expect(Set(flagged) == [4, 10], "exactly the two mistaken answers")
    #expect(!assessed[15].flagged, "a skip is never flagged")
    let reason = assessed[4].reason
    #expect(reason.contains("the model says cluster \(labels[4])"))
    #expect(reason.contains("most say cluster \(labels[4])"), "\(reason)")
    #expect(assessed[4].neighbourDisagreement == 1 && assessed[4].modelDisagreement > 0.9)
  }

  @Test func theModelAloneOrTheNeighboursAloneDoNotFlag() throws {
    let (z, labels, p) = Self.setup()
    // The whole first group answered with cluster 1: each answer's neighbours agree with it,
    // only the model disagrees — a correction of the model, not a mistake.
    var answers: [Answer] = labels.map { .positive(cluster: $0) }
    for i in 0..<z.rows where labels[i] == 0 { answers[i] = .positive(cluster: 1) }
    let feedback = Feedback(anchors: Array(0..<z.rows), answers: answers)
    let assessed = try AnswerReview().assess(features: z, feedback: feedback, probabilities: p)
    #expect(assessed.allSatisfy { !$0.flagged })
    // The model unsure (uniform), one answer against its neighbours: not flagged either.
    var flat = Matrix(rows: z.rows, columns: 3)
    for i in 0..<z.rows { for j in 0..<3 { flat[i, j] = 1.0 / 3 } }
    var lone: [Answer] = labels.map { .positive(cluster: $0) }
    lone[2] = .positive(cluster: (labels[2] + 1) % 3)
    let unsure = try AnswerReview(threshold: 0.7).assess(features: z, feedback: Feedback(anchors: Array(0..<z.rows), answers: lone),
                                                         probabilities: flat)
    #expect(!unsure[2].flagged && unsure[2].neighbourDisagreement == 1)
  }

  @Test func badInputIsAnError() {
    let (z, labels, p) = Self.setup()
    let feedback = Feedback(anchors: [0, 1], answers: [.positive(cluster: labels[0]), .positive(cluster: labels[1])])
    #expect(throws: CoreError.self) { try AnswerReview().assess(features: z, feedback: feedback, probabilities: p) }
    #expect(throws: CoreError.self) {
      try AnswerReview(neighbours: 0).assess(features: z, feedback: feedback, probabilities: p.rows([0, 1]))
    }
    #expect(throws: (any Error).self) {
      try AnswerReview().assess(features: z, feedback: Feedback(anchors: [0], answers: [.positive(cluster: 7)]),
                                probabilities: p.rows([0]))
    }
  }
}
