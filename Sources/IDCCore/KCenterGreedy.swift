/// Coreset by k-center greedy: repeatedly the sample farthest from everything selected (Sener &
/// Savarese, *Active Learning for Convolutional Neural Networks: A Core-Set Approach*, ICLR
/// 2018; code read: avihu111/TypiClust, `deep-al/pycls/al/coreset.py`).
///
///     pick = argmax_x  min_{s ∈ S} ‖z_x − z_s‖²      (S: the samples asked before and the picks)
///
/// Squared L2 distances as the code (`‖a‖² + ‖b‖² − 2ab`); ties to the lowest index
/// (`torch.max`). With nothing asked yet the code has no labelled set to start from; idc's
/// first pick is then drawn at random (seeded), as Sener & Savarese's k-center greedy does.
/// Known to pick outliers at low budgets (SELECTION.md).
///
/// Explanation per pick: its squared distance to the selected set when it was picked
/// (non-increasing after the first pick: the 2-approximation's certificate).
///
/// - Complexity: `O((|asked| + M)·N·D)`, one SGEMV per member of S; memory `O(N)`.
public struct KCenterGreedy: SelectionStrategy {
  public var name: String { "coreset" }
  public init() {}

  static let descriptor = StrategyDescriptor(
    name: "coreset",
    summary: "k-center greedy: the sample farthest from all selected (Sener & Savarese, ICLR 2018)",
    needs: []) { _ in KCenterGreedy() }

  public func select(_ count: Int, from input: SelectionInput, monitor: WorkMonitor) throws -> Selection {
    try input.validate(count: count)
    let z = input.features
    let n = z.rows
    let norms = z.rowSquaredNorms()
    var nearest = [Float](repeating: .infinity, count: n)
    var dots = [Float](repeating: 0, count: n)
    func add(_ s: Int) {
      BLAS.dotProducts(z, withRow: s, of: z, into: &dots)
      for i in 0..<n {
        let d2 = max(norms[i] + norms[s] - 2 * dots[i], 0)
        if d2 < nearest[i] { nearest[i] = d2 }
      }
    }
    for s in input.asked.sorted() where s >= 0 && s < n { add(s) }
    var taken = input.askedFlags()
    var log = PickLog()
    let terms = ["distance²"]
    var rng = SeededGenerator(seed: input.seed)
    while log.indices.count < count {
      var pick = -1
      if input.asked.isEmpty && log.indices.isEmpty {
        pick = rng.nextInt(below: n)
      } else {
        for i in 0..<n where !taken[i] && (pick < 0 || nearest[i] > nearest[pick]) { pick = i }
      }
      let distance = nearest[pick] == .infinity ? 0 : Double(nearest[pick])
      log.add(pick, value: Float(distance), [distance])
      taken[pick] = true
      if log.indices.count < count { add(pick) }
      try log.step(name, of: count, terms: terms, monitor: monitor)
    }
    return log.selection(name, terms: terms, note: input.asked.isEmpty ? "first pick at random (nothing asked yet)" : "")
  }
}
