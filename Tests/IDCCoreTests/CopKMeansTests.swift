import Testing
@testable import IDCCore

@Suite("Cop-Kmeans")
struct CopKMeansTests {
  /// Three L2-normalised blobs (40 each) in 6 dimensions.
  static func data() -> (Matrix, [Int]) {
    let (x, labels) = HeadTestSupport.blobs(classes: 3, perClass: 40, dimension: 6, spread: 4, seed: 8)
    return (x.l2NormalizedRows(), labels)
  }

  /// Normalised class means: good initial centres.
  static func centres(_ z: Matrix, _ labels: [Int], classes: Int) -> Matrix {
    var c = Matrix(rows: classes, columns: z.columns)
    for i in 0..<z.rows { for j in 0..<z.columns { c[labels[i], j] += z[i, j] } }
    return c.l2NormalizedRows()
  }

  @Test("without constraints it is spherical k-means and recovers the blobs")
  func unconstrained() throws {
    let (z, labels) = Self.data()
    let result = try CopKMeans().fit(z, clusterCount: 3, constraints: PairwiseConstraints())
    #expect(result.isFeasible && result.converged)
    #expect(HeadTestSupport.accuracy(result.assignment, labels, classes: 3) > 0.95)
    for j in 0..<3 { #expect(abs(result.centers.row(j).map { $0 * $0 }.reduce(0, +) - 1) < 1e-4) }
    #expect(zip(result.objective, result.objective.dropFirst()).allSatisfy { $0 <= $1 + 1e-9 })
    #expect(try CopKMeans().fit(z, clusterCount: 3, constraints: PairwiseConstraints()) == result)
  }

  @Test("must-links and cannot-links are respected, also against the geometry")
  func constraintsRespected() throws {
    let (z, labels) = Self.data()
    // Must-link samples of different blobs, cannot-link samples of the same blob.
    let must = [PairwiseConstraints.Pair(0, 40), .init(40, 41), .init(80, 81), .init(1, 85)]
    let cannot = [PairwiseConstraints.Pair(2, 3), .init(42, 43), .init(82, 0), .init(5, 6)]
    let constraints = PairwiseConstraints(mustLink: must, cannotLink: cannot)
    let result = try CopKMeans().fit(z, initialCenters: Self.centres(z, labels, classes: 3), constraints: constraints)
    #expect(result.isFeasible)
    for p in must { #expect(result.assignment[p.first] == result.assignment[p.second], "must-link \(p)") }
    for p in cannot { #expect(result.assignment[p.first] != result.assignment[p.second], "cannot-link \(p)") }
    // Transitivity: 0 ~ 40 ~ 41.
    #expect(result.assignment[0] == result.assignment[41])
    #expect(HeadTestSupport.accuracy(result.assignment, labels, classes: 3) > 0.9)
  }

  @Test("a cannot-link inside a must-link group is reported, not a crash")
  func infeasibleByClosure() throws {
    let (z, _) = Self.data()
    let constraints = PairwiseConstraints(mustLink: [.init(0, 1), .init(1, 2)], cannotLink: [.init(2, 0)])
    let result = try CopKMeans().fit(z, clusterCount: 3, constraints: constraints)
    #expect(!result.isFeasible && result.infeasibleSample == 2)
    #expect(result.assignment.count == z.rows)
  }

  @Test("more mutually cannot-linked samples than clusters: the sample that cannot be placed is named")
  func infeasibleByCount() throws {
    let (z, _) = Self.data()
    let trio = [PairwiseConstraints.Pair(10, 50), .init(10, 90), .init(50, 90)]
    let result = try CopKMeans().fit(z, clusterCount: 2, constraints: PairwiseConstraints(cannotLink: trio))
    #expect(result.infeasibleSample == 90)
    #expect(!result.converged)
  }

  @Test("answers become constraints through the clusters' representatives")
  func constraintsFromFeedback() throws {
    let feedback = Feedback(
      anchors: [7, 8, 9, 4],
      answers: [.positive(cluster: 1), .negative(rejected: [0, 2]), .skipped, .positive(cluster: 0)])
    let constraints = try PairwiseConstraints(feedback: feedback, representatives: [4, 20, 30])
    #expect(constraints.mustLink == [.init(7, 20)])
    #expect(constraints.cannotLink == [.init(8, 4), .init(8, 30)])
    #expect(throws: CoreError("feedback 0: cluster 1 has no representative (0..<1)")) {
      try PairwiseConstraints(feedback: feedback, representatives: [4])
    }
  }

  @Test("out-of-range constraints and bad centres are refused")
  func badInputs() {
    let (z, _) = Self.data()
    #expect(throws: CoreError("constraint on sample 500, outside 0..<120")) {
      try CopKMeans().fit(z, clusterCount: 3, constraints: PairwiseConstraints(mustLink: [.init(0, 500)]))
    }
    #expect(throws: CoreError.self) {
      try CopKMeans().fit(z, initialCenters: Matrix(rows: 2, columns: 5), constraints: PairwiseConstraints())
    }
  }
}
