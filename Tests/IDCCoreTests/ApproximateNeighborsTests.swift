import Testing
@testable import IDCCore

@Suite struct ApproximateNeighborsTests {
  /// 4 000 rows in 40 blobs of 32 dimensions: enough rows for 90 lists.
  static let fixture = blobs(k: 40, perCluster: 100, dimension: 32, spread: 0.35, seed: 11).0

  /// Share of each row's true K neighbours (by distance, ties counted as found) in the graph.
  func bruteForceRecall(_ graph: NeighborGraph, _ x: Matrix) throws -> Double {
    let exact = try NearestNeighbors(k: graph.k).search(x)
    var hits = 0
    for i in 0..<x.rows {
      let kth = exact.distances(of: i).last!
      hits += graph.distances(of: i).filter { $0 <= kth * (1 + 1e-6) + 1e-12 }.count
    }
    return Double(hits) / Double(x.rows * graph.k)
  }

  @Test func recallAgainstBruteForceMeetsTheCalibratedTarget() throws {
    let x = Self.fixture
    let (graph, report) = try ApproximateNeighbors(k: 10).searchWithReport(x)
    #expect(report.lists == 90)
    let predicted = try #require(report.predictedRecall)
    #expect(predicted >= 0.95)
    let recall = try bruteForceRecall(graph, x)
    #expect(recall >= 0.95, "recall \(recall) with \(report)")
    // The search looks at a minority of the rows: it is not the exact search in disguise.
    #expect(report.searchCandidatesPerRow < Double(x.rows) / 2)
  }

  @Test func fewerProbesFindFewerNeighbours() throws {
    let x = Self.fixture
    var one = ApproximateNeighbors(k: 10, probes: 1, descentPasses: 0)
    one.lists = 90
    let low = try bruteForceRecall(one.search(x), x)
    var descent = one
    descent.descentPasses = 2
    let repaired = try bruteForceRecall(descent.search(x), x)
    #expect(low < 0.95)
    #expect(repaired > low, "NN-descent should recover neighbours across lists: \(low) → \(repaired)")
  }

  @Test func graphIsWellFormedWithExactDistances() throws {
    let x = Self.fixture
    let graph = try ApproximateNeighbors(k: 8, probes: 2).search(x)
    for i in 0..<x.rows {
      let ids = graph.neighbors(of: i).map(Int.init)
      #expect(!ids.contains(i))
      #expect(Set(ids).count == ids.count, "row \(i) has a repeated neighbour")
      let d = Array(graph.distances(of: i))
      #expect(d == d.sorted())
      for (j, dist) in zip(ids, d) {
        var s = 0.0
        for c in 0..<x.columns { let t = Double(x[i, c]) - Double(x[j, c]); s += t * t }
        #expect(abs(Double(dist) - s) <= 1e-6 * max(s, 1e-6))
      }
    }
  }

  @Test func oneListIsTheExactSearch() throws {
    let (x, _) = blobs(k: 4, perCluster: 50, dimension: 8, spread: 0.6, seed: 3)
    let graph = try ApproximateNeighbors(k: 7, lists: 1, descentPasses: 0).search(x)
    let expected = bruteForceNeighbors(x, k: 7)
    for i in 0..<x.rows { #expect(graph.neighbors(of: i).map(Int.init) == expected[i], "row \(i)") }
  }

  @Test func sameSeedSameGraph() throws {
    let x = Self.fixture
    let a = try ApproximateNeighbors(k: 10, seed: 5).search(x)
    let b = try ApproximateNeighbors(k: 10, seed: 5).search(x)
    #expect(a == b)
    let c = try ApproximateNeighbors(k: 10, probes: 1, descentPasses: 0, seed: 6).search(x)
    let d = try ApproximateNeighbors(k: 10, probes: 1, descentPasses: 0, seed: 7).search(x)
    #expect(c != d, "different seeds partition differently")
  }

  @Test func duplicatesAndTinyListsAreCompleted() throws {
    // 30 rows, 10 of them identical; K = 20 forces rows of small lists to be completed exactly.
    var rows: [[Float]] = Array(repeating: [1, 0, 0], count: 10)
    var rng = SeededGenerator(seed: 1)
    for _ in 0..<20 { rows.append((0..<3).map { _ in Float(rng.nextGaussian()) }) }
    let x = Matrix(rows)
    var search = ApproximateNeighbors(k: 20, lists: 6, probes: 1)
    search.trainingPerList = 5
    let (graph, report) = try search.searchWithReport(x)
    #expect(report.exactlyCompletedRows > 0)
    #expect(try bruteForceRecall(graph, x) == 1)
    for i in 0..<10 { #expect(Array(graph.distances(of: i).prefix(9)) == Array(repeating: 0, count: 9)) }
  }

  @Test func impossibleParameters() {
    let x = Matrix([[1, 0], [0, 1], [1, 1]])
    #expect(throws: CoreError("K must be smaller than the number of samples (3), got 3")) {
      try ApproximateNeighbors(k: 3).search(x)
    }
    #expect(throws: CoreError("probes must be at least 1, got 0")) { try ApproximateNeighbors(k: 1, probes: 0).search(x) }
    #expect(throws: CoreError("the recall target must be in (0, 1], got 1.5")) {
      try ApproximateNeighbors(k: 1, recallTarget: 1.5).search(x)
    }
  }

  @Test func interruptionStopsTheSearch() {
    let x = Self.fixture
    let monitor = WorkMonitor(isCancelled: { true })
    #expect(throws: Interrupted.self) { try ApproximateNeighbors(k: 10).search(x, monitor: monitor) }
  }
}

@Suite struct NeighborRecallTests {
  @Test func anExactGraphHasRecallOne() throws {
    let x = ApproximateNeighborsTests.fixture
    let graph = try NearestNeighbors(k: 10).search(x)
    let recall = try NeighborRecall.measure(graph, of: x, sample: 300, seed: 1)
    #expect(recall.mean == 1)
    #expect(recall.high == 1)
    #expect(recall.low > 0.98 && recall.low < 1, "Wilson's interval stays honest at 300 rows: \(recall)")
    #expect(recall.rows == 300)
  }

  @Test func aDamagedGraphIsMeasuredWithinItsInterval() throws {
    let x = ApproximateNeighborsTests.fixture
    let exact = try NearestNeighbors(k: 10).search(x)
    // Rows divisible by 3 lose their 5 nearest neighbours to far rows: true recall 1 − 1/3 · 1/2.
    var indices = exact.indices, distances = exact.squaredDistances
    for i in stride(from: 0, to: x.rows, by: 3) {
      let far = (i + x.rows / 2) % x.rows
      let farNeighbours = exact.neighbors(of: far).prefix(5)
      for (t, j) in farNeighbours.enumerated() where Int(j) != i {
        indices[i * 10 + t] = j
        var s = 0.0
        for c in 0..<x.columns { let u = Double(x[i, c]) - Double(x[Int(j), c]); s += u * u }
        distances[i * 10 + t] = Float(s)
      }
    }
    let damaged = NeighborGraph(k: 10, indices: indices, squaredDistances: distances)
    let truth = 1 - 1.0 / 3 * 0.5
    var covered = 0
    for seed in 0..<20 {
      let r = try NeighborRecall.measure(damaged, of: x, sample: 400, seed: seed)
      if r.low <= truth && truth <= r.high { covered += 1 }
      #expect(abs(r.mean - truth) < 0.06)
    }
    #expect(covered >= 18, "the 95 % interval covered the true recall in \(covered) of 20 samples")
  }

  @Test func autoIsExactUpToTheWorkLimit() {
    #expect(NeighborSearch.auto.resolved(rows: 70_000, columns: 128) == .exact)
    #expect(NeighborSearch.auto.resolved(rows: 100_000, columns: 128) == .exact)
    #expect(NeighborSearch.auto.resolved(rows: 101_000, columns: 128) == .approx)
    #expect(NeighborSearch.auto.resolved(rows: 60_000, columns: 512) == .approx)
    #expect(NeighborSearch.exact.resolved(rows: 10_000_000, columns: 512) == .exact)
    #expect(NeighborSearch.approx.resolved(rows: 100, columns: 2) == .approx)
  }

  @Test func exactStaysExact() throws {
    let x = ApproximateNeighborsTests.fixture
    let (graph, outcome) = try NeighborSearch.exact.search(x, k: 10)
    #expect(graph == (try NearestNeighbors(k: 10).search(x)))
    #expect(outcome.method == .exact && outcome.recall == nil)
    let (_, approx) = try NeighborSearch.approx.search(x, k: 10, auditRows: 200)
    let recall = try #require(approx.recall)
    #expect(recall.rows == 200 && recall.mean >= 0.9)
    #expect("\(approx)".contains("recall@10"))
  }
}
