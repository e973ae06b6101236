/// COP-KMEANS: k-means under must-link and cannot-link constraints
/// (Wagstaff, Cardie, Rogers & Schrödl 2001), in idc's cosine geometry — the
/// paper's Cop-Kmeans baseline (Liu et al. 2024).
///
/// Rows of `z` are expected L2-normalised; centres are re-normalised after
/// every update (spherical k-means), so "nearest" means largest `z·c`.
/// Must-links are closed transitively into groups (union–find); cannot-links
/// are lifted to groups. Each iteration then
///
/// 1. assigns every unconstrained sample to its nearest centre (one GEMM per
///    block of rows);
/// 2. assigns the constrained groups in order of their smallest member, each
///    as a unit to the centre with the largest `Σ_{i∈G} z_i·c` that holds no
///    group it is cannot-linked with (Wagstaff's `violate-constraints` test);
/// 3. moves each centre to the normalised mean of its samples (an empty
///    cluster keeps its centre);
///
/// until no assignment changes, the centres move less than `tolerance`
/// (`Σ_k ‖c_k − c_k'‖²`) or `maxIterations` is reached. When a group has no
/// feasible centre (or a cannot-link joins two must-linked samples) the
/// algorithm stops, as Wagstaff's does, and the result says which sample
/// could not be placed instead of crashing.
public struct CopKMeans: Sendable, Equatable {
  /// Upper bound on iterations.
  public var maxIterations: Int
  /// Convergence threshold on the squared centre shift `Σ_k ‖c_k − c_k'‖²`.
  public var tolerance: Float
  /// Seed for the initial centres when none are given.
  public var seed: Int

  public init(maxIterations: Int = 100, tolerance: Float = 1e-6, seed: Int = 0) {
    self.maxIterations = maxIterations
    self.tolerance = tolerance
    self.seed = seed
  }

  /// What Cop-Kmeans produced.
  public struct Result: Sendable, Equatable {
    /// Cluster of every sample. When infeasible: the last assignment that met
    /// every constraint, or, if the first iteration already failed, the
    /// nearest-centre assignment that ignores the constraints.
    public var assignment: [Int]
    /// Final L2-normalised centres, `k × D`.
    public var centers: Matrix
    /// Iterations run.
    public var iterations: Int
    /// True when it stopped because nothing moved any more.
    public var converged: Bool
    /// Mean cosine similarity `(1/N) Σ_i z_i·c_{a_i}` after each iteration's assignment.
    public var objective: [Double]
    /// The first sample that could not be placed without breaking a
    /// constraint; nil when every constraint holds.
    public var infeasibleSample: Int?

    /// True when every constraint is met.
    public var isFeasible: Bool { infeasibleSample == nil }
  }

  /// Cop-Kmeans from `clusterCount` distinct random samples as centres (seeded).
  public func fit(
    _ z: Matrix, clusterCount: Int, constraints: PairwiseConstraints, monitor: WorkMonitor = .silent
  ) throws -> Result {
    guard clusterCount >= 1 && clusterCount <= z.rows else {
      throw CoreError("need 1...\(z.rows) clusters, got \(clusterCount)")
    }
    var generator = SeededGenerator(seed: seed)
    var pool = Array(0..<z.rows)
    for k in 0..<clusterCount {
      pool.swapAt(k, k + generator.nextInt(below: z.rows - k))
    }
    var centers = z.rows(Array(pool[0..<clusterCount]))
    centers.normalizeRows()
    return try fit(z, initialCenters: centers, constraints: constraints, monitor: monitor)
  }

  /// Cop-Kmeans from the given centres (`k × D`; e.g. the k-means centres).
  ///
  /// Reports progress and polls for cancellation once per iteration; when
  /// cancelled, throws ``Interrupted`` with the ``Result`` so far.
  ///
  /// - Complexity: O(iterations · N · D · k) for the GEMMs and centre updates,
  ///   plus O(iterations · (|must| + |cannot|) · k) for the constrained groups.
  public func fit(
    _ z: Matrix, initialCenters: Matrix, constraints: PairwiseConstraints, monitor: WorkMonitor = .silent
  ) throws -> Result {
    let n = z.rows, d = z.columns, k = initialCenters.rows
    guard n >= 1, d >= 1 else { throw CoreError("no samples to cluster") }
    guard k >= 1, initialCenters.columns == d else {
      throw CoreError("initial centres are \(initialCenters.rows)×\(initialCenters.columns), data has \(d) columns")
    }
    guard maxIterations >= 1 else { throw CoreError("max iterations must be at least 1, got \(maxIterations)") }
    guard tolerance >= 0 else { throw CoreError("tolerance must be >= 0, got \(tolerance)") }
    for pair in constraints.mustLink + constraints.cannotLink {
      for i in [pair.first, pair.second] where i < 0 || i >= n {
        throw CoreError("constraint on sample \(i), outside 0..<\(n)")
      }
    }

    let groups = ConstraintGroups(sampleCount: n, constraints: constraints)
    var centers = initialCenters
    centers.normalizeRows()
    var assignment = [Int](repeating: 0, count: n)
    var objective: [Double] = []
    var lastFeasible: [Int]? = nil
    var lastFeasibleCenters = centers

    if let bad = groups.selfConflict {
      nearestCenters(z, centers, into: &assignment)
      return Result(assignment: assignment, centers: centers, iterations: 0, converged: false,
                    objective: [], infeasibleSample: bad)
    }

    for iteration in 1...maxIterations {
      var similarity = nearestCenters(z, centers, into: &assignment)
      // Constrained groups, in order, to their best feasible centre.
      let groupScores = groupSimilarities(z, centers, groups)
      var groupCluster = [Int](repeating: -1, count: groups.members.count)
      var failed: Int? = nil
      for g in 0..<groups.members.count {
        var best = -1
        var bestScore = -Double.infinity
        for j in 0..<k where groupScores[g * k + j] > bestScore {
          if groups.conflicts[g].contains(where: { groupCluster[$0] == j }) { continue }
          best = j
          bestScore = groupScores[g * k + j]
        }
        guard best >= 0 else { failed = groups.members[g].min(); break }
        groupCluster[g] = best
        for i in groups.members[g] {
          similarity -= Double(nearestScore(z, centers, i, assignment[i]))
          assignment[i] = best
        }
        similarity += bestScore
      }
      if let failed {
        if lastFeasible == nil { nearestCenters(z, centers, into: &assignment) }
        let assignmentOut = lastFeasible ?? assignment
        return Result(assignment: assignmentOut, centers: lastFeasible == nil ? centers : lastFeasibleCenters,
                      iterations: iteration, converged: false, objective: objective, infeasibleSample: failed)
      }
      objective.append(similarity / Double(n))
      let unchanged = lastFeasible == assignment
      lastFeasible = assignment
      lastFeasibleCenters = centers
      let shift = updateCenters(z, assignment, &centers)
      if unchanged || shift <= Double(tolerance) {
        return Result(assignment: assignment, centers: centers, iterations: iteration, converged: true,
                      objective: objective, infeasibleSample: nil)
      }
      if monitor.step("cop-kmeans", iteration, of: maxIterations) {
        throw Interrupted("cop-kmeans", partial: Result(assignment: assignment, centers: centers, iterations: iteration,
                                                        converged: false, objective: objective, infeasibleSample: nil),
                          progress: .init(iteration, of: maxIterations, "iterations"))
      }
    }
    return Result(assignment: lastFeasible ?? assignment, centers: centers, iterations: maxIterations,
                  converged: false, objective: objective, infeasibleSample: nil)
  }

  // MARK: - Pieces

  /// Nearest centre of every sample by `z·c` (blocks of rows, one GEMM each);
  /// returns `Σ_i max_j z_i·c_j`.
  @discardableResult
  private func nearestCenters(_ z: Matrix, _ centers: Matrix, into assignment: inout [Int]) -> Double {
    let k = centers.rows
    var total: Double = 0
    BLAS.forEachProductBlock(z, centers, blockRows: 8192) { start, rows, ss in
      for r in 0..<rows {
        var best = 0
        var bestValue = ss[r * k]
        for j in 1..<k where ss[r * k + j] > bestValue { best = j; bestValue = ss[r * k + j] }
        assignment[start + r] = best
        total += Double(bestValue)
      }
    }
    return total
  }

  /// `z_i · c_j` for one sample.
  private func nearestScore(_ z: Matrix, _ centers: Matrix, _ i: Int, _ j: Int) -> Float {
    let d = z.columns
    var s: Float = 0
    for t in 0..<d { s += z.storage[i * d + t] * centers.storage[j * d + t] }
    return s
  }

  /// `Σ_{i∈G} z_i·c_j` for every constrained group G and centre j (`groups × k`).
  private func groupSimilarities(_ z: Matrix, _ centers: Matrix, _ groups: ConstraintGroups) -> [Double] {
    let k = centers.rows
    let all = groups.members.flatMap { $0 }
    guard !all.isEmpty else { return [] }
    let scores = BLAS.dotProducts(z.rows(all), centers)
    var out = [Double](repeating: 0, count: groups.members.count * k)
    var row = 0
    for (g, members) in groups.members.enumerated() {
      for _ in members {
        for j in 0..<k { out[g * k + j] += Double(scores.storage[row * k + j]) }
        row += 1
      }
    }
    return out
  }

  /// Moves every non-empty cluster's centre to the normalised mean of its
  /// samples; returns the squared shift `Σ_j ‖c_j − c_j'‖²`.
  private func updateCenters(_ z: Matrix, _ assignment: [Int], _ centers: inout Matrix) -> Double {
    let n = z.rows, d = z.columns, k = centers.rows
    var sums = [Double](repeating: 0, count: k * d)
    var counts = [Int](repeating: 0, count: k)
    z.storage.withUnsafeBufferPointer { zs in
      sums.withUnsafeMutableBufferPointer { s in
        for i in 0..<n {
          let j = assignment[i]
          counts[j] += 1
          let row = zs.baseAddress! + i * d
          let target = s.baseAddress! + j * d
          for t in 0..<d { target[t] += Double(row[t]) }
        }
      }
    }
    var shift: Double = 0
    for j in 0..<k where counts[j] > 0 {
      var norm: Double = 0
      for t in 0..<d { norm += sums[j * d + t] * sums[j * d + t] }
      guard norm > 0 else { continue }
      let scale = 1 / norm.squareRoot()
      for t in 0..<d {
        let new = Float(sums[j * d + t] * scale)
        let delta = Double(new - centers.storage[j * d + t])
        shift += delta * delta
        centers.storage[j * d + t] = new
      }
    }
    return shift
  }
}

extension CopKMeans {
  /// The default settings: what `baseline cop-kmeans` uses.
  public static let defaults = CopKMeans()
}
