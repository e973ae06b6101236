/// Which value terms drive IDC's greedy selection (the ablations of IDC,
/// Table 3 / Fig. 3 / Fig. 4 of Liu et al. 2024).
public enum ValueTerms: String, CaseIterable, Sendable {
  case random
  case hard
  case rep
  case hardRep = "hard+rep"
  case hardRepDiv = "hard+rep+div"

  var usesHardness: Bool { self == .hard || self == .hardRep || self == .hardRepDiv }
  var usesRepresentativeness: Bool { self == .rep || self == .hardRep || self == .hardRepDiv }
  var usesDiversity: Bool { self == .hardRepDiv }

  var summary: String {
    switch self {
    case .random: "uniformly at random (seeded)"
    case .hard: "IDC's hardness h alone: samples on cluster borders (Liu et al. 2024, Table 3)"
    case .rep: "IDC's representativeness r alone: samples in dense regions (Liu et al. 2024, Table 3)"
    case .hardRep: "IDC's h + r without diversity (Liu et al. 2024, Table 3)"
    case .hardRepDiv: "IDC, the full method: v = h + r + d, greedily (Liu et al. 2024, Algorithm 1)"
    }
  }
}

/// Greedy value-based selection (IDC Algorithm 1, Liu et al. 2024).
///
/// `v_i = w_h·h_i + w_r·r_i + w_d·d_i`, with the diversity
/// `d_i = min_{j∈S} log(max(1 − z_i·z_j, 0) + ε)` and `d = 0` while `S` is
/// empty (Eq. 4). Each step takes the remaining sample with the largest `v`
/// (ties to the lowest index). After one SGEMV against the first pick, `d` is
/// updated lazily (Minoux 1978, "accelerated greedy"): `d_i` can only fall as
/// `S` grows, so a heap of values computed against the first picks holds upper
/// bounds; its top is updated against the picks it has not seen and taken once
/// current — the same picks as a full rescan after every pick. Terms not in the
/// strategy have weight 0.
///
/// Theorem 1: the pick values never increase — from the second pick on, since
/// the first pick's `d = 0` can be below `log(1 − cos)` for `cos < 0`.
///
/// Explanation per pick: `h`, `r`, `d` (0 for the first pick) and `v`.
///
/// - Complexity: `O(N·D + N log N)` for the first pick's pass and the heap,
///   then per pick `O(u·(s·D + log N))` for the `u` rows brought up to date
///   against the `s` picks each had not seen; `O(M·N·D)` at worst (a full
///   rescan per pick). Measured at 10⁶ × 128, M = 500: see docs/scale.md.
public struct ValueSelector: SelectionStrategy {
  public var count: Int
  public var terms: ValueTerms
  public var hardnessWeight: Float
  public var representativenessWeight: Float
  public var diversityWeight: Float
  public var seed: Int

  public var name: String { terms.rawValue }

  public init(count: Int, terms: ValueTerms = .hardRepDiv, hardnessWeight: Float = 1,
              representativenessWeight: Float = 1, diversityWeight: Float = 1, seed: Int = 0) {
    self.count = count
    self.terms = terms
    self.hardnessWeight = hardnessWeight
    self.representativenessWeight = representativenessWeight
    self.diversityWeight = diversityWeight
    self.seed = seed
  }

  /// The strategy registered as `terms`' name.
  static func descriptor(_ terms: ValueTerms) -> StrategyDescriptor {
    StrategyDescriptor(name: terms.rawValue, summary: terms.summary, needs: terms == .random ? [] : [.graph, .hardness],
                       isPaperAblation: true) { options in
      ValueSelector(count: 0, terms: terms, hardnessWeight: options.hardnessWeight,
                    representativenessWeight: options.representativenessWeight, diversityWeight: options.diversityWeight)
    }
  }

  public func select(_ count: Int, from input: SelectionInput, monitor: WorkMonitor) throws -> Selection {
    try input.validate(count: count)
    let n = input.features.rows
    let scores: ValueScores
    if terms == .random && (input.hardness == nil || input.graph == nil) {
      scores = ValueScores(hardness: [Float](repeating: 0, count: n), representativeness: [Float](repeating: 0, count: n), nearestCenter: [])
    } else {
      guard let h = input.hardness, h.count == n else { throw CoreError("\(name) needs the hardness of every sample") }
      scores = ValueScores(hardness: h, representativeness: ValueScores.representativeness(try input.requireGraph(name)), nearestCenter: [])
    }
    var selector = self
    selector.count = count
    selector.seed = input.seed
    return try selector.select(input.features, scores: scores, excluding: input.asked, monitor: monitor)
  }

  /// Picks `count` samples of unit-norm `z` with precomputed `scores`.
  public func select(_ z: Matrix, scores: ValueScores, excluding excluded: Set<Int> = [],
                     monitor: WorkMonitor = .silent) throws -> Selection {
    let n = z.rows
    guard scores.hardness.count == n, scores.representativeness.count == n else {
      throw CoreError("scores are for \(scores.hardness.count) samples but the features have \(n)")
    }
    let available = n - excluded.count
    guard count >= 1 else { throw CoreError("m must be at least 1, got \(count)") }
    guard count <= available else {
      throw CoreError("m = \(count) exceeds the number of samples available (\(available)); choose m ≤ \(available)")
    }
    let random = terms == .random
    let wh: Float = terms.usesHardness || random ? hardnessWeight : 0
    let wr: Float = terms.usesRepresentativeness || random ? representativenessWeight : 0
    let wd: Float = terms.usesDiversity || random ? diversityWeight : 0
    let eps = Float(ValueScores.epsilon)

    var base = [Float](repeating: 0, count: n)
    for i in 0..<n { base[i] = wh * scores.hardness[i] + wr * scores.representativeness[i] }
    var diversity = [Float](repeating: .infinity, count: n)  // +∞ = "S empty" (used as 0)
    var taken = [Bool](repeating: false, count: n)
    for i in excluded where i >= 0 && i < n { taken[i] = true }
    var log = PickLog()
    let columns = ["h", "r", "d", "v"]
    var rng = SeededGenerator(seed: seed)
    var pool = random ? (0..<n).filter { !taken[$0] } : []
    var dots: [Float] = []
    // Lazy greedy (Minoux 1978): after the first pick, d_i only decreases as S grows, so a
    // value computed against the first picks bounds the true one from above. The heap holds
    // those bounds; the top is brought up to date against the picks it has not seen, and is
    // the greedy argmax once it is current (ties to the lowest index, as a full scan).
    var seen = [Int32](repeating: 0, count: n)  // picks each row's diversity accounts for
    var picks: [Int] = []
    var heap = ValueHeap()
    let lazy = !random && wd > 0

    for step in 0..<count {
      let pick: Int
      if random {
        let j = step + rng.nextInt(below: pool.count - step)
        pool.swapAt(step, j)
        pick = pool[step]
      } else if lazy && step >= 1 {
        pick = try z.storage.withUnsafeBufferPointer { zp in
          let d = z.columns
          while let top = heap.popMax() {
            let i = top.index
            if taken[i] { continue }
            if Int(seen[i]) == picks.count { return i }
            for p in picks[Int(seen[i])...] {
              let term = _logf(max(1 - BLAS.dot(zp.baseAddress! + i * d, zp.baseAddress! + p * d, d), 0) + eps)
              if term < diversity[i] { diversity[i] = term }
            }
            seen[i] = Int32(picks.count)
            heap.push(ValueHeap.Entry(value: base[i] + wd * diversity[i], index: i))
          }
          throw CoreError("no sample left to select")
        }
      } else {
        var best = -1
        var bestValue = -Float.infinity
        for i in 0..<n where !taken[i] {
          let v = base[i] + (wd == 0 || diversity[i] == .infinity ? 0 : wd * diversity[i])
          if best < 0 || v > bestValue { best = i; bestValue = v }
        }
        pick = best
      }
      let dv = diversity[pick] == .infinity ? 0 : diversity[pick]
      let value = base[pick] + wd * dv
      log.add(pick, value: value, [Double(scores.hardness[pick]), Double(scores.representativeness[pick]), Double(dv), Double(value)])
      taken[pick] = true
      picks.append(pick)
      if lazy && step == 0 {
        // One full pass against the first pick (d jumps from "S empty" to a value that may be
        // above 0, so no bound holds before it), then the heap of upper bounds.
        BLAS.dotProducts(z, withRow: pick, of: z, into: &dots)
        var entries: [ValueHeap.Entry] = []
        entries.reserveCapacity(n)
        for i in 0..<n where !taken[i] {
          diversity[i] = _logf(max(1 - dots[i], 0) + eps)
          seen[i] = 1
          entries.append(ValueHeap.Entry(value: base[i] + wd * diversity[i], index: i))
        }
        heap = ValueHeap(entries)
      } else if wd != 0 && !lazy && step + 1 < count {
        BLAS.dotProducts(z, withRow: pick, of: z, into: &dots)
        for i in 0..<n where !taken[i] {
          let term = _logf(max(1 - dots[i], 0) + eps)
          if term < diversity[i] { diversity[i] = term }
        }
      }
      try log.step(name, of: count, terms: columns, monitor: monitor)
    }
    return log.selection(name, terms: columns)
  }
}

/// A binary max-heap of values with their row, ties to the lower row (the order of a
/// left-to-right argmax scan).
struct ValueHeap {
  struct Entry {
    var value: Float
    var index: Int
    /// Whether `self` comes before `other`: a larger value, or an equal one at a lower row.
    @inline(__always) func precedes(_ other: Entry) -> Bool {
      value > other.value || (value == other.value && index < other.index)
    }
  }
  private var items: [Entry] = []

  init() {}

  /// Heapifies `entries` in `O(n)`.
  init(_ entries: [Entry]) {
    items = entries
    var i = items.count / 2 - 1
    while i >= 0 { siftDown(i); i -= 1 }
  }

  mutating func push(_ e: Entry) {
    items.append(e)
    var i = items.count - 1
    while i > 0 {
      let parent = (i - 1) / 2
      guard items[i].precedes(items[parent]) else { break }
      items.swapAt(i, parent)
      i = parent
    }
  }

  mutating func popMax() -> Entry? {
    guard let first = items.first else { return nil }
    let last = items.removeLast()
    if !items.isEmpty {
      items[0] = last
      siftDown(0)
    }
    return first
  }

  private mutating func siftDown(_ start: Int) {
    var i = start
    let n = items.count
    while true {
      let l = 2 * i + 1, r = l + 1
      var best = i
      if l < n && items[l].precedes(items[best]) { best = l }
      if r < n && items[r].precedes(items[best]) { best = r }
      if best == i { return }
      items.swapAt(i, best)
      i = best
    }
  }
}

extension ValueSelector {
  /// The default budget (M = 100), strategy (the full method) and weights.
  public static let defaults = ValueSelector(count: 100)
}
