import Dispatch

/// How many true neighbours a K-NN graph holds, audited by exact search on a
/// seeded random sample of rows.
///
/// For each sampled row `i`, the exact K nearest neighbours among all other rows
/// come from blocked SGEMM (as ``NearestNeighbors``), their distances recomputed
/// in `Double`; the row's recall is the share of the graph's K neighbours whose
/// distance is at most the exact K-th distance (so ties and duplicates count as
/// found, as with faiss's distance-based recall). The estimate is the mean over
/// the sample; its 95 % interval is Wilson's with `n` = the number of sampled
/// rows: a row's recall lies in [0, 1], so its variance is at most `μ(1 − μ)`,
/// the Bernoulli bound Wilson assumes, and the interval is conservative (it
/// does not count a row's K neighbours as K independent trials).
///
/// - Complexity: `S · N · D` multiply-adds in SGEMM tiles of `S × 8192`;
///   memory `O(S · (K + 8192))`.
public struct NeighborRecall: Sendable, Equatable, CustomStringConvertible {
  public let k: Int
  /// Rows audited.
  public let rows: Int
  /// Mean recall@K over the audited rows, and its 95 % Wilson interval.
  public let mean: Double
  public let low: Double
  public let high: Double

  public var description: String {
    "recall@\(k) \(format(mean)) [\(format(low)), \(format(high))] on \(rows) rows"
  }

  private func format(_ v: Double) -> String {
    let scaled = (v * 1000).rounded() / 1000
    var s = String(scaled)
    while s.count < 5, s.contains(".") { s += "0" }
    return s
  }

  /// Audits `graph` (built on the rows of `x`) on `sample` rows drawn with `seed`.
  public static func measure(_ graph: NeighborGraph, of x: Matrix, sample: Int = 1000, seed: Int = 0,
                             monitor: WorkMonitor = .silent) throws -> NeighborRecall {
    let n = x.rows, k = graph.k
    guard graph.count == n else { throw CoreError("the graph has \(graph.count) rows but the features \(n)") }
    guard k >= 1, k < n else { throw CoreError("the graph's K = \(k) does not fit \(n) rows") }
    let s = min(sample, n)
    guard s >= 1 else { throw CoreError("the recall audit needs at least 1 row, got \(sample)") }
    var rng = SeededGenerator(seed: UInt64(truncatingIfNeeded: seed) ^ 0x5EED_2EC4)
    let ids = ApproximateNeighbors.sampleWithoutReplacement(s, from: n, rng: &rng).sorted()
    let truth = try exactNeighbors(of: ids, in: x, norms: x.rowSquaredNorms(), k: k, monitor: monitor)
    var total = 0.0
    for (r, i) in ids.enumerated() {
      let kth = truth.squaredDistances[r * k + k - 1]
      let tolerance = max(kth, 1e-12) * 1e-6
      var hits = 0
      for dist in graph.distances(of: i) where dist <= kth + tolerance { hits += 1 }
      total += Double(hits) / Double(k)
    }
    let mean = total / Double(s)
    let (low, high) = wilson(mean, n: s)
    return NeighborRecall(k: k, rows: s, mean: mean, low: low, high: high)
  }

  /// The exact K nearest neighbours of rows `ids` of `x` among all other rows:
  /// row `r` of the result belongs to `ids[r]`; distances recomputed in `Double`.
  static func exactNeighbors(of ids: [Int], in x: Matrix, norms: [Float], k: Int,
                             monitor: WorkMonitor) throws -> NeighborGraph {
    let n = x.rows, d = x.columns, s = ids.count
    let queries = x.rows(ids)
    let queryNorms = ids.map { norms[$0] }
    let heaps = HeapStore(rows: s, k: k)
    let block = min(n, 8192)
    var tile = [Float](repeating: 0, count: s * block)
    let queryIds = ids.map { Int32($0) }
    var columnIds = [Int32](repeating: 0, count: block)
    let workers = s >= 64 ? Parallelism.threads : 1
    try x.storage.withUnsafeBufferPointer { xs in
      try queries.storage.withUnsafeBufferPointer { qs in
        try tile.withUnsafeMutableBufferPointer { tp in
          try queryIds.withUnsafeBufferPointer { qi in
            try queryNorms.withUnsafeBufferPointer { qn in
              try norms.withUnsafeBufferPointer { ns in
                let t = SharedPointer(tp.baseAddress!), qip = SharedPointer(qi.baseAddress!)
                let qnp = SharedPointer(qn.baseAddress!), nsp = SharedPointer(ns.baseAddress!)
                var j0 = 0
                while j0 < n {
                  let m = min(block, n - j0), start = j0
                  BLAS.gemm(m: s, n: m, k: d, a: qs.baseAddress!, lda: d, b: xs.baseAddress! + j0 * d, ldb: d,
                            transposeB: true, c: t.base, ldc: m)
                  for c in 0..<m { columnIds[c] = Int32(start + c) }
                  columnIds.withUnsafeBufferPointer { ci in
                    let cip = SharedPointer(ci.baseAddress!)
                    DispatchQueue.concurrentPerform(iterations: workers) { w in
                      heaps.scanRows(localRows: (w * s / workers)..<((w + 1) * s / workers), selfIds: qip.base,
                                     norms: qnp.base, columnIds: cip.base, columnNorms: nsp.base + start, columns: m,
                                     tile: t.base, ld: m)
                    }
                  }
                  j0 += m
                  if monitor.step("kNN exact sample", j0, of: n) { throw Interrupted("kNN search", partial: nil) }
                }
              }
            }
          }
        }
      }
    }
    return heaps.sortedGraph(refiningWith: queries, columnsFrom: x)
  }

  /// Wilson's 95 % score interval for a proportion `p` out of `n`.
  static func wilson(_ p: Double, n: Int) -> (Double, Double) {
    let z = 1.959963984540054, nn = Double(n)
    let denominator = 1 + z * z / nn
    let centre = (p + z * z / (2 * nn)) / denominator
    let half = z * (p * (1 - p) / nn + z * z / (4 * nn * nn)).squareRoot() / denominator
    // At p = 0 or 1 one end is the proportion itself (the formula's rounding aside).
    return (p <= 0 ? 0 : max(0, centre - half), p >= 1 ? 1 : min(1, centre + half))
  }
}

extension HeapStore {
  /// Heap rows `r` (queries) against gathered columns; a column equal to the
  /// query's own id `selfIds[r]` is skipped.
  func scanRows(localRows rows: Range<Int>, selfIds: UnsafePointer<Int32>, norms rowNorms: UnsafePointer<Float>,
                columnIds: UnsafePointer<Int32>, columnNorms: UnsafePointer<Float>, columns: Int,
                tile: UnsafePointer<Float>, ld: Int) {
    let vectorEnd = columns & ~15
    for r in rows {
      let me = selfIds[r]
      let ni = SIMD16<Float>(repeating: rowNorms[r])
      var thr = threshold(r)
      var thrv = SIMD16<Float>(repeating: thr)
      let g = tile + r * ld
      var c = 0
      while c < vectorEnd {
        let gv = UnsafeRawPointer(g + c).loadUnaligned(as: SIMD16<Float>.self)
        let bv = UnsafeRawPointer(columnNorms + c).loadUnaligned(as: SIMD16<Float>.self)
        let dv = bv - 2 * gv + ni
        if any(dv .<= thrv) {
          for l in 0..<16 where dv[l] <= thr {
            let j = columnIds[c + l]
            if j == me { continue }
            offer(r, max(dv[l], 0), j)
            thr = threshold(r)
          }
          thrv = SIMD16(repeating: thr)
        }
        c += 16
      }
      while c < columns {
        let j = columnIds[c]
        let dd = max(0, rowNorms[r] + columnNorms[c] - 2 * g[c])
        if dd <= thr && j != me { offer(r, dd, j); thr = threshold(r) }
        c += 1
      }
    }
  }
}
