/// DropQuery: samples whose prediction flips under input dropout, spread out by k-means
/// (Gupte, Aristov, Oh & Krishnan, *Revisiting Active Learning in the Era of Vision Foundation
/// Models*, TMLR 2024; code: sanketx/AL-foundation-models,
/// `ALFM/src/query_strategies/dropquery.py`).
///
/// 1. `ŷ = argmax p(z)` from the current head; then `R = 3` forward passes on the features with
///    dropout (each feature zeroed with probability 0.75, the rest scaled by 1/(1 − 0.75),
///    seeded); the candidates are the samples not asked yet whose prediction differs from `ŷ`
///    in more than half the passes — in more than none, when that leaves fewer than 25·M
///    (the code's relaxation of its threshold).
/// 2. The candidates are clustered into M clusters (k-means), and each cluster's member
///    nearest its centre is picked.
/// 3. With fewer than M candidates, all are picked and the rest are drawn at random from the
///    other samples (seeded).
///
/// In idc's first round "the current head" is the head fitted to the pre-trained assignment,
/// so DropQuery uses it from the start (the code's first round, without labels, picks the
/// samples nearest k-means centres of the whole pool instead). The code's head is a linear
/// layer after batch normalisation; idc's is its two-layer head, with the dropout on its input
/// as the code. The clustering is idc's spherical k-means (k-means++, one restart, 100 Lloyd
/// steps) on the unit-norm features, as the code's faiss k-means on normalised embeddings.
///
/// Explanation per pick: the number of flipped passes, and the size of its k-means cluster
/// (0 for random fill-ins).
///
/// - Complexity: `R + 1` forward passes, `O(R·N·H·(D + C))`, then k-means on the candidates,
///   `O(I·U·M·D)` for `U` candidates.
public struct DropQuery: SelectionStrategy {
  public var name: String { "dropquery" }
  public static let passes = 3
  public static let dropout: Float = 0.75
  public init() {}

  static let descriptor = StrategyDescriptor(
    name: "dropquery",
    summary: "k-means over the samples whose prediction flips under input dropout (Gupte et al., TMLR 2024)",
    needs: [.head]) { _ in DropQuery() }

  /// How many of the dropout passes change each sample's prediction.
  public static func flips(_ head: ClusterHead, _ z: Matrix, seed: Int) -> [Int] {
    let base = head.predict(z)
    var flips = [Int](repeating: 0, count: z.rows)
    let root = SeededGenerator(seed: seed)
    let keep = 1 / (1 - dropout)
    for pass in 0..<passes {
      var rng = root.derived(pass)
      var dropped = z
      for k in 0..<dropped.storage.count {
        dropped.storage[k] = rng.nextUnit() < Double(dropout) ? 0 : dropped.storage[k] * keep
      }
      for (i, y) in head.predict(dropped).enumerated() where y != base[i] { flips[i] += 1 }
    }
    return flips
  }

  public func select(_ count: Int, from input: SelectionInput, monitor: WorkMonitor) throws -> Selection {
    try input.validate(count: count)
    let z = input.features
    let head = try input.requireHead(name)
    let flips = DropQuery.flips(head, z, seed: input.seed)
    let taken = input.askedFlags()
    // More than half the passes must flip; the code relaxes the threshold while there are
    // fewer than 25·M candidates (`thresh -= 1` down to "any flip").
    var threshold = DropQuery.passes / 2
    func candidatesAbove(_ t: Int) -> [Int] { (0..<z.rows).filter { !taken[$0] && flips[$0] > t } }
    var candidates = candidatesAbove(threshold)
    while candidates.count < 25 * count && threshold > 0 {
      threshold -= 1
      candidates = candidatesAbove(threshold)
    }
    var log = PickLog()
    let terms = ["flips", "cluster size"]
    if candidates.count > count {
      let x = z.rows(candidates)
      let fit = try KMeans(k: count, nInit: 1, maxIterations: 100, seed: input.seed, swapTrials: 0).fit(x, monitor: monitor)
      let sims = BLAS.dotProducts(x, fit.centers)  // U × M
      var nearest = [Int](repeating: -1, count: count)
      var sizes = [Int](repeating: 0, count: count)
      for (u, g) in fit.assignment.enumerated() {
        sizes[g] += 1
        if nearest[g] < 0 || sims[u, g] > sims[nearest[g], g] { nearest[g] = u }
      }
      var picked = Set<Int>()
      for g in 0..<count where nearest[g] >= 0 {
        let i = candidates[nearest[g]]
        picked.insert(i)
        log.add(i, value: Float(flips[i]), [Double(flips[i]), Double(sizes[g])])
      }
      // k-means leaves no cluster empty, but should one be: the next candidates in order.
      for i in candidates where log.indices.count < count && !picked.contains(i) {
        picked.insert(i)
        log.add(i, value: Float(flips[i]), [Double(flips[i]), 0])
      }
    } else {
      for i in candidates { log.add(i, value: Float(flips[i]), [Double(flips[i]), 1]) }
      let chosen = Set(candidates)
      var rest = (0..<z.rows).filter { !taken[$0] && !chosen.contains($0) }
      var rng = SeededGenerator(seed: input.seed).derived(DropQuery.passes)
      for k in 0..<(count - candidates.count) {
        let j = k + rng.nextInt(below: rest.count - k)
        rest.swapAt(k, j)
        log.add(rest[k], value: Float(flips[rest[k]]), [Double(flips[rest[k]]), 0])
      }
    }
    let note = "\(candidates.count) samples flip in more than \(threshold) of \(DropQuery.passes) dropout passes (p = \(DropQuery.dropout))"
      + (candidates.count < count ? "; \(count - candidates.count) drawn at random" : "")
    return log.selection(name, terms: terms, note: note)
  }
}
