import Dispatch

/// The exact K nearest neighbours of every row of a matrix (self excluded).
public struct NeighborGraph: Sendable, Equatable {
  /// Number of neighbours per row.
  public let k: Int
  /// `indices[i * k + j]`: the j-th nearest neighbour of row i (ascending distance).
  public let indices: [Int32]
  /// `squaredDistances[i * k + j]`: ‖x_i − x_{indices[i*k+j]}‖², clamped at 0.
  public let squaredDistances: [Float]

  public var count: Int { k == 0 ? 0 : indices.count / k }

  public func neighbors(of i: Int) -> ArraySlice<Int32> { indices[i * k ..< (i + 1) * k] }
  public func distances(of i: Int) -> ArraySlice<Float> { squaredDistances[i * k ..< (i + 1) * k] }
}

/// Exact K-nearest-neighbour search by blocked SGEMM.
///
/// Squared distances are `‖a‖² + ‖b‖² − 2·a·b` (clamped at 0), the dot products
/// coming from `cblas_sgemm` on `blockSize × blockSize` tiles. The self-join is
/// symmetric, so each tile `(I, J)` with `J > I` is computed once and serves
/// both the rows of `I` (against the columns of `J`) and the rows of `J`
/// (against those of `I`): half the flops of a full product. Each row keeps a
/// bounded max-heap of its K best candidates; ties keep the lower index.
///
/// - Complexity: `N²·D` multiply-adds (half of a full `N×N` product) plus
///   `N²` heap tests; memory `O(N·K + blockSize²)` — no `N×N` matrix.
public struct NearestNeighbors: Sendable {
  public var k: Int
  public var blockSize: Int

  public init(k: Int = 20, blockSize: Int = 1024) {
    self.k = k
    self.blockSize = blockSize
  }

  /// Validates the parameters against `n` rows.
  public func validate(rows n: Int) throws {
    guard k >= 1 else { throw CoreError("K must be at least 1, got \(k)") }
    guard k < n else { throw CoreError("K must be smaller than the number of samples (\(n)), got \(k)") }
    guard blockSize >= 16 else { throw CoreError("block size must be at least 16, got \(blockSize)") }
  }

  /// The K nearest neighbours of each row of `x` among the other rows.
  public func search(_ x: Matrix, monitor: WorkMonitor = .silent) throws -> NeighborGraph {
    let n = x.rows, d = x.columns, k = self.k
    try validate(rows: n)
    let norms = x.rowSquaredNorms()
    let heaps = HeapStore(rows: n, k: k)
    let bs = min(blockSize, n)
    let blocks = (n + bs - 1) / bs
    var tile = [Float](repeating: 0, count: bs * bs)
    let totalPairs = blocks * (blocks + 1) / 2
    var donePairs = 0

    try x.storage.withUnsafeBufferPointer { xs in
      try norms.withUnsafeBufferPointer { nrm in
        try tile.withUnsafeMutableBufferPointer { tp in
          let t = SharedPointer(tp.baseAddress!)
          for bi in 0..<blocks {
            let i0 = bi * bs, ni = min(bs, n - i0)
            for bj in bi..<blocks {
              let j0 = bj * bs, nj = min(bs, n - j0)
              BLAS.gemm(m: ni, n: nj, k: d, a: xs.baseAddress! + i0 * d, lda: d,
                        b: xs.baseAddress! + j0 * d, ldb: d, transposeB: true,
                        c: t.base, ldc: nj)
              let norms = SharedPointer(nrm.baseAddress!)
              if bi == bj {
                // Diagonal tile: split its rows between two workers.
                let half = (ni + 1) / 2
                DispatchQueue.concurrentPerform(iterations: 2) { w in
                  let r0 = w == 0 ? 0 : half, r1 = w == 0 ? half : ni
                  heaps.scanRows(r0..<r1, rowOffset: i0, columnOffset: j0, columns: nj,
                                 tile: t.base, ld: nj, norms: norms.base, skipSelf: true)
                }
              } else {
                // Off-diagonal tile: rows of I read it directly, rows of J read
                // its transpose; the two row sets are disjoint, one worker each.
                DispatchQueue.concurrentPerform(iterations: 2) { w in
                  if w == 0 {
                    heaps.scanRows(0..<ni, rowOffset: i0, columnOffset: j0, columns: nj,
                                   tile: t.base, ld: nj, norms: norms.base, skipSelf: false)
                  } else {
                    heaps.scanColumns(0..<nj, columnOffset: j0, rowOffset: i0, rows: ni,
                                      tile: t.base, ld: nj, norms: norms.base)
                  }
                }
              }
              donePairs += 1
              if monitor.step("kNN", donePairs, of: totalPairs) {
                throw Interrupted("kNN search", partial: nil)
              }
            }
          }
        }
      }
    }
    return heaps.sortedGraph(refiningWith: x)
  }
}


/// One bounded max-heap of (distance, index) per row, stored flat.
///
/// Workers touch disjoint rows, so the store is shared without locks.
final class HeapStore: @unchecked Sendable {
  let n: Int, k: Int
  let dist: UnsafeMutablePointer<Float>
  let index: UnsafeMutablePointer<Int32>
  let size: UnsafeMutablePointer<Int32>

  init(rows n: Int, k: Int) {
    self.n = n
    self.k = k
    dist = .allocate(capacity: n * k)
    index = .allocate(capacity: n * k)
    size = .allocate(capacity: n)
    size.initialize(repeating: 0, count: n)
    dist.initialize(repeating: .infinity, count: n * k)
    index.initialize(repeating: -1, count: n * k)
  }

  deinit {
    dist.deallocate()
    index.deallocate()
    size.deallocate()
  }

  /// The current K-th best distance of `row` (∞ while the heap is not full).
  @inline(__always) func threshold(_ row: Int) -> Float {
    size[row] < Int32(k) ? .infinity : dist[row * k]
  }

  /// Offers candidate `(d, j)` to `row`'s heap (max at slot 0).
  @inline(__always) func offer(_ row: Int, _ d: Float, _ j: Int32) {
    let h = dist + row * k, hi = index + row * k
    var s = Int(size[row])
    if s < k {
      // Sift up.
      var c = s
      h[c] = d; hi[c] = j
      while c > 0 {
        let p = (c - 1) >> 1
        if worse(h[c], hi[c], than: h[p], hi[p]) { swapSlots(h, hi, c, p); c = p } else { break }
      }
      s += 1
      size[row] = Int32(s)
      return
    }
    guard worse(h[0], hi[0], than: d, j) else { return }
    // Replace the root and sift down.
    h[0] = d; hi[0] = j
    var c = 0
    while true {
      let l = 2 * c + 1
      if l >= k { break }
      var m = l
      let r = l + 1
      if r < k && worse(h[r], hi[r], than: h[l], hi[l]) { m = r }
      if worse(h[m], hi[m], than: h[c], hi[c]) { swapSlots(h, hi, c, m); c = m } else { break }
    }
  }

  @inline(__always) func swapSlots(_ h: UnsafeMutablePointer<Float>, _ hi: UnsafeMutablePointer<Int32>, _ a: Int, _ b: Int) {
    let td = h[a]; h[a] = h[b]; h[b] = td
    let ti = hi[a]; hi[a] = hi[b]; hi[b] = ti
  }

  /// Whether (d1, j1) ranks after (d2, j2): larger distance, or equal distance and larger index.
  @inline(__always) func worse(_ d1: Float, _ j1: Int32, than d2: Float, _ j2: Int32) -> Bool {
    d1 > d2 || (d1 == d2 && j1 > j2)
  }

  /// Rows `rowOffset + r` for `r` in `rows` against the tile's columns.
  ///
  /// Distances are tested sixteen at a time with SIMD (`‖b‖² − 2ab ≤ thr − ‖a‖²`);
  /// only lanes that can enter the heap take the scalar path.
  func scanRows(_ rows: Range<Int>, rowOffset: Int, columnOffset: Int, columns: Int,
                tile: UnsafeMutablePointer<Float>, ld: Int, norms: UnsafePointer<Float>, skipSelf: Bool) {
    let nb = norms + columnOffset
    let vectorEnd = columns & ~15
    for r in rows {
      let i = rowOffset + r
      let ni = SIMD16<Float>(repeating: norms[i])
      var thr = threshold(i)
      var thrv = SIMD16<Float>(repeating: thr)
      let g = tile + r * ld
      var c = 0
      while c < vectorEnd {
        let gv = UnsafeRawPointer(g + c).loadUnaligned(as: SIMD16<Float>.self)
        let bv = UnsafeRawPointer(nb + c).loadUnaligned(as: SIMD16<Float>.self)
        let dv = bv - 2 * gv + ni
        if any(dv .<= thrv) {
          for l in 0..<16 where dv[l] <= thr {
            let j = columnOffset + c + l
            if skipSelf && j == i { continue }
            offer(i, max(dv[l], 0), Int32(j))
            thr = threshold(i)
          }
          thrv = SIMD16(repeating: thr)
        }
        c += 16
      }
      while c < columns { consider(i, c, g, norms[i], nb, columnOffset, skipSelf, &thr); c += 1 }
    }
  }

  @inline(__always)
  private func consider(_ i: Int, _ c: Int, _ g: UnsafeMutablePointer<Float>, _ ni: Float,
                        _ nb: UnsafePointer<Float>, _ columnOffset: Int, _ skipSelf: Bool, _ thr: inout Float) {
    let j = columnOffset + c
    var dd = ni + nb[c] - 2 * g[c]
    if dd < 0 { dd = 0 }
    if dd <= thr && !(skipSelf && j == i) {
      offer(i, dd, Int32(j))
      thr = threshold(i)
    }
  }

  /// Rows `columnOffset + c` (the tile's columns) against the tile's rows, reading
  /// the tile transposed in strips of 16 columns so that memory access stays
  /// contiguous; 16 thresholds are tested at once with SIMD.
  func scanColumns(_ cols: Range<Int>, columnOffset: Int, rowOffset: Int, rows: Int,
                   tile: UnsafeMutablePointer<Float>, ld: Int, norms: UnsafePointer<Float>) {
    var c0 = cols.lowerBound
    while c0 + 16 <= cols.upperBound {
      var thr = SIMD16<Float>(repeating: 0)
      var nj = SIMD16<Float>(repeating: 0)
      for l in 0..<16 { thr[l] = threshold(columnOffset + c0 + l); nj[l] = norms[columnOffset + c0 + l] }
      for r in 0..<rows {
        let i = rowOffset + r
        let gv = UnsafeRawPointer(tile + r * ld + c0).loadUnaligned(as: SIMD16<Float>.self)
        let dv = nj - 2 * gv + SIMD16(repeating: norms[i])
        if any(dv .<= thr) {
          for l in 0..<16 where dv[l] <= thr[l] {
            let j = columnOffset + c0 + l
            offer(j, max(dv[l], 0), Int32(i))
            thr[l] = threshold(j)
          }
        }
      }
      c0 += 16
    }
    // Remaining columns, scalar.
    for c in c0..<cols.upperBound {
      let j = columnOffset + c
      var thr = threshold(j)
      for r in 0..<rows {
        let i = rowOffset + r
        var dd = norms[i] + norms[j] - 2 * tile[r * ld + c]
        if dd < 0 { dd = 0 }
        if dd <= thr { offer(j, dd, Int32(i)); thr = threshold(j) }
      }
    }
  }

  /// Heaps sorted into ascending (distance, index) order per row, with the
  /// kept distances recomputed exactly as `Σ (a − b)²` in `Double` (the GEMM
  /// form loses ~1e-7 absolute to cancellation; this costs only `N·K·D`).
  func sortedGraph(refiningWith x: Matrix) -> NeighborGraph {
    sortedGraph(refiningWith: x, columnsFrom: x)
  }

  /// The same for heaps whose row `i` is row `i` of `rowData` and whose
  /// entries index rows of `columnData`; rows split between the workers.
  /// `inLanes` sums the squares in eight `Double` lanes (several times
  /// faster; the last bit of a distance may differ from the sequential sum,
  /// which the exact search keeps so that its graphs do not move).
  func sortedGraph(refiningWith rowData: Matrix, columnsFrom columnData: Matrix, inLanes: Bool = false) -> NeighborGraph {
    var indices = [Int32](repeating: 0, count: n * k)
    var dists = [Float](repeating: 0, count: n * k)
    let d = rowData.columns, k = self.k, n = self.n
    let workers = n >= 4096 ? Parallelism.threads : 1
    rowData.storage.withUnsafeBufferPointer { rs in
      columnData.storage.withUnsafeBufferPointer { cs in
        indices.withUnsafeMutableBufferPointer { ip in
          dists.withUnsafeMutableBufferPointer { dp in
            let rsp = SharedPointer(rs.baseAddress!), csp = SharedPointer(cs.baseAddress!)
            let ipp = SharedPointer(ip.baseAddress!), dpp = SharedPointer(dp.baseAddress!)
            DispatchQueue.concurrentPerform(iterations: workers) { w in
              var pairs = [(Float, Int32)](repeating: (0, 0), count: k)
              for i in (w * n / workers)..<((w + 1) * n / workers) {
                let a = rsp.base + i * d
                for j in 0..<k {
                  let other = Int(index[i * k + j])
                  precondition(other >= 0, "a neighbour heap was left with an empty slot")
                  let b = csp.base + other * d
                  var s = 0.0
                  var c = 0
                  if inLanes {
                    var acc = SIMD8<Double>(repeating: 0)
                    while c + 8 <= d {
                      let t = SIMD8<Double>(UnsafeRawPointer(a + c).loadUnaligned(as: SIMD8<Float>.self))
                        - SIMD8<Double>(UnsafeRawPointer(b + c).loadUnaligned(as: SIMD8<Float>.self))
                      acc += t * t
                      c += 8
                    }
                    s = acc.sum()
                  }
                  while c < d { let t = Double(a[c]) - Double(b[c]); s += t * t; c += 1 }
                  pairs[j] = (Float(s), Int32(other))
                }
                pairs.sort { $0.0 < $1.0 || ($0.0 == $1.0 && $0.1 < $1.1) }
                for j in 0..<k { dpp.base[i * k + j] = pairs[j].0; ipp.base[i * k + j] = pairs[j].1 }
              }
            }
          }
        }
      }
    }
    return NeighborGraph(k: k, indices: indices, squaredDistances: dists)
  }
}

extension NearestNeighbors {
  /// K = 20 neighbours, the paper's K for representativeness.
  public static let defaults = NearestNeighbors()
}
