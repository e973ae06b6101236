import CKernels
import Dispatch

/// MaxHerding: greedy kernel herding of the feature distribution (Bae, Noh & Sutherland,
/// *Generalized Coverage for More Robust Low-Budget Active Learning*, ECCV 2024), and
/// Uncertainty Herding in later rounds (Bae, Oliveira & Sutherland, ICLR 2025).
///
///     pick = argmax_x  Σ_i w_i · max(0, k(z_i, x) − c_i),   k(a, b) = exp(−‖a − b‖² / σ²)
///     c_i  = max_{s ∈ S} k(z_i, s)    (0 while S is empty; S holds the samples asked before)
///
/// over the averaging set `i` and the candidates `x` (every sample up to 20 000; above, a
/// seeded random 20 000 of the samples not asked, plus the answered ones in the sums). σ = 1 by default (`sigma=`). In the
/// first round `w_i = 1` (MaxHerding, the generalised coverage); in later rounds, with a
/// trained head, `w_i = 1 − (p_(1) − p_(2))`, the head's margin uncertainty (UHerding).
///
/// The objective `F(S) = Σ_i w_i max_{s∈S} k(z_i, s)` is monotone submodular (a weighted
/// facility location), so a pick's gain only falls as S grows: idc runs the exact greedy
/// *lazily* (Minoux 1978) — every gain is computed once in blocks, then each step re-evaluates
/// only the candidates whose stale bound could still win, 64 at a time as one GEMM — and picks
/// what the plain greedy picks, without an N × N kernel matrix.
///
/// As the authors' code (BorealisAI/uherding): RBF kernel on L2-normalised features with
/// σ = 1, the labelled samples in S from the start, UHerding's `U = 1 − (p₁ − p₂)` with
/// `U = 0` on the labelled samples, the sums over the labelled samples and a random subset
/// (the code's subset, of at most 35 000, is both the averaging set and the candidates, as
/// idc's; idc's is 20 000, to bound the cost: on flat σ = 1 kernels the lazy greedy
/// re-evaluates hundreds of gains per pick, measured); UHerding's temperature calibration on a
/// held-out part of the labels and its adaptive radius are not used (the head's margin is
/// taken as trained).
///
/// Explanation per pick: the gain and the weighted share of the pool covered so far,
/// `F(S)/Σ_i w_i`.
///
/// - Complexity: `O(N·P·D)` once for the initial gains, P = min(N, 20 000) (in `B × P` tiles,
///   memory `O(B·P)`), then `O(E·B·P·D)` for the `E` lazy re-evaluation rounds of each step
///   plus `O(P·D)` per pick for `c`.
public struct MaxHerding: SelectionStrategy {
  public var name: String { "maxherding" }
  public var sigma: Double
  public init(sigma: Double = 1) { self.sigma = sigma }

  static let descriptor = StrategyDescriptor(
    name: "maxherding",
    summary: "greedy kernel herding (Bae et al., ECCV 2024); margin-weighted uncertainty herding in later rounds (ICLR 2025)",
    needs: [.trainedHead]) { options in MaxHerding(sigma: options.sigma) }

  /// Stale gains re-evaluated together (one SGEMM): at 70 000 × 128, M = 500, 32 took
  /// 8.5–10.6 s (126 591 re-evaluations), 64 6.8–7.6 s (128 927), 128 7.8–8.4 s (146 463).
  static let batch = 64
  /// The largest averaging set (see ``herd``): the gains' sums run over at most this many samples.
  public static let averaging = 20_000

  public func select(_ count: Int, from input: SelectionInput, monitor: WorkMonitor) throws -> Selection {
    try input.validate(count: count)
    let n = input.features.rows
    guard input.round > 0, let head = input.head else {
      return try MaxHerding.herd(count, input: input, weights: [Float](repeating: 1, count: n), sigma: sigma, name: name,
                                 how: "MaxHerding, σ = \(format3(sigma))", monitor: monitor)
    }
    let p = head.probabilities(input.features)
    var weights = (0..<n).map { i -> Float in let t = topTwo(p, row: i); return 1 - (t.first - t.second) }
    for a in input.asked where a >= 0 && a < n { weights[a] = 0 }
    return try MaxHerding.herd(count, input: input, weights: weights, sigma: sigma, name: name,
                               how: "uncertainty herding (weights 1 − margin of the current head, 0 for answered samples), σ = \(format3(sigma))",
                               monitor: monitor)
  }

  /// The lazy greedy of `Σ_i w_i max(0, k(z_i, x) − c_i)` (see the type's documentation);
  /// shared with ``HerdingIDC``.
  static func herd(_ count: Int, input: SelectionInput, weights: [Float], sigma: Double, name: String, how: String,
                   monitor: WorkMonitor) throws -> Selection {
    guard sigma > 0, sigma.isFinite else { throw CoreError("sigma must be positive, got \(sigma)") }
    let z = input.features
    let n = z.rows
    // The averaging set: every sample up to `averaging`, else the answered samples and a seeded
    // random subset (the authors' code draws one too, of up to 35 000, to fit its kernel matrix).
    var poolRows = Array(0..<n)
    if n > averaging {
      var rng = SeededGenerator(seed: input.seed).derived(7)
      var rest = (0..<n).filter { !input.asked.contains($0) }
      for k in 0..<min(averaging, rest.count) { rest.swapAt(k, k + rng.nextInt(below: rest.count - k)) }
      poolRows = (input.asked.filter { $0 >= 0 && $0 < n } + rest.prefix(averaging)).sorted()
    }
    let kernel = Kernel(z: z, pool: poolRows, sigma: Float(sigma), weights: poolRows.map { weights[$0] })
    var coverage = [Float](repeating: 0, count: poolRows.count)
    for s in input.asked.sorted() where s >= 0 && s < n { kernel.raise(&coverage, toward: s) }
    var taken = input.askedFlags()
    // The candidates are the averaging set's samples not asked yet, as the code's.
    if poolRows.count < n {
      let inPool = Set(poolRows)
      for i in 0..<n where !inPool.contains(i) { taken[i] = true }
      guard n - taken.filter({ $0 }).count >= count else {
        throw CoreError("m = \(count) exceeds the \(averaging) candidates herding draws; choose m ≤ \(averaging)")
      }
    }
    // Initial gains, exact, in blocks of candidates.
    var bound = [Double](repeating: 0, count: n)
    let all = (0..<n).filter { !taken[$0] }
    var start = 0
    let block = 256
    while start < all.count {
      let part = Array(all[start..<min(start + block, all.count)])
      let gains = kernel.gains(part, coverage: coverage)
      for (k, x) in part.enumerated() { bound[x] = gains[k] }
      start += part.count
      if monitor.step("herding gains", start, of: all.count) { throw Interrupted("herding", partial: nil) }
    }
    let totalWeight = max(kernel.weights.reduce(0.0) { $0 + Double($1) }, .leastNonzeroMagnitude)
    var fresh = [Int](repeating: 0, count: n)  // the step whose coverage the bound is exact for, plus 1
    for x in all { fresh[x] = 1 }
    var log = PickLog()
    let terms = ["gain", "covered"]
    var objective = coverage.enumerated().reduce(0.0) { $0 + Double(kernel.weights[$1.offset]) * Double($1.element) }
    var evaluations = 0
    for step in 1...count {
      var pick = -1
      while pick < 0 {
        var bestFresh = -1
        var stale: [(Double, Int)] = []  // the largest stale bounds, at most `batch`
        for x in all where !taken[x] {  // the candidates, in index order
          if fresh[x] == step {
            if bestFresh < 0 || bound[x] > bound[bestFresh] { bestFresh = x }
          } else if stale.count < MaxHerding.batch || bound[x] > stale[stale.count - 1].0 {
            let entry = (bound[x], x)
            let at = stale.firstIndex { $0.0 < entry.0 } ?? stale.count
            stale.insert(entry, at: at)
            if stale.count > MaxHerding.batch { stale.removeLast() }
          }
        }
        if bestFresh >= 0 && (stale.isEmpty || bound[bestFresh] >= stale[0].0) {
          pick = bestFresh
        } else {
          let part = stale.map(\.1)
          evaluations += part.count
          let gains = kernel.gains(part, coverage: coverage)
          for (k, x) in part.enumerated() { bound[x] = gains[k]; fresh[x] = step }
        }
      }
      let gain = bound[pick]
      taken[pick] = true
      kernel.raise(&coverage, toward: pick)
      objective += gain
      log.add(pick, value: Float(gain), [gain, objective / totalWeight])
      try log.step(name, of: count, terms: terms, note: how, monitor: monitor)
    }
    let sample = poolRows.count < n ? "; sums over \(poolRows.count) of \(n) samples (seeded)" : ""
    return log.selection(name, terms: terms, note: how + sample + "; \(evaluations) gains re-evaluated by the lazy greedy")
  }

  /// `k(z_i, x) = exp(−‖z_i − x‖²/σ²)` of candidates x (any sample) against the averaging set
  /// (the rows `pool`), in tiles.
  struct Kernel {
    let z: Matrix
    let pool: Matrix
    let sigma: Float
    let weights: [Float]
    let norms: [Float]
    let poolNorms: [Float]
    init(z: Matrix, pool rows: [Int], sigma: Float, weights: [Float]) {
      self.z = z
      pool = z.rows(rows)
      self.sigma = sigma
      self.weights = weights
      norms = z.rowSquaredNorms()
      poolNorms = pool.rowSquaredNorms()
    }

    /// `Σ_i w_i max(0, k(z_i, x) − c_i)` for each x in `rows`, summed in `Double`: one SGEMM
    /// for the products, then the kernel sums in C (`idc_herding_gains`), rows split over two
    /// workers.
    func gains(_ rows: [Int], coverage: [Float]) -> [Double] {
      let n = pool.rows, b = rows.count
      let dots = BLAS.dotProducts(z.rows(rows), pool)  // b × P
      let rowNorms = rows.map { norms[$0] }
      var out = [Double](repeating: 0, count: b)
      let scale = -1 / (sigma * sigma)
      let workers = min(2, b)
      let half = (b + 1) / 2
      out.withUnsafeMutableBufferPointer { o in
        let outs = SharedPointer(o.baseAddress!)
        dots.storage.withUnsafeBufferPointer { dp in
          let ds = SharedPointer(dp.baseAddress!)
          rowNorms.withUnsafeBufferPointer { rp in
            let rs = SharedPointer(rp.baseAddress!)
            poolNorms.withUnsafeBufferPointer { np in
              let ns = SharedPointer(np.baseAddress!)
              coverage.withUnsafeBufferPointer { cp in
                let cs = SharedPointer(cp.baseAddress!)
                weights.withUnsafeBufferPointer { wp in
                  let ws = SharedPointer(wp.baseAddress!)
                  DispatchQueue.concurrentPerform(iterations: workers) { w in
                    let r0 = workers == 1 ? 0 : w * half, r1 = workers == 1 ? b : min(b, (w + 1) * half)
                    guard r1 > r0 else { return }
                    idc_herding_gains(ds.base + r0 * n, r1 - r0, n, rs.base + r0, ns.base, cs.base, ws.base, scale,
                                      outs.base + r0)
                  }
                }
              }
            }
          }
        }
      }
      return out
    }

    /// `c_i ← max(c_i, k(z_i, z_s))` over the averaging set.
    func raise(_ coverage: inout [Float], toward s: Int) {
      var dots: [Float] = []
      BLAS.dotProducts(pool, withRow: s, of: z, into: &dots)
      idc_kernel_raise(dots, pool.rows, norms[s], poolNorms, -1 / (sigma * sigma), &coverage)
    }
  }
}
