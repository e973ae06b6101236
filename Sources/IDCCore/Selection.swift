/// Which value terms drive the greedy selection (the ablations of IDC,
/// Table 3 / Fig. 3 / Fig. 4 of Liu et al. 2024).
public enum SelectionStrategy: String, CaseIterable, Sendable {
  case random
  case hard
  case rep
  case hardRep = "hard+rep"
  case hardRepDiv = "hard+rep+div"

  var usesHardness: Bool { self == .hard || self == .hardRep || self == .hardRepDiv }
  var usesRepresentativeness: Bool { self == .rep || self == .hardRep || self == .hardRepDiv }
  var usesDiversity: Bool { self == .hardRepDiv }
}

/// The outcome of a selection: picks in order and each pick's value at the
/// time it was picked.
public struct Selection: Sendable, Equatable {
  public let strategy: SelectionStrategy
  public let indices: [Int]
  /// `v_{s_j}^j`: the value of the j-th pick when it was picked (for `random`,
  /// the full-method value `h + r + d` at that time, for reference).
  public let values: [Float]
  public init(strategy: SelectionStrategy, indices: [Int], values: [Float]) {
    self.strategy = strategy
    self.indices = indices
    self.values = values
  }
}

/// Greedy value-based selection (IDC Algorithm 1, Liu et al. 2024).
///
/// `v_i = w_h·h_i + w_r·r_i + w_d·d_i`, with the diversity
/// `d_i = min_{j∈S} log(max(1 − z_i·z_j, 0) + ε)` and `d = 0` while `S` is
/// empty (Eq. 4). Each step takes the remaining sample with the largest `v`
/// (ties to the lowest index) and updates `d` of all samples with one SGEMV
/// against the new member. Terms not in the strategy have weight 0.
///
/// Theorem 1: the pick values never increase — from the second pick on, since
/// the first pick's `d = 0` can be below `log(1 − cos)` for `cos < 0`.
///
/// - Complexity: `O(M·N·D)` for the diversity updates plus `O(M·N)` argmax scans.
public struct ValueSelector: Sendable {
  public var count: Int
  public var strategy: SelectionStrategy
  public var hardnessWeight: Float
  public var representativenessWeight: Float
  public var diversityWeight: Float
  public var seed: Int

  public init(count: Int, strategy: SelectionStrategy = .hardRepDiv, hardnessWeight: Float = 1,
              representativenessWeight: Float = 1, diversityWeight: Float = 1, seed: Int = 0) {
    self.count = count
    self.strategy = strategy
    self.hardnessWeight = hardnessWeight
    self.representativenessWeight = representativenessWeight
    self.diversityWeight = diversityWeight
    self.seed = seed
  }

  /// Picks `count` samples of unit-norm `z` with precomputed `scores`.
  public func select(_ z: Matrix, scores: ValueScores, excluding excluded: Set<Int> = [],
                     monitor: WorkMonitor = .silent) throws -> Selection {
    let n = z.rows, d = z.columns
    guard scores.hardness.count == n, scores.representativeness.count == n else {
      throw CoreError("scores are for \(scores.hardness.count) samples but the features have \(n)")
    }
    let available = n - excluded.count
    guard count >= 1 else { throw CoreError("m must be at least 1, got \(count)") }
    guard count <= available else {
      throw CoreError("m = \(count) exceeds the number of samples available (\(available)); choose m ≤ \(available)")
    }
    let wh: Float = strategy.usesHardness || strategy == .random ? hardnessWeight : 0
    let wr: Float = strategy.usesRepresentativeness || strategy == .random ? representativenessWeight : 0
    let wd: Float = strategy.usesDiversity || strategy == .random ? diversityWeight : 0
    let eps = Float(ValueScores.epsilon)

    var base = [Float](repeating: 0, count: n)
    for i in 0..<n { base[i] = wh * scores.hardness[i] + wr * scores.representativeness[i] }
    var diversity = [Float](repeating: .infinity, count: n)  // +∞ = "S empty" (used as 0)
    var taken = [Bool](repeating: false, count: n)
    for i in excluded where i >= 0 && i < n { taken[i] = true }
    var picks: [Int] = []
    var values: [Float] = []
    var dots = [Float](repeating: 0, count: n)
    var rng = SeededGenerator(seed: seed)
    var pool = strategy == .random ? (0..<n).filter { !taken[$0] } : []

    for step in 0..<count {
      let pick: Int
      if strategy == .random {
        let j = step + rng.nextInt(below: pool.count - step)
        pool.swapAt(step, j)
        pick = pool[step]
      } else {
        var best = -1
        var bestValue = -Float.infinity
        for i in 0..<n where !taken[i] {
          let v = base[i] + (wd == 0 || diversity[i] == .infinity ? 0 : wd * diversity[i])
          if best < 0 || v > bestValue { best = i; bestValue = v }
        }
        pick = best
      }
      let dv = diversity[pick] == .infinity ? 0 : diversity[pick]
      values.append(base[pick] + wd * dv)
      picks.append(pick)
      taken[pick] = true
      if wd != 0 && step + 1 < count {
        z.storage.withUnsafeBufferPointer { zs in
          dots.withUnsafeMutableBufferPointer { out in
            BLAS.gemv(m: n, n: d, a: zs.baseAddress!, lda: d, x: zs.baseAddress! + pick * d, y: out.baseAddress!)
          }
        }
        for i in 0..<n where !taken[i] {
          let term = _logf(max(1 - dots[i], 0) + eps)
          if term < diversity[i] { diversity[i] = term }
        }
      }
      if monitor.step("select", step + 1, of: count) {
        throw Interrupted("selection", partial: Selection(strategy: strategy, indices: picks, values: values),
                          progress: .init(step + 1, of: count, "picks"))
      }
    }
    return Selection(strategy: strategy, indices: picks, values: values)
  }
}

extension ValueSelector {
  /// The default budget (M = 100), strategy (the full method) and weights.
  public static let defaults = ValueSelector(count: 100)
}
