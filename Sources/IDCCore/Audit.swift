/// Quality from answers, without labels: an audit asks about samples drawn uniformly at random
/// and estimates the share of all samples whose cluster the person would confirm — for the model
/// it was drawn for and for every later one (docs/method.md §12).
///
/// Each audit query shows the audited model's own cluster of the sample first, then its `T − 1`
/// most similar other clusters, so the answer always says whether that model is right: a
/// positive answer naming cluster `c` confirms an assignment `a` iff `a = c`; a negative answer
/// rejects every cluster shown. For a later model the same answers still decide every sample
/// whose new cluster was shown (or was named); a sample moved to a cluster the person never saw,
/// with a "none of these" answer, is *undetermined* and counted apart. Skipped answers count
/// nowhere.
///
/// Because the audited samples are a uniform random sample of the pool (without replacement,
/// never a sample asked before, held out of training), `p̂ = confirmed / determined` is an
/// unbiased estimate of the confirmed share of the pool, and the Wilson score interval
///
///     (p̂ + z²/2n ± z·√(p̂(1 − p̂)/n + z²/4n²)) / (1 + z²/n),   z = 1.96 for 95 %
///
/// (Wilson 1927; Brown, Cai & DasGupta, *Interval Estimation for a Binomial Proportion*,
/// Statistical Science 2001) keeps its coverage near 95 % down to a few dozen answers and at
/// p̂ = 0 or 1, where the normal interval collapses to a point. With the simulated user
/// (matching oracle), the confirmed share is the clustering's ACC under the oracle's cluster-to-
/// class matching, so the estimate can be checked against the labels.
///
/// - Complexity: drawing `O(N)`; queries as ``QueryBuilder`` (`O(N·C·D)` once); an estimate
///   `O(n)` for `n` audit answers.
public enum Audit {
  /// `n` samples drawn uniformly without replacement from `0..<sampleCount` minus `excluded`,
  /// in draw order (a seeded partial Fisher–Yates shuffle).
  public static func draw(_ n: Int, sampleCount: Int, excluding excluded: Set<Int>, seed: Int) throws -> [Int] {
    var pool = (0..<sampleCount).filter { !excluded.contains($0) }
    guard n >= 1 else { throw CoreError("n must be at least 1, got \(n)") }
    guard n <= pool.count else {
      throw CoreError("n = \(n) exceeds the \(pool.count) samples not asked yet; choose n ≤ \(pool.count)")
    }
    var rng = SeededGenerator(seed: seed).derived(31)
    for k in 0..<n { pool.swapAt(k, k + rng.nextInt(below: pool.count - k)) }
    return Array(pool.prefix(n))
  }

  /// Audit queries: for each anchor, its cluster under `assignment` first, then the `T − 1`
  /// most similar other centres (``QueryBuilder``'s order), with representatives.
  public static func queries(_ z: Matrix, centers: Matrix, anchors: [Int], assignment: [Int], builder: QueryBuilder) throws -> [Query] {
    guard assignment.count == z.rows else {
      throw CoreError("the assignment has \(assignment.count) entries but the features have \(z.rows) rows")
    }
    var wide = builder
    wide.candidates = min(centers.rows, builder.candidates + 1)
    let built = try wide.build(z, centers: centers, anchors: anchors, assignment: assignment)
    // The own cluster is nearly always among the T + 1 nearest; its representatives otherwise.
    let missing = built.contains { !$0.candidates.contains(assignment[$0.anchor]) }
    let reps = missing ? wide.representatives(z, centers: centers, assignment: assignment) : nil
    return built.map { q in
      let own = assignment[q.anchor]
      let cands = Array(([own] + q.candidates.filter { $0 != own }).prefix(builder.candidates))
      let shown: [[Int]] = cands.map { c in
        if let i = q.candidates.firstIndex(of: c) { return q.representatives[i] }
        return reps?[c] ?? []
      }
      return Query(anchor: q.anchor, candidates: cands, representatives: shown)
    }
  }

  /// The confirmed share of `assignment` on the audit answers, with a Wilson interval.
  public static func estimate(queries: [Query], answers: [Answer], assignment: [Int], confidence z: Double = 1.959964) -> Estimate {
    var confirmed = 0, determined = 0, undetermined = 0, skipped = 0
    for (q, answer) in zip(queries, answers) {
      guard q.anchor >= 0 && q.anchor < assignment.count else { undetermined += 1; continue }
      let a = assignment[q.anchor]
      switch answer {
      case .positive(let c):
        determined += 1
        if c == a { confirmed += 1 }
      case .negative(let rejected):
        if rejected.contains(a) || q.candidates.contains(a) { determined += 1 } else { undetermined += 1 }
      case .skipped:
        skipped += 1
      }
    }
    let (low, high) = wilson(successes: confirmed, trials: determined, z: z)
    return Estimate(confirmed: confirmed, determined: determined, undetermined: undetermined, skipped: skipped, low: low, high: high)
  }

  /// The Wilson score interval of a binomial proportion; `(0, 1)` with no trials.
  public static func wilson(successes: Int, trials: Int, z: Double = 1.959964) -> (low: Double, high: Double) {
    guard trials > 0 else { return (0, 1) }
    let n = Double(trials), p = Double(successes) / n, z2 = z * z
    let centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    let half = z * (p * (1 - p) / n + z2 / (4 * n * n)).squareRoot() / (1 + z2 / n)
    return (max(0, centre - half), min(1, centre + half))
  }

  /// An audit estimate: `confirmed` of `determined` answers confirm the clustering.
  public struct Estimate: Sendable, Equatable, CustomStringConvertible {
    public let confirmed: Int
    public let determined: Int
    /// "None of these" answers about samples the clustering moved to a cluster that was not shown.
    public let undetermined: Int
    public let skipped: Int
    public let low: Double
    public let high: Double

    /// The point estimate `confirmed / determined` (nil before any determined answer).
    public var share: Double? { determined > 0 ? Double(confirmed) / Double(determined) : nil }

    /// "confirmed 84.0 % (95 % CI 71.5–91.7, 42 of 50 audit answers)".
    public var description: String {
      guard let share else { return "no audit answer decides this clustering" }
      var text = "confirmed \(tenths(100 * share)) % (95 % CI \(tenths(100 * low))–\(tenths(100 * high)), \(confirmed) of \(determined) audit answers"
      if undetermined > 0 { text += "; \(undetermined) undetermined" }
      return text + ")"
    }
  }
}

/// `x` to one decimal: "84.0".
func tenths(_ x: Double) -> String { "\((x * 10).rounded() / 10)" }
