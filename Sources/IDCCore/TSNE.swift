import CKernels
/// t-distributed stochastic neighbour embedding into the plane (van der Maaten
/// & Hinton 2008), with sparse affinities on the exact nearest neighbours (van
/// der Maaten 2014) and the repulsion computed exactly for small data or by
/// FFT-accelerated interpolation (Linderman et al. 2019) — the schedule and
/// defaults of openTSNE 1.0 (Poličar, Stražar & Zupan 2024), except five
/// interpolation nodes per unit interval instead of three (see
/// ``FFTInterpolation``: a cheaper kernel split that needs the finer grid).
///
/// `fit` computes the affinities ``TSNEAffinities`` (perplexity-calibrated on
/// the exact `3·perplexity` nearest neighbours, symmetrised), initialises the
/// embedding, and minimises `KL(P‖Q)` by gradient descent with momentum and
/// delta-bar-delta gains (Jacobs 1988), in two phases:
///
/// 1. `earlyExaggerationIterations` (250) steps with `P` multiplied by
///    `earlyExaggeration` (12) and momentum `earlyMomentum` (0.8);
/// 2. `iterations` (500) steps with exaggeration `exaggeration` (1) and
///    momentum `momentum` (0.8).
///
/// Each step, with `g = ∂KL/∂y / 4` (the gradient without its constant 4, as
/// bhtsne, FIt-SNE and openTSNE scale it, so learning rates are comparable):
///
///     gain ← gain + 0.2            if sign(g) ≠ sign(update)
///     gain ← 0.8·gain + minGain    otherwise
///     update ← momentum·update − η·gain·g,   clipped to norm ≤ maxStepNorm per point
///     y ← y + update,   then y ← y − mean(y).
///
/// The learning rate `.auto` is `η = max(200, N/α)` for the phase's
/// exaggeration `α` (Belkina et al. 2019): `max(200, N/12)` during early
/// exaggeration, `max(200, N)` after it, as openTSNE's `learning_rate="auto"`
/// (which has no floor of 200). The initialisation `.pca` takes the first two
/// principal components (``PCA``), scales them so the first has standard
/// deviation `1e-4`, and adds Gaussian jitter of standard deviation `1e-6`
/// (openTSNE); `.random` draws `N(0, 1e-4²)` coordinates. Both use `seed`.
///
/// Every `statsEvery` (50) iterations the KL divergence of the current
/// embedding is recorded; it costs one pass of logarithms over `P` since `Z`
/// comes with the repulsion. The run is interruptible per iteration through
/// its ``WorkMonitor``: ``Interrupted`` carries a ``Result`` with the current
/// embedding and optimiser state, which ``continue(from:iterations:monitor:)``
/// resumes exactly as if never stopped.
///
/// - Complexity: per iteration `O(nnz(P))` attraction plus `O(N²)` (exact) or
///   `O(N·p² + G log G)` (FFT, `G` grid nodes) repulsion; the kNN search costs
///   `N²·D/2` multiply-adds once.
public struct TSNE: Sendable {
  /// How the repulsive forces and `Z` are computed.
  public enum Method: String, Sendable, Equatable, CaseIterable {
    /// `.exact` up to ``TSNE/exactThreshold`` points, `.fft` above.
    case auto
    /// All `N²` pairs (reference; fine up to a few thousand points).
    case exact
    /// FFT-accelerated interpolation (Linderman et al. 2019).
    case fft
  }

  public enum Initialization: String, Sendable, Equatable, CaseIterable {
    /// First two principal components, rescaled to standard deviation 1e-4, jittered.
    case pca
    /// `N(0, 1e-4²)` coordinates.
    case random
  }

  /// The input affinities: perplexity-calibrated Gaussians on `⌊3·perplexity⌋` neighbours
  /// (van der Maaten 2014), or uniform weights on the ``uniformNeighbors`` nearest (openTSNE's
  /// `affinity.Uniform`; Kobak & Berens 2019, *Nat. Commun.* 10:5416, show that uniform
  /// weights on k = 15 give embeddings very close to perplexity 30 at a sixth of the
  /// neighbours: at 10⁶ points, 120 MB of graph instead of 720 MB, and a sparser `P`).
  public enum Affinity: String, Sendable, Equatable, CaseIterable {
    case perplexity
    case uniform
  }

  public enum LearningRate: Sendable, Equatable {
    /// `max(200, N / α)` for the phase's exaggeration `α`.
    case auto
    case fixed(Double)
  }

  public var perplexity: Double
  public var affinity: Affinity = .perplexity
  /// Neighbours of each point under ``Affinity/uniform`` (openTSNE's `k_neighbors`, default 15).
  public var uniformNeighbors: Int = 15
  public var earlyExaggeration: Double
  public var earlyExaggerationIterations: Int
  public var earlyMomentum: Double
  /// Iterations of the normal phase.
  public var iterations: Int
  /// Exaggeration of the normal phase (1: none).
  public var exaggeration: Double
  public var momentum: Double
  public var learningRate: LearningRate
  public var minGain: Double
  /// Largest step a point may take in one iteration (`nil`: unbounded).
  public var maxStepNorm: Double?
  public var initialization: Initialization
  public var seed: Int
  public var method: Method
  /// `.auto` uses the exact repulsion up to this many points.
  public var exactThreshold: Int
  /// FFT interpolation: nodes per interval and axis (openTSNE `n_interpolation_points`,
  /// whose default is 3; 5 here keeps the gradient within 1% of the exact one).
  public var interpolationPoints: Int
  /// FFT interpolation: fewest intervals across the embedding (openTSNE `min_num_intervals`).
  public var minIntervals: Int
  /// FFT interpolation: widest interval, in embedding units (openTSNE `ints_in_interval`).
  public var intervalWidth: Double
  /// Record the KL divergence every this many iterations.
  public var statsEvery: Int
  /// Worker threads for the gradient.
  public var threads: Int
  /// How the `⌊3·perplexity⌋` neighbours of the affinities are searched
  /// (`auto`: exact up to ``NeighborSearch/exactWorkLimit``, then approximate
  /// with audited recall — openTSNE switches to Annoy/pynndescent the same way).
  public var neighbors: NeighborSearch
  /// The recall@K the approximate search's probes are calibrated to.
  public var neighborRecallTarget: Double
  /// From this many points on, the optimiser keeps its rows in breadth-first order of
  /// the neighbour graph (``breadthFirstOrder(_:)``) instead of the input's: at 10⁶ points
  /// in random order the gathers of the attraction miss the cache (measured on a 10⁶ × 128
  /// mixture, 100 iterations: 30.0 s in random row order, 20.2 s with the rows sorted by
  /// group). The embedding is returned in the input's order either way.
  public var localityOrderFrom: Int

  public init(
    perplexity: Double = 30, iterations: Int = 500,
    earlyExaggeration: Double = 12, earlyExaggerationIterations: Int = 250,
    earlyMomentum: Double = 0.8, momentum: Double = 0.8, exaggeration: Double = 1,
    learningRate: LearningRate = .auto, minGain: Double = 0.01, maxStepNorm: Double? = 5,
    initialization: Initialization = .pca, seed: Int = 0, method: Method = .auto,
    exactThreshold: Int = TSNE.measuredExactThreshold, interpolationPoints: Int = 5, minIntervals: Int = 50,
    intervalWidth: Double = 1, statsEvery: Int = 50, threads: Int = Parallelism.threads,
    neighbors: NeighborSearch = .auto, neighborRecallTarget: Double = ApproximateNeighbors.defaults.recallTarget,
    localityOrderFrom: Int = 100_000
  ) {
    self.localityOrderFrom = localityOrderFrom
    self.perplexity = perplexity
    self.iterations = iterations
    self.earlyExaggeration = earlyExaggeration
    self.earlyExaggerationIterations = earlyExaggerationIterations
    self.earlyMomentum = earlyMomentum
    self.momentum = momentum
    self.exaggeration = exaggeration
    self.learningRate = learningRate
    self.minGain = minGain
    self.maxStepNorm = maxStepNorm
    self.initialization = initialization
    self.seed = seed
    self.method = method
    self.exactThreshold = exactThreshold
    self.interpolationPoints = interpolationPoints
    self.minIntervals = minIntervals
    self.intervalWidth = intervalWidth
    self.statsEvery = statsEvery
    self.threads = threads
    self.neighbors = neighbors
    self.neighborRecallTarget = neighborRecallTarget
  }

  /// The KL divergence recorded every ``statsEvery`` iterations.
  public struct IterationStats: Sendable, Equatable {
    /// Iterations completed when recorded (the KL is that of the embedding
    /// entering this iteration, as openTSNE reports it).
    public let iteration: Int
    public let klDivergence: Double
    /// Exaggeration in force at that iteration.
    public let exaggeration: Double
  }

  /// An embedding and everything needed to continue optimising it.
  public struct Result: Sendable {
    /// `N × 2` embedding, centred, rows in the input's order.
    public var embedding: Matrix {
      guard let order else { return working }
      var y = Matrix(rows: working.rows, columns: 2)
      for (position, row) in order.enumerated() {
        y[Int(row), 0] = working[position, 0]
        y[Int(row), 1] = working[position, 1]
      }
      return y
    }
    /// The embedding in the order the optimiser keeps its rows (``order``).
    var working: Matrix
    /// The input row at each position of the optimiser's arrays (`affinities`, `gains`,
    /// `update`), or nil when they are in the input's order; see ``TSNE/localityOrderFrom``.
    public let order: [Int32]?
    /// `KL(P‖Q)` of `embedding` (exact `Z` for `.exact`, interpolated for `.fft`).
    public internal(set) var klDivergence: Double
    /// KL every ``TSNE/statsEvery`` iterations, across `fit` and every `continue`.
    public internal(set) var stats: [IterationStats]
    /// Gradient steps taken in total.
    public internal(set) var iterations: Int
    /// The repulsion method used (`.exact` or `.fft`).
    public let method: Method
    /// The input affinities (rows and columns in ``order`` when it is set).
    public let affinities: TSNEAffinities
    /// How their neighbours were found (approximate: with the audited recall).
    public let neighborSearch: NeighborSearchOutcome
    /// Optimiser state: per-coordinate gains and the last update (`N × 2`, interleaved).
    public internal(set) var gains: [Float]
    public internal(set) var update: [Float]
    /// `embedding` in double precision, where the steps accumulate: late
    /// updates (~1e-4) are below single precision's resolution at |y| ~ 100.
    var positions: [Double]
  }

  /// Rejects impossible parameters with a message for people.
  public func validate(samples n: Int) throws {
    guard n >= 2 else { throw CoreError("t-SNE needs at least 2 samples, got \(n)") }
    guard perplexity > 0, perplexity.isFinite else { throw CoreError("perplexity must be positive, got \(perplexity)") }
    guard uniformNeighbors >= 1 else { throw CoreError("uniform affinities need at least 1 neighbour, got \(uniformNeighbors)") }
    guard iterations >= 0 else { throw CoreError("iterations must be non-negative, got \(iterations)") }
    guard earlyExaggerationIterations >= 0 else {
      throw CoreError("early exaggeration iterations must be non-negative, got \(earlyExaggerationIterations)")
    }
    guard earlyExaggeration > 0, exaggeration > 0 else { throw CoreError("exaggeration must be positive") }
    guard (0..<1).contains(earlyMomentum), (0..<1).contains(momentum) else {
      throw CoreError("momentum must be in [0, 1), got \(earlyMomentum) and \(momentum)")
    }
    if case .fixed(let eta) = learningRate, !(eta > 0 && eta.isFinite) {
      throw CoreError("learning rate must be positive, got \(eta)")
    }
    guard minGain >= 0 else { throw CoreError("minimum gain must be non-negative, got \(minGain)") }
    if let m = maxStepNorm, !(m > 0) { throw CoreError("maximum step norm must be positive, got \(m)") }
    guard interpolationPoints >= 1, minIntervals >= 1, intervalWidth > 0 else {
      throw CoreError("interpolation needs ≥ 1 point, ≥ 1 interval and a positive interval width")
    }
    guard statsEvery >= 1 else { throw CoreError("statsEvery must be at least 1, got \(statsEvery)") }
    guard threads >= 1 else { throw CoreError("threads must be at least 1, got \(threads)") }
  }

  /// Embeds the rows of `x` in the plane: affinities, initialisation, then
  /// `earlyExaggerationIterations + iterations` gradient steps.
  ///
  /// `x` is consumed: once the neighbours and the initial layout are found it is released
  /// (when the caller passed its last reference, e.g. a copy read from a memory-mapped
  /// file), before `P` is built and the optimiser runs — 512 MB less at 10⁶ × 128.
  public func fit(_ x: consuming Matrix, monitor: WorkMonitor = .silent) throws -> Result {
    try validate(samples: x.rows)
    if let bad = x.firstNonFinite() {
      throw CoreError("features contain a non-finite value at row \(bad.row), column \(bad.column)")
    }
    let (k, effective) = affinity == .uniform
      ? (max(1, min(x.rows - 1, uniformNeighbors)), Double(max(1, min(x.rows - 1, uniformNeighbors))))
      : TSNEAffinities.neighborhood(samples: x.rows, perplexity: perplexity)
    let n = x.rows
    let (graph, outcome, start, order) = try prepare(x, k: k, monitor: monitor)
    _ = consume x
    // The graph lives only inside `affinities(_:…)`: freed before the optimiser allocates its buffers.
    let affinities = affinities(graph, k: k, perplexity: effective)
    let resolved: Method = method == .auto ? (n <= exactThreshold ? .exact : .fft) : method
    var state = Result(
      working: start, order: order, klDivergence: .nan, stats: [], iterations: 0, method: resolved,
      affinities: affinities, neighborSearch: outcome, gains: [Float](repeating: 1, count: 2 * n),
      update: [Float](repeating: 0, count: 2 * n), positions: start.storage.map(Double.init))
    try optimize(&state, steps: earlyExaggerationIterations + iterations, monitor: monitor)
    return state
  }

  /// The neighbour graph (rows and ids in the optimiser's order), the initial layout and the
  /// row order the optimiser keeps (see ``localityOrderFrom``).
  private func prepare(_ x: Matrix, k: Int, monitor: WorkMonitor) throws
    -> (NeighborGraph, NeighborSearchOutcome, Matrix, [Int32]?) {
    let n = x.rows
    var (graph, outcome) = try neighbors.search(x, k: k, seed: seed, recallTarget: neighborRecallTarget, monitor: monitor)
    var start = try initialEmbedding(x)
    var order: [Int32]?
    if n >= localityOrderFrom {
      // Rows in breadth-first order of the neighbour graph: a row's neighbours sit near it in
      // memory, so the attraction's gathers and the interpolation's scatters stay in cache.
      let bfs = Self.breadthFirstOrder(graph)
      var position = [Int32](repeating: 0, count: n)
      for (p, row) in bfs.enumerated() { position[Int(row)] = Int32(p) }
      // Rows moved in place, cycle by cycle (a second N × K graph would add 720 MB at 10⁶ points).
      var indices = graph.indices, distances = graph.squaredDistances
      graph = NeighborGraph(k: k, indices: [], squaredDistances: [])
      var moved = [Bool](repeating: false, count: n)
      var heldIndices = [Int32](repeating: 0, count: k), heldDistances = [Float](repeating: 0, count: k)
      for cycle in 0..<n where !moved[cycle] {
        for s in 0..<k { heldIndices[s] = indices[cycle * k + s]; heldDistances[s] = distances[cycle * k + s] }
        var p = cycle
        while true {
          moved[p] = true
          let source = Int(bfs[p])
          if source == cycle {
            for s in 0..<k { indices[p * k + s] = heldIndices[s]; distances[p * k + s] = heldDistances[s] }
            break
          }
          for s in 0..<k { indices[p * k + s] = indices[source * k + s]; distances[p * k + s] = distances[source * k + s] }
          p = source
        }
      }
      for e in indices.indices { indices[e] = position[Int(indices[e])] }
      var y = Matrix(rows: n, columns: 2)
      for (p, row) in bfs.enumerated() {
        y[p, 0] = start[Int(row), 0]
        y[p, 1] = start[Int(row), 1]
      }
      graph = NeighborGraph(k: k, indices: indices, squaredDistances: distances)
      start = y
      order = bfs
    }
    return (graph, outcome, start, order)
  }

  /// The affinities on the graph: conditionals (calibrated or uniform), then, the distances
  /// done with, the symmetrisation of the indices (360 MB less at 10⁶ × 90).
  private func affinities(_ graph: consuming NeighborGraph, k: Int, perplexity effective: Double) -> TSNEAffinities {
    let conditional = affinity == .uniform
      ? TSNEAffinities.uniformConditionals(graph)
      : TSNEAffinities.conditionalProbabilities(graph: graph, perplexity: effective, threads: threads).probabilities
    let indices = NeighborGraph(k: k, indices: graph.indices, squaredDistances: [])
    _ = consume graph
    return TSNEAffinities(graph: indices, conditional: conditional, perplexity: effective, threads: threads)
  }

  /// Takes `iterations` more steps from `result` (its embedding, gains and
  /// update), following the same schedule by global iteration count: steps
  /// before ``earlyExaggerationIterations`` are exaggerated, later ones not.
  /// An interrupted `fit` continued for the remaining steps equals an
  /// uninterrupted one.
  public func `continue`(from result: Result, iterations steps: Int, monitor: WorkMonitor = .silent) throws -> Result {
    try validate(samples: result.working.rows)
    guard steps >= 0 else { throw CoreError("iterations must be non-negative, got \(steps)") }
    var state = result
    try optimize(&state, steps: steps, monitor: monitor)
    return state
  }

  /// The starting embedding for `x`: PCA or random, see ``Initialization``.
  public func initialEmbedding(_ x: Matrix) throws -> Matrix {
    let n = x.rows
    var generator = SeededGenerator(seed: seed)
    var y = Matrix(rows: n, columns: 2)
    func randomFill() { for c in 0..<(2 * n) { y.storage[c] = Float(1e-4 * generator.nextGaussian()) } }
    switch initialization {
    case .random:
      randomFill()
    case .pca:
      let components = min(2, x.columns)
      let projection = try PCA(components: components).fit(x).transform(x)
      var mean = 0.0, square = 0.0
      for i in 0..<n { let v = Double(projection[i, 0]); mean += v; square += v * v }
      mean /= Double(n)
      let std = (max(0, square / Double(n) - mean * mean)).squareRoot()
      guard std > 0, std.isFinite else { randomFill(); break }
      let scale = 1e-4 / std
      for i in 0..<n {
        for c in 0..<components { y[i, c] = Float(Double(projection[i, c]) * scale) }
      }
      for c in 0..<(2 * n) { y.storage[c] += Float(1e-6 * generator.nextGaussian()) }
    }
    return y
  }

  /// The learning rate for `n` points at exaggeration `alpha`.
  public func learningRate(samples n: Int, exaggeration alpha: Double) -> Double {
    switch learningRate {
    case .auto: return max(200, Double(n) / alpha)
    case .fixed(let eta): return eta
    }
  }

  private func optimize(_ state: inout Result, steps: Int, monitor: WorkMonitor) throws {
    let n = state.working.rows
    let fft: FFTInterpolation? = state.method == .fft
      ? FFTInterpolation(interpolationPoints: interpolationPoints, minIntervals: minIntervals,
                         intervalWidth: intervalWidth, threads: threads)
      : nil
    var gradient = [Float](repeating: 0, count: 2 * n)
    var forces = [Float](repeating: 0, count: 2 * n)
    let threads = self.threads

    /// Gradient / 4 of the current embedding into `gradient`; returns KL when asked.
    func evaluate(exaggeration alpha: Double, objective: Bool) -> Double {
      state.working.storage.withUnsafeBufferPointer { yb in
        gradient.withUnsafeMutableBufferPointer { gb in
          forces.withUnsafeMutableBufferPointer { fb in
            let y = yb.baseAddress!, g = gb.baseAddress!, f = fb.baseAddress!
            let attraction = TSNEGradient.attractive(
              y, affinities: state.affinities, exaggeration: Float(alpha), into: g,
              withObjective: objective, threads: threads)
            let z = fft?.repulsion(y, count: n, forces: f)
              ?? TSNEGradient.exactRepulsion(y, count: n, forces: f, threads: threads)
            let inverseZ = Float(1 / z)
            for c in 0..<(2 * n) { g[c] -= f[c] * inverseZ }
            return objective ? attraction + state.affinities.total * _log(z) : 0
          }
        }
      }
    }

    for step in 0..<steps {
      if monitor.step("t-SNE", step, of: steps) {
        state.klDivergence = evaluate(exaggeration: 1, objective: true)
        throw Interrupted("t-SNE", partial: state, progress: .init(step, of: steps, "iterations"))
      }
      let t = state.iterations
      let early = t < earlyExaggerationIterations
      let alpha = early ? earlyExaggeration : exaggeration
      let record = (t + 1) % statsEvery == 0
      let kl = evaluate(exaggeration: alpha, objective: record)
      if record { state.stats.append(IterationStats(iteration: t + 1, klDivergence: kl, exaggeration: alpha)) }
      applyStep(&state, gradient: gradient, momentum: Float(early ? earlyMomentum : momentum),
                learningRate: Float(learningRate(samples: n, exaggeration: alpha)))
      state.iterations += 1
    }
    _ = monitor.step("t-SNE", steps, of: steps)
    state.klDivergence = evaluate(exaggeration: 1, objective: true)
  }

  /// One gains-and-momentum step, step-norm clipping and re-centring.
  private func applyStep(_ state: inout Result, gradient: [Float], momentum: Float, learningRate eta: Float) {
    let n = state.working.rows
    let minGain = Float(self.minGain)
    let maxStep = maxStepNorm.map { Float($0) } ?? .infinity
    @inline(__always) func sign(_ v: Float) -> Int { v > 0 ? 1 : (v < 0 ? -1 : 0) }
    var sumX = 0.0, sumY = 0.0
    gradient.withUnsafeBufferPointer { g in
      state.gains.withUnsafeMutableBufferPointer { gain in
        state.update.withUnsafeMutableBufferPointer { u in
          state.positions.withUnsafeMutableBufferPointer { y in
            for i in 0..<n {
              for c in (2 * i) ..< (2 * i + 2) {
                gain[c] = sign(g[c]) != sign(u[c]) ? gain[c] + 0.2 : gain[c] * 0.8 + minGain
                u[c] = momentum * u[c] - eta * gain[c] * g[c]
              }
              let norm = (u[2 * i] * u[2 * i] + u[2 * i + 1] * u[2 * i + 1]).squareRoot()
              if norm > maxStep {
                let s = maxStep / norm
                u[2 * i] *= s; u[2 * i + 1] *= s
              }
              y[2 * i] += Double(u[2 * i]); y[2 * i + 1] += Double(u[2 * i + 1])
              sumX += y[2 * i]; sumY += y[2 * i + 1]
            }
            let mx = sumX / Double(n), my = sumY / Double(n)
            for i in 0..<n { y[2 * i] -= mx; y[2 * i + 1] -= my }
          }
        }
      }
    }
    state.positions.withUnsafeBufferPointer { y in
      state.working.storage.withUnsafeMutableBufferPointer { e in
        for c in 0..<(2 * n) { e[c] = Float(y[c]) }
      }
    }
  }
}

extension TSNE {
  /// The rows in breadth-first order of the K-NN graph (Cuthill & McKee 1969 without the
  /// degree sort): from the lowest unvisited row, each row's neighbours in graph order, so
  /// that neighbours get nearby positions. `O(N·K)`.
  public static func breadthFirstOrder(_ graph: NeighborGraph) -> [Int32] {
    let n = graph.count, k = graph.k
    var visited = [Bool](repeating: false, count: n)
    var order = [Int32]()
    order.reserveCapacity(n)
    var head = 0
    for seed in 0..<n where !visited[seed] {
      visited[seed] = true
      order.append(Int32(seed))
      while head < order.count {
        let i = Int(order[head])
        head += 1
        for s in 0..<k {
          let j = Int(graph.indices[i * k + s])
          if j >= 0 && j < n && !visited[j] {
            visited[j] = true
            order.append(Int32(j))
          }
        }
      }
    }
    return order
  }

  /// Where `.auto` switches from exact to FFT-interpolated repulsion, by the
  /// vector width the exact kernel runs with on this CPU (CKernels'
  /// multi-versioned loop): 15 000 points with AVX-512, 10 000 with AVX2, 5 000
  /// otherwise. Measured with `idc bench tsne` on fmnist_effnet128 (2 cores,
  /// AMD EPYC with AVX-512, docs/method.md §8.2): exact 10.2 s vs FFT 34–51 s at
  /// 5 000 points, 21.8 vs 52.0 s at 10 000, 72.7 vs 63.8 s at 20 000. The exact
  /// cost scales as N² divided by the vector width; the FFT cost with the grid,
  /// which for these maps grows with N (the map's extent) and not with the CPU.
  public static let measuredExactThreshold: Int = {
    switch idc_kernels_vector_width() {
    case 16...: 15_000
    case 8..<16: 10_000
    default: 5_000
    }
  }()

  /// The default settings (openTSNE's): what `tsne` uses, with the current
  /// ``Parallelism/threads``.
  public static var defaults: TSNE { TSNE() }
}
