import Testing
@testable import IDCCore

@Suite struct OracleTests {
  // Four samples on the unit circle, three clusters at 0°, 90°, 180°.
  let z = Matrix([[1, 0], [0, 1], [-1, 0], [0.8, 0.6]])
  let centers = Matrix([[1, 0], [0, 1], [-1, 0]])

  @Test func candidatesAreNearestCentresAndRepresentativesTheirNearestSamples() throws {
    let q = try QueryBuilder(candidates: 2, examples: 1).build(z, centers: centers, anchors: [3])
    #expect(q == [Query(anchor: 3, candidates: [0, 1], representatives: [[0], [1]])])
  }

  /// The blocked representatives equal the definition computed from the full `N × C`
  /// similarity matrix: nearest overall first, then the nearest members (ties to the lower
  /// index), with and without an assignment, across block borders and with duplicated rows.
  @Test func blockedRepresentativesEqualTheFullMatrixDefinition() throws {
    let (x, _) = blobs(k: 6, perCluster: 900, dimension: 10, spread: 1.0, seed: 12)
    var z = x.l2NormalizedRows()
    z = z.rows(Array(0..<z.rows) + [5, 5, 2100, 4000])   // exact ties, one across a 2048-row block
    let km = try KMeans(k: 7, nInit: 1).fit(z)
    let sims = BLAS.dotProducts(z, km.centers)
    func reference(_ examples: Int, _ assignment: [Int]?) -> [[Int]] {
      (0..<km.centers.rows).map { g in
        var best = 0
        for i in 0..<z.rows where sims[i, g] > sims[best, g] { best = i }
        let members = (0..<z.rows).filter { $0 != best && (assignment == nil || assignment![$0] == g) }
          .sorted { sims[$0, g] > sims[$1, g] || (sims[$0, g] == sims[$1, g] && $0 < $1) }
        return [best] + members.prefix(examples - 1)
      }
    }
    for examples in [1, 3, 6] {
      for assignment in [km.assignment, nil] {
        let blocked = QueryBuilder(candidates: 1, examples: examples).representatives(z, centers: km.centers, assignment: assignment)
        #expect(blocked == reference(examples, assignment), "examples \(examples), assignment \(assignment != nil)")
      }
    }
  }

  @Test func matchingOracleOnAHandMadeCase() throws {
    // Truth: samples 0 and 3 are class 7, sample 1 class 8, sample 2 class 9.
    // Assignment puts 3 in cluster 1 by mistake; matching maps 7→0, 8→1, 9→2.
    let labels = [7, 8, 9, 7]
    let assignment = [0, 1, 2, 1]
    let queries = try QueryBuilder(candidates: 2, examples: 1).build(z, centers: centers, anchors: [3, 2])
    let fb = try Oracle(mode: .matching).answer(queries, labels: labels, assignment: assignment)
    #expect(fb.anchors == [3, 2])
    // Anchor 3: class 7 → cluster 0, a candidate → positive 0.
    // Anchor 2: candidates of (-1, 0) are [2, 1]; class 9 → cluster 2 → positive 2.
    #expect(fb.answers == [.positive(cluster: 0), .positive(cluster: 2)])
    // With T = 1 anchor 3 only sees cluster 0 ... still positive; anchor 1 (class 8) sees [1].
    let q1 = try QueryBuilder(candidates: 1, examples: 1).build(z, centers: centers, anchors: [3])
    let relabeled = try Oracle(mode: .matching).answer(q1, labels: [7, 8, 9, 9], assignment: assignment)
    // Class 9 has samples 2 and 3 → matched to cluster 2 (count 1) ; cluster 0 is not 9's → negative.
    #expect(relabeled.answers == [.negative(rejected: [0])])
  }

  @Test func representativeOracleAnswersFromWhatIsShown() throws {
    let labels = [7, 8, 9, 8]
    let queries = try QueryBuilder(candidates: 2, examples: 1).build(z, centers: centers, anchors: [3])
    // Anchor 3 is class 8; candidate 0 shows sample 0 (class 7), candidate 1 shows sample 1 (class 8).
    let fb = try Oracle(mode: .representative).answer(queries, labels: labels, assignment: [0, 1, 2, 0])
    #expect(fb.answers == [.positive(cluster: 1)])
  }

  @Test func noiseIsSeededAndFlipsTheRequestedShare() throws {
    let (x, labels) = blobs(k: 4, perCluster: 100, dimension: 6, spread: 0.3, seed: 11)
    let km = try KMeans(k: 4, nInit: 1).fit(x)
    let queries = try QueryBuilder(candidates: 2).build(x, centers: km.centers, anchors: Array(0..<400))
    let clean = try Oracle().answer(queries, labels: labels, assignment: km.assignment)
    let noisy = try Oracle(noise: 0.25, seed: 1).answer(queries, labels: labels, assignment: km.assignment)
    let again = try Oracle(noise: 0.25, seed: 1).answer(queries, labels: labels, assignment: km.assignment)
    #expect(noisy == again)
    let flipped = zip(clean.answers, noisy.answers).filter { $0 != $1 }.count
    #expect(flipped > 60 && flipped < 140, "flipped \(flipped) of 400")
  }

  @Test func daggerBaselineCorrectsOnlyPositives() {
    let fb = Feedback(anchors: [0, 2, 3], answers: [.positive(cluster: 2), .negative(rejected: [0]), .skipped])
    #expect(correctedAssignment([0, 0, 1, 1], feedback: fb) == [2, 0, 1, 1])
  }

  @Test func impossibleT() {
    #expect(throws: CoreError("t = 4 exceeds the number of clusters (3); choose t ≤ 3")) {
      try QueryBuilder(candidates: 4).build(z, centers: centers, anchors: [0])
    }
  }
}
