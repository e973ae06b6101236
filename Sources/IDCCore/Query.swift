/// One question put to the user about a selected sample (IDC §3.1 of Liu et
/// al. 2024, docs/method.md §3.1): "which of these T clusters does the anchor belong
/// to — or none?".
public struct Query: Sendable, Equatable, Hashable {
  /// The selected sample asked about (row index).
  public let anchor: Int
  /// The T candidate clusters, most similar centre first (cosine; ties by index).
  public let candidates: [Int]
  /// For each candidate, the samples that show it: first its centre's nearest
  /// real sample (the paper), then further members nearest the centre.
  public let representatives: [[Int]]

  public init(anchor: Int, candidates: [Int], representatives: [[Int]]) {
    self.anchor = anchor
    self.candidates = candidates
    self.representatives = representatives
  }
}

/// Builds the queries for a selection: the `candidates` nearest centres of
/// each anchor and `examples` representative samples per centre.
///
/// One sample per cluster misleads a person (the reference lost ~7 ACC points
/// answering from single representatives), so people see 3 by default; the
/// first representative is always the paper's (the nearest real sample).
///
/// - Complexity: `O(N·C·D)` once for the representatives (one SGEMM), then
///   `O(M·C·D)` for the anchors' candidates.
public struct QueryBuilder: Sendable {
  public var candidates: Int
  public var examples: Int

  public init(candidates: Int = 5, examples: Int = 3) {
    self.candidates = candidates
    self.examples = examples
  }

  public func validate(clusterCount: Int) throws {
    guard candidates >= 1 else { throw CoreError("t must be at least 1, got \(candidates)") }
    guard candidates <= clusterCount else {
      throw CoreError("t = \(candidates) exceeds the number of clusters (\(clusterCount)); choose t ≤ \(clusterCount)")
    }
    guard examples >= 1 else { throw CoreError("examples must be at least 1, got \(examples)") }
  }

  /// Representatives of every cluster: `[0]` is the sample nearest the centre
  /// among all samples; the rest are the next nearest members of the cluster
  /// under `assignment` (all samples when no assignment is given).
  ///
  /// - Complexity: `O(N·C·D)` in SGEMM over blocks of 2 048 rows, `O(N·C)` comparisons;
  ///   memory `O(2048·C + C·examples)` — no `N × C` matrix (4 GB at 10⁶ rows and C = 1 000).
  public func representatives(_ z: Matrix, centers: Matrix, assignment: [Int]?) -> [[Int]] {
    let c = centers.rows
    guard c > 0 else { return [] }
    // Per cluster: the nearest sample overall, and its `examples` nearest members (one more
    // than shown, so that dropping the nearest overall still leaves enough), best first.
    var best = [Int](repeating: -1, count: c)
    var bestSim = [Float](repeating: -.infinity, count: c)
    let keep = examples > 1 ? examples : 0
    var top = [[(sim: Float, index: Int)]](repeating: [], count: c)
    func better(_ a: (sim: Float, index: Int), _ b: (sim: Float, index: Int)) -> Bool {
      a.sim > b.sim || (a.sim == b.sim && a.index < b.index)
    }
    BLAS.forEachProductBlock(z, centers, blockRows: 2048) { start, rows, sims in
      for r in 0..<rows {
        let i = start + r
        for g in 0..<c {
          let s = sims[r * c + g]
          if s > bestSim[g] { bestSim[g] = s; best[g] = i }
        }
        guard keep > 0 else { continue }
        if let assignment {
          let g = assignment[i]
          if g >= 0 && g < c { Self.offer((sims[r * c + g], i), to: &top[g], keep: keep, better: better) }
        } else {
          for g in 0..<c { Self.offer((sims[r * c + g], i), to: &top[g], keep: keep, better: better) }
        }
      }
    }
    return (0..<c).map { g in
      guard best[g] >= 0 else { return [] }
      return [best[g]] + top[g].filter { $0.index != best[g] }.prefix(examples - 1).map(\.index)
    }
  }

  /// Inserts `item` into `list` (best first, at most `keep` long) if it belongs there.
  private static func offer(_ item: (sim: Float, index: Int), to list: inout [(sim: Float, index: Int)], keep: Int,
                            better: ((sim: Float, index: Int), (sim: Float, index: Int)) -> Bool) {
    if list.count == keep, let last = list.last, !better(item, last) { return }
    var at = list.count
    while at > 0 && better(item, list[at - 1]) { at -= 1 }
    list.insert(item, at: at)
    if list.count > keep { list.removeLast() }
  }

  /// The queries for `anchors`, in order.
  public func build(_ z: Matrix, centers: Matrix, anchors: [Int], assignment: [Int]? = nil) throws -> [Query] {
    try validate(clusterCount: centers.rows)
    guard centers.columns == z.columns else {
      throw CoreError("centres have \(centers.columns) dimensions but the features have \(z.columns)")
    }
    if let bad = anchors.first(where: { $0 < 0 || $0 >= z.rows }) {
      throw CoreError("anchor \(bad) is not a sample index (0..<\(z.rows))")
    }
    let reps = representatives(z, centers: centers, assignment: assignment)
    let anchorSims = BLAS.dotProducts(z.rows(anchors), centers)
    return anchors.enumerated().map { k, anchor in
      let order = (0..<centers.rows).sorted {
        anchorSims[k, $0] > anchorSims[k, $1] || (anchorSims[k, $0] == anchorSims[k, $1] && $0 < $1)
      }
      let cand = Array(order.prefix(candidates))
      return Query(anchor: anchor, candidates: cand, representatives: cand.map { reps[$0] })
    }
  }
}

extension QueryBuilder {
  /// T = 5 candidates (the paper's), three samples shown per candidate.
  public static let defaults = QueryBuilder()
}
