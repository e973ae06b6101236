import CKernels
import Dispatch

/// Spherical (cosine) k-means: k-means++ seeding, Lloyd steps as GEMMs,
/// centres re-normalised each step, `nInit` restarts keeping the best objective.
///
/// Rows are L2-normalised first; the assignment maximises `z_i · c_a(i)` over
/// unit centres, i.e. minimises the objective
/// `J = Σ_i (1 − z_i · c_a(i)) = ½ Σ_i ‖z_i − c_a(i)‖²` (Dhillon & Modha 2001).
/// Seeding is greedy k-means++ (Arthur & Vassilvitskii 2007) with
/// `2 + ⌊ln k⌋` local trials per centre, as scikit-learn does.
///
/// Empty clusters are re-seeded with the sample farthest from its centre.
/// Convergence: no assignment changed, or the objective improved by less than
/// `tol · J`.
///
/// - Complexity: per Lloyd step one `N×D·D×k` SGEMM (in row blocks) plus `O(N·D)`
///   for the centre sums; memory `O(N + k·D + block·k)`.
public struct KMeans: Sendable {
  public var k: Int
  public var nInit: Int
  public var maxIterations: Int
  public var tolerance: Double
  public var seed: Int
  /// Random-swap trials applied to the best restart (Fränti 2018): a centre is
  /// moved to a sample drawn k-means++-style, a few Lloyd steps follow, and the
  /// swap is kept if the objective drops. Escapes the poor local optima that
  /// restarts alone keep landing in; 0 disables it.
  public var swapTrials: Int
  /// Rows each restart trains on (nil: all). With `m < N`, every restart draws
  /// its own seeded sample of `m` rows, seeds k-means++ on at most
  /// ``seedingRows(sample:)`` of them (the trials of one centre as one SGEMM),
  /// runs Lloyd and the swaps on the sample, and the kept centres then assign
  /// all N rows once — faiss's `max_points_per_centroid = 256` scheme. The
  /// reported objective is that of all rows; restart objectives are the
  /// samples' scaled by `N / m`.
  public var trainingRows: Int?
  /// Lloyd steps on all rows after training on a sample (0: the single
  /// assignment faiss makes). Each is one pass of `N·k·D`; two bring the
  /// objective of a sample's 10 restarts + 15 swaps within 0.12 % of the full
  /// run's on the shared sets (README, Speed).
  public var polishIterations: Int
  /// Seeding on all rows by ``seedPlusPlusBatched(_:rng:)`` (the trials of a centre as one
  /// SGEMM) instead of one SGEMV per trial: the same algorithm and random draws, the products
  /// rounded differently. Off by default so that `kmeans` — and the paper's tables — keep their
  /// clusterings; TypiClust's 500-cluster k-means turns it on (at 70 000 × 128 the per-trial
  /// SGEMVs read the features 4 000 times and were most of its time).
  public var batchedSeeding = false
  /// How the Lloyd step scores rows against the centres (see ``ScoreKernel``).
  public var scoreKernel = ScoreKernel.automatic

  /// The product of a block of rows with the centres in the Lloyd step.
  public enum ScoreKernel: Sendable {
    /// ``small`` for k ≤ ``smallKernelLimit`` on CPUs with AVX-512, else ``blas``. Measured only
    /// there: its AVX2 version (sixteen 16-float accumulators in 8-float registers) spills, and
    /// no AVX2 machine was at hand to compare it with the SGEMM.
    case automatic
    /// One SGEMM per block of rows. For few centres OpenBLAS spends more time packing the
    /// block (`sgemm_oncopy`, 28 % of a k = 10 run at 70 000 × 128) than multiplying.
    case blas
    /// `idc_small_scores`: the centres transposed once per pass into 16-float lanes, each
    /// row's features broadcast from where they lie (nothing packed), eight rows per FMA
    /// chain group, run by the two workers on their own rows with no BLAS call in the pass.
    /// Each score is an in-order sum with one rounding per term, in chunks of
    /// ``smallKernelChunk`` columns cut as OpenBLAS's threaded SGEMM cuts K on this project's
    /// reference machine (AVX-512, core Cooperlake/SkylakeX): there the scores are the SGEMM's
    /// bits, row for row, and every clustering is the one the SGEMM gave (checked on the
    /// shared sets, README Speed); on other cores they may differ in the last bits.
    case small
  }

  /// OpenBLAS's `SGEMM_DEFAULT_Q` for its SkylakeX and Cooperlake kernels: the K blocking
  /// the small kernel reproduces (``ScoreKernel/small``).
  public static let smallKernelChunk = 320

  /// The rows of a full run in tiles of 16 with the rows in lanes (`idc_row_tiles`), made once
  /// per `fit` for the small kernel: each Lloyd pass then scores 16 rows per vector against
  /// every centre (`idc_lloyd_tiles`) — no lane spent on padding (k = 10 used 10 of 16 lanes
  /// with the centres in lanes) and the argmax kept in vectors. The same bits as the row
  /// kernel. Costs one more copy of the rows, so only up to ``tileBytesLimit``.
  struct RowTiles {
    let values: [Float]

    init?(_ z: Matrix, for km: KMeans) {
      let count = (z.rows + 15) / 16 * 16 * z.columns
      guard km.usesSmallKernel(k: km.k), count * MemoryLayout<Float>.size <= KMeans.tileBytesLimit, z.rows > 0 else { return nil }
      values = [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
        buffer.initialize(repeating: 0)
        z.storage.withUnsafeBufferPointer { idc_row_tiles($0.baseAddress!, z.rows, z.columns, buffer.baseAddress!) }
        initialized = count
      }
    }
  }

  /// Restarts seeded together before their Lloyd runs (see `fit`): `kmeans`'s default n_init.
  public static let seedingGroup = 10

  /// The largest copy of the rows ``RowTiles`` makes: 256 MiB (10⁶ × 64 or 5·10⁵ × 128 floats).
  public static let tileBytesLimit = 256 << 20

  /// Centres up to which ``ScoreKernel/automatic`` uses the small kernel.
  public static let smallKernelLimit = 64

  public func usesSmallKernel(k: Int) -> Bool {
    switch scoreKernel {
    case .blas: false
    case .small: true
    case .automatic: k <= Self.smallKernelLimit && idc_kernels_vector_width() >= 16
    }
  }

  public init(k: Int, nInit: Int = 10, maxIterations: Int = 300, tolerance: Double = 1e-4, seed: Int = 0,
              swapTrials: Int = 15, trainingRows: Int? = nil, polishIterations: Int = 2) {
    self.k = k
    self.nInit = nInit
    self.maxIterations = maxIterations
    self.tolerance = tolerance
    self.seed = seed
    self.swapTrials = swapTrials
    self.trainingRows = trainingRows
    self.polishIterations = polishIterations
  }

  /// Training rows per cluster when a run trains on a sample (faiss's default).
  public static let rowsPerCluster = 256
  /// `N · k · D` above which `kmeans` trains on a sample by default: 10⁹
  /// multiply-adds per Lloyd pass. Every shared data set stays below it (the
  /// largest, fmnist_effnet128 at k = 10, is 9 · 10⁷), so their pre-trained
  /// models — and the paper's tables — are today's full runs.
  public static let fullRunWorkLimit = 1e9

  /// The sample size `kmeans` uses by default for `n` rows of `d` features,
  /// or nil for a full run.
  public static func automaticTrainingRows(rows n: Int, columns d: Int, k: Int) -> Int? {
    let m = rowsPerCluster * k
    guard m < n, Double(n) * Double(k) * Double(d) > fullRunWorkLimit else { return nil }
    return m
  }

  /// Rows k-means++ seeds on within a sample: `max(8·k, 10 000)`, at most the sample.
  public static func seedingRows(sample m: Int, k: Int) -> Int { min(m, max(8 * k, 10_000)) }

  /// One Lloyd iteration's statistics (faiss `iteration_stats`).
  public struct IterationStats: Sendable, Equatable {
    public let objective: Double
    public let changes: Int
  }

  public struct Result: Sendable {
    /// Unit-norm centres, `k × D`.
    public let centers: Matrix
    /// Cluster of every sample, in `0..<k`.
    public let assignment: [Int]
    /// `Σ (1 − z·c)` of the kept run.
    public let objective: Double
    /// Per-iteration statistics of the kept run.
    public let iterations: [IterationStats]
    /// Final objective of every restart, in order.
    public let restartObjectives: [Double]
    /// Index of the kept restart.
    public let bestRestart: Int
    /// Whether the kept run converged before `maxIterations`.
    public let converged: Bool
    /// Number of empty-cluster re-seedings over the kept run.
    public let reseeded: Int
  }

  /// Rejects impossible parameters with a message for people.
  public func validate(rows n: Int) throws {
    guard n >= 1 else { throw CoreError("k-means needs at least one sample") }
    guard k >= 1 else { throw CoreError("k must be at least 1, got \(k)") }
    guard k <= n else { throw CoreError("k = \(k) exceeds the number of samples (\(n)); choose k ≤ \(n)") }
    guard nInit >= 1 else { throw CoreError("n_init must be at least 1, got \(nInit)") }
    guard maxIterations >= 1 else { throw CoreError("max_iter must be at least 1, got \(maxIterations)") }
    guard tolerance >= 0 else { throw CoreError("tol must be non-negative, got \(tolerance)") }
    if let m = trainingRows, m < k {
      throw CoreError("k-means trained on \(m) rows cannot find k = \(k) clusters; train on at least k rows")
    }
  }

  /// Clusters the rows of `x` (normalised internally).
  public func fit(_ x: Matrix, monitor: WorkMonitor = .silent) throws -> Result {
    try validate(rows: x.rows)
    if let bad = x.firstNonFinite() {
      throw CoreError("features contain a non-finite value at row \(bad.row), column \(bad.column)")
    }
    // Rows of zeros have no direction (cosine undefined): they take no part in seeding,
    // re-seeding or the centres, and are assigned to cluster 0 with 1 − cos = 1 each.
    let zeroRows = x.zeroRows()
    if !zeroRows.isEmpty {
      let kept = x.rows - zeroRows.count
      guard kept >= k else {
        throw CoreError("only \(kept) of \(x.rows) samples have a non-zero feature vector; k = \(k) needs at least k (rows of zeros have no direction)")
      }
      let zero = Set(zeroRows)
      let inner = try fit(x.rows((0..<x.rows).filter { !zero.contains($0) }), monitor: monitor)
      var assignment = [Int](repeating: 0, count: x.rows)
      var next = 0
      for i in 0..<x.rows where !zero.contains(i) { assignment[i] = inner.assignment[next]; next += 1 }
      return Result(centers: inner.centers, assignment: assignment, objective: inner.objective + Double(zeroRows.count),
                    iterations: inner.iterations, restartObjectives: inner.restartObjectives.map { $0 + Double(zeroRows.count) },
                    bestRestart: inner.bestRestart, converged: inner.converged, reseeded: inner.reseeded)
    }
    if let m = trainingRows, m < x.rows { return try fitOnSamples(x, rows: m, monitor: monitor) }
    let z = x.l2NormalizedRows()
    let tiles = RowTiles(z, for: self)
    let root = SeededGenerator(seed: seed)
    var best: Result?
    var objectives: [Double] = []
    // Restarts in groups of ``seedingGroup``: the group's seedings first, then its Lloyd runs. A
    // restart's seeds depend only on its own generator, so the results are those of seeding each
    // restart before its run; the seeding's SGEMVs then all come before the group's Lloyd passes,
    // which run on idc's workers without OpenBLAS's idle threads spinning (sched_yield) beside
    // them after every seeding (≈ 2²⁸ cycles after each BLAS call; 13–19 % of a k = 10 run at
    // 70 000 × 128 when interleaved). Stopped while seeding, the best finished run is kept.
    var groupStart = 0
    while groupStart < nInit {
      let group = groupStart..<min(nInit, groupStart + Self.seedingGroup)
      var seeded: [Matrix] = []
      for restart in group {
        var rng = root.derived(restart)
        seeded.append(batchedSeeding ? seedPlusPlusBatched(z, rng: &rng) : seedPlusPlus(z, rng: &rng))
        if monitor.step("k-means seeding", restart + 1, of: nInit) {
          throw Interrupted("k-means", partial: best, progress: .init(groupStart, of: nInit, "restarts"))
        }
      }
      for restart in group {
        let run = try lloyd(z, centers: seeded[restart - groupStart], restart: restart, monitor: monitor, best: best, tiles: tiles)
        objectives.append(run.objective)
        if best == nil || run.objective < best!.objective { best = run }
      }
      groupStart = group.upperBound
    }
    var b = best!
    if swapTrials > 0 && k > 1 && k < z.rows {
      var rng = root.derived(nInit)
      b = try randomSwap(z, from: b, rng: &rng, monitor: monitor, tiles: tiles)
    }
    return Result(centers: b.centers, assignment: b.assignment, objective: b.objective,
                  iterations: b.iterations, restartObjectives: objectives,
                  bestRestart: b.bestRestart, converged: b.converged, reseeded: b.reseeded)
  }

  /// Restarts on seeded samples of `m` rows, swaps on the best one's sample,
  /// then one assignment of all rows (see ``trainingRows``).
  ///
  /// Memory: the samples are normalised as they are drawn (the same bits as rows of a
  /// normalised copy). Rows of `x` already of unit norm (within 10⁻⁵, as the session's `z`)
  /// are assigned as they are, without an `N × D` normalised copy — 2 GB at 10⁶ × 512; a
  /// second normalisation would only move last bits.
  func fitOnSamples(_ x: Matrix, rows m: Int, monitor: WorkMonitor) throws -> Result {
    let z = x.rowsHaveUnitNorm(tolerance: 1e-5) ? x : x.l2NormalizedRows()
    let n = z.rows
    let root = SeededGenerator(seed: seed)
    var best: (run: Result, sample: Matrix)?
    var objectives: [Double] = []
    let scale = Double(n) / Double(m)
    for restart in 0..<nInit {
      var rng = root.derived(restart)
      var sample = z.rows(Self.sampleIndices(m, from: n, rng: &rng))
      sample.normalizeRows()
      // The sample is in random order, so its first rows are a random sample too.
      let seeding = sample.rows(Array(0..<Self.seedingRows(sample: m, k: k)))
      let seeds = seedPlusPlusBatched(seeding, rng: &rng)
      let run = try lloyd(sample, centers: seeds, restart: restart, monitor: monitor, best: nil)
      objectives.append(run.objective * scale)
      if best == nil || run.objective < best!.run.objective { best = (run, sample) }
    }
    var b = best!.run
    if swapTrials > 0 && k > 1 && k < m {
      var rng = root.derived(nInit)
      var onSample = self
      onSample.trainingRows = nil
      b = try onSample.randomSwap(best!.sample, from: b, rng: &rng, monitor: monitor)
    }
    if polishIterations > 0 {
      // Lloyd steps on all rows from the sample's centres.
      var polish = self
      polish.maxIterations = polishIterations
      let full = try polish.lloyd(z, centers: b.centers, restart: b.bestRestart, monitor: monitor, best: nil)
      return Result(centers: full.centers, assignment: full.assignment, objective: full.objective,
                    iterations: b.iterations + full.iterations, restartObjectives: objectives,
                    bestRestart: b.bestRestart, converged: full.converged, reseeded: b.reseeded + full.reseeded)
    }
    // All rows, once, to the kept centres.
    var assignment = [Int](repeating: -1, count: n)
    var similarity = [Float](repeating: 0, count: n)
    let pass = assignAndSum(z, b.centers, &assignment, &similarity)
    return Result(centers: b.centers, assignment: assignment, objective: pass.objective,
                  iterations: b.iterations + [IterationStats(objective: pass.objective, changes: n)],
                  restartObjectives: objectives, bestRestart: b.bestRestart, converged: b.converged,
                  reseeded: b.reseeded)
  }

  /// `count` distinct indices of `0..<n` in random order (partial Fisher–Yates).
  static func sampleIndices(_ count: Int, from n: Int, rng: inout SeededGenerator) -> [Int] {
    var pool = Array(0..<n)
    for i in 0..<count { pool.swapAt(i, i + rng.nextInt(below: n - i)) }
    return Array(pool[0..<count])
  }

  /// Greedy k-means++ as ``seedPlusPlus(_:rng:)``, the `2 + ⌊ln k⌋` candidate
  /// rows of a centre scored against all rows by one SGEMM (`N × trials`)
  /// instead of one SGEMV each, so the rows are read once per centre.
  func seedPlusPlusBatched(_ z: Matrix, rng: inout SeededGenerator) -> Matrix {
    let n = z.rows, d = z.columns
    var centers = Matrix(rows: k, columns: d)
    let trials = 2 + Int(_log(Double(k)))
    let first = rng.nextInt(below: n)
    copyRow(z, first, into: &centers, 0)
    var closest = squaredDistances(z, toRow: first)
    var potential = closest.reduce(0.0) { $0 + Double($1) }
    for c in 1..<max(k, 1) {
      let candidates = (0..<trials).map { _ in sampleProportional(closest, total: potential, rng: &rng) }
      let dots = BLAS.dotProducts(z, z.rows(candidates))
      var bestTrial = 0, bestPotential = Double.infinity
      for t in 0..<trials {
        var pot = 0.0
        for i in 0..<n { pot += Double(min(closest[i], max(0, 2 - 2 * dots[i, t]))) }
        if pot < bestPotential { bestPotential = pot; bestTrial = t }
      }
      for i in 0..<n { closest[i] = min(closest[i], max(0, 2 - 2 * dots[i, bestTrial])) }
      potential = bestPotential
      copyRow(z, candidates[bestTrial], into: &centers, c)
    }
    return centers
  }

  /// Lloyd iterations from given `initialCenters` (`k × D`, normalised here)
  /// instead of k-means++ seeding: one run, no restarts.
  public func refine(_ x: Matrix, from initialCenters: Matrix, monitor: WorkMonitor = .silent) throws -> Result {
    try validate(rows: x.rows)
    guard initialCenters.rows == k, initialCenters.columns == x.columns else {
      throw CoreError("initial centres are \(initialCenters.rows)×\(initialCenters.columns), expected \(k)×\(x.columns)")
    }
    let run = try lloyd(x.l2NormalizedRows(), centers: initialCenters.l2NormalizedRows(), restart: 0, monitor: monitor, best: nil)
    return Result(centers: run.centers, assignment: run.assignment, objective: run.objective,
                  iterations: run.iterations, restartObjectives: [run.objective], bestRestart: 0,
                  converged: run.converged, reseeded: run.reseeded)
  }

  /// Random-swap refinement (Fränti, "Efficiency of random swap clustering",
  /// J. Big Data 2018), the new location drawn with probability ∝ `1 − z·c`.
  func randomSwap(_ z: Matrix, from start: Result, rng: inout SeededGenerator, monitor: WorkMonitor,
                  tiles: RowTiles? = nil) throws -> Result {
    var current = start
    var probe = self
    probe.maxIterations = 12
    // `1 − z·c` of every sample to its centre; recomputed only when a swap is kept.
    let small = usesSmallKernel(k: k)
    func distances(_ r: Result) -> (far: [Float], total: Double) {
      var far = [Float](repeating: 0, count: z.rows)
      var total = 0.0
      if small {
        // A pass with the run's own centres: its argmax is the run's assignment, its
        // similarities the scores of the assigned centres.
        var assignment = r.assignment, similarity = [Float](repeating: 0, count: z.rows)
        _ = assignAndSum(z, r.centers, &assignment, &similarity, tiles: tiles)
        for i in 0..<z.rows { far[i] = max(0, 1 - similarity[i]); total += Double(far[i]) }
      } else {
        let s = BLAS.dotProducts(z, r.centers)
        for i in 0..<z.rows { far[i] = max(0, 1 - s[i, r.assignment[i]]); total += Double(far[i]) }
      }
      return (far, total)
    }
    var (far, total) = distances(current)
    for trial in 0..<swapTrials {
      var centers = current.centers
      let victim = rng.nextInt(below: k)
      let i = sampleProportional(far, total: total, rng: &rng)
      copyRow(z, i, into: &centers, victim)
      let trialRun = try probe.lloyd(z, centers: centers, restart: 0, monitor: .silent, best: nil, tiles: tiles)
      if trialRun.objective < current.objective {
        let full = try lloyd(z, centers: trialRun.centers, restart: current.bestRestart, monitor: .silent, best: nil, tiles: tiles)
        if full.objective < current.objective {
          current = Result(centers: full.centers, assignment: full.assignment, objective: full.objective,
                           iterations: current.iterations + full.iterations, restartObjectives: [],
                           bestRestart: current.bestRestart, converged: full.converged,
                           reseeded: current.reseeded + full.reseeded)
          (far, total) = distances(current)
        }
      }
      if monitor.step("k-means swaps", trial + 1, of: swapTrials) { throw Interrupted("k-means", partial: current, progress: .init(trial + 1, of: swapTrials, "swap trials")) }
    }
    return current
  }

  /// Greedy k-means++ seeding on unit rows (squared distance `2 − 2 z·c`).
  func seedPlusPlus(_ z: Matrix, rng: inout SeededGenerator) -> Matrix {
    let n = z.rows, d = z.columns
    var centers = Matrix(rows: k, columns: d)
    let trials = 2 + Int(_log(Double(k)))
    var first = rng.nextInt(below: n)
    if n == 0 { first = 0 }
    copyRow(z, first, into: &centers, 0)
    var closest = squaredDistances(z, toRow: first)
    var potential = closest.reduce(0.0) { $0 + Double($1) }
    for c in 1..<max(k, 1) {
      var bestCandidate = -1
      var bestPotential = Double.infinity
      var bestClosest: [Float] = []
      for _ in 0..<trials {
        let candidate = sampleProportional(closest, total: potential, rng: &rng)
        let dist = squaredDistances(z, toRow: candidate)
        var pot = 0.0
        var merged = closest
        for i in 0..<n { if dist[i] < merged[i] { merged[i] = dist[i] }; pot += Double(merged[i]) }
        if pot < bestPotential { bestPotential = pot; bestCandidate = candidate; bestClosest = merged }
      }
      copyRow(z, bestCandidate, into: &centers, c)
      closest = bestClosest
      potential = bestPotential
    }
    return centers
  }

  /// Index drawn with probability proportional to `weights` (uniform when all are 0).
  func sampleProportional(_ weights: [Float], total: Double, rng: inout SeededGenerator) -> Int {
    guard total > 0 else { return rng.nextInt(below: weights.count) }
    let target = rng.nextUnit() * total
    var acc = 0.0
    for (i, w) in weights.enumerated() {
      acc += Double(w)
      if acc > target { return i }
    }
    return weights.lastIndex { $0 > 0 } ?? weights.count - 1
  }

  /// `‖z_i − z_j‖² = 2 − 2 z_i·z_j` for all i (unit rows), via SGEMV.
  func squaredDistances(_ z: Matrix, toRow j: Int) -> [Float] {
    var dots: [Float] = []
    BLAS.dotProducts(z, withRow: j, of: z, into: &dots)
    return dots.map { max(0, 2 - 2 * $0) }
  }

  func copyRow(_ z: Matrix, _ i: Int, into m: inout Matrix, _ r: Int) {
    for j in 0..<z.columns { m[r, j] = z[i, j] }
  }

  /// Lloyd iterations from `centers` until convergence or `maxIterations`.
  func lloyd(_ z: Matrix, centers initial: Matrix, restart: Int, monitor: WorkMonitor, best: Result?,
             tiles: RowTiles? = nil) throws -> Result {
    let n = z.rows
    var centers = initial
    var assignment = [Int](repeating: -1, count: n)
    var similarity = [Float](repeating: 0, count: n)
    var stats: [IterationStats] = []
    var converged = false
    var reseeded = 0
    var previous = Double.infinity
    for iteration in 0..<maxIterations {
      let pass = assignAndSum(z, centers, &assignment, &similarity, tiles: tiles)
      stats.append(IterationStats(objective: pass.objective, changes: pass.changes))
      if pass.changes == 0 || previous - pass.objective <= tolerance * pass.objective { converged = true; break }
      previous = pass.objective
      reseeded += updateCenters(z, pass, similarity, &centers)
      if monitor.step("k-means run \(restart + 1)/\(nInit)", iteration + 1, of: maxIterations) {
        throw Interrupted("k-means", partial: best, progress: .init(restart, of: nInit, "restarts"))
      }
    }
    if !converged {
      // Final assignment consistent with the final centres.
      let pass = assignAndSum(z, centers, &assignment, &similarity, tiles: tiles)
      stats.append(IterationStats(objective: pass.objective, changes: pass.changes))
    }
    return Result(centers: centers, assignment: assignment, objective: stats.last!.objective,
                  iterations: stats, restartObjectives: [], bestRestart: restart,
                  converged: converged, reseeded: reseeded)
  }

  /// One pass over the data: the assignment step (each row to its most
  /// similar centre, ties to the lower index) fused with the sums of the
  /// update step, so `Z` is read once per iteration.
  struct Pass {
    var changes: Int
    /// `Σ_i (1 − z_i·c_a(i))`.
    var objective: Double
    /// Per-cluster feature sums (`k × D`, `Double`) and member counts.
    var sums: [Double]
    var counts: [Int]
  }

  /// Rows in blocks of up to 32768: one SGEMM (`block × D · D × k`) on the
  /// calling thread — OpenBLAS is never entered from two threads at once —
  /// then two workers split the block for the argmax and the `Float` sums,
  /// folded into `Double` totals per block. With the small kernel (``ScoreKernel``)
  /// each worker scores its own rows first; nothing else changes.
  func assignAndSum(_ z: Matrix, _ centers: Matrix, _ assignment: inout [Int], _ similarity: inout [Float],
                    tiles: RowTiles? = nil) -> Pass {
    let n = z.rows, d = z.columns, k = centers.rows
    let block = max(1, min(n, 32768))
    let workers = n >= 8192 ? min(2, Parallelism.threads) : 1
    let partial = PartialSums(workers: workers, k: k, d: d)
    // The workers score their rows from the tiles, or from the centres transposed into lanes
    // (the small kernel without tiles); otherwise one SGEMM per block scores them here.
    let rowKernel = tiles == nil && usesSmallKernel(k: k)
    let blas = tiles == nil && !rowKernel
    let groups = (k + 15) / 16, lanes = groups * 16
    var transposed = [Float](repeating: 0, count: rowKernel ? d * lanes : 0)
    if rowKernel {
      for c in 0..<k { for p in 0..<d { transposed[p * lanes + c] = centers.storage[c * d + p] } }
    }
    var scores = [Float](repeating: 0, count: blas ? block * k : 0)
    z.storage.withUnsafeBufferPointer { zs in
      centers.storage.withUnsafeBufferPointer { cs in
        assignment.withUnsafeMutableBufferPointer { ap in
          similarity.withUnsafeMutableBufferPointer { sp in
            scores.withUnsafeMutableBufferPointer { scp in
              transposed.withUnsafeBufferPointer { tp in
                (tiles?.values ?? []).withUnsafeBufferPointer { tiled in
                  let shared = LloydBuffers(z: zs.baseAddress!, scores: blas ? scp.baseAddress : nil,
                                            assignment: ap.baseAddress!, similarity: sp.baseAddress!,
                                            transposed: rowKernel ? tp.baseAddress : nil, groups: groups,
                                            tiles: tiles == nil ? nil : tiled.baseAddress, centers: cs.baseAddress!)
                  var r0 = 0
                  while r0 < n {
                    let m = min(block, n - r0)
                    if blas {
                      BLAS.gemm(m: m, n: k, k: d, a: zs.baseAddress! + r0 * d, lda: d, b: cs.baseAddress!, ldb: d,
                                transposeB: true, c: scp.baseAddress!, ldc: k)
                    }
                    let start = r0
                    DispatchQueue.concurrentPerform(iterations: workers) { w in
                      partial.run(worker: w, rows: (start + w * m / workers)..<(start + (w + 1) * m / workers), blockStart: start, shared, d: d)
                    }
                    r0 += m
                  }
                }
              }
            }
          }
        }
      }
    }
    return partial.total()
  }

  /// Centres ← normalised sums of their members; empty clusters take the
  /// samples least similar to their own centre. Returns the number re-seeded.
  func updateCenters(_ z: Matrix, _ pass: Pass, _ similarity: [Float], _ centers: inout Matrix) -> Int {
    let n = z.rows, d = z.columns, k = centers.rows
    var sums = pass.sums
    var reseeded = 0
    let empty = (0..<k).filter { pass.counts[$0] == 0 }
    if !empty.isEmpty {
      // Farthest samples first (lowest similarity), ties to the lower index.
      let order = (0..<n).sorted { similarity[$0] < similarity[$1] || (similarity[$0] == similarity[$1] && $0 < $1) }
      for (e, c) in empty.enumerated() where e < n {
        let i = order[e]
        for j in 0..<d { sums[c * d + j] = Double(z[i, j]) }
        reseeded += 1
      }
    }
    writeUnitRows(sums, into: &centers)
    return reseeded
  }
}

/// Raw pointers shared by the Lloyd workers; each writes only its own rows.
struct LloydBuffers: @unchecked Sendable {
  let z: UnsafePointer<Float>
  /// The block's similarities to the centres (`block × k`) when an SGEMM scored it, else nil.
  let scores: UnsafeMutablePointer<Float>?
  let assignment: UnsafeMutablePointer<Int>
  let similarity: UnsafeMutablePointer<Float>
  /// The centres transposed and padded for `idc_small_scores` (`D × 16·groups`); nil when the
  /// block was scored by an SGEMM.
  let transposed: UnsafePointer<Float>?
  let groups: Int
  /// The rows as ``KMeans/RowTiles`` and the centres (`k × D`) for `idc_lloyd_tiles`, or nil.
  let tiles: UnsafePointer<Float>?
  let centers: UnsafePointer<Float>
}

/// Per-worker results of a Lloyd pass: sums, counts, changes, objective.
final class PartialSums: @unchecked Sendable {
  let workers: Int, k: Int, d: Int
  /// Worker w owns `sums[w*k*d ..< (w+1)*k*d]`, `counts[w*k ..< (w+1)*k]`, `changes[w]`, `objective[w]`.
  let sums: UnsafeMutablePointer<Double>
  let counts: UnsafeMutablePointer<Int>
  let changes: UnsafeMutablePointer<Int>
  let objective: UnsafeMutablePointer<Double>

  init(workers: Int, k: Int, d: Int) {
    self.workers = workers
    self.k = k
    self.d = d
    sums = .allocate(capacity: workers * k * d)
    sums.initialize(repeating: 0, count: workers * k * d)
    counts = .allocate(capacity: workers * k)
    counts.initialize(repeating: 0, count: workers * k)
    changes = .allocate(capacity: workers)
    changes.initialize(repeating: 0, count: workers)
    objective = .allocate(capacity: workers)
    objective.initialize(repeating: 0, count: workers)
  }

  deinit {
    sums.deallocate()
    counts.deallocate()
    changes.deallocate()
    objective.deallocate()
  }

  /// Argmax and sums for `rows` of the current block (which starts at `blockStart`).
  func run(worker w: Int, rows: Range<Int>, blockStart: Int, _ b: LloydBuffers, d: Int) {
    var local = [Float](repeating: 0, count: k * d)
    let total = sums + w * k * d, count = counts + w * k
    var changed = 0
    var obj = 0.0
    local.withUnsafeMutableBufferPointer { lp in
      if let tiles = b.tiles {
        if !rows.isEmpty {
          idc_lloyd_tiles(tiles, b.z, d, rows.lowerBound, rows.count, b.centers, k, KMeans.smallKernelChunk,
                          b.assignment, b.similarity, lp.baseAddress!, count, &changed, &obj)
        }
      } else if let ct = b.transposed {
        // The same steps in C, each row read once (scores, argmax, sums).
        if !rows.isEmpty {
          idc_lloyd_rows(b.z + rows.lowerBound * d, d, rows.count, ct, b.groups, KMeans.smallKernelChunk, k,
                         b.assignment + rows.lowerBound, b.similarity + rows.lowerBound, lp.baseAddress!, count,
                         &changed, &obj)
        }
      } else if let scores = b.scores {
        for i in rows {
          let row = scores + (i - blockStart) * k
          var bi = 0
          var bv = row[0]
          for c in 1..<k where row[c] > bv { bv = row[c]; bi = c }
          if b.assignment[i] != bi { changed += 1; b.assignment[i] = bi }
          b.similarity[i] = bv
          obj += Double(1 - bv)
          count[bi] += 1
          let dst = lp.baseAddress! + bi * d, src = b.z + i * d
          for j in 0..<d { dst[j] += src[j] }
        }
      }
      for j in 0..<(k * d) { total[j] += Double(lp[j]) }
    }
    changes[w] += changed
    objective[w] += obj
  }

  func total() -> KMeans.Pass {
    var s = [Double](repeating: 0, count: k * d), c = [Int](repeating: 0, count: k)
    var changed = 0, obj = 0.0
    for w in 0..<workers {
      for j in 0..<(k * d) { s[j] += sums[w * k * d + j] }
      for j in 0..<k { c[j] += counts[w * k + j] }
      changed += changes[w]
      obj += objective[w]
    }
    return KMeans.Pass(changes: changed, objective: obj, sums: s, counts: c)
  }
}

extension KMeans {
  /// Every setting's default (k is always given by the caller): what `kmeans` uses.
  public static let defaults = KMeans(k: 1)
}
