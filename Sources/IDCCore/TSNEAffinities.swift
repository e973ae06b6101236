import Dispatch

/// The input affinities `P` of t-SNE: perplexity-calibrated Gaussian
/// conditionals on the exact K nearest neighbours, symmetrised, as a sparse
/// CSR matrix whose entries sum to 1.
///
/// For each row `i` the conditional distribution over its `K` neighbours is
///
///     p_{j|i} = exp(−β_i · d²_ij) / Σ_k exp(−β_i · d²_ik),
///
/// with the precision `β_i` found by bisection so that its entropy
/// `H_i = −Σ_j p_{j|i} ln p_{j|i}` equals `ln(perplexity)` (van der Maaten &
/// Hinton 2008). Only the `K = min(N − 1, ⌊3·perplexity⌋)` nearest neighbours
/// carry mass (van der Maaten 2014); when `perplexity > K` (tiny data sets) the
/// effective perplexity is `K / 3`, as openTSNE does. The joint affinities are
///
///     p_ij = (p_{j|i} + p_{i|j}) / 2N,
///
/// stored row by row with ascending column indices.
///
/// - Complexity: the kNN search (`N²·D/2` multiply-adds by SGEMM) dominates;
///   calibration is `O(N·K·iterations)` and symmetrisation `O(N·K·log K)`.
public struct TSNEAffinities: Sendable, Equatable {
  /// Number of points `N`.
  public let count: Int
  /// Neighbours per point used for the conditionals, `K`.
  public let neighbors: Int
  /// The perplexity the conditionals were calibrated to (after the `K / 3` cap).
  public let perplexity: Double
  /// CSR row starts: row `i` holds entries `rowStarts[i] ..< rowStarts[i + 1]`.
  public let rowStarts: [Int]
  /// Column index of every stored entry.
  public let columnIndices: [Int32]
  /// Value `p_ij` of every stored entry.
  public let values: [Float]
  /// `Σ_ij p_ij` accumulated in `Double` (1 up to rounding).
  public let total: Double

  /// Bisection steps per row at most, and the entropy tolerance (nats) that
  /// stops them early: openTSNE's `max_iter = 200`, `perplexity_tol = 1e-8`.
  public static let maxBisectionSteps = 200
  public static let entropyTolerance = 1e-8

  /// The number of neighbours `K = min(N − 1, ⌊3·perplexity⌋)` and the
  /// effective perplexity (capped at `K / 3` when it exceeds `K`).
  public static func neighborhood(samples n: Int, perplexity: Double) -> (k: Int, perplexity: Double) {
    let k = max(1, min(n - 1, Int(3 * perplexity)))
    return (k, perplexity > Double(k) ? Double(k) / 3 : perplexity)
  }

  /// Calibrated, symmetrised affinities of the rows of `x`, with the
  /// neighbours found by ``NearestNeighbors`` (exact, blocked SGEMM).
  public init(data x: Matrix, perplexity: Double, threads: Int = Parallelism.threads, monitor: WorkMonitor = .silent) throws {
    guard x.rows >= 2 else { throw CoreError("t-SNE needs at least 2 samples, got \(x.rows)") }
    guard perplexity > 0, perplexity.isFinite else {
      throw CoreError("perplexity must be positive, got \(perplexity)")
    }
    let (k, effective) = Self.neighborhood(samples: x.rows, perplexity: perplexity)
    let graph = try NearestNeighbors(k: k).search(x, monitor: monitor)
    self.init(graph: graph, perplexity: effective, threads: threads)
  }

  /// Calibrated, symmetrised affinities from a precomputed neighbour graph
  /// (squared Euclidean distances, ascending per row).
  public init(graph: NeighborGraph, perplexity: Double, threads: Int = Parallelism.threads) {
    let conditional = Self.conditionalProbabilities(graph: graph, perplexity: perplexity, threads: threads)
    self.init(graph: graph, conditional: conditional.probabilities, perplexity: perplexity, threads: threads)
  }

  /// Uniform affinities on a neighbour graph: `p_{j|i} = 1/K` for each of the `K` neighbours
  /// (openTSNE's `affinity.Uniform`), symmetrised as the calibrated ones. The entropy of a
  /// uniform distribution over `K` is `ln K`, so ``perplexity`` is `K`.
  public init(uniformOn graph: NeighborGraph, threads: Int = Parallelism.threads) {
    self.init(graph: graph, conditional: Self.uniformConditionals(graph), perplexity: Double(graph.k), threads: threads)
  }

  /// `p_{j|i} = 1/K` for every stored neighbour.
  static func uniformConditionals(_ graph: NeighborGraph) -> [Float] {
    [Float](repeating: 1 / Float(graph.k), count: graph.count * graph.k)
  }

  /// The conditionals `p_{j|i}` (row-major `N × K`, each row summing to 1) and
  /// the precisions `β_i` found by bisection on the entropy.
  ///
  /// Distances are shifted by the row's smallest one before exponentiation,
  /// which leaves `p_{j|i}` unchanged and keeps the normaliser ≥ 1, so rows of
  /// duplicates or far-away points never underflow to 0/0. The search starts
  /// at `β = 1` and doubles/halves until the target is bracketed (openTSNE).
  public static func conditionalProbabilities(
    graph: NeighborGraph, perplexity: Double, threads: Int = Parallelism.threads
  ) -> (probabilities: [Float], precisions: [Double]) {
    let n = graph.count, k = graph.k
    var probabilities = [Float](repeating: 0, count: n * k)
    var precisions = [Double](repeating: 0, count: n)
    let target = _log(perplexity)
    graph.squaredDistances.withUnsafeBufferPointer { dist in
      probabilities.withUnsafeMutableBufferPointer { prob in
        precisions.withUnsafeMutableBufferPointer { beta in
          let d = SharedPointer(UnsafeMutablePointer(mutating: dist.baseAddress!))
          let p = SharedPointer(prob.baseAddress!), b = SharedPointer(beta.baseAddress!)
          let workers = max(1, min(threads, n))
          DispatchQueue.concurrentPerform(iterations: workers) { w in
            var shifted = [Double](repeating: 0, count: k)
            var weights = [Double](repeating: 0, count: k)
            for i in (n * w / workers) ..< (n * (w + 1) / workers) {
              let row = d.base + i * k
              var smallest = Double(row[0])
              for j in 1..<k { smallest = min(smallest, Double(row[j])) }
              for j in 0..<k { shifted[j] = Double(row[j]) - smallest }
              b.base[i] = calibrate(shifted, target: target, weights: &weights)
              var sum = 0.0
              for j in 0..<k { sum += weights[j] }
              for j in 0..<k { p.base[i * k + j] = Float(weights[j] / sum) }
            }
          }
        }
      }
    }
    return (probabilities, precisions)
  }

  /// Bisection on `β` for one row of shifted squared distances; leaves the
  /// unnormalised weights `exp(−β·d²)` of the final `β` in `weights`.
  static func calibrate(_ distances: [Double], target: Double, weights: inout [Double]) -> Double {
    var beta = 1.0, lower = -Double.infinity, upper = Double.infinity
    let k = distances.count
    for _ in 0..<maxBisectionSteps {
      var sum = 0.0, weighted = 0.0
      for j in 0..<k {
        let e = _exp(-beta * distances[j])
        weights[j] = e
        sum += e
        weighted += e * distances[j]
      }
      let entropy = _log(sum) + beta * weighted / sum
      let excess = entropy - target
      if abs(excess) <= entropyTolerance { return beta }
      if excess > 0 {
        lower = beta
        beta = upper == .infinity ? beta * 2 : (beta + upper) / 2
      } else {
        upper = beta
        beta = lower == -.infinity ? beta / 2 : (beta + lower) / 2
      }
    }
    for j in 0..<k { weights[j] = _exp(-beta * distances[j]) }
    return beta
  }

  /// Symmetrises `N × K` conditionals into CSR: `(P + Pᵀ) / 2N`, entries of a
  /// row sorted by column, coincident pairs summed. Only `graph.indices` is read.
  ///
  /// Row `i` is the union of its own `K` entries and the reverse ones (`j` listing `i`),
  /// merged column by column: the reverse lists are built once (transposing the graph,
  /// `N·K` entries), each row's union is counted, and the result is written into arrays of
  /// the exact size. Memory: `N·K·8` bytes of reverse lists plus the result, without the
  /// `2·N·K` entries of a row-by-row concatenation (1.4 GB at 10⁶ points and K = 90).
  init(graph: NeighborGraph, conditional: [Float], perplexity: Double, threads: Int) {
    let n = graph.count, k = graph.k
    let scale = 1 / Float(2 * n)
    // The reverse lists: sources in ascending order (filled by ascending i).
    var reverseStarts = [Int](repeating: 0, count: n + 1)
    for j in graph.indices { reverseStarts[Int(j) + 1] += 1 }
    for i in 0..<n { reverseStarts[i + 1] += reverseStarts[i] }
    var reverseSources = [Int32](repeating: 0, count: n * k)
    var reverseValues = [Float](repeating: 0, count: n * k)
    var fill = Array(reverseStarts.dropLast())
    for i in 0..<n {
      for s in 0..<k {
        let j = Int(graph.indices[i * k + s])
        reverseSources[fill[j]] = Int32(i)
        reverseValues[fill[j]] = conditional[i * k + s] * scale
        fill[j] += 1
      }
    }
    fill = []
    var lengths = [Int](repeating: 0, count: n)
    var starts = [Int](repeating: 0, count: n + 1)
    var columns: [Int32] = [], values: [Float] = []
    // Pass 0 counts each row's union; pass 1 writes it at `starts[i]`.
    for pass in 0..<2 {
      if pass == 1 {
        for i in 0..<n { starts[i + 1] = starts[i] + lengths[i] }
        columns = [Int32](repeating: 0, count: starts[n])
        values = [Float](repeating: 0, count: starts[n])
      }
      graph.indices.withUnsafeBufferPointer { own in
        conditional.withUnsafeBufferPointer { ownValues in
          reverseSources.withUnsafeBufferPointer { rs in
            reverseValues.withUnsafeBufferPointer { rv in
              lengths.withUnsafeMutableBufferPointer { lens in
                columns.withUnsafeMutableBufferPointer { cols in
                  values.withUnsafeMutableBufferPointer { vals in
                    let l = SharedPointer(lens.baseAddress!)
                    let c = cols.baseAddress.map { SharedPointer($0) }, v = vals.baseAddress.map { SharedPointer($0) }
                    let ownIndices = SharedPointer(own.baseAddress!), ownP = SharedPointer(ownValues.baseAddress!)
                    let sources = SharedPointer(rs.baseAddress!), sourceValues = SharedPointer(rv.baseAddress!)
                    let rStarts = reverseStarts, rowStarts = starts
                    let workers = max(1, min(threads, n))
                    DispatchQueue.concurrentPerform(iterations: workers) { w in
                      var mine = [(Int32, Float)]()
                      for i in (n * w / workers) ..< (n * (w + 1) / workers) {
                        mine.removeAll(keepingCapacity: true)
                        for e in (i * k) ..< ((i + 1) * k) { mine.append((ownIndices.base[e], ownP.base[e] * scale)) }
                        mine.sort { $0.0 < $1.0 }
                        var a = 0, b = rStarts[i], out = 0
                        let bEnd = rStarts[i + 1]
                        let base = pass == 1 ? rowStarts[i] : 0
                        var lastColumn: Int32 = -1
                        while a < k || b < bEnd {
                          let column: Int32, value: Float
                          if b >= bEnd || (a < k && mine[a].0 <= sources.base[b]) {
                            column = mine[a].0; value = mine[a].1; a += 1
                          } else {
                            column = sources.base[b]; value = sourceValues.base[b]; b += 1
                          }
                          if out > 0 && column == lastColumn {
                            if pass == 1 { v!.base[base + out - 1] += value }
                          } else {
                            if pass == 1 { c!.base[base + out] = column; v!.base[base + out] = value }
                            out += 1
                            lastColumn = column
                          }
                        }
                        if pass == 0 { l.base[i] = out }
                      }
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
    var total = 0.0
    for value in values { total += Double(value) }
    self.count = n
    self.neighbors = k
    self.perplexity = perplexity
    self.rowStarts = starts
    self.columnIndices = columns
    self.values = values
    self.total = total
  }

  /// Number of stored entries.
  public var nonzeroCount: Int { values.count }
}
