import Foundation
import Testing
@testable import IDCCore

/// Every registered strategy keeps the contract; each is checked by its defining property.
@Suite struct StrategyTests {
  struct Setup {
    var z: Matrix
    var labels: [Int]
    var input: SelectionInput
  }

  static func setup(seed: Int = 0) throws -> Setup {
    let (z, labels) = blobs(k: 5, perCluster: 40, dimension: 8, spread: 0.8, seed: 21)
    let pre = try KMeans(k: 5, nInit: 2, seed: seed).fit(z)
    let graph = try NearestNeighbors(k: 10).search(z)
    var trainer = HeadTrainer.defaults
    trainer.initSteps = 100
    trainer.hiddenDimension = 32
    trainer.seed = seed
    let initial = try trainer.fitInitial(features: z, assignment: pre.assignment, classCount: 5)
    let input = SelectionInput(features: z, graph: graph, hardness: ValueScores.hardness(z, centers: pre.centers).hardness,
                               head: initial.head, assignment: pre.assignment, clusterCount: 5, seed: seed)
    return Setup(z: z, labels: labels, input: input)
  }

  @Test func everyStrategyKeepsTheContract() throws {
    let s = try Self.setup()
    var asked = s.input
    asked.asked = Set([0, 1, 2, 50, 51, 120])
    asked.round = 1
    for descriptor in SelectionStrategies.all {
      let strategy = descriptor.make(StrategyOptions())
      #expect(strategy.name == descriptor.name)
      for input in [s.input, asked] {
        let a = try strategy.select(30, from: input, monitor: .silent)
        let b = try strategy.select(30, from: input, monitor: .silent)
        #expect(a == b, "\(descriptor.name): same seed, same picks")
        #expect(a.indices.count == 30, "\(descriptor.name)")
        #expect(Set(a.indices).count == 30, "\(descriptor.name): distinct")
        #expect(a.indices.allSatisfy { !input.asked.contains($0) }, "\(descriptor.name): never re-asks")
        #expect(a.strategy == descriptor.name)
        #expect(a.explanations.count == 30 && a.explanations.allSatisfy { $0.count == a.terms.count }, "\(descriptor.name)")
      }
      // Every sample that can be asked, when M is all of them.
      let all = try strategy.select(asked.features.rows - asked.asked.count, from: asked, monitor: .silent)
      #expect(Set(all.indices).count == asked.features.rows - asked.asked.count, "\(descriptor.name): M = N − asked")
      #expect(throws: CoreError.self) { try strategy.select(asked.features.rows, from: asked, monitor: .silent) }
    }
  }

  @Test func theRegistryNamesAreUniqueAndTheDefaultsThePapers() {
    #expect(Set(SelectionStrategies.names).count == SelectionStrategies.all.count)
    #expect(SelectionStrategies.all.filter(\.isPaperAblation).map(\.name).sorted()
            == ValueTerms.allCases.map(\.rawValue).sorted())
    #expect(SelectionStrategies.named("typiclust") != nil && SelectionStrategies.named("TypiClust") == nil)
  }

  /// A strategy interrupted by its monitor keeps the picks it made.
  @Test func interruptionKeepsThePicks() throws {
    let s = try Self.setup()
    for name in ["typiclust", "probcover", "maxherding", "coreset", "badge", "hard+rep+div"] {
      let monitor = WorkMonitor(isCancelled: { true })
      do {
        _ = try SelectionStrategies.named(name)!.make(StrategyOptions()).select(10, from: s.input, monitor: monitor)
        Issue.record("\(name) ignored the monitor")
      } catch let stop as Interrupted {
        if let partial = stop.partial as? Selection { #expect(partial.indices.count >= 1 && partial.indices.count < 10, "\(name)") }
      }
    }
  }

  // MARK: - ProbCover

  /// Greedy maximum coverage: coverage never decreases and the newly covered count never rises.
  @Test func probCoverCoverageNeverDecreases() throws {
    let s = try Self.setup()
    let sel = try ProbCover(delta: 0.6).select(60, from: s.input, monitor: .silent)
    let newly = sel.explanations.map { $0[0] }, coverage = sel.explanations.map { $0[1] }
    for j in 1..<sel.indices.count {
      #expect(coverage[j] >= coverage[j - 1])
      #expect(newly[j] <= newly[j - 1])
    }
    // Against a brute-force greedy on the same balls.
    let n = s.z.rows
    var covered = Set<Int>(), picks: [Int] = []
    func ball(_ x: Int) -> Set<Int> {
      Set((0..<n).filter { y in
        var d = 0.0
        for c in 0..<s.z.columns { let t = Double(s.z[x, c]) - Double(s.z[y, c]); d += t * t }
        return d.squareRoot() < 0.6 || x == y
      })
    }
    let balls = (0..<n).map(ball)
    while picks.count < 60 {
      let gains = (0..<n).map { picks.contains($0) ? -1 : balls[$0].subtracting(covered).count }
      let best = gains.firstIndex(of: gains.max()!)!
      if gains[best] <= 0 { break }
      picks.append(best)
      covered.formUnion(balls[best])
    }
    #expect(Array(sel.indices.prefix(picks.count)) == picks)
  }

  /// The δ-balls read from the K-NN graph (SGEMM only among the dense samples) are the full
  /// `N × N` pass's, at radii where no sample, some, and every sample is dense; and δ by purity
  /// from them is the exact pass's δ, with the same graph.
  @Test func probCoverBallsFromTheNeighbourGraphAreTheFullOnes() throws {
    let s = try Self.setup()
    let knn = s.input.graph!
    func edges(_ g: ProbCover.BallGraph) -> [[Int32]] { (0..<g.count).map { g.neighbors(of: $0).sorted() } }
    let kth = (0..<s.z.rows).map { knn.squaredDistances[$0 * knn.k + knn.k - 1].squareRoot() }.sorted()
    var denseSeen: [Int] = []
    for delta in [Double(kth[0]) * 0.9, Double(kth[kth.count / 2]), Double(kth.last!) * 1.1, 1.5] {
      let fast = try ProbCover.ballGraph(s.z, delta: delta, neighbors: knn)
      let full = try ProbCover.ballGraph(s.z, delta: delta, block: 64)
      #expect(edges(fast.graph) == edges(full), "δ = \(delta)")
      denseSeen.append(fast.denseRows)
    }
    #expect(denseSeen.first == 0 && denseSeen.last == s.z.rows && denseSeen.contains { $0 > 0 && $0 < s.z.rows })
    for graph in [knn, try NearestNeighbors(k: 1).search(s.z)] {  // k = 1: δ from the exact pass first
      let balls = try ProbCover.purityBalls(s.z, assignment: s.input.assignment, neighbors: graph)
      let delta = try ProbCover.purityRadius(s.z, assignment: s.input.assignment, graph: graph)
      #expect(abs(balls.delta - delta) < 1e-5)
      #expect(edges(balls.graph) == edges(try ProbCover.ballGraph(s.z, delta: balls.delta, block: 64)))
    }
  }

  /// δ is the largest radius with purity ≥ 0.95: purity at δ holds, just above δ it fails.
  @Test func probCoverRadiusIsTheLargestPureOne() throws {
    let s = try Self.setup()
    let delta = try ProbCover.purityRadius(s.z, assignment: s.input.assignment, graph: s.input.graph!)
    let n = s.z.rows
    func distance(_ a: Int, _ b: Int) -> Double {
      var d = 0.0
      for c in 0..<s.z.columns { let t = Double(s.z[a, c]) - Double(s.z[b, c]); d += t * t }
      return d.squareRoot()
    }
    let r = (0..<n).map { x in (0..<n).filter { s.input.assignment[$0] != s.input.assignment[x] }.map { distance(x, $0) }.min()! }
    func purity(_ d: Double) -> Double { Double(r.filter { $0 >= d }.count) / Double(n) }
    #expect(purity(delta - 1e-5) >= 0.95)
    #expect(purity(delta + 1e-4) < 0.95)
    // With too few neighbours to certify it, the blocked exact pass gives the same δ.
    let tiny = try NearestNeighbors(k: 1).search(s.z)
    let again = try ProbCover.purityRadius(s.z, assignment: s.input.assignment, graph: tiny)
    #expect(abs(again - delta) < 1e-5)
  }

  // MARK: - MaxHerding

  /// The lazy greedy picks what the plain greedy picks, and the gains never rise (submodularity).
  @Test func maxHerdingIsTheGreedyAndItsGainFalls() throws {
    let s = try Self.setup()
    for round in [0, 1] {
      var input = s.input
      input.round = round
      input.asked = round == 0 ? [] : [3, 77]
      let sel = try MaxHerding(sigma: 0.5).select(25, from: input, monitor: .silent)
      for j in 1..<sel.values.count { #expect(sel.values[j] <= sel.values[j - 1] * (1 + 1e-5) + 1e-6) }
      // Plain greedy in Double.
      let n = s.z.rows
      var w = [Double](repeating: 1, count: n)
      if round > 0 {
        let p = input.head!.probabilities(s.z)
        for i in 0..<n { let t = topTwo(p, row: i); w[i] = 1 - Double(t.first - t.second) }
      }
      func k(_ a: Int, _ b: Int) -> Double {
        var d = 0.0
        for c in 0..<s.z.columns { let t = Double(s.z[a, c]) - Double(s.z[b, c]); d += t * t }
        return Foundation.exp(-d / 0.25)
      }
      var c = [Double](repeating: 0, count: n)
      for a in input.asked { for i in 0..<n { c[i] = max(c[i], k(i, a)) } }
      var picks: [Int] = []
      while picks.count < 25 {
        var best = -1, bestGain = -1.0
        for x in 0..<n where !picks.contains(x) && !input.asked.contains(x) {
          var g = 0.0
          for i in 0..<n { g += w[i] * max(0, k(i, x) - c[i]) }
          if g > bestGain + 1e-9 { best = x; bestGain = g }
        }
        picks.append(best)
        for i in 0..<n { c[i] = max(c[i], k(i, best)) }
      }
      #expect(sel.indices == picks, "round \(round)")
    }
  }

  // MARK: - Coreset

  /// Each pick is the farthest remaining sample from everything selected before it.
  @Test func coresetPicksTheFarthest() throws {
    let s = try Self.setup()
    var input = s.input
    input.asked = [5, 99]
    let sel = try KCenterGreedy().select(20, from: input, monitor: .silent)
    var centres = Array(input.asked)
    for (j, pick) in sel.indices.enumerated() {
      func d2(_ x: Int) -> Double {
        centres.map { c in (0..<s.z.columns).reduce(0.0) { $0 + Double((s.z[x, $1] - s.z[c, $1]) * (s.z[x, $1] - s.z[c, $1])) } }.min()!
      }
      let best = (0..<s.z.rows).filter { !centres.contains($0) }.map(d2).max()!
      #expect(abs(d2(pick) - best) < 1e-5, "pick \(j)")
      #expect(abs(sel.explanations[j][0] - best) < 1e-4)
      centres.append(pick)
    }
  }

  // MARK: - From the head

  @Test func marginAndEntropyTakeTheTopOfTheirUtility() throws {
    let s = try Self.setup()
    let p = s.input.head!.probabilities(s.z)
    let margin = try MarginSampling().select(15, from: s.input, monitor: .silent)
    let margins = (0..<s.z.rows).map { i -> Float in let t = topTwo(p, row: i); return t.first - t.second }
    let cutoff = margin.values.max()!
    #expect(margins.filter { $0 < cutoff }.count <= 15)
    #expect(margin.indices.allSatisfy { margins[$0] <= cutoff })
    let entropy = try EntropySampling().select(15, from: s.input, monitor: .silent)
    for j in 1..<15 { #expect(entropy.values[j] <= entropy.values[j - 1]) }
  }

  /// BADGE's embedding is the gradient of the cross-entropy at the head's own prediction with
  /// respect to the last layer's weights: checked against central finite differences.
  @Test func badgeEmbeddingIsTheLossGradient() throws {
    let s = try Self.setup()
    let head = s.input.head!
    let (a, h) = BADGE.embedding(head, s.z)
    let c = head.classCount, width = head.hiddenDimension
    for sample in [0, 17, 123] {
      let x = s.z.rows([sample])
      let yhat = head.predict(x)[0]
      func loss(_ hd: ClusterHead) -> Double {
        let logits = hd.logits(x).storage.map(Double.init)
        let m = logits.max()!
        let lse = m + Foundation.log(logits.reduce(0) { $0 + Foundation.exp($1 - m) })
        return lse - logits[yhat]
      }
      for (j, unit) in [(yhat, 3), ((yhat + 1) % c, 7), ((yhat + 2) % c, 0)] {
        var plus = head, minus = head
        let offset = head.w2Offset + j * width + unit
        let eps: Float = 1e-2
        plus.parameters[offset] += eps
        minus.parameters[offset] -= eps
        let numeric = (loss(plus) - loss(minus)) / Double(2 * eps)
        let analytic = Double(a[sample, j]) * Double(h[sample, unit])
        #expect(abs(numeric - analytic) < 1e-3 + 1e-2 * abs(analytic), "sample \(sample) class \(j) unit \(unit)")
      }
    }
  }

  /// DropQuery's picks are samples whose prediction flips under dropout, while there are enough.
  @Test func dropQueryPicksFlippingSamples() throws {
    let s = try Self.setup()
    let flips = DropQuery.flips(s.input.head!, s.z, seed: s.input.seed)
    let flipping = flips.filter { $0 > 0 }.count
    #expect(flipping >= 10, "the fixture has samples that flip")
    let sel = try DropQuery().select(10, from: s.input, monitor: .silent)
    #expect(sel.indices.allSatisfy { flips[$0] > 0 })
    #expect(sel.explanations.allSatisfy { $0[1] >= 1 }, "each from a k-means cluster of the candidates")
  }

  // MARK: - TypiClust

  @Test func typiclustTakesOnePerClusterLargestFirst() throws {
    let s = try Self.setup()
    let sel = try TypiClust().select(12, from: s.input, monitor: .silent)
    let clusters = sel.explanations.map { Int($0[0]) }, sizes = sel.explanations.map { $0[1] }
    #expect(Set(clusters).count == clusters.count, "one pick per cluster while L = M")
    for j in 1..<sizes.count { #expect(sizes[j] <= sizes[j - 1]) }
  }
}

/// The same picks as the authors' code (a faithful numpy port, scripts/strategy-parity.py) on
/// its fixture.
@Suite struct StrategyParityTests {
  struct Fixture: Decodable {
    var features: [[Float]]
    var clusters: [Int]
    var typiclust_first_round: [Int]
    var delta: Double
    var probcover_budget: Int
    var probcover_first_round: [Int]
    var labelled: [Int]
    var probcover_labelled: [Int]
    var coreset_budget: Int
    var coreset_labelled: [Int]
  }

  static func fixture() throws -> (Fixture, Matrix) {
    let url = SharedPaths.packageRoot.appendingPathComponent("Tests/IDCCoreTests/Fixtures/strategy_parity.json")
    let f = try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
    return (f, Matrix(f.features))
  }

  @Test func typiclust() throws {
    let (f, z) = try Self.fixture()
    let k = f.clusters.max()! + 1
    let sel = try TypiClust().select(k, features: z, clusters: f.clusters, clusterCount: k, asked: [])
    #expect(sel.indices == f.typiclust_first_round)
  }

  @Test func probcover() throws {
    let (f, z) = try Self.fixture()
    let graph = try ProbCover.ballGraph(z, delta: f.delta, block: 64)
    let first = try ProbCover(delta: f.delta).select(f.probcover_budget, graph: graph, asked: [], seed: 0, note: "")
    #expect(first.indices == f.probcover_first_round)
    let later = try ProbCover(delta: f.delta).select(f.probcover_budget, graph: graph, asked: Set(f.labelled), seed: 0, note: "")
    #expect(later.indices == f.probcover_labelled)
  }

  @Test func coreset() throws {
    let (f, z) = try Self.fixture()
    let input = SelectionInput(features: z, assignment: f.clusters, clusterCount: f.clusters.max()! + 1, asked: Set(f.labelled))
    let sel = try KCenterGreedy().select(f.coreset_budget, from: input, monitor: .silent)
    #expect(sel.indices == f.coreset_labelled)
  }
}
