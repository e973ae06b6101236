/// TypiClust: the most typical sample of the least-covered large cluster (Hacohen, Dekel &
/// Weinshall, *Active Learning on a Budget*, ICML 2022; code: avihu111/TypiClust,
/// `deep-al/pycls/al/typiclust.py`).
///
/// 1. Cluster the unit-norm features into `L = min(|asked| + M, 500)` clusters (k-means).
///    Clusters of at most 5 samples are left out.
/// 2. Order the clusters by fewest labelled samples (asked before), ties to the largest, then
///    to the lowest id, once; cycle through them M times, picking each time the cluster's most
///    typical sample still available,
///    `typicality(x) = 1 / ( (1/k) Σ_{x' ∈ kNN_k(x)} ‖x − x'‖² + 1e-5 )`,
///    `k = min(20, ⌊s/2⌋)` neighbours among the cluster's `s` available samples; the pick
///    leaves its cluster (it is neither a candidate nor a neighbour afterwards).
///
/// As the authors' code: squared distances (faiss `IndexFlatL2`), the 1e-5, the 500-cluster
/// cap, the size-5 floor, labelled samples removed from their cluster.
/// Where idc departs: the clustering is idc's spherical k-means (greedy k-means++ with each
/// centre's trials scored in one SGEMM, ``KMeans/batchedSeeding``, then Lloyd; above 50
/// clusters one restart of at most 20 Lloyd steps, where the code's scikit-learn
/// MiniBatchKMeans takes three restarts of mini-batch steps; ten restarts below, as the
/// code's KMeans); a cluster with no sample left is passed over in the cycle (the code
/// would fail), and when no cluster of more than 5 samples has one left, the remaining picks
/// come from the small clusters.
///
/// Explanation per pick: the cluster, its size, its labelled count before the pick and the
/// typicality.
///
/// - Complexity: the k-means (`O(I·N·L·D)`) plus `O(Σ s_c²·D)` for the typicalities, memory
///   `O(N + max s_c²)`.
public struct TypiClust: SelectionStrategy {
  public var name: String { "typiclust" }
  public static let maxClusters = 500
  public static let minClusterSize = 5
  public static let neighbors = 20

  public init() {}

  static let descriptor = StrategyDescriptor(
    name: "typiclust",
    summary: "the most typical sample of the least-covered k-means cluster (Hacohen et al., ICML 2022)",
    needs: []) { _ in TypiClust() }

  public func select(_ count: Int, from input: SelectionInput, monitor: WorkMonitor) throws -> Selection {
    try input.validate(count: count)
    let z = input.features
    let clusters = min(input.asked.count + count, TypiClust.maxClusters, z.rows)
    var km = KMeans(k: clusters, nInit: clusters <= 50 ? 10 : 1, maxIterations: clusters <= 50 ? 100 : 20, seed: input.seed, swapTrials: 0)
    km.batchedSeeding = true
    let fit = try km.fit(z, monitor: monitor)
    return try select(count, features: z, clusters: fit.assignment, clusterCount: clusters, asked: input.asked, monitor: monitor)
  }

  /// The picks for a given clustering (the parity tests give the authors' clustering).
  public func select(_ count: Int, features z: Matrix, clusters: [Int], clusterCount: Int, asked: Set<Int>,
                     monitor: WorkMonitor = .silent) throws -> Selection {
    let n = z.rows
    guard clusters.count == n else { throw CoreError("the clustering has \(clusters.count) entries but there are \(n) samples") }
    var members = [[Int]](repeating: [], count: clusterCount)
    var labelled = [Int](repeating: 0, count: clusterCount)
    for i in 0..<n {
      if asked.contains(i) { labelled[clusters[i]] += 1 } else { members[clusters[i]].append(i) }
    }
    let size = (0..<clusterCount).map { members[$0].count + labelled[$0] }
    var cached = [[Float]?](repeating: nil, count: clusterCount)
    var log = PickLog()
    let terms = ["cluster", "size", "labelled", "typicality"]
    let large = (0..<clusterCount).filter { size[$0] > TypiClust.minClusterSize }
    let note = "\(clusterCount) k-means clusters, \(large.count) of more than \(TypiClust.minClusterSize) samples"
    // The clusters of more than 5 samples, fewest labelled first, then largest, sorted once and
    // cycled through (the code's `clusters_df.iloc[i % len(clusters_df)]`); a cluster with no
    // sample left is passed over.
    var order = large.sorted { (labelled[$0], -size[$0], $0) < (labelled[$1], -size[$1], $1) }
    if order.isEmpty { order = (0..<clusterCount).sorted { (labelled[$0], -size[$0], $0) < (labelled[$1], -size[$1], $1) } }
    var turn = 0
    while log.indices.count < count {
      var c = -1
      for k in 0..<order.count where !members[order[(turn + k) % order.count]].isEmpty {
        c = order[(turn + k) % order.count]
        turn += k + 1
        break
      }
      if c < 0 {
        // Only small clusters have samples left.
        guard let small = (0..<clusterCount).filter({ !members[$0].isEmpty }).min(by: { (labelled[$0], -size[$0], $0) < (labelled[$1], -size[$1], $1) })
        else { break }
        c = small
      }
      let typicality = cached[c] ?? TypiClust.typicality(z, rows: members[c])
      var best = 0
      for k in 1..<max(typicality.count, 1) where typicality[k] > typicality[best] { best = k }
      let pick = members[c][best]
      log.add(pick, value: typicality[best], [Double(c), Double(size[c]), Double(labelled[c]), Double(typicality[best])])
      members[c].remove(at: best)
      labelled[c] += 1
      cached[c] = nil
      try log.step(name, of: count, terms: terms, note: note, monitor: monitor)
    }
    return log.selection(name, terms: terms, note: note)
  }

  /// `1 / (mean squared distance to the k = min(20, ⌊s/2⌋) nearest others + 1e-5)` for each of
  /// the `s` rows; a lone sample gets 0.
  static func typicality(_ z: Matrix, rows: [Int]) -> [Float] {
    let s = rows.count
    let k = min(TypiClust.neighbors, s / 2)
    guard k >= 1 else { return [Float](repeating: 0, count: s) }
    let x = z.rows(rows)
    let dots = BLAS.dotProducts(x, x)
    let norms = x.rowSquaredNorms()
    var out = [Float](repeating: 0, count: s)
    var row = [Float](repeating: 0, count: s - 1)
    for i in 0..<s {
      var m = 0
      for j in 0..<s where j != i {
        row[m] = max(norms[i] + norms[j] - 2 * dots[i, j], 0)
        m += 1
      }
      let nearest = smallest(k, of: row)
      var sum = 0.0
      for v in nearest { sum += Double(v) }
      out[i] = Float(1 / (sum / Double(k) + 1e-5))
    }
    return out
  }
}

/// The `k` smallest values of `values` (any order), by a partial selection.
func smallest(_ k: Int, of values: [Float]) -> ArraySlice<Float> {
  guard k < values.count else { return values[...] }
  var v = values
  var lo = 0, hi = v.count - 1
  // Quickselect: afterwards v[0..<k] holds the k smallest.
  while lo < hi {
    let pivot = v[(lo + hi) / 2]
    var i = lo, j = hi
    while i <= j {
      while v[i] < pivot { i += 1 }
      while v[j] > pivot { j -= 1 }
      if i <= j { v.swapAt(i, j); i += 1; j -= 1 }
    }
    if k - 1 <= j { hi = j } else if k - 1 >= i { lo = i } else { break }
  }
  return v[0..<k]
}
