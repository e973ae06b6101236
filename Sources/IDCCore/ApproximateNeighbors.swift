import Dispatch

/// Approximate K nearest neighbours of every row: inverted lists searched by
/// blocked SGEMM, then NN-descent. Same output as ``NearestNeighbors`` (K per
/// row, ascending, distances recomputed in `Double`); some true neighbours may
/// be missing — ``NeighborRecall`` measures how many.
///
/// 1. **Partition** (faiss's IVF; Jégou, Douze & Schmid, TPAMI 2011):
///    spherical k-means with `L` centres (`⌈√(2N)⌉` by default), trained on a
///    seeded subsample of `trainingPerList · L` rows from randomly drawn initial
///    centres (faiss's choice: no k-means++ at this size) for
///    `trainingIterations` Lloyd steps.
/// 2. **Probes, calibrated**: unless `probes` is given, `calibrationRows`
///    seeded rows get their exact K neighbours (one `S × N` SGEMM pass); for
///    each, the rank of every true neighbour's list among the row's centres by
///    dot product tells which `p` lists a search must probe to find it. The
///    smallest `p` whose predicted recall of the search (the mean share of true
///    neighbours in the first `p` lists) reaches `recallTarget` is used — so the
///    cost follows the data: a few probes where lists follow its structure,
///    many where neighbourhoods are diffuse (isotropic blobs). `maxProbes`
///    bounds it.
/// 3. **Search**: every row against the members of its `p` nearest lists, as
///    faiss's IVF-Flat with `nprobe = p`, computed list by list: the rows
///    probing list `l` against `l`'s members in one SGEMM tile of at most
///    `tileRows × tileColumns`. Within the probed lists the search is exact.
/// 4. **NN-descent** (Dong, Charikar & Li, WWW 2011): `descentPasses` local
///    joins, in which every row tries the first `descentFanout` neighbours of
///    its nearest `descentFanout` neighbours and reverse neighbours (from the
///    previous pass's graph), to recover neighbours in lists it did not probe.
///    Rows are visited in list order, so the rows a pass touches stay close.
///
/// Where idc departs from faiss: the whole graph is built list by list
/// (queries grouped by probed list, one SGEMM per tile) instead of query by
/// query, and `nprobe` is chosen from a measured sample instead of by hand.
/// From pynndescent: the start graph comes from the lists, not from random
/// projection trees, and one pass follows instead of iterating to convergence.
///
/// - Complexity: training `trainingIterations · trainingPerList · L² · D`;
///   calibration `S · N · D`; assignment `N · L · D`; search
///   `N · p · (N/L) · D` multiply-adds in SGEMM tiles; each descent pass at most
///   `N · 2·descentFanout² · D`. Memory `O(N·(K + p) + L·D + tileRows·tileColumns)`
///   per worker for tiles, no `N × N` matrix and no copy of the features.
public struct ApproximateNeighbors: Sendable {
  public var k: Int
  /// Inverted lists `L` (nil: `⌈√(2N)⌉`, at most N).
  public var lists: Int?
  /// Lists each row probes (nil: calibrated to `recallTarget`).
  public var probes: Int?
  /// Predicted recall@K of the search that calibration aims for.
  public var recallTarget: Double
  /// Rows whose exact neighbours calibrate the probes.
  public var calibrationRows: Int
  /// Most probes calibration may choose.
  public var maxProbes: Int
  /// NN-descent passes after the search.
  public var descentPasses: Int
  /// Neighbours (and reverse neighbours) whose neighbours a row tries in a pass.
  public var descentFanout: Int
  /// Training rows per list for the partition (faiss warns below 39).
  public var trainingPerList: Int
  /// Lloyd steps of the partition's k-means.
  public var trainingIterations: Int
  /// Most rows and columns of one search tile (`tileRows × tileColumns` floats per worker).
  public var tileRows: Int
  public var tileColumns: Int
  public var seed: Int

  public init(k: Int = 20, lists: Int? = nil, probes: Int? = nil, recallTarget: Double = 0.95,
              calibrationRows: Int = 500, maxProbes: Int = 64, descentPasses: Int = 1, descentFanout: Int = 10,
              trainingPerList: Int = 64, trainingIterations: Int = 10, tileRows: Int = 256, tileColumns: Int = 2048,
              seed: Int = 0) {
    self.k = k
    self.lists = lists
    self.probes = probes
    self.recallTarget = recallTarget
    self.calibrationRows = calibrationRows
    self.maxProbes = maxProbes
    self.descentPasses = descentPasses
    self.descentFanout = descentFanout
    self.trainingPerList = trainingPerList
    self.trainingIterations = trainingIterations
    self.tileRows = tileRows
    self.tileColumns = tileColumns
    self.seed = seed
  }

  /// The number of lists for `n` rows.
  public func listCount(rows n: Int) -> Int {
    if let lists { return max(1, min(lists, n)) }
    return max(1, min(n, Int((2 * Double(n)).squareRoot().rounded(.up))))
  }

  /// Validates the parameters against `n` rows.
  public func validate(rows n: Int) throws {
    guard k >= 1 else { throw CoreError("K must be at least 1, got \(k)") }
    guard k < n else { throw CoreError("K must be smaller than the number of samples (\(n)), got \(k)") }
    if let lists, lists < 1 { throw CoreError("the number of lists must be at least 1, got \(lists)") }
    if let probes, probes < 1 { throw CoreError("probes must be at least 1, got \(probes)") }
    guard recallTarget > 0, recallTarget <= 1 else {
      throw CoreError("the recall target must be in (0, 1], got \(recallTarget)")
    }
    guard calibrationRows >= 1, maxProbes >= 1 else {
      throw CoreError("calibration needs at least 1 row and at most 1 or more probes")
    }
    guard descentPasses >= 0 else { throw CoreError("NN-descent passes must be 0 or more, got \(descentPasses)") }
    guard descentFanout >= 1 else { throw CoreError("NN-descent fan-out must be at least 1, got \(descentFanout)") }
    guard trainingPerList >= 1, trainingIterations >= 1 else {
      throw CoreError("the partition needs at least 1 training row per list and 1 iteration")
    }
    guard tileRows >= 1, tileColumns >= 16 else {
      throw CoreError("a search tile needs at least 1 row and 16 columns, got \(tileRows) × \(tileColumns)")
    }
  }

  /// What one search did, for `show` and the bench.
  public struct Report: Sendable, Equatable, CustomStringConvertible {
    public let lists: Int
    public let probes: Int
    /// The search's recall predicted by calibration (nil when `probes` was given).
    public let predictedRecall: Double?
    public let descentPasses: Int
    /// Distance evaluations in the search and in the descent passes, per row.
    public let searchCandidatesPerRow: Double
    public let descentCandidatesPerRow: Double
    /// Entries of the graph changed by each descent pass.
    public let descentUpdates: [Int]
    /// Rows the lists gave fewer than K candidates, completed by an exact scan.
    public let exactlyCompletedRows: Int
    public var description: String {
      let predicted = predictedRecall.map { " (predicted recall \((($0 * 1000).rounded() / 1000)))" } ?? ""
      return "IVF \(lists) lists, \(probes) probes\(predicted), \(descentPasses) NN-descent pass\(descentPasses == 1 ? "" : "es")"
    }
  }

  /// The approximate K nearest neighbours of each row of `x` among the other rows.
  public func search(_ x: Matrix, monitor: WorkMonitor = .silent) throws -> NeighborGraph {
    try searchWithReport(x, monitor: monitor).graph
  }

  public func searchWithReport(_ x: Matrix, monitor: WorkMonitor = .silent) throws -> (graph: NeighborGraph, report: Report) {
    let n = x.rows, k = self.k
    try validate(rows: n)
    let listCount = listCount(rows: n)
    let norms = x.rowSquaredNorms()
    let partition = try self.partition(x, norms: norms, lists: listCount, monitor: monitor)
    let heaps = HeapStore(rows: n, k: k)
    let searched = try join(x, norms: norms, partition: partition, heaps: heaps, monitor: monitor)
    var updates: [Int] = []
    var descentCandidates = 0
    let shortRows = completeShortRows(x, norms: norms, heaps: heaps)
    for pass in 0..<descentPasses {
      let (changed, candidates) = try descend(x, norms: norms, order: partition.order, heaps: heaps, pass: pass, monitor: monitor)
      updates.append(changed)
      descentCandidates += candidates
      if changed == 0 { break }
    }
    let report = Report(lists: listCount, probes: partition.probes, predictedRecall: partition.predictedRecall,
                        descentPasses: updates.count,
                        searchCandidatesPerRow: Double(searched) / Double(n),
                        descentCandidatesPerRow: Double(descentCandidates) / Double(n), descentUpdates: updates,
                        exactlyCompletedRows: shortRows)
    return (heaps.sortedGraph(refiningWith: x, columnsFrom: x, inLanes: true), report)
  }

  /// Inverted lists: the rows grouped by their nearest centre, and by every
  /// centre among their `probes` nearest.
  struct Partition {
    let centers: Matrix
    let probes: Int
    let predictedRecall: Double?
    /// `order[start[l] ..< start[l + 1]]`: the rows of list `l`, ascending.
    let order: [Int32]
    let start: [Int]
    /// `queries[queryStart[l] ..< queryStart[l + 1]]`: the rows that probe list `l`, ascending.
    let queries: [Int32]
    let queryStart: [Int]
    func members(_ l: Int) -> ArraySlice<Int32> { order[start[l] ..< start[l + 1]] }
    func probing(_ l: Int) -> ArraySlice<Int32> { queries[queryStart[l] ..< queryStart[l + 1]] }
  }

  /// Spherical k-means on a seeded subsample, the probes (given or
  /// calibrated), then every row to its nearest centres.
  func partition(_ x: Matrix, norms: [Float], lists: Int, monitor: WorkMonitor) throws -> Partition {
    let n = x.rows, d = x.columns
    var rng = SeededGenerator(seed: UInt64(truncatingIfNeeded: seed))
    var centers = Matrix(rows: 1, columns: d)
    if lists > 1 {
      let sampleSize = min(n, lists * trainingPerList)
      let sample = Self.sampleWithoutReplacement(sampleSize, from: n, rng: &rng)
      let training = x.rows(sample)
      let initial = training.rows(Self.sampleWithoutReplacement(lists, from: sampleSize, rng: &rng))
      let km = KMeans(k: lists, nInit: 1, maxIterations: trainingIterations, seed: seed, swapTrials: 0)
      centers = try km.refine(training, from: initial, monitor: monitor).centers
    }
    var p = min(probes ?? 1, lists)
    var predicted: Double? = nil
    if probes == nil, lists > 1 {
      (p, predicted) = try calibrate(x, norms: norms, centers: centers, rng: &rng, monitor: monitor)
    }
    // Every row's p nearest centres; the first is its list.
    let nearest = lists == 1 ? [Int32](repeating: 0, count: n) : Self.nearestCenters(x, centers: centers, count: p)
    let home = p == 1 ? nearest : (0..<n).map { nearest[$0 * p] }
    func grouped(_ table: [Int32], _ perRow: Int) -> ([Int32], [Int]) {
      // Counting sort by list: rows stay ascending inside a list.
      var start = [Int](repeating: 0, count: lists + 1)
      for l in table { start[Int(l) + 1] += 1 }
      for l in 0..<lists { start[l + 1] += start[l] }
      var fill = start
      var order = [Int32](repeating: 0, count: table.count)
      for (e, l) in table.enumerated() { order[fill[Int(l)]] = Int32(e / perRow); fill[Int(l)] += 1 }
      return (order, start)
    }
    let (order, start) = grouped(home, 1)
    let (queries, queryStart) = grouped(nearest, p)
    return Partition(centers: centers, probes: p, predictedRecall: predicted, order: order, start: start,
                     queries: queries, queryStart: queryStart)
  }

  /// The fewest probes whose predicted recall reaches `recallTarget`, from
  /// the exact neighbours of `calibrationRows` seeded rows: a true neighbour
  /// `j` of row `i` is found with `p` probes when `j`'s list is among `i`'s
  /// `p` nearest centres.
  func calibrate(_ x: Matrix, norms: [Float], centers: Matrix, rng: inout SeededGenerator,
                 monitor: WorkMonitor) throws -> (probes: Int, predicted: Double) {
    let n = x.rows, lists = centers.rows, k = self.k
    let s = min(calibrationRows, n)
    let rows = Self.sampleWithoutReplacement(s, from: n, rng: &rng).sorted()
    let truth = try NeighborRecall.exactNeighbors(of: rows, in: x, norms: norms, k: k, monitor: monitor)
    // The lists of those neighbours.
    let neighbours = Array(Set(truth.indices.map { Int($0) })).sorted()
    let neighbourLists = Self.nearestCenters(x.rows(neighbours), centers: centers, count: 1)
    var home: [Int: Int32] = [:]
    for (t, j) in neighbours.enumerated() { home[j] = neighbourLists[t] }
    // Each calibration row's centres, best first.
    let cap = min(maxProbes, lists)
    let scores = BLAS.dotProducts(x.rows(rows), centers)
    var ranked = [Int32](repeating: 0, count: s * cap)
    for r in 0..<s {
      let order = (0..<lists).sorted { a, b in
        let sa = scores[r, a], sb = scores[r, b]
        return sa > sb || (sa == sb && a < b)
      }
      for t in 0..<cap { ranked[r * cap + t] = Int32(order[t]) }
    }
    // found[p]: true neighbours whose list is the p-th centre of their row (p < cap).
    var found = [Int](repeating: 0, count: cap)
    var rank = [Int](repeating: Int.max, count: lists)
    for r in 0..<s {
      for (position, l) in ranked[r * cap ..< (r + 1) * cap].enumerated() { rank[Int(l)] = position }
      for j in truth.neighbors(of: r) {
        let position = rank[Int(home[Int(j)]!)]
        if position < cap { found[position] += 1 }
      }
      for l in ranked[r * cap ..< (r + 1) * cap] { rank[Int(l)] = Int.max }
    }
    var cumulative = 0
    for p in 0..<cap {
      cumulative += found[p]
      let recall = Double(cumulative) / Double(s * k)
      if recall >= recallTarget { return (p + 1, recall) }
    }
    return (cap, Double(cumulative) / Double(s * k))
  }

  /// `count` distinct indices in `0..<n`, in the order drawn (partial Fisher–Yates).
  static func sampleWithoutReplacement(_ count: Int, from n: Int, rng: inout SeededGenerator) -> [Int] {
    var pool = Array(0..<n)
    for i in 0..<count {
      let j = i + rng.nextInt(below: n - i)
      pool.swapAt(i, j)
    }
    return Array(pool[0..<count])
  }

  /// The `count` centres of largest `x_i · c` per row, best first (the
  /// spherical assignment: the row's norm does not change the order), ties
  /// to the lower index; `N × count`, rows in blocks of 8192, one SGEMM each.
  static func nearestCenters(_ x: Matrix, centers: Matrix, count p: Int) -> [Int32] {
    let n = x.rows, d = x.columns, l = centers.rows
    let block = min(n, 8192)
    var result = [Int32](repeating: 0, count: n * p)
    var scores = [Float](repeating: 0, count: block * l)
    x.storage.withUnsafeBufferPointer { xs in
      centers.storage.withUnsafeBufferPointer { cs in
        scores.withUnsafeMutableBufferPointer { sp in
          result.withUnsafeMutableBufferPointer { rp in
            let s = SharedPointer(sp.baseAddress!), r = SharedPointer(rp.baseAddress!)
            var r0 = 0
            while r0 < n {
              let m = min(block, n - r0)
              BLAS.gemm(m: m, n: l, k: d, a: xs.baseAddress! + r0 * d, lda: d, b: cs.baseAddress!, ldb: d,
                        transposeB: true, c: s.base, ldc: l)
              let workers = m >= 1024 ? Parallelism.threads : 1
              let base = r0
              DispatchQueue.concurrentPerform(iterations: workers) { w in
                var bestScore = [Float](repeating: -.infinity, count: p)
                var best = [Int32](repeating: 0, count: p)
                for i in (w * m / workers)..<((w + 1) * m / workers) {
                  let row = s.base + i * l
                  for t in 0..<p { bestScore[t] = -.infinity; best[t] = Int32(t) }
                  for c in 0..<l where row[c] > bestScore[p - 1] {
                    // Insert, keeping the list sorted by score (first come wins ties).
                    var t = p - 1
                    while t > 0 && bestScore[t - 1] < row[c] {
                      bestScore[t] = bestScore[t - 1]; best[t] = best[t - 1]; t -= 1
                    }
                    bestScore[t] = row[c]; best[t] = Int32(c)
                  }
                  for t in 0..<p { r.base[(base + i) * p + t] = best[t] }
                }
              }
              r0 += m
            }
          }
        }
      }
    }
    return result
  }

  /// Every row against the members of its `probes` nearest lists (faiss's
  /// IVF search with `nprobe = probes`), list by list: the rows probing list
  /// `l` against `l`'s members, in SGEMM tiles. A row probes a list once, so
  /// no candidate is offered twice. The workers own disjoint halves of the
  /// rows and each runs its own single-threaded SGEMMs (OpenBLAS's threads
  /// would otherwise spin between the small products). Returns the distance
  /// evaluations done.
  func join(_ x: Matrix, norms: [Float], partition: Partition, heaps: HeapStore, monitor: WorkMonitor) throws -> Int {
    let n = x.rows, d = x.columns
    let lists = partition.start.count - 1
    let workers = min(Parallelism.threads, max(1, n / 1024))
    let rowsCap = tileRows, columnsCap = tileColumns
    var evaluations = [Int](repeating: 0, count: workers)
    var stopped = false
    let blasThreads = BLAS.threadCount
    BLAS.setThreadCount(1)
    defer { BLAS.setThreadCount(blasThreads) }
    x.storage.withUnsafeBufferPointer { xs in
      norms.withUnsafeBufferPointer { ns in
        partition.order.withUnsafeBufferPointer { op in
          partition.queries.withUnsafeBufferPointer { qp in
            evaluations.withUnsafeMutableBufferPointer { ep in
              withUnsafeMutablePointer(to: &stopped) { stop in
                let xp = SharedPointer(xs.baseAddress!), np = SharedPointer(ns.baseAddress!)
                let order = SharedPointer(op.baseAddress!), queries = SharedPointer(qp.baseAddress!)
                let ev = SharedPointer(ep.baseAddress!), stopFlag = SharedPointer(stop)
                DispatchQueue.concurrentPerform(iterations: workers) { w in
                  // This worker's rows: ids in [w·N/W, (w+1)·N/W).
                  let own = Int32(w * n / workers)..<Int32((w + 1) * n / workers)
                  let a = UnsafeMutablePointer<Float>.allocate(capacity: rowsCap * d)
                  let b = UnsafeMutablePointer<Float>.allocate(capacity: columnsCap * d)
                  let aIds = UnsafeMutablePointer<Int32>.allocate(capacity: rowsCap)
                  let bIds = UnsafeMutablePointer<Int32>.allocate(capacity: columnsCap)
                  let aNorms = UnsafeMutablePointer<Float>.allocate(capacity: rowsCap)
                  let bNorms = UnsafeMutablePointer<Float>.allocate(capacity: columnsCap)
                  let tile = UnsafeMutablePointer<Float>.allocate(capacity: rowsCap * columnsCap)
                  defer {
                    a.deallocate(); b.deallocate(); aIds.deallocate(); bIds.deallocate()
                    aNorms.deallocate(); bNorms.deallocate(); tile.deallocate()
                  }
                  func gather(_ ids: UnsafePointer<Int32>, _ count: Int, into rows: UnsafeMutablePointer<Float>,
                              _ idOut: UnsafeMutablePointer<Int32>, _ normOut: UnsafeMutablePointer<Float>) {
                    for r in 0..<count {
                      let i = Int(ids[r])
                      idOut[r] = ids[r]
                      normOut[r] = np.base[i]
                      (rows + r * d).update(from: xp.base + i * d, count: d)
                    }
                  }
                  /// First index in `ids[lo..<hi]` (ascending) that is ≥ `value`.
                  func lowerBound(_ ids: UnsafePointer<Int32>, _ lo: Int, _ hi: Int, _ value: Int32) -> Int {
                    var lo = lo, hi = hi
                    while lo < hi {
                      let mid = (lo + hi) / 2
                      if ids[mid] < value { lo = mid + 1 } else { hi = mid }
                    }
                    return lo
                  }
                  var done = 0
                  for l in 0..<lists {
                    if stopFlag.base.pointee { break }
                    let q0 = lowerBound(queries.base, partition.queryStart[l], partition.queryStart[l + 1], own.lowerBound)
                    let q1 = lowerBound(queries.base, q0, partition.queryStart[l + 1], own.upperBound)
                    let m0 = partition.start[l], m1 = partition.start[l + 1]
                    if q0 < q1 && m0 < m1 {
                      var c0 = m0
                      while c0 < m1 {
                        let cols = min(columnsCap, m1 - c0)
                        gather(order.base + c0, cols, into: b, bIds, bNorms)
                        c0 += cols
                        var r0 = q0
                        while r0 < q1 {
                          let m = min(rowsCap, q1 - r0)
                          gather(queries.base + r0, m, into: a, aIds, aNorms)
                          r0 += m
                          BLAS.gemm(m: m, n: cols, k: d, a: a, lda: d, b: b, ldb: d, transposeB: true, c: tile, ldc: cols)
                          heaps.scanRows(ids: aIds, norms: aNorms, 0..<m, columnIds: bIds, columnNorms: bNorms,
                                         columns: cols, tile: tile, ld: cols)
                          done += m * cols
                        }
                      }
                    }
                    if w == 0, monitor.step("kNN lists", l + 1, of: lists) { stopFlag.base.pointee = true }
                  }
                  ev.base[w] = done
                }
              }
            }
          }
        }
      }
    }
    if stopped { throw Interrupted("kNN search", partial: nil) }
    return evaluations.reduce(0, +)
  }

  /// One NN-descent local join: each row tries the neighbours of its nearest
  /// neighbours and reverse neighbours in a snapshot of the current graph.
  /// Rows are owned by one worker each, so heaps are updated without locks;
  /// a per-worker stamp array (`N` entries) keeps every candidate of a row to
  /// one evaluation. Returns the graph entries changed and the distances evaluated.
  func descend(_ x: Matrix, norms: [Float], order: [Int32], heaps: HeapStore, pass: Int,
               monitor: WorkMonitor) throws -> (changed: Int, candidates: Int) {
    let n = x.rows, d = x.columns, k = heaps.k
    let fan = min(descentFanout, k)
    let snapshot = heaps.sortedIndices()
    // Reverse neighbours from the snapshot's first `fan` columns, at most `fan` per row.
    var reverseCount = [Int32](repeating: 0, count: n)
    var reverse = [Int32](repeating: -1, count: n * fan)
    for i in 0..<n {
      for j in 0..<fan {
        let t = Int(snapshot[i * k + j])
        if t >= 0, reverseCount[t] < Int32(fan) {
          reverse[t * fan + Int(reverseCount[t])] = Int32(i)
          reverseCount[t] += 1
        }
      }
    }
    let workers = Parallelism.threads
    let blockSize = 4096
    let blocks = (n + blockSize - 1) / blockSize
    var changed = [Int](repeating: 0, count: workers), evaluated = [Int](repeating: 0, count: workers)
    var stamps = [Int32](repeating: -1, count: workers * n)
    try x.storage.withUnsafeBufferPointer { xs in
      try norms.withUnsafeBufferPointer { ns in
        try snapshot.withUnsafeBufferPointer { sp in
          try reverse.withUnsafeBufferPointer { rp in
            try reverseCount.withUnsafeBufferPointer { rc in
              try order.withUnsafeBufferPointer { op in
                try stamps.withUnsafeMutableBufferPointer { stp in
                  try changed.withUnsafeMutableBufferPointer { chp in
                    try evaluated.withUnsafeMutableBufferPointer { evp in
                      let xb = SharedPointer(xs.baseAddress!), nb = SharedPointer(ns.baseAddress!)
                      let snap = SharedPointer(sp.baseAddress!), rev = SharedPointer(rp.baseAddress!)
                      let revCount = SharedPointer(rc.baseAddress!), ord = SharedPointer(op.baseAddress!)
                      let st = SharedPointer(stp.baseAddress!)
                      let ch = SharedPointer(chp.baseAddress!), ev = SharedPointer(evp.baseAddress!)
                      // Blocks of the list order, `workers` blocks at a time, one per worker.
                      var b0 = 0
                      while b0 < blocks {
                        let group = min(workers, blocks - b0)
                        let first = b0
                        DispatchQueue.concurrentPerform(iterations: group) { w in
                          let stamp = st.base + w * n
                          let lo = (first + w) * blockSize, hi = min(n, lo + blockSize)
                          var localChanged = 0, localEvaluated = 0
                          for p in lo..<hi {
                            let i = Int(ord.base[p])
                            let tag = Int32(i)
                            stamp[i] = tag
                            for t in 0..<k where snap.base[i * k + t] >= 0 { stamp[Int(snap.base[i * k + t])] = tag }
                            let ai = xb.base + i * d
                            let ni = nb.base[i]
                            var thr = heaps.threshold(i), worst = heaps.worstIndex(i)
                            func tryNeighbours(of j: Int) {
                              for t in 0..<fan {
                                let l = snap.base[j * k + t]
                                if l < 0 || stamp[Int(l)] == tag { continue }
                                stamp[Int(l)] = tag
                                let dd = max(0, ni + nb.base[Int(l)] - 2 * BLAS.dot(ai, xb.base + Int(l) * d, d))
                                localEvaluated += 1
                                if dd < thr || (dd == thr && l < worst) {
                                  heaps.offer(i, dd, l)
                                  localChanged += 1
                                  thr = heaps.threshold(i)
                                  worst = heaps.worstIndex(i)
                                }
                              }
                            }
                            for t in 0..<fan {
                              let j = snap.base[i * k + t]
                              if j >= 0 { tryNeighbours(of: Int(j)) }
                            }
                            for t in 0..<Int(revCount.base[i]) { tryNeighbours(of: Int(rev.base[i * fan + t])) }
                          }
                          ch.base[w] += localChanged
                          ev.base[w] += localEvaluated
                        }
                        b0 += group
                        if monitor.step("kNN descent \(pass + 1)", b0, of: blocks) {
                          throw Interrupted("kNN search", partial: nil)
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
    }
    return (changed.reduce(0, +), evaluated.reduce(0, +))
  }

  /// Rows the lists left with fewer than K candidates (tiny lists) get an
  /// exact scan against every row; returns how many there were.
  func completeShortRows(_ x: Matrix, norms: [Float], heaps: HeapStore) -> Int {
    let n = x.rows, d = x.columns, k = heaps.k
    var completed = 0
    x.storage.withUnsafeBufferPointer { xs in
      for i in 0..<n where Int(heaps.size[i]) < k {
        completed += 1
        let kept = Set((0..<Int(heaps.size[i])).map { heaps.index[i * k + $0] })
        for j in 0..<n where j != i && !kept.contains(Int32(j)) {
          let dd = max(0, norms[i] + norms[j] - 2 * BLAS.dot(xs.baseAddress! + i * d, xs.baseAddress! + j * d, d))
          heaps.offer(i, dd, Int32(j))
        }
      }
    }
    return completed
  }
}

extension ApproximateNeighbors {
  /// K = 20, probes calibrated to recall 0.95, one NN-descent pass.
  public static let defaults = ApproximateNeighbors()
}

// MARK: - Heap scans with gathered rows

extension HeapStore {
  /// The index at the root of `row`'s heap (its current K-th neighbour).
  @inline(__always) func worstIndex(_ row: Int) -> Int32 { size[row] < Int32(k) ? Int32.max : index[row * k] }

  /// Gathered rows `ids[r]` for `r` in `rows` against gathered columns: the
  /// tile holds `a_r · b_c`; a column with the row's own id is skipped.
  func scanRows(ids: UnsafePointer<Int32>, norms rowNorms: UnsafePointer<Float>, _ rows: Range<Int>,
                columnIds: UnsafePointer<Int32>, columnNorms: UnsafePointer<Float>, columns: Int,
                tile: UnsafePointer<Float>, ld: Int) {
    let vectorEnd = columns & ~15
    for r in rows {
      let i = Int(ids[r])
      let me = ids[r]
      let ni = SIMD16<Float>(repeating: rowNorms[r])
      var thr = threshold(i)
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
            offer(i, max(dv[l], 0), j)
            thr = threshold(i)
          }
          thrv = SIMD16(repeating: thr)
        }
        c += 16
      }
      while c < columns {
        let j = columnIds[c]
        let dd = max(0, rowNorms[r] + columnNorms[c] - 2 * g[c])
        if dd <= thr && j != me { offer(i, dd, j); thr = threshold(i) }
        c += 1
      }
    }
  }

  /// Gathered columns `columnIds[c]` for `c` in `cols` (rows of other lists)
  /// against the tile's gathered rows, in strips of 16 columns.
  func scanColumns(_ cols: Range<Int>, columnIds: UnsafePointer<Int32>, columnNorms: UnsafePointer<Float>,
                   rowIds: UnsafePointer<Int32>, rowNorms: UnsafePointer<Float>, rows: Int,
                   tile: UnsafePointer<Float>, ld: Int) {
    var c0 = cols.lowerBound
    while c0 + 16 <= cols.upperBound {
      var thr = SIMD16<Float>(repeating: 0)
      let nj = UnsafeRawPointer(columnNorms + c0).loadUnaligned(as: SIMD16<Float>.self)
      for l in 0..<16 { thr[l] = threshold(Int(columnIds[c0 + l])) }
      for r in 0..<rows {
        let gv = UnsafeRawPointer(tile + r * ld + c0).loadUnaligned(as: SIMD16<Float>.self)
        let dv = nj - 2 * gv + SIMD16(repeating: rowNorms[r])
        if any(dv .<= thr) {
          for l in 0..<16 where dv[l] <= thr[l] {
            let j = Int(columnIds[c0 + l])
            offer(j, max(dv[l], 0), rowIds[r])
            thr[l] = threshold(j)
          }
        }
      }
      c0 += 16
    }
    for c in c0..<cols.upperBound {
      let j = Int(columnIds[c])
      var thr = threshold(j)
      for r in 0..<rows {
        let dd = max(0, rowNorms[r] + columnNorms[c] - 2 * tile[r * ld + c])
        if dd <= thr { offer(j, dd, rowIds[r]); thr = threshold(j) }
      }
    }
  }

  /// Every row's kept indices in ascending (distance, index) order (−1 for empty slots).
  func sortedIndices() -> [Int32] {
    var out = [Int32](repeating: -1, count: n * k)
    let workers = Parallelism.threads
    out.withUnsafeMutableBufferPointer { op in
      let o = SharedPointer(op.baseAddress!)
      DispatchQueue.concurrentPerform(iterations: workers) { w in
        var pairs: [(Float, Int32)] = []
        pairs.reserveCapacity(k)
        for i in (w * n / workers)..<((w + 1) * n / workers) {
          pairs.removeAll(keepingCapacity: true)
          for j in 0..<Int(size[i]) { pairs.append((dist[i * k + j], index[i * k + j])) }
          pairs.sort { $0.0 < $1.0 || ($0.0 == $1.0 && $0.1 < $1.1) }
          for (j, p) in pairs.enumerated() { o.base[i * k + j] = p.1 }
        }
      }
    }
    return out
  }
}
