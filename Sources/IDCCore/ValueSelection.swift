/// Which value terms drive IDC's greedy selection (the ablations of IDC,
/// Table 3 / Fig. 3 / Fig. 4 of Liu et al. 2024).
public enum ValueTerms: String, CaseIterable, Sendable {
  case random
  case hard
  case rep
  case hardRep = "hard+rep"
  case hardRepDiv = "hard+rep+div"

  var usesHardness: Bool { self == .hard || self == .hardRep || self == .hardRepDiv }
  var usesRepresentativeness: Bool { self == .rep || self == .hardRep || self == .hardRepDiv }
  var usesDiversity: Bool { self == .hardRepDiv }

  var summary: String {
    switch self {
    case .random: "uniformly at random (seeded)"
    case .hard: "IDC's hardness h alone: samples on cluster borders (Liu et al. 2024, Table 3)"
    case .rep: "IDC's representativeness r alone: samples in dense regions (Liu et al. 2024, Table 3)"
    case .hardRep: "IDC's h + r without diversity (Liu et al. 2024, Table 3)"
    case .hardRepDiv: "IDC, the full method: v = h + r + d, greedily (Liu et al. 2024, Algorithm 1)"
    }
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
/// Explanation per pick: `h`, `r`, `d` (0 for the first pick) and `v`.
///
/// - Complexity: `O(M·N·D)` for the diversity updates plus `O(M·N)` argmax scans.
public struct ValueSelector: SelectionStrategy {
  public var count: Int
  public var terms: ValueTerms
  public var hardnessWeight: Float
  public var representativenessWeight: Float
  public var diversityWeight: Float
  public var seed: Int

  public var name: String { terms.rawValue }

  public init(count: Int, terms: ValueTerms = .hardRepDiv, hardnessWeight: Float = 1,
              representativenessWeight: Float = 1, diversityWeight: Float = 1, seed: Int = 0) {
    self.count = count
    self.terms = terms
    self.hardnessWeight = hardnessWeight
    self.representativenessWeight = representativenessWeight
    self.diversityWeight = diversityWeight
    self.seed = seed
  }

  /// The strategy registered as `terms`' name.
  static func descriptor(_ terms: ValueTerms) -> StrategyDescriptor {
    StrategyDescriptor(name: terms.rawValue, summary: terms.summary, needs: terms == .random ? [] : [.graph, .hardness],
                       isPaperAblation: true) { options in
      ValueSelector(count: 0, terms: terms, hardnessWeight: options.hardnessWeight,
                    representativenessWeight: options.representativenessWeight, diversityWeight: options.diversityWeight)
    }
  }

  public func select(_ count: Int, from input: SelectionInput, monitor: WorkMonitor) throws -> Selection {
    try input.validate(count: count)
    let n = input.features.rows
    let scores: ValueScores
    if terms == .random && (input.hardness == nil || input.graph == nil) {
      scores = ValueScores(hardness: [Float](repeating: 0, count: n), representativeness: [Float](repeating: 0, count: n), nearestCenter: [])
    } else {
      guard let h = input.hardness, h.count == n else { throw CoreError("\(name) needs the hardness of every sample") }
      scores = ValueScores(hardness: h, representativeness: ValueScores.representativeness(try input.requireGraph(name)), nearestCenter: [])
    }
    var selector = self
    selector.count = count
    selector.seed = input.seed
    return try selector.select(input.features, scores: scores, excluding: input.asked, monitor: monitor)
  }

  /// Picks `count` samples of unit-norm `z` with precomputed `scores`.
  public func select(_ z: Matrix, scores: ValueScores, excluding excluded: Set<Int> = [],
                     monitor: WorkMonitor = .silent) throws -> Selection {
    let n = z.rows
    guard scores.hardness.count == n, scores.representativeness.count == n else {
      throw CoreError("scores are for \(scores.hardness.count) samples but the features have \(n)")
    }
    let available = n - excluded.count
    guard count >= 1 else { throw CoreError("m must be at least 1, got \(count)") }
    guard count <= available else {
      throw CoreError("m = \(count) exceeds the number of samples available (\(available)); choose m ≤ \(available)")
    }
    let random = terms == .random
    let wh: Float = terms.usesHardness || random ? hardnessWeight : 0
    let wr: Float = terms.usesRepresentativeness || random ? representativenessWeight : 0
    let wd: Float = terms.usesDiversity || random ? diversityWeight : 0
    let eps = Float(ValueScores.epsilon)

    var base = [Float](repeating: 0, count: n)
    for i in 0..<n { base[i] = wh * scores.hardness[i] + wr * scores.representativeness[i] }
    var diversity = [Float](repeating: .infinity, count: n)  // +∞ = "S empty" (used as 0)
    var taken = [Bool](repeating: false, count: n)
    for i in excluded where i >= 0 && i < n { taken[i] = true }
    var log = PickLog()
    let columns = ["h", "r", "d", "v"]
    var dots = [Float](repeating: 0, count: n)
    var rng = SeededGenerator(seed: seed)
    var pool = random ? (0..<n).filter { !taken[$0] } : []

    for step in 0..<count {
      let pick: Int
      if random {
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
      let value = base[pick] + wd * dv
      log.add(pick, value: value, [Double(scores.hardness[pick]), Double(scores.representativeness[pick]), Double(dv), Double(value)])
      taken[pick] = true
      if wd != 0 && step + 1 < count {
        BLAS.dotProducts(z, withRow: pick, of: z, into: &dots)
        for i in 0..<n where !taken[i] {
          let term = _logf(max(1 - dots[i], 0) + eps)
          if term < diversity[i] { diversity[i] = term }
        }
      }
      try log.step(name, of: count, terms: columns, monitor: monitor)
    }
    return log.selection(name, terms: columns)
  }
}

extension ValueSelector {
  /// The default budget (M = 100), strategy (the full method) and weights.
  public static let defaults = ValueSelector(count: 100)
}
