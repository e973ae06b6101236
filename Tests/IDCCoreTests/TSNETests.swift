import Foundation
@testable import IDCCore
import IDCData
import Testing

/// t-SNE: affinities, gradients (FFT interpolation against the exact
/// reference, the reference against finite differences), the optimiser's
/// contract (determinism, interruption, continuation, degenerate inputs), and
/// quality parity with openTSNE on the shared data.
@Suite struct TSNETests {
  /// Gaussian blobs, their affinities, and a blob-shaped embedding of the given
  /// radius (30 to 120 is the extent of late-phase t-SNE maps).
  static func gradientCase(n: Int = 1000, radius: Double = 30) throws -> (TSNEAffinities, Matrix) {
    let (x, labels) = blobs(k: 8, perCluster: n / 8, dimension: 16, spread: 0.3, seed: 3)
    let affinities = try TSNEAffinities(data: x, perplexity: 30)
    var generator = SeededGenerator(seed: 11)
    var y = Matrix(rows: x.rows, columns: 2)
    for i in 0..<x.rows {
      let angle = Double(labels[i]) * 2 * Double.pi / 8
      y[i, 0] = Float(radius * (0.6 * cos(angle) + 0.15 * generator.nextGaussian()))
      y[i, 1] = Float(radius * (0.6 * sin(angle) + 0.15 * generator.nextGaussian()))
    }
    return (affinities, y)
  }

  static func relativeError(_ a: Matrix, _ b: Matrix) -> Double {
    var diff = 0.0, norm = 0.0
    for c in 0..<a.storage.count {
      let d = Double(a.storage[c]) - Double(b.storage[c])
      diff += d * d
      norm += Double(b.storage[c]) * Double(b.storage[c])
    }
    return (diff / norm).squareRoot()
  }

  static func randomData(n: Int, d: Int, seed: Int) -> Matrix {
    var generator = SeededGenerator(seed: seed)
    return Matrix(rows: n, columns: d, storage: (0..<(n * d)).map { _ in Float(generator.nextGaussian()) })
  }

  /// A short schedule for behaviour tests.
  static let quick = TSNE(iterations: 60, earlyExaggerationIterations: 40, statsEvery: 20)

  // MARK: - Gradients

  @Test("FFT-interpolated gradient within 1% of the exact one (N = 1000)", arguments: [5.0, 30.0, 60.0, 120.0])
  func interpolatedGradientMatchesExact(radius: Double) throws {
    let (affinities, y) = try Self.gradientCase(radius: radius)
    for exaggeration: Float in [1, 12] {
      let exact = TSNEGradient.exact(y, affinities: affinities, exaggeration: exaggeration)
      let fft = TSNEGradient.interpolated(y, affinities: affinities, exaggeration: exaggeration)
      let error = Self.relativeError(fft.gradient, exact.gradient)
      #expect(error < 0.01, "relative gradient error \(error) at radius \(radius), exaggeration \(exaggeration)")
      #expect(abs(fft.normalization / exact.normalization - 1) < 1e-4)
      #expect(abs(fft.klDivergence - exact.klDivergence) < 1e-4 * exact.klDivergence)
    }
  }

  @Test("interval widths sit on a ladder: ≤ 1, near extent / 50, one width for a range of extents")
  func intervalLadder() {
    var widths = Set<Double>()
    for extent in stride(from: 0.5, through: 200, by: 0.25) {
      let w = FFTInterpolation.intervalWidth(extent: extent, minIntervals: 50, widest: 1)
      #expect(w <= 1)
      #expect(w >= extent / 400)
      if extent < 50 {
        let intervals = extent / w
        #expect(intervals > 50 * 0.84 && intervals < 50 * 1.19, "\(intervals) intervals at extent \(extent)")
      } else {
        #expect(w == 1)
      }
      widths.insert(w)
    }
    // log2(50 / 0.5) · 4 ≈ 27 rungs below 1, instead of one width per extent.
    #expect(widths.count <= 30)
  }

  @Test("a point far away widens the intervals instead of growing the grid")
  func farOutlier() throws {
    var (affinities, y) = try Self.gradientCase(n: 400, radius: 30)
    y[0, 0] = 40_000
    y[0, 1] = -25_000
    // 400 intervals of ~117 units: a bounded grid, a finite (if coarse) gradient.
    let fft = TSNEGradient.interpolated(y, affinities: affinities)
    #expect(fft.gradient.firstNonFinite() == nil)
    #expect(fft.normalization > 0 && fft.normalization.isFinite)
  }

  @Test("exact gradient equals central differences of the exact KL")
  func exactGradientMatchesFiniteDifferences() throws {
    let x = Self.randomData(n: 24, d: 5, seed: 4)
    let affinities = try TSNEAffinities(data: x, perplexity: 5)
    var y = Self.randomData(n: 24, d: 2, seed: 5)
    let analytic = TSNEGradient.exact(y, affinities: affinities).gradient
    let h: Float = 1e-2
    var numeric = Matrix(rows: 24, columns: 2)
    for c in 0..<y.storage.count {
      let saved = y.storage[c]
      y.storage[c] = saved + h
      let plus = TSNEGradient.exact(y, affinities: affinities).klDivergence
      y.storage[c] = saved - h
      let minus = TSNEGradient.exact(y, affinities: affinities).klDivergence
      y.storage[c] = saved
      numeric.storage[c] = Float((plus - minus) / Double(2 * h))
    }
    #expect(Self.relativeError(analytic, numeric) < 1e-3)
  }

  @Test("exaggeration scales only the attraction")
  func exaggerationScalesAttraction() throws {
    let (affinities, y) = try Self.gradientCase(n: 200, radius: 10)
    let g1 = TSNEGradient.exact(y, affinities: affinities, exaggeration: 1).gradient
    let g2 = TSNEGradient.exact(y, affinities: affinities, exaggeration: 2).gradient
    let g3 = TSNEGradient.exact(y, affinities: affinities, exaggeration: 3).gradient
    // Linear in α: g(3) − g(2) = g(2) − g(1).
    var d1 = g2, d2 = g3
    for c in 0..<d1.storage.count { d1.storage[c] -= g1.storage[c]; d2.storage[c] -= g2.storage[c] }
    #expect(Self.relativeError(d2, d1) < 1e-4)
  }

  // MARK: - Affinities

  @Test("conditional rows sum to 1 and attain the perplexity")
  func conditionalPerplexity() throws {
    let (x, _) = blobs(k: 5, perCluster: 60, dimension: 10, spread: 0.4, seed: 9)
    for perplexity in [5.0, 30.0] {
      let (k, effective) = TSNEAffinities.neighborhood(samples: x.rows, perplexity: perplexity)
      #expect(k == Int(3 * perplexity) && effective == perplexity)
      let graph = try NearestNeighbors(k: k).search(x)
      let (p, betas) = TSNEAffinities.conditionalProbabilities(graph: graph, perplexity: perplexity)
      for i in 0..<x.rows {
        var sum = 0.0, entropy = 0.0
        for j in 0..<k {
          let v = Double(p[i * k + j])
          sum += v
          if v > 0 { entropy -= v * log(v) }
        }
        #expect(abs(sum - 1) < 1e-5)
        #expect(abs(exp(entropy) - perplexity) < 1e-3, "row \(i): perplexity \(exp(entropy))")
        #expect(betas[i] > 0 && betas[i].isFinite)
      }
    }
  }

  @Test("joint P is symmetric, non-negative and sums to 1")
  func jointAffinities() throws {
    let x = Self.randomData(n: 150, d: 6, seed: 2)
    let p = try TSNEAffinities(data: x, perplexity: 10)
    #expect(abs(p.total - 1) < 1e-5)
    #expect(p.values.allSatisfy { $0 > 0 })
    func entry(_ i: Int, _ j: Int) -> Float? {
      let row = p.rowStarts[i] ..< p.rowStarts[i + 1]
      return row.first { p.columnIndices[$0] == Int32(j) }.map { p.values[$0] }
    }
    for i in 0..<p.count {
      let row = p.rowStarts[i] ..< p.rowStarts[i + 1]
      #expect(zip(row.dropFirst(), row).allSatisfy { p.columnIndices[$0] > p.columnIndices[$1] })
      for e in row {
        let j = Int(p.columnIndices[e])
        #expect(j != i)
        #expect(entry(j, i) == p.values[e])
      }
    }
  }

  /// `(P + Pᵀ) / 2N` the direct way: every row's own entries and the reverse ones
  /// concatenated, sorted by column, coincident pairs summed.
  static func concatenatedSymmetrisation(_ graph: NeighborGraph, _ conditional: [Float]) -> (starts: [Int], columns: [Int32], values: [Float]) {
    let n = graph.count, k = graph.k, scale = 1 / Float(2 * n)
    var rows = [[(Int32, Float)]](repeating: [], count: n)
    for i in 0..<n {
      for s in 0..<k {
        let j = Int(graph.indices[i * k + s]), v = conditional[i * k + s] * scale
        rows[i].append((Int32(j), v))
        rows[j].append((Int32(i), v))
      }
    }
    var starts = [0], columns: [Int32] = [], values: [Float] = []
    for i in 0..<n {
      for (c, v) in rows[i].sorted(by: { $0.0 < $1.0 }) {
        if columns.count > starts[i] && columns.last == c { values[values.count - 1] += v } else { columns.append(c); values.append(v) }
      }
      starts.append(columns.count)
    }
    return (starts, columns, values)
  }

  @Test("the merged symmetrisation equals the concatenated one, bit for bit (perplexity and uniform conditionals)")
  func symmetrisationEqualsTheDirectOne() throws {
    let (x, _) = Self.shuffledBlobs(perCluster: 150)
    for k in [5, 30] {
      let graph = try NearestNeighbors(k: k).search(x)
      for conditional in [TSNEAffinities.conditionalProbabilities(graph: graph, perplexity: Double(k) / 3).probabilities,
                          TSNEAffinities.uniformConditionals(graph)] {
        let p = TSNEAffinities(graph: graph, conditional: conditional, perplexity: 1, threads: 2)
        let direct = Self.concatenatedSymmetrisation(graph, conditional)
        #expect(p.rowStarts == direct.starts && p.columnIndices == direct.columns && p.values == direct.values, "K = \(k)")
        // Only the indices are read: the same result without the distances.
        let indicesOnly = NeighborGraph(k: k, indices: graph.indices, squaredDistances: [])
        #expect(TSNEAffinities(graph: indicesOnly, conditional: conditional, perplexity: 1, threads: 1) == p)
      }
    }
  }

  @Test("perplexity above the neighbour count is capped at K/3")
  func perplexityCap() {
    let (k, effective) = TSNEAffinities.neighborhood(samples: 10, perplexity: 30)
    #expect(k == 9 && effective == 3)
  }

  // MARK: - Initialisation

  @Test("PCA finds the principal axes; the init has standard deviation 1e-4")
  func pcaInitialisation() throws {
    // Anisotropic Gaussian: variances 9, 4, 1, 0.25 along a rotated basis.
    var generator = SeededGenerator(seed: 8)
    let angle = 0.3, c = Float(cos(angle)), s = Float(sin(angle))
    var x = Matrix(rows: 4000, columns: 4)
    for i in 0..<x.rows {
      let z = [3, 2, 1, 0.5].map { Float($0 * generator.nextGaussian()) }
      x[i, 0] = c * z[0] - s * z[1]; x[i, 1] = s * z[0] + c * z[1]; x[i, 2] = z[2] + 5; x[i, 3] = z[3]
    }
    let pca = try PCA(components: 2).fit(x)
    #expect(abs(pca.variances[0] - 9) < 0.5 && abs(pca.variances[1] - 4) < 0.3)
    #expect(abs(abs(pca.axes[0, 0]) - c) < 0.02 && abs(abs(pca.axes[0, 1]) - s) < 0.02)
    #expect(abs(abs(pca.axes[1, 0]) - s) < 0.03 && abs(abs(pca.axes[1, 1]) - c) < 0.03)
    let y = try TSNE().initialEmbedding(x)
    var mean = 0.0, square = 0.0
    for i in 0..<y.rows { mean += Double(y[i, 0]); square += Double(y[i, 0]) * Double(y[i, 0]) }
    mean /= Double(y.rows)
    #expect(abs((square / Double(y.rows) - mean * mean).squareRoot() - 1e-4) < 2e-6)
  }

  // MARK: - Optimiser contract

  @Test("same seed, same embedding; another seed, another one", arguments: [TSNE.Method.exact, .fft])
  func determinism(method: TSNE.Method) throws {
    let (x, _) = blobs(k: 4, perCluster: 60, dimension: 8, spread: 0.3, seed: 1)
    var tsne = Self.quick
    tsne.method = method
    tsne.initialization = .random
    tsne.seed = 5
    let a = try tsne.fit(x), b = try tsne.fit(x)
    #expect(a.embedding == b.embedding)
    #expect(a.stats == b.stats)
    tsne.seed = 6
    #expect(try tsne.fit(x).embedding != a.embedding)
  }

  /// The partial result of `tsne.fit(x)` interrupted when the 30th step is asked to start (nil,
  /// recorded as an issue, when it is not interrupted).
  static func fitStoppedAt30(_ tsne: TSNE, _ x: Matrix) throws -> TSNE.Result? {
    final class Counter: @unchecked Sendable { var steps = 0 }
    let counter = Counter()
    let stopAt30 = WorkMonitor(isCancelled: { counter.steps >= 30 }, progress: { label, _, _ in
      if label == "t-SNE" { counter.steps += 1 }
    })
    do {
      _ = try tsne.fit(x, monitor: stopAt30)
      Issue.record("expected an interruption")
      return nil
    } catch let stop as Interrupted {
      return stop.partial as? TSNE.Result
    }
  }

  @Test("an interrupt returns the partial embedding, and continuing equals not stopping", arguments: [TSNE.Method.exact, .fft])
  func interruptAndContinue(method: TSNE.Method) throws {
    let (x, _) = blobs(k: 4, perCluster: 50, dimension: 8, spread: 0.3, seed: 2)
    var tsne = Self.quick
    tsne.method = method
    let full = try tsne.fit(x)
    #expect(full.iterations == 100)
    #expect(full.stats.map(\.iteration) == [20, 40, 60, 80, 100])
    #expect(full.stats.map(\.exaggeration) == [12, 12, 1, 1, 1])

    let stopped = try #require(try Self.fitStoppedAt30(tsne, x))
    #expect(stopped.iterations == 29)
    #expect(stopped.embedding.firstNonFinite() == nil && stopped.klDivergence.isFinite)
    let resumed = try tsne.continue(from: stopped, iterations: 100 - stopped.iterations)
    #expect(resumed.iterations == 100)
    #expect(resumed.embedding == full.embedding)
    #expect(resumed.stats == full.stats)
    #expect(resumed.klDivergence == full.klDivergence)

    // `tsne continue=50`: more normal-phase steps lower the KL further.
    let more = try tsne.continue(from: full, iterations: 50)
    #expect(more.iterations == 150 && more.stats.last?.iteration == 140)
    #expect(more.klDivergence < full.klDivergence)
  }

  /// Blobs with their rows shuffled (seeded), so that the input order has no locality.
  static func shuffledBlobs(perCluster: Int) -> (Matrix, [Int]) {
    let (x, labels) = blobs(k: 4, perCluster: perCluster, dimension: 8, spread: 0.3, seed: 3)
    var rows = Array(0..<x.rows)
    var rng = SeededGenerator(seed: 11)
    for t in 0..<(rows.count - 1) { rows.swapAt(t, t + rng.nextInt(below: rows.count - t)) }
    var shuffled = Matrix(rows: x.rows, columns: x.columns)
    for (to, from) in rows.enumerated() { for c in 0..<x.columns { shuffled[to, c] = x[from, c] } }
    return (shuffled, rows.map { labels[$0] })
  }

  @Test("breadth-first order is a permutation that puts neighbours near each other")
  func breadthFirstOrderIsLocal() throws {
    let (x, _) = Self.shuffledBlobs(perCluster: 250)
    let graph = try NearestNeighbors(k: 10).search(x)
    let order = TSNE.breadthFirstOrder(graph)
    #expect(order.map(Int.init).sorted() == Array(0..<x.rows))
    var position = [Int](repeating: 0, count: x.rows)
    for (p, row) in order.enumerated() { position[Int(row)] = p }
    func meanGap(_ at: (Int) -> Int) -> Double {
      var total = 0
      for i in 0..<x.rows { for j in graph.neighbors(of: i) { total += abs(at(i) - at(Int(j))) } }
      return Double(total) / Double(graph.indices.count)
    }
    // Shuffled rows: a neighbour is about N/3 = 333 rows away; in breadth-first order within
    // its own blob (≤ 250 rows), and in practice much closer.
    #expect(meanGap { $0 } > 250)
    #expect(meanGap { position[$0] } < 80, "mean gap \(meanGap { position[$0] })")
  }

  @Test("rows kept in breadth-first order: the same map in the input's order; continuing equals not stopping")
  func localityOrderKeepsTheInputOrder() throws {
    let (x, labels) = Self.shuffledBlobs(perCluster: 100)
    var plain = Self.quick
    plain.localityOrderFrom = .max
    var ordered = Self.quick
    ordered.localityOrderFrom = 0
    let a = try plain.fit(x), b = try ordered.fit(x)
    #expect(a.order == nil)
    #expect(try #require(b.order).map(Int.init).sorted() == Array(0..<x.rows))
    #expect(b.order.map { $0.map(Int.init) } != Array(0..<x.rows))
    // The same problem in another row order: the first KLs agree to float rounding (measured
    // 2.8e-5 relative at iteration 20); later the two trajectories part, as any two runs whose
    // sums are taken in another order do, so the final maps are compared by what they show.
    let first = (try #require(a.stats.first)).klDivergence, firstOrdered = (try #require(b.stats.first)).klDivergence
    #expect(abs(firstOrdered - first) / first < 1e-4, "KL at iteration 20: \(firstOrdered) vs \(first)")
    // In the input's order, each point's nearest neighbour on the map is from its own blob.
    func sameBlobShare(_ y: Matrix) -> Double {
      var same = 0
      for i in 0..<y.rows {
        var best = -1
        var bestDistance = Float.infinity
        for j in 0..<y.rows where j != i {
          let dx = y[i, 0] - y[j, 0], dy = y[i, 1] - y[j, 1]
          if dx * dx + dy * dy < bestDistance { bestDistance = dx * dx + dy * dy; best = j }
        }
        if labels[best] == labels[i] { same += 1 }
      }
      return Double(same) / Double(y.rows)
    }
    #expect(sameBlobShare(a.embedding) > 0.95)
    #expect(sameBlobShare(b.embedding) > 0.95)

    let resumed = try ordered.continue(from: try #require(try Self.fitStoppedAt30(ordered, x)), iterations: 100 - 29)
    #expect(resumed.embedding == b.embedding)
    #expect(resumed.klDivergence == b.klDivergence)
  }

  @Test("uniform affinities: 1/K on each neighbour, symmetrised to sum 1; the map still separates the blobs")
  func uniformAffinities() throws {
    let (x, labels) = Self.shuffledBlobs(perCluster: 100)
    let graph = try NearestNeighbors(k: 15).search(x)
    let p = TSNEAffinities(uniformOn: graph)
    #expect(p.perplexity == 15 && p.neighbors == 15)
    #expect(abs(p.total - 1) < 1e-5)
    // p_ij = (1[j ∈ N(i)] + 1[i ∈ N(j)]) / (2·N·K): every stored value is one or two halves.
    let half = 1 / Float(2 * x.rows * 15)
    #expect(p.values.allSatisfy { abs($0 - half) < 1e-9 || abs($0 - 2 * half) < 1e-9 })
    for i in 0..<x.rows {
      for e in p.rowStarts[i] ..< p.rowStarts[i + 1] {
        let j = Int(p.columnIndices[e])
        let mutual = graph.neighbors(of: i).contains(Int32(j)) && graph.neighbors(of: j).contains(Int32(i))
        #expect(abs(p.values[e] - (mutual ? 2 : 1) * half) < 1e-9)
      }
    }
    var uniform = Self.quick
    uniform.affinity = .uniform
    let y = try uniform.fit(x)
    #expect(y.affinities.neighbors == 15)
    var same = 0
    for i in 0..<y.embedding.rows {
      var best = -1
      var bestDistance = Float.infinity
      for j in 0..<y.embedding.rows where j != i {
        let dx = y.embedding[i, 0] - y.embedding[j, 0], dy = y.embedding[i, 1] - y.embedding[j, 1]
        if dx * dx + dy * dy < bestDistance { bestDistance = dx * dx + dy * dy; best = j }
      }
      if labels[best] == labels[i] { same += 1 }
    }
    #expect(Double(same) / Double(x.rows) > 0.95)
    var none = Self.quick
    none.affinity = .uniform
    none.uniformNeighbors = 0
    #expect(throws: CoreError.self) { try none.fit(x) }
  }

  @Test("KL decreases over the normal phase; the final KL is that of the embedding")
  func klDecreases() throws {
    let (x, _) = blobs(k: 5, perCluster: 80, dimension: 10, spread: 0.3, seed: 3)
    let result = try TSNE(iterations: 200, earlyExaggerationIterations: 100).fit(x)
    let normal = result.stats.filter { $0.exaggeration == 1 }.map(\.klDivergence)
    #expect(zip(normal.dropFirst(), normal).allSatisfy { $0 <= $1 + 1e-6 })
    let check = TSNEGradient.exact(result.embedding, affinities: result.affinities)
    #expect(abs(check.klDivergence - result.klDivergence) < 1e-6)
    #expect(result.method == .exact)
  }

  @Test("small N and duplicate points give finite embeddings", arguments: [2, 3, 5, 10, 50])
  func smallAndDuplicate(n: Int) throws {
    var inputs = [Self.randomData(n: n, d: 3, seed: n)]
    inputs.append(Matrix(rows: n, columns: 3, repeating: 1))  // all identical
    var half = Self.randomData(n: n, d: 3, seed: n + 1)       // pairs of duplicates
    for i in stride(from: 1, to: n, by: 2) { for c in 0..<3 { half[i, c] = half[i - 1, c] } }
    inputs.append(half)
    for x in inputs {
      for method in [TSNE.Method.exact, .fft] {
        var tsne = Self.quick
        tsne.method = method
        let result = try tsne.fit(x)
        #expect(result.embedding.firstNonFinite() == nil, "N = \(n), \(method)")
        #expect(result.klDivergence.isFinite && result.stats.allSatisfy { $0.klDivergence.isFinite })
      }
    }
  }

  @Test("bad parameters are refused with a message")
  func validation() {
    let x = Self.randomData(n: 20, d: 3, seed: 0)
    #expect(throws: CoreError.self) { try TSNE(perplexity: 0).fit(x) }
    #expect(throws: CoreError.self) { try TSNE(momentum: 1).fit(x) }
    #expect(throws: CoreError.self) { try TSNE(learningRate: .fixed(-1)).fit(x) }
    #expect(throws: CoreError.self) { try TSNE().fit(Matrix(rows: 1, columns: 3)) }
    var bad = x
    bad[3, 1] = .nan
    #expect(throws: CoreError("features contain a non-finite value at row 3, column 1")) { try TSNE().fit(bad) }
  }

  @Test("learning rate auto is max(200, N / exaggeration)")
  func learningRate() {
    let tsne = TSNE()
    #expect(tsne.learningRate(samples: 70000, exaggeration: 12) == 70000.0 / 12)
    #expect(tsne.learningRate(samples: 70000, exaggeration: 1) == 70000)
    #expect(tsne.learningRate(samples: 1000, exaggeration: 12) == 200)
    #expect(TSNE(learningRate: .fixed(50)).learningRate(samples: 1000, exaggeration: 12) == 50)
  }

  // MARK: - Parity with openTSNE (shared data)

  /// openTSNE's numbers, written by `scripts/bench-tsne.sh` (see its `command`).
  struct Reference: Decodable {
    struct Entry: Decodable { let rows: Int; let kl: Double; let knn10: Double }
    let command: String
    let opentsne: [String: Entry]
  }

  static func neighborPreservation(_ x: Matrix, _ y: Matrix, k: Int = 10) throws -> Double {
    let input = try NearestNeighbors(k: k).search(x), output = try NearestNeighbors(k: k).search(y)
    var hits = 0
    for i in 0..<x.rows { hits += Set(input.neighbors(of: i)).intersection(output.neighbors(of: i)).count }
    return Double(hits) / Double(x.rows * k)
  }

  @Test("KL within 5% of openTSNE's, 10-NN preservation within 0.02 (digits; first 20 000 rows of fmnist_effnet128)",
        .enabled(if: SharedPaths.hasData), arguments: ["digits", "fmnist20k"])
  func openTSNEParity(set: String) throws {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("scripts/bench/opentsne-reference.json")
    let reference = try JSONDecoder().decode(Reference.self, from: Data(contentsOf: url))
    let expected = try #require(reference.opentsne[set])
    let file = set == "digits" ? "digits" : "fmnist_effnet128"
    var x = try NPYReader.read(path: SharedPaths.data!.appendingPathComponent("\(file).features.npy").path).asMatrix()
    if x.rows > expected.rows { x = x.rows(Array(0..<expected.rows)) }
    #expect(x.rows == expected.rows)
    let result = try TSNE().fit(x)
    let preservation = try Self.neighborPreservation(x, result.embedding)
    #expect(result.klDivergence <= 1.05 * expected.kl, "KL \(result.klDivergence) vs openTSNE \(expected.kl)")
    #expect(preservation >= expected.knn10 - 0.02, "10-NN \(preservation) vs openTSNE \(expected.knn10)")
  }
}
