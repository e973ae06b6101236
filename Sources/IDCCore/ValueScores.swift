/// The per-sample value terms of IDC (Liu et al., NeurIPS 2024, Eq. 2–3).
///
/// - Hardness (Eq. 2): `h_i = log(max(1 − z_i·c_g1 + z_i·c_g2, 0) + ε)` with
///   `g1`, `g2` the most and second most similar centres (cosine, computed in
///   `Double`). Near 0 on cluster borders, very negative on a centre.
/// - Representativeness (Eq. 3): `r_i = −log(Σ_{j=1..K} ‖z_i − z_i(j)‖² + ε)`
///   over the K nearest neighbours, self excluded (the paper's text; the
///   official code includes the sample itself and takes the mean).
///
/// `ε = 1e-8` guards the logs, as the independent reference does.
public struct ValueScores: Sendable {
  public let hardness: [Float]
  public let representativeness: [Float]
  /// Index of the most similar centre of every sample.
  public let nearestCenter: [Int]

  public init(hardness: [Float], representativeness: [Float], nearestCenter: [Int]) {
    self.hardness = hardness
    self.representativeness = representativeness
    self.nearestCenter = nearestCenter
  }

  public static let epsilon = 1e-8

  /// Hardness of every row of unit-norm `z` against unit-norm `centers`.
  ///
  /// With a single centre there is no second one: `h_i = log(1 − z·c + ε)`
  /// is undefined in the paper; we use `z·c_g2 = z·c_g1` (h = log ε), i.e.
  /// every sample is as hard as possible — only the relative order matters.
  ///
  /// The similarities that decide are computed in `Double` (the reference's precision), but
  /// only for the centres that can be among a row's two most similar: an SGEMM in `Float`
  /// screens all `C` of them, and a centre stays a candidate when its `Float` similarity is
  /// within `2δ` of the row's second largest, `δ = γ_D·‖z_i‖·max‖c‖` the worst-case error of a
  /// `Float` dot product of length `D` (`γ_D = D·u / (1 − D·u)`, `u = 2⁻²⁴`, any summation
  /// order). A centre outside that band is below the exact second largest, so the result is
  /// the same bits as the all-`Double` scan (``hardnessExhaustive(_:centers:)``, which the
  /// tests compare against), ties included: candidates are visited in index order.
  /// - Complexity: `O(N·C·D)` multiply-adds in SGEMM (all cores), plus `O(N·D)` in `Double`
  ///   for the ≈ 2 candidates of a row; `O(B·C)` scratch for blocks of `B = 2048` rows. At
  ///   10⁶ × 512 and C = 1 000: the all-`Double` scan took > 5 min here, this takes seconds.
  public static func hardness(_ z: Matrix, centers: Matrix) -> (hardness: [Float], nearest: [Int]) {
    precondition(z.columns == centers.columns, "centres have \(centers.columns) columns, features \(z.columns)")
    let n = z.rows, d = z.columns, c = centers.rows
    guard c > 2, n > 0, d > 0 else { return hardnessExhaustive(z, centers: centers) }
    var h = [Float](repeating: 0, count: n)
    var nearest = [Int](repeating: 0, count: n)
    let cd = centers.storage.map(Double.init)
    let maxCenterNorm = Double(centers.rowSquaredNorms().max() ?? 0).squareRoot() * (1 + 1e-6)
    let u = 0x1p-24, gamma = Double(d) * u / (1 - Double(d) * u)
    var candidates: [Int] = []
    z.storage.withUnsafeBufferPointer { zs in
      BLAS.forEachProductBlock(z, centers, blockRows: 2048) { start, rows, ss in
        for r in 0..<rows {
          let i = start + r
          let row = zs.baseAddress! + i * d
          let screen = ss + r * c
          var f1 = -Float.infinity, f2 = -Float.infinity
          for k in 0..<c {
            let v = screen[k]
            if v > f1 { f2 = f1; f1 = v } else if v > f2 { f2 = v }
          }
          var norm = 0.0
          for j in 0..<d { let v = Double(row[j]); norm += v * v }
          // Float error of each screened similarity, and the Double sum's own (tiny) one.
          let delta = gamma * norm.squareRoot() * (1 + 1e-6) * maxCenterNorm + 1e-12
          let floor = Double(f2) - 2 * delta
          candidates.removeAll(keepingCapacity: true)
          for k in 0..<c where Double(screen[k]) >= floor { candidates.append(k) }
          var best1 = -Double.infinity, best2 = -Double.infinity, g1 = 0
          for k in candidates {
            var s = 0.0
            for j in 0..<d { s += Double(row[j]) * cd[k * d + j] }
            if s > best1 { best2 = best1; best1 = s; g1 = k } else if s > best2 { best2 = s }
          }
          h[i] = Float(_log(max(1 - best1 + best2, 0) + epsilon))
          nearest[i] = g1
        }
      }
    }
    return (h, nearest)
  }

  /// ``hardness(_:centers:)`` by scanning every centre in `Double`: the definition, kept
  /// for one and two centres and as the tests' reference. - Complexity: `O(N·C·D)` in `Double`.
  public static func hardnessExhaustive(_ z: Matrix, centers: Matrix) -> (hardness: [Float], nearest: [Int]) {
    precondition(z.columns == centers.columns, "centres have \(centers.columns) columns, features \(z.columns)")
    let n = z.rows, d = z.columns, c = centers.rows
    var h = [Float](repeating: 0, count: n)
    var nearest = [Int](repeating: 0, count: n)
    let cd = centers.storage.map(Double.init)
    z.storage.withUnsafeBufferPointer { zs in
      for i in 0..<n {
        var best1 = -Double.infinity, best2 = -Double.infinity, g1 = 0
        let row = zs.baseAddress! + i * d
        for k in 0..<c {
          var s = 0.0
          for j in 0..<d { s += Double(row[j]) * cd[k * d + j] }
          if s > best1 { best2 = best1; best1 = s; g1 = k } else if s > best2 { best2 = s }
        }
        if c == 1 { best2 = best1 }
        h[i] = Float(_log(max(1 - best1 + best2, 0) + epsilon))
        nearest[i] = g1
      }
    }
    return (h, nearest)
  }

  /// Representativeness from a K-NN graph: `−log(Σ_j d²_ij + ε)`, summed in `Double`.
  public static func representativeness(_ graph: NeighborGraph) -> [Float] {
    let n = graph.count, k = graph.k
    var r = [Float](repeating: 0, count: n)
    graph.squaredDistances.withUnsafeBufferPointer { ds in
      for i in 0..<n {
        var s = 0.0
        for j in 0..<k { s += Double(ds[i * k + j]) }
        r[i] = Float(-_log(s + epsilon))
      }
    }
    return r
  }

  /// Both terms for unit-norm features `z`: hardness against `centers` and
  /// representativeness from an exact K-NN search.
  public static func compute(_ z: Matrix, centers: Matrix, neighbors: Int = 20,
                             monitor: WorkMonitor = .silent) throws -> (scores: ValueScores, graph: NeighborGraph) {
    guard centers.rows >= 1 else { throw CoreError("scores need at least one centre") }
    guard centers.columns == z.columns else {
      throw CoreError("centres have \(centers.columns) dimensions but the features have \(z.columns)")
    }
    let graph = try NearestNeighbors(k: neighbors).search(z, monitor: monitor)
    let (h, nearest) = hardness(z, centers: centers)
    return (ValueScores(hardness: h, representativeness: representativeness(graph), nearestCenter: nearest), graph)
  }
}

/// Cluster centres from an assignment: the normalised mean feature of each
/// predicted cluster (what the official IDC code uses for a model with a
/// cluster head). A cluster with no members gets a zero centre, which no
/// sample prefers over a real one; `clusterCount` fixes C when some ids are unused.
public func centersOfAssignment(_ z: Matrix, assignment: [Int], clusterCount: Int? = nil) throws -> Matrix {
  guard assignment.count == z.rows else {
    throw CoreError("assignment has \(assignment.count) entries but there are \(z.rows) samples")
  }
  guard let maxId = assignment.max(), let minId = assignment.min(), minId >= 0 else {
    throw CoreError("assignment must be non-empty with cluster ids ≥ 0")
  }
  let c = max(clusterCount ?? 0, maxId + 1)
  let d = z.columns
  var sums = [Double](repeating: 0, count: c * d)
  for i in 0..<z.rows {
    let g = assignment[i]
    for j in 0..<d { sums[g * d + j] += Double(z[i, j]) }
  }
  var centers = Matrix(rows: c, columns: d)
  writeUnitRows(sums, into: &centers)
  return centers
}

/// Row g of `centers` ← `sums[g]` / ‖`sums[g]`‖ (rows with a zero sum are left
/// as they are): the centre of a cluster in cosine geometry.
func writeUnitRows(_ sums: [Double], into centers: inout Matrix) {
  let d = centers.columns
  for g in 0..<centers.rows {
    var norm = 0.0
    for j in 0..<d { norm += sums[g * d + j] * sums[g * d + j] }
    norm = norm.squareRoot()
    if norm > 0 { for j in 0..<d { centers[g, j] = Float(sums[g * d + j] / norm) } }
  }
}
