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
  public func representatives(_ z: Matrix, centers: Matrix, assignment: [Int]?) -> [[Int]] {
    let c = centers.rows, n = z.rows
    let sims = BLAS.dotProducts(z, centers)  // N × C
    var reps = [[Int]](repeating: [], count: c)
    for g in 0..<c {
      // Nearest overall.
      var best = -1
      var bestSim = -Float.infinity
      for i in 0..<n where sims[i, g] > bestSim { bestSim = sims[i, g]; best = i }
      guard best >= 0 else { continue }
      var chosen = [best]
      if examples > 1 {
        var members: [(Float, Int)] = []
        for i in 0..<n where i != best && (assignment == nil || assignment![i] == g) {
          members.append((sims[i, g], i))
        }
        members.sort { $0.0 > $1.0 || ($0.0 == $1.0 && $0.1 < $1.1) }
        chosen += members.prefix(examples - 1).map(\.1)
      }
      reps[g] = chosen
    }
    return reps
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
